import type { UsageRecord } from './usage-record';

/** A run's usage so far: serialisable, so a suspended run resumes with it intact. */
export interface RunUsage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number;
  /** Calls whose numbers came from the provider vs estimated locally. */
  reportedCalls: number;
  estimatedCalls: number;
  failedCalls: number;
}

/** An empty usage total. */
export function emptyRunUsage(): RunUsage {
  return { calls: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0, reportedCalls: 0, estimatedCalls: 0, failedCalls: 0 };
}

/** Adds one record to a run's total (in place, returns it). */
export function addToRunUsage(total: RunUsage, record: UsageRecord): RunUsage {
  total.calls += 1;
  total.inputTokens += record.inputTokens;
  total.outputTokens += record.outputTokens;
  total.totalTokens += record.totalTokens;
  total.costUsd += record.costUsd;
  if (record.source === 'reported') total.reportedCalls += 1;
  else total.estimatedCalls += 1;
  if (record.status !== 'ok') total.failedCalls += 1;
  return total;
}
