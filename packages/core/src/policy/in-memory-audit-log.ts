import { randomUUID } from 'node:crypto';
import { sealAuditEntry, verifyAuditEntries, type AuditEntry, type AuditEventInput, type AuditLog, type AuditQuery, type AuditVerification } from './audit-log';

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

/** An `AuditLog` in process memory with one hash chain. */
export class InMemoryAuditLog implements AuditLog {
  /** Stored entries; exposed read-only so tests can demonstrate tamper detection. */
  readonly entries: AuditEntry[] = [];
  private readonly clock: () => number;

  constructor(options: { clock?: () => number } = {}) {
    this.clock = options.clock ?? Date.now;
  }

  async append(event: AuditEventInput): Promise<AuditEntry> {
    const entry = sealAuditEntry(this.entries.at(-1), 'main', randomUUID(), { ...event, at: event.at ?? this.clock() });
    this.entries.push(entry);
    // The entry was built here from already-copied data; callers get it as is (treat it as read-only).
    return entry;
  }

  async list(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const out = this.entries.filter((e) => matchesAuditQuery(e, query));
    return structuredClone(query.limit === undefined ? out : out.slice(0, query.limit));
  }

  async verify(): Promise<AuditVerification> {
    return verifyAuditEntries(this.entries);
  }
}
