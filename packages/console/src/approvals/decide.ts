/**
 * The one place the console decides an approval request and resumes its run. Everything that judges a human
 * decision is delegated to core (`evaluateDecisions` for the binding, expiry and approver count; the agent's own
 * resume for recording the decision exactly once); this module only sequences those calls for one POST.
 */
import {
  evaluateDecisions,
  type Agent,
  type ApprovalDecision,
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
  now: number;
}

/** What the stores and the host give the decision. */
export interface DecisionContext {
  approvals: ApprovalStore;
  runStates: RunStateStore;
  audit: AuditLog;
  agentFor?: AgentFor;
}

/** A decision the console refused; nothing was written. `status` is the HTTP status of the refusal page. */
export interface RefusedDecision {
  type: 'refused';
  status: 403 | 409 | 410;
  reason: string;
}

/** A decision recorded; `run` is the resumed run's result when the run was waiting in the run-state store. */
export interface RecordedDecision {
  type: 'recorded';
  outcome: 'approved' | 'denied';
  /** Why it was denied, when it was. */
  reason?: string;
  run?: RunResult;
  /** True when no suspended run was found to resume (the decision is only recorded). */
  notResumed?: boolean;
}

const inFlight = new Set<string>();

const normalise = (id: string) => id.normalize('NFKC').trim().toLowerCase();

/**
 * Validates a console decision and records it: through the agent's resume when the run waits in the run-state
 * store (the run continues in this request), otherwise in the approval store and the audit log. Refused
 * decisions (another input, expired, already decided, self-approval, the two-person rule) write nothing.
 */
export async function decideApproval(context: DecisionContext, input: ConsoleDecision): Promise<RefusedDecision | RecordedDecision> {
  const { request } = input;
  if (inFlight.has(request.id) || inFlight.has(`run:${request.runId}`)) {
    return { type: 'refused', status: 409, reason: 'Another decision for this request or run is being recorded right now; reload the page to see its outcome.' };
  }
  inFlight.add(request.id);
  inFlight.add(`run:${request.runId}`);
  try {
    return await decideOnce(context, input);
  } finally {
    inFlight.delete(request.id);
    inFlight.delete(`run:${request.runId}`);
  }
}

async function decideOnce(context: DecisionContext, input: ConsoleDecision): Promise<RefusedDecision | RecordedDecision> {
  const { request, viewer, now } = input;
  const pending = await context.approvals.listPending(request.principal.id);
  if (!pending.some((r) => r.id === request.id)) {
    return { type: 'refused', status: 409, reason: 'This request was already decided; a decision cannot be replayed.' };
  }
  if (normalise(viewer) === normalise(request.principal.id)) {
    return { type: 'refused', status: 403, reason: 'You asked for this call; someone else has to approve or deny it.' };
  }
  const decision: ApprovalDecision = {
    decision: input.decision,
    approver: viewer,
    requestId: request.id,
    toolCallId: request.toolCallId,
    inputHash: input.inputHash,
    decidedAt: now,
    ...(input.reason ? { reason: input.reason } : {}),
  };
  const verdict = evaluateDecisions(request, [decision], now, true);
  if (verdict.outcome === 'denied' && input.decision === 'approve') {
    if (verdict.expired) return { type: 'refused', status: 410, reason: `Refused: ${verdict.reason}. Ask for the call again.` };
    const twoPerson = request.approversRequired >= 2 ? ' This console records one approver at a time, which this approval store cannot collect yet: record the decisions together through the API (agent.resume with every approver).' : '';
    return { type: 'refused', status: 409, reason: `Refused: ${verdict.reason}.${twoPerson}` };
  }
  if (input.decision === 'deny' && input.inputHash !== request.inputHash) {
    return { type: 'refused', status: 409, reason: 'Refused: the decision was made for different input than this call has.' };
  }

  const state = await context.runStates.load(request.runId);
  const waiting = state?.pending.some((p) => p.status === 'awaiting_approval' && p.request?.id === request.id);
  if (state && waiting && context.agentFor) {
    const agent = await context.agentFor(state.principal, state);
    const run = await agent.resume(state, [decision]);
    const denied = run.steps[0]?.toolResults.find((r) => r.call.id === request.toolCallId && r.status === 'denied');
    return denied
      ? { type: 'recorded', outcome: 'denied', reason: denied.content, run }
      : { type: 'recorded', outcome: verdict.outcome, run, ...(verdict.outcome === 'denied' ? { reason: verdict.reason } : {}) };
  }

  const outcome = verdict.outcome;
  const recorded = verdict.approvers.map((approver) => ({ ...decision, approver }));
  if (!(await context.approvals.decide(request.id, recorded.length > 0 ? recorded : [decision], outcome))) {
    return { type: 'refused', status: 409, reason: 'This request was already decided; a decision cannot be replayed.' };
  }
  await context.audit.append({
    type: outcome === 'approved' ? 'approval.granted' : 'approval.denied',
    principalId: request.principal.id,
    runId: request.runId,
    toolCallId: request.toolCallId,
    data: { requestId: request.id, toolName: request.toolName, approvers: [viewer], inputHash: request.inputHash, via: 'console', ...(outcome === 'denied' ? { reason: verdict.outcome === 'denied' ? verdict.reason : '' } : {}) },
  });
  return { type: 'recorded', outcome, notResumed: true, ...(outcome === 'denied' && verdict.outcome === 'denied' ? { reason: verdict.reason } : {}) };
}
