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
  /** Runs that ended with an answer. */
  answeredRuns: number;
  /** Side effects performed, over all runs. */
  actions: number;
  tokensPerAnsweredRun: number | null;
  tokensPerAction: number | null;
  /** Tokens by how runs ended (`final`, `error`, `budget`, ...). */
  tokensByStopReason: Record<string, number>;
}

/** Patterns that inflate numbers without producing anything. */
export interface InflationFlags {
  /** The same opening prompt sent again and again within the window. */
  repeatedPrompts: { promptHash: string; runs: number; tokens: number }[];
  /** Runs that ended with no side effect and no answer. */
  idleRuns: { runs: number; tokens: number };
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
  outcomes: OutcomeSummary;
  flags: InflationFlags;
  formulaVersions: string[];
}
