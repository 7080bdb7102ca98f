import { InvalidArgumentError, StoreError } from '../errors';
import { countTokens } from '../metering/tokenizer';
import type { Embedder } from './embedder';
import { assertMemoryScopes } from './memory-scopes';
import type {
  ListMemoryOptions,
  MemoryItem,
  MemoryPatch,
  MemoryScope,
  MemoryStore,
  NewMemoryItem,
  RecallOptions,
  RecalledMemory,
} from './memory-store';
import {
  DEFAULT_RECENCY,
  cosineSimilarity,
  recencyBoost,
  reciprocalRankFusion,
  TopK,
  type RecencyOptions,
} from './recall-ranking';
import { searchTerms } from './search-terms';
import { DEFAULT_BM25, TextIndex, combinedStatistics, type Bm25Parameters } from './text-index';
import {
  assertMemoryKinds,
  validateRecall,
  cloneMemoryItem,
  copyMetadata,
  mergeMemoryMetadata,
  validateMemoryPatch,
  validateNewMemoryItem,
} from './validate-memory-item';

/** Options for {@link InMemoryMemoryStore}. */
export interface InMemoryMemoryStoreOptions {
  /** Enables hybrid recall: BM25 and cosine similarity fused by reciprocal rank. */
  embedder?: Embedder;
  /** Cosine similarity below which a memory does not enter the vector ranking. Default 0.25. */
  minSimilarity?: number;
  /** Recency weighting of recall. Default weight 0.5, half-life 7 days. */
  recency?: Partial<RecencyOptions>;
  /** BM25 parameters of text relevance. Default k1 = 1.2, b = 0.75. */
  bm25?: Partial<Bm25Parameters>;
  /** Clock for default timestamps. Default `Date.now`. */
  clock?: () => number;
}

interface Entry {
  item: MemoryItem;
  /** Document number in its scope's index while visible. */
  doc: number | undefined;
  vector: number[] | undefined;
  /** o200k_base token count of the text, computed on first recall. */
  tokens: number | undefined;
  order: number;
}

interface Partition {
  index: TextIndex;
  /** Document number → entry. */
  entries: (Entry | undefined)[];
}

/**
 * A {@link MemoryStore} held in process memory: BM25 over an inverted index per scope, recency-weighted, with
 * hybrid ranking when given an {@link Embedder}. Meant for tests, examples and single-process agents whose memory
 * may be lost on restart; `@claw/sqlite` and `@claw/postgres` keep memory durably with the same behaviour.
 */
export class InMemoryMemoryStore implements MemoryStore {
  private readonly entries = new Map<string, Entry>();
  private readonly partitions = new Map<MemoryScope, Partition>();
  private readonly embedder: Embedder | undefined;
  private readonly minSimilarity: number;
  private readonly recency: RecencyOptions;
  private readonly bm25: Bm25Parameters;
  private readonly clock: () => number;
  private order = 0;

  constructor(options: InMemoryMemoryStoreOptions = {}) {
    this.embedder = options.embedder;
    this.minSimilarity = options.minSimilarity ?? 0.25;
    this.recency = { ...DEFAULT_RECENCY, ...options.recency };
    this.bm25 = { ...DEFAULT_BM25, ...options.bm25 };
    this.clock = options.clock ?? Date.now;
    if (!(this.recency.halfLifeMs > 0) || !(this.recency.recencyWeight >= 0)) {
      throw new InvalidArgumentError('recency needs halfLifeMs > 0 and recencyWeight >= 0.');
    }
  }

  /** Number of memories held, forgotten ones included. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Stores a memory (embedding it first when the store has an embedder).
   * @throws InvalidArgumentError for a malformed item; StoreError when the embedder fails (nothing is stored).
   */
  async remember(input: NewMemoryItem): Promise<MemoryItem> {
    validateNewMemoryItem(input);
    const vector = await this.embedText(input.text);
    const createdAt = input.createdAt ?? this.clock();
    const source = { ...input.source, ...(input.source.derivedFrom ? { derivedFrom: [...input.source.derivedFrom] } : {}) };
    const item: MemoryItem = {
      id: crypto.randomUUID(),
      text: input.text,
      kind: input.kind,
      scope: input.scope,
      source,
      createdAt,
      updatedAt: createdAt,
      metadata: copyMetadata(input.metadata ?? {}),
      recallCount: 0,
    };
    const entry: Entry = { item, doc: undefined, vector, tokens: undefined, order: this.order++ };
    this.entries.set(item.id, entry);
    this.index(entry);
    return cloneMemoryItem(item);
  }

  /**
   * Ranked recall within the given scopes; updates `recallCount` and `lastRecalledAt` of what it returns.
   * A query with no search terms (only stopwords or punctuation) recalls nothing unless the store embeds.
   * @throws InvalidArgumentError for empty scopes or bad options; StoreError when the embedder fails.
   */
  async recall(query: string, options: RecallOptions): Promise<RecalledMemory[]> {
    const { k, maxTokens } = validateRecall(query, options);
    const terms = searchTerms(query);
    const queryVector = this.embedder && query.trim() !== '' ? await this.embedText(query) : undefined;
    if (terms.length === 0 && !queryVector) return [];

    // From here on nothing awaits, so the index cannot change under the ranking.
    const now = options.now ?? this.clock();
    const kinds = options.kinds ? new Set(options.kinds) : undefined;
    const partitions = [...new Set(options.scopes)].flatMap((scope) => this.partitions.get(scope) ?? []);
    const stats = combinedStatistics(partitions.map((p) => p.index));
    const boost = (entry: Entry) => recencyBoost(entry.item.createdAt, now, this.recency);
    const newerFirst = (a: Entry, b: Entry) =>
      a.item.createdAt > b.item.createdAt || (a.item.createdAt === b.item.createdAt && a.order < b.order);
    const ranked = new TopK<Entry>(k, newerFirst);

    if (!queryVector) {
      // Recency multiplies relevance by at most maxBoost, so most documents can be skipped unboosted.
      const maxBoost = 1 + this.recency.recencyWeight;
      for (const partition of partitions) {
        const { count, docs, scores } = partition.index.score(terms, stats, this.bm25);
        for (let i = 0; i < count; i++) {
          const relevance = scores[i]!;
          if (relevance * maxBoost < ranked.threshold) continue;
          const entry = partition.entries[docs[i]!]!;
          if (kinds && !kinds.has(entry.item.kind)) continue;
          ranked.offer(entry, relevance * boost(entry));
        }
      }
    } else {
      const depth = Math.max(50, k * 10);
      const writeOrder = (a: Entry, b: Entry) => a.order < b.order;
      const byText = new TopK<Entry>(depth, writeOrder);
      const byVector = new TopK<Entry>(depth, writeOrder);
      for (const partition of partitions) {
        const { count, docs, scores } = partition.index.score(terms, stats, this.bm25);
        for (let i = 0; i < count; i++) {
          const entry = partition.entries[docs[i]!]!;
          if (!kinds || kinds.has(entry.item.kind)) byText.offer(entry, scores[i]!);
        }
        for (const entry of partition.entries) {
          if (!entry?.vector || (kinds && !kinds.has(entry.item.kind))) continue;
          const similarity = cosineSimilarity(queryVector, entry.vector);
          if (similarity >= this.minSimilarity) byVector.offer(entry, similarity);
        }
      }
      for (const [entry, fused] of reciprocalRankFusion([byText.items, byVector.items])) ranked.offer(entry, fused * boost(entry));
    }

    const recalled: RecalledMemory[] = [];
    let usedTokens = 0;
    for (const [index, entry] of ranked.items.entries()) {
      const score = ranked.scores[index]!;
      if (maxTokens !== undefined) {
        entry.tokens ??= countTokens(entry.item.text, 'o200k_base');
        if (usedTokens + entry.tokens > maxTokens) break;
        usedTokens += entry.tokens;
      }
      entry.item.recallCount += 1;
      entry.item.lastRecalledAt = now;
      recalled.push({ item: cloneMemoryItem(entry.item), score });
    }
    return recalled;
  }

  /** A visible memory by id, or undefined when it does not exist, is forgotten, or lies outside `scopes`. */
  async get(id: string, scopes: readonly MemoryScope[]): Promise<MemoryItem | undefined> {
    assertMemoryScopes(scopes, 'get');
    const entry = this.visible(id, scopes);
    return entry ? cloneMemoryItem(entry.item) : undefined;
  }

  /** Soft-deletes a visible memory: it leaves recall, get and list until restored. */
  async forget(id: string, scopes: readonly MemoryScope[]): Promise<boolean> {
    assertMemoryScopes(scopes, 'forget');
    const entry = this.visible(id, scopes);
    if (!entry) return false;
    entry.item.deletedAt = this.clock();
    this.unindex(entry);
    return true;
  }

  /** Brings back a forgotten memory within `scopes`. */
  async restore(id: string, scopes: readonly MemoryScope[]): Promise<boolean> {
    assertMemoryScopes(scopes, 'restore');
    const entry = this.entries.get(id);
    if (!entry || entry.item.deletedAt === undefined || !scopes.includes(entry.item.scope)) return false;
    delete entry.item.deletedAt;
    this.index(entry);
    return true;
  }

  /**
   * Changes a visible memory's text and/or metadata (shallow merge; a `null` value removes the key).
   * @throws InvalidArgumentError for a malformed patch; StoreError when re-embedding fails (nothing changes).
   */
  async update(id: string, patch: MemoryPatch, scopes: readonly MemoryScope[]): Promise<MemoryItem | undefined> {
    assertMemoryScopes(scopes, 'update');
    validateMemoryPatch(patch);
    if (!this.visible(id, scopes)) return undefined;
    const vector = patch.text !== undefined ? await this.embedText(patch.text) : undefined;
    // Look again: the memory may have been forgotten while the embedder ran.
    const entry = this.visible(id, scopes);
    if (!entry) return undefined;
    if (patch.text !== undefined && patch.text !== entry.item.text) {
      this.unindex(entry);
      entry.item.text = patch.text;
      entry.vector = vector;
      entry.tokens = undefined;
      this.index(entry);
    }
    if (patch.metadata !== undefined) entry.item.metadata = mergeMemoryMetadata(entry.item.metadata, structuredClone(patch.metadata));
    entry.item.updatedAt = this.clock();
    return cloneMemoryItem(entry.item);
  }

  /** Memories in `scopes`, oldest first (by `createdAt`, then by write order). */
  async list(scopes: readonly MemoryScope[], options: ListMemoryOptions = {}): Promise<MemoryItem[]> {
    assertMemoryScopes(scopes, 'list');
    assertMemoryKinds(options.kinds);
    const allowed = new Set(scopes);
    const kinds = options.kinds ? new Set(options.kinds) : undefined;
    const found: Entry[] = [];
    for (const entry of this.entries.values()) {
      const { item } = entry;
      if (!allowed.has(item.scope)) continue;
      if (item.deletedAt !== undefined && !options.includeDeleted) continue;
      if (kinds && !kinds.has(item.kind)) continue;
      if (options.since !== undefined && item.createdAt < options.since) continue;
      found.push(entry);
    }
    found.sort((a, b) => a.item.createdAt - b.item.createdAt || a.order - b.order);
    return found.map((entry) => cloneMemoryItem(entry.item));
  }

  private visible(id: string, scopes: readonly MemoryScope[]): Entry | undefined {
    const entry = typeof id === 'string' ? this.entries.get(id) : undefined;
    if (!entry || entry.item.deletedAt !== undefined || !scopes.includes(entry.item.scope)) return undefined;
    return entry;
  }

  private index(entry: Entry): void {
    let partition = this.partitions.get(entry.item.scope);
    if (!partition) this.partitions.set(entry.item.scope, (partition = { index: new TextIndex(), entries: [] }));
    entry.doc = partition.index.add(searchTerms(entry.item.text));
    partition.entries[entry.doc] = entry;
  }

  private unindex(entry: Entry): void {
    const partition = this.partitions.get(entry.item.scope);
    if (!partition || entry.doc === undefined) return;
    partition.index.remove(entry.doc);
    partition.entries[entry.doc] = undefined;
    entry.doc = undefined;
  }

  private async embedText(text: string): Promise<number[] | undefined> {
    if (!this.embedder) return undefined;
    let vectors: number[][];
    try {
      vectors = await this.embedder.embed([text]);
    } catch (error) {
      throw new StoreError(`The memory embedder failed: ${(error as Error)?.message ?? String(error)}. Nothing was written.`, {
        cause: error,
      });
    }
    const vector = vectors?.[0];
    if (vectors?.length !== 1 || !Array.isArray(vector) || vector.length === 0 || vector.some((x) => !Number.isFinite(x))) {
      throw new StoreError('The memory embedder must return exactly one non-empty vector of finite numbers per text.');
    }
    return vector;
  }
}
