import { AccessDeniedError, InvalidArgumentError } from '../errors';
import type { AuditLog } from '../policy/audit-log';
import { aggregateUsage } from './in-memory-usage-ledger';
import { privateTeamAggregate } from './private-team-aggregate';
import { canViewUsageOf, type OrgDirectory } from './org-directory';
import type { UsageAggregateRow, UsageLedger } from './usage-ledger';
import { USAGE_CATEGORIES, type CategoryCounts, type UsageRecord } from './usage-record';
import { DEFAULT_INFLATION_FLAG_RULES, inflationFlags, type RepeatWindow } from './inflation-flags';
import { summariseOutcomes } from './outcome-summary';
import type { UsageReport, UsageReportRequest } from './usage-report';

/** Options for {@link UsageReports}. */
export interface UsageReportsOptions {
  ledger: UsageLedger;
  directory: OrgDirectory;
  /** Refused attempts are recorded here. */
  audit?: AuditLog;
  /** Team groups with fewer distinct people are suppressed. Default 5. */
  minGroupSize?: number;
  /**
   * Team reports are computed per period of this length (aligned to the Unix epoch: UTC days by default) and their
   * window is widened to whole periods, so that comparing two windows cannot isolate a small group. Default 1 day.
   */
  teamPeriodMs?: number;
  /** Windows a repeated request is flagged in. Default 3 within an hour and 6 within 24 hours. */
  repeatWindows?: readonly RepeatWindow[];
  /** Opening prompts whose sketches agree on at least this share count as the same request. Default 0.6. */
  nearDuplicateSimilarity?: number;
}

/**
 * Private usage reports. A viewer sees a person's usage only as that person or someone in their management chain;
 * a team's only when they are in the management chain of every member, with groups of fewer than `minGroupSize`
 * people suppressed in a way that resists differencing (see {@link privateTeamAggregate}). Anyone else gets
 * `AccessDeniedError`, and the attempt is audited. `viewer` is taken as given: the host must have authenticated it
 * (the signed-in user of its own session), never a value a caller or a model can choose.
 */
export class UsageReports {
  private readonly options: Required<Omit<UsageReportsOptions, 'audit'>> & { audit?: AuditLog };

  constructor(options: UsageReportsOptions) {
    this.options = { minGroupSize: 5, teamPeriodMs: 86_400_000, ...DEFAULT_INFLATION_FLAG_RULES, ...options };
    if (!(Number.isInteger(this.options.teamPeriodMs) && this.options.teamPeriodMs > 0)) {
      throw new InvalidArgumentError(`teamPeriodMs must be a positive whole number of milliseconds, got ${this.options.teamPeriodMs}.`);
    }
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
    // A team window is widened to whole periods: a window ending mid-period would be a period of its own.
    const period = this.options.teamPeriodMs;
    const from = request.team !== undefined ? Math.floor(request.from / period) * period : request.from;
    const to = request.team !== undefined ? Math.ceil(request.to / period) * period : request.to;
    const query = { principalIds: people, from, to };
    const groupBy = request.groupBy ?? [];
    let records = await this.options.ledger.query(query);
    let groups: UsageAggregateRow[];
    let suppressedGroups = 0;
    let privacy: UsageReport['privacy'];
    if (request.team !== undefined) {
      const team = privateTeamAggregate(records, groupBy, this.options.minGroupSize, period);
      ({ groups, suppressed: suppressedGroups, records } = team);
      privacy = { minGroupSize: this.options.minGroupSize, periodMs: period, suppressedPeriods: team.suppressedPeriods };
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
      from,
      to,
      totals: { ...totals, reportedShare: totals.totalTokens === 0 ? 0 : reported / totals.totalTokens },
      groups,
      suppressedGroups,
      categories: sumCategories(records),
      ...(privacy ? { privacy } : {}),
      outcomes: summariseOutcomes(records),
      flags: inflationFlags(records, this.options),
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
}

/** Estimated tokens per metering category, summed over the records (provider reports do not split by category). */
function sumCategories(records: readonly UsageRecord[]): CategoryCounts {
  const sums = Object.fromEntries(USAGE_CATEGORIES.map((category) => [category, 0])) as CategoryCounts;
  for (const record of records) for (const category of USAGE_CATEGORIES) sums[category] += record.estimate[category] ?? 0;
  return sums;
}
