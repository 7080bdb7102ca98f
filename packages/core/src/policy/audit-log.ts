import { canonicalJson, sha256 } from '../internal/canonical-json';
import type { AuditMac } from './audit-key';

/** Kinds of events the audit log records. */
export type AuditEventType =
  | 'tool.call'
  | 'tool.result'
  | 'tool.preview'
  | 'tool.refused'
  | 'policy.decision'
  | 'permission.denied'
  | 'approval.requested'
  | 'approval.granted'
  | 'approval.denied'
  /** A human decision recorded out of band with `submitApproval` (console, CLI, chat), before the run resumes. */
  | 'approval.decision'
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
 * A stored audit entry. `hash` seals `prevHash` and the canonical JSON of the other fields: an HMAC-SHA-256 with the
 * host's audit key when the log has one (see {@link AuditKey}), a plain SHA-256 otherwise. Editing, inserting or
 * deleting any entry breaks every later link. `chain` names the writer's chain (one per process in multi-writer
 * stores; `main` otherwise) and `seq` counts from 1 within it.
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

/**
 * A signed statement of how far every chain reached: the last `seq` and `hash` of each. The host keeps the latest
 * one outside the database (a file, another store, its log pipeline) and passes it to `verify({ checkpoint })`, which
 * then also detects entries removed from the end of a chain, a deleted log, and a database restored from an older
 * backup. `signature` is an HMAC with the audit key, so a checkpoint cannot be forged without it.
 */
export interface AuditCheckpoint {
  version: 1;
  /** Last entry of every chain when the checkpoint was taken (chains with no entry are absent). */
  heads: Record<string, { seq: number; hash: string }>;
  /** Entries in all chains at that moment. */
  entries: number;
  at: number;
  signature: string;
}

/** Progress of a long verification, reported every few thousand entries. */
export interface AuditVerifyProgress {
  /** Entries checked so far. */
  checked: number;
  /** Entries in the log when verification started. */
  total: number;
}

/** Options of `AuditLog.verify`. */
export interface AuditVerifyOptions {
  /** The latest checkpoint the host kept: the log must still reach every head it names. */
  checkpoint?: AuditCheckpoint;
  /** Called as verification advances (for progress bars). */
  onProgress?: (progress: AuditVerifyProgress) => void;
  /** Stops a long verification; it rejects with `AbortedError`. */
  signal?: AbortSignal;
}

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
  /**
   * Checks every chain link by link and reports the first entry that was edited, inserted or removed; with a
   * checkpoint, also entries removed from the end.
   */
  verify(options?: AuditVerifyOptions): Promise<AuditVerification>;
  /** Signs the current head of every chain; keep the result outside the database and pass it to `verify`. */
  checkpoint(): Promise<AuditCheckpoint>;
}

/** The hash of the first link of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Computes an entry's seal from its content and the previous hash: HMAC-SHA-256 with `mac` (from `auditMac(key)`),
 * or SHA-256 when the log has no key. Without the key, nobody can compute the seal a keyed log expects.
 */
export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'>, mac?: AuditMac): string {
  const { prevHash, ...content } = entry;
  const text = `${prevHash}\n${canonicalJson(content)}`;
  return mac ? mac.sign(text) : sha256(text);
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
  mac?: AuditMac,
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
  return { ...base, hash: hashAuditEntry(base, mac) };
}
