import type { UsageRecord } from './usage-record';
import type { OutcomeSummary } from './usage-report';

function byRun(records: readonly UsageRecord[]): Map<string, { tokens: number; outcome: UsageRecord['outcome'] }> {
  const runs = new Map<string, { tokens: number; outcome: UsageRecord['outcome'] }>();
  for (const record of records) {
    const run = runs.get(record.runId) ?? { tokens: 0, outcome: undefined };
    run.tokens += record.totalTokens;
    run.outcome ??= record.outcome;
    runs.set(record.runId, run);
  }
  return runs;
}

/**
 * Tokens set against what they produced: runs, answered runs, side effects, tokens per answer and per side effect
 * (all tokens, so runs that produced nothing count against the ones that did), and tokens by how runs ended.
 */
export function summariseOutcomes(records: readonly UsageRecord[]): OutcomeSummary {
  const runs = byRun(records);
  let answeredRuns = 0;
  let actions = 0;
  let total = 0;
  const tokensByStopReason: Record<string, number> = {};
  for (const run of runs.values()) {
    total += run.tokens;
    const reason = run.outcome?.stopReason ?? '(running)';
    tokensByStopReason[reason] = (tokensByStopReason[reason] ?? 0) + run.tokens;
    if (run.outcome?.answered) answeredRuns += 1;
    actions += Object.values(run.outcome?.actions ?? {}).reduce((n, c) => n + c, 0);
  }
  return {
    runs: runs.size,
    answeredRuns,
    actions,
    // Unanswered runs count against the answers: an answer's cost includes the runs that produced none.
    tokensPerAnsweredRun: answeredRuns === 0 ? null : Math.round(total / answeredRuns),
    tokensPerAction: actions === 0 ? null : Math.round(total / actions),
    tokensByStopReason,
  };
}
