/**
 * Turns texts into vectors for hybrid recall. Optional: without one, stores rank by text (BM25) alone.
 * A store given an embedder embeds each memory when it is written or its text changes, and each query at recall.
 */
export interface Embedder {
  /** Model or scheme name, for diagnostics (e.g. `text-embedding-3-small`). */
  readonly model?: string;
  /**
   * One vector per text, in order, all of one length. Reject (do not return partial results) when embedding fails;
   * honour `signal`.
   */
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}
