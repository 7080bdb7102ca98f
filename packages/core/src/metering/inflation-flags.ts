import { sketchSimilarity } from './prompt-fingerprint';
import type { UsageRecord } from './usage-record';
import type { InflationFlags } from './usage-report';

/** A request sent `count` times within any `windowMs` is a repeat. */
export interface RepeatWindow {
  count: number;
  windowMs: number;
}

/** Settings of {@link inflationFlags}. */
export interface InflationFlagRules {
  /**
   * Windows repeats are counted in; meeting any one flags the runs in it. Default: 3 within an hour (a burst) and
   * 6 within 24 hours (repetition spaced out to slip past the hour).
   */
  repeatWindows: readonly RepeatWindow[];
  /** Prompts whose sketches agree on at least this share are the same request. Default 0.6. */
  nearDuplicateSimilarity: number;
}

/** The default {@link InflationFlagRules}. */
export const DEFAULT_INFLATION_FLAG_RULES: InflationFlagRules = {
  repeatWindows: [
    { count: 3, windowMs: 3_600_000 },
    { count: 6, windowMs: 86_400_000 },
  ],
  nearDuplicateSimilarity: 0.6,
};

const BACKGROUND = new Set(['schedule', 'dream', 'heartbeat']);

interface RunSummary {
  runId: string;
  principalId: string;
  tokens: number;
  outcome: UsageRecord['outcome'];
  opening?: UsageRecord;
}

/**
 * Finds what inflates usage without producing anything:
 * - repeated requests: runs a person started (trigger `user`) with the same opening prompt — the same normalised
 *   text (`promptHash`) or a near-duplicate of it (`promptSketch` similarity) — often enough within one of the
 *   `repeatWindows`, counting only runs that performed no side effect (a request repeated to act on something new
 *   each time is work);
 * - idle runs: runs that ended with no answer (an answer needs letters or digits, see `isSubstantiveAnswer`) and no
 *   side effect;
 * - `inflatedShare`: the share of all tokens spent in repeated or idle runs;
 * - the shares of background tokens and of tokens used by failed calls.
 */
export function inflationFlags(records: readonly UsageRecord[], rules: InflationFlagRules = DEFAULT_INFLATION_FLAG_RULES): InflationFlags {
  const total = records.reduce((n, r) => n + r.totalTokens, 0);
  const share = (tokens: number) => (total === 0 ? 0 : tokens / total);
  const runs = summariseRuns(records);

  const repeated = new Set<string>();
  const repeatedPrompts: InflationFlags['repeatedPrompts'] = [];
  for (const cluster of clusterOpenings([...runs.values()], rules.nearDuplicateSimilarity)) {
    const flagged = denseRuns(cluster, rules);
    if (flagged.length === 0) continue;
    for (const run of flagged) repeated.add(run.runId);
    repeatedPrompts.push({ promptHash: cluster[0]!.opening!.promptHash, runs: flagged.length, tokens: flagged.reduce((n, r) => n + r.tokens, 0) });
  }

  const idle = [...runs.values()].filter((run) => run.outcome && !run.outcome.answered && !hasSideEffects(run));
  const idleIds = new Set(idle.map((run) => run.runId));
  const inflated = [...runs.values()].filter((run) => repeated.has(run.runId) || idleIds.has(run.runId));
  return {
    repeatedPrompts: repeatedPrompts.sort((a, b) => b.tokens - a.tokens),
    idleRuns: { runs: idle.length, tokens: idle.reduce((n, r) => n + r.tokens, 0) },
    inflatedShare: share(inflated.reduce((n, r) => n + r.tokens, 0)),
    backgroundShare: share(records.filter((r) => BACKGROUND.has(r.trigger)).reduce((n, r) => n + r.totalTokens, 0)),
    failedShare: share(records.filter((r) => r.status === 'error' || r.status === 'aborted').reduce((n, r) => n + r.totalTokens, 0)),
  };
}

function summariseRuns(records: readonly UsageRecord[]): Map<string, RunSummary> {
  const runs = new Map<string, RunSummary>();
  for (const record of records) {
    let run = runs.get(record.runId);
    if (!run) {
      run = { runId: record.runId, principalId: record.principalId, tokens: 0, outcome: undefined };
      runs.set(record.runId, run);
    }
    run.tokens += record.totalTokens;
    run.outcome ??= record.outcome;
    // The opening is the run's first call: every attempt and step of a run shares its prompt fingerprints.
    if (record.trigger === 'user' && (!run.opening || record.at < run.opening.at)) run.opening = record;
  }
  return runs;
}

const hasSideEffects = (run: RunSummary) => Object.values(run.outcome?.actions ?? {}).some((count) => count > 0);

/**
 * Groups each person's user runs by request: a run joins the first group whose first run has the same prompt hash
 * or a sketch at least `similarity` alike. Runs that performed side effects are left out.
 */
function clusterOpenings(runs: readonly RunSummary[], similarity: number): RunSummary[][] {
  const byPerson = new Map<string, RunSummary[][]>();
  const candidates = runs.filter((run) => run.opening && !hasSideEffects(run)).sort((a, b) => a.opening!.at - b.opening!.at);
  for (const run of candidates) {
    const clusters = byPerson.get(run.principalId) ?? [];
    byPerson.set(run.principalId, clusters);
    const home = clusters.find((cluster) => sameRequest(cluster[0]!.opening!, run.opening!, similarity));
    if (home) home.push(run);
    else clusters.push([run]);
  }
  return [...byPerson.values()].flat();
}

function sameRequest(a: UsageRecord, b: UsageRecord, similarity: number): boolean {
  if (a.promptHash === b.promptHash) return true;
  return a.promptSketch !== undefined && b.promptSketch !== undefined && sketchSimilarity(a.promptSketch, b.promptSketch) >= similarity;
}

/** The runs of a cluster (in time order) that fall in a window holding at least its `count` of them. */
function denseRuns(cluster: readonly RunSummary[], rules: InflationFlagRules): RunSummary[] {
  const dense = new Set<RunSummary>();
  const at = (k: number) => cluster[k]!.opening!.at;
  for (const { count, windowMs } of rules.repeatWindows) {
    for (let i = 0; i + count - 1 < cluster.length; i++) {
      let j = i + count - 1;
      if (at(j) - at(i) > windowMs) continue;
      while (j + 1 < cluster.length && at(j + 1) - at(i) <= windowMs) j++;
      for (let k = i; k <= j; k++) dense.add(cluster[k]!);
    }
  }
  return cluster.filter((run) => dense.has(run));
}
