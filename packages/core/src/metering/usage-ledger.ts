import type { Trigger } from '../policy/principal';
import type { UsageRecord } from './usage-record';

/** Filter for {@link UsageLedger.query} and {@link UsageLedger.aggregate}. Time bounds are ms since epoch, `to` exclusive. */
export interface UsageQuery {
  principalIds?: readonly string[];
  runId?: string;
  trigger?: Trigger;
  from?: number;
  to?: number;
  limit?: number;
}

/** Dimensions a usage aggregate can be grouped by. `skill` groups by the sorted, comma-joined skills of a record (`(none)` when empty). `day` is the UTC date `YYYY-MM-DD`. */
export type UsageDimension = 'principal' | 'team' | 'skill' | 'trigger' | 'model' | 'source' | 'status' | 'day' | 'stopReason';

/** One group of an aggregate. */
export interface UsageAggregateRow {
  key: Partial<Record<UsageDimension, string>>;
  records: number;
  runs: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costUsd: number;
}

/**
 * Where usage records are kept. Appends are idempotent by record id: when a record with the same id arrives
 * again, the stored one only gains the arriving `outcome` if it has none yet. Counts never change, and an outcome
 * already stored stays (a retried batch can be older than the outcome): only {@link UsageLedger.setOutcome}
 * replaces an outcome.
 */
export interface UsageLedger {
  /** Stores records; a record whose id is already stored only gains an `outcome` when it has none (the first stays). */
  append(records: readonly UsageRecord[]): Promise<void>;
  /** Records matching the query, oldest first. */
  query(query: UsageQuery): Promise<UsageRecord[]>;
  /** The record with this id (with its run's outcome once set), or undefined when none is stored. */
  get(id: string): Promise<UsageRecord | undefined>;
  /** Sums the matching records per group of the `groupBy` dimensions, one row per group. */
  aggregate(query: UsageQuery & { groupBy: readonly UsageDimension[] }): Promise<UsageAggregateRow[]>;
  /** Sets the outcome on every record of a run, replacing any outcome they had. */
  setOutcome(runId: string, outcome: import('./usage-record').RunOutcome): Promise<void>;
}
