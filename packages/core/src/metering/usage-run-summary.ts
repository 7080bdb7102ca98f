import { USAGE_CATEGORIES, type CategoryCounts, type RunOutcome, type UsageRecord } from './usage-record';

/** Triggers that are not a person asking: their tokens are background usage. */
export const BACKGROUND_TRIGGERS: ReadonlySet<string> = new Set(['schedule', 'dream', 'heartbeat']);

/**
 * One run's usage within a query's window, with exactly what usage reports compute from (outcomes, inflation
 * flags, shares) — so a ledger can answer a report with one row per run instead of every record.
 */
export interface UsageRunSummary {
  runId: string;
  principalId: string;
  /** Matching records of the run, and their sums. */
  records: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number;
  /** Tokens of records whose counts the provider reported (`source: 'reported'`). */
  reportedTokens: number;
  /** Tokens of records from background triggers (schedule, dream, heartbeat). */
  backgroundTokens: number;
  /** Tokens of failed calls (`status` error or aborted). */
  failedTokens: number;
  /** Estimated tokens per metering category, summed over the run's records. */
  estimate: CategoryCounts;
  /** Formula versions the run's records were counted with, sorted. */
  formulaVersions: string[];
  /** The outcome of the run's first record (in query order) that has one. */
  outcome?: RunOutcome;
  /** The run's earliest user-triggered record (the first of equals in query order): when, and its prompt fingerprints. */
  opening?: { at: number; promptHash: string; promptSketch?: string };
}

/** Zero tokens in every metering category. */
export function emptyEstimate(): CategoryCounts {
  return Object.fromEntries(USAGE_CATEGORIES.map((category) => [category, 0])) as CategoryCounts;
}

/** The fields of a record a {@link UsageRunSummary} is made of. */
export type UsageRunFacts = Pick<
  UsageRecord,
  'runId' | 'principalId' | 'at' | 'trigger' | 'source' | 'status' | 'inputTokens' | 'outputTokens' | 'totalTokens' | 'costUsd' | 'estimate' | 'formulaVersion' | 'promptHash' | 'promptSketch' | 'outcome'
>;

/**
 * Folds records (in the ledger's query order: oldest first) into one summary per run, in the order of each run's
 * first record. Shared by ledgers that summarise in process, and the definition every ledger's
 * `summariseRuns` must agree with.
 */
export function summariseUsageRuns(records: Iterable<UsageRunFacts>): UsageRunSummary[] {
  const runs = new Map<string, UsageRunSummary & { versions: Set<string> }>();
  for (const record of records) {
    let run = runs.get(record.runId);
    if (!run) {
      run = { runId: record.runId, principalId: record.principalId, records: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0, reportedTokens: 0, backgroundTokens: 0, failedTokens: 0, estimate: emptyEstimate(), formulaVersions: [], versions: new Set() };
      runs.set(record.runId, run);
    }
    run.records += 1;
    run.inputTokens += record.inputTokens;
    run.outputTokens += record.outputTokens;
    run.totalTokens += record.totalTokens;
    run.costUsd += record.costUsd;
    if (record.source === 'reported') run.reportedTokens += record.totalTokens;
    if (BACKGROUND_TRIGGERS.has(record.trigger)) run.backgroundTokens += record.totalTokens;
    if (record.status === 'error' || record.status === 'aborted') run.failedTokens += record.totalTokens;
    for (const category of USAGE_CATEGORIES) run.estimate[category] += record.estimate[category] ?? 0;
    run.versions.add(record.formulaVersion);
    if (!run.outcome && record.outcome) run.outcome = { ...record.outcome, actions: { ...record.outcome.actions } };
    if (record.trigger === 'user' && (!run.opening || record.at < run.opening.at)) {
      run.opening = { at: record.at, promptHash: record.promptHash, ...(record.promptSketch !== undefined ? { promptSketch: record.promptSketch } : {}) };
    }
  }
  return [...runs.values()].map(({ versions, ...run }) => ({ ...run, formulaVersions: [...versions].sort() }));
}
