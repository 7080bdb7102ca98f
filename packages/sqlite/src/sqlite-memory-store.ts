import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  InvalidArgumentError,
  countTokens,
  type ListMemoryOptions,
  type MemoryItem,
  type MemoryPatch,
  type MemoryScope,
  type MemoryStore,
  type NewMemoryItem,
  type RecallOptions,
  type RecalledMemory,
} from '@claw/core';
import {
  DEFAULT_RECENCY,
  assertMemoryKinds,
  assertMemoryScopes,
  mergeMemoryMetadata,
  recencyBoost,
  searchTerms,
  validateMemoryPatch,
  validateNewMemoryItem,
  type RecencyOptions,
  validateRecall,
} from '@claw/core/store-kit';
import { parseJsonColumn } from './json-column';
import { indexedTerms, kindTag, recallMatch } from './memory-match';
import { storeCall } from './sqlite-errors';

/** Options for the SQLite memory store (passed as `memory` to `openClawDatabase`). */
export interface SqliteMemoryStoreOptions {
  /** Recency weighting; the same formula and defaults as core's in-memory store (weight 0.5, half-life 7 days). */
  recency?: Partial<RecencyOptions>;
  /** Clock for default timestamps. Default `Date.now`. */
  clock?: () => number;
}

interface MemoryRow {
  seq: number;
  id: string;
  scope: MemoryScope;
  kind: MemoryItem['kind'];
  text: string;
  tokens: number;
  source: string;
  metadata: string;
  created_at: number;
  updated_at: number;
  recall_count: number;
  last_recalled_at: number | null;
  deleted_at: number | null;
}

const ITEM_COLUMNS = 'seq, id, scope, kind, text, tokens, source, metadata, created_at, updated_at, recall_count, last_recalled_at, deleted_at';

function toItem(row: MemoryRow): MemoryItem {
  const item: MemoryItem = {
    id: row.id,
    text: row.text,
    kind: row.kind,
    scope: row.scope,
    source: parseJsonColumn(row.source, 'memory source'),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    metadata: parseJsonColumn(row.metadata, 'memory metadata'),
    recallCount: row.recall_count,
  };
  if (row.last_recalled_at !== null) item.lastRecalledAt = row.last_recalled_at;
  if (row.deleted_at !== null) item.deletedAt = row.deleted_at;
  return item;
}

/**
 * A {@link MemoryStore} in a Claw SQLite database. Text is indexed with FTS5 after the same term normalisation as
 * core's in-memory store (stopwords dropped, light stemming), recall ranks by `bm25()` times core's recency boost
 * (the same formula and defaults), and the caller's scopes are part of both the full-text match (terms are indexed
 * per scope) and the SQL filter on every candidate.
 */
export class SqliteMemoryStore implements MemoryStore {
  private readonly recency: RecencyOptions;
  private readonly clock: () => number;
  private readonly statements;

  /** Use {@link openClawDatabase}; this constructor expects a migrated database. */
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    options: SqliteMemoryStoreOptions = {},
  ) {
    this.recency = { ...DEFAULT_RECENCY, ...options.recency };
    if (!(this.recency.halfLifeMs > 0) || !(this.recency.recencyWeight >= 0)) {
      throw new InvalidArgumentError('memory.recency needs halfLifeMs > 0 and recencyWeight >= 0.');
    }
    this.clock = options.clock ?? Date.now;
    const inScopes = 'scope IN (SELECT value FROM json_each(?))';
    this.statements = {
      insert: db.prepare(
        `INSERT INTO memory_items (id, scope, tags, kind, text, terms, tokens, source, metadata, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // Ranking runs inside FTS5 on the index alone; only the best candidates are read from the table.
      rank: db.prepare<[string, number], { seq: number; relevance: number }>(
        'SELECT rowid AS seq, -bm25(memory_fts, 1.0, 0.0) AS relevance FROM memory_fts WHERE memory_fts MATCH ? ORDER BY relevance DESC LIMIT ?',
      ),
      candidates: db.prepare(
        `SELECT ${ITEM_COLUMNS} FROM memory_items WHERE seq IN (SELECT value FROM json_each(?)) AND ${inScopes} AND deleted_at IS NULL`,
      ),
      markRecalled: db.prepare(
        'UPDATE memory_items SET recall_count = recall_count + 1, last_recalled_at = ? WHERE seq IN (SELECT value FROM json_each(?))',
      ),
      getVisible: db.prepare(`SELECT ${ITEM_COLUMNS} FROM memory_items WHERE id = ? AND ${inScopes} AND deleted_at IS NULL`),
      forget: db.prepare(`UPDATE memory_items SET deleted_at = ? WHERE id = ? AND ${inScopes} AND deleted_at IS NULL`),
      restore: db.prepare(`UPDATE memory_items SET deleted_at = NULL WHERE id = ? AND ${inScopes} AND deleted_at IS NOT NULL`),
      update: db.prepare('UPDATE memory_items SET text = ?, terms = ?, tokens = ?, metadata = ?, updated_at = ? WHERE seq = ?'),
      list: db.prepare(
        `SELECT ${ITEM_COLUMNS} FROM memory_items WHERE ${inScopes} AND (? OR deleted_at IS NULL)
           AND (? IS NULL OR kind IN (SELECT value FROM json_each(?))) AND created_at >= ?
         ORDER BY created_at, seq`,
      ),
    };
  }

  /** Stores a memory. @throws InvalidArgumentError for a malformed item; StoreError when SQLite fails. */
  async remember(input: NewMemoryItem): Promise<MemoryItem> {
    validateNewMemoryItem(input);
    return storeCall(this.file, 'remember', () => this.insert(input));
  }

  /**
   * Stores many memories in one transaction (imports, migrations from another store): all or none.
   * @throws InvalidArgumentError for a malformed item (nothing is stored); StoreError when SQLite fails.
   */
  async rememberAll(inputs: readonly NewMemoryItem[]): Promise<MemoryItem[]> {
    if (!Array.isArray(inputs)) throw new InvalidArgumentError('rememberAll() needs an array of memories.');
    inputs.forEach((input) => validateNewMemoryItem(input));
    return storeCall(this.file, 'remember', () => this.db.transaction(() => inputs.map((input) => this.insert(input))).immediate());
  }

  private insert(input: NewMemoryItem): MemoryItem {
    const createdAt = input.createdAt ?? this.clock();
    const source = structuredClone(input.source);
    const metadata = structuredClone(input.metadata ?? {});
    const id = randomUUID();
    this.statements.insert.run(id, input.scope, kindTag(input.kind), input.kind, input.text, indexedTerms(input.scope, input.text),
      countTokens(input.text, 'o200k_base'), JSON.stringify(source), JSON.stringify(metadata), createdAt, createdAt);
    return { id, text: input.text, kind: input.kind, scope: input.scope, source, createdAt, updatedAt: createdAt, metadata, recallCount: 0 };
  }

  /**
   * Ranked recall within the scopes; stops before the item that would pass `maxTokens` (o200k_base), and counts
   * the recall on each returned item. A query with no search terms (only stopwords or punctuation) recalls nothing.
   * @throws InvalidArgumentError for missing scopes or bad options; StoreError when SQLite fails.
   */
  async recall(query: string, options: RecallOptions): Promise<RecalledMemory[]> {
    const { k, maxTokens } = validateRecall(query, options);
    const terms = [...new Set(searchTerms(query))];
    if (terms.length === 0 || options.kinds?.length === 0) return [];
    const scopes = [...new Set(options.scopes)];
    const match = recallMatch(terms, scopes, options.kinds ? [...new Set(options.kinds)] : undefined);
    const now = options.now ?? this.clock();
    const ranked = storeCall(this.file, 'recall memories', () => this.rank(match, scopes, k, now));
    const picked: (MemoryRow & { score: number })[] = [];
    let usedTokens = 0;
    for (const row of ranked) {
      if (maxTokens !== undefined) {
        if (usedTokens + row.tokens > maxTokens) break;
        usedTokens += row.tokens;
      }
      picked.push(row);
    }
    if (picked.length > 0) {
      storeCall(this.file, 'count recalls', () => this.statements.markRecalled.run(now, JSON.stringify(picked.map((row) => row.seq))));
    }
    return picked.map((row) => ({ item: toItem({ ...row, recall_count: row.recall_count + 1, last_recalled_at: now }), score: row.score }));
  }

  /**
   * The best `k` by relevance × recency boost. FTS5 ranks by relevance alone (one pass over the matches, however
   * many rows it returns), so its best hits are read from the table in chunks until no unread hit could still make
   * the top k: a boost is at most (1 + recencyWeight), so once the next hit's relevance times that is below the
   * k-th score, the answer is exact.
   */
  private rank(match: string, scopes: readonly MemoryScope[], k: number, now: number): (MemoryRow & { score: number })[] {
    const maxBoost = 1 + this.recency.recencyWeight;
    const chunk = Math.max(4 * k, 32);
    const best: (MemoryRow & { score: number })[] = [];
    const kth = () => (best.length < k ? -Infinity : best[k - 1]!.score);
    for (let limit = Math.max(16 * k, 256); ; limit *= 4) {
      const hits = this.statements.rank.all(match, limit);
      best.length = 0;
      for (let start = 0; start < hits.length; start += chunk) {
        if (hits[start]!.relevance * maxBoost < kth()) return best;
        const page = hits.slice(start, start + chunk);
        const relevance = new Map(page.map((hit) => [hit.seq, hit.relevance]));
        const rows = this.statements.candidates.all(JSON.stringify(page.map((hit) => hit.seq)), JSON.stringify(scopes)) as MemoryRow[];
        for (const row of rows) best.push({ ...row, score: relevance.get(row.seq)! * recencyBoost(row.created_at, now, this.recency) });
        best.sort((a, b) => b.score - a.score || b.created_at - a.created_at || a.seq - b.seq);
        best.length = Math.min(best.length, k);
      }
      // Every match was read, or the best unread one (beyond the limit) cannot beat the k-th: exact either way.
      if (hits.length < limit || hits[hits.length - 1]!.relevance * maxBoost < kth()) return best;
    }
  }

  /** A visible memory in the scopes, or undefined. @throws InvalidArgumentError for missing scopes; StoreError when SQLite fails. */
  async get(id: string, scopes: readonly MemoryScope[]): Promise<MemoryItem | undefined> {
    assertMemoryScopes(scopes, 'get');
    const row = storeCall(this.file, 'read a memory', () => this.statements.getVisible.get(id, JSON.stringify(scopes))) as MemoryRow | undefined;
    return row && toItem(row);
  }

  /** Soft-deletes a visible memory in the scopes. @throws InvalidArgumentError for missing scopes; StoreError when SQLite fails. */
  async forget(id: string, scopes: readonly MemoryScope[]): Promise<boolean> {
    assertMemoryScopes(scopes, 'forget');
    return storeCall(this.file, 'forget a memory', () => this.statements.forget.run(this.clock(), id, JSON.stringify(scopes)).changes === 1);
  }

  /** Brings back a forgotten memory in the scopes. @throws InvalidArgumentError for missing scopes; StoreError when SQLite fails. */
  async restore(id: string, scopes: readonly MemoryScope[]): Promise<boolean> {
    assertMemoryScopes(scopes, 'restore');
    return storeCall(this.file, 'restore a memory', () => this.statements.restore.run(id, JSON.stringify(scopes)).changes === 1);
  }

  /**
   * Changes a visible memory's text and/or metadata (metadata is merged shallowly; `null` removes a key).
   * @throws InvalidArgumentError for a malformed patch or missing scopes; StoreError when SQLite fails.
   */
  async update(id: string, patch: MemoryPatch, scopes: readonly MemoryScope[]): Promise<MemoryItem | undefined> {
    assertMemoryScopes(scopes, 'update');
    validateMemoryPatch(patch);
    return storeCall(this.file, 'update a memory', () =>
      this.db.transaction(() => {
        const row = this.statements.getVisible.get(id, JSON.stringify(scopes)) as MemoryRow | undefined;
        if (!row) return undefined;
        const current = toItem(row);
        const text = patch.text ?? current.text;
        const metadata = patch.metadata !== undefined ? mergeMemoryMetadata(current.metadata, structuredClone(patch.metadata)) : current.metadata;
        const updatedAt = this.clock();
        const tokens = text === current.text ? row.tokens : countTokens(text, 'o200k_base');
        this.statements.update.run(text, indexedTerms(current.scope, text), tokens, JSON.stringify(metadata), updatedAt, row.seq);
        return { ...current, text, metadata, updatedAt };
      }).immediate(),
    );
  }

  /** Memories in the scopes, oldest first. @throws InvalidArgumentError for missing scopes or bad kinds; StoreError when SQLite fails. */
  async list(scopes: readonly MemoryScope[], options: ListMemoryOptions = {}): Promise<MemoryItem[]> {
    assertMemoryScopes(scopes, 'list');
    assertMemoryKinds(options.kinds);
    const kinds = options.kinds ? JSON.stringify(options.kinds) : null;
    const rows = storeCall(this.file, 'list memories', () =>
      this.statements.list.all(JSON.stringify(scopes), options.includeDeleted ? 1 : 0, kinds, kinds, options.since ?? -Number.MAX_SAFE_INTEGER),
    ) as MemoryRow[];
    return rows.map(toItem);
  }
}
