import type { ToolEffect, ToolPreview } from '../tools/define-tool';
import type { Environment, Principal } from './principal';

/** What a human is asked to approve. Built by the agent from the validated call; never from model text. */
export interface ApprovalRequest {
  /** Unique id of this request. */
  id: string;
  runId: string;
  toolCallId: string;
  toolName: string;
  effect: ToolEffect;
  environment: Environment;
  principal: Principal;
  /** The validated input, exactly as it will execute. */
  input: unknown;
  /** SHA-256 of the canonical JSON of `input`: a decision is only valid for this hash. */
  inputHash: string;
  preview?: ToolPreview;
  reason: string;
  requestedAt: number;
  expiresAt: number;
  /** Distinct approvers needed (2 under the two-person rule). */
  approversRequired: number;
  /** The call's sensitive arguments repeat untrusted content; kept so a resumed decision can never lose it. */
  tainted?: boolean;
}

/**
 * A human's answer. Binding fields (`requestId`, `toolCallId`, `inputHash`) must match the request exactly,
 * or the decision is refused. `grantForMs` turns an approval into a time-limited grant for this tool.
 */
export interface ApprovalDecision {
  decision: 'approve' | 'deny';
  approver: string;
  requestId?: string;
  toolCallId?: string;
  inputHash?: string;
  reason?: string;
  /** Approve matching later calls of this tool for this principal for this long. */
  grantForMs?: number;
  decidedAt?: number;
}

/**
 * Code that asks humans; returns one or more decisions (several for the two-person rule), or `'defer'` to leave the
 * request pending in the approval store (the run suspends; record decisions with `submitApproval`). A throw, a
 * timeout or a malformed answer means the call does not run, each recorded as such.
 */
export type ApprovalHandler = (
  request: ApprovalRequest,
  options: { signal: AbortSignal },
) => Promise<ApprovalDecision | readonly ApprovalDecision[] | 'defer'>;

/** "Approve this tool for this principal until then": ends approval fatigue, every use audited. */
export interface TimeLimitedGrant {
  id: string;
  principalId: string;
  toolName: string;
  /** Only inputs matching these field values are covered (empty: any input of the tool). */
  inputMatch?: Record<string, string | number | boolean>;
  environment: Environment;
  /**
   * SHA-256 of the sensitive inputs of the approved call (see `sensitiveInputHash`): the grant covers only calls
   * with the same recipients, channels, refs... A grant without it covers only calls that have no sensitive inputs.
   */
  sensitiveInputHash?: string;
  approvers: string[];
  grantedAt: number;
  expiresAt: number;
}

/** What an approval store holds about the decisions of one request. */
export interface ApprovalRecord {
  /** Human decisions recorded so far (`recordDecision`), or those it was settled with. */
  decisions: ApprovalDecision[];
  /** Set once the request is settled (`decide`): it can then never be used again. */
  outcome?: 'approved' | 'denied';
}

/** Durable record of approval requests, decisions (each decided once), and time-limited grants. */
export interface ApprovalStore {
  /** Stores a new request; it stays pending until decided. */
  putRequest(request: ApprovalRequest): Promise<void>;
  /** The request with that id, or undefined. */
  getRequest(id: string): Promise<ApprovalRequest | undefined>;
  /**
   * Settles a request exactly once, with the decisions it was settled by; false when it was already settled (a
   * replay). An approved request is settled by the agent as it performs the call, so it runs at most once.
   */
  decide(requestId: string, decisions: readonly ApprovalDecision[], outcome: 'approved' | 'denied'): Promise<boolean>;
  /**
   * Records one human's decision on a request that is not settled yet (see `submitApproval`, which validates it
   * first); false when that approver already decided it or it is settled.
   */
  recordDecision(requestId: string, decision: ApprovalDecision): Promise<boolean>;
  /** The decisions recorded for a request and its outcome once settled (empty for an unknown request). */
  getDecisions(requestId: string): Promise<ApprovalRecord>;
  /** Requests not decided yet, oldest first. */
  listPending(principalId?: string): Promise<ApprovalRequest[]>;
  /** Stores a time-limited grant. */
  putGrant(grant: TimeLimitedGrant): Promise<void>;
  /** Grants of a principal still valid at `at`. */
  listGrants(principalId: string, at: number): Promise<TimeLimitedGrant[]>;
}
