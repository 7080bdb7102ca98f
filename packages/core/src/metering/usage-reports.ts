import { AccessDeniedError, InvalidArgumentError } from '../errors';
import type { AuditLog } from '../policy/audit-log';
import { aggregateUsage, usageDimensionValue } from './in-memory-usage-ledger';
import { canViewUsageOf, type OrgDirectory } from './org-directory';
import type { UsageAggregateRow, UsageLedger } from './usage-ledger';
import type { UsageRecord } from './usage-record';
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
  /** Windows a repeated request is flagged in. Default 3 within an hour and 6 within 24 hours. */
  repeatWindows?: readonly RepeatWindow[];
  /** Opening prompts whose sketches agree on at least this share count as the same request. Default 0.6. */
  nearDuplicateSimilarity?: number;
}

/**
 * Private usage reports. A viewer sees a person's usage only as that person or someone in their management chain;
 * a team's only when they are in the management chain of every member, with groups of fewer than `minGroupSize`
 * people suppressed. Anyone else gets `AccessDeniedError`, and the attempt is audited.
 */
export class UsageReports {
  private readonly options: Required<Omit<UsageReportsOptions, 'audit'>> & { audit?: AuditLog };

  constructor(options: UsageReportsOptions) {
    this.options = { minGroupSize: 5, ...DEFAULT_INFLATION_FLAG_RULES, ...options };
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
      outcomes: summariseOutcomes(records),
      flags: inflationFlags(records, this.options),
      formulaVersions: [...new Set(records.map((r) => r.formulaVersion))].sort(),
    };
  }
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
