import { StoreError, type JobHistory, type JobOutcome, type JobRunRecord } from '@claw/core';
import type pg from 'pg';

const NAME = /^[a-z_][a-z0-9_]{0,49}$/;

interface Row {
  idempotency_key: string;
  job: string;
  principal_id: string | null;
  tick: string;
  run_id: string;
  attempt: number;
  outcome: JobOutcome;
  reason: string | null;
  error: string | null;
  started_at: string;
  ended_at: string;
}

/**
 * {@link JobHistory} in PostgreSQL (table `<schema>.claw_job_runs`), shared by every replica: a tick one replica
 * finished is seen as finished by all of them, and `lastRun` is the same everywhere.
 */
export class PostgresJobHistory implements JobHistory {
  private readonly table: string;

  /**
   * @param options.pool the connection pool to use (not closed by this class).
   * @param options.schema where the table lives. Default `claw_jobs`.
   * @throws StoreError for a schema name that is not a plain lower-case identifier.
   */
  constructor(private readonly options: { pool: pg.Pool; schema?: string }) {
    const schema = options.schema ?? 'claw_jobs';
    if (!NAME.test(schema)) throw new StoreError(`Schema name ${JSON.stringify(schema)} is invalid: use lower-case letters, digits and _.`);
    this.table = `"${schema}".claw_job_runs`;
  }

  /** Creates the schema and table when missing (safe to call from several replicas at once). */
  async migrate(): Promise<void> {
    const schema = this.table.split('.')[0]!;
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [this.table]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
        idempotency_key text PRIMARY KEY,
        job text NOT NULL,
        principal_id text,
        tick bigint NOT NULL,
        run_id text NOT NULL,
        attempt integer NOT NULL,
        outcome text NOT NULL,
        reason text,
        error text,
        started_at bigint NOT NULL,
        ended_at bigint NOT NULL)`);
      await client.query(`CREATE INDEX IF NOT EXISTS claw_job_runs_by_principal ON ${this.table} (job, principal_id, tick DESC)`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new StoreError(`Could not create the job history table ${this.table}: ${(error as Error).message}`, { cause: error });
    } finally {
      client.release();
    }
  }

  async record(entry: JobRunRecord): Promise<void> {
    await this.options.pool.query(
      `INSERT INTO ${this.table} (idempotency_key, job, principal_id, tick, run_id, attempt, outcome, reason, error, started_at, ended_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (idempotency_key) DO UPDATE SET run_id = EXCLUDED.run_id, attempt = EXCLUDED.attempt, outcome = EXCLUDED.outcome,
         reason = EXCLUDED.reason, error = EXCLUDED.error, started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at`,
      [entry.idempotencyKey, entry.job, entry.principalId ?? null, entry.tick, entry.runId, entry.attempt, entry.outcome,
        entry.reason ?? null, entry.error ?? null, entry.startedAt, entry.endedAt],
    );
  }

  async find(idempotencyKey: string): Promise<JobRunRecord | undefined> {
    const { rows } = await this.options.pool.query<Row>(`SELECT * FROM ${this.table} WHERE idempotency_key = $1`, [idempotencyKey]);
    return rows[0] && fromRow(rows[0]);
  }

  async last(job: string, principalId: string | undefined, outcome?: JobOutcome): Promise<JobRunRecord | undefined> {
    const { rows } = await this.options.pool.query<Row>(
      `SELECT * FROM ${this.table} WHERE job = $1 AND principal_id IS NOT DISTINCT FROM $2 AND ($3::text IS NULL OR outcome = $3)
       ORDER BY tick DESC, ended_at DESC LIMIT 1`,
      [job, principalId ?? null, outcome ?? null],
    );
    return rows[0] && fromRow(rows[0]);
  }

  async latest(job?: string): Promise<JobRunRecord[]> {
    const { rows } = await this.options.pool.query<Row>(
      `SELECT DISTINCT ON (job, principal_id) * FROM ${this.table} WHERE ($1::text IS NULL OR job = $1)
       ORDER BY job, principal_id, tick DESC, ended_at DESC`,
      [job ?? null],
    );
    return rows.map(fromRow);
  }
}

function fromRow(row: Row): JobRunRecord {
  return {
    job: row.job,
    principalId: row.principal_id ?? undefined,
    tick: Number(row.tick),
    idempotencyKey: row.idempotency_key,
    runId: row.run_id,
    attempt: row.attempt,
    outcome: row.outcome,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    startedAt: Number(row.started_at),
    endedAt: Number(row.ended_at),
  };
}
