import { ApprovalDeniedError, ApprovalExpiredError, submitApproval, type ApprovalDecision, type ApprovalRequest, type ApprovalStore, type AuditLog } from '@claw/core';
import { CliUsageError } from '../cli-error';

/**
 * Every approval decision the CLI makes goes through this module, and this module decides nothing itself: core's
 * `submitApproval` judges the decision against the stored request (bound to the request id, the tool call and the
 * input hash; expiry by the clock; approver ids normalised; the requester never counting under the two-person rule;
 * each approver once, a settled request never again) and records it. The CLI then audits what was recorded.
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
  /** Asks for a time-limited grant for this tool and principal, created when the run resumes with the approval. */
  grantForMs?: number;
}

/** What was recorded, as `submitApproval` reports it. */
export interface RecordedDecision {
  request: ApprovalRequest;
  /** `awaiting_more_approvers`: the two-person rule needs another person's approval before the call runs. */
  outcome: 'approved' | 'denied' | 'awaiting_more_approvers';
  /** The approver as recorded (normalised id). */
  approver: string;
  /** Distinct approvers so far. */
  approvers: string[];
}

/** The stores a decision is recorded and audited in. */
export interface DecisionStores {
  approvals: ApprovalStore;
  audit: AuditLog;
}

/**
 * Records a human decision through core's `submitApproval` and audits it (`approval.decision`, `via: 'cli'`). A
 * decision core refuses (wrong input hash, expired, a self-approval under the two-person rule, a replay, an unknown
 * request) writes nothing and becomes a {@link CliUsageError} naming the reason.
 * @throws CliUsageError for a refused decision or an unknown request.
 */
export async function decideApproval(stores: DecisionStores, human: HumanDecision, now: number): Promise<RecordedDecision> {
  const stored = await stores.approvals.getRequest(human.requestId);
  if (stored === undefined) throw new CliUsageError(`No approval request with id "${human.requestId}": check the id with \`claw approvals list\` and the --store.`);
  const decision: ApprovalDecision = {
    decision: human.decision,
    approver: human.approver,
    requestId: stored.id,
    toolCallId: stored.toolCallId,
    // Without --input-hash the decision is bound to the input `show` and this command print, as stored.
    inputHash: human.inputHash ?? stored.inputHash,
    ...(human.reason !== undefined ? { reason: human.reason } : {}),
    ...(human.grantForMs !== undefined ? { grantForMs: human.grantForMs } : {}),
  };
  let result;
  try {
    result = await submitApproval({ approvals: stores.approvals, requestId: stored.id, decision, now });
  } catch (error) {
    if (error instanceof ApprovalDeniedError || error instanceof ApprovalExpiredError) {
      throw new CliUsageError(`${human.decision === 'approve' ? 'Approval' : 'Denial'} of ${stored.id} refused: ${oneLine(error.message)}. Nothing was recorded.`);
    }
    throw error;
  }
  const { request, outcome, approvers } = result;
  const recorded = (await stores.approvals.getDecisions(request.id)).decisions.at(-1);
  const approver = recorded?.approver ?? human.approver;
  await stores.audit.append({
    type: 'approval.decision',
    principalId: request.principal.id,
    runId: request.runId,
    toolCallId: request.toolCallId,
    at: now,
    data: {
      requestId: request.id,
      toolName: request.toolName,
      decision: human.decision,
      approver,
      outcome,
      approvers,
      approversRequired: request.approversRequired,
      inputHash: request.inputHash,
      ...(human.reason !== undefined ? { reason: human.reason } : {}),
      ...(human.grantForMs !== undefined ? { grantForMs: human.grantForMs } : {}),
      via: 'cli',
    },
  });
  return { request, outcome, approver, approvers };
}

/** True while the request has no settled outcome (it may already hold some approvers' decisions). */
export async function isPending(approvals: ApprovalStore, request: ApprovalRequest): Promise<boolean> {
  return (await approvals.listPending(request.principal.id)).some((r) => r.id === request.id);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\.$/, '').trim();
}
