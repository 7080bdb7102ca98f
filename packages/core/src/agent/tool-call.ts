import {
  AbortedError,
  ApprovalDeniedError,
  ApprovalExpiredError,
  ClawError,
  PermissionDeniedError,
  PolicyDeniedError,
  SandboxUnsupportedError,
  ToolExecutionError,
  ToolInputError,
  ToolNotFoundError,
  ToolOutputError,
  ToolTimeoutError,
} from '../errors';
import type { ToolCall } from '../model/messages';
import type { ApprovalRequest } from '../policy/approval';
import { decidePolicy, type PolicyDecision } from '../policy/decide-policy';
import { evaluateDecisions } from '../policy/evaluate-decisions';
import { missingScopes, resolveScope } from '../policy/scopes';
import { detectInjection, findUntrustedInfluence, wrapUntrusted } from '../policy/untrusted-content';
import type { Tool, ToolContext, ToolPreview } from '../tools/define-tool';
import { formatZodIssues, validateToolInput } from '../tools/tool-registry';
import { raiseAlert, recordAudit, type RunContext } from './agent-runtime';
import { concludeApproval, createApprovalRequest, seekApproval } from './approval-flow';
import type { ToolCallResult } from './run-result';

/** A tool call's result, or the approval it waits for. */
export type ToolCallOutcome =
  | { type: 'done'; result: ToolCallResult; untrusted: boolean }
  | { type: 'pending'; request: ApprovalRequest };

/** A validated, permitted call on its way through policy. */
interface CheckedCall {
  call: ToolCall;
  tool: Tool;
  input: unknown;
  scopes: string[];
  tainted: boolean;
  started: number;
}

/**
 * Runs one tool call through the whole pipeline: lookup (granted tools only), input validation, permission,
 * policy, approval, then preview (sandbox) or execute (production), audit and alerts. Every refusal becomes an
 * error result the model can read; nothing here throws except an audit-log failure.
 */
export async function processToolCall(ctx: RunContext, call: ToolCall): Promise<ToolCallOutcome> {
  const started = ctx.rt.clock();
  const registered = ctx.rt.registry.resolve(call.name);
  if (!registered) return fail(ctx, call, started, new ToolNotFoundError(call.name), 'error');
  const { tool } = registered;
  if (call.parseError !== undefined) {
    return fail(ctx, call, started, new ToolInputError(tool.name, [{ path: '', message: `arguments are not valid JSON (${call.parseError})` }]), 'error');
  }
  const validation = validateToolInput(tool, call.input);
  if (!validation.success) return fail(ctx, call, started, validation.error, 'error');
  const input = validation.input;
  const scopes = tool.scopes.map((s) => resolveScope(s, input));
  const missing = missingScopes(ctx.rt.grants, tool.scopes, input);
  if (missing.length > 0) {
    const error = new PermissionDeniedError(tool.name, missing);
    await recordAudit(ctx, { type: 'permission.denied', toolCallId: call.id, data: { toolName: tool.name, missingScopes: missing, input } });
    await alertDenial(ctx, tool, error.message);
    return fail(ctx, call, started, error, 'denied');
  }

  const influence = findUntrustedInfluence(sensitivePart(tool, input), ctx.untrustedText, ctx.trustedText);
  const checked: CheckedCall = { call, tool, input, scopes, tainted: influence.length > 0, started };
  if (checked.tainted) {
    await raiseAlert(ctx, ctx.rt.monitor.alert('untrusted-influence', 'critical', `${tool.name} was called with values taken from untrusted content (${influence.slice(0, 3).join(', ')}); it will not run without a human approval.`, { principal: ctx.rt.principal, runId: ctx.runId, toolName: tool.name }, undefined, { values: influence }));
  }
  const decision = decidePolicy(
    { toolName: tool.name, effect: tool.effect, environment: ctx.rt.environment, scopes, input, tainted: checked.tainted },
    ctx.rt.policy,
  );
  await recordAudit(ctx, { type: 'tool.call', toolCallId: call.id, data: { toolName: tool.name, effect: tool.effect, input, scopes, decision: decision.type, reason: decision.reason, tainted: checked.tainted } });
  return applyDecision(ctx, checked, decision);
}

async function applyDecision(ctx: RunContext, checked: CheckedCall, decision: PolicyDecision): Promise<ToolCallOutcome> {
  const { call, tool } = checked;
  if (decision.type === 'deny') {
    const error = new PolicyDeniedError(tool.name, decision.reason);
    await alertDenial(ctx, tool, error.message);
    return fail(ctx, call, checked.started, error, 'denied');
  }
  const sandboxed = ctx.rt.environment === 'sandbox' && tool.effect !== 'read';
  // In the sandbox nothing is performed, so there is nothing to approve: the preview is the result.
  if (decision.type === 'approval' && !sandboxed) {
    const preview = tool.preview ? await safePreview(ctx, tool, checked) : undefined;
    const request = createApprovalRequest(ctx, tool, call.id, checked.input, preview, decision.reason, decision.approversRequired);
    const outcome = await seekApproval(ctx, request, checked.tainted);
    if (outcome.type === 'pending') return { type: 'pending', request };
    if (outcome.type === 'denied') {
      const error = outcome.expired ? new ApprovalExpiredError(`Approval for ${tool.name} expired: ${outcome.reason}`) : new ApprovalDeniedError(tool.name, outcome.reason);
      await alertDenial(ctx, tool, error.message);
      return fail(ctx, call, checked.started, error, 'denied');
    }
  }
  return perform(ctx, checked, sandboxed);
}

/**
 * Continues a call suspended for approval with the decisions given to `resume`: bound strictly to the request
 * (id, input hash), decided once.
 */
export async function resumeToolCall(ctx: RunContext, call: ToolCall, request: ApprovalRequest, answer: unknown): Promise<ToolCallOutcome> {
  const started = ctx.rt.clock();
  const registered = ctx.rt.registry.resolve(call.name);
  if (!registered) return fail(ctx, call, started, new ToolNotFoundError(call.name), 'error');
  const outcome = await concludeApproval(ctx, request, evaluateDecisions(request, answer, ctx.rt.clock(), true));
  if (outcome.type === 'denied') {
    const error = outcome.expired ? new ApprovalExpiredError(`Approval for ${call.name} expired: ${outcome.reason}`) : new ApprovalDeniedError(call.name, outcome.reason);
    return fail(ctx, call, started, error, 'denied');
  }
  const validation = validateToolInput(registered.tool, request.input);
  if (!validation.success) return fail(ctx, call, started, validation.error, 'error');
  return perform(ctx, { call, tool: registered.tool, input: validation.input, scopes: [], tainted: false, started }, false);
}

async function perform(ctx: RunContext, checked: CheckedCall, sandboxed: boolean): Promise<ToolCallOutcome> {
  const { call, tool, input } = checked;
  for (const alert of ctx.rt.monitor.observeCall({ principal: ctx.rt.principal, runId: ctx.runId, toolName: tool.name, effect: tool.effect, environment: ctx.rt.environment })) {
    await raiseAlert(ctx, alert);
  }
  if (sandboxed) {
    if (!tool.preview) return fail(ctx, call, checked.started, new SandboxUnsupportedError(tool.name), 'error');
    let preview: ToolPreview;
    try {
      preview = await runWithTimeout(ctx, tool, call.id, (toolCtx) => tool.preview!(input, toolCtx));
    } catch (error) {
      return fail(ctx, call, checked.started, asToolError(tool, error), 'error');
    }
    ctx.actions.push({ toolCallId: call.id, toolName: tool.name, input, mode: 'previewed', summary: preview.summary, at: ctx.rt.clock() });
    await recordAudit(ctx, { type: 'tool.preview', toolCallId: call.id, data: { toolName: tool.name, summary: preview.summary } });
    // Previews are built from the same outside data the tool works on (subjects, messages), so they are wrapped too.
    const described = `${preview.summary}${preview.details === undefined ? '' : `\n${stringify(preview.details)}`}`;
    ctx.untrustedText += `\n${described}`;
    const content = `Sandbox: nothing was done. Preview:\n${wrapUntrusted(described, tool.name)}`;
    return done(ctx, call, checked.started, { status: 'previewed', content, isError: false, output: preview }, true);
  }

  let output: unknown;
  try {
    output = await runWithTimeout(ctx, tool, call.id, (toolCtx) => tool.execute(input, toolCtx));
    if (tool.output) {
      const parsed = tool.output.safeParse(output);
      if (!parsed.success) throw new ToolOutputError(tool.name, formatZodIssues(parsed.error).map((i) => `${i.path || '(root)'}: ${i.message}`).join('; '));
      output = parsed.data;
    }
  } catch (error) {
    const failure = asToolError(tool, error);
    await recordAudit(ctx, { type: 'tool.result', toolCallId: call.id, data: { toolName: tool.name, ok: false, error: failure.message, code: failure.code } });
    return fail(ctx, call, checked.started, failure, 'error');
  }
  if (tool.effect !== 'read') ctx.actions.push({ toolCallId: call.id, toolName: tool.name, input, mode: 'performed', at: ctx.rt.clock() });
  await recordAudit(ctx, { type: 'tool.result', toolCallId: call.id, data: { toolName: tool.name, ok: true, effect: tool.effect } });
  let content = stringify(output);
  if (tool.untrustedOutput) {
    const suspicious = detectInjection(content);
    if (suspicious.length > 0) {
      await raiseAlert(ctx, ctx.rt.monitor.alert('prompt-injection-suspected', 'warning', `Content returned by ${tool.name} looks like an attempt to instruct the agent.`, { principal: ctx.rt.principal, runId: ctx.runId, toolName: tool.name }, undefined, { patterns: suspicious }));
    }
    ctx.untrustedText += `\n${content}`;
    ctx.readUntrusted = true;
    content = wrapUntrusted(content, tool.name);
  }
  return done(ctx, call, checked.started, { status: 'ok', content, isError: false, output }, tool.untrustedOutput === true);
}

/** The input fields checked for untrusted influence (see `ToolSpec.sensitiveInputs`). */
function sensitivePart(tool: Tool, input: unknown): unknown {
  const fields = tool.sensitiveInputs ?? (tool.effect === 'external' || tool.effect === 'deploy' ? undefined : []);
  if (fields === undefined) return input;
  if (fields.length === 0 || input === null || typeof input !== 'object') return undefined;
  const record = input as Record<string, unknown>;
  return fields.filter((field) => Object.hasOwn(record, field)).map((field) => record[field]);
}

/** Runs a tool function with the run's signal, the tool's timeout, and a context for it. */
async function runWithTimeout<T>(ctx: RunContext, tool: Tool, toolCallId: string, fn: (toolCtx: ToolContext) => Promise<T> | T): Promise<T> {
  if (ctx.signal.aborted) throw new AbortedError('The run was aborted before the tool started.');
  // Only a tool with a timeout needs a signal of its own; any other tool is handed the run's signal as it is.
  const controller = tool.timeoutMs === undefined ? undefined : new AbortController();
  const signal = controller ? controller.signal : ctx.signal;
  const toolCtx: ToolContext = {
    signal,
    principal: ctx.rt.principal,
    environment: ctx.rt.environment,
    runId: ctx.runId,
    toolCallId,
    trigger: ctx.trigger,
    ...(ctx.idempotencyKey !== undefined ? { idempotencyKey: ctx.idempotencyKey } : {}),
    alert: (a) => void raiseAlert(ctx, ctx.rt.monitor.alert(a.kind, a.severity, a.message, { principal: ctx.rt.principal, runId: ctx.runId, toolName: tool.name }, undefined, a.details)),
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stop: (() => void) | undefined;
  const onRunAbort = () => controller?.abort(ctx.signal.reason);
  try {
    // A tool that ignores its signal must still not hold the run: the race ends the wait, the signal tells it to stop.
    const stopped = new Promise<never>((_, reject) => {
      stop = () => reject(signal.reason instanceof ToolTimeoutError ? signal.reason : new AbortedError('The run was aborted while the tool was running.'));
      signal.addEventListener('abort', stop, { once: true });
    });
    if (controller) {
      ctx.signal.addEventListener('abort', onRunAbort, { once: true });
      timer = setTimeout(() => controller.abort(new ToolTimeoutError(tool.name, tool.timeoutMs!)), tool.timeoutMs);
    }
    return await Promise.race([Promise.resolve().then(() => fn(toolCtx)), stopped]);
  } finally {
    clearTimeout(timer);
    if (stop) signal.removeEventListener('abort', stop);
    if (controller) ctx.signal.removeEventListener('abort', onRunAbort);
  }
}

async function safePreview(ctx: RunContext, tool: Tool, checked: CheckedCall): Promise<ToolPreview | undefined> {
  try {
    return await runWithTimeout(ctx, tool, checked.call.id, (toolCtx) => tool.preview!(checked.input, toolCtx));
  } catch (error) {
    return { summary: `(preview failed: ${error instanceof Error ? error.message : String(error)})` };
  }
}

async function alertDenial(ctx: RunContext, tool: Tool, reason: string): Promise<void> {
  for (const alert of ctx.rt.monitor.observeDenial({ principal: ctx.rt.principal, runId: ctx.runId, toolName: tool.name, effect: tool.effect, environment: ctx.rt.environment }, reason)) {
    await raiseAlert(ctx, alert);
  }
}

function asToolError(tool: Tool, error: unknown): ClawError {
  return error instanceof ClawError ? error : new ToolExecutionError(tool.name, error);
}

function fail(ctx: RunContext, call: ToolCall, started: number, error: ClawError, status: 'error' | 'denied'): ToolCallOutcome {
  return done(ctx, call, started, { status, content: `Error [${error.code}]: ${error.message}`, isError: true, errorCode: error.code }, false);
}

function done(ctx: RunContext, call: ToolCall, started: number, fields: Omit<ToolCallResult, 'call' | 'durationMs'>, untrusted: boolean): ToolCallOutcome {
  return { type: 'done', result: { call, ...fields, durationMs: ctx.rt.clock() - started }, untrusted };
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
