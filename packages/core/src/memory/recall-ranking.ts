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
 * The best `k` entries by `score` (descending), ties broken by `tieBreak` (ascending). Linear in the input for
 * small `k`, so ranking 100k scored documents does not sort all of them.
 */
export function topByScore<T>(entries: Iterable<T>, k: number, score: (entry: T) => number, tieBreak: (a: T, b: T) => number): T[] {
  const best: T[] = [];
  if (k <= 0) return best;
  const better = (a: T, b: T) => score(a) > score(b) || (score(a) === score(b) && tieBreak(a, b) < 0);
  for (const entry of entries) {
    if (best.length === k) {
      if (!better(entry, best[k - 1]!)) continue;
      best.pop();
    }
    let i = best.length;
    while (i > 0 && better(entry, best[i - 1]!)) i--;
    best.splice(i, 0, entry);
  }
  return best;
}
