import type { ApprovalDecision, ApprovalRequest } from './approval';
import { normaliseApproverId } from './approver-id';

/** The longest time-limited grant an approval can create; longer `grantForMs` values are shortened to it. */
export const MAX_GRANT_FOR_MS = 24 * 60 * 60_000;

/**
 * Why an approval did not go through. Each is recorded distinctly in the audit log: `denied` (a human said no),
 * `malformed` (an answer that is not a decision), `binding` (a decision for another request, call or input),
 * `expired` (decided after the request expired, by the agent's clock), `timeout` (no answer before expiry),
 * `handler-error` (the approval handler threw), `replayed` (the request was already decided), `self-approval`
 * (the requester counted towards the two-person rule) and `insufficient-approvers`.
 */
export type ApprovalFailure =
  | 'denied'
  | 'malformed'
  | 'binding'
  | 'expired'
  | 'timeout'
  | 'handler-error'
  | 'replayed'
  | 'self-approval'
  | 'insufficient-approvers';

/** The verdict on a set of human decisions for one request. */
export type ApprovalVerdict =
  | { outcome: 'approved'; approvers: string[]; grantForMs?: number }
  | { outcome: 'awaiting'; approvers: string[]; needed: number }
  | { outcome: 'denied'; reason: string; failure: ApprovalFailure; expired: boolean; approvers: string[] };

/** Options of {@link judgeDecisions}. */
export interface JudgeOptions {
  /** The agent's clock, in ms: expiry is judged by it, never by a `decidedAt` the answer claims. */
  now: number;
  /**
   * Require `requestId` and `inputHash` on every decision (decisions arriving from outside the process); handlers
   * called in process answer one request, so missing fields are bound to it.
   */
  strictBinding: boolean;
  /** `awaiting` instead of a denial when valid approvals are still short of the number required. */
  allowPartial?: boolean;
}

/**
 * Checks decisions against the request they claim to answer: anything malformed, bound to another call or input,
 * late by the clock, short of distinct (normalised) approvers, or containing a deny is a denial with its reason.
 */
export function judgeDecisions(request: ApprovalRequest, answer: unknown, options: JudgeOptions): ApprovalVerdict {
  const list: unknown[] = Array.isArray(answer) ? answer : [answer];
  const denied = (failure: ApprovalFailure, reason: string, approvers: string[] = []): ApprovalVerdict => ({ outcome: 'denied', reason, failure, expired: failure === 'expired', approvers });
  if (list.length === 0) return denied('malformed', 'no decision was given');
  const decisions: ApprovalDecision[] = [];
  for (const item of list) {
    const d = item as Partial<ApprovalDecision> | null;
    if (d === null || typeof d !== 'object' || (d.decision !== 'approve' && d.decision !== 'deny') || typeof d.approver !== 'string' || normaliseApproverId(d.approver) === '') {
      return denied('malformed', 'the approval answer was malformed (it needs decision "approve" or "deny" and an approver)');
    }
    if (d.grantForMs !== undefined && !(typeof d.grantForMs === 'number' && Number.isFinite(d.grantForMs) && d.grantForMs > 0)) {
      return denied('malformed', `grantForMs must be a positive, finite number of milliseconds (at most ${MAX_GRANT_FOR_MS}), got ${String(d.grantForMs)}`);
    }
    if (options.strictBinding && (d.requestId === undefined || d.inputHash === undefined)) {
      return denied('binding', 'the decision does not name the request and input hash it approves');
    }
    if ((d.requestId !== undefined && d.requestId !== request.id) || (d.toolCallId !== undefined && d.toolCallId !== request.toolCallId)) {
      return denied('binding', 'the decision was made for a different call');
    }
    if (d.inputHash !== undefined && d.inputHash !== request.inputHash) {
      return denied('binding', 'the decision was made for different input than this call has');
    }
    decisions.push(d as ApprovalDecision);
  }
  const approvers = [...new Set(decisions.map((d) => normaliseApproverId(d.approver)))];
  const deny = decisions.find((d) => d.decision === 'deny');
  if (deny) return denied('denied', `${normaliseApproverId(deny.approver)} denied it${deny.reason ? `: ${deny.reason}` : ''}`, approvers);
  if (options.now > request.expiresAt) {
    return denied('expired', `the approval arrived after the request expired at ${new Date(request.expiresAt).toISOString()}`, approvers);
  }
  // Under the two-person rule the requester cannot be one of the two.
  const requester = normaliseApproverId(request.principal.id);
  const counted = request.approversRequired >= 2 ? approvers.filter((a) => a !== requester) : approvers;
  if (counted.length < request.approversRequired) {
    if (options.allowPartial) {
      return { outcome: 'awaiting', approvers: counted, needed: request.approversRequired - counted.length };
    }
    const self = counted.length < approvers.length;
    return denied(
      self ? 'self-approval' : 'insufficient-approvers',
      `it needs ${request.approversRequired} distinct approvers other than the requester and has ${counted.length}`,
      approvers,
    );
  }
  // A grant can never stand in for the two-person rule, so a two-person approval creates none.
  const asked = request.approversRequired >= 2 ? undefined : decisions.find((d) => d.grantForMs !== undefined)?.grantForMs;
  return { outcome: 'approved', approvers: counted, ...(asked !== undefined ? { grantForMs: Math.min(asked, MAX_GRANT_FOR_MS) } : {}) };
}

/**
 * The verdict on an answer to a request, as {@link judgeDecisions} gives it with `allowPartial` off.
 * @deprecated use `decideToolCall` (one decision for a whole call) or `submitApproval` (a decision recorded out of
 * band); kept so existing callers compile.
 */
export function evaluateDecisions(request: ApprovalRequest, answer: unknown, now: number, strictBinding: boolean): Exclude<ApprovalVerdict, { outcome: 'awaiting' }> {
  return judgeDecisions(request, answer, { now, strictBinding }) as Exclude<ApprovalVerdict, { outcome: 'awaiting' }>;
}
