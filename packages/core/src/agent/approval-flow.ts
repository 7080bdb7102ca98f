import { randomUUID } from 'node:crypto';
import type { ToolCall } from '../model/messages';
import type { ApprovalDecision, ApprovalRequest } from '../policy/approval';
import { decideToolCall, type ApprovalAnswer, type ToolCallDecision, type ToolCallFacts } from '../policy/decide-tool-call';
import { redactSecrets } from '../policy/redact';
import { recordHumanDecision } from '../policy/submit-approval';
import { recordAudit, type RunContext } from './agent-runtime';
import { approverPreview, type CarriedCall } from './tool-execution';

type NeedsApproval = Extract<ToolCallDecision, { type: 'needs-approval' }>;

/** Where the human answer for a call comes from. */
export type ApprovalSource =
  /** A new call: a time-limited grant, else a new request for the handler (or pending). */
  | { kind: 'new'; reuseStored: boolean }
  /** A suspended call: its stored request, with decisions given to `resume` or recorded in the store. */
  | { kind: 'stored'; request: ApprovalRequest; given?: readonly ApprovalDecision[] };

/** The final decision after approval, or the request the call waits for. */
export type ApprovalStep = { type: 'decided'; decision: ToolCallDecision; request?: ApprovalRequest } | { type: 'pending'; request: ApprovalRequest };

/**
 * Obtains the human side of a call that needs approval and asks {@link decideToolCall} again with it. This module
 * gathers facts (grants, stored requests, handler answers) and records them; it decides nothing itself.
 */
export async function obtainApproval(ctx: RunContext, call: ToolCall, facts: ToolCallFacts, needs: NeedsApproval, carried: CarriedCall, source: ApprovalSource): Promise<ApprovalStep> {
  const store = ctx.rt.approvalStore;
  if (source.kind === 'stored') return answerStored(ctx, call, facts, source.request, source.given);
  if (!needs.checked.tainted && needs.approversRequired < 2) {
    const timeLimitedGrants = await store.listGrants(ctx.rt.principal.id, facts.now);
    const decision = decideToolCall(call, { ...facts, timeLimitedGrants });
    if (decision.type === 'execute' && decision.grant) {
      const grant = decision.grant;
      await recordAudit(ctx, { type: 'approval.grant-used', toolCallId: call.id, data: { grantId: grant.id, toolName: grant.toolName, approvers: grant.approvers, expiresAt: grant.expiresAt, inputHash: needs.checked.inputHash } });
      return { type: 'decided', decision };
    }
  }
  if (source.reuseStored) {
    const now = ctx.rt.clock();
    const stored = (await store.listPending(ctx.rt.principal.id)).find((r) => r.toolName === call.name && r.inputHash === needs.checked.inputHash && r.environment === ctx.rt.environment && r.expiresAt >= now);
    if (stored) return answerStored(ctx, call, facts, stored, undefined);
  }
  const request = await createApprovalRequest(ctx, call, needs, carried);
  const handler = ctx.rt.approvals;
  const answer = handler ? await askHandler(ctx, request, handler) : 'defer';
  if (answer === 'defer') {
    ctx.emit('approval', { runId: ctx.runId, request, outcome: 'pending', approvers: [] });
    return { type: 'pending', request };
  }
  return settle(ctx, call, facts, request, decideToolCall(call, { ...facts, now: ctx.rt.clock(), approval: { request, answer } }), answer);
}

async function answerStored(ctx: RunContext, call: ToolCall, facts: ToolCallFacts, request: ApprovalRequest, given: readonly ApprovalDecision[] | undefined): Promise<ApprovalStep> {
  const store = ctx.rt.approvalStore;
  for (const decision of given ?? []) {
    const recorded = await recordHumanDecision(store, request, decision, ctx.rt.clock());
    if (!recorded.ok) {
      const decision: ToolCallDecision = { type: 'reject', stage: 'approval', failure: recorded.failure, error: recorded.error };
      return settle(ctx, call, facts, request, decision, undefined);
    }
  }
  const record = await store.getDecisions(request.id);
  // Approved and settled means the call already ran: a replay. Denied out of band (submitApproval) is judged from
  // the recorded decisions, so the denial keeps the approver and their reason.
  let answer: ApprovalAnswer = record.outcome === 'approved' ? { kind: 'replayed' } : { kind: 'decisions', source: 'recorded', decisions: record.decisions };
  let decision = decideToolCall(call, { ...facts, now: ctx.rt.clock(), approval: { request, answer } });
  // A request settled as denied never runs, whatever its recorded decisions would say now.
  if (record.outcome === 'denied' && decision.type !== 'reject') {
    answer = { kind: 'replayed' };
    decision = decideToolCall(call, { ...facts, now: ctx.rt.clock(), approval: { request, answer } });
  }
  if (decision.type === 'needs-approval') return { type: 'pending', request };
  return settle(ctx, call, facts, request, decision, answer);
}

/** Builds, stores (redacted) and audits the request a human sees: the validated input, its hash, the preview, the reason. */
async function createApprovalRequest(ctx: RunContext, call: ToolCall, needs: NeedsApproval, carried: CarriedCall): Promise<ApprovalRequest> {
  const now = ctx.rt.clock();
  const preview = await approverPreview(ctx, carried);
  const { checked } = needs;
  const request: ApprovalRequest = {
    id: randomUUID(),
    runId: ctx.runId,
    toolCallId: call.id,
    toolName: checked.tool.name,
    effect: checked.tool.effect,
    environment: ctx.rt.environment,
    principal: ctx.rt.principal,
    input: checked.input,
    inputHash: checked.inputHash,
    ...(preview ? { preview } : {}),
    reason: needs.reason,
    requestedAt: now,
    expiresAt: now + ctx.rt.approvalTimeoutMs,
    approversRequired: needs.approversRequired,
    ...(checked.tainted ? { tainted: true } : {}),
  };
  // The stored copy is redacted (it may sit in a database); binding uses the hash of the real input.
  await ctx.rt.approvalStore.putRequest(redactSecrets(request, ctx.rt.redaction));
  await recordAudit(ctx, { type: 'approval.requested', toolCallId: call.id, data: { requestId: request.id, toolName: request.toolName, input: request.input, inputHash: request.inputHash, reason: request.reason, expiresAt: request.expiresAt, approversRequired: request.approversRequired } });
  return request;
}

/** Asks the handler, bounded by the request's expiry; a timeout and a throw are told apart. */
async function askHandler(ctx: RunContext, request: ApprovalRequest, handler: NonNullable<RunContext['rt']['approvals']>): Promise<ApprovalAnswer | 'defer'> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<ApprovalAnswer>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve({ kind: 'timeout' });
      }, Math.max(0, request.expiresAt - ctx.rt.clock()));
    });
    const answered = Promise.resolve(handler(request, { signal: controller.signal })).then((decisions): ApprovalAnswer | 'defer' => (decisions === 'defer' ? 'defer' : { kind: 'decisions', source: 'handler', decisions }));
    return await Promise.race([answered, timeout]);
  } catch (error) {
    return { kind: 'handler-error', message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Carries out an approval decision: settles the request exactly once (an approval whose request was settled
 * meanwhile becomes a replay refusal), audits it with its failure kind, and turns `grantForMs` into a grant bound
 * to the call's sensitive inputs.
 */
async function settle(ctx: RunContext, call: ToolCall, facts: ToolCallFacts, request: ApprovalRequest, decision: ToolCallDecision, answer: ApprovalAnswer | undefined): Promise<ApprovalStep> {
  const store = ctx.rt.approvalStore;
  const approvers = decision.type === 'execute' || decision.type === 'reject' ? (decision.approvers ?? []) : [];
  const settled = approvers.map((approver) => ({ decision: decision.type === 'execute' ? ('approve' as const) : ('deny' as const), approver, requestId: request.id, inputHash: request.inputHash, decidedAt: ctx.rt.clock() }));
  if (decision.type === 'execute') {
    if (!(await store.decide(request.id, settled, 'approved'))) {
      decision = decideToolCall(call, { ...facts, approval: { request, answer: { kind: 'replayed' } } });
    }
  } else if (decision.type === 'reject' && decision.failure !== 'replayed' && !(answer?.kind === 'replayed')) {
    await store.decide(request.id, settled, 'denied');
  }
  if (decision.type === 'reject') {
    const reason = decision.error.message;
    await recordAudit(ctx, { type: 'approval.denied', toolCallId: call.id, data: { requestId: request.id, toolName: request.toolName, failure: decision.failure, code: decision.error.code, reason, approvers, inputHash: request.inputHash } });
    ctx.emit('approval', { runId: ctx.runId, request, outcome: 'denied', approvers, reason });
    return { type: 'decided', decision, request };
  }
  if (decision.type === 'execute') {
    await recordAudit(ctx, { type: 'approval.granted', toolCallId: call.id, data: { requestId: request.id, toolName: request.toolName, approvers, inputHash: request.inputHash, grantForMs: decision.grantForMs } });
    if (decision.grantForMs !== undefined) {
      const now = ctx.rt.clock();
      await store.putGrant({ id: randomUUID(), principalId: request.principal.id, toolName: request.toolName, environment: request.environment, sensitiveInputHash: decision.checked.sensitiveInputHash, approvers, grantedAt: now, expiresAt: now + decision.grantForMs });
    }
    ctx.emit('approval', { runId: ctx.runId, request, outcome: 'approved', approvers });
  }
  return { type: 'decided', decision, request };
}
