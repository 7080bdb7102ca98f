import { AbortedError, BudgetExceededError, ClawError, ModelError } from '../errors';
import type { ToolCall, ToolMessage } from '../model/messages';
import { toAssistantMessage, type ModelToolSpec } from '../model/model-provider';
import type { ApprovalRequest } from '../policy/approval';
import { recordAudit, runResult, type RunContext } from './agent-runtime';
import { requestModelTurn } from './model-turn';
import type { RunResult, StepResult, ToolCallResult } from './run-result';
import type { RunState, SuspendedToolCall } from './run-state';
import { processToolCall, type ToolCallOutcome } from './tool-call';

/**
 * The agent loop: ask the model, run the tool calls it makes (concurrently, bounded), feed results back, until it
 * answers without tool calls, runs out of steps or budget, is aborted, fails, or must wait for approval.
 */
export async function runLoop(ctx: RunContext): Promise<RunResult> {
  try {
    for (;;) {
      if (ctx.signal.aborted) return runResult(ctx, { stopReason: 'aborted', error: new AbortedError() });
      if (ctx.step >= ctx.rt.maxSteps) return runResult(ctx, { stopReason: 'max_steps' });
      const started = ctx.rt.clock();
      const turn = await requestModelTurn(ctx, {
        messages: ctx.messages,
        tools: ctx.rt.offeredSpecs as ModelToolSpec[],
        maxOutputTokens: ctx.rt.maxOutputTokens,
      });
      ctx.step += 1;
      const { response } = turn;
      ctx.messages.push(toAssistantMessage(response));
      const step: StepResult = {
        step: ctx.step,
        attempts: turn.attempts,
        text: response.text,
        toolCalls: response.toolCalls,
        finishReason: response.finishReason,
        usageRecordIds: turn.usageRecordIds,
        toolResults: [],
        startedAt: started,
        durationMs: 0,
      };
      if (response.toolCalls.length === 0) {
        finishStep(ctx, step, started);
        return runResult(ctx, { stopReason: 'final', text: response.text });
      }
      const outcomes = await runToolCalls(ctx, response.toolCalls);
      const pending = collectOutcomes(ctx, step, response.toolCalls, outcomes);
      finishStep(ctx, step, started);
      if (pending.some((p) => p.status === 'awaiting_approval')) return suspend(ctx, pending);
    }
  } catch (error) {
    if (error instanceof AbortedError) return runResult(ctx, { stopReason: 'aborted', error });
    if (error instanceof BudgetExceededError) return runResult(ctx, { stopReason: 'budget', error });
    const failure = error instanceof ClawError ? error : new ModelError({ provider: ctx.rt.model.provider, kind: 'invalid_response', message: error instanceof Error ? error.message : String(error), retryable: false, cause: error });
    ctx.emit('error', { runId: ctx.runId, error: failure });
    return runResult(ctx, { stopReason: 'error', error: failure });
  }
}

/** Runs a step's tool calls with at most `maxParallelTools` at once; outcomes come back in call order. */
export async function runToolCalls(ctx: RunContext, calls: readonly ToolCall[]): Promise<ToolCallOutcome[]> {
  const outcomes: ToolCallOutcome[] = new Array(calls.length);
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const index = next++;
      const call = calls[index]!;
      ctx.emit('tool:call', { runId: ctx.runId, step: ctx.step, call });
      outcomes[index] = await processToolCall(ctx, call);
    }
  };
  const width = Math.min(ctx.rt.maxParallelTools, calls.length);
  await Promise.all(Array.from({ length: width }, worker));
  return outcomes;
}

/**
 * Adds finished calls' results to the conversation and the step, in call order, and returns every call of the
 * step as it would be suspended (done with its result, or awaiting approval).
 */
export function collectOutcomes(ctx: RunContext, step: StepResult, calls: readonly ToolCall[], outcomes: readonly ToolCallOutcome[]): SuspendedToolCall[] {
  const suspended: SuspendedToolCall[] = [];
  const awaiting = outcomes.some((o) => o.type === 'pending');
  calls.forEach((call, i) => {
    const outcome = outcomes[i]!;
    if (outcome.type === 'pending') {
      suspended.push({ call, status: 'awaiting_approval', request: outcome.request });
      const result: ToolCallResult = { call, status: 'awaiting_approval', content: '', isError: false, durationMs: 0 };
      step.toolResults.push(result);
      return;
    }
    step.toolResults.push(outcome.result);
    ctx.emit('tool:result', { runId: ctx.runId, step: step.step, result: outcome.result });
    suspended.push({ call, status: 'done', result: { content: outcome.result.content, isError: outcome.result.isError, untrusted: outcome.untrusted } });
    // While some calls of the step wait, results are held back so the conversation stays in call order on resume.
    if (!awaiting) ctx.messages.push(toolMessage(call, outcome.result.content, outcome.result.isError, outcome.untrusted));
  });
  return suspended;
}

/** The tool message a result becomes in the conversation. */
export function toolMessage(call: ToolCall, content: string, isError: boolean, untrusted: boolean): ToolMessage {
  return { role: 'tool', toolCallId: call.id, toolName: call.name, content, ...(isError ? { isError: true } : {}), ...(untrusted ? { untrusted: true } : {}) };
}

function finishStep(ctx: RunContext, step: StepResult, started: number): void {
  step.durationMs = ctx.rt.clock() - started;
  ctx.steps.push(step);
  ctx.emit('step', { runId: ctx.runId, step });
}

/** Ends a run waiting for approval: saves its serialisable state and returns the pending requests. */
export async function suspend(ctx: RunContext, pending: SuspendedToolCall[]): Promise<RunResult> {
  const state: RunState = {
    version: 1,
    runId: ctx.runId,
    principal: ctx.rt.principal,
    trigger: ctx.trigger,
    environment: ctx.rt.environment,
    messages: ctx.messages,
    step: ctx.step,
    pending,
    usage: ctx.usage,
    actions: ctx.actions,
    toolNames: ctx.rt.offered.map((t) => t.name),
    untrustedText: ctx.untrustedText,
    suspendedAt: ctx.rt.clock(),
  };
  const serialised = JSON.parse(JSON.stringify(state)) as RunState;
  if (ctx.rt.runStateStore) await ctx.rt.runStateStore.save(serialised);
  await recordAudit(ctx, { type: 'run.end', data: { stopReason: 'suspended', pending: pending.filter((p) => p.request).map((p) => p.request!.id) } });
  const requests = pending.filter((p): p is SuspendedToolCall & { request: ApprovalRequest } => p.status === 'awaiting_approval' && p.request !== undefined).map((p) => p.request);
  return runResult(ctx, { stopReason: 'suspended', pending: requests, state: serialised });
}
