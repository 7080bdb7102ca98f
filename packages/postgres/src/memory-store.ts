import { randomUUID } from 'node:crypto';
import {
  InvalidArgumentError,
  type ListMemoryOptions,
  type MemoryItem,
  type MemoryKind,
  type MemoryPatch,
  type MemoryScope,
  type MemoryStore,
  type NewMemoryItem,
  type RecallOptions,
  type RecalledMemory,
} from '@claw/core';
import {
  assertMemoryKinds,
  assertMemoryScopes,
  DEFAULT_RECENCY,
  mergeMemoryMetadata,
  validateMemoryPatch,
  validateNewMemoryItem,
  type RecencyOptions,
  validateRecall,
} from '@claw/core/store-kit';
import { clawDatabase, toNumber, toOptionalNumber, type ClawDatabase, type PostgresStoreOptions } from './database';
import { countMemoryTokens } from './memory-tokens';

/** Options of {@link PostgresMemoryStore}. */
export interface PostgresMemoryStoreOptions extends PostgresStoreOptions {
  /** Recall's recency weighting, `ts_rank_cd × (1 + recencyWeight × 0.5^(age / halfLifeMs))`; core's defaults. */
  recency?: Partial<RecencyOptions>;
  /** Clock for default timestamps (createdAt, updatedAt, deletedAt). Default `Date.now`. */
  clock?: () => number;
}

interface MemoryRow {
  id: string;
  scope: MemoryScope;
  kind: MemoryKind;
  text: string;
  source: string;
  metadata: string;
  created_at: number;
  updated_at: number;
  recall_count: number;
  last_recalled_at: number | null;
  deleted_at: number | null;
  tokens: number;
  score?: number;
}

const COLUMNS = 'id, scope, kind, text, source, metadata, created_at, updated_at, recall_count, last_recalled_at, deleted_at, tokens';

/**
 * The query's lexemes (stemmed, stopwords dropped by the `english` configuration) joined with OR, so a memory
 * matching any word is a candidate and ranking decides. Built from `to_tsvector`, never parsed as tsquery syntax,
 * so punctuation and operators in the query are plain text. NULL when the query has no lexeme.
 */
const QUERY_SQL = `(SELECT string_agg('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''', ' | ')::tsquery
  FROM unnest(to_tsvector('english'::regconfig, $1::text)))`;

/**
 * Scoped {@link MemoryStore} on PostgreSQL full-text search: a stored `tsvector` column with a GIN index, ranked by
 * `ts_rank_cd` and weighted by recency as core's in-memory store does. Scope and kind filters run in SQL, so no
 * row outside the caller's scopes ever leaves the database. Forgetting is a soft delete.
 */
export class PostgresMemoryStore implements MemoryStore {
  private readonly db: ClawDatabase;
  private readonly recency: RecencyOptions;
  private readonly clock: () => number;

  /** @throws InvalidArgumentError for a bad schema name, a missing pool or bad recency options. */
  constructor(options: PostgresMemoryStoreOptions) {
    this.db = clawDatabase(options);
    this.recency = { ...DEFAULT_RECENCY, ...options.recency };
    this.clock = options.clock ?? Date.now;
    if (!(this.recency.halfLifeMs > 0) || !(this.recency.recencyWeight >= 0)) {
      throw new InvalidArgumentError('recency needs halfLifeMs > 0 and recencyWeight >= 0.');
    }
  }

  /** Stores a memory. @throws InvalidArgumentError for a malformed item; StoreError when the database fails. */
  async remember(input: NewMemoryItem): Promise<MemoryItem> {
    validateNewMemoryItem(input);
    const createdAt = input.createdAt ?? this.clock();
    const rows = await this.db.query<MemoryRow>(
      'remembering',
      `INSERT INTO ${this.db.table('memory_items')} (id, scope, kind, text, source, metadata, created_at, updated_at, tokens)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING ${COLUMNS}`,
      [randomUUID(), input.scope, input.kind, input.text, JSON.stringify(input.source), JSON.stringify(input.metadata ?? {}),
        createdAt, countMemoryTokens(input.text)],
    );
    return toItem(rows[0]!);
  }

  /**
   * Ranked recall within the scopes; bumps `recallCount` and `lastRecalledAt` of what it returns. A query with no
   * searchable word recalls nothing.
   * @throws InvalidArgumentError for missing or invalid scopes, kinds, k or maxTokens; StoreError when the database fails.
   */
  async recall(query: string, options: RecallOptions): Promise<RecalledMemory[]> {
    const { k, maxTokens } = validateRecall(query, options);
    const scopes = options.scopes;
    if (query.trim() === '') return [];
    const now = options.now ?? this.clock();
    const table = this.db.table('memory_items');
    const ranked = await this.db.query<MemoryRow>(
      'recalling memories',
      `SELECT ${COLUMNS}, ts_rank_cd(m.search, q.query) * (1 + $4::float8 * power(0.5, greatest(0, $5::float8 - m.created_at) / $6::float8)) AS score
       FROM ${table} m, ${QUERY_SQL} AS q(query)
       WHERE m.search @@ q.query AND m.scope = ANY($2::text[]) AND m.deleted_at IS NULL
         AND ($3::text[] IS NULL OR m.kind = ANY($3::text[]))
       ORDER BY score DESC, m.created_at DESC, m.seq
       LIMIT $7`,
      [query, [...new Set(scopes)], options.kinds ? [...options.kinds] : null, this.recency.recencyWeight, now, this.recency.halfLifeMs, k],
    );
    const chosen: MemoryRow[] = [];
    let usedTokens = 0;
    for (const row of ranked) {
      if (maxTokens !== undefined) {
        if (usedTokens + row.tokens > maxTokens) break;
        usedTokens += row.tokens;
      }
      chosen.push(row);
    }
    if (chosen.length === 0) return [];
    const bumped = await this.db.query<MemoryRow>(
      'recording recalls',
      `UPDATE ${table} SET recall_count = recall_count + 1, last_recalled_at = $2
       WHERE id = ANY($1::text[]) AND deleted_at IS NULL RETURNING ${COLUMNS}`,
      [chosen.map((row) => row.id), now],
    );
    const byId = new Map(bumped.map((row) => [row.id, row]));
    // A memory forgotten between ranking and bumping is not returned.
    return chosen.flatMap((row) => {
      const current = byId.get(row.id);
      return current ? [{ item: toItem(current), score: Number(row.score) }] : [];
    });
  }

  /** A visible memory within `scopes`, or undefined. @throws InvalidArgumentError for invalid scopes. */
  async get(id: string, scopes: readonly MemoryScope[]): Promise<MemoryItem | undefined> {
    assertMemoryScopes(scopes, 'get');
    const allowed = [...scopes];
    const rows = await this.db.query<MemoryRow>(
      'reading a memory',
      `SELECT ${COLUMNS} FROM ${this.db.table('memory_items')} WHERE id = $1 AND scope = ANY($2::text[]) AND deleted_at IS NULL`,
      [String(id), allowed],
    );
    return rows[0] ? toItem(rows[0]) : undefined;
  }

  /** Soft-deletes a visible memory; false when none within `scopes` had that id. */
  async forget(id: string, scopes: readonly MemoryScope[]): Promise<boolean> {
    assertMemoryScopes(scopes, 'forget');
    const allowed = [...scopes];
    const rows = await this.db.query(
      'forgetting a memory',
      `UPDATE ${this.db.table('memory_items')} SET deleted_at = $3
       WHERE id = $1 AND scope = ANY($2::text[]) AND deleted_at IS NULL RETURNING id`,
      [String(id), allowed, this.clock()],
    );
    return rows.length === 1;
  }

  /** Brings back a forgotten memory within `scopes`; false when there was none. */
  async restore(id: string, scopes: readonly MemoryScope[]): Promise<boolean> {
    assertMemoryScopes(scopes, 'restore');
    const allowed = [...scopes];
    const rows = await this.db.query(
      'restoring a memory',
      `UPDATE ${this.db.table('memory_items')} SET deleted_at = NULL
       WHERE id = $1 AND scope = ANY($2::text[]) AND deleted_at IS NOT NULL RETURNING id`,
      [String(id), allowed],
    );
    return rows.length === 1;
  }

  /**
   * Changes a visible memory's text and/or metadata (shallow merge; a `null` value removes the key). `updatedAt`
   * never moves backwards. @throws InvalidArgumentError for a malformed patch; StoreError when the database fails.
   */
  async update(id: string, patch: MemoryPatch, scopes: readonly MemoryScope[]): Promise<MemoryItem | undefined> {
    assertMemoryScopes(scopes, 'update');
    const allowed = [...scopes];
    validateMemoryPatch(patch);
    const table = this.db.table('memory_items');
    return this.db.transaction('updating a memory', async (client) => {
      const found = await client.query<MemoryRow>(
        `SELECT ${COLUMNS} FROM ${table} WHERE id = $1 AND scope = ANY($2::text[]) AND deleted_at IS NULL FOR UPDATE`,
        [String(id), allowed],
      );
      const row = found.rows[0];
      if (!row) return undefined;
      const metadata = patch.metadata !== undefined ? mergeMemoryMetadata(JSON.parse(row.metadata), patch.metadata) : JSON.parse(row.metadata);
      const text = patch.text ?? row.text;
      const updated = await client.query<MemoryRow>(
        `UPDATE ${table} SET text = $2, metadata = $3, tokens = $4, updated_at = greatest(updated_at, $5)
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [row.id, text, JSON.stringify(metadata), text === row.text ? row.tokens : countMemoryTokens(text), this.clock()],
      );
      return toItem(updated.rows[0]!);
    });
  }

  /** Memories in `scopes`, oldest first (by createdAt, then write order). @throws InvalidArgumentError for invalid scopes or kinds. */
  async list(scopes: readonly MemoryScope[], options: ListMemoryOptions = {}): Promise<MemoryItem[]> {
    assertMemoryScopes(scopes, 'list');
    const allowed = [...scopes];
    assertMemoryKinds(options.kinds);
    const rows = await this.db.query<MemoryRow>(
      'listing memories',
      `SELECT ${COLUMNS} FROM ${this.db.table('memory_items')}
       WHERE scope = ANY($1::text[]) AND ($2::boolean OR deleted_at IS NULL)
         AND ($3::text[] IS NULL OR kind = ANY($3::text[])) AND ($4::float8 IS NULL OR created_at >= $4)
       ORDER BY created_at, seq`,
      [allowed, options.includeDeleted === true, options.kinds ? [...options.kinds] : null, options.since ?? null],
    );
    return rows.map(toItem);
  }
}

function toItem(row: MemoryRow): MemoryItem {
  const item: MemoryItem = {
    id: row.id,
    text: row.text,
    kind: row.kind,
    scope: row.scope,
    source: JSON.parse(row.source),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
    metadata: JSON.parse(row.metadata),
    recallCount: row.recall_count,
  };
  const lastRecalledAt = toOptionalNumber(row.last_recalled_at);
  if (lastRecalledAt !== undefined) item.lastRecalledAt = lastRecalledAt;
  const deletedAt = toOptionalNumber(row.deleted_at);
  if (deletedAt !== undefined) item.deletedAt = deletedAt;
  return item;
}
