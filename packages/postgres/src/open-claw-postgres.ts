import { AbortedError, auditMac, InvalidArgumentError, StoreError, type AuditKey } from '@claw/core';
import { type RecencyOptions } from '@claw/core/store-kit';
import pg from 'pg';
import { PostgresApprovalStore } from './approval-store';
import { PostgresAuditLog } from './audit-log';
import { PostgresBudgetStore } from './budget-store';
import { clawDatabase, DEFAULT_SCHEMA } from './database';
import { PostgresMemoryStore } from './memory-store';
import { PostgresRunStateStore } from './run-state-store';
import { PostgresUsageLedger } from './usage-ledger';

/** Options of {@link openClawPostgres}: exactly one of `connectionString` or `pool`. */
export interface OpenClawPostgresOptions {
  /** `postgres://user:password@host:port/database`; a pool is created and closed by `close()`. */
  connectionString?: string;
  /** A pool you own: `close()` leaves it open. */
  pool?: pg.Pool;
  /** Schema holding Claw's tables (created when missing). Default `claw`. */
  schema?: string;
  /** Audit chain this process appends to. Default `main` (one chain shared by every replica). */
  auditChain?: string;
  /**
   * The host's secret (at least 32 bytes), kept outside the database: seals the audit log (HMAC) and signs its
   * checkpoints, and encrypts secrets in saved run states. Without it the audit chain is plain SHA-256 and run
   * states are stored redacted.
   */
  key?: AuditKey;
  /** Memory recall recency weighting (default weight 0.5, half-life 7 days). */
  memoryRecency?: Partial<RecencyOptions>;
  /** Connections in the created pool. Default 10. */
  maxConnections?: number;
  /** How long to wait for a connection before failing. Default 10 s. */
  connectionTimeoutMs?: number;
  /** Aborts opening (connecting and migrating). */
  signal?: AbortSignal;
}

/** Every Claw store on one PostgreSQL schema. */
export interface ClawPostgres {
  ledger: PostgresUsageLedger;
  budget: PostgresBudgetStore;
  audit: PostgresAuditLog;
  approvals: PostgresApprovalStore;
  runStates: PostgresRunStateStore;
  memory: PostgresMemoryStore;
  pool: pg.Pool;
  schema: string;
  /** Ends the pool when `openClawPostgres` created it; a pool passed in is left to its owner. */
  close(): Promise<void>;
}

const URL_SCHEMES = ['postgres:', 'postgresql:', 'socket:'];

/**
 * Connects, applies pending migrations (once, under an advisory lock) and returns every store.
 * @throws InvalidArgumentError when neither or both of connectionString and pool are given, or the schema name is bad;
 *   StoreError when the connection string is malformed, the server is unreachable, the login is refused, the
 *   database is missing, or the schema holds foreign tables or a newer Claw version (nothing is changed then);
 *   AbortedError when `signal` fires first.
 */
export async function openClawPostgres(options: OpenClawPostgresOptions): Promise<ClawPostgres> {
  if (!options || (options.connectionString === undefined) === (options.pool === undefined)) {
    throw new InvalidArgumentError('openClawPostgres needs exactly one of `connectionString` or `pool`.');
  }
  const schema = options.schema ?? DEFAULT_SCHEMA;
  if (options.key !== undefined) auditMac(options.key); // a bad key is refused before connecting
  let pool = options.pool;
  const ownsPool = pool === undefined;
  if (!pool) {
    checkConnectionString(options.connectionString);
    pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    });
    // An idle connection dropped by the server must not crash the process; the next query reports the failure.
    pool.on('error', () => {});
  }
  const database = clawDatabase({ pool, schema });
  try {
    await abortable(database.ready(), options.signal);
  } catch (error) {
    if (ownsPool) await pool.end().catch(() => {});
    throw error;
  }
  const stores = { pool, schema };
  let closed = false;
  return {
    ledger: new PostgresUsageLedger(stores),
    budget: new PostgresBudgetStore(stores),
    audit: new PostgresAuditLog({ ...stores, chain: options.auditChain, key: options.key }),
    approvals: new PostgresApprovalStore(stores),
    runStates: new PostgresRunStateStore({ ...stores, key: options.key }),
    memory: new PostgresMemoryStore({ ...stores, recency: options.memoryRecency }),
    pool,
    schema,
    async close() {
      if (closed || !ownsPool) return;
      closed = true;
      await pool.end();
    },
  };
}

function checkConnectionString(connectionString: unknown): void {
  const hint = 'Use the form postgres://user:password@host:5432/database.';
  if (typeof connectionString !== 'string' || connectionString.trim() === '') {
    throw new StoreError(`The PostgreSQL connection string is empty. ${hint}`);
  }
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    throw new StoreError(`The PostgreSQL connection string is not a URL. ${hint}`);
  }
  if (!URL_SCHEMES.includes(url.protocol)) {
    throw new StoreError(`The connection string's scheme "${url.protocol}" is not PostgreSQL's. ${hint}`);
  }
}

async function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) throw new AbortedError('Opening the PostgreSQL stores was aborted.');
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new AbortedError('Opening the PostgreSQL stores was aborted.'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  // The migration keeps running in the background when aborted; its result is then ignored.
  promise.catch(() => {});
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}
