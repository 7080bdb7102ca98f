import { describe, expect, it } from 'vitest';
import { type AuditEntry, type AuditEventInput, type AuditLog } from '@claw/core';
import { GENESIS_HASH, verifyAuditEntries } from '@claw/core/store-kit';
import { withStore, type StoreFactory } from './store-handle';

/**
 * Lets the audit suite change stored entries behind the store's back, the way someone with write access to the
 * database would. `seq` is within the chain the store's own appends use.
 */
export interface AuditTamper {
  /** Changes the stored `data` of the entry without recomputing its hash. */
  editData(seq: number): Promise<void>;
  /** Removes the entry. */
  deleteEntry(seq: number): Promise<void>;
}

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
export function describeAuditLogConformance(name: string, factory: StoreFactory<AuditLog, { tamper?: AuditTamper }>): void {
  const test = (title: string, body: (handle: AuditLogHandle) => Promise<void>) =>
    it(title, () => withStore(factory, body));

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
    return verifyAuditEntries(changed);
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
      expect(verifyAuditEntries(entries)).toEqual({ valid: true, entries: 5 });
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
