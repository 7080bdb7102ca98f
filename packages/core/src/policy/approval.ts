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
 * Code that asks humans; returns one or more decisions (several for the two-person rule).
 * A throw, a timeout or a malformed answer counts as deny.
 */
export type ApprovalHandler = (
  request: ApprovalRequest,
  options: { signal: AbortSignal },
) => Promise<ApprovalDecision | readonly ApprovalDecision[]>;

/** "Approve this tool for this principal until then": ends approval fatigue, every use audited. */
export interface TimeLimitedGrant {
  id: string;
  principalId: string;
  toolName: string;
  /** Only inputs matching these field values are covered (empty: any input of the tool). */
  inputMatch?: Record<string, string | number | boolean>;
  environment: Environment;
  approvers: string[];
  grantedAt: number;
  expiresAt: number;
}

/** Durable record of approval requests, decisions (each decided once), and time-limited grants. */
export interface ApprovalStore {
  /** Stores a new request; it stays pending until decided. */
  putRequest(request: ApprovalRequest): Promise<void>;
  /** The request with that id, or undefined. */
  getRequest(id: string): Promise<ApprovalRequest | undefined>;
  /** Records the decisions of a request exactly once; false when it was already decided (a replay). */
  decide(requestId: string, decisions: readonly ApprovalDecision[], outcome: 'approved' | 'denied'): Promise<boolean>;
  /** Requests not decided yet, oldest first. */
  listPending(principalId?: string): Promise<ApprovalRequest[]>;
  /** Stores a time-limited grant. */
  putGrant(grant: TimeLimitedGrant): Promise<void>;
  /** Grants of a principal still valid at `at`. */
  listGrants(principalId: string, at: number): Promise<TimeLimitedGrant[]>;
}
