import { describe, expect, it } from 'vitest';
import { type MemoryItem, type MemoryScope, type MemoryStore, type NewMemoryItem } from '@claw/core';
import { withStore, type StoreFactory } from './store-handle';

// In the past, so items created "now - x" never lie ahead of the store's own clock.
const NOW = 1_700_000_000_000;
const DAY = 86_400_000;
const ALICE: MemoryScope = 'principal:alice';
const BOB: MemoryScope = 'principal:bob';

function memory(text: string, overrides: Partial<NewMemoryItem> = {}): NewMemoryItem {
  return { text, kind: 'fact', scope: ALICE, source: { trust: 'user', runId: 'run-1' }, createdAt: NOW - DAY, ...overrides };
}

const texts = (items: readonly { item: MemoryItem }[] | readonly MemoryItem[]) =>
  items.map((entry) => ('item' in entry ? entry.item.text : entry.text));

/** Twenty common words: at least 20 tokens in any tokenizer, and under 50 in o200k_base or a chars/4 estimate. */
const twentyWords = (topic: string) =>
  `${topic} deploy notes say the team should check the release branch and wait for green builds before we ship it today`;

/**
 * Registers the {@link MemoryStore} conformance tests: scope isolation on every read and write, ranking that
 * prefers a relevant old fact over an irrelevant recent one, `k` and `maxTokens` caps, kind filters,
 * forget/restore, update, and list order and `since`.
 * @param factory returns a fresh, empty memory store per test
 */
export function describeMemoryStoreConformance(name: string, factory: StoreFactory<MemoryStore>): void {
  const test = (title: string, body: (store: MemoryStore) => Promise<void>) =>
    it(title, () => withStore(factory, ({ store }) => body(store)));

  describe(`MemoryStore conformance: ${name}`, () => {
    test('remember returns the stored item with defaults filled in', async (store) => {
      const before = Date.now();
      const item = await store.remember({ text: 'Alice prefers short answers', kind: 'preference', scope: ALICE, source: { trust: 'user' } });
      expect(item).toMatchObject({ text: 'Alice prefers short answers', kind: 'preference', scope: ALICE, source: { trust: 'user' }, metadata: {}, recallCount: 0 });
      expect(item.id).toEqual(expect.any(String));
      expect(item.createdAt).toBeGreaterThanOrEqual(before);
      expect(item.updatedAt).toBeGreaterThanOrEqual(item.createdAt);
      expect(item.deletedAt).toBeUndefined();
      expect(await store.get(item.id, [ALICE])).toMatchObject({ id: item.id, text: item.text, metadata: {} });
      const withMeta = await store.remember(memory('Billing runs on Postgres', { metadata: { confidence: 0.9 }, source: { trust: 'agent', derivedFrom: ['m1', 'm2'] } }));
      expect(await store.get(withMeta.id, [ALICE])).toMatchObject({ metadata: { confidence: 0.9 }, source: { trust: 'agent', derivedFrom: ['m1', 'm2'] } });
    });

    test('a principal never sees another principal\'s memories: recall, get, list', async (store) => {
      const alice = await store.remember(memory('The billing service deploys from the main branch'));
      const bob = await store.remember(memory('The billing service deploys on Fridays only', { scope: BOB }));
      expect(texts(await store.recall('billing service deploys', { scopes: [ALICE], now: NOW }))).toEqual([alice.text]);
      expect(texts(await store.recall('billing service deploys', { scopes: [BOB], now: NOW }))).toEqual([bob.text]);
      expect(await store.get(bob.id, [ALICE])).toBeUndefined();
      expect(await store.get(alice.id, [BOB])).toBeUndefined();
      expect(texts(await store.list([ALICE]))).toEqual([alice.text]);
      expect(texts(await store.list([BOB], { includeDeleted: true }))).toEqual([bob.text]);
      // No scopes means nothing, never everything: a store may return [] or refuse with an error.
      expect(await store.recall('billing service deploys', { scopes: [], now: NOW }).catch(() => [])).toEqual([]);
    });

    test('a principal cannot forget, restore or update another principal\'s memories', async (store) => {
      const bob = await store.remember(memory('Bob keeps the on-call rota', { scope: BOB }));
      expect(await store.forget(bob.id, [ALICE])).toBe(false);
      expect(await store.update(bob.id, { text: 'hijacked' }, [ALICE])).toBeUndefined();
      expect(await store.get(bob.id, [BOB])).toMatchObject({ text: 'Bob keeps the on-call rota' });
      expect(await store.forget(bob.id, [BOB])).toBe(true);
      expect(await store.restore(bob.id, [ALICE])).toBe(false);
      expect(await store.get(bob.id, [BOB])).toBeUndefined();
    });

    test('several scopes can be read at once: own, team and shared', async (store) => {
      await store.remember(memory('Alice owns the payments runbook'));
      await store.remember(memory('Platform team runbook lives in the wiki', { scope: 'team:platform' }));
      await store.remember(memory('Company runbook policy: review yearly', { scope: 'shared' }));
      await store.remember(memory('Bob runbook notes', { scope: BOB }));
      const recalled = await store.recall('runbook', { scopes: [ALICE, 'team:platform', 'shared'], now: NOW, k: 10 });
      expect(texts(recalled).sort()).toEqual(['Alice owns the payments runbook', 'Company runbook policy: review yearly', 'Platform team runbook lives in the wiki']);
      expect(texts(await store.list(['team:platform']))).toEqual(['Platform team runbook lives in the wiki']);
    });

    test('a relevant old fact outranks an irrelevant recent one', async (store) => {
      await store.remember(memory('The production database runs PostgreSQL version 16 in eu-west-1', { createdAt: NOW - 30 * DAY }));
      await store.remember(memory('Lunch in the production office is at noon', { createdAt: NOW - 60_000, kind: 'episode' }));
      const recalled = await store.recall('which PostgreSQL version does the production database run', { scopes: [ALICE], now: NOW });
      expect(recalled[0]!.item.text).toBe('The production database runs PostgreSQL version 16 in eu-west-1');
      expect(recalled.every((r, i) => i === 0 || r.score <= recalled[i - 1]!.score)).toBe(true);
    });

    test('recall returns at most k items and nothing for a query that matches nothing', async (store) => {
      for (let i = 0; i < 8; i++) await store.remember(memory(`Incident ${i}: the deploy pipeline stalled`, { createdAt: NOW - i * DAY }));
      expect(await store.recall('deploy pipeline', { scopes: [ALICE], now: NOW })).toHaveLength(5);
      expect(await store.recall('deploy pipeline', { scopes: [ALICE], now: NOW, k: 3 })).toHaveLength(3);
      expect(await store.recall('zebra xylophone', { scopes: [ALICE], now: NOW })).toEqual([]);
    });

    test('recall stops adding items at maxTokens', async (store) => {
      for (const topic of ['alpha', 'bravo', 'charlie', 'delta', 'echo']) await store.remember(memory(twentyWords(topic)));
      const uncapped = await store.recall('deploy release branch', { scopes: [ALICE], now: NOW });
      expect(uncapped).toHaveLength(5);
      const capped = await store.recall('deploy release branch', { scopes: [ALICE], now: NOW, maxTokens: 50 });
      expect(capped.length).toBeGreaterThanOrEqual(1);
      expect(capped.length).toBeLessThanOrEqual(2);
    });

    test('recall and list honour the kinds filter', async (store) => {
      await store.remember(memory('Deploy freeze starts on the 20th', { kind: 'fact' }));
      await store.remember(memory('Asked about the deploy freeze yesterday', { kind: 'episode' }));
      await store.remember(memory('Prefers deploy summaries as bullet points', { kind: 'preference' }));
      const facts = await store.recall('deploy', { scopes: [ALICE], now: NOW, kinds: ['fact'] });
      expect(texts(facts)).toEqual(['Deploy freeze starts on the 20th']);
      const some = await store.recall('deploy', { scopes: [ALICE], now: NOW, kinds: ['episode', 'preference'] });
      expect(texts(some).sort()).toEqual(['Asked about the deploy freeze yesterday', 'Prefers deploy summaries as bullet points']);
      expect((await store.list([ALICE], { kinds: ['preference'] })).map((m) => m.kind)).toEqual(['preference']);
    });

    test('forget hides an item everywhere until it is restored', async (store) => {
      const item = await store.remember(memory('The staging cluster is called kestrel'));
      expect(await store.forget(item.id, [ALICE])).toBe(true);
      expect(await store.forget(item.id, [ALICE])).toBe(false);
      expect(await store.recall('staging cluster kestrel', { scopes: [ALICE], now: NOW })).toEqual([]);
      expect(await store.get(item.id, [ALICE])).toBeUndefined();
      expect(await store.list([ALICE])).toEqual([]);
      const [deleted] = await store.list([ALICE], { includeDeleted: true });
      expect(deleted).toMatchObject({ id: item.id, deletedAt: expect.any(Number) });
      expect(await store.restore(item.id, [ALICE])).toBe(true);
      expect(await store.restore(item.id, [ALICE])).toBe(false);
      expect(texts(await store.recall('staging cluster kestrel', { scopes: [ALICE], now: NOW }))).toEqual([item.text]);
      expect((await store.get(item.id, [ALICE]))?.deletedAt).toBeUndefined();
      expect(await store.forget('no-such-id', [ALICE])).toBe(false);
    });

    test('update changes the text that recall searches and keeps the id', async (store) => {
      const item = await store.remember(memory('The release train leaves on Tuesdays'));
      const before = Date.now();
      const updated = await store.update(item.id, { text: 'The release train leaves on Thursdays', metadata: { mergedFrom: 2 } }, [ALICE]);
      expect(updated).toMatchObject({ id: item.id, text: 'The release train leaves on Thursdays', createdAt: item.createdAt });
      expect(updated!.metadata).toMatchObject({ mergedFrom: 2 });
      expect(updated!.updatedAt).toBeGreaterThanOrEqual(before);
      expect(await store.get(item.id, [ALICE])).toEqual(updated);
      expect(texts(await store.recall('Thursdays', { scopes: [ALICE], now: NOW }))).toEqual([updated!.text]);
      expect(await store.recall('Tuesdays', { scopes: [ALICE], now: NOW })).toEqual([]);
      expect(await store.update('no-such-id', { text: 'x' }, [ALICE])).toBeUndefined();
    });

    test('list returns items oldest first and honours since', async (store) => {
      await store.remember(memory('third', { createdAt: NOW - 1 * DAY }));
      await store.remember(memory('first', { createdAt: NOW - 3 * DAY }));
      await store.remember(memory('second', { createdAt: NOW - 2 * DAY }));
      expect(texts(await store.list([ALICE]))).toEqual(['first', 'second', 'third']);
      expect(texts(await store.list([ALICE], { since: NOW - 2 * DAY }))).toEqual(['second', 'third']);
    });

    test('queries with punctuation or full-text operators are treated as plain words', async (store) => {
      await store.remember(memory('Use "quotes" carefully (or not) in NEAR AND OR NOT queries'));
      for (const query of ['"quotes"', 'or not)', 'NEAR(', 'AND OR NOT', '*', 'quotes -carefully', "don't ^ : { }", '']) {
        const recalled = await store.recall(query, { scopes: [ALICE], now: NOW });
        expect(Array.isArray(recalled)).toBe(true);
      }
      expect(texts(await store.recall('(quotes)', { scopes: [ALICE], now: NOW }))).toHaveLength(1);
    });
  });
}
