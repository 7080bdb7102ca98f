import { randomUUID } from 'node:crypto';
import { evaluateDecisions, type ApprovalDecision, type ApprovalRequest, type ApprovalStore, type AuditLog } from '@claw/core';
import { CliUsageError } from '../cli-error';

/**
 * Every approval decision the CLI makes goes through this module, written against the approval store's API:
 * core's `evaluateDecisions` validates the decision against the stored request (binding to the request id, the
 * tool call and the input hash; expiry; distinct approvers), then `approvals.decide` records it exactly once and
 * the audit log gets the outcome. When core offers one function that validates and records a human decision,
 * `decideApproval` becomes a call to it and nothing else in the CLI changes.
 */

/** One person's decision on one stored request, as given on the command line. */
export interface HumanDecision {
  requestId: string;
  decision: 'approve' | 'deny';
  /** Who decides (`--as`). The CLI asserts this identity; it does not authenticate it (see docs/cli.md). */
  approver: string;
  reason?: string;
  /** The input hash the approver reviewed (`--input-hash`): refused when the request's input differs. */
  inputHash?: string;
  /** Turns an approval into a time-limited grant for this tool and principal. */
  grantForMs?: number;
}

/** What was recorded. */
export interface RecordedDecision {
  request: ApprovalRequest;
  outcome: 'approved' | 'denied';
  approvers: string[];
  /** Set when an approval also granted later matching calls until then. */
  grantExpiresAt?: number;
}

/** The stores a decision is validated against and recorded in. */
export interface DecisionStores {
  approvals: ApprovalStore;
  audit: AuditLog;
}

/**
 * Validates a human decision against the stored request and records it once, with an audit entry. An approval the
 * rules refuse (wrong input hash, expired, the requester approving their own request, too few approvers) is
 * refused as a whole: nothing is written and the request stays pending.
 * @throws CliUsageError for an unknown or already decided request, or a refused approval.
 */
export async function decideApproval(stores: DecisionStores, human: HumanDecision, now: number): Promise<RecordedDecision> {
  const request = await stores.approvals.getRequest(human.requestId);
  if (request === undefined) throw new CliUsageError(`No approval request with id "${human.requestId}".`);
  if (!(await isPending(stores.approvals, request))) throw new CliUsageError(`Approval request ${request.id} was already decided; a decision is recorded once.`);
  const approver = human.approver.trim();
  // `--as` is asserted, not authenticated: the person an agent acts for never approves its calls from here,
  // whatever the number of approvers the request needs.
  if (human.decision === 'approve' && sameId(approver, request.principal.id)) {
    throw new CliUsageError(`"${approver}" asked for this call (the agent acts for them) and cannot approve it; another person must.`);
  }
  const decision: ApprovalDecision = {
    decision: human.decision,
    approver,
    requestId: request.id,
    toolCallId: request.toolCallId,
    inputHash: human.inputHash ?? request.inputHash,
    decidedAt: now,
    ...(human.reason !== undefined ? { reason: human.reason } : {}),
    ...(human.grantForMs !== undefined ? { grantForMs: human.grantForMs } : {}),
  };
  const verdict = evaluateDecisions(request, [decision], now, true);
  if (human.decision === 'approve' && verdict.outcome === 'denied') {
    throw new CliUsageError(`Approval of ${request.id} refused: ${verdict.reason}. Nothing was recorded.`);
  }
  const outcome = verdict.outcome;
  const recorded: ApprovalDecision[] = [{ ...decision, decision: outcome === 'approved' ? 'approve' : 'deny' }];
  if (!(await stores.approvals.decide(request.id, recorded, outcome))) {
    throw new CliUsageError(`Approval request ${request.id} was already decided; a decision is recorded once.`);
  }
  const common = { requestId: request.id, toolName: request.toolName, approvers: verdict.approvers, inputHash: request.inputHash, via: 'claw-cli' };
  let grantExpiresAt: number | undefined;
  if (verdict.outcome === 'approved') {
    await stores.audit.append({ type: 'approval.granted', principalId: request.principal.id, runId: request.runId, toolCallId: request.toolCallId, at: now, data: { ...common, grantForMs: verdict.grantForMs } });
    if (verdict.grantForMs !== undefined) {
      grantExpiresAt = now + verdict.grantForMs;
      await stores.approvals.putGrant({ id: randomUUID(), principalId: request.principal.id, toolName: request.toolName, environment: request.environment, approvers: verdict.approvers, grantedAt: now, expiresAt: grantExpiresAt });
    }
  } else {
    await stores.audit.append({ type: 'approval.denied', principalId: request.principal.id, runId: request.runId, toolCallId: request.toolCallId, at: now, data: { ...common, reason: verdict.reason } });
  }
  return { request, outcome, approvers: verdict.approvers, ...(grantExpiresAt !== undefined ? { grantExpiresAt } : {}) };
}

/** True while the request has no recorded decision. */
export async function isPending(approvals: ApprovalStore, request: ApprovalRequest): Promise<boolean> {
  return (await approvals.listPending(request.principal.id)).some((r) => r.id === request.id);
}

/** Ids compared as people type them: case and surrounding spaces do not make a different person. */
function sameId(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
