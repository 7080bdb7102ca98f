/**
 * Helpers shared by the dream tests (not exported from the package): a scripted "model" that extracts facts by
 * keyword from the episodes it is sent, seeding helpers, and a store that lies about its writes.
 */
import { InMemoryUsageLedger } from '../metering/in-memory-usage-ledger';
import { Meter } from '../metering/meter';
import type { GenerateRequest, ProviderUsage } from '../model/model-provider';
import type { ScriptedTurn } from '../testing/scripted-model';
import type { ListMemoryOptions, MemoryItem, MemoryPatch, MemoryScope, MemoryStore, NewMemoryItem, RecallOptions, RecalledMemory } from './memory-store';

export const T0 = Date.UTC(2026, 10, 2, 3, 0, 0);
export const DAY = 86_400_000;
export const PRIYA = { id: 'priya', team: 'platform', displayName: 'Priya' };
export const SCOPE: MemoryScope = 'principal:priya';

/** The episodes of a consolidation request, in order, as the model sees them. */
export function episodesIn(request: GenerateRequest): { id: string; text: string }[] {
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  return [...user.matchAll(/<episode id="([^"]+)"[^>]*>\n([\s\S]*?)\n<\/episode>/g)].map((m) => ({ id: m[1]!, text: m[2]! }));
}

/** A model turn citing, for each fact, every episode of the request whose text contains its keyword. */
export function extractByKeyword(
  rules: Record<string, { text: string; kind?: 'fact' | 'preference' }>,
  extra: { usage?: ProviderUsage; delayMs?: number } = {},
) {
  return (request: GenerateRequest): ScriptedTurn => {
    const episodes = episodesIn(request);
    const facts = Object.entries(rules).flatMap(([keyword, fact]) => {
      const cited = episodes.filter((e) => e.text.toLowerCase().includes(keyword.toLowerCase())).map((e) => e.id);
      return cited.length > 0 ? [{ text: fact.text, kind: fact.kind ?? 'fact', episodes: cited }] : [];
    });
    return { text: JSON.stringify({ facts }), ...extra };
  };
}

/** Writes episodes a day apart, ending at `end`. */
export async function seedEpisodes(
  store: MemoryStore,
  texts: readonly string[],
  options: { trust?: 'user' | 'agent' | 'untrusted'; end?: number } = {},
): Promise<MemoryItem[]> {
  const end = options.end ?? T0 - DAY;
  const items: MemoryItem[] = [];
  for (const [i, text] of texts.entries()) {
    items.push(
      await store.remember({
        text,
        kind: 'episode',
        scope: SCOPE,
        source: { runId: `run-${i}`, trust: options.trust ?? 'agent' },
        createdAt: end - (texts.length - 1 - i) * 3_600_000,
      }),
    );
  }
  return items;
}

/** A fact as an earlier dream or `memory_save` would have left it. */
export function seedFact(store: MemoryStore, text: string, createdAt = T0 - DAY): Promise<MemoryItem> {
  return store.remember({ text, kind: 'fact', scope: SCOPE, source: { trust: 'agent' }, createdAt });
}

/** A meter with a ledger, as the dream is given in production. */
export function meterWithLedger(): { meter: Meter; ledger: InMemoryUsageLedger } {
  const ledger = new InMemoryUsageLedger();
  return { meter: new Meter({ ledger }), ledger };
}

/** Everything a store holds for the principal, for before/after comparisons. */
export function snapshot(store: MemoryStore): Promise<MemoryItem[]> {
  return store.list([SCOPE], { includeDeleted: true });
}

/**
 * A store that reports writes it does not make: `remember` of facts returns an item that was never stored, or
 * `update` returns the patched item without changing anything. Reads are honest.
 */
export class LyingMemoryStore implements MemoryStore {
  constructor(
    private readonly inner: MemoryStore,
    private readonly lie: 'remember' | 'update',
  ) {}
  async remember(item: NewMemoryItem): Promise<MemoryItem> {
    if (this.lie === 'remember' && item.kind !== 'episode') {
      return { ...item, id: `ghost-${Math.random()}`, createdAt: item.createdAt ?? 0, updatedAt: 0, metadata: item.metadata ?? {}, recallCount: 0 };
    }
    return this.inner.remember(item);
  }
  async update(id: string, patch: MemoryPatch, scopes: readonly MemoryScope[]): Promise<MemoryItem | undefined> {
    const current = await this.inner.get(id, scopes);
    if (this.lie === 'update' && current) return { ...current, ...(patch.text ? { text: patch.text } : {}), metadata: { ...current.metadata, ...patch.metadata } };
    return this.inner.update(id, patch, scopes);
  }
  recall(query: string, options: RecallOptions): Promise<RecalledMemory[]> {
    return this.inner.recall(query, options);
  }
  get(id: string, scopes: readonly MemoryScope[]): Promise<MemoryItem | undefined> {
    return this.inner.get(id, scopes);
  }
  forget(id: string, scopes: readonly MemoryScope[]): Promise<boolean> {
    return this.inner.forget(id, scopes);
  }
  restore(id: string, scopes: readonly MemoryScope[]): Promise<boolean> {
    return this.inner.restore(id, scopes);
  }
  list(scopes: readonly MemoryScope[], options?: ListMemoryOptions): Promise<MemoryItem[]> {
    return this.inner.list(scopes, options);
  }
}
