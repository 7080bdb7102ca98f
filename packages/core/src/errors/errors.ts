import { ClawError } from './claw-error';

/** A function was called with an argument it cannot use (bad option, wrong type, out of range). */
export class InvalidArgumentError extends ClawError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', message, options);
  }
}

/** A tool definition is malformed (bad name, missing schema, unknown effect). Thrown by `defineTool`. */
export class ToolDefinitionError extends ClawError {
  constructor(message: string) {
    super('TOOL_DEFINITION', message);
  }
}

/** A skill definition is malformed, or one of its tools uses a scope the skill does not declare. */
export class SkillDefinitionError extends ClawError {
  constructor(message: string) {
    super('SKILL_DEFINITION', message);
  }
}

/** `skill.configure(config)` was given a configuration its schema rejects. */
export class SkillConfigError extends ClawError {
  readonly issues: readonly { path: string; message: string }[];
  constructor(skill: string, issues: readonly { path: string; message: string }[]) {
    super(
      'SKILL_CONFIG',
      `Skill "${skill}" configuration is invalid: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}. Fix the values passed to configure().`,
    );
    this.issues = issues;
  }
}

/** Two tools with one name were registered. Tool names must be unique across all skills of an agent. */
export class DuplicateToolError extends ClawError {
  constructor(name: string) {
    super('DUPLICATE_TOOL', `A tool named "${name}" is already registered. Rename one of them: tool names are unique per agent.`);
  }
}

/** The model asked for a tool that does not exist for this agent (or is not granted, which looks the same to it). */
export class ToolNotFoundError extends ClawError {
  readonly toolName: string;
  constructor(toolName: string) {
    super('TOOL_NOT_FOUND', `No tool named "${toolName}" is available. Use one of the tools listed in the request.`);
    this.toolName = toolName;
  }
}

/** Tool input failed its zod schema. Sent back to the model as an error result it can correct. */
export class ToolInputError extends ClawError {
  readonly toolName: string;
  readonly issues: readonly { path: string; message: string }[];
  constructor(toolName: string, issues: readonly { path: string; message: string }[]) {
    super(
      'TOOL_INPUT',
      `Invalid input for tool "${toolName}": ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}. Call the tool again with input that matches its schema.`,
    );
    this.toolName = toolName;
    this.issues = issues;
  }
}

/** A tool returned output its declared `output` schema rejects: a bug in the tool, reported to the model as an error. */
export class ToolOutputError extends ClawError {
  constructor(toolName: string, detail: string) {
    super('TOOL_OUTPUT', `Tool "${toolName}" returned output that does not match its output schema: ${detail}.`);
  }
}

/** A tool threw while executing. The original error is the `cause`. */
export class ToolExecutionError extends ClawError {
  readonly toolName: string;
  constructor(toolName: string, cause: unknown) {
    super('TOOL_EXECUTION', `Tool "${toolName}" failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.toolName = toolName;
  }
}

/** A tool ran past its `timeoutMs` and was aborted through its signal. */
export class ToolTimeoutError extends ClawError {
  readonly toolName: string;
  readonly timeoutMs: number;
  constructor(toolName: string, timeoutMs: number) {
    super('TOOL_TIMEOUT', `Tool "${toolName}" did not finish within ${timeoutMs} ms and was aborted.`);
    this.toolName = toolName;
    this.timeoutMs = timeoutMs;
  }
}

/** The principal lacks a scope a tool needs. Nothing was executed. */
export class PermissionDeniedError extends ClawError {
  readonly toolName: string;
  readonly missingScopes: readonly string[];
  constructor(toolName: string, missingScopes: readonly string[]) {
    super(
      'PERMISSION_DENIED',
      `Tool "${toolName}" needs scope(s) ${missingScopes.map((s) => `"${s}"`).join(', ')}, which this agent was not granted. An operator can add them to the agent's grants.`,
    );
    this.toolName = toolName;
    this.missingScopes = missingScopes;
  }
}

/** A policy rule denies this call outright. */
export class PolicyDeniedError extends ClawError {
  readonly toolName: string;
  readonly reason: string;
  constructor(toolName: string, reason: string) {
    super('POLICY_DENIED', `Tool "${toolName}" was denied by policy: ${reason}`);
    this.toolName = toolName;
    this.reason = reason;
  }
}

/**
 * An approval request was not approved: a human denied it, or the answer was malformed, bound to another call or
 * input, replayed, or short of the approvers required. Nothing was executed.
 */
export class ApprovalDeniedError extends ClawError {
  readonly toolName: string;
  readonly reason: string;
  constructor(toolName: string, reason: string) {
    super('APPROVAL_DENIED', `Tool "${toolName}" was not approved: ${reason}`);
    this.toolName = toolName;
    this.reason = reason;
  }
}

/** The approval handler threw, so nobody decided; the call did not run. Fix the handler or approve out of band. */
export class ApprovalFailedError extends ClawError {
  readonly toolName: string;
  constructor(toolName: string, detail: string, options?: { cause?: unknown }) {
    super('APPROVAL_FAILED', `Approval for tool "${toolName}" could not be obtained because the approval handler failed: ${detail}. The call did not run; fix the handler, or record a decision with submitApproval and resume.`, options);
    this.toolName = toolName;
  }
}

/**
 * A service behind a skill (an API, a mail server, a ticket system) failed or refused a request. Skill packages
 * throw it (or a subclass) from tools; `service` names the service and `kind` is the skill's own detail.
 */
export class ExternalServiceError extends ClawError {
  readonly service: string;
  readonly kind: string | undefined;
  readonly status: number | undefined;
  constructor(options: { service: string; message: string; kind?: string; status?: number; cause?: unknown }) {
    super('EXTERNAL_SERVICE', options.message, { cause: options.cause });
    this.service = options.service;
    this.kind = options.kind;
    this.status = options.status;
  }
}

/** An approval arrived after its expiry, or a time-limited grant has lapsed. */
export class ApprovalExpiredError extends ClawError {
  constructor(message: string) {
    super('APPROVAL_EXPIRED', message);
  }
}

/** A tool with side effects has no `preview`, so it cannot run in the sandbox environment. */
export class SandboxUnsupportedError extends ClawError {
  constructor(toolName: string) {
    super(
      'SANDBOX_UNSUPPORTED',
      `Tool "${toolName}" has side effects and no preview(), so it cannot run in the sandbox environment. Add a preview() to the tool, or run in production with approvals.`,
    );
  }
}

/** A model call was refused because a budget cannot cover even its input. */
export class BudgetExceededError extends ClawError {
  readonly budgetKey: string;
  readonly requiredTokens: number;
  readonly remainingTokens: number;
  constructor(budgetKey: string, requiredTokens: number, remainingTokens: number, detail?: string) {
    super(
      'BUDGET_EXCEEDED',
      `Budget "${budgetKey}" cannot cover this model call: it needs at least ${requiredTokens} tokens and ${Math.max(0, remainingTokens)} remain${detail ? ` (${detail})` : ''}. Wait for the window to roll over or raise the limit.`,
    );
    this.budgetKey = budgetKey;
    this.requiredTokens = requiredTokens;
    this.remainingTokens = remainingTokens;
  }
}

/** A viewer asked for usage they may not see (not the person, not in their management chain). */
export class AccessDeniedError extends ClawError {
  readonly viewerId: string;
  readonly subjectId: string;
  constructor(viewerId: string, subjectId: string) {
    super(
      'ACCESS_DENIED',
      `"${viewerId}" may not view usage of "${subjectId}": only the person and their management chain can. Ask ${subjectId} or their manager.`,
    );
    this.viewerId = viewerId;
    this.subjectId = subjectId;
  }
}

/** What went wrong at the provider, normalised across providers. */
export type ModelErrorKind =
  | 'auth'
  | 'rate_limit'
  | 'server'
  | 'connection'
  | 'timeout'
  | 'bad_request'
  | 'not_found'
  | 'aborted'
  | 'invalid_response';

/**
 * A model provider failed. `retryable` says whether another attempt may succeed; `retryAfterMs` carries the
 * provider's Retry-After when it sent one. The failed attempt is still metered (status `error`).
 */
export class ModelError extends ClawError {
  readonly provider: string;
  readonly kind: ModelErrorKind;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(options: {
    provider: string;
    kind: ModelErrorKind;
    message: string;
    status?: number;
    requestId?: string;
    retryable?: boolean;
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    super('MODEL_ERROR', options.message, { cause: options.cause });
    this.provider = options.provider;
    this.kind = options.kind;
    this.status = options.status;
    this.requestId = options.requestId;
    this.retryable =
      options.retryable ?? ['rate_limit', 'server', 'connection', 'timeout'].includes(options.kind);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The caller's AbortSignal fired. */
export class AbortedError extends ClawError {
  constructor(message = 'The operation was aborted by its AbortSignal.') {
    super('ABORTED', message);
  }
}

/** A suspended run state cannot be resumed: malformed, already finished, or decisions that do not match it. */
export class RunStateError extends ClawError {
  constructor(message: string) {
    super('RUN_STATE', message);
  }
}

/** A durable store failed or found data it will not touch (foreign schema, corrupt file, bad connection string). */
export class StoreError extends ClawError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_ERROR', message, options);
  }
}

/** A memory rewrite was refused because it would drop more of what is known than allowed. */
export class MemoryGuardError extends ClawError {
  constructor(message: string) {
    super('MEMORY_GUARD', message);
  }
}

/** A background job is malformed (bad name, cron pattern or time zone), or a job name is scheduled twice. */
export class JobDefinitionError extends ClawError {
  constructor(message: string) {
    super('JOB_DEFINITION', message);
  }
}
