import { AbortedError, BudgetExceededError, ClawError, ModelError } from '../errors';
import { addToRunUsage } from '../metering/run-usage';
import { usageAlerts } from '../metering/usage-alerts';
import type { UsageRecord } from '../metering/usage-record';
import type { GenerateRequest, GenerateResponse } from '../model/model-provider';
import { retryDelay, sleep } from '../model/retry-policy';
import { raiseAlert, type RunContext } from './agent-runtime';

/** A model turn's response and how it got it. */
export interface ModelTurn {
  response: GenerateResponse;
  attempts: number;
  usageRecordIds: string[];
}

/**
 * Asks the model for the next turn: metered (each attempt reserves budget first and is recorded whatever
 * happens), retried on retryable provider errors with backoff, streamed when the run streams.
 * @throws BudgetExceededError, AbortedError, or the last ModelError once retries are exhausted.
 */
export async function requestModelTurn(ctx: RunContext, request: GenerateRequest): Promise<ModelTurn> {
  const { rt } = ctx;
  const step = ctx.step + 1;
  const usageRecordIds: string[] = [];
  const started = rt.clock();
  const flagged: UsageRecord[] = [];
  const onRecord = (record: UsageRecord) => {
    addToRunUsage(ctx.usage, record);
    usageRecordIds.push(record.id);
    ctx.emit('usage', record);
    if (record.flags) flagged.push(record);
  };
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal.aborted) throw new AbortedError();
    ctx.emit('model:request', { runId: ctx.runId, step, attempt, request });
    try {
      const invoke = (r: GenerateRequest) => invokeModel(ctx, r, step);
      let response: GenerateResponse;
      if (rt.meter) {
        const runLimit =
          rt.maxTokens === undefined ? undefined : { maxTokens: rt.maxTokens, usedTokens: ctx.usage.totalTokens };
        ({ response } = await rt.meter.generate(
          rt.model,
          // The signal goes along so the meter can tell a call the signal ended from one that failed.
          { ...request, signal: ctx.signal },
          { runId: ctx.runId, step, attempt, principal: rt.principal, trigger: ctx.trigger, skills: rt.offeredSkillNames },
          { conversation: ctx.conversation, invoke, onRecord, runLimit },
        ));
      } else {
        response = await invoke(request);
        if (response.usage) addReportedUsage(ctx, response);
      }
      await alertFlaggedUsage(ctx, flagged);
      ctx.emit('model:response', { runId: ctx.runId, step, attempt, response });
      return { response, attempts: attempt, usageRecordIds };
    } catch (error) {
      await alertFlaggedUsage(ctx, flagged);
      if (error instanceof BudgetExceededError || error instanceof AbortedError) throw error;
      if (error instanceof ModelError && error.kind === 'aborted') throw new AbortedError();
      if (ctx.signal.aborted) throw new AbortedError();
      const delay = retryDelay(rt.retry, attempt, error, rt.clock() - started);
      if (delay === undefined) throw error;
      ctx.emit('error', { runId: ctx.runId, error: error as Error });
      await sleep(delay, ctx.signal);
    }
  }
}

/** Raises the alerts that flagged usage records call for (a call over its reservation, a report not believed). */
async function alertFlaggedUsage(ctx: RunContext, records: UsageRecord[]): Promise<void> {
  for (const record of records.splice(0)) {
    for (const alert of usageAlerts(record)) {
      await raiseAlert(ctx, ctx.rt.monitor.alert(alert.kind, alert.severity, alert.message, { principal: ctx.rt.principal, runId: ctx.runId }, undefined, alert.details));
    }
  }
}

function invokeModel(ctx: RunContext, request: GenerateRequest, step: number): Promise<GenerateResponse> {
  const model = ctx.rt.model;
  const withSignal = { ...request, signal: ctx.signal };
  if (!ctx.streaming || !model.stream) return model.generate(withSignal).catch((error: unknown) => Promise.reject(asModelError(model.provider, error)));
  return (async () => {
    for await (const event of model.stream!(withSignal)) {
      if (event.type === 'text-delta') ctx.emit('text:delta', { runId: ctx.runId, step, text: event.text });
      else if (event.type === 'finish') return event.response;
    }
    throw new ModelError({ provider: model.provider, kind: 'invalid_response', message: `${model.provider} stream ended without a finish event.`, retryable: true });
  })().catch((error: unknown) => Promise.reject(asModelError(model.provider, error)));
}

/** A provider that throws something other than a ClawError broke its contract: that is a model failure, not ours. */
function asModelError(provider: string, error: unknown): unknown {
  if (error instanceof ClawError) return error;
  return new ModelError({ provider, kind: 'invalid_response', message: error instanceof Error ? error.message : String(error), retryable: false, cause: error });
}

/** With metering off, provider-reported usage still totals up (nothing is estimated or recorded). */
function addReportedUsage(ctx: RunContext, response: GenerateResponse): void {
  const usage = response.usage!;
  ctx.usage.calls += 1;
  ctx.usage.reportedCalls += 1;
  ctx.usage.inputTokens += usage.inputTokens;
  ctx.usage.outputTokens += usage.outputTokens;
  ctx.usage.totalTokens += usage.inputTokens + usage.outputTokens;
}
