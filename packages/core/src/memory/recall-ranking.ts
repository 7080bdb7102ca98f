/**
 * How recall ranks, in formulas other stores can reuse so every store orders memories the same way:
 *
 *   score = relevance × (1 + recencyWeight × 0.5^(age / halfLife))
 *
 * where relevance is BM25 (text only) or reciprocal-rank fusion of BM25 and cosine similarity (with an embedder),
 * and age is now − createdAt. A memory created now gets at most a (1 + recencyWeight) boost, one a half-life old
 * half of that: recency breaks near-ties, it never lets an unrelated memory outrank a relevant one.
 */

/** Recency weighting; see the module comment for the formula. */
export interface RecencyOptions {
  /** Largest relative boost, for a memory created just now. Default 0.5. */
  recencyWeight: number;
  /** Age at which the boost halves, in ms. Default 7 days. */
  halfLifeMs: number;
}

/** Defaults: weight 0.5, half-life 7 days. */
export const DEFAULT_RECENCY: Readonly<RecencyOptions> = Object.freeze({ recencyWeight: 0.5, halfLifeMs: 7 * 86_400_000 });

/** The reciprocal-rank-fusion constant (Cormack et al. 2009): fused = Σ 1 / (60 + rank). */
export const RRF_K = 60;

/** Multiplier applied to relevance for a memory created at `createdAt`, seen at `now`. */
export function recencyBoost(createdAt: number, now: number, options: RecencyOptions = DEFAULT_RECENCY): number {
  const age = Math.max(0, now - createdAt);
  return 1 + options.recencyWeight * 0.5 ** (age / options.halfLifeMs);
}

/**
 * Fuses rankings (each a list of keys, best first) by reciprocal rank: a key's score is the sum over the lists
 * that hold it of 1 / (RRF_K + rank), rank counted from 1.
 */
export function reciprocalRankFusion<Key>(rankings: readonly (readonly Key[])[], k = RRF_K): Map<Key, number> {
  const fused = new Map<Key, number>();
  for (const ranking of rankings) {
    ranking.forEach((key, index) => fused.set(key, (fused.get(key) ?? 0) + 1 / (k + index + 1)));
  }
  return fused;
}

/** Cosine similarity of two vectors of equal length (0 when either is all zeros). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/**
 * Keeps the best `k` of the items offered, by score (descending), ties ordered by `before`. Linear in what is
 * offered for small `k`; `threshold` lets a caller skip items that cannot enter.
 */
export class TopK<T> {
  readonly items: T[] = [];
  readonly scores: number[] = [];

  constructor(
    private readonly k: number,
    /** True when `a` ranks before `b` at equal scores. */
    private readonly before: (a: T, b: T) => boolean,
  ) {}

  /** The score an item must at least reach to enter (−Infinity until `k` items are held). */
  get threshold(): number {
    return this.items.length < this.k ? -Infinity : this.scores[this.k - 1]!;
  }

  offer(item: T, score: number): void {
    if (this.k <= 0) return;
    const ranksBefore = (i: number) => score > this.scores[i]! || (score === this.scores[i]! && this.before(item, this.items[i]!));
    if (this.items.length === this.k) {
      if (!ranksBefore(this.k - 1)) return;
      this.items.pop();
      this.scores.pop();
    }
    let i = this.items.length;
    while (i > 0 && ranksBefore(i - 1)) i--;
    this.items.splice(i, 0, item);
    this.scores.splice(i, 0, score);
  }
}
