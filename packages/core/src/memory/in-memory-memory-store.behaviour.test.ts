import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors';
import { countTokens } from '../metering/tokenizer';
import { InMemoryMemoryStore } from './in-memory-memory-store';
import type { MemoryScope, MemoryStore, NewMemoryItem } from './memory-store';

const T0 = Date.UTC(2026, 10, 1, 9, 0, 0);
const DAY = 86_400_000;
const PRIYA: MemoryScope = 'principal:priya';
const RAJ: MemoryScope = 'principal:raj';

function fact(text: string, overrides: Partial<NewMemoryItem> = {}): NewMemoryItem {
  return { text, kind: 'fact', scope: PRIYA, source: { trust: 'agent' }, createdAt: T0, ...overrides };
}

// Stricter than the shared conformance suite: exact errors, metadata patch semantics, copies, word forms.
const run = (body: (store: MemoryStore) => Promise<void>) => () => body(new InMemoryMemoryStore());

describe('InMemoryMemoryStore behaviour', () => {
  it('remembers an item with an id, defaults and the given fields', run(async (store) => {
    const item = await store.remember(fact('Priya prefers short summaries.', { kind: 'preference', source: { trust: 'user', runId: 'r1', derivedFrom: ['e1'] }, metadata: { a: 1 } }));
    expect(item.id).toEqual(expect.any(String));
    expect(item).toMatchObject({ text: 'Priya prefers short summaries.', kind: 'preference', scope: PRIYA, createdAt: T0, recallCount: 0, metadata: { a: 1 } });
    expect(item.source).toEqual({ trust: 'user', runId: 'r1', derivedFrom: ['e1'] });
    expect(item.deletedAt).toBeUndefined();
    expect(await store.get(item.id, [PRIYA])).toEqual(item);
    const plain = await store.remember({ text: 'No timestamps given', kind: 'fact', scope: PRIYA, source: { trust: 'agent' } });
    expect(plain.metadata).toEqual({});
    expect(Math.abs(plain.createdAt - Date.now())).toBeLessThan(60_000);
  }));

  it('rejects malformed items and empty scope lists with InvalidArgumentError', run(async (store) => {
    await expect(store.remember(fact('   '))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.remember(fact('x', { kind: 'rumour' as never }))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.remember(fact('x', { scope: 'everyone' as never }))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.remember(fact('x', { source: {} as never }))).rejects.toBeInstanceOf(InvalidArgumentError);
    const { id } = await store.remember(fact('Deploys go out on Tuesdays'));
    await expect(store.recall('deploys', { scopes: [] })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.get(id, [])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.list([])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.forget(id, [])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.restore(id, [])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(store.update(id, { text: 'y' }, [])).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await store.get(id, [PRIYA])).toMatchObject({ text: 'Deploys go out on Tuesdays' });
  }));

  it('never returns or touches another principal\'s memories', run(async (store) => {
    const mine = await store.remember(fact('Priya deploys the billing service on Tuesdays'));
    const theirs = await store.remember(fact('Raj deploys the billing service on Fridays', { scope: RAJ }));
    const recalled = await store.recall('billing service deploys', { scopes: [PRIYA], k: 10 });
    expect(recalled.map((r) => r.item.id)).toEqual([mine.id]);
    expect(await store.get(theirs.id, [PRIYA])).toBeUndefined();
    expect((await store.list([PRIYA])).map((i) => i.id)).toEqual([mine.id]);
    expect(await store.forget(theirs.id, [PRIYA])).toBe(false);
    expect(await store.update(theirs.id, { text: 'hijacked' }, [PRIYA])).toBeUndefined();
    await store.forget(theirs.id, [RAJ]);
    expect(await store.restore(theirs.id, [PRIYA])).toBe(false);
    await store.restore(theirs.id, [RAJ]);
    const untouched = await store.get(theirs.id, [RAJ]);
    expect(untouched).toMatchObject({ text: 'Raj deploys the billing service on Fridays', recallCount: 0 });
  }));

  it('reads team and shared memories only when their scopes are passed', run(async (store) => {
    const team = await store.remember(fact('The platform team freezes deploys on Fridays', { scope: 'team:platform' }));
    const shared = await store.remember(fact('Company holidays freeze deploys', { scope: 'shared' }));
    expect(await store.recall('deploys freeze', { scopes: [PRIYA] })).toEqual([]);
    const ids = (await store.recall('deploys freeze', { scopes: [PRIYA, 'team:platform', 'shared'] })).map((r) => r.item.id);
    expect(ids.sort()).toEqual([team.id, shared.id].sort());
    expect(await store.recall('deploys freeze', { scopes: ['team:payments'] })).toEqual([]);
  }));

  it('ranks a relevant old fact above a barely related recent one', run(async (store) => {
    const relevant = await store.remember(fact('The staging database password rotates every Monday', { createdAt: T0 - 60 * DAY }));
    await store.remember(fact('Lunch order for Monday: pizza', { createdAt: T0 }));
    for (let i = 0; i < 5; i++) await store.remember(fact(`Unrelated note number ${i} about gardening`, { createdAt: T0 }));
    const recalled = await store.recall('when does the staging database password rotate on Monday', { scopes: [PRIYA], now: T0 });
    expect(recalled[0]!.item.id).toBe(relevant.id);
    expect(recalled.map((r) => r.item.text)).toContain('Lunch order for Monday: pizza');
    expect(recalled.every((r, i) => i === 0 || r.score <= recalled[i - 1]!.score)).toBe(true);
    expect(recalled.some((r) => r.item.text.includes('gardening'))).toBe(false);
  }));

  it('prefers the newer of two equally relevant memories', run(async (store) => {
    const old = await store.remember(fact('Priya reviews pull requests in the morning', { createdAt: T0 - 30 * DAY }));
    const recent = await store.remember(fact('Priya reviews pull requests in the afternoon', { createdAt: T0 - DAY }));
    const recalled = await store.recall('reviews pull requests', { scopes: [PRIYA], now: T0 });
    expect(recalled.map((r) => r.item.id)).toEqual([recent.id, old.id]);
  }));

  it('matches word forms and ignores stopwords', run(async (store) => {
    const item = await store.remember(fact('Priya deployed the invoices service'));
    expect((await store.recall('deploys invoice', { scopes: [PRIYA] }))[0]?.item.id).toBe(item.id);
    expect(await store.recall('the of and', { scopes: [PRIYA] })).toEqual([]);
  }));

  it('honours k and kinds', run(async (store) => {
    for (let i = 0; i < 8; i++) await store.remember(fact(`Incident ${i} was caused by the cache`, { createdAt: T0 + i }));
    const episode = await store.remember(fact('Cleared the cache after incident 9', { kind: 'episode', createdAt: T0 + 100 }));
    expect(await store.recall('cache incident', { scopes: [PRIYA] })).toHaveLength(5);
    expect(await store.recall('cache incident', { scopes: [PRIYA], k: 3 })).toHaveLength(3);
    const episodes = await store.recall('cache incident', { scopes: [PRIYA], kinds: ['episode'], k: 10 });
    expect(episodes.map((r) => r.item.id)).toEqual([episode.id]);
  }));

  it('stops adding memories once their text would exceed maxTokens', run(async (store) => {
    const texts = [
      'The release checklist lives in the ops wiki and has twelve steps',
      'Release notes are written by the on-call engineer',
      'Every release needs a sign-off from QA before Friday noon',
    ];
    for (const [i, text] of texts.entries()) await store.remember(fact(text, { createdAt: T0 - i * DAY }));
    const all = await store.recall('release', { scopes: [PRIYA], now: T0, k: 10 });
    expect(all).toHaveLength(3);
    const firstTwo = countTokens(all[0]!.item.text, 'o200k_base') + countTokens(all[1]!.item.text, 'o200k_base');
    const capped = await store.recall('release', { scopes: [PRIYA], now: T0, k: 10, maxTokens: firstTwo });
    expect(capped.map((r) => r.item.id)).toEqual(all.slice(0, 2).map((r) => r.item.id));
    expect(await store.recall('release', { scopes: [PRIYA], now: T0, maxTokens: firstTwo - 1 })).toHaveLength(1);
    expect(await store.recall('release', { scopes: [PRIYA], now: T0, maxTokens: 0 })).toEqual([]);
  }));

  it('counts recalls', run(async (store) => {
    const item = await store.remember(fact('The on-call rotation changes on Wednesdays'));
    await store.recall('on-call rotation', { scopes: [PRIYA], now: T0 + DAY });
    await store.recall('rotation', { scopes: [PRIYA], now: T0 + 2 * DAY });
    expect(await store.get(item.id, [PRIYA])).toMatchObject({ recallCount: 2, lastRecalledAt: T0 + 2 * DAY });
    await store.recall('rotation', { scopes: [PRIYA], maxTokens: 0 });
    expect((await store.get(item.id, [PRIYA]))!.recallCount).toBe(2);
  }));

  it('forgets softly and restores', run(async (store) => {
    const item = await store.remember(fact('The VPN needs a hardware key'));
    expect(await store.forget(item.id, [PRIYA])).toBe(true);
    expect(await store.forget(item.id, [PRIYA])).toBe(false);
    expect(await store.get(item.id, [PRIYA])).toBeUndefined();
    expect(await store.recall('VPN hardware key', { scopes: [PRIYA] })).toEqual([]);
    expect(await store.list([PRIYA])).toEqual([]);
    const [deleted] = await store.list([PRIYA], { includeDeleted: true });
    expect(deleted?.deletedAt).toEqual(expect.any(Number));
    expect(await store.update(item.id, { text: 'changed' }, [PRIYA])).toBeUndefined();
    expect(await store.restore(item.id, [PRIYA])).toBe(true);
    expect(await store.restore(item.id, [PRIYA])).toBe(false);
    expect((await store.recall('VPN hardware key', { scopes: [PRIYA] }))[0]?.item.id).toBe(item.id);
    expect((await store.get(item.id, [PRIYA]))?.deletedAt).toBeUndefined();
  }));

  it('updates text (re-indexed) and merges metadata shallowly, null removing a key', run(async (store) => {
    const item = await store.remember(fact('Standup is at nine', { metadata: { keep: 1, drop: 2, nested: { a: 1 } } }));
    const updated = await store.update(item.id, { text: 'Retro is on Thursdays', metadata: { drop: null, nested: { b: 2 }, added: 'x' } }, [PRIYA]);
    expect(updated).toMatchObject({ id: item.id, text: 'Retro is on Thursdays', metadata: { keep: 1, nested: { b: 2 }, added: 'x' } });
    expect(updated!.metadata).not.toHaveProperty('drop');
    expect(updated!.updatedAt).toBeGreaterThanOrEqual(item.updatedAt);
    expect(await store.get(item.id, [PRIYA])).toEqual(updated);
    expect(await store.recall('standup', { scopes: [PRIYA] })).toEqual([]);
    expect((await store.recall('retro thursdays', { scopes: [PRIYA] }))[0]?.item.id).toBe(item.id);
    await expect(store.update(item.id, { text: '' }, [PRIYA])).rejects.toBeInstanceOf(InvalidArgumentError);
  }));

  it('lists oldest first, filtered by kinds and since', run(async (store) => {
    const b = await store.remember(fact('second', { createdAt: T0 + 2 }));
    const a = await store.remember(fact('first', { createdAt: T0 + 1, kind: 'episode' }));
    const c = await store.remember(fact('third', { createdAt: T0 + 3, scope: 'shared' }));
    expect((await store.list([PRIYA, 'shared'])).map((i) => i.id)).toEqual([a.id, b.id, c.id]);
    expect((await store.list([PRIYA, 'shared'], { kinds: ['fact'] })).map((i) => i.id)).toEqual([b.id, c.id]);
    expect((await store.list([PRIYA, 'shared'], { since: T0 + 2 })).map((i) => i.id)).toEqual([b.id, c.id]);
  }));

  it('hands out copies: changing a returned item changes nothing stored', run(async (store) => {
    const item = await store.remember(fact('Copies are independent', { metadata: { list: [1] } }));
    item.text = 'mutated';
    (item.metadata.list as number[]).push(2);
    const [listed] = await store.list([PRIYA]);
    expect(listed).toMatchObject({ text: 'Copies are independent', metadata: { list: [1] } });
    listed!.source.trust = 'untrusted';
    expect((await store.get(item.id, [PRIYA]))!.source.trust).toBe('agent');
  }));
});
