import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  InvalidArgumentError,
  type AuditEntry,
  type AuditEventInput,
  type AuditLog,
  type AuditQuery,
  type AuditVerification,
} from '@claw/core';
import { sealAuditEntry, verifyAuditEntries } from '@claw/core/store-kit';
import { parseJsonColumn } from './json-column';
import { storeCall } from './sqlite-errors';

/** Every process writing one SQLite file appends to the same chain: the write lock already orders them. */
const CHAIN = 'main';

interface AuditRow {
  chain: string;
  seq: number;
  id: string;
  at: number;
  type: AuditEntry['type'];
  principal_id: string;
  run_id: string | null;
  tool_call_id: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    chain: row.chain,
    seq: row.seq,
    id: row.id,
    at: row.at,
    type: row.type,
    principalId: row.principal_id,
    ...(row.run_id !== null ? { runId: row.run_id } : {}),
    ...(row.tool_call_id !== null ? { toolCallId: row.tool_call_id } : {}),
    data: parseJsonColumn(row.data, 'audit data'),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * An {@link AuditLog} in a Claw SQLite database: hash-chained, and append-only by trigger. Each append reads the
 * chain's last entry and writes the sealed next one inside one immediate transaction, so concurrent writers
 * (threads of this process or other processes) can never fork the chain.
 */
export class SqliteAuditLog implements AuditLog {
  private readonly appendTransaction: Database.Transaction<(event: AuditEventInput & { at: number }) => AuditEntry>;

  /** Use {@link openClawDatabase}; this constructor expects a migrated database. */
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly clock: () => number = Date.now,
  ) {
    const last = db.prepare<[string], { seq: number; hash: string }>('SELECT seq, hash FROM audit_entries WHERE chain = ? ORDER BY seq DESC LIMIT 1');
    const insert = db.prepare(
      `INSERT INTO audit_entries (chain, seq, id, at, type, principal_id, run_id, tool_call_id, data, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.appendTransaction = db.transaction((event: AuditEventInput & { at: number }) => {
      const entry = sealAuditEntry(last.get(CHAIN), CHAIN, randomUUID(), event);
      insert.run(entry.chain, entry.seq, entry.id, entry.at, entry.type, entry.principalId, entry.runId ?? null,
        entry.toolCallId ?? null, JSON.stringify(entry.data), entry.prevHash, entry.hash);
      return entry;
    });
  }

  /**
   * Appends an event as the next link of the chain and returns the stored entry.
   * @throws InvalidArgumentError when `data` cannot be stored as JSON; StoreError when SQLite fails (nothing is appended).
   */
  async append(event: AuditEventInput): Promise<AuditEntry> {
    if (typeof event?.type !== 'string' || typeof event.principalId !== 'string') {
      throw new InvalidArgumentError('An audit event needs a `type` and a `principalId`.');
    }
    let data: Record<string, unknown>;
    try {
      // Seal what will be read back: the hash must hold for the stored JSON, not for the caller's object.
      data = JSON.parse(JSON.stringify(event.data ?? {})) as Record<string, unknown>;
    } catch (error) {
      throw new InvalidArgumentError(`Audit event data must be JSON-serialisable: ${(error as Error).message}`);
    }
    const at = event.at ?? this.clock();
    return storeCall(this.file, 'append to the audit log', () => this.appendTransaction.immediate({ ...event, data, at }));
  }

  /** Entries matching the query in append order (oldest first). @throws StoreError when SQLite fails. */
  async list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (query.principalId !== undefined) conditions.push('principal_id = ?'), params.push(query.principalId);
    if (query.runId !== undefined) conditions.push('run_id = ?'), params.push(query.runId);
    if (query.type !== undefined) conditions.push('type = ?'), params.push(query.type);
    if (query.from !== undefined) conditions.push('at >= ?'), params.push(query.from);
    if (query.to !== undefined) conditions.push('at < ?'), params.push(query.to);
    if (query.limit !== undefined) params.push(query.limit);
    const sql = `SELECT * FROM audit_entries ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY chain, seq ${query.limit !== undefined ? 'LIMIT ?' : ''}`;
    return storeCall(this.file, 'list audit entries', () => (this.db.prepare(sql).all(...params) as AuditRow[]).map(toEntry));
  }

  /**
   * Re-computes every link of every chain. Detects edited, inserted and deleted entries (a deleted tail cannot be
   * told from a shorter log: keep the last hash somewhere else to catch that).
   * @throws StoreError when SQLite fails or a row holds invalid JSON.
   */
  async verify(): Promise<AuditVerification> {
    return storeCall(this.file, 'verify the audit log', () => {
      const entries = (this.db.prepare('SELECT * FROM audit_entries').all() as AuditRow[]).map((row) => {
        try {
          return toEntry(row);
        } catch {
          // Unparseable data is an edit too: keep the raw text so its hash fails instead of throwing.
          return { ...toEntry({ ...row, data: '{}' }), data: { $unparseable: row.data } };
        }
      });
      return verifyAuditEntries(entries);
    });
  }
}
