import { randomUUID } from 'node:crypto';
import { hashValue } from '../internal/canonical-json';
import { redactSecrets } from '../policy/redact';
import type { ApprovalRequest, TimeLimitedGrant } from '../policy/approval';
import { evaluateDecisions, type ApprovalVerdict } from '../policy/evaluate-decisions';
import type { Tool, ToolPreview } from '../tools/define-tool';
import { recordAudit, type RunContext } from './agent-runtime';

/** What the approval step concluded for a call. */
export type ApprovalOutcome =
  | { type: 'approved'; approvers: string[]; via: 'decision' | 'grant' }
  | { type: 'denied'; reason: string; expired: boolean }
  | { type: 'pending'; request: ApprovalRequest };

/** Builds the request a human sees: the validated input, its hash, the preview, the reason and the expiry. */
export function createApprovalRequest(
  ctx: RunContext,
  tool: Tool,
  toolCallId: string,
  input: unknown,
  preview: ToolPreview | undefined,
  reason: string,
  approversRequired: number,
): ApprovalRequest {
  const now = ctx.rt.clock();
  return {
    id: randomUUID(),
    runId: ctx.runId,
    toolCallId,
    toolName: tool.name,
    effect: tool.effect,
    environment: ctx.rt.environment,
    principal: ctx.rt.principal,
    input,
    inputHash: hashValue(input),
    ...(preview ? { preview } : {}),
    reason,
    requestedAt: now,
    expiresAt: now + ctx.rt.approvalTimeoutMs,
    approversRequired,
  };
}

/** A still-valid time-limited grant covering this call, if any. Tainted calls and two-person tools never use grants. */
export async function findCoveringGrant(ctx: RunContext, request: ApprovalRequest, tainted: boolean): Promise<TimeLimitedGrant | undefined> {
  if (tainted) return undefined;
  const grants = await ctx.rt.approvalStore.listGrants(ctx.rt.principal.id, ctx.rt.clock());
  const input = (request.input ?? {}) as Record<string, unknown>;
  return grants.find(
    (g) =>
      g.toolName === request.toolName &&
      g.environment === request.environment &&
      g.approvers.length >= request.approversRequired &&
      Object.entries(g.inputMatch ?? {}).every(([field, value]) => Object.hasOwn(input, field) && input[field] === value),
  );
}

/**
 * Gets a human decision for a call: a covering time-limited grant, else the approval handler (bounded by the
 * request's expiry; a throw, timeout or malformed answer is a denial), else `pending` so the run suspends.
 */
export async function seekApproval(ctx: RunContext, request: ApprovalRequest, tainted: boolean): Promise<ApprovalOutcome> {
  const grant = await findCoveringGrant(ctx, request, tainted);
  if (grant) {
    await recordAudit(ctx, { type: 'approval.grant-used', toolCallId: request.toolCallId, data: { grantId: grant.id, toolName: request.toolName, approvers: grant.approvers, expiresAt: grant.expiresAt, inputHash: request.inputHash } });
    ctx.emit('approval', { runId: ctx.runId, request, outcome: 'approved', approvers: grant.approvers, reason: `time-limited grant ${grant.id}` });
    return { type: 'approved', approvers: grant.approvers, via: 'grant' };
  }
  // The stored copy is redacted (it may sit in a database); binding uses the hash of the real input.
  await ctx.rt.approvalStore.putRequest(redactSecrets(request, ctx.rt.redaction));
  await recordAudit(ctx, { type: 'approval.requested', toolCallId: request.toolCallId, data: { requestId: request.id, toolName: request.toolName, input: request.input, inputHash: request.inputHash, reason: request.reason, expiresAt: request.expiresAt, approversRequired: request.approversRequired } });
  const handler = ctx.rt.approvals;
  if (!handler) {
    ctx.emit('approval', { runId: ctx.runId, request, outcome: 'pending', approvers: [] });
    return { type: 'pending', request };
  }
  const answer = await askHandler(ctx, request, handler);
  return concludeApproval(ctx, request, evaluateDecisions(request, answer, ctx.rt.clock(), false));
}

async function askHandler(ctx: RunContext, request: ApprovalRequest, handler: NonNullable<RunContext['rt']['approvals']>): Promise<unknown> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<unknown>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve({ timedOut: true });
      }, Math.max(0, request.expiresAt - ctx.rt.clock()));
    });
    return await Promise.race([handler(request, { signal: controller.signal }), timeout]);
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Records a verdict exactly once (a replayed decision for an already-decided request is a denial), audits it,
 * and turns an approval with `grantForMs` into a time-limited grant.
 */
export async function concludeApproval(ctx: RunContext, request: ApprovalRequest, verdict: ApprovalVerdict): Promise<ApprovalOutcome> {
  const outcome = verdict.outcome;
  const decided = verdict.approvers.map((approver) => ({ decision: outcome === 'approved' ? ('approve' as const) : ('deny' as const), approver, requestId: request.id, inputHash: request.inputHash }));
  const firstDecision = await ctx.rt.approvalStore.decide(request.id, decided, outcome);
  if (!firstDecision) verdict = { outcome: 'denied', reason: 'this request was already decided; a decision cannot be replayed', expired: false, approvers: verdict.approvers };
  if (verdict.outcome === 'denied') {
    await recordAudit(ctx, { type: 'approval.denied', toolCallId: request.toolCallId, data: { requestId: request.id, toolName: request.toolName, reason: verdict.reason, approvers: verdict.approvers, inputHash: request.inputHash } });
    ctx.emit('approval', { runId: ctx.runId, request, outcome: 'denied', approvers: verdict.approvers, reason: verdict.reason });
    return { type: 'denied', reason: verdict.reason, expired: verdict.expired };
  }
  await recordAudit(ctx, { type: 'approval.granted', toolCallId: request.toolCallId, data: { requestId: request.id, toolName: request.toolName, approvers: verdict.approvers, inputHash: request.inputHash, grantForMs: verdict.grantForMs } });
  if (verdict.grantForMs !== undefined) {
    const now = ctx.rt.clock();
    await ctx.rt.approvalStore.putGrant({ id: randomUUID(), principalId: request.principal.id, toolName: request.toolName, environment: request.environment, approvers: verdict.approvers, grantedAt: now, expiresAt: now + verdict.grantForMs });
  }
  ctx.emit('approval', { runId: ctx.runId, request, outcome: 'approved', approvers: verdict.approvers });
  return { type: 'approved', approvers: verdict.approvers, via: 'decision' };
}
