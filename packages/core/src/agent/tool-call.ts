import type { ToolCall } from '../model/messages';
import type { ApprovalRequest } from '../policy/approval';
import { decideToolCall, type ToolCallDecision, type ToolCallFacts } from '../policy/decide-tool-call';
import type { AuditEventInput } from '../policy/audit-log';
import { raiseAlert, recordAudit, type RunContext } from './agent-runtime';
import { obtainApproval, type ApprovalSource } from './approval-flow';
import { failedCall, performCall, previewCall, type CarriedCall, type FinishedCall } from './tool-execution';

/** A tool call's result, or the approval it waits for. */
export type ToolCallOutcome =
  | ({ type: 'done' } & FinishedCall)
  | { type: 'pending'; request: ApprovalRequest };

/**
 * Carries one tool call through the single decision, {@link decideToolCall}: gathers its facts, records what was
 * decided (every refusal audited), obtains approvals when it asks for them, then previews (sandbox) or performs
 * (production). It decides nothing itself. Every refusal becomes an error result the model can read; it throws
 * only when recording fails (audit log or stores).
 */
export async function processToolCall(ctx: RunContext, call: ToolCall, source: ApprovalSource = { kind: 'new', reuseStored: false }): Promise<ToolCallOutcome> {
  const started = ctx.rt.clock();
  const facts = { ...callFacts(ctx, call), ...(source.kind === 'stored' ? { storedRequest: source.request } : {}) };
  let decision = decideToolCall(call, facts);
  const carried: CarriedCall = { call, started, tool: facts.tool!, input: undefined, tainted: false };
  if (decision.type !== 'reject' || decision.checked) {
    const checked = decision.type === 'reject' ? decision.checked! : decision.checked;
    Object.assign(carried, { input: checked.input, tainted: checked.tainted });
    if (checked.tainted) {
      await raiseAlert(ctx, ctx.rt.monitor.alert('untrusted-influence', 'critical', `${checked.tool.name} was called with values taken from untrusted content (${checked.influence.slice(0, 3).join(', ')}); it will not run without a human approval.`, { principal: ctx.rt.principal, runId: ctx.runId, toolName: checked.tool.name }, undefined, { values: checked.influence }));
    }
    await recordAudit(ctx, { type: 'tool.call', toolCallId: call.id, data: { toolName: checked.tool.name, effect: checked.tool.effect, input: checked.input, scopes: checked.scopes, decision: decision.type === 'reject' ? 'deny' : checked.policy.type, reason: checked.policy.reason, tainted: checked.tainted, ...(source.kind === 'stored' ? { resumed: true } : {}) } });
  }
  if (decision.type === 'needs-approval') {
    const step = await obtainApproval(ctx, call, facts, decision, carried, source);
    if (step.type === 'pending') return { type: 'pending', request: step.request };
    decision = step.decision;
  }
  switch (decision.type) {
    case 'reject':
      await recordRefusal(ctx, call, decision);
      return { type: 'done', ...failedCall(ctx, carried, decision.error, decision.stage === 'lookup' || decision.stage === 'input' || decision.stage === 'sandbox' ? 'error' : 'denied') };
    case 'preview':
      await observeCall(ctx, decision.checked.tool);
      return { type: 'done', ...(await previewCall(ctx, carried)) };
    case 'execute':
      await observeCall(ctx, decision.checked.tool);
      return { type: 'done', ...(await performCall(ctx, carried)) };
    case 'needs-approval':
      // obtainApproval always ends in a decision or a pending request; this keeps the switch exhaustive.
      throw new Error('unreachable: approval was not obtained');
  }
}

/** The facts of a call, gathered from the agent and the run; the decision reads nothing else. */
function callFacts(ctx: RunContext, call: ToolCall): ToolCallFacts {
  return {
    tool: ctx.rt.registry.resolve(call.name)?.tool,
    grants: ctx.rt.grants,
    environment: ctx.rt.environment,
    principal: ctx.rt.principal,
    policy: ctx.rt.policy,
    messages: ctx.messages,
    now: ctx.rt.clock(),
  };
}

/** Audits a refusal under the event of its stage, and raises denial alerts for permission, policy and approval refusals. */
async function recordRefusal(ctx: RunContext, call: ToolCall, decision: Extract<ToolCallDecision, { type: 'reject' }>): Promise<void> {
  const { error, stage } = decision;
  const toolName = decision.checked?.tool.name ?? call.name;
  let event: Omit<AuditEventInput, 'principalId' | 'runId'> | undefined;
  if (stage === 'lookup' || stage === 'input' || stage === 'sandbox') {
    event = { type: 'tool.refused', toolCallId: call.id, data: { toolName, stage, code: error.code, reason: error.message } };
  } else if (stage === 'permission') {
    event = { type: 'permission.denied', toolCallId: call.id, data: { toolName, missingScopes: (error as { missingScopes?: readonly string[] }).missingScopes, input: call.input } };
  } else if (stage === 'policy') {
    event = { type: 'policy.decision', toolCallId: call.id, data: { toolName, decision: 'deny', reason: error.message } };
  }
  // Approval refusals were audited as `approval.denied` with their failure kind when they were settled.
  if (event) await recordAudit(ctx, event);
  const tool = decision.checked?.tool ?? ctx.rt.registry.resolve(call.name)?.tool;
  if (tool && (stage === 'permission' || stage === 'policy' || stage === 'approval')) {
    for (const alert of ctx.rt.monitor.observeDenial({ principal: ctx.rt.principal, runId: ctx.runId, toolName: tool.name, effect: tool.effect, environment: ctx.rt.environment }, error.message)) {
      await raiseAlert(ctx, alert);
    }
  }
}

async function observeCall(ctx: RunContext, tool: CarriedCall['tool']): Promise<void> {
  for (const alert of ctx.rt.monitor.observeCall({ principal: ctx.rt.principal, runId: ctx.runId, toolName: tool.name, effect: tool.effect, environment: ctx.rt.environment })) {
    await raiseAlert(ctx, alert);
  }
}
