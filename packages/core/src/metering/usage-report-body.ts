import { inflationFlagsOfRuns, type InflationFlagRules } from './inflation-flags';
import { outcomesOfRuns } from './outcome-summary';
import { periodStart, planTeamSuppression, privateTeamAggregate, teamGroupKey } from './private-team-aggregate';
import type { UsageAggregateRow, UsageDimension, UsageLedger, UsageQuery } from './usage-ledger';
import type { UsageRecord } from './usage-record';
import type { UsageReport } from './usage-report';
import { emptyEstimate, summariseUsageRuns, type UsageRunSummary } from './usage-run-summary';
import { USAGE_CATEGORIES } from './usage-record';

const DAY_MS = 86_400_000;

/** The numbers of a usage report, before the request's own fields are added. */
export type ReportBody = Pick<UsageReport, 'totals' | 'groups' | 'suppressedGroups' | 'categories' | 'outcomes' | 'flags' | 'formulaVersions'> & { suppressedPeriods: number };

/** What a report body is computed with. */
export interface ReportSettings {
  ledger: UsageLedger;
  rules: InflationFlagRules;
  minGroupSize: number;
  periodMs: number;
}

/** Totals, outcomes, flags and formula versions of the runs a report covers. */
function bodyOfRuns(runs: readonly UsageRunSummary[], rules: InflationFlagRules): Omit<ReportBody, 'groups' | 'suppressedGroups' | 'suppressedPeriods'> {
  const totals = { records: 0, runs: runs.length, inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0 };
  let reported = 0;
  const versions = new Set<string>();
  const categories = emptyEstimate();
  for (const run of runs) {
    for (const category of USAGE_CATEGORIES) categories[category] += run.estimate[category];
    totals.records += run.records;
    totals.inputTokens += run.inputTokens;
    totals.outputTokens += run.outputTokens;
    totals.totalTokens += run.totalTokens;
    totals.costUsd += run.costUsd;
    reported += run.reportedTokens;
    for (const version of run.formulaVersions) versions.add(version);
  }
  return {
    totals: { ...totals, reportedShare: totals.totalTokens === 0 ? 0 : reported / totals.totalTokens },
    categories,
    outcomes: outcomesOfRuns(runs),
    flags: inflationFlagsOfRuns(runs, rules),
    formulaVersions: [...versions].sort(),
  };
}

/** A report body from the matching records themselves (ledgers without `summariseRuns`). */
export async function reportFromRecords(settings: ReportSettings, records: readonly UsageRecord[], query: UsageQuery, groupBy: readonly UsageDimension[], team: boolean): Promise<ReportBody> {
  if (team) {
    const aggregate = privateTeamAggregate(records, groupBy, settings.minGroupSize, settings.periodMs);
    return { ...bodyOfRuns(summariseUsageRuns(aggregate.records), settings.rules), groups: aggregate.groups, suppressedGroups: aggregate.suppressed, suppressedPeriods: aggregate.suppressedPeriods };
  }
  const groups = await settings.ledger.aggregate({ ...query, groupBy });
  return { ...bodyOfRuns(summariseUsageRuns(records), settings.rules), groups, suppressedGroups: 0, suppressedPeriods: 0 };
}

/**
 * A report body from the ledger's grouped sums and run summaries, never reading a record. Undefined when the
 * ledger cannot summarise runs, or the team rules cannot be applied to daily sums exactly (periods that are not
 * whole days, or a period left out in the middle of the published ones): the caller then reads the records.
 */
export async function reportFromSummaries(settings: ReportSettings, query: UsageQuery, groupBy: readonly UsageDimension[], team: boolean): Promise<ReportBody | undefined> {
  const { ledger } = settings;
  if (!ledger.summariseRuns) return undefined;
  if (!team) {
    const [groups, runs] = await Promise.all([ledger.aggregate({ ...query, groupBy }), ledger.summariseRuns(query)]);
    return { ...bodyOfRuns(runs, settings.rules), groups, suppressedGroups: 0, suppressedPeriods: 0 };
  }
  if (settings.periodMs % DAY_MS !== 0) return undefined;
  // Each person's sums per day and group decide suppression exactly as their records would (periods are whole days).
  const cells = await ledger.aggregate({ ...query, groupBy: [...new Set<UsageDimension>(['day', 'principal', ...groupBy])] });
  const periodOf = (row: UsageAggregateRow) => periodStart(Date.parse(`${row.key.day}T00:00:00Z`), settings.periodMs);
  const plan = planTeamSuppression(
    cells.map((row) => ({ period: periodOf(row), key: teamGroupKey(row.key, groupBy), person: row.key.principal!, tokens: row.totalTokens })),
    settings.minGroupSize,
  );
  const published = [...plan.publishedPeriods].sort((a, b) => a - b);
  if (published.length === 0) return { ...bodyOfRuns([], settings.rules), groups: [], suppressedGroups: 0, suppressedPeriods: plan.suppressedPeriods };
  const window = { ...query, from: published[0]!, to: published.at(-1)! + settings.periodMs };
  // One window must cover exactly the published periods; a left-out period inside it needs the records.
  const inside = new Set(cells.map(periodOf).filter((start) => start >= window.from && start < window.to));
  if ([...inside].some((start) => !plan.publishedPeriods.has(start))) return undefined;
  const [rows, runs] = await Promise.all([ledger.aggregate({ ...window, groupBy }), ledger.summariseRuns(window)]);
  const groups = rows.filter((row) => !plan.hiddenKeys.has(teamGroupKey(row.key, groupBy)));
  return { ...bodyOfRuns(runs, settings.rules), groups, suppressedGroups: rows.length - groups.length, suppressedPeriods: plan.suppressedPeriods };
}
