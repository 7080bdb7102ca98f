import { canonicalJson, sha256 } from '../internal/canonical-json';

/** Kinds of events the audit log records. */
export type AuditEventType =
  | 'tool.call'
  | 'tool.result'
  | 'tool.preview'
  | 'policy.decision'
  | 'permission.denied'
  | 'approval.requested'
  | 'approval.granted'
  | 'approval.denied'
  | 'approval.grant-used'
  | 'access.denied'
  | 'alert'
  | 'run.start'
  | 'run.end'
  | 'memory.dream'
  | 'job.start'
  | 'job.skip'
  | 'job.end'
  | 'job.error';

/** What a caller appends. Secrets are redacted from `data` before it is stored. */
export interface AuditEventInput {
  type: AuditEventType;
  principalId: string;
  runId?: string;
  toolCallId?: string;
  data: Record<string, unknown>;
  /** Defaults to now. */
  at?: number;
}

/**
 * A stored audit entry. `hash` = SHA-256 over `prevHash` and the canonical JSON of the other fields, so editing,
 * inserting or deleting any entry breaks every later link. `chain` names the writer's chain (one per process in
 * multi-writer stores; `main` otherwise) and `seq` counts from 1 within it.
 */
export interface AuditEntry {
  chain: string;
  seq: number;
  id: string;
  at: number;
  type: AuditEventType;
  principalId: string;
  runId?: string;
  toolCallId?: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** Result of checking chains; `brokenAt` names the first entry whose link does not hold. */
export type AuditVerification =
  | { valid: true; entries: number }
  | { valid: false; entries: number; brokenAt: { chain: string; seq: number }; reason: string };

/** Filter for listing entries. */
export interface AuditQuery {
  principalId?: string;
  runId?: string;
  type?: AuditEventType;
  from?: number;
  to?: number;
  limit?: number;
}

/** Append-only, hash-chained record of everything an agent did or was refused. */
export interface AuditLog {
  /** Links the event to the end of its chain and stores it; returns the stored entry. */
  append(event: AuditEventInput): Promise<AuditEntry>;
  /** Entries matching the query, oldest first. */
  list(query?: AuditQuery): Promise<AuditEntry[]>;
  /** Checks every chain link by link and reports the first entry that was edited, inserted or removed. */
  verify(): Promise<AuditVerification>;
}

/** The hash of the first link of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Computes an entry's hash from its content and the previous hash. */
export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'>): string {
  const { prevHash, ...content } = entry;
  return sha256(`${prevHash}\n${canonicalJson(content)}`);
}

/**
 * Builds the next entry of a chain. Stores call this inside the transaction that reads the chain's last entry,
 * so the link is computed against what is really stored.
 */
export function sealAuditEntry(
  previous: Pick<AuditEntry, 'seq' | 'hash'> | undefined,
  chain: string,
  id: string,
  event: AuditEventInput & { at: number },
): AuditEntry {
  const base: Omit<AuditEntry, 'hash'> = {
    chain,
    seq: (previous?.seq ?? 0) + 1,
    id,
    at: event.at,
    type: event.type,
    principalId: event.principalId,
    ...(event.runId !== undefined ? { runId: event.runId } : {}),
    ...(event.toolCallId !== undefined ? { toolCallId: event.toolCallId } : {}),
    data: event.data,
    prevHash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...base, hash: hashAuditEntry(base) };
}

/**
 * Verifies chains given all entries (any order). Each chain must start at seq 1 from the genesis hash and link
 * without gaps; any edit, insertion or deletion is detected.
 */
export function verifyAuditEntries(entries: readonly AuditEntry[]): AuditVerification {
  const chains = new Map<string, AuditEntry[]>();
  for (const entry of entries) {
    const list = chains.get(entry.chain) ?? [];
    list.push(entry);
    chains.set(entry.chain, list);
  }
  for (const [chain, list] of chains) {
    list.sort((a, b) => a.seq - b.seq);
    let prevHash = GENESIS_HASH;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i]!;
      const broken = (reason: string): AuditVerification => ({
        valid: false,
        entries: entries.length,
        brokenAt: { chain, seq: entry.seq },
        reason,
      });
      if (entry.seq !== i + 1) return broken(`expected seq ${i + 1}, found ${entry.seq}: an entry was removed or inserted`);
      if (entry.prevHash !== prevHash) return broken('prevHash does not match the previous entry');
      const { hash, ...rest } = entry;
      if (hashAuditEntry(rest) !== hash) return broken('content does not match its hash: the entry was edited');
      prevHash = hash;
    }
  }
  return { valid: true, entries: entries.length };
}
