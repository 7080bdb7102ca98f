import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  auditMac,
  InvalidArgumentError,
  type AuditCheckpoint,
  type AuditEntry,
  type AuditEventInput,
  type AuditKey,
  type AuditLog,
  type AuditMac,
  type AuditQuery,
  type AuditVerification,
  type AuditVerifyOptions,
} from '@claw/core';
import { auditHeads, canonicalJson, sealAuditEntry, signAuditCheckpoint, verifyStoredAuditPages, type StoredAuditEntry } from '@claw/core/store-kit';
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

/** Rows read per page while verifying: keeps memory flat on logs of millions of entries. */
const VERIFY_PAGE = 5_000;

/**
 * An {@link AuditLog} in a Claw SQLite database: hash-chained, and append-only by trigger. Each append reads the
 * chain's last entry and writes the sealed next one inside one immediate transaction, so concurrent writers
 * (threads of this process or other processes) can never fork the chain. With the host's `key`, entries are sealed
 * with an HMAC and checkpoints are signed, so someone who can write the file but lacks the key cannot re-seal an
 * edit or forge a chain.
 */
export class SqliteAuditLog implements AuditLog {
  private readonly appendTransaction: Database.Transaction<(event: AuditEventInput & { at: number }) => AuditEntry>;
  private readonly mac: AuditMac | undefined;

  /**
   * Use {@link openClawDatabase}; this constructor expects a migrated database.
   * @throws InvalidArgumentError for a key shorter than 32 bytes.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly clock: () => number = Date.now,
    key?: AuditKey,
  ) {
    const mac = key === undefined ? undefined : auditMac(key);
    this.mac = mac;
    const last = db.prepare<[string], { seq: number; hash: string }>('SELECT seq, hash FROM audit_entries WHERE chain = ? ORDER BY seq DESC LIMIT 1');
    const insert = db.prepare(
      `INSERT INTO audit_entries (chain, seq, id, at, type, principal_id, run_id, tool_call_id, data, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.appendTransaction = db.transaction((event: AuditEventInput & { at: number }) => {
      const entry = sealAuditEntry(last.get(CHAIN), CHAIN, randomUUID(), event, mac);
      insert.run(entry.chain, entry.seq, entry.id, entry.at, entry.type, entry.principalId, entry.runId ?? null,
        // Canonical JSON, the bytes the seal covers: verification hashes them as stored.
        entry.toolCallId ?? null, canonicalJson(entry.data), entry.prevHash, entry.hash);
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
   * Re-computes every link of every chain, a page at a time. Detects edited, inserted and deleted entries, entries
   * sealed without the key (keyed logs), and — given the latest `checkpoint` the host kept — entries removed from
   * the end or a deleted log. Reports progress through `onProgress`; `signal` stops it.
   * @throws StoreError when SQLite fails; AbortedError when the signal fires.
   */
  async verify(options: AuditVerifyOptions = {}): Promise<AuditVerification> {
    const total = storeCall(this.file, 'count audit entries', () => this.db.prepare('SELECT count(*) FROM audit_entries').pluck().get() as number);
    // Rows as arrays (no column-name objects), in keyset pages: memory stays flat on logs of millions of entries.
    const columns = 'chain, seq, id, at, type, principal_id, run_id, tool_call_id, data, prev_hash, hash';
    const first = this.db.prepare(`SELECT ${columns} FROM audit_entries ORDER BY chain, seq LIMIT ${VERIFY_PAGE}`).raw();
    const next = this.db.prepare(`SELECT ${columns} FROM audit_entries WHERE (chain, seq) > (?, ?) ORDER BY chain, seq LIMIT ${VERIFY_PAGE}`).raw();
    const file = this.file;
    function* pages(): Generator<StoredAuditEntry[]> {
      let after: StoredAuditEntry | undefined;
      for (;;) {
        const rows = storeCall(file, 'verify the audit log', () => (after ? next.all(after.chain, after.seq) : first.all()) as RawAuditRow[]);
        const page = rows.map(storedEntry);
        yield page;
        if (rows.length < VERIFY_PAGE) return;
        after = page.at(-1);
      }
    }
    return verifyStoredAuditPages(pages(), total, { ...options, mac: this.mac });
  }

  /** Signs the head of the chain; keep it outside the database and pass it to `verify`. @throws StoreError when SQLite fails. */
  async checkpoint(): Promise<AuditCheckpoint> {
    // One read transaction: the heads and their hashes come from the same snapshot.
    return storeCall(this.file, 'checkpoint the audit log', this.db.transaction(() => {
      const heads = this.db.prepare('SELECT chain, max(seq) AS seq, count(*) AS n FROM audit_entries GROUP BY chain').all() as { chain: string; seq: number; n: number }[];
      const hashOf = this.db.prepare<[string, number], string>('SELECT hash FROM audit_entries WHERE chain = ? AND seq = ?').pluck();
      const entries = heads.reduce((n, h) => n + h.n, 0);
      return signAuditCheckpoint(auditHeads(heads.map((h) => ({ chain: h.chain, seq: h.seq, hash: hashOf.get(h.chain, h.seq)! }))), entries, this.clock(), this.mac);
    }));
  }
}

/** A row of the verification query, columns in its order. */
type RawAuditRow = [string, number, string, number, AuditEntry['type'], string, string | null, string | null, string, string, string];

/** A row as a stored entry, its data left as the stored text. */
function storedEntry(row: RawAuditRow): StoredAuditEntry {
  const entry: StoredAuditEntry = { chain: row[0], seq: row[1], id: row[2], at: row[3], type: row[4], principalId: row[5], dataJson: row[8], prevHash: row[9], hash: row[10] };
  if (row[6] !== null) entry.runId = row[6];
  if (row[7] !== null) entry.toolCallId = row[7];
  return entry;
}
