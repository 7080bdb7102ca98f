/** What a memory is: something that happened, a durable fact, or a person's stated preference. */
export type MemoryKind = 'episode' | 'fact' | 'preference';

/** Where a memory came from. `untrusted` content (email, Slack) is never promoted to a fact. */
export interface MemorySource {
  /** The run that wrote it. */
  runId?: string;
  /** The tool that wrote it, e.g. `memory_save`. */
  tool?: string;
  /**
   * `user`: the person said it; `agent`: the agent wrote it from trusted input; `untrusted`: it quotes outside
   * content (email, chat, web pages) and is wrapped as data whenever it reaches a prompt.
   */
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
  /** The memory itself: one short, self-contained text. */
  text: string;
  /** Episode, fact or preference. */
  kind: MemoryKind;
  /** Who may see it. */
  scope: MemoryScope;
  /** Where it came from, and how far it is trusted. */
  source: MemorySource;
  /** Milliseconds since the epoch. Defaults to now. */
  createdAt?: number;
  /** Free JSON kept with the memory; dreaming keeps its bookkeeping here. */
  metadata?: Record<string, unknown>;
}

/** A stored memory. */
export interface MemoryItem extends Required<Omit<NewMemoryItem, 'metadata'>> {
  /** The store's id for it. */
  id: string;
  /** Free JSON kept with the memory (empty when none was given). */
  metadata: Record<string, unknown>;
  /** When its text or metadata last changed, in milliseconds since the epoch. */
  updatedAt: number;
  /** How many recalls have returned it. */
  recallCount: number;
  /** When a recall last returned it. */
  lastRecalledAt?: number;
  /** Set when forgotten; forgotten items are invisible to recall, get and list but can be restored. */
  deletedAt?: number;
}

/** Options for {@link MemoryStore.recall}. `scopes` is required: there is no "everything" recall. */
export interface RecallOptions {
  /** The scopes the caller may read; only memories in them are ranked and returned. Must not be empty. */
  scopes: readonly MemoryScope[];
  /** At most this many items (default 5). */
  k?: number;
  /** Stop adding items once their text would exceed this many tokens (o200k_base). */
  maxTokens?: number;
  /** Only these kinds (default all). */
  kinds?: readonly MemoryKind[];
  /** Clock for recency weighting; defaults to now. */
  now?: number;
}

/** A recalled memory with its relevance score (higher is better; comparable only within one recall). */
export interface RecalledMemory {
  /** The memory. */
  item: MemoryItem;
  /** Relevance times the recency boost. */
  score: number;
}

/** Options for {@link MemoryStore.list}. */
export interface ListMemoryOptions {
  /** Only these kinds (default all). */
  kinds?: readonly MemoryKind[];
  /** Only items created at or after this time. */
  since?: number;
  /** Also list forgotten items. Default false. */
  includeDeleted?: boolean;
}

/** A change to an existing memory (dream merges and decay use it). */
export interface MemoryPatch {
  /** New text (the item is re-indexed). */
  text?: string;
  /** Merged into the existing metadata key by key (shallow); a `null` value removes the key. */
  metadata?: Record<string, unknown>;
}

/**
 * Scoped memory. Every read takes the caller's scopes and never returns an item outside them.
 * Recall ranks by text relevance (BM25 or the store's full-text ranking), weighted by recency.
 */
export interface MemoryStore {
  /**
   * Stores a new memory and returns it with its id.
   * @throws InvalidArgumentError when the item is malformed (empty text, unknown kind, bad scope or trust).
   */
  remember(item: NewMemoryItem): Promise<MemoryItem>;
  /**
   * The memories in `options.scopes` most relevant to `query`, best first; a memory sharing no term with the
   * query is not returned. Updates `recallCount` and `lastRecalledAt` of what it returns.
   * @throws InvalidArgumentError when `scopes` is empty or malformed.
   */
  recall(query: string, options: RecallOptions): Promise<RecalledMemory[]>;
  /** The memory with that id, when it is in one of the scopes and not forgotten. */
  get(id: string, scopes: readonly MemoryScope[]): Promise<MemoryItem | undefined>;
  /** Soft-deletes; returns false when no visible item had that id. */
  forget(id: string, scopes: readonly MemoryScope[]): Promise<boolean>;
  /** Undoes `forget`; returns false when no forgotten item had that id. */
  restore(id: string, scopes: readonly MemoryScope[]): Promise<boolean>;
  /** Applies a patch to a visible memory in the scopes and returns it; undefined when there is none. */
  update(id: string, patch: MemoryPatch, scopes: readonly MemoryScope[]): Promise<MemoryItem | undefined>;
  /** Items in the scopes, oldest first. */
  list(scopes: readonly MemoryScope[], options?: ListMemoryOptions): Promise<MemoryItem[]>;
}
