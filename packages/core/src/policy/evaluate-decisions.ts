import type { ApprovalDecision, ApprovalRequest } from './approval';

/** The verdict on a set of human decisions for one request. */
export type ApprovalVerdict =
  | { outcome: 'approved'; approvers: string[]; grantForMs?: number }
  | { outcome: 'denied'; reason: string; expired: boolean; approvers: string[] };

/**
 * Checks decisions against the request they claim to answer. Anything malformed, bound to another call or input,
 * late, short of distinct approvers, or containing a deny is a denial.
 * @param strictBinding require `requestId` and `inputHash` on every decision (decisions arriving from outside the
 * process, e.g. `agent.resume`); handlers called in process answer one request, so missing fields are bound to it.
 */
export function evaluateDecisions(
  request: ApprovalRequest,
  answer: unknown,
  now: number,
  strictBinding: boolean,
): ApprovalVerdict {
  const list: unknown[] = Array.isArray(answer) ? answer : [answer];
  const denied = (reason: string, expired = false, approvers: string[] = []): ApprovalVerdict => ({ outcome: 'denied', reason, expired, approvers });
  if (list.length === 0) return denied('no decision was given');
  const decisions: ApprovalDecision[] = [];
  for (const item of list) {
    const d = item as Partial<ApprovalDecision> | null;
    if (d === null || typeof d !== 'object' || (d.decision !== 'approve' && d.decision !== 'deny') || typeof d.approver !== 'string' || d.approver.trim() === '') {
      return denied('the approval answer was malformed (it needs decision "approve" or "deny" and an approver)');
    }
    if (strictBinding && (d.requestId === undefined || d.inputHash === undefined)) {
      return denied('the decision does not name the request and input hash it approves');
    }
    if ((d.requestId !== undefined && d.requestId !== request.id) || (d.toolCallId !== undefined && d.toolCallId !== request.toolCallId)) {
      return denied('the decision was made for a different call');
    }
    if (d.inputHash !== undefined && d.inputHash !== request.inputHash) {
      return denied('the decision was made for different input than this call has');
    }
    decisions.push(d as ApprovalDecision);
  }
  const approvers = [...new Set(decisions.map((d) => d.approver))];
  const deny = decisions.find((d) => d.decision === 'deny');
  if (deny) return denied(`${deny.approver} denied it${deny.reason ? `: ${deny.reason}` : ''}`, false, approvers);
  const late = decisions.find((d) => (d.decidedAt ?? now) > request.expiresAt);
  if (late) return denied(`the approval arrived after the request expired at ${new Date(request.expiresAt).toISOString()}`, true, approvers);
  // Under the two-person rule the requester cannot be one of the two.
  const counted = request.approversRequired >= 2 ? approvers.filter((a) => a !== request.principal.id) : approvers;
  if (counted.length < request.approversRequired) {
    return denied(`it needs ${request.approversRequired} distinct approvers and has ${counted.length}`, false, approvers);
  }
  const grantForMs = decisions.find((d) => typeof d.grantForMs === 'number' && d.grantForMs > 0)?.grantForMs;
  return { outcome: 'approved', approvers, ...(grantForMs !== undefined ? { grantForMs } : {}) };
}
