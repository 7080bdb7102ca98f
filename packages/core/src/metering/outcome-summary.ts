import type { UsageRecord } from './usage-record';
import type { OutcomeSummary } from './usage-report';
import { summariseUsageRuns, type UsageRunSummary } from './usage-run-summary';

/**
 * Tokens set against what they produced: runs, answered runs, side effects, tokens per answer and per side effect
 * (all tokens, so runs that produced nothing count against the ones that did), and tokens by how runs ended.
 */
export function summariseOutcomes(records: readonly UsageRecord[]): OutcomeSummary {
  return outcomesOfRuns(summariseUsageRuns(records));
}

/** {@link summariseOutcomes} from run summaries (a ledger's `summariseRuns`) rather than records. */
export function outcomesOfRuns(runs: readonly UsageRunSummary[]): OutcomeSummary {
  let answeredRuns = 0;
  let actions = 0;
  let total = 0;
  const tokensByStopReason: Record<string, number> = {};
  for (const run of runs) {
    total += run.totalTokens;
    const reason = run.outcome?.stopReason ?? '(running)';
    tokensByStopReason[reason] = (tokensByStopReason[reason] ?? 0) + run.totalTokens;
    if (run.outcome?.answered) answeredRuns += 1;
    actions += Object.values(run.outcome?.actions ?? {}).reduce((n, c) => n + c, 0);
  }
  return {
    runs: runs.length,
    answeredRuns,
    actions,
    // Unanswered runs count against the answers: an answer's cost includes the runs that produced none.
    tokensPerAnsweredRun: answeredRuns === 0 ? null : Math.round(total / answeredRuns),
    tokensPerAction: actions === 0 ? null : Math.round(total / actions),
    tokensByStopReason,
  };
}
