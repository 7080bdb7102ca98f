import { describe, expect, it } from 'vitest';
import { StoreError } from '../errors';
import type { Embedder } from './embedder';
import { InMemoryMemoryStore } from './in-memory-memory-store';
import { describeMemoryStoreConformance } from '../testing/conformance/memory-store-conformance';
import type { MemoryScope, NewMemoryItem } from './memory-store';

describeMemoryStoreConformance('InMemoryMemoryStore', async () => ({ store: new InMemoryMemoryStore() }));

const T0 = Date.UTC(2026, 10, 1);
const PRIYA: MemoryScope = 'principal:priya';
const fact = (text: string, overrides: Partial<NewMemoryItem> = {}): NewMemoryItem => ({
  text,
  kind: 'fact',
  scope: PRIYA,
  source: { trust: 'agent' },
  createdAt: T0,
  ...overrides,
});

/** Words of one concept share a dimension, so synonyms embed alike and nothing else does. */
const CONCEPTS: Record<string, number> = { car: 0, automobile: 0, vehicle: 0, coffee: 1, espresso: 1, latte: 1, deploy: 2, release: 2, ship: 2 };
class ConceptEmbedder implements Embedder {
  readonly model = 'concepts';
  calls = 0;
  async embed(texts: string[]): Promise<number[][]> {
    this.calls += 1;
    return texts.map((text) => {
      const vector = [0, 0, 0, 0.001];
      for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
        const dimension = CONCEPTS[word];
        if (dimension !== undefined) vector[dimension]! += 1;
      }
      return vector;
    });
  }
}

describe('InMemoryMemoryStore ranking', () => {
  it('scores one scope by its own statistics: other principals\' memories do not move them', async () => {
    const store = new InMemoryMemoryStore();
    await store.remember(fact('Priya owns the payments dashboard'));
    await store.remember(fact('Priya likes tea'));
    const before = await store.recall('payments dashboard', { scopes: [PRIYA], now: T0 });
    for (let i = 0; i < 50; i++) await store.remember(fact(`payments dashboard note ${i}`, { scope: 'principal:raj' }));
    const after = await store.recall('payments dashboard', { scopes: [PRIYA], now: T0 });
    expect(after.map((r) => r.score)).toEqual(before.map((r) => r.score));
  });

  it('applies the documented recency formula: relevance × (1 + w × 0.5^(age / halfLife))', async () => {
    const store = new InMemoryMemoryStore({ recency: { recencyWeight: 1, halfLifeMs: 1000 } });
    await store.remember(fact('alpha beta', { createdAt: T0 }));
    await store.remember(fact('alpha gamma', { createdAt: T0 - 1000 }));
    const [fresh, old] = await store.recall('alpha', { scopes: [PRIYA], now: T0 });
    // Same length, same term frequency: equal BM25, so the ratio is the recency boosts' ratio 2 / 1.5.
    expect(fresh!.score / old!.score).toBeCloseTo(2 / 1.5, 10);
  });

  it('keeps recall right after many forgets and updates (postings compaction)', async () => {
    const store = new InMemoryMemoryStore();
    const ids: string[] = [];
    for (let i = 0; i < 3000; i++) ids.push((await store.remember(fact(`ticket ${i} about the flaky login test`))).id);
    for (let i = 0; i < 2900; i++) await store.forget(ids[i]!, [PRIYA]);
    await store.update(ids[2999]!, { text: 'ticket about the checkout page' }, [PRIYA]);
    const login = await store.recall('flaky login', { scopes: [PRIYA], k: 500 });
    expect(login).toHaveLength(99);
    expect(login.every((r) => ids.indexOf(r.item.id) >= 2900)).toBe(true);
    expect((await store.recall('checkout', { scopes: [PRIYA] }))[0]?.item.id).toBe(ids[2999]);
    await store.restore(ids[0]!, [PRIYA]);
    expect(await store.recall('flaky login', { scopes: [PRIYA], k: 500 })).toHaveLength(100);
  });

  it('splits unspaced scripts into characters so a query matches inside them', async () => {
    const store = new InMemoryMemoryStore();
    const item = await store.remember(fact('東京オフィスは金曜日に閉まる'));
    expect((await store.recall('東京', { scopes: [PRIYA] }))[0]?.item.id).toBe(item.id);
  });
});

describe('InMemoryMemoryStore with an embedder (hybrid recall)', () => {
  it('finds a synonym BM25 cannot, and ranks an item matching both ways first', async () => {
    const plain = new InMemoryMemoryStore();
    const embedder = new ConceptEmbedder();
    const hybrid = new InMemoryMemoryStore({ embedder });
    for (const store of [plain, hybrid]) {
      await store.remember(fact('Priya drives an electric car'));
      await store.remember(fact('Priya parks the automobile in bay 4'));
      await store.remember(fact('Priya drinks espresso'));
    }
    expect(await plain.recall('automobile', { scopes: [PRIYA], now: T0 })).toHaveLength(1);
    const recalled = await hybrid.recall('automobile', { scopes: [PRIYA], now: T0 });
    expect(recalled.map((r) => r.item.text)).toEqual(['Priya parks the automobile in bay 4', 'Priya drives an electric car']);
    expect(embedder.calls).toBe(4);
  });

  it('re-embeds on text change and refuses to store when the embedder fails', async () => {
    const embedder = new ConceptEmbedder();
    const store = new InMemoryMemoryStore({ embedder });
    const item = await store.remember(fact('Priya drinks latte'));
    await store.update(item.id, { text: 'Priya will ship on Mondays' }, [PRIYA]);
    expect((await store.recall('release', { scopes: [PRIYA] }))[0]?.item.id).toBe(item.id);
    expect(await store.recall('coffee', { scopes: [PRIYA] })).toEqual([]);

    const broken = new InMemoryMemoryStore({ embedder: { embed: async () => [] } });
    await expect(broken.remember(fact('x'))).rejects.toBeInstanceOf(StoreError);
    const failing = new InMemoryMemoryStore({ embedder: { embed: async () => Promise.reject(new Error('quota')) } });
    await expect(failing.remember(fact('x'))).rejects.toThrow(/quota/);
    expect(failing.size).toBe(0);
  });
});
