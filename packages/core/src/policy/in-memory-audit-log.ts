import { randomBytes, randomUUID } from 'node:crypto';
import { auditMac, type AuditKey, type AuditMac } from './audit-key';
import {
  sealAuditEntry,
  type AuditCheckpoint,
  type AuditEntry,
  type AuditEventInput,
  type AuditLog,
  type AuditQuery,
  type AuditVerification,
  type AuditVerifyOptions,
} from './audit-log';
import { auditHeads, signAuditCheckpoint, verifyAuditStream } from './audit-verify';

/** True when an entry matches a query's filters (not its limit). */
export function matchesAuditQuery(entry: AuditEntry, query: AuditQuery): boolean {
  return (
    (query.principalId === undefined || entry.principalId === query.principalId) &&
    (query.runId === undefined || entry.runId === query.runId) &&
    (query.type === undefined || entry.type === query.type) &&
    (query.from === undefined || entry.at >= query.from) &&
    (query.to === undefined || entry.at < query.to)
  );
}

/** Options of {@link InMemoryAuditLog}. */
export interface InMemoryAuditLogOptions {
  /** Clock for entries appended without `at`. Default `Date.now`. */
  clock?: () => number;
  /** The key entries are sealed with. Default: a random key of this instance (the log lives no longer than it). */
  key?: AuditKey;
}

/** An `AuditLog` in process memory with one chain, sealed with an HMAC. */
export class InMemoryAuditLog implements AuditLog {
  /** Stored entries; exposed read-only so tests can demonstrate tamper detection. */
  readonly entries: AuditEntry[] = [];
  private readonly clock: () => number;
  private readonly mac: AuditMac;

  /** @throws InvalidArgumentError for a key shorter than 32 bytes. */
  constructor(options: InMemoryAuditLogOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.mac = auditMac(options.key ?? randomBytes(32));
  }

  async append(event: AuditEventInput): Promise<AuditEntry> {
    const entry = sealAuditEntry(this.entries.at(-1), 'main', randomUUID(), { ...event, at: event.at ?? this.clock() }, this.mac);
    this.entries.push(entry);
    // The entry was built here from already-copied data; callers get it as is (treat it as read-only).
    return entry;
  }

  async list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const out = this.entries.filter((e) => matchesAuditQuery(e, query));
    return structuredClone(query.limit === undefined ? out : out.slice(0, query.limit));
  }

  async verify(options: AuditVerifyOptions = {}): Promise<AuditVerification> {
    const sorted = [...this.entries].sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : a.seq - b.seq));
    return verifyAuditStream(sorted, sorted.length, { ...options, mac: this.mac });
  }

  async checkpoint(): Promise<AuditCheckpoint> {
    return signAuditCheckpoint(auditHeads(this.entries), this.entries.length, this.clock(), this.mac);
  }
}
