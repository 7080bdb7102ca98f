/**
 * Sequences one console decision: core binds it, then a settled request's run resumes. Nothing here judges a
 * decision: `recordHumanDecision` (the function behind `submitApproval`) checks the input hash, the expiry by the
 * clock, the normalised approver, the requester never counting and the two-person rule, and refuses replays; the
 * agent's `resume` then re-derives the call's fate from the approval store.
 */
import {
  recordHumanDecision,
  type Agent,
  type ApprovalFailure,
  type ApprovalRequest,
  type ApprovalStore,
  type AuditLog,
  type Principal,
  type RunResult,
  type RunState,
  type RunStateStore,
} from '@claw/core';

/**
 * Gives the console the agent that resumes a suspended run: it must offer the same skills and grants as the agent
 * that suspended it (core refuses to resume otherwise). Called with the run's principal and its saved state.
 */
export type AgentFor = (principal: Principal, state: RunState) => Agent | Promise<Agent>;

/** One human decision taken in the console. */
export interface ConsoleDecision {
  request: ApprovalRequest;
  /** The authenticated viewer: the approver. */
  viewer: string;
  decision: 'approve' | 'deny';
  /** The input hash of what the viewer reviewed (from the form); it must match the request's. */
  inputHash: string;
  reason?: string;
  /** The console's clock: expiry is judged by it. */
  now: number;
}

/** What the stores and the host give the decision. */
export interface DecisionContext {
  approvals: ApprovalStore;
  runStates: RunStateStore;
  /** Each recorded decision is audited here (`approval.decision`, `via: 'console'`), before the run resumes. */
  audit: AuditLog;
  agentFor?: AgentFor;
}

/** A decision core refused; nothing was written. `status` is the HTTP status of the refusal page. */
export interface RefusedConsoleDecision {
  type: 'refused';
  /** 403: the viewer may not count (self-approval); 409: other input, a replay, or a decision in flight; 410: expired. */
  status: 403 | 409 | 410;
  /** Core's failure kind, or `in-flight` when another decision of the same run is being carried out here. */
  failure: ApprovalFailure | 'in-flight';
  /** What happened and what to do, for the page. */
  reason: string;
}

/** A decision recorded by core. */
export interface RecordedConsoleDecision {
  type: 'recorded';
  /**
   * `approved` / `denied`: the request is settled; `awaiting_more_approvers`: the two-person rule needs another
   * approver (nothing resumes yet).
   */
  outcome: 'approved' | 'denied' | 'awaiting_more_approvers';
  /** Distinct approvers (normalised ids) who approved so far; the requester never counts. */
  approvers: string[];
  /** How many approvers the request needs. */
  approversRequired: number;
  /** The resumed run's result, when the request is settled and its run was waiting in the run-state store. */
  run?: RunResult;
  /** True when the request is settled but no suspended run of it was found here (the host resumes it). */
  notResumed?: boolean;
}

const STATUS: Partial<Record<ApprovalFailure, 403 | 409 | 410>> = { expired: 410, 'self-approval': 403 };

const WHAT_TO_DO: Partial<Record<ApprovalFailure, string>> = {
  expired: 'The agent has to ask again; the new request appears on this page.',
  binding: 'The call changed after you reviewed it; reload the approvals page and review the current input.',
  replayed: 'Reload the approvals page to see the request as it stands now.',
  'self-approval': 'Someone other than the requester has to decide it.',
};

// One decision per run at a time in this process: two approvals arriving together must not resume the same run
// twice (core settles the call exactly once either way; this keeps the second from continuing the run again).
const inFlight = new Set<string>();

/**
 * Records a console decision through core's `recordHumanDecision`, and when that settles the request and its run
 * waits in the run-state store, resumes the run with `agent.resume(state)` (the run reads the decisions from the
 * approval store). Each recorded decision is audited as `approval.decision` (`via: 'console'`), as the CLI does;
 * refusals write nothing. Who may decide a request at all (the requester's management chain) is the caller's check.
 */
export async function decideApproval(context: DecisionContext, input: ConsoleDecision): Promise<RefusedConsoleDecision | RecordedConsoleDecision> {
  const { request } = input;
  if (inFlight.has(request.runId)) {
    return { type: 'refused', status: 409, failure: 'in-flight', reason: 'Another decision for this run is being carried out right now; reload the approvals page in a moment to see its outcome.' };
  }
  inFlight.add(request.runId);
  try {
    return await decideOnce(context, input);
  } finally {
    inFlight.delete(request.runId);
  }
}

async function decideOnce(context: DecisionContext, input: ConsoleDecision): Promise<RefusedConsoleDecision | RecordedConsoleDecision> {
  const { request } = input;
  const recorded = await recordHumanDecision(
    context.approvals,
    request,
    { decision: input.decision, approver: input.viewer, requestId: request.id, toolCallId: request.toolCallId, inputHash: input.inputHash, decidedAt: input.now, ...(input.reason ? { reason: input.reason } : {}) },
    input.now,
  );
  if (!recorded.ok) {
    const hint = WHAT_TO_DO[recorded.failure];
    return { type: 'refused', status: STATUS[recorded.failure] ?? 409, failure: recorded.failure, reason: `${recorded.error.message}.${hint ? ` ${hint}` : ''}` };
  }
  const { outcome, approvers } = recorded.result;
  const approver = (await context.approvals.getDecisions(request.id)).decisions.at(-1)?.approver ?? input.viewer;
  await context.audit.append({
    type: 'approval.decision',
    principalId: request.principal.id,
    runId: request.runId,
    toolCallId: request.toolCallId,
    at: input.now,
    data: {
      requestId: request.id, toolName: request.toolName, decision: input.decision, approver, outcome, approvers,
      approversRequired: request.approversRequired, inputHash: request.inputHash, ...(input.reason ? { reason: input.reason } : {}), via: 'console',
    },
  });
  const decided: RecordedConsoleDecision = { type: 'recorded', outcome, approvers, approversRequired: request.approversRequired };
  if (outcome === 'awaiting_more_approvers') return decided;

  const state = await context.runStates.load(request.runId);
  const waiting = state?.pending.some((p) => p.status === 'awaiting_approval' && p.request?.id === request.id);
  if (!state || !waiting || !context.agentFor) return { ...decided, notResumed: true };
  const agent = await context.agentFor(state.principal, state);
  return { ...decided, run: await agent.resume(state) };
}
