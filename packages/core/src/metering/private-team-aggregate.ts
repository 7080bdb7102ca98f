import { aggregateUsage, usageDimensionValue } from './in-memory-usage-ledger';
import type { UsageAggregateRow, UsageDimension } from './usage-ledger';
import type { UsageRecord } from './usage-record';

/** What a team report may publish, and how much it held back. */
export interface PrivateTeamAggregate {
  /** Groups every one of whose period cells was published. */
  groups: UsageAggregateRow[];
  /** Groups held back (small somewhere, or hidden to protect a small one). */
  suppressed: number;
  /** The records of published periods: totals, outcomes and flags are computed from these only. */
  records: UsageRecord[];
  /** Periods left out entirely because fewer than the minimum number of people used anything in them. */
  suppressedPeriods: number;
}

/** The start of the period a time falls in (periods are aligned to the Unix epoch, so UTC days by default). */
export function periodStart(at: number, periodMs: number): number {
  return Math.floor(at / periodMs) * periodMs;
}

interface Cell {
  key: string;
  people: Set<string>;
  tokens: number;
}

/**
 * Aggregates a team's records so that no published number, nor any difference of published numbers, is about fewer
 * than `min` people. The window is cut into aligned periods (`periodMs`), and each period into cells (one per group):
 * - a period used by fewer than `min` people is left out entirely, so comparing two windows that differ by it shows
 *   nothing (time differencing);
 * - a cell of fewer than `min` people is hidden, and when the hidden cells of a period together hold fewer than `min`
 *   people, the smallest other cells are hidden too (complementary suppression), so the period total minus the
 *   visible cells is never about fewer than `min` people (totals differencing);
 * - a group is shown only when its cell was shown in every period it appears in.
 * Every published figure is then a sum of such cells, period totals and hidden remainders, each covering at least
 * `min` people, however reports over aligned windows are combined.
 */
export function privateTeamAggregate(records: readonly UsageRecord[], groupBy: readonly UsageDimension[], min: number, periodMs: number): PrivateTeamAggregate {
  const keyOf = (record: UsageRecord) => {
    const key: Record<string, string> = {};
    for (const dimension of groupBy) key[dimension] = usageDimensionValue(record, dimension);
    return JSON.stringify(key);
  };
  const periods = new Map<number, { records: UsageRecord[]; people: Set<string>; cells: Map<string, Cell> }>();
  for (const record of records) {
    const start = periodStart(record.at, periodMs);
    let period = periods.get(start);
    if (!period) periods.set(start, (period = { records: [], people: new Set(), cells: new Map() }));
    period.records.push(record);
    period.people.add(record.principalId);
    const key = keyOf(record);
    let cell = period.cells.get(key);
    if (!cell) period.cells.set(key, (cell = { key, people: new Set(), tokens: 0 }));
    cell.people.add(record.principalId);
    cell.tokens += record.totalTokens;
  }
  const published: UsageRecord[] = [];
  const hiddenKeys = new Set<string>();
  let suppressedPeriods = 0;
  for (const period of periods.values()) {
    if (period.people.size < min) {
      suppressedPeriods += 1;
      continue;
    }
    published.push(...period.records);
    const cells = [...period.cells.values()];
    const hidden = new Set(cells.filter((c) => c.people.size < min));
    const hiddenPeople = new Set([...hidden].flatMap((c) => [...c.people]));
    // Hide the smallest visible cells until the hidden remainder is itself about enough people.
    const visible = cells.filter((c) => !hidden.has(c)).sort((a, b) => a.people.size - b.people.size || a.tokens - b.tokens || (a.key < b.key ? -1 : 1));
    while (hiddenPeople.size > 0 && hiddenPeople.size < min && visible.length > 0) {
      const next = visible.shift()!;
      hidden.add(next);
      for (const person of next.people) hiddenPeople.add(person);
    }
    for (const cell of hidden) hiddenKeys.add(cell.key);
  }
  const rows = aggregateUsage(published, groupBy);
  const groups = rows.filter((row) => !hiddenKeys.has(JSON.stringify(row.key)));
  // A group hidden in every period it appeared in still counts once; groups only in left-out periods are not listed.
  return { groups, suppressed: rows.length - groups.length, records: published, suppressedPeriods };
}
