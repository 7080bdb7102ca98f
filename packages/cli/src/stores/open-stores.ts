import { existsSync, statSync } from 'node:fs';
import { StoreError, type ApprovalStore, type AuditKey, type AuditLog, type UsageLedger } from '@claw/core';
import type pg from 'pg';
import { CliUsageError } from '../cli-error';
import { describeLocation, type StoreLocation } from './store-location';

/** The stores a `claw` command works on, whichever database holds them. */
export interface CliStores {
  /** `sqlite` or `postgres`. */
  readonly kind: StoreLocation['kind'];
  /** The file path or the URL without its password, for messages. */
  readonly description: string;
  readonly ledger: UsageLedger;
  readonly audit: AuditLog;
  readonly approvals: ApprovalStore;
  /** Closes the connection. */
  close(): Promise<void>;
}

/**
 * Opens the stores at a location. A SQLite file that does not exist is refused rather than created: the CLI
 * reads and decides on an existing service's stores and never starts an empty one by accident.
 * `key` is the host's audit secret (`CLAW_KEY`): keyed logs verify with it and the CLI's own entries are sealed with it.
 * @throws CliUsageError when the SQLite file is missing or a directory; StoreError when the database refuses;
 * InvalidArgumentError for a key shorter than 32 bytes.
 */
export async function openStores(location: StoreLocation, options: { postgresSchema?: string; key?: AuditKey } = {}): Promise<CliStores> {
  const description = describeLocation(location);
  if (location.kind === 'sqlite') {
    if (!existsSync(location.path)) {
      throw new CliUsageError(`No Claw database at ${location.path}: pass --store <file> or --store postgres://..., or set CLAW_STORE.`);
    }
    if (statSync(location.path).isDirectory()) throw new CliUsageError(`--store ${location.path} is a directory; pass the database file.`);
    // Each store's driver loads only when it is used: a SQLite command never loads pg, and the reverse.
    const { openClawDatabase } = await import('@claw/sqlite');
    const db = openClawDatabase(location.path, options.key !== undefined ? { key: options.key } : {});
    return { kind: 'sqlite', description, ledger: db.ledger, audit: db.audit, approvals: db.approvals, close: () => db.close() };
  }
  const [{ DEFAULT_SCHEMA, MIGRATIONS_TABLE, openClawPostgres }, { default: pgModule }] = await Promise.all([import('@claw/postgres'), import('pg')]);
  const schema = options.postgresSchema ?? DEFAULT_SCHEMA;
  const pool = new pgModule.Pool({ connectionString: location.url, max: 2, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => {});
  try {
    await requireClawSchema(pool, `"${schema.replace(/"/g, '""')}".${MIGRATIONS_TABLE}`, description, { schema, defaultSchema: DEFAULT_SCHEMA });
    const stores = await openClawPostgres({ pool, schema, ...(options.key !== undefined ? { key: options.key } : {}) });
    return { kind: 'postgres', description, ledger: stores.ledger, audit: stores.audit, approvals: stores.approvals, close: () => pool.end() };
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
}

/** Refuses a database without Claw's tables instead of letting the stores create them (the CLI never starts an empty store). */
async function requireClawSchema(pool: pg.Pool, migrationsTable: string, description: string, names: { schema: string; defaultSchema: string }): Promise<void> {
  let found: boolean;
  try {
    const result = await pool.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [migrationsTable]);
    found = result.rows[0]?.found === true;
  } catch (error) {
    throw new StoreError(`Cannot reach the PostgreSQL store ${description}: ${(error as Error).message}. Check the URL, the server and the login.`, { cause: error });
  }
  if (!found) throw new CliUsageError(`The PostgreSQL database ${description} has no Claw schema "${names.schema}": pass the URL a Claw service uses (and --schema if it is not "${names.defaultSchema}").`);
}
