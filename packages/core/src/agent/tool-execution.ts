import { AbortedError, ClawError, ToolExecutionError, ToolOutputError, ToolTimeoutError } from '../errors';
import type { ToolCall } from '../model/messages';
import { detectInjection, wrapUntrusted } from '../policy/untrusted-content';
import type { Tool, ToolContext, ToolPreview } from '../tools/define-tool';
import { formatZodIssues } from '../tools/tool-registry';
import { raiseAlert, recordAudit, type RunContext } from './agent-runtime';
import type { ToolCallResult } from './run-result';

/** A finished tool call: its result and whether its content is outside content (untrusted). */
export interface FinishedCall {
  result: ToolCallResult;
  untrusted: boolean;
  /** The refusal or failure, when the call did not succeed. */
  error?: ClawError;
}

/** How a decided call is carried out: what it is, validated, and whether its arguments were tainted. */
export interface CarriedCall {
  call: ToolCall;
  tool: Tool;
  input: unknown;
  tainted: boolean;
  started: number;
}

/** Runs a decided call's preview (sandbox): recorded as a previewed action; the preview goes back wrapped as untrusted. */
export async function previewCall(ctx: RunContext, carried: CarriedCall): Promise<FinishedCall> {
  const { call, tool, input } = carried;
  let preview: ToolPreview;
  try {
    preview = await runWithTimeout(ctx, carried, (toolCtx) => tool.preview!(input, toolCtx));
  } catch (error) {
    return failedCall(ctx, carried, asToolError(tool, error), 'error');
  }
  ctx.actions.push({ toolCallId: call.id, toolName: tool.name, input, mode: 'previewed', summary: preview.summary, at: ctx.rt.clock() });
  await recordAudit(ctx, { type: 'tool.preview', toolCallId: call.id, data: { toolName: tool.name, summary: preview.summary } });
  // Previews are built from the same outside data the tool works on (subjects, messages), so they are wrapped too.
  const described = `${preview.summary}${preview.details === undefined ? '' : `\n${stringify(preview.details)}`}`;
  const content = `Sandbox: nothing was done. Preview:\n${wrapUntrusted(described, tool.name)}`;
  return finishedCall(ctx, carried, { status: 'previewed', content, isError: false, output: preview }, true);
}

/** Performs a decided call: executes it, checks its output, audits the result, wraps untrusted output. */
export async function performCall(ctx: RunContext, carried: CarriedCall): Promise<FinishedCall> {
  const { call, tool, input } = carried;
  let output: unknown;
  try {
    output = await runWithTimeout(ctx, carried, (toolCtx) => tool.execute(input, toolCtx));
    if (tool.output) {
      const parsed = tool.output.safeParse(output);
      if (!parsed.success) throw new ToolOutputError(tool.name, formatZodIssues(parsed.error).map((i) => `${i.path || '(root)'}: ${i.message}`).join('; '));
      output = parsed.data;
    }
  } catch (error) {
    const failure = asToolError(tool, error);
    await recordAudit(ctx, { type: 'tool.result', toolCallId: call.id, data: { toolName: tool.name, ok: false, error: failure.message, code: failure.code } });
    return failedCall(ctx, carried, failure, 'error');
  }
  if (tool.effect !== 'read') ctx.actions.push({ toolCallId: call.id, toolName: tool.name, input, mode: 'performed', at: ctx.rt.clock() });
  await recordAudit(ctx, { type: 'tool.result', toolCallId: call.id, data: { toolName: tool.name, ok: true, effect: tool.effect } });
  let content = stringify(output);
  if (tool.untrustedOutput) {
    const suspicious = detectInjection(content);
    if (suspicious.length > 0) {
      await raiseAlert(ctx, ctx.rt.monitor.alert('prompt-injection-suspected', 'warning', `Content returned by ${tool.name} looks like an attempt to instruct the agent.`, { principal: ctx.rt.principal, runId: ctx.runId, toolName: tool.name }, undefined, { patterns: suspicious }));
    }
    content = wrapUntrusted(content, tool.name);
  }
  return finishedCall(ctx, carried, { status: 'ok', content, isError: false, output }, tool.untrustedOutput === true);
}

/** Runs a tool function with the run's signal, the tool's timeout, and a context for it. */
export async function runWithTimeout<T>(ctx: RunContext, carried: CarriedCall, fn: (toolCtx: ToolContext) => Promise<T> | T): Promise<T> {
  const { tool } = carried;
  if (ctx.signal.aborted) throw new AbortedError('The run was aborted before the tool started.');
  // Only a tool with a timeout needs a signal of its own; any other tool is handed the run's signal as it is.
  const controller = tool.timeoutMs === undefined ? undefined : new AbortController();
  const signal = controller ? controller.signal : ctx.signal;
  const toolCtx: ToolContext = {
    signal,
    principal: ctx.rt.principal,
    environment: ctx.rt.environment,
    runId: ctx.runId,
    toolCallId: carried.call.id,
    trigger: ctx.trigger,
    inputTrust: carried.tainted ? 'untrusted' : 'trusted',
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

/** The preview shown to approvers; a failing preview is described, never fatal to the request. */
export async function approverPreview(ctx: RunContext, carried: CarriedCall): Promise<ToolPreview | undefined> {
  if (!carried.tool.preview) return undefined;
  try {
    return await runWithTimeout(ctx, carried, (toolCtx) => carried.tool.preview!(carried.input, toolCtx));
  } catch (error) {
    return { summary: `(preview failed: ${error instanceof Error ? error.message : String(error)})` };
  }
}

function asToolError(tool: Tool, error: unknown): ClawError {
  return error instanceof ClawError ? error : new ToolExecutionError(tool.name, error);
}

/** A refused or failed call as the model sees it. */
export function failedCall(ctx: RunContext, carried: { call: ToolCall; started: number }, error: ClawError, status: 'error' | 'denied'): FinishedCall {
  return { ...finishedCall(ctx, carried, { status, content: `Error [${error.code}]: ${error.message}`, isError: true, errorCode: error.code }, false), error };
}

function finishedCall(ctx: RunContext, carried: { call: ToolCall; started: number }, fields: Omit<ToolCallResult, 'call' | 'durationMs'>, untrusted: boolean): FinishedCall {
  return { result: { call: carried.call, ...fields, durationMs: ctx.rt.clock() - carried.started }, untrusted };
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
