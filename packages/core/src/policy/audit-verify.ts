import { AbortedError } from '../errors';
import { canonicalJson, sha256 } from '../internal/canonical-json';
import type { AuditMac } from './audit-key';
import { GENESIS_HASH, hashAuditEntry, type AuditCheckpoint, type AuditEntry, type AuditVerification, type AuditVerifyOptions } from './audit-log';

/**
 * An entry as a store keeps it, its `data` still the stored JSON text. A store that writes `data` as canonical JSON
 * (`canonicalJson`, as {@link sealAuditEntry} hashed it) lets verification hash those stored bytes instead of parsing
 * and re-serialising every entry; any other text is checked the slow way, so the verdict is the same either way.
 */
export interface StoredAuditEntry extends Omit<AuditEntry, 'data'> {
  /** The stored JSON text of `data`. */
  dataJson: string;
}

/**
 * The text {@link hashAuditEntry} seals, with the stored data text in place of `canonicalJson(data)`: the top-level
 * keys in sorted order (at, chain, data, id, principalId, runId, seq, toolCallId, type), as `canonicalJson` writes them.
 */
function storedSealText(e: StoredAuditEntry): string {
  return `${e.prevHash}\n{"at":${JSON.stringify(e.at)},"chain":${JSON.stringify(e.chain)},"data":${e.dataJson},"id":${JSON.stringify(e.id)},"principalId":${JSON.stringify(e.principalId)}${
    e.runId !== undefined ? `,"runId":${JSON.stringify(e.runId)}` : ''
  },"seq":${JSON.stringify(e.seq)}${e.toolCallId !== undefined ? `,"toolCallId":${JSON.stringify(e.toolCallId)}` : ''},"type":${JSON.stringify(e.type)}}`;
}

/** A stored entry as an {@link AuditEntry}; unparseable data is kept as text so its seal fails instead of throwing. */
export function storedAuditEntry(stored: StoredAuditEntry): AuditEntry {
  const { dataJson, ...fields } = stored;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(dataJson) as Record<string, unknown>;
  } catch {
    data = { $unparseable: dataJson };
  }
  return { ...fields, data };
}

/**
 * True when the text is one JSON object whose braces and brackets (outside strings) first balance at its last
 * character. A seal matching the stored bytes then covers exactly this data and these fields: the sealed text is
 * canonical JSON, the fields before `data` are self-delimiting tokens, so `data` starts at the same place in both, and
 * it ends where its brackets balance — at the end of the stored text — so every field after it matches too.
 */
function isOneObject(text: string): boolean {
  if (text.charCodeAt(0) !== 123) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i += 1;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth += 1;
    else if ((c === 125 || c === 93) && --depth === 0) return i === text.length - 1;
  }
  return false;
}

/** How often a streaming verification reports progress and looks at its signal. */
export const AUDIT_PROGRESS_EVERY = 10_000;

function checkpointText(checkpoint: Omit<AuditCheckpoint, 'signature'>): string {
  return `claw-audit-checkpoint\n${canonicalJson({ version: checkpoint.version, heads: checkpoint.heads, entries: checkpoint.entries, at: checkpoint.at })}`;
}

/** Signs the heads of a log's chains (see {@link AuditCheckpoint}); without a key the signature is a plain digest. */
export function signAuditCheckpoint(heads: AuditCheckpoint['heads'], entries: number, at: number, mac?: AuditMac): AuditCheckpoint {
  const body = { version: 1 as const, heads, entries, at };
  const text = checkpointText(body);
  return { ...body, signature: mac ? mac.sign(text) : sha256(text) };
}

/**
 * Checks chains entry by entry without holding them all: feed entries ordered by chain, then seq, with
 * {@link AuditChainVerifier.add}, then call {@link AuditChainVerifier.finish}. Each chain must start at seq 1 from
 * the genesis hash, link without gaps, and carry seals made with the log's key; with a checkpoint, every chain it
 * names must still reach the head it recorded.
 */
export class AuditChainVerifier {
  private chain: string | undefined;
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private failure: AuditVerification | undefined;
  private readonly seen = new Map<string, { seq: number; hash: string }>();

  constructor(private readonly options: { mac?: AuditMac; checkpoint?: AuditCheckpoint } = {}) {
    const { checkpoint } = options;
    if (checkpoint) {
      const { signature, ...body } = checkpoint;
      const expected = signAuditCheckpoint(body.heads ?? {}, body.entries, body.at, options.mac).signature;
      if (typeof signature !== 'string' || signature !== expected || checkpoint.version !== 1) {
        const [chain, head] = Object.entries(checkpoint.heads ?? {})[0] ?? ['main', { seq: 0 }];
        this.failure = { valid: false, entries: 0, brokenAt: { chain, seq: head.seq }, reason: 'the checkpoint signature does not match: it was altered or signed with another key' };
      }
    }
  }

  /** Entries checked so far. */
  get checked(): number {
    return this.count;
  }

  /** Checks the next entry; returns the failure once one is found (and ignores later entries). */
  add(entry: AuditEntry): AuditVerification | undefined {
    this.count += 1;
    if (this.failure) return this.failure;
    if (entry.chain !== this.chain) {
      if (this.chain !== undefined) this.seen.set(this.chain, { seq: this.expectedSeq - 1, hash: this.prevHash });
      if (this.seen.has(entry.chain)) return this.fail(entry, 'entries are not ordered by chain and seq');
      this.chain = entry.chain;
      this.expectedSeq = 1;
      this.prevHash = GENESIS_HASH;
    }
    if (entry.seq !== this.expectedSeq) return this.fail(entry, `expected seq ${this.expectedSeq}, found ${entry.seq}: an entry was removed or inserted`);
    if (entry.prevHash !== this.prevHash) return this.fail(entry, 'prevHash does not match the previous entry');
    const { hash, ...rest } = entry;
    if (hashAuditEntry(rest, this.options.mac) !== hash) {
      return this.fail(entry, this.options.mac ? 'the seal does not match: the entry was edited or sealed without the audit key' : 'content does not match its hash: the entry was edited');
    }
    return this.accept(entry);
  }

  /**
   * Checks the next entry as stored. When the seal holds for the stored data bytes (and they are one JSON object)
   * the entry is the one sealed, without parsing and re-serialising it; otherwise it is checked as {@link add} does.
   */
  addStored(entry: StoredAuditEntry): AuditVerification | undefined {
    if (this.failure === undefined && entry.chain === this.chain && entry.seq === this.expectedSeq && entry.prevHash === this.prevHash) {
      const text = storedSealText(entry);
      if ((this.options.mac ? this.options.mac.sign(text) : sha256(text)) === entry.hash && isOneObject(entry.dataJson)) {
        this.count += 1;
        return this.accept(entry);
      }
    }
    return this.add(storedAuditEntry(entry));
  }

  /** Advances past an entry whose link and seal hold, checking it against the checkpoint's head. */
  private accept(entry: Pick<AuditEntry, 'chain' | 'seq' | 'hash'>): AuditVerification | undefined {
    const heads = this.options.checkpoint?.heads ?? {};
    const head = Object.hasOwn(heads, entry.chain) ? heads[entry.chain] : undefined;
    if (head && head.seq === entry.seq && head.hash !== entry.hash) return this.fail(entry, 'the entry differs from the one the checkpoint saw: the log was rewritten');
    this.prevHash = entry.hash;
    this.expectedSeq += 1;
    return undefined;
  }

  /** The verdict over everything added. */
  finish(): AuditVerification {
    if (this.failure) return { ...this.failure, entries: this.count };
    if (this.chain !== undefined) this.seen.set(this.chain, { seq: this.expectedSeq - 1, hash: this.prevHash });
    for (const [chain, head] of Object.entries(this.options.checkpoint?.heads ?? {})) {
      const reached = this.seen.get(chain);
      const broken = (reason: string): AuditVerification => ({ valid: false, entries: this.count, brokenAt: { chain, seq: Math.min(head.seq, (reached?.seq ?? 0) + 1) }, reason });
      if (!reached || reached.seq < head.seq) {
        return broken(`the chain ends at seq ${reached?.seq ?? 0} but the checkpoint saw seq ${head.seq}: entries were removed from its end`);
      }
      if (reached.seq === head.seq && reached.hash !== head.hash) return broken('the chain head differs from the checkpoint: the log was rewritten');
    }
    return { valid: true, entries: this.count };
  }

  private fail(entry: Pick<AuditEntry, 'chain' | 'seq'>, reason: string): AuditVerification {
    this.failure = { valid: false, entries: this.count, brokenAt: { chain: entry.chain, seq: entry.seq }, reason };
    return this.failure;
  }
}

/**
 * Verifies a stream of entries ordered by chain and seq, reporting progress and honouring the signal; used by every
 * store's `verify`. A checkpoint head at seq N must match the entry at seq N (checked while streaming).
 * @throws AbortedError when the signal fires.
 */
export async function verifyAuditStream(
  entries: Iterable<AuditEntry> | AsyncIterable<AuditEntry>,
  total: number,
  options: AuditVerifyOptions & { mac?: AuditMac } = {},
): Promise<AuditVerification> {
  const verifier = new AuditChainVerifier({ mac: options.mac, checkpoint: options.checkpoint });
  for await (const entry of entries as AsyncIterable<AuditEntry>) {
    if (verifier.add(entry)) break;
    if (verifier.checked % AUDIT_PROGRESS_EVERY === 0) {
      options.onProgress?.({ checked: verifier.checked, total });
      if (options.signal?.aborted) throw new AbortedError('Verifying the audit log was aborted.');
      // Let timers and other requests run between batches of a long verification.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  const verdict = verifier.finish();
  options.onProgress?.({ checked: verifier.checked, total });
  // A broken log reports how many entries it holds, not how far the check got.
  return verdict.valid ? verdict : { ...verdict, entries: total };
}

/**
 * Verifies stored entries a page at a time (pages ordered by chain, then seq), hashing the stored data bytes where they
 * are canonical ({@link StoredAuditEntry}); reports progress and honours the signal like {@link verifyAuditStream}.
 * @throws AbortedError when the signal fires.
 */
export async function verifyStoredAuditPages(
  pages: Iterable<readonly StoredAuditEntry[]> | AsyncIterable<readonly StoredAuditEntry[]>,
  total: number,
  options: AuditVerifyOptions & { mac?: AuditMac } = {},
): Promise<AuditVerification> {
  const verifier = new AuditChainVerifier({ mac: options.mac, checkpoint: options.checkpoint });
  let broken = false;
  for await (const page of pages as AsyncIterable<readonly StoredAuditEntry[]>) {
    for (const entry of page) {
      if (verifier.addStored(entry)) {
        broken = true;
        break;
      }
      if (verifier.checked % AUDIT_PROGRESS_EVERY === 0) {
        options.onProgress?.({ checked: verifier.checked, total });
        if (options.signal?.aborted) throw new AbortedError('Verifying the audit log was aborted.');
      }
    }
    if (broken) break;
    // Let timers and other requests run between pages of a long verification.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const verdict = verifier.finish();
  options.onProgress?.({ checked: verifier.checked, total });
  return verdict.valid ? verdict : { ...verdict, entries: total };
}

/**
 * Verifies chains given all entries (any order). Each chain must start at seq 1 from the genesis hash and link
 * without gaps; any edit, insertion or deletion is detected, and with `mac` any entry sealed without the key.
 */
export function verifyAuditEntries(entries: readonly AuditEntry[], options: { mac?: AuditMac; checkpoint?: AuditCheckpoint } = {}): AuditVerification {
  const sorted = [...entries].sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : a.seq - b.seq));
  const verifier = new AuditChainVerifier(options);
  for (const entry of sorted) if (verifier.add(entry)) break;
  return { ...verifier.finish(), entries: entries.length };
}

/** The last entry of every chain, for {@link signAuditCheckpoint}. */
export function auditHeads(entries: Iterable<Pick<AuditEntry, 'chain' | 'seq' | 'hash'>>): AuditCheckpoint['heads'] {
  const heads = new Map<string, { seq: number; hash: string }>();
  for (const entry of entries) {
    const head = heads.get(entry.chain);
    if (!head || entry.seq > head.seq) heads.set(entry.chain, { seq: entry.seq, hash: entry.hash });
  }
  return Object.fromEntries(heads);
}
