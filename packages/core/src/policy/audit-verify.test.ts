import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../internal/canonical-json';
import { auditMac } from './audit-key';
import { sealAuditEntry, type AuditEntry } from './audit-log';
import { auditHeads, signAuditCheckpoint, verifyAuditEntries, verifyStoredAuditPages, type StoredAuditEntry } from './audit-verify';

const mac = auditMac('a host secret that is at least thirty-two bytes');

/** A sealed chain and its rows as a store keeps them (data as canonical JSON text). */
function chain(count: number, data: (i: number) => Record<string, unknown> = (i) => ({ toolName: 'email_search', input: { q: `from:c${i}`, limit: 20 }, ok: true, note: 'é "quoted" {braces} [x]' })) {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push(sealAuditEntry(entries.at(-1), 'main', `e-${i}`, { type: 'tool.call', principalId: 'priya', ...(i % 2 ? { runId: `r-${i}` } : {}), ...(i % 3 ? { toolCallId: `c-${i}` } : {}), at: 1_800_000_000_000 + i, data: data(i) }, mac));
  }
  const stored = entries.map(({ data: d, ...fields }): StoredAuditEntry => ({ ...fields, dataJson: canonicalJson(d) }));
  return { entries, stored };
}

const verify = (stored: StoredAuditEntry[]) => verifyStoredAuditPages([stored.slice(0, 3), stored.slice(3)], stored.length, { mac });

describe('verifyStoredAuditPages', () => {
  it('accepts stored canonical bytes, with and without the optional fields, as verifyAuditEntries does', async () => {
    const { entries, stored } = chain(7);
    expect(await verify(stored)).toEqual({ valid: true, entries: 7 });
    expect(verifyAuditEntries(entries, { mac })).toEqual({ valid: true, entries: 7 });
  });

  it('falls back to parsing data stored in another key order or spacing, and still accepts it', async () => {
    const { stored } = chain(4);
    const reordered = stored.map((e) => ({ ...e, dataJson: JSON.stringify(JSON.parse(e.dataJson), Object.keys(JSON.parse(e.dataJson)).reverse().concat('q', 'limit'), 1) }));
    expect(reordered[0]!.dataJson).not.toBe(stored[0]!.dataJson);
    expect(await verify(reordered)).toEqual({ valid: true, entries: 4 });
  });

  it('finds an edited value, unparseable data, and a field moved into data, at the entry that changed', async () => {
    const { stored } = chain(5);
    const edit = (i: number, change: Partial<StoredAuditEntry>) => stored.map((e, j) => (j === i ? { ...e, ...change } : e));
    expect(await verify(edit(2, { dataJson: stored[2]!.dataJson.replace('"limit":20', '"limit":21') }))).toMatchObject({ valid: false, brokenAt: { seq: 3 }, entries: 5 });
    expect(await verify(edit(1, { dataJson: stored[1]!.dataJson.slice(0, -1) }))).toMatchObject({ valid: false, brokenAt: { seq: 2 } });
    expect(await verify(edit(3, { principalId: 'raj' }))).toMatchObject({ valid: false, brokenAt: { seq: 4 } });
    // The sealed text's data continues with `,"id":…`: a row whose data stops early and whose id carries the rest
    // must not verify, though its fields concatenate differently.
    const cut = stored[0]!.dataJson.lastIndexOf(',');
    expect(await verify(edit(0, { dataJson: `${stored[0]!.dataJson.slice(0, cut)}}` }))).toMatchObject({ valid: false, brokenAt: { seq: 1 } });
  });

  it('checks a checkpoint head on the fast path too: a log rewritten with the key is refused', async () => {
    const original = chain(3);
    const checkpoint = signAuditCheckpoint(auditHeads(original.entries), 3, 1_800_000_100_000, mac);
    const rewritten = chain(3, (i) => ({ toolName: 'email_search', input: { q: `rewritten ${i}` } }));
    expect(await verifyStoredAuditPages([original.stored], 3, { mac, checkpoint })).toEqual({ valid: true, entries: 3 });
    expect(await verifyStoredAuditPages([rewritten.stored], 3, { mac, checkpoint })).toMatchObject({ valid: false, brokenAt: { chain: 'main', seq: 3 }, reason: expect.stringContaining('checkpoint') });
  });
});
