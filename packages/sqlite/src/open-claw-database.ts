import Database from 'better-sqlite3';
import { auditMac, InvalidArgumentError, StoreError, type AuditKey } from '@claw/core';
import { inspectSchema, migrate } from './migrate';
import { storeCall, toStoreError } from './sqlite-errors';
import { SqliteApprovalStore } from './sqlite-approval-store';
import { SqliteAuditLog } from './sqlite-audit-log';
import { SqliteBudgetStore } from './sqlite-budget-store';
import { SqliteMemoryStore, type SqliteMemoryStoreOptions } from './sqlite-memory-store';
import { SqliteRunStateStore } from './sqlite-run-state-store';
import { SqliteUsageLedger } from './sqlite-usage-ledger';

/** Options for {@link openClawDatabase}. */
export interface ClawDatabaseOptions {
  /**
   * `normal` (default) is WAL's usual setting: a process crash loses nothing committed, a power cut may lose the last
   * transactions but never corrupts the file. `full` syncs every commit to disk (slower, survives power cuts).
   */
  synchronous?: 'normal' | 'full';
  /** How long a write waits for another process's write lock before failing with StoreError. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Page cache of the connection in MiB. Default 64: ledger indexes and the rollup stay in memory while appending. */
  cacheSizeMiB?: number;
  /** How much of the file to read through a memory map, in MiB (0 turns it off). Default 256: cold reads of the full-text index skip a copy. */
  mmapSizeMiB?: number;
  /** Clock for default timestamps (audit `at`, memory times, decisions). Default `Date.now`. */
  clock?: () => number;
  /** Recall ranking options of the memory store. */
  memory?: SqliteMemoryStoreOptions;
  /**
   * The host's secret (at least 32 bytes), kept outside this file: the audit log seals entries with an HMAC and signs
   * checkpoints with it, and saved run states keep their secrets encrypted under it. Without it the audit chain is a
   * plain SHA-256 chain (someone who can write the file can re-seal it) and run states are stored redacted.
   */
  key?: AuditKey;
}

/** Every Claw store, sharing one SQLite file (one connection, WAL mode). */
export interface ClawDatabase {
  /** The file path, or `:memory:`. */
  readonly path: string;
  /** Schema version of the file (see `claw_schema`). */
  readonly schemaVersion: number;
  readonly ledger: SqliteUsageLedger;
  readonly budgets: SqliteBudgetStore;
  readonly audit: SqliteAuditLog;
  readonly approvals: SqliteApprovalStore;
  readonly runStates: SqliteRunStateStore;
  readonly memory: SqliteMemoryStore;
  /** The better-sqlite3 connection, for backups (`database.backup(path)`) and diagnostics. Writing to Claw's tables directly voids its guarantees. */
  readonly database: Database.Database;
  /** Checkpoints the WAL and closes the connection; later calls on any store throw StoreError. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens (creating when new) the Claw database at `path`, or an in-memory one for `:memory:`, applies pending schema
 * migrations and returns every store. A file that is not a SQLite database, that holds another application's
 * tables, that a newer Claw release wrote, or that is missing a table is refused: nothing is ever recreated over
 * existing data.
 * @throws StoreError saying what is wrong with the file and what to do; InvalidArgumentError for a bad path or option.
 */
export function openClawDatabase(path: string, options: ClawDatabaseOptions = {}): ClawDatabase {
  if (typeof path !== 'string' || path === '') {
    throw new InvalidArgumentError('openClawDatabase needs a file path, or ":memory:" for a throwaway database.');
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new InvalidArgumentError('busyTimeoutMs must be a non-negative integer.');
  const synchronous = options.synchronous ?? 'normal';
  if (synchronous !== 'normal' && synchronous !== 'full') throw new InvalidArgumentError('synchronous must be "normal" or "full".');
  const clock = options.clock ?? Date.now;
  if (options.key !== undefined) auditMac(options.key); // a bad key is refused before the file is touched
  const cacheSizeMiB = options.cacheSizeMiB ?? 64;
  if (!Number.isInteger(cacheSizeMiB) || cacheSizeMiB < 1) throw new InvalidArgumentError('cacheSizeMiB must be a positive integer.');
  const mmapSizeMiB = options.mmapSizeMiB ?? 256;
  if (!Number.isInteger(mmapSizeMiB) || mmapSizeMiB < 0) throw new InvalidArgumentError('mmapSizeMiB must be a non-negative integer.');

  let db: Database.Database;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
  } catch (error) {
    throw toStoreError(error, path, 'open the database');
  }
  try {
    // Look before writing anything: WAL mode is itself a write, and another application's file must stay untouched.
    storeCall(path, 'read the schema', () => inspectSchema(db, path));
    storeCall(path, 'configure the database', () => {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
      db.pragma('foreign_keys = ON');
      db.pragma(`cache_size = -${cacheSizeMiB * 1024}`);
      db.pragma(`mmap_size = ${mmapSizeMiB * 1024 * 1024}`);
      // Checkpoint every 64 MiB of WAL instead of every 4 MiB: pages rewritten by consecutive batches are copied
      // into the database once, which roughly doubles batched ingestion; the WAL is truncated back afterwards.
      db.pragma('wal_autocheckpoint = 16384');
      db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    });
    const schemaVersion = storeCall(path, 'migrate the schema', () => migrate(db, path, clock));
    const memory = new SqliteMemoryStore(db, path, { clock, ...options.memory });
    let closed = false;
    return {
      path,
      schemaVersion,
      ledger: new SqliteUsageLedger(db, path),
      budgets: new SqliteBudgetStore(db, path),
      audit: new SqliteAuditLog(db, path, clock, options.key),
      approvals: new SqliteApprovalStore(db, path, clock),
      runStates: new SqliteRunStateStore(db, path, clock, options.key),
      memory,
      database: db,
      async close() {
        if (closed) return;
        closed = true;
        storeCall(path, 'close the database', () => {
          if (!db.memory) db.pragma('wal_checkpoint(TRUNCATE)');
          db.close();
        });
      },
    };
  } catch (error) {
    db.close();
    throw error instanceof StoreError ? error : toStoreError(error, path, 'open the database');
  }
}
