import type { RunOutcome, UsageRecord } from './usage-record';
import type { UsageAggregateRow, UsageDimension, UsageLedger, UsageQuery } from './usage-ledger';

/** Value of a record along one report dimension. */
export function usageDimensionValue(record: UsageRecord, dimension: UsageDimension): string {
  switch (dimension) {
    case 'principal':
      return record.principalId;
    case 'team':
      return record.team ?? '(none)';
    case 'skill':
      return record.skills.length > 0 ? [...record.skills].sort().join(',') : '(none)';
    case 'trigger':
      return record.trigger;
    case 'model':
      return record.model;
    case 'source':
      return record.source;
    case 'status':
      return record.status;
    case 'day':
      return new Date(record.at).toISOString().slice(0, 10);
    case 'stopReason':
      return record.outcome?.stopReason ?? '(running)';
  }
}

/** True when a record matches a query's filters (not its limit). */
export function matchesUsageQuery(record: UsageRecord, query: UsageQuery): boolean {
  return (
    (query.principalIds === undefined || query.principalIds.includes(record.principalId)) &&
    (query.runId === undefined || record.runId === query.runId) &&
    (query.trigger === undefined || record.trigger === query.trigger) &&
    (query.from === undefined || record.at >= query.from) &&
    (query.to === undefined || record.at < query.to)
  );
}

/** Groups records and sums them; shared by stores that aggregate in process. */
export function aggregateUsage(records: Iterable<UsageRecord>, groupBy: readonly UsageDimension[]): UsageAggregateRow[] {
  const groups = new Map<string, UsageAggregateRow & { runIds: Set<string> }>();
  for (const record of records) {
    const key: Partial<Record<UsageDimension, string>> = {};
    for (const dimension of groupBy) key[dimension] = usageDimensionValue(record, dimension);
    const id = JSON.stringify(key);
    let row = groups.get(id);
    if (!row) {
      row = { key, records: 0, runs: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0, runIds: new Set() };
      groups.set(id, row);
    }
    row.records += 1;
    row.runIds.add(record.runId);
    row.inputTokens += record.inputTokens;
    row.outputTokens += record.outputTokens;
    row.totalTokens += record.totalTokens;
    row.costUsd += record.costUsd;
  }
  return [...groups.values()].map(({ runIds, ...row }) => ({ ...row, runs: runIds.size }));
}

/** A copy of a record that shares nothing mutable with it (records are plain data; this is much cheaper than structuredClone). */
export function cloneUsageRecord(record: UsageRecord): UsageRecord {
  const copy: UsageRecord = { ...record, skills: [...record.skills], tools: [...record.tools], estimate: { ...record.estimate } };
  if (record.reported) copy.reported = { ...record.reported };
  if (record.delta) copy.delta = { ...record.delta };
  if (record.outcome) copy.outcome = { ...record.outcome, actions: { ...record.outcome.actions } };
  return copy;
}

/** A `UsageLedger` in process memory: for tests, examples and single-run scripts. */
export class InMemoryUsageLedger implements UsageLedger {
  private readonly records = new Map<string, UsageRecord>();
  private readonly byRun = new Map<string, UsageRecord[]>();

  async append(records: readonly UsageRecord[]): Promise<void> {
    for (const record of records) {
      const existing = this.records.get(record.id);
      if (!existing) {
        const copy = cloneUsageRecord(record);
        this.records.set(record.id, copy);
        const run = this.byRun.get(record.runId);
        if (run) run.push(copy);
        else this.byRun.set(record.runId, [copy]);
      }
      else if (record.outcome && !existing.outcome) existing.outcome = { ...record.outcome, actions: { ...record.outcome.actions } };
    }
  }

  async query(query: UsageQuery): Promise<UsageRecord[]> {
    const out: UsageRecord[] = [];
    const candidates = query.runId !== undefined ? (this.byRun.get(query.runId) ?? []) : this.records.values();
    for (const record of candidates) if (matchesUsageQuery(record, query)) out.push(record);
    out.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
    return (query.limit === undefined ? out : out.slice(0, query.limit)).map(cloneUsageRecord);
  }

  async get(id: string): Promise<UsageRecord | undefined> {
    const record = this.records.get(id);
    return record === undefined ? undefined : cloneUsageRecord(record);
  }

  async aggregate(query: UsageQuery & { groupBy: readonly UsageDimension[] }): Promise<UsageAggregateRow[]> {
    const matching = [...this.records.values()].filter((r) => matchesUsageQuery(r, query));
    return aggregateUsage(matching, query.groupBy);
  }

  async setOutcome(runId: string, outcome: RunOutcome): Promise<void> {
    for (const record of this.byRun.get(runId) ?? []) record.outcome = { ...outcome, actions: { ...outcome.actions } };
  }
}
