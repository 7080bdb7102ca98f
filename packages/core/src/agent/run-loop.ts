import { AbortedError, BudgetExceededError, ClawError, StoreError } from '../errors';
import type { ToolCall, ToolMessage } from '../model/messages';
import { toAssistantMessage, type ModelToolSpec } from '../model/model-provider';
import type { ApprovalRequest } from '../policy/approval';
import { recordAudit, runResult, type RunContext } from './agent-runtime';
import { requestModelTurn } from './model-turn';
import type { RunResult, StepResult, ToolCallResult } from './run-result';
import { RUN_STATE_VERSION, type RunState, type SuspendedToolCall } from './run-state';
import type { ApprovalSource } from './approval-flow';
import { processToolCall, type ToolCallOutcome } from './tool-call';

/**
 * The agent loop: ask the model, run the tool calls it makes (concurrently, bounded), feed results back, until it
 * answers without tool calls, runs out of steps or budget, is aborted, fails, or must wait for approval.
 */
export async function runLoop(ctx: RunContext, resumed?: ResumedStep): Promise<RunResult> {
  try {
    if (resumed) {
      const step = newStep(ctx.step, 0, '', resumed.toolCalls, 'tool_calls', [], ctx.rt.clock());
      const pending = await toolStep(ctx, step, resumed.sourceOf, resumed.reported);
      await resumed.onStepDone();
      if (pending) return suspend(ctx, pending);
    }
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
      ctx.messages.push({ ...toAssistantMessage(response), trust: 'derived', source: 'model' });
      const step = newStep(ctx.step, turn.attempts, response.text, response.toolCalls, response.finishReason, turn.usageRecordIds, started);
      if (response.toolCalls.length === 0) {
        finishStep(ctx, step);
        return runResult(ctx, { stopReason: 'final', text: response.text });
      }
      const pending = await toolStep(ctx, step, () => ({ kind: 'new', reuseStored: ctx.reuseStoredApprovals }), new Set());
      if (pending) return suspend(ctx, pending);
    }
  } catch (error) {
    return failedRun(ctx, error);
  }
}

/** The tool step a resumed run continues with: the suspended calls, where each one's approval comes from. */
export interface ResumedStep {
  toolCalls: ToolCall[];
  sourceOf: (call: ToolCall, index: number) => ApprovalSource | ToolCallOutcome;
  /** Indexes of calls whose results were already reported before the run was suspended. */
  reported: ReadonlySet<number>;
  /** Runs once the step is done, before the run goes on (the saved state is removed then). */
  onStepDone: () => Promise<void>;
}

function newStep(step: number, attempts: number, text: string, toolCalls: ToolCall[], finishReason: StepResult['finishReason'], usageRecordIds: string[], startedAt: number): StepResult {
  return { step, attempts, text, toolCalls, finishReason, usageRecordIds, toolResults: [], startedAt, durationMs: 0 };
}

/** Runs a step's tool calls and finishes the step; returns the calls as suspended when some wait for approval. */
async function toolStep(ctx: RunContext, step: StepResult, sourceOf: ResumedStep['sourceOf'], reported: ReadonlySet<number>): Promise<SuspendedToolCall[] | undefined> {
  const outcomes = await runToolCalls(ctx, step.toolCalls, sourceOf);
  const pending = collectOutcomes(ctx, step, step.toolCalls, outcomes, reported);
  finishStep(ctx, step);
  return pending.some((p) => p.status === 'awaiting_approval') ? pending : undefined;
}

/**
 * The result of a run that failed. Provider failures arrive as `ModelError`s (the model turn wraps them), so any
 * other failure came from recording — the audit log, the usage ledger, the approval or run-state store — and is
 * a `StoreError` with stop reason `store_error`; the result keeps every step, action and usage figure so far.
 */
export function failedRun(ctx: RunContext, error: unknown): RunResult {
  if (error instanceof AbortedError) return runResult(ctx, { stopReason: 'aborted', error });
  if (error instanceof BudgetExceededError) return runResult(ctx, { stopReason: 'budget', error });
  const failure =
    error instanceof ClawError
      ? error
      : new StoreError(`Recording the run failed: ${error instanceof Error ? error.message : String(error)}. What was recorded before stays; check the store and resume or re-run.`, { cause: error });
  ctx.emit('error', { runId: ctx.runId, error: failure });
  if (failure instanceof StoreError) return runResult(ctx, { stopReason: 'store_error', error: failure });
  return runResult(ctx, { stopReason: 'error', error: failure });
}

/**
 * Runs a step's tool calls with at most `maxParallelTools` at once; outcomes come back in call order. `sourceOf`
 * says where each call's approval comes from (a new call, or a stored request on resume), or gives an outcome already known.
 */
export async function runToolCalls(ctx: RunContext, calls: readonly ToolCall[], sourceOf: (call: ToolCall, index: number) => ApprovalSource | ToolCallOutcome): Promise<ToolCallOutcome[]> {
  const outcomes: ToolCallOutcome[] = new Array(calls.length);
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const index = next++;
      const call = calls[index]!;
      const source = sourceOf(call, index);
      if ('type' in source) {
        outcomes[index] = source;
        continue;
      }
      ctx.emit('tool:call', { runId: ctx.runId, step: ctx.step, call, resumed: source.kind === 'stored' });
      outcomes[index] = await processToolCall(ctx, call, source);
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
export function collectOutcomes(ctx: RunContext, step: StepResult, calls: readonly ToolCall[], outcomes: readonly ToolCallOutcome[], reported: ReadonlySet<number> = new Set()): SuspendedToolCall[] {
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
    // A result reported before the run was suspended is not reported again on resume.
    if (!reported.has(i)) ctx.emit('tool:result', { runId: ctx.runId, step: step.step, result: outcome.result });
    suspended.push({ call, status: 'done', result: { content: outcome.result.content, isError: outcome.result.isError, untrusted: outcome.untrusted } });
    // While some calls of the step wait, results are held back so the conversation stays in call order on resume.
    if (!awaiting) ctx.messages.push(toolMessage(call, outcome.result.content, outcome.result.isError, outcome.untrusted));
  });
  return suspended;
}

/** The tool message a result becomes in the conversation. */
export function toolMessage(call: ToolCall, content: string, isError: boolean, untrusted: boolean): ToolMessage {
  return { role: 'tool', toolCallId: call.id, toolName: call.name, content, trust: untrusted ? 'untrusted' : 'derived', source: `tool:${call.name}`, ...(isError ? { isError: true } : {}), ...(untrusted ? { untrusted: true } : {}) };
}

function finishStep(ctx: RunContext, step: StepResult): void {
  step.durationMs = ctx.rt.clock() - step.startedAt;
  ctx.steps.push(step);
  ctx.emit('step', { runId: ctx.runId, step });
}

/** Ends a run waiting for approval: saves its serialisable state and returns the pending requests. */
export async function suspend(ctx: RunContext, pending: SuspendedToolCall[]): Promise<RunResult> {
  const state: RunState = {
    version: RUN_STATE_VERSION,
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
    suspendedAt: ctx.rt.clock(),
    ...(ctx.idempotencyKey !== undefined ? { idempotencyKey: ctx.idempotencyKey } : {}),
  };
  const serialised = JSON.parse(JSON.stringify(state)) as RunState;
  const requests = pending.flatMap((p): ApprovalRequest[] => (p.status === 'awaiting_approval' ? [p.request] : []));
  try {
    if (ctx.rt.runStateStore) await ctx.rt.runStateStore.save(serialised);
    await recordAudit(ctx, { type: 'run.end', data: { stopReason: 'suspended', pending: requests.map((r) => r.id) } });
  } catch (error) {
    // The state is still handed back, so the caller can keep it and resume once the store works again.
    const failed = failedRun(ctx, error);
    return failed.stopReason === 'store_error' ? { ...failed, pending: requests, state: serialised } : failed;
  }
  return runResult(ctx, { stopReason: 'suspended', pending: requests, state: serialised });
}
