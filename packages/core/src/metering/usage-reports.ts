import { AccessDeniedError, InvalidArgumentError } from '../errors';
import type { AuditLog } from '../policy/audit-log';
import { aggregateUsage, usageDimensionValue } from './in-memory-usage-ledger';
import { canViewUsageOf, type OrgDirectory } from './org-directory';
import type { UsageAggregateRow, UsageLedger } from './usage-ledger';
import { USAGE_CATEGORIES, type CategoryCounts, type UsageRecord } from './usage-record';
import type { InflationFlags, OutcomeSummary, UsageReport, UsageReportRequest } from './usage-report';

/** Options for {@link UsageReports}. */
export interface UsageReportsOptions {
  ledger: UsageLedger;
  directory: OrgDirectory;
  /** Refused attempts are recorded here. */
  audit?: AuditLog;
  /** Team groups with fewer distinct people are suppressed. Default 5. */
  minGroupSize?: number;
  /** A prompt sent this many times within `repeatWindowMs` is flagged. Default 3 in one hour. */
  repeatThreshold?: number;
  repeatWindowMs?: number;
}

const BACKGROUND = new Set(['schedule', 'dream', 'heartbeat']);

/**
 * Private usage reports. A viewer sees a person's usage only as that person or someone in their management chain;
 * a team's only when they are in the management chain of every member, with groups of fewer than `minGroupSize`
 * people suppressed. Anyone else gets `AccessDeniedError`, and the attempt is audited.
 */
export class UsageReports {
  private readonly options: Required<Omit<UsageReportsOptions, 'audit'>> & { audit?: AuditLog };

  constructor(options: UsageReportsOptions) {
    this.options = { minGroupSize: 5, repeatThreshold: 3, repeatWindowMs: 3_600_000, ...options };
  }

  /**
   * @throws AccessDeniedError when the viewer may not see the subject or the team.
   * @throws InvalidArgumentError when neither or both of subject and team are given, or the range is empty.
   */
  async report(request: UsageReportRequest): Promise<UsageReport> {
    if ((request.subject === undefined) === (request.team === undefined)) {
      throw new InvalidArgumentError('A usage report needs exactly one of `subject` (a person) or `team`.');
    }
    if (!(request.to > request.from)) throw new InvalidArgumentError('A usage report needs `to` after `from`.');
    const { directory } = this.options;
    const people = request.subject !== undefined ? [request.subject] : [...(await directory.membersOf(request.team!))];
    for (const person of people) {
      if (!(await canViewUsageOf(directory, request.viewer, person))) {
        const target = request.subject ?? `team:${request.team}`;
        await this.options.audit?.append({ type: 'access.denied', principalId: request.viewer, data: { viewer: request.viewer, target, from: request.from, to: request.to } });
        throw new AccessDeniedError(request.viewer, target);
      }
    }
    const query = { principalIds: people, from: request.from, to: request.to };
    const groupBy = request.groupBy ?? [];
    const records = await this.options.ledger.query(query);
    let groups: UsageAggregateRow[];
    let suppressedGroups = 0;
    if (request.team !== undefined) {
      ({ groups, suppressed: suppressedGroups } = suppressSmallGroups(records, groupBy, this.options.minGroupSize));
    } else {
      groups = await this.options.ledger.aggregate({ ...query, groupBy });
    }
    const [total] = aggregateUsage(records, []);
    const totalsRow = total ?? { key: {}, records: 0, runs: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0 };
    const { key: _key, ...totals } = totalsRow;
    const reported = records.filter((r) => r.source === 'reported').reduce((n, r) => n + r.totalTokens, 0);
    return {
      viewer: request.viewer,
      ...(request.subject !== undefined ? { subject: request.subject } : { team: request.team! }),
      from: request.from,
      to: request.to,
      totals: { ...totals, reportedShare: totals.totalTokens === 0 ? 0 : reported / totals.totalTokens },
      groups,
      suppressedGroups,
      categories: sumCategories(records),
      outcomes: summariseOutcomes(records),
      flags: this.flag(records),
      formulaVersions: [...new Set(records.map((r) => r.formulaVersion))].sort(),
    };
  }

  /**
   * One usage record, for a viewer allowed to see its person's usage (to explain its numbers, for example).
   * Undefined when no record has this id.
   * @throws AccessDeniedError when the viewer may not see the record's person; the attempt is audited.
   */
  async record(viewer: string, id: string): Promise<UsageRecord | undefined> {
    const record = await this.options.ledger.get(id);
    if (record === undefined) return undefined;
    if (!(await canViewUsageOf(this.options.directory, viewer, record.principalId))) {
      await this.options.audit?.append({ type: 'access.denied', principalId: viewer, data: { viewer, target: record.principalId, recordId: id } });
      throw new AccessDeniedError(viewer, record.principalId);
    }
    return record;
  }

  private flag(records: readonly UsageRecord[]): InflationFlags {
    const total = records.reduce((n, r) => n + r.totalTokens, 0);
    const share = (filter: (r: UsageRecord) => boolean) => (total === 0 ? 0 : records.filter(filter).reduce((n, r) => n + r.totalTokens, 0) / total);
    const openings = new Map<string, UsageRecord[]>();
    for (const record of records) {
      if (record.step !== 1 || record.attempt !== 1) continue;
      const list = openings.get(record.promptHash) ?? [];
      list.push(record);
      openings.set(record.promptHash, list);
    }
    const repeatedPrompts: InflationFlags['repeatedPrompts'] = [];
    for (const [promptHash, list] of openings) {
      const times = list.map((r) => r.at).sort((a, b) => a - b);
      const dense = times.some((t, i) => i + this.options.repeatThreshold - 1 < times.length && times[i + this.options.repeatThreshold - 1]! - t <= this.options.repeatWindowMs);
      if (!dense) continue;
      const runs = new Set(list.map((r) => r.runId));
      const tokens = records.filter((r) => runs.has(r.runId)).reduce((n, r) => n + r.totalTokens, 0);
      repeatedPrompts.push({ promptHash, runs: runs.size, tokens });
    }
    const runs = byRun(records);
    const idle = [...runs.values()].filter((run) => run.outcome && !run.outcome.answered && Object.keys(run.outcome.actions).length === 0);
    return {
      repeatedPrompts: repeatedPrompts.sort((a, b) => b.tokens - a.tokens),
      idleRuns: { runs: idle.length, tokens: idle.reduce((n, r) => n + r.tokens, 0) },
      backgroundShare: share((r) => BACKGROUND.has(r.trigger)),
      failedShare: share((r) => r.status === 'error' || r.status === 'aborted'),
    };
  }
}

/** Estimated tokens per metering category, summed over the records (provider reports do not split by category). */
function sumCategories(records: readonly UsageRecord[]): CategoryCounts {
  const sums = Object.fromEntries(USAGE_CATEGORIES.map((category) => [category, 0])) as CategoryCounts;
  for (const record of records) for (const category of USAGE_CATEGORIES) sums[category] += record.estimate[category] ?? 0;
  return sums;
}

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

function summariseOutcomes(records: readonly UsageRecord[]): OutcomeSummary {
  const runs = byRun(records);
  let answeredRuns = 0;
  let actions = 0;
  let answeredTokens = 0;
  let total = 0;
  const tokensByStopReason: Record<string, number> = {};
  for (const run of runs.values()) {
    total += run.tokens;
    const reason = run.outcome?.stopReason ?? '(running)';
    tokensByStopReason[reason] = (tokensByStopReason[reason] ?? 0) + run.tokens;
    if (run.outcome?.answered) {
      answeredRuns += 1;
      answeredTokens += run.tokens;
    }
    actions += Object.values(run.outcome?.actions ?? {}).reduce((n, c) => n + c, 0);
  }
  return {
    runs: runs.size,
    answeredRuns,
    actions,
    tokensPerAnsweredRun: answeredRuns === 0 ? null : Math.round(answeredTokens / answeredRuns),
    tokensPerAction: actions === 0 ? null : Math.round(total / actions),
    tokensByStopReason,
  };
}

/** Groups team records, hiding each group with fewer than `min` distinct people. */
function suppressSmallGroups(records: readonly UsageRecord[], groupBy: UsageReportRequest['groupBy'] & {}, min: number): { groups: UsageAggregateRow[]; suppressed: number } {
  const people = new Map<string, Set<string>>();
  const rows = aggregateUsage(records, groupBy);
  for (const record of records) {
    const key: Record<string, string> = {};
    for (const dimension of groupBy) key[dimension] = usageDimensionValue(record, dimension);
    const id = JSON.stringify(key);
    const set = people.get(id) ?? new Set<string>();
    set.add(record.principalId);
    people.set(id, set);
  }
  const groups = rows.filter((row) => (people.get(JSON.stringify(row.key))?.size ?? 0) >= min);
  return { groups, suppressed: rows.length - groups.length };
}
