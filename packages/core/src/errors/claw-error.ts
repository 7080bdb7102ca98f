/** Stable, machine-readable codes carried by every {@link ClawError}. */
export type ClawErrorCode =
  | 'INVALID_ARGUMENT'
  | 'TOOL_DEFINITION'
  | 'SKILL_DEFINITION'
  | 'SKILL_CONFIG'
  | 'DUPLICATE_TOOL'
  | 'TOOL_NOT_FOUND'
  | 'TOOL_INPUT'
  | 'TOOL_OUTPUT'
  | 'TOOL_EXECUTION'
  | 'TOOL_TIMEOUT'
  | 'PERMISSION_DENIED'
  | 'APPROVAL_DENIED'
  | 'APPROVAL_EXPIRED'
  | 'APPROVAL_FAILED'
  | 'SANDBOX_UNSUPPORTED'
  | 'POLICY_DENIED'
  | 'BUDGET_EXCEEDED'
  | 'ACCESS_DENIED'
  | 'MODEL_ERROR'
  | 'EXTERNAL_SERVICE'
  | 'ABORTED'
  | 'RUN_STATE'
  | 'STORE_ERROR'
  | 'MEMORY_GUARD'
  | 'JOB_DEFINITION';

/** Alias of {@link ClawErrorCode}: the codes a tool-call result's `errorCode` can hold. */
export type ErrorCode = ClawErrorCode;

/**
 * Base class of every error Claw throws. `code` is stable across releases, so callers can branch on it;
 * `message` says what happened and what to do about it.
 */
export class ClawError extends Error {
  readonly code: ClawErrorCode;
  constructor(code: ClawErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
