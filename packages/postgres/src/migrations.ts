import { StoreError } from '@claw/core';
import type { Pool, PoolClient } from 'pg';
import { toStoreError } from './store-error';

/** One schema change. Versions only grow; a released migration is never edited. */
interface Migration {
  version: number;
  name: string;
  sql: (schema: string) => string;
}

/** Key of the advisory lock that serialises migrations of one schema across processes ("CLAW"). */
const MIGRATION_LOCK_CLASS = 0x434c4157;

/** The table recording which migrations a schema has. */
export const MIGRATIONS_TABLE = 'claw_schema_migrations';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'usage ledger, budgets, audit log, approvals, run states, memory',
    sql: (s) => `
      CREATE TABLE "${s}".usage_records (
        seq bigserial NOT NULL,
        id text PRIMARY KEY,
        run_id text NOT NULL,
        at double precision NOT NULL,
        principal_id text NOT NULL,
        team text,
        skill_key text NOT NULL,
        trigger text NOT NULL,
        model text NOT NULL,
        source text NOT NULL,
        status text NOT NULL,
        day text NOT NULL,
        input_tokens double precision NOT NULL,
        output_tokens double precision NOT NULL,
        total_tokens double precision NOT NULL,
        cost_usd double precision NOT NULL,
        record json NOT NULL,
        outcome json,
        stop_reason text
      );
      CREATE INDEX usage_records_at ON "${s}".usage_records (at, seq);
      CREATE INDEX usage_records_principal ON "${s}".usage_records (principal_id, at);
      CREATE INDEX usage_records_run ON "${s}".usage_records (run_id);

      CREATE TABLE "${s}".budget_keys (key text PRIMARY KEY);
      CREATE TABLE "${s}".budget_reservations (
        id text PRIMARY KEY,
        at double precision NOT NULL,
        result text NOT NULL,
        settled_at double precision
      );
      CREATE TABLE "${s}".budget_usage (
        reservation_id text NOT NULL REFERENCES "${s}".budget_reservations (id) ON DELETE CASCADE,
        key text NOT NULL,
        at double precision NOT NULL,
        tokens double precision NOT NULL,
        cost_usd double precision NOT NULL,
        PRIMARY KEY (reservation_id, key)
      );
      CREATE INDEX budget_usage_key_at ON "${s}".budget_usage (key, at);

      CREATE TABLE "${s}".audit_entries (
        position bigserial NOT NULL,
        chain text NOT NULL,
        seq bigint NOT NULL,
        id text NOT NULL UNIQUE,
        at double precision NOT NULL,
        type text NOT NULL,
        principal_id text NOT NULL,
        run_id text,
        tool_call_id text,
        data text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (chain, seq)
      );
      CREATE INDEX audit_entries_position ON "${s}".audit_entries (position);
      CREATE INDEX audit_entries_run ON "${s}".audit_entries (run_id);
      CREATE FUNCTION "${s}".audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the Claw audit log is append-only: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
          USING ERRCODE = '42501';
      END $$;
      CREATE TRIGGER audit_entries_no_update BEFORE UPDATE OR DELETE ON "${s}".audit_entries
        FOR EACH ROW EXECUTE FUNCTION "${s}".audit_entries_append_only();
      CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON "${s}".audit_entries
        FOR EACH STATEMENT EXECUTE FUNCTION "${s}".audit_entries_append_only();

      CREATE TABLE "${s}".approval_requests (
        seq bigserial NOT NULL,
        id text PRIMARY KEY,
        principal_id text NOT NULL,
        requested_at double precision NOT NULL,
        request text NOT NULL,
        outcome text,
        decisions text,
        decided_at double precision
      );
      CREATE INDEX approval_requests_pending ON "${s}".approval_requests (requested_at, seq) WHERE outcome IS NULL;
      CREATE TABLE "${s}".approval_grants (
        seq bigserial NOT NULL,
        id text PRIMARY KEY,
        principal_id text NOT NULL,
        granted_at double precision NOT NULL,
        expires_at double precision NOT NULL,
        grant_json text NOT NULL
      );
      CREATE INDEX approval_grants_principal ON "${s}".approval_grants (principal_id, expires_at);

      CREATE TABLE "${s}".run_states (
        run_id text PRIMARY KEY,
        state text NOT NULL,
        saved_at double precision NOT NULL
      );

      CREATE TABLE "${s}".memory_items (
        seq bigserial NOT NULL,
        id text PRIMARY KEY,
        scope text NOT NULL,
        kind text NOT NULL,
        text text NOT NULL,
        source text NOT NULL,
        metadata text NOT NULL,
        created_at double precision NOT NULL,
        updated_at double precision NOT NULL,
        recall_count integer NOT NULL DEFAULT 0,
        last_recalled_at double precision,
        deleted_at double precision,
        tokens integer NOT NULL,
        search tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED
      );
      CREATE INDEX memory_items_search ON "${s}".memory_items USING gin (search);
      CREATE INDEX memory_items_scope ON "${s}".memory_items (scope, created_at);
    `,
  },
  {
    version: 2,
    name: 'approval decisions recorded one approver at a time, before a request is settled',
    sql: (s) => `
      CREATE TABLE "${s}".approval_votes (
        seq bigserial NOT NULL,
        request_id text NOT NULL,
        approver text NOT NULL,
        decision text NOT NULL,
        recorded_at double precision NOT NULL,
        PRIMARY KEY (request_id, approver)
      );
    `,
  },
];

/** The newest schema version this release knows. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings a schema up to {@link LATEST_SCHEMA_VERSION} in one transaction, holding an advisory lock so processes
 * starting together apply each migration exactly once. Never drops or rewrites anything it did not create.
 * @throws StoreError when the schema holds tables Claw did not create, was migrated by a newer release, or the
 * server cannot be reached or refuses the login.
 */
export async function migrate(pool: Pool, schema: string): Promise<void> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw toStoreError(error, 'connecting');
  }
  let broken = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, schema]);
    const current = await currentVersion(client, schema);
    if (current > LATEST_SCHEMA_VERSION) {
      throw new StoreError(
        `Schema "${schema}" is at Claw schema version ${current}, newer than this @claw/postgres understands (${LATEST_SCHEMA_VERSION}). Upgrade @claw/postgres in this service; nothing was changed.`,
      );
    }
    if (current < LATEST_SCHEMA_VERSION) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(`CREATE TABLE IF NOT EXISTS "${schema}".${MIGRATIONS_TABLE} (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      for (const migration of MIGRATIONS) {
        if (migration.version <= current) continue;
        await client.query(migration.sql(schema));
        await client.query(`INSERT INTO "${schema}".${MIGRATIONS_TABLE} (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw toStoreError(error, `preparing schema "${schema}"`);
  } finally {
    client.release(broken);
  }
}

/** The schema's applied version: 0 when the schema is missing or empty. Refuses schemas that are not Claw's. */
async function currentVersion(client: PoolClient, schema: string): Promise<number> {
  const relations = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname`,
    [schema],
  );
  const names = relations.rows.map((row) => row.relname);
  if (!names.includes(MIGRATIONS_TABLE)) {
    if (names.length === 0) return 0;
    throw new StoreError(
      `Schema "${schema}" already holds tables Claw did not create (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}) and no ${MIGRATIONS_TABLE} table. Claw will not touch them: pass another schema name to openClawPostgres({ schema }).`,
    );
  }
  const columns = await client.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
    [schema, MIGRATIONS_TABLE],
  );
  const columnNames = new Set(columns.rows.map((row) => row.column_name));
  if (!['version', 'name', 'applied_at'].every((name) => columnNames.has(name))) {
    throw new StoreError(
      `Schema "${schema}" has a ${MIGRATIONS_TABLE} table that Claw did not create (columns: ${[...columnNames].join(', ')}). Claw will not touch it: pass another schema name to openClawPostgres({ schema }).`,
    );
  }
  const version = await client.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM "${schema}".${MIGRATIONS_TABLE}`,
  );
  return version.rows[0]?.version ?? 0;
}
