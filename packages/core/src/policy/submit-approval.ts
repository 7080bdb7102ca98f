import { ApprovalDeniedError, ApprovalExpiredError, type ClawError, InvalidArgumentError } from '../errors';
import type { ApprovalDecision, ApprovalRequest, ApprovalStore } from './approval';
import { normaliseApproverId } from './approver-id';
import { judgeDecisions, type ApprovalFailure } from './evaluate-decisions';

/** Options of {@link submitApproval}. */
export interface SubmitApprovalOptions {
  approvals: ApprovalStore;
  requestId: string;
  /** The human's decision; it must name the request's `inputHash` (what the human reviewed). */
  decision: ApprovalDecision;
  /** The clock, in ms (default `Date.now()`): expiry is judged by it, and it becomes the decision's `decidedAt`. */
  now?: number;
}

/** What a recorded decision did to its request. */
export interface SubmitApprovalResult {
  /**
   * `approved`: enough approvers — the call runs once, when its run is resumed or it is called again;
   * `denied`: settled as denied, it never runs; `awaiting_more_approvers`: the two-person rule needs another.
   */
  outcome: 'approved' | 'denied' | 'awaiting_more_approvers';
  request: ApprovalRequest;
  /** Distinct approvers (normalised ids) who approved so far. */
  approvers: string[];
}

/** A decision's fate: recorded with its effect, or refused with the reason. */
export type RecordedDecision =
  | { ok: true; result: SubmitApprovalResult }
  | { ok: false; failure: ApprovalFailure; error: ClawError };

/**
 * Validates one human decision against a stored request and records it: the same judgement the agent applies
 * (approver ids normalised, the requester never counting under the two-person rule, expiry by the clock and not
 * by a claimed `decidedAt`, bound to the request id and input hash, each approver once, a settled request never
 * again). Refusals are returned, not thrown; {@link submitApproval} throws them.
 */
export async function recordHumanDecision(store: ApprovalStore, request: ApprovalRequest, decision: ApprovalDecision, now: number): Promise<RecordedDecision> {
  const refuse = (failure: ApprovalFailure, error: ClawError): RecordedDecision => ({ ok: false, failure, error });
  const record = await store.getDecisions(request.id);
  if (record.outcome !== undefined) return refuse('replayed', new ApprovalDeniedError(request.toolName, `request ${request.id} was already decided (${record.outcome}); a decision cannot be replayed`));
  const candidate = { ...decision, requestId: decision?.requestId ?? request.id, decidedAt: now } as ApprovalDecision;
  const alone = judgeDecisions(request, [candidate], { now, strictBinding: true, allowPartial: true });
  if (alone.outcome === 'denied' && alone.failure !== 'denied') {
    const error = alone.failure === 'expired' ? new ApprovalExpiredError(`Approval for ${request.toolName} expired: ${alone.reason}`) : new ApprovalDeniedError(request.toolName, alone.reason);
    return refuse(alone.failure, error);
  }
  const approver = normaliseApproverId(candidate.approver);
  if (request.approversRequired >= 2 && candidate.decision === 'approve' && approver === normaliseApproverId(request.principal.id)) {
    return refuse('self-approval', new ApprovalDeniedError(request.toolName, `${approver} asked for this call and cannot be one of the ${request.approversRequired} approvers`));
  }
  const normalised: ApprovalDecision = { ...candidate, approver };
  if (!(await store.recordDecision(request.id, normalised))) {
    return refuse('replayed', new ApprovalDeniedError(request.toolName, `${approver} already decided request ${request.id}, or it was settled meanwhile`));
  }
  const verdict = judgeDecisions(request, [...record.decisions, normalised], { now, strictBinding: true, allowPartial: true });
  if (verdict.outcome === 'denied') {
    await store.decide(request.id, [...record.decisions, normalised], 'denied');
    return { ok: true, result: { outcome: 'denied', request, approvers: [] } };
  }
  return { ok: true, result: { outcome: verdict.outcome === 'approved' ? 'approved' : 'awaiting_more_approvers', request, approvers: verdict.approvers } };
}

/**
 * Records a human decision made out of band (a console, a CLI, a chat approval) for a pending request. The call
 * itself runs when its run is resumed (`agent.resume(state)` reads the store) or, for `agent.callTool`, when it is
 * called again with the same input.
 * @throws InvalidArgumentError for an unknown request id; ApprovalExpiredError when the request expired;
 * ApprovalDeniedError when the decision is malformed, bound to other input, a self-approval under the two-person
 * rule, a second decision of the same approver, or for a request already settled.
 */
export async function submitApproval(options: SubmitApprovalOptions): Promise<SubmitApprovalResult> {
  const request = await options.approvals.getRequest(options.requestId);
  if (!request) throw new InvalidArgumentError(`No approval request "${options.requestId}" is in this approval store; check the id, and that the agent uses the same store.`);
  const recorded = await recordHumanDecision(options.approvals, request, options.decision, options.now ?? Date.now());
  if (!recorded.ok) throw recorded.error;
  return recorded.result;
}
