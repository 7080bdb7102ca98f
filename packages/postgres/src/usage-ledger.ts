import {
  InvalidArgumentError,
  type RunOutcome,
  type UsageAggregateRow,
  type UsageDimension,
  type UsageLedger,
  type UsageQuery,
  type UsageRecord,
} from '@claw/core';
import { clawDatabase, toNumber, type ClawDatabase, type PostgresStoreOptions } from './database';

/** Records per INSERT statement: large enough to amortise round trips, small enough to keep one statement cheap. */
const BATCH_SIZE = 2_000;

/** SQL expression of each aggregate dimension (every one maps a missing value to `(none)`). */
const DIMENSIONS: Record<UsageDimension, string> = {
  principal: 'principal_id',
  team: "coalesce(team, '(none)')",
  skill: 'skill_key',
  trigger: 'trigger',
  model: 'model',
  source: 'source',
  status: 'status',
  day: 'day',
  stopReason: "coalesce(stop_reason, '(none)')",
};

/** One row as sent to PostgreSQL inside the batch's JSON document. */
interface IngestRow {
  id: string;
  run_id: string;
  at: number;
  principal_id: string;
  team: string | null;
  skill_key: string;
  trigger: string;
  model: string;
  source: string;
  status: string;
  day: string;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cost_usd: number;
  record: string;
  outcome: string | null;
  stop_reason: string | null;
}

/**
 * {@link UsageLedger} on PostgreSQL for services with many replicas. Appends are idempotent by record id
 * (`INSERT … ON CONFLICT`), batched as one JSON document per 2,000 records, and atomic per call: a crash mid-append
 * leaves none of that call's records behind, and retrying stores each exactly once.
 */
export class PostgresUsageLedger implements UsageLedger {
  private readonly db: ClawDatabase;

  /** @throws InvalidArgumentError for a bad schema name or a missing pool. */
  constructor(options: PostgresStoreOptions) {
    this.db = clawDatabase(options);
  }

  /**
   * Stores records; a record whose id is already stored only gains an `outcome` it did not have, counts never change.
   * @throws InvalidArgumentError for records without an id; StoreError when the database fails (nothing is stored).
   */
  async append(records: readonly UsageRecord[]): Promise<void> {
    const rows = dedupe(records).map(toIngestRow);
    if (rows.length === 0) return;
    const table = this.db.table('usage_records');
    const sql = `
      INSERT INTO ${table} (id, run_id, at, principal_id, team, skill_key, trigger, model, source, status, day,
        input_tokens, output_tokens, total_tokens, cost_usd, record, outcome, stop_reason)
      SELECT id, run_id, at, principal_id, team, skill_key, trigger, model, source, status, day,
        input_tokens, output_tokens, total_tokens, cost_usd, record, outcome, stop_reason
      FROM json_to_recordset($1::json) AS r(id text, run_id text, at double precision, principal_id text, team text,
        skill_key text, trigger text, model text, source text, status text, day text, input_tokens double precision,
        output_tokens double precision, total_tokens double precision, cost_usd double precision, record text,
        outcome text, stop_reason text)
      ON CONFLICT (id) DO UPDATE SET outcome = EXCLUDED.outcome, stop_reason = EXCLUDED.stop_reason
        WHERE ${table}.outcome IS NULL AND EXCLUDED.outcome IS NOT NULL`;
    const send = (client: { query: (sql: string, params: unknown[]) => Promise<unknown> }, batch: IngestRow[]) =>
      client.query(sql, [JSON.stringify(batch)]);
    if (rows.length <= BATCH_SIZE) {
      await this.db.query('appending usage records', sql, [JSON.stringify(rows)]);
      return;
    }
    await this.db.transaction('appending usage records', async (client) => {
      for (let i = 0; i < rows.length; i += BATCH_SIZE) await send(client, rows.slice(i, i + BATCH_SIZE));
    });
  }

  /** Records matching the query, oldest first. @throws StoreError when the database fails. */
  async query(query: UsageQuery = {}): Promise<UsageRecord[]> {
    const { where, params } = whereClause(query);
    const limit = query.limit !== undefined ? ` LIMIT ${limitValue(query.limit)}` : '';
    const rows = await this.db.query<{ record: string; outcome: string | null }>(
      'querying usage records',
      `SELECT record, outcome FROM ${this.db.table('usage_records')} ${where} ORDER BY at, seq${limit}`,
      params,
    );
    return rows.map((row) => {
      const record = JSON.parse(row.record) as UsageRecord;
      if (row.outcome !== null) record.outcome = JSON.parse(row.outcome) as RunOutcome;
      return record;
    });
  }

  /** Sums usage grouped by the given dimensions, computed in SQL. @throws InvalidArgumentError for an unknown dimension. */
  async aggregate(query: UsageQuery & { groupBy: readonly UsageDimension[] }): Promise<UsageAggregateRow[]> {
    const groupBy = [...new Set(query.groupBy ?? [])];
    for (const dimension of groupBy) {
      if (!Object.hasOwn(DIMENSIONS, dimension)) {
        throw new InvalidArgumentError(`Unknown usage dimension ${JSON.stringify(dimension)}; use one of ${Object.keys(DIMENSIONS).join(', ')}.`);
      }
    }
    const { where, params } = whereClause(query);
    const keys = groupBy.map((dimension, i) => `${DIMENSIONS[dimension]} AS k${i}`);
    const source = query.limit !== undefined
      ? `(SELECT * FROM ${this.db.table('usage_records')} ${where} ORDER BY at, seq LIMIT ${limitValue(query.limit)}) AS limited`
      : `${this.db.table('usage_records')} ${where}`;
    const groupClause = groupBy.length > 0 ? `GROUP BY ${groupBy.map((_, i) => i + 1).join(', ')} ORDER BY ${groupBy.map((_, i) => i + 1).join(', ')}` : '';
    const rows = await this.db.query<Record<string, unknown>>(
      'aggregating usage records',
      `SELECT ${[...keys, 'count(*) AS records', 'count(DISTINCT run_id) AS runs', 'sum(input_tokens) AS input_tokens',
        'sum(output_tokens) AS output_tokens', 'sum(total_tokens) AS total_tokens', 'sum(cost_usd) AS cost_usd'].join(', ')}
       FROM ${source} ${groupClause}`,
      params,
    );
    return rows
      .filter((row) => groupBy.length > 0 || toNumber(row.records) > 0)
      .map((row) => ({
        key: Object.fromEntries(groupBy.map((dimension, i) => [dimension, String(row[`k${i}`])])),
        records: toNumber(row.records),
        runs: toNumber(row.runs),
        inputTokens: toNumber(row.input_tokens),
        outputTokens: toNumber(row.output_tokens),
        totalTokens: toNumber(row.total_tokens),
        costUsd: toNumber(row.cost_usd),
      }));
  }

  /** Sets the outcome on every record of a run (also replacing an earlier one). @throws StoreError when the database fails. */
  async setOutcome(runId: string, outcome: RunOutcome): Promise<void> {
    await this.db.query(
      'setting a run outcome',
      `UPDATE ${this.db.table('usage_records')} SET outcome = $2, stop_reason = $3 WHERE run_id = $1`,
      [runId, JSON.stringify(outcome), outcome.stopReason],
    );
  }
}

/** One statement cannot touch a row twice: keep the first copy of each id, taking an outcome a later copy adds. */
function dedupe(records: readonly UsageRecord[]): UsageRecord[] {
  if (!Array.isArray(records)) throw new InvalidArgumentError('append() takes an array of usage records.');
  const byId = new Map<string, UsageRecord>();
  for (const record of records) {
    if (!record || typeof record.id !== 'string' || record.id.length === 0) {
      throw new InvalidArgumentError('Every usage record needs a non-empty string id (runId:step:attempt).');
    }
    const seen = byId.get(record.id);
    if (!seen) byId.set(record.id, record);
    else if (seen.outcome === undefined && record.outcome !== undefined) byId.set(record.id, { ...seen, outcome: record.outcome });
  }
  return [...byId.values()];
}

function toIngestRow(record: UsageRecord): IngestRow {
  const { outcome, ...rest } = record;
  return {
    id: record.id,
    run_id: record.runId,
    at: record.at,
    principal_id: record.principalId,
    team: record.team ?? null,
    skill_key: record.skills.length > 0 ? [...record.skills].sort().join(',') : '(none)',
    trigger: record.trigger,
    model: record.model,
    source: record.source,
    status: record.status,
    day: new Date(record.at).toISOString().slice(0, 10),
    input_tokens: record.inputTokens,
    output_tokens: record.outputTokens,
    total_tokens: record.totalTokens,
    cost_usd: record.costUsd,
    record: JSON.stringify(rest),
    outcome: outcome ? JSON.stringify(outcome) : null,
    stop_reason: outcome?.stopReason ?? null,
  };
}

function whereClause(query: UsageQuery): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (query.principalIds !== undefined) add((p) => `principal_id = ANY(${p}::text[])`, [...query.principalIds]);
  if (query.runId !== undefined) add((p) => `run_id = ${p}`, query.runId);
  if (query.trigger !== undefined) add((p) => `trigger = ${p}`, query.trigger);
  if (query.from !== undefined) add((p) => `at >= ${p}`, query.from);
  if (query.to !== undefined) add((p) => `at < ${p}`, query.to);
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

function limitValue(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new InvalidArgumentError(`limit must be a non-negative integer, got ${limit}.`);
  return limit;
}
