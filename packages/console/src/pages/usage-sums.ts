import { USAGE_CATEGORIES, type UsageAggregateRow, type UsageDimension, type UsageRecord } from '@claw/core';

/** Tokens and cost summed over the rows of a report that share one value of a dimension. */
export interface DimensionSum {
  name: string;
  tokens: number;
  costUsd: number;
}

/** Re-sums a report's groups (grouped by several dimensions) by one of them, largest first. */
export function sumBy(groups: readonly UsageAggregateRow[], dimension: UsageDimension): DimensionSum[] {
  const sums = new Map<string, DimensionSum>();
  for (const group of groups) {
    const name = group.key[dimension] ?? '(none)';
    const sum = sums.get(name) ?? { name, tokens: 0, costUsd: 0 };
    sum.tokens += group.totalTokens;
    sum.costUsd += group.costUsd;
    sums.set(name, sum);
  }
  return [...sums.values()].sort((a, b) => b.tokens - a.tokens || a.name.localeCompare(b.name));
}

/** Per day of `days`: the tokens of the groups with each value of `split` (e.g. reported / estimated). */
export function dailySeries(groups: readonly UsageAggregateRow[], days: readonly string[], split: UsageDimension, values: readonly string[], measure: (g: UsageAggregateRow) => number = (g) => g.totalTokens): number[][] {
  const index = new Map(days.map((day, i) => [day, i]));
  const series = values.map(() => days.map(() => 0));
  for (const group of groups) {
    const i = index.get(group.key.day ?? '');
    const s = values.indexOf(group.key[split] ?? '');
    if (i !== undefined && s >= 0) series[s]![i]! += measure(group);
  }
  return series;
}

/** The formula's categories summed over records: how the estimated tokens split. */
export function sumCategories(records: readonly UsageRecord[]): { name: string; tokens: number }[] {
  return USAGE_CATEGORIES.map((category) => ({ name: category, tokens: records.reduce((n, r) => n + (r.estimate[category] ?? 0), 0) }));
}
