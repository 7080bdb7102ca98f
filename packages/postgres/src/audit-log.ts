import { randomUUID } from 'node:crypto';
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
import { auditHeads, sealAuditEntry, signAuditCheckpoint, verifyAuditStream } from '@claw/core/store-kit';
import { clawDatabase, toNumber, type ClawDatabase, type PostgresStoreOptions } from './database';

/** Key class of the advisory locks that serialise appends to one chain ("AUDT"). */
const CHAIN_LOCK_CLASS = 0x41554454;

/** Options of {@link PostgresAuditLog}. */
export interface PostgresAuditLogOptions extends PostgresStoreOptions {
  /**
   * The chain this writer appends to (default `main`). Every process sharing a chain is serialised by an advisory
   * lock, so the chain stays one unbroken sequence whatever the number of replicas.
   */
  chain?: string;
  /**
   * The host's secret (at least 32 bytes), kept outside the database: entries are sealed with an HMAC and checkpoints
   * signed with it, so someone with write access to the database but not the key can neither re-seal an edit nor
   * forge a chain. Every replica appending to the schema needs the same key.
   */
  key?: AuditKey;
}

/** Rows read per page while verifying. */
const VERIFY_PAGE = 5_000;

interface AuditRow {
  chain: string;
  seq: string;
  id: string;
  at: string;
  type: AuditEntry['type'];
  principal_id: string;
  run_id: string | null;
  tool_call_id: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

/**
 * Hash-chained, append-only {@link AuditLog} on PostgreSQL. Writers on any number of processes append to one chain:
 * each append takes a transaction-scoped advisory lock on the chain, reads the last entry, seals the next one with
 * core's {@link sealAuditEntry} and inserts it, so links are always computed against what is stored. A trigger
 * refuses UPDATE, DELETE and TRUNCATE on the table; `verify()` still detects edits made around it.
 */
export class PostgresAuditLog implements AuditLog {
  private readonly db: ClawDatabase;
  /** The chain appends go to. */
  readonly chain: string;
  private readonly mac: AuditMac | undefined;

  /** @throws InvalidArgumentError for a bad schema name, a missing pool, an empty chain name or a short key. */
  constructor(options: PostgresAuditLogOptions) {
    this.db = clawDatabase(options);
    this.mac = options.key === undefined ? undefined : auditMac(options.key);
    this.chain = options.chain ?? 'main';
    if (typeof this.chain !== 'string' || this.chain.length === 0) throw new InvalidArgumentError('The audit chain name must be a non-empty string.');
  }

  /**
   * Appends one event as the next link of this writer's chain.
   * @throws InvalidArgumentError for an event without type, principal or object data; StoreError when the database fails.
   */
  async append(event: AuditEventInput): Promise<AuditEntry> {
    if (!event || typeof event.type !== 'string' || typeof event.principalId !== 'string') {
      throw new InvalidArgumentError('An audit event needs a string type and principalId.');
    }
    if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
      throw new InvalidArgumentError('An audit event needs `data` as a plain object.');
    }
    // Hash what will be read back: JSON drops undefined values and turns dates into strings.
    const data = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
    const at = event.at ?? Date.now();
    const table = this.db.table('audit_entries');
    return this.db.transaction('appending to the audit log', async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CHAIN_LOCK_CLASS, `${this.db.schema}:${this.chain}`]);
      const last = await client.query<{ seq: string; hash: string }>(
        `SELECT seq, hash FROM ${table} WHERE chain = $1 ORDER BY seq DESC LIMIT 1`,
        [this.chain],
      );
      const previous = last.rows[0] ? { seq: Number(last.rows[0].seq), hash: last.rows[0].hash } : undefined;
      const entry = sealAuditEntry(previous, this.chain, randomUUID(), { ...event, data, at }, this.mac);
      await client.query(
        `INSERT INTO ${table} (chain, seq, id, at, type, principal_id, run_id, tool_call_id, data, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          entry.chain, entry.seq, entry.id, entry.at, entry.type, entry.principalId, entry.runId ?? null,
          entry.toolCallId ?? null, JSON.stringify(entry.data), entry.prevHash, entry.hash,
        ],
      );
      return entry;
    });
  }

  /** Entries matching the query in the order they were appended. @throws StoreError when the database fails. */
  async list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (column: string, operator: string, value: unknown) => {
      params.push(value);
      conditions.push(`${column} ${operator} $${params.length}`);
    };
    if (query.principalId !== undefined) add('principal_id', '=', query.principalId);
    if (query.runId !== undefined) add('run_id', '=', query.runId);
    if (query.type !== undefined) add('type', '=', query.type);
    if (query.from !== undefined) add('at', '>=', query.from);
    if (query.to !== undefined) add('at', '<', query.to);
    let limit = '';
    if (query.limit !== undefined) {
      if (!Number.isInteger(query.limit) || query.limit < 0) throw new InvalidArgumentError(`limit must be a non-negative integer, got ${query.limit}.`);
      limit = ` LIMIT ${query.limit}`;
    }
    const rows = await this.db.query<AuditRow>(
      'listing the audit log',
      `SELECT * FROM ${this.db.table('audit_entries')} ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY position${limit}`,
      params,
    );
    return rows.map(toEntry);
  }

  /**
   * Re-checks every chain in the schema from its genesis, a page at a time: any edited, inserted or deleted entry,
   * any entry sealed without the key (keyed logs), and — given the latest `checkpoint` the host kept — entries removed
   * from the end of a chain or a deleted log are reported. `onProgress` reports how far it got; `signal` stops it.
   * @throws StoreError when the database fails; AbortedError when the signal fires.
   */
  async verify(options: AuditVerifyOptions = {}): Promise<AuditVerification> {
    const table = this.db.table('audit_entries');
    const [count] = await this.db.query<{ n: string }>('counting the audit log', `SELECT count(*) AS n FROM ${table}`);
    const db = this.db;
    async function* pages(): AsyncGenerator<AuditEntry> {
      let after: { chain: string; seq: string } | undefined;
      for (;;) {
        const rows = await db.query<AuditRow>(
          'verifying the audit log',
          after
            ? `SELECT * FROM ${table} WHERE (chain, seq) > ($1, $2) ORDER BY chain, seq LIMIT ${VERIFY_PAGE}`
            : `SELECT * FROM ${table} ORDER BY chain, seq LIMIT ${VERIFY_PAGE}`,
          after ? [after.chain, after.seq] : [],
        );
        for (const row of rows) yield readEntry(row);
        if (rows.length < VERIFY_PAGE) return;
        after = rows.at(-1)!;
      }
    }
    return verifyAuditStream(pages(), toNumber(count?.n ?? '0'), { ...options, mac: this.mac });
  }

  /** Signs the head of every chain in the schema; keep it outside the database and pass it to `verify`. @throws StoreError when the database fails. */
  async checkpoint(): Promise<AuditCheckpoint> {
    const rows = await this.db.query<{ chain: string; seq: string; hash: string; n: string }>(
      'checkpointing the audit log',
      `SELECT DISTINCT ON (chain) chain, seq, hash, count(*) OVER (PARTITION BY chain) AS n
         FROM ${this.db.table('audit_entries')} ORDER BY chain, seq DESC`,
    );
    const entries = rows.reduce((n, r) => n + toNumber(r.n), 0);
    return signAuditCheckpoint(auditHeads(rows.map((r) => ({ chain: r.chain, seq: toNumber(r.seq), hash: r.hash }))), entries, Date.now(), this.mac);
  }
}

/** A row as an entry; data that is no longer JSON was edited outside Claw: its raw text is kept so the seal fails. */
function readEntry(row: AuditRow): AuditEntry {
  if (isJson(row.data)) return toEntry(row);
  return { ...toEntry({ ...row, data: '{}' }), data: { $unparseable: row.data } };
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    chain: row.chain,
    seq: toNumber(row.seq),
    id: row.id,
    at: toNumber(row.at),
    type: row.type,
    principalId: row.principal_id,
    ...(row.run_id !== null ? { runId: row.run_id } : {}),
    ...(row.tool_call_id !== null ? { toolCallId: row.tool_call_id } : {}),
    data: JSON.parse(row.data) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
