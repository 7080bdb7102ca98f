import { ExternalServiceError, PolicyDeniedError } from '@claw/core';

/** What went wrong at a deploy backend, normalised across targets. */
export type DeployTargetErrorKind =
  /** The credentials were refused (HTTP 401). */
  | 'auth'
  /** The credentials lack a permission (HTTP 403). */
  | 'forbidden'
  /** No such workflow, run, deployment or release. */
  | 'not_found'
  /** The branch, tag or commit does not exist. */
  | 'unknown_ref'
  /** The backend rejected the request as malformed (HTTP 422 other than a bad ref). */
  | 'invalid_request'
  /** The request clashes with existing state: an idempotency key reused for another request, a finished run. */
  | 'conflict'
  /** Too many requests (HTTP 429 or a secondary rate limit); see `retryAfterMs`. */
  | 'rate_limited'
  /** The backend failed or could not be reached (HTTP 5xx, connection refused). */
  | 'unavailable'
  /** The deploy command could not be started or its output could not be read. */
  | 'command_failed';

const RETRYABLE: ReadonlySet<DeployTargetErrorKind> = new Set(['rate_limited', 'unavailable']);

/**
 * A deploy backend refused or failed a call. `kind` says what to do: fix credentials (`auth`, `forbidden`),
 * fix the request (`unknown_ref`, `invalid_request`, `not_found`, `conflict`) or wait and retry (`retryable`).
 */
export class DeployTargetError extends ExternalServiceError {
  declare readonly kind: DeployTargetErrorKind;
  /** The deploy target's name; also the error's `service`. */
  readonly target: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(options: {
    target: string;
    kind: DeployTargetErrorKind;
    message: string;
    status?: number;
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    super({ service: options.target, kind: options.kind, message: options.message, cause: options.cause, ...(options.status !== undefined ? { status: options.status } : {}) });
    this.target = options.target;
    this.retryable = RETRYABLE.has(options.kind);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A deploy or rollback was refused because the environment is inside a freeze window. Nothing was started. */
export class DeployFrozenError extends PolicyDeniedError {
  readonly environment: string;
  /** When the window ends (ms since the epoch). */
  readonly until: number;
  constructor(toolName: string, environment: string, reason: string, until: number) {
    super(
      toolName,
      `${environment} is frozen until ${new Date(until).toISOString()} (${reason}). Wait for the window to end, or ask an operator to change the freeze configuration.`,
    );
    this.environment = environment;
    this.until = until;
  }
}
