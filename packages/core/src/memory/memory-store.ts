/** What a memory is: something that happened, a durable fact, or a person's stated preference. */
export type MemoryKind = 'episode' | 'fact' | 'preference';

/** Where a memory came from. `untrusted` content (email, Slack) is never promoted to a fact. */
export interface MemorySource {
  runId?: string;
  tool?: string;
  trust: 'user' | 'agent' | 'untrusted';
  /** Ids of the memories this one was derived from (episodes a fact was consolidated from). */
  derivedFrom?: string[];
}

/**
 * Who can see a memory: `principal:<id>`, `team:<name>` or `shared`. Stores return an item only to callers
 * who pass its scope; the agent passes the scopes its principal is entitled to.
 */
export type MemoryScope = `principal:${string}` | `team:${string}` | 'shared';

/** A memory as written by a caller. */
export interface NewMemoryItem {
  text: string;
  kind: MemoryKind;
  scope: MemoryScope;
  source: MemorySource;
  /** Defaults to now. */
  createdAt?: number;
  metadata?: Record<string, unknown>;
}

/** A stored memory. */
export interface MemoryItem extends Required<Omit<NewMemoryItem, 'metadata'>> {
  id: string;
  metadata: Record<string, unknown>;
  updatedAt: number;
  recallCount: number;
  lastRecalledAt?: number;
  /** Set when forgotten; forgotten items are invisible to recall, get and list but can be restored. */
  deletedAt?: number;
}

/** Options for {@link MemoryStore.recall}. `scopes` is required: there is no "everything" recall. */
export interface RecallOptions {
  scopes: readonly MemoryScope[];
  /** At most this many items (default 5). */
  k?: number;
  /** Stop adding items once their text would exceed this many tokens (o200k_base). */
  maxTokens?: number;
  kinds?: readonly MemoryKind[];
  /** Clock for recency weighting; defaults to now. */
  now?: number;
}

/** A recalled memory with its relevance score (higher is better; comparable only within one recall). */
export interface RecalledMemory {
  item: MemoryItem;
  score: number;
}

/** Options for {@link MemoryStore.list}. */
export interface ListMemoryOptions {
  kinds?: readonly MemoryKind[];
  /** Only items created at or after this time. */
  since?: number;
  includeDeleted?: boolean;
}

/** A change to an existing memory (dream merges and decay use it). */
export interface MemoryPatch {
  text?: string;
  metadata?: Record<string, unknown>;
}

/**
 * Scoped memory. Every read takes the caller's scopes and never returns an item outside them.
 * Recall ranks by text relevance (BM25 or the store's full-text ranking), weighted by recency.
 */
export interface MemoryStore {
  remember(item: NewMemoryItem): Promise<MemoryItem>;
  recall(query: string, options: RecallOptions): Promise<RecalledMemory[]>;
  get(id: string, scopes: readonly MemoryScope[]): Promise<MemoryItem | undefined>;
  /** Soft-deletes; returns false when no visible item had that id. */
  forget(id: string, scopes: readonly MemoryScope[]): Promise<boolean>;
  /** Undoes `forget`; returns false when no forgotten item had that id. */
  restore(id: string, scopes: readonly MemoryScope[]): Promise<boolean>;
  update(id: string, patch: MemoryPatch, scopes: readonly MemoryScope[]): Promise<MemoryItem | undefined>;
  /** Items in the scopes, oldest first. */
  list(scopes: readonly MemoryScope[], options?: ListMemoryOptions): Promise<MemoryItem[]>;
}
