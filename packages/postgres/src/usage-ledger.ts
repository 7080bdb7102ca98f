import {
  InvalidArgumentError,
  type RunOutcome,
  type UsageAggregateRow,
  type UsageDimension,
  type UsageLedger,
  type UsageQuery,
  type UsageRecord,
} from '@claw/core';
import { copyField, copyFromText } from './copy-from';
import { clawDatabase, toNumber, type ClawDatabase, type PostgresStoreOptions } from './database';

/** From this many records on, a batch goes through COPY into a staging table; smaller ones are one INSERT. */
const COPY_THRESHOLD = 200;

/** Records per chunk of COPY text handed to the socket. */
const COPY_CHUNK = 2_000;

/** Columns written on ingest, in COPY order. */
const INGEST_COLUMNS = [
  'id', 'run_id', 'at', 'principal_id', 'team', 'skill_key', 'trigger', 'model', 'source', 'status', 'day',
  'input_tokens', 'output_tokens', 'total_tokens', 'cost_usd', 'record', 'outcome', 'stop_reason',
] as const;

const COLUMN_TYPES = `id text, run_id text, at double precision, principal_id text, team text, skill_key text,
  trigger text, model text, source text, status text, day text, input_tokens double precision,
  output_tokens double precision, total_tokens double precision, cost_usd double precision, record json,
  outcome json, stop_reason text`;

const COLUMN_LIST = INGEST_COLUMNS.join(', ');

/** A session-local staging table; ON COMMIT DELETE ROWS empties it at the end of every append transaction. */
const CREATE_STAGE = `CREATE TEMP TABLE IF NOT EXISTS claw_usage_stage (${COLUMN_TYPES}) ON COMMIT DELETE ROWS`;

/** SQL expression of each aggregate dimension: a missing team is `(none)`, a run without outcome `(running)`. */
const DIMENSIONS: Record<UsageDimension, string> = {
  principal: 'principal_id',
  team: "coalesce(team, '(none)')",
  skill: 'skill_key',
  trigger: 'trigger',
  model: 'model',
  source: 'source',
  status: 'status',
  day: 'day',
  stopReason: "coalesce(stop_reason, '(running)')",
};

/** One row as written, in {@link INGEST_COLUMNS} order of keys. */
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
  record: Omit<UsageRecord, 'outcome'>;
  outcome: RunOutcome | null;
  stop_reason: string | null;
}

/**
 * {@link UsageLedger} on PostgreSQL for services with many replicas. Appends are idempotent by record id
 * (`INSERT … ON CONFLICT`) and atomic per call: a crash mid-append leaves none of that call's records behind, and
 * retrying stores each exactly once. Small batches are one INSERT from a JSON document; large ones are streamed
 * with COPY into a session-local staging table and moved over in the same transaction, which costs the server
 * a third of the work per record.
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
    // A stored record only ever gains an outcome it lacked; its counts never change.
    const onConflict = `ON CONFLICT (id) DO UPDATE SET outcome = EXCLUDED.outcome, stop_reason = EXCLUDED.stop_reason
      WHERE ${table}.outcome IS NULL AND EXCLUDED.outcome IS NOT NULL`;
    if (rows.length < COPY_THRESHOLD) {
      await this.db.query(
        'appending usage records',
        `INSERT INTO ${table} (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM json_to_recordset($1::json) AS r(${COLUMN_TYPES}) ${onConflict}`,
        [JSON.stringify(rows)],
      );
      return;
    }
    // COPY cannot skip duplicates, so it fills a staging table that one INSERT … ON CONFLICT then moves over;
    // both run in one transaction, so a failure or crash part way leaves none of the batch behind.
    await this.db.transaction('appending usage records', async (client) => {
      await client.query(CREATE_STAGE);
      await copyFromText(client, `COPY pg_temp.claw_usage_stage (${COLUMN_LIST}) FROM STDIN`, () => copyChunks(rows));
      await client.query(`INSERT INTO ${table} (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM pg_temp.claw_usage_stage ${onConflict}`);
    });
  }

  /** Records matching the query, oldest first. @throws StoreError when the database fails. */
  async query(query: UsageQuery = {}): Promise<UsageRecord[]> {
    const { where, params } = whereClause(query);
    const limit = query.limit !== undefined ? ` LIMIT ${limitValue(query.limit)}` : '';
    const rows = await this.db.query<{ record: UsageRecord; outcome: RunOutcome | null }>(
      'querying usage records',
      `SELECT record, outcome FROM ${this.db.table('usage_records')} ${where} ORDER BY at, seq${limit}`,
      params,
    );
    // pg parses json columns itself.
    return rows.map((row) => (row.outcome !== null ? { ...row.record, outcome: row.outcome } : row.record));
  }

  /** The record with this id, or undefined. @throws StoreError when the database fails. */
  async get(id: string): Promise<UsageRecord | undefined> {
    const rows = await this.db.query<{ record: UsageRecord; outcome: RunOutcome | null }>(
      'reading a usage record',
      `SELECT record, outcome FROM ${this.db.table('usage_records')} WHERE id = $1`,
      [String(id)],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return row.outcome !== null ? { ...row.record, outcome: row.outcome } : row.record;
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
    if (!Number.isFinite(record.at)) throw new InvalidArgumentError(`Usage record ${record.id} needs a finite \`at\` (ms since the epoch).`);
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
    record: rest,
    outcome: outcome ?? null,
    stop_reason: outcome?.stopReason ?? null,
  };
}

/** The rows as COPY text, a few thousand lines per chunk. */
function* copyChunks(rows: readonly IngestRow[]): Generator<string> {
  for (let start = 0; start < rows.length; start += COPY_CHUNK) {
    let text = '';
    for (const row of rows.slice(start, start + COPY_CHUNK)) {
      text += `${copyField(row.id)}\t${copyField(row.run_id)}\t${copyField(row.at)}\t${copyField(row.principal_id)}\t${copyField(row.team)}\t${copyField(row.skill_key)}\t${copyField(row.trigger)}\t${copyField(row.model)}\t${copyField(row.source)}\t${copyField(row.status)}\t${row.day}\t${copyField(row.input_tokens)}\t${copyField(row.output_tokens)}\t${copyField(row.total_tokens)}\t${copyField(row.cost_usd)}\t${copyField(JSON.stringify(row.record))}\t${copyField(row.outcome === null ? null : JSON.stringify(row.outcome))}\t${copyField(row.stop_reason)}\n`;
    }
    yield text;
  }
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
