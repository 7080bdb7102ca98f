import { describe, expect, it } from 'vitest';
import {
  type AuditCheckpoint,
  type AuditEntry,
  type AuditEventInput,
  type AuditLog,
  type AuditVerifyProgress,
  auditMac,
} from '@claw/core';
import { GENESIS_HASH, sealAuditEntry, verifyAuditEntries } from '@claw/core/store-kit';
import { withStore, type StoreHandle } from './store-handle';

/**
 * Lets the audit suite change stored entries behind the store's back, the way someone with write access to the
 * database would. `seq` is within the chain the store's own appends use.
 */
export interface AuditTamper {
  /** Changes the stored `data` of the entry without recomputing its hash. */
  editData(seq: number): Promise<void>;
  /** Removes the entry. */
  deleteEntry(seq: number): Promise<void>;
  /** Replaces every stored entry with these (an empty list deletes the whole log). */
  rewrite(entries: readonly AuditEntry[]): Promise<void>;
}

/** What the suite gives its factory: the key the store must seal entries with. */
export interface AuditLogSetup {
  /** The host secret for the store (`key` option of the store). */
  key: Uint8Array;
}

/** The secret the suite hands to every store it tests. */
const SUITE_KEY = new Uint8Array(32).map((_, i) => (i * 37 + 11) % 256);

/** What the audit suite's factory returns: a store, and a tamper hook when the store can offer one. */
export interface AuditLogHandle {
  store: AuditLog;
  /** Releases the store after the suite (closes connections, removes files). */
  close?: () => Promise<void>;
  tamper?: AuditTamper;
}

const T = 1_800_000_000_000;

const events: AuditEventInput[] = [
  { type: 'run.start', principalId: 'priya', runId: 'run-1', data: { input: 'triage my inbox' }, at: T },
  { type: 'tool.call', principalId: 'priya', runId: 'run-1', toolCallId: 'call_1', data: { tool: 'email_move', input: { to: 'Archive', ids: [1, 2] } }, at: T + 1000 },
  { type: 'permission.denied', principalId: 'raj', runId: 'run-2', data: { tool: 'deploy', missing: ['deploy:production'] }, at: T + 2000 },
  { type: 'tool.call', principalId: 'raj', runId: 'run-2', toolCallId: 'call_9', data: { tool: 'deploy_status' }, at: T + 3000 },
  { type: 'run.end', principalId: 'priya', runId: 'run-1', data: { stopReason: 'final', nested: { a: [1, { b: null }] } }, at: T + 4000 },
];

async function appendAll(store: AuditLog): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for (const event of events) out.push(await store.append(event));
  return out;
}

/**
 * Registers the {@link AuditLog} conformance tests: hash-chain links, verification that detects an edited or
 * deleted entry, concurrent appends that keep the chain intact, and list filters.
 * @param factory returns a fresh, empty log per test; include `tamper` when the store can be edited directly
 *   (without it, tampering is simulated on the listed entries and checked with `verifyAuditEntries`)
 */
export function describeAuditLogConformance(
  name: string,
  factory: (setup: AuditLogSetup) => Promise<StoreHandle<AuditLog> & { tamper?: AuditTamper }>,
): void {
  const test = (title: string, body: (handle: AuditLogHandle) => Promise<void>) =>
    it(title, () => withStore(() => factory({ key: SUITE_KEY }), body));
  const mac = auditMac(SUITE_KEY);

  /** Tampers through the hook when there is one, else on a copy of the listed entries; returns the verdict. */
  async function tamperAndVerify(handle: AuditLogHandle, how: 'edit' | 'delete', seq: number) {
    if (handle.tamper) {
      await (how === 'edit' ? handle.tamper.editData(seq) : handle.tamper.deleteEntry(seq));
      return handle.store.verify();
    }
    const entries = await handle.store.list();
    const changed =
      how === 'edit'
        ? entries.map((e) => (e.seq === seq ? { ...e, data: { ...e.data, edited: true } } : e))
        : entries.filter((e) => e.seq !== seq);
    return verifyAuditEntries(changed, { mac });
  }

  /** Replaces the stored entries (through the hook, else on a copy) and verifies against the checkpoint. */
  async function rewriteAndVerify(handle: AuditLogHandle, entries: readonly AuditEntry[], checkpoint?: AuditCheckpoint) {
    if (handle.tamper) {
      await handle.tamper.rewrite(entries);
      return handle.store.verify(checkpoint ? { checkpoint } : {});
    }
    return verifyAuditEntries(entries, { mac, ...(checkpoint ? { checkpoint } : {}) });
  }

  /** Seals events as a chain the way someone without the key can: plain SHA-256, or another key. */
  function forgeChain(chain: string, list: readonly AuditEventInput[], withMac?: ReturnType<typeof auditMac>): AuditEntry[] {
    const out: AuditEntry[] = [];
    for (const [i, event] of list.entries()) out.push(sealAuditEntry(out.at(-1), chain, `forged-${chain}-${i}`, { ...event, at: event.at ?? T }, withMac));
    return out;
  }

  describe(`AuditLog conformance: ${name}`, () => {
    test('appends link each entry to the previous one from the genesis hash', async ({ store }) => {
      const entries = await appendAll(store);
      expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(entries.map((e) => e.chain)).size).toBe(1);
      expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
      for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
      expect(new Set(entries.map((e) => e.id)).size).toBe(5);
      expect(entries[1]).toMatchObject({ ...events[1], seq: 2 });
      expect(verifyAuditEntries(entries, { mac })).toEqual({ valid: true, entries: 5 });
      expect(verifyAuditEntries(entries)).toMatchObject({ valid: false, brokenAt: { seq: 1 } });
    });

    test('list returns the entries exactly as append returned them, oldest first', async ({ store }) => {
      const entries = await appendAll(store);
      expect(await store.list()).toEqual(entries);
    });

    test('an event without `at` is stamped with the current time', async ({ store }) => {
      const before = Date.now();
      const entry = await store.append({ type: 'alert', principalId: 'priya', data: { kind: 'unusual_volume' } });
      expect(entry.at).toBeGreaterThanOrEqual(before);
      expect(entry.at).toBeLessThanOrEqual(Date.now());
      expect(await store.list()).toEqual([entry]);
    });

    test('verify accepts an untouched log, including an empty one', async ({ store }) => {
      expect(await store.verify()).toEqual({ valid: true, entries: 0 });
      await appendAll(store);
      expect(await store.verify()).toEqual({ valid: true, entries: 5 });
    });

    test('verify detects an edited entry and names it', async (handle) => {
      await appendAll(handle.store);
      const verdict = await tamperAndVerify(handle, 'edit', 3);
      expect(verdict).toMatchObject({ valid: false, brokenAt: { seq: 3 } });
    });

    test('verify detects a deleted entry', async (handle) => {
      await appendAll(handle.store);
      const verdict = await tamperAndVerify(handle, 'delete', 2);
      expect(verdict.valid).toBe(false);
      if (!verdict.valid) expect(verdict.brokenAt.seq).toBeGreaterThanOrEqual(2);
    });

    test('a checkpoint signs the head of every chain, and verify accepts the log it describes and any later growth', async ({ store }) => {
      const entries = await appendAll(store);
      const checkpoint = await store.checkpoint();
      expect(checkpoint).toMatchObject({ version: 1, entries: 5, heads: { [entries[0]!.chain]: { seq: 5, hash: entries[4]!.hash } } });
      expect(await store.verify({ checkpoint })).toEqual({ valid: true, entries: 5 });
      await store.append({ type: 'alert', principalId: 'priya', data: { later: true }, at: T + 9000 });
      expect(await store.verify({ checkpoint })).toEqual({ valid: true, entries: 6 });
    });

    test('verify with a checkpoint detects entries removed from the end of the chain', async (handle) => {
      const entries = await appendAll(handle.store);
      const checkpoint = await handle.store.checkpoint();
      const verdict = await rewriteAndVerify(handle, entries.slice(0, 3), checkpoint);
      expect(verdict).toMatchObject({ valid: false, brokenAt: { chain: entries[0]!.chain, seq: 4 } });
      if (!verdict.valid) expect(verdict.reason).toMatch(/removed from its end/);
    });

    test('verify with a checkpoint detects a log whose every entry was deleted', async (handle) => {
      await appendAll(handle.store);
      const checkpoint = await handle.store.checkpoint();
      expect(await rewriteAndVerify(handle, [], checkpoint)).toMatchObject({ valid: false, entries: 0 });
    });

    test('verify detects an edited entry re-sealed with the public hash function, and a chain sealed with another key', async (handle) => {
      const entries = await appendAll(handle.store);
      const chain = entries[0]!.chain;
      // Re-seal everything from scratch after editing entry 3, exactly as the exported functions allow without the key.
      const edited = events.map((e, i) => (i === 2 ? { ...e, data: { ...e.data, missing: [] } } : e));
      const resealed = forgeChain(chain, edited);
      expect(await rewriteAndVerify(handle, resealed)).toMatchObject({ valid: false, brokenAt: { chain, seq: 1 } });
      const otherKey = forgeChain(chain, edited, auditMac('another key that is at least 32 bytes long'));
      expect(await rewriteAndVerify(handle, otherKey)).toMatchObject({ valid: false, brokenAt: { chain, seq: 1 } });
    });

    test('verify detects a new chain started next to, or instead of, the real one', async (handle) => {
      const entries = await appendAll(handle.store);
      const checkpoint = await handle.store.checkpoint();
      const fresh = forgeChain('replica-x', events.slice(0, 2));
      expect(await rewriteAndVerify(handle, [...entries, ...fresh])).toMatchObject({ valid: false, brokenAt: { chain: 'replica-x', seq: 1 } });
      // Even with no checkpoint, a chain started over without the key does not verify.
      expect(await rewriteAndVerify(handle, forgeChain(entries[0]!.chain, events.slice(0, 2)))).toMatchObject({ valid: false });
      expect(await rewriteAndVerify(handle, entries, checkpoint)).toEqual({ valid: true, entries: 5 });
    });

    test('verify refuses a checkpoint that was altered', async ({ store }) => {
      const entries = await appendAll(store);
      const checkpoint = await store.checkpoint();
      const chain = entries[0]!.chain;
      const lowered = { ...checkpoint, heads: { [chain]: { seq: 3, hash: entries[2]!.hash } } };
      expect(await store.verify({ checkpoint: lowered })).toMatchObject({ valid: false, reason: expect.stringMatching(/checkpoint signature/) });
    });

    test('verify reports progress and ends with every entry checked', async ({ store }) => {
      await appendAll(store);
      const progress: AuditVerifyProgress[] = [];
      expect(await store.verify({ onProgress: (p) => progress.push(p) })).toEqual({ valid: true, entries: 5 });
      expect(progress.at(-1)).toEqual({ checked: 5, total: 5 });
    });

    test('concurrent appends keep one unbroken chain', async ({ store }) => {
      const entries = await Promise.all(
        Array.from({ length: 25 }, (_, i) => store.append({ type: 'tool.call', principalId: 'priya', data: { i }, at: T + i })),
      );
      expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(await store.verify()).toEqual({ valid: true, entries: 25 });
    });

    test('list filters by principal, run, type, time range and limit', async ({ store }) => {
      const e = await appendAll(store);
      expect(await store.list({ principalId: 'raj' })).toEqual([e[2], e[3]]);
      expect(await store.list({ runId: 'run-1' })).toEqual([e[0], e[1], e[4]]);
      expect(await store.list({ type: 'tool.call' })).toEqual([e[1], e[3]]);
      expect(await store.list({ from: T + 1000, to: T + 3000 })).toEqual([e[1], e[2]]);
      expect(await store.list({ limit: 2 })).toEqual([e[0], e[1]]);
      expect(await store.list({ principalId: 'priya', type: 'tool.call' })).toEqual([e[1]]);
      expect(await store.list({ principalId: 'nobody' })).toEqual([]);
    });
  });
}
