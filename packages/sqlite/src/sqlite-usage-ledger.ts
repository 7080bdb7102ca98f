import type Database from 'better-sqlite3';
import {
  InvalidArgumentError,
  type RunOutcome,
  type UsageAggregateRow,
  type UsageDimension,
  type UsageLedger,
  type UsageQuery,
  type UsageRecord,
  type UsageRunSummary,
} from '@claw/core';
import { storeCall } from './sqlite-errors';
import { DAY_MS, USAGE_COLUMNS, assertUsageRecord, decodeHash, usageRecordFromRow, usageRowValues, type UsageRow } from './usage-record-row';
import { parseJsonColumn } from './json-column';
import { DIMENSION_COLUMNS, UsageRollup } from './usage-rollup';
import { ESTIMATE_SUMS_SQL, RUN_DAY_READ_COLUMNS, UsageRunDays, estimateOfSums, summariesOfRunDays, type RunDayValues } from './usage-run-days';

/** A row of {@link SqliteUsageLedger.summariseRuns}' statement. */
interface RunSummaryRow {
  run_id: string;
  principal_id: string;
  records: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cost_usd: number;
  reported_tokens: number;
  background_tokens: number;
  failed_tokens: number;
  formula_versions: string;
  estimate: string;
  outcome: string | null;
  opening_at: number | null;
  opening_hash: string | Buffer | null;
  opening_sketch: string | null;
}

const dayLabels = new Map<number, string>();

/** `YYYY-MM-DD` of a day number (days since the epoch, UTC); reports name the same few days over and over. */
function dayLabel(day: number): string {
  let label = dayLabels.get(day);
  if (label === undefined) {
    label = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayLabels.size < 100_000) dayLabels.set(day, label);
  }
  return label;
}

/** Up to this many days a per-person report lists its days (about three years); longer spans scan by day range. */
const MAX_LISTED_DAYS = 1100;

/** True when a bound is absent or falls on a UTC midnight, so whole rollup days answer the query exactly. */
const onDayBoundary = (bound: number | undefined) => bound === undefined || bound % DAY_MS === 0;

/**
 * A {@link UsageLedger} in a Claw SQLite database. A batch is appended in one transaction: after a crash either
 * all of it is stored or none, and appending it again stores nothing twice (records are keyed by id). Reports
 * whose time bounds fall on UTC midnights (monthly and daily reports) read a rollup maintained in the same
 * transactions; other reports aggregate the records themselves.
 */
export class SqliteUsageLedger implements UsageLedger {
  private readonly rollup: UsageRollup;
  private readonly runDays: UsageRunDays;
  private readonly appendBatch: Database.Transaction<(records: readonly UsageRecord[]) => void>;
  private readonly setOutcomeTransaction: Database.Transaction<(runId: string, outcome: RunOutcome) => void>;

  private readonly statements = new Map<string, Database.Statement>();

  /** A prepared statement for this SQL text, prepared once (report queries repeat the same few texts). */
  private prepared(sql: string, raw = false): Database.Statement {
    const key = `${raw ? 'raw:' : ''}${sql}`;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (raw) statement.raw(true);
      this.statements.set(key, statement);
    }
    return statement;
  }

  /** Use {@link openClawDatabase}; this constructor expects a migrated database. */
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {
    this.rollup = new UsageRollup(db);
    this.runDays = new UsageRunDays(db);
    const insert = db.prepare(
      `INSERT INTO usage_records (${USAGE_COLUMNS}) VALUES (${USAGE_COLUMNS.split(',').map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`,
    );
    // A re-append only ever adds an outcome the record lacks (the first one stays: `setOutcome` replaces it);
    // counts of a stored record never change.
    const addOutcome = db.prepare('UPDATE usage_records SET outcome = ?, stop_reason = ? WHERE id = ? AND outcome IS NULL');
    this.appendBatch = db.transaction((records: readonly UsageRecord[]) => {
      const stored: UsageRecord[] = [];
      const storedAt: { record: UsageRecord; seq: number }[] = [];
      const outcomeChanged = new Set<string>();
      for (const record of records) {
        const inserted = insert.run(...usageRowValues(record));
        if (inserted.changes === 1) stored.push(record), storedAt.push({ record, seq: Number(inserted.lastInsertRowid) });
        else if (record.outcome) {
          const json = JSON.stringify(record.outcome);
          if (addOutcome.run(json, record.outcome.stopReason, record.id).changes === 1) outcomeChanged.add(record.runId);
        }
      }
      this.rollup.addRecords(stored);
      this.rollup.rebuildRuns(outcomeChanged);
      this.runDays.addRecords(storedAt);
      this.runDays.rebuildRuns(outcomeChanged);
    });
    const setOutcome = db.prepare('UPDATE usage_records SET outcome = ?, stop_reason = ? WHERE run_id = ?');
    this.setOutcomeTransaction = db.transaction((runId: string, outcome: RunOutcome) => {
      if (setOutcome.run(JSON.stringify(outcome), outcome.stopReason, runId).changes > 0) {
        this.rollup.rebuildRuns([runId]);
        this.runDays.rebuildRuns([runId]);
      }
    });
  }

  /**
   * Stores a batch atomically; records already stored are skipped, except that an `outcome` is added.
   * @throws InvalidArgumentError for a malformed record (nothing of the batch is stored); StoreError when SQLite fails.
   */
  async append(records: readonly UsageRecord[]): Promise<void> {
    if (!Array.isArray(records)) throw new InvalidArgumentError('append() needs an array of usage records.');
    records.forEach(assertUsageRecord);
    if (records.length === 0) return;
    // immediate: take the write lock up front, so a concurrent writer waits instead of failing mid-batch.
    storeCall(this.file, 'append usage records', () => this.appendBatch.immediate(records));
  }

  /** Records matching the query, oldest first. @throws StoreError when SQLite fails. */
  async query(query: UsageQuery = {}): Promise<UsageRecord[]> {
    const { sql, params, seeksByDay } = this.where(query, 'records');
    if (query.limit !== undefined) params.push(query.limit);
    // For ORDER BY at SQLite would otherwise walk the time index, reading every record of the span (all people) to
    // find a few people's; the (day, person) pairs are listed, so seek them.
    const table = seeksByDay ? 'usage_records INDEXED BY usage_by_day_principal' : 'usage_records';
    const statement = `SELECT ${USAGE_COLUMNS} FROM ${table} ${sql} ORDER BY at, seq ${query.limit !== undefined ? 'LIMIT ?' : ''}`;
    return storeCall(this.file, 'query usage records', () => (this.prepared(statement).all(...params) as UsageRow[]).map(usageRecordFromRow));
  }

  /** The record with this id, or undefined. @throws StoreError when SQLite fails. */
  async get(id: string): Promise<UsageRecord | undefined> {
    const row = storeCall(this.file, 'read a usage record', () =>
      this.db.prepare(`SELECT ${USAGE_COLUMNS} FROM usage_records WHERE id = ?`).get(String(id)) as UsageRow | undefined,
    );
    return row === undefined ? undefined : usageRecordFromRow(row);
  }

  /** Sums per group of the given dimensions. @throws InvalidArgumentError for an unknown dimension; StoreError when SQLite fails. */
  async aggregate(query: UsageQuery & { groupBy: readonly UsageDimension[] }): Promise<UsageAggregateRow[]> {
    const groupBy = query.groupBy ?? [];
    for (const dimension of groupBy) {
      if (!Object.hasOwn(DIMENSION_COLUMNS, dimension)) {
        throw new InvalidArgumentError(`Unknown usage dimension "${dimension}"; use one of ${Object.keys(DIMENSION_COLUMNS).join(', ')}.`);
      }
    }
    const source = query.runId === undefined && onDayBoundary(query.from) && onDayBoundary(query.to) ? 'rollup' : 'records';
    const { sql, params } = this.where(query, source);
    const keys = groupBy.map((dimension, i) => `${DIMENSION_COLUMNS[dimension][source]} AS k${i}`);
    const records = source === 'rollup' ? 'SUM(records)' : 'COUNT(*)';
    const statement = `SELECT ${[...keys, `${records} AS records`, 'COUNT(DISTINCT run_id) AS runs', 'SUM(input_tokens) AS inputTokens',
      'SUM(output_tokens) AS outputTokens', 'SUM(total_tokens) AS totalTokens', 'TOTAL(cost_usd) AS costUsd'].join(', ')}
      FROM ${source === 'rollup' ? 'usage_rollup' : 'usage_records'} ${sql}
      ${groupBy.length > 0 ? `GROUP BY ${groupBy.map((_, i) => `k${i}`).join(', ')}` : ''}`;
    // Raw rows (arrays): a team page reads thousands of groups, and naming every value of each costs more than the query.
    const rows = storeCall(this.file, 'aggregate usage', () => this.prepared(statement, true).all(...params) as (number | string | null)[][]);
    const n = groupBy.length;
    const result: UsageAggregateRow[] = [];
    for (const row of rows) {
      if (!(Number(row[n]) > 0)) continue;
      const key: UsageAggregateRow['key'] = {};
      for (let i = 0; i < n; i++) {
        const dimension = groupBy[i]!;
        key[dimension] = dimension === 'day' ? dayLabel(row[i] as number) : String(row[i]);
      }
      result.push({
        key,
        records: row[n] as number,
        runs: row[n + 1] as number,
        inputTokens: row[n + 2] as number,
        outputTokens: row[n + 3] as number,
        totalTokens: row[n + 4] as number,
        costUsd: row[n + 5] as number,
      });
    }
    return result;
  }

  /**
   * One summary per run of the matching records. Queries over whole UTC days read the per-run, per-day rows kept
   * beside the records (`usage_run_days`); others are computed from the records in SQL: window functions pick each run's first record
   * (its order), first outcome and first user-triggered call (the opening), in the order `query` returns records.
   * @throws StoreError when SQLite fails.
   */
  async summariseRuns(query: UsageQuery = {}): Promise<UsageRunSummary[]> {
    // Whole UTC days (every report the console and UsageReports make) are answered from usage_run_days.
    if (query.trigger === undefined && onDayBoundary(query.from) && onDayBoundary(query.to)) {
      const { sql, params } = this.where(query, 'rollup');
      const statement = `SELECT ${RUN_DAY_READ_COLUMNS} FROM usage_run_days ${sql}`;
      return summariesOfRunDays(storeCall(this.file, 'summarise usage runs', () => this.prepared(statement, true).all(...params) as RunDayValues[]));
    }
    const { sql, params, seeksByDay } = this.where(query, 'records');
    const table = seeksByDay ? 'usage_records INDEXED BY usage_by_day_principal' : 'usage_records';
    const opening = `rn_open = 1 AND "trigger" = 'user'`;
    const statement = `SELECT run_id, MIN(principal_id) AS principal_id, COUNT(*) AS records, SUM(input_tokens) AS input_tokens,
        SUM(output_tokens) AS output_tokens, SUM(total_tokens) AS total_tokens, TOTAL(cost_usd) AS cost_usd,
        TOTAL(CASE WHEN source = 'reported' THEN total_tokens END) AS reported_tokens,
        TOTAL(CASE WHEN "trigger" IN ('schedule', 'dream', 'heartbeat') THEN total_tokens END) AS background_tokens,
        TOTAL(CASE WHEN status IN ('error', 'aborted') THEN total_tokens END) AS failed_tokens,
        json_group_array(DISTINCT formula_version) AS formula_versions, ${ESTIMATE_SUMS_SQL} AS estimate,
        MAX(CASE WHEN rn_first = 1 THEN at END) AS first_at, MAX(CASE WHEN rn_first = 1 THEN seq END) AS first_seq,
        MAX(CASE WHEN rn_outcome = 1 THEN outcome END) AS outcome,
        MAX(CASE WHEN ${opening} THEN at END) AS opening_at, MAX(CASE WHEN ${opening} THEN prompt_hash END) AS opening_hash,
        MAX(CASE WHEN ${opening} THEN prompt_sketch END) AS opening_sketch
      FROM (SELECT seq, run_id, principal_id, at, "trigger", source, status, input_tokens, output_tokens, total_tokens, cost_usd,
          formula_version, outcome, prompt_hash, prompt_sketch, estimate,
          ROW_NUMBER() OVER (PARTITION BY run_id ORDER BY at, seq) AS rn_first,
          ROW_NUMBER() OVER (PARTITION BY run_id ORDER BY outcome IS NULL, at, seq) AS rn_outcome,
          ROW_NUMBER() OVER (PARTITION BY run_id ORDER BY "trigger" <> 'user', at, seq) AS rn_open
        FROM ${table} ${sql})
      GROUP BY run_id ORDER BY first_at, first_seq`;
    const rows = storeCall(this.file, 'summarise usage runs', () => this.prepared(statement).all(...params) as RunSummaryRow[]);
    return rows.map((row) => {
      const summary: UsageRunSummary = {
        runId: row.run_id,
        principalId: row.principal_id,
        records: row.records,
        inputTokens: row.input_tokens,
        outputTokens: row.output_tokens,
        totalTokens: row.total_tokens,
        costUsd: row.cost_usd,
        reportedTokens: row.reported_tokens,
        backgroundTokens: row.background_tokens,
        failedTokens: row.failed_tokens,
        estimate: estimateOfSums(row.estimate),
        formulaVersions: parseJsonColumn<string[]>(row.formula_versions, 'formula versions').sort(),
      };
      if (row.outcome !== null) summary.outcome = parseJsonColumn<RunOutcome>(row.outcome, 'run outcome');
      if (row.opening_at !== null && row.opening_hash !== null) {
        summary.opening = { at: row.opening_at, promptHash: decodeHash(row.opening_hash), ...(row.opening_sketch !== null ? { promptSketch: row.opening_sketch } : {}) };
      }
      return summary;
    });
  }

  /**
   * WHERE clause and parameters for a query's filters. Both the records and the rollup are indexed by day, then
   * person: a query for some people over a span of days names each day, so SQLite seeks straight to every
   * (day, person) pair instead of reading whole days.
   */
  private where(query: UsageQuery, source: 'records' | 'rollup'): { sql: string; params: unknown[]; seeksByDay: boolean } {
    const conditions: string[] = [];
    const params: unknown[] = [];
    let seeksByDay = false;
    if (query.principalIds !== undefined) {
      // json_each keeps the statement text fixed however many principals a manager's report covers.
      conditions.push('principal_id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(query.principalIds));
      const days = this.daysOf(query, source);
      if (days) conditions.push('day IN (SELECT value FROM json_each(?))'), params.push(JSON.stringify(days));
      seeksByDay = days !== undefined;
    }
    if (query.runId !== undefined) conditions.push('run_id = ?'), params.push(query.runId);
    if (query.trigger !== undefined) conditions.push('"trigger" = ?'), params.push(query.trigger);
    // Rollup queries have midnight bounds (see aggregate), so whole days answer them exactly.
    const [column, scale] = source === 'rollup' ? ['day', DAY_MS] : ['at', 1];
    if (query.from !== undefined) conditions.push(`${column} >= ?`), params.push(query.from / scale);
    if (query.to !== undefined) conditions.push(`${column} < ?`), params.push(query.to / scale);
    return { sql: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params, seeksByDay };
  }

  /** The UTC days a query can touch, or undefined when there are too many to list (then the day range is scanned). */
  private daysOf(query: UsageQuery, source: 'records' | 'rollup'): number[] | undefined {
    let first = query.from === undefined ? undefined : Math.floor(query.from / DAY_MS);
    let end = query.to === undefined ? undefined : Math.floor((query.to - 1) / DAY_MS) + 1;
    if (first === undefined || end === undefined) {
      const table = source === 'rollup' ? 'usage_rollup' : 'usage_records';
      const span = this.db.prepare(`SELECT MIN(day) AS low, MAX(day) AS high FROM ${table}`).get() as { low: number | null; high: number | null };
      if (span.low === null || span.high === null) return [];
      first = Math.max(first ?? span.low, span.low);
      end = Math.min(end ?? span.high + 1, span.high + 1);
    }
    if (!Number.isFinite(first) || !Number.isFinite(end) || end - first > MAX_LISTED_DAYS) return undefined;
    return Array.from({ length: Math.max(0, end - first) }, (_, i) => first! + i);
  }

  /** Sets the outcome on every record of a run. @throws StoreError when SQLite fails. */
  async setOutcome(runId: string, outcome: RunOutcome): Promise<void> {
    if (typeof outcome?.stopReason !== 'string') throw new InvalidArgumentError('setOutcome() needs an outcome with a stopReason.');
    storeCall(this.file, 'set a run outcome', () => this.setOutcomeTransaction.immediate(runId, outcome));
  }
}
