import type { UsageAggregateRow, UsageDimension } from './usage-ledger';
import type { CategoryCounts } from './usage-record';

/** What a viewer asks for: one person's usage (`subject`) or a team's (`team`), over `[from, to)`. */
export interface UsageReportRequest {
  viewer: string;
  subject?: string;
  team?: string;
  from: number;
  to: number;
  groupBy?: readonly UsageDimension[];
}

/** Tokens set against what they produced. */
export interface OutcomeSummary {
  runs: number;
  /** Runs that ended with an answer (letters or digits, not "" or "."). */
  answeredRuns: number;
  /** Side effects performed, over all runs. */
  actions: number;
  /** All tokens (of answered and unanswered runs alike) divided by the answered runs: what one answer cost. */
  tokensPerAnsweredRun: number | null;
  /** All tokens divided by the side effects performed. */
  tokensPerAction: number | null;
  /** Tokens by how runs ended (`final`, `error`, `budget`, ...). */
  tokensByStopReason: Record<string, number>;
}

/** Patterns that inflate numbers without producing anything. */
export interface InflationFlags {
  /**
   * The same request (same normalised opening prompt, or a near-duplicate of it) sent again and again within the
   * window by one person, in runs with no side effect; `promptHash` is the first run's.
   */
  repeatedPrompts: { promptHash: string; runs: number; tokens: number }[];
  /** Runs that ended with no side effect and no answer. */
  idleRuns: { runs: number; tokens: number };
  /** Share of tokens spent in repeated or idle runs, 0..1. */
  inflatedShare: number;
  /** Share of tokens from background triggers (schedule, dream, heartbeat), 0..1. */
  backgroundShare: number;
  /** Share of tokens that failed calls (errors, aborts) used, 0..1. */
  failedShare: number;
}

/** A usage report. Every number can be traced to the records it sums; `formulaVersions` says how they were counted. */
export interface UsageReport {
  viewer: string;
  subject?: string;
  team?: string;
  from: number;
  to: number;
  totals: Omit<UsageAggregateRow, 'key'> & { reportedShare: number };
  groups: UsageAggregateRow[];
  /** Groups hidden because fewer than the minimum number of people were in them (team reports). */
  suppressedGroups: number;
  /** Estimated tokens per metering category over all the report's records (see docs/metering.md). */
  categories: CategoryCounts;
  /**
   * How a team report protected small groups: the minimum group size, the period length its window was cut into
   * (`from` and `to` are widened to whole periods), and how many periods were left out for having too few people.
   */
  privacy?: { minGroupSize: number; periodMs: number; suppressedPeriods: number };
  outcomes: OutcomeSummary;
  flags: InflationFlags;
  formulaVersions: string[];
}
