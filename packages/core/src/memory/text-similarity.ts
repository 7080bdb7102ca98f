import { searchTerms } from './search-terms';

/** Similarity at or above which two memory texts count as the same fact. */
export const DEFAULT_MERGE_THRESHOLD = 0.75;

/** The normalised terms two texts are compared by (see {@link textSimilarity}). */
export function similarityTerms(text: string): Set<string> {
  return new Set(searchTerms(text));
}

// Terms that flip a sentence's meaning: "wants digests" and "does not want digests" share most terms.
const NEGATIONS = new Set(['not', 'no', 'never', 'nor', 'without', 'cannot', 'dont', 'doesnt', 'didnt', 'isnt', 'arent',
  'wasnt', 'werent', 'cant', 'wont', 'shouldnt', 'wouldnt', 'couldnt', 'havent', 'hasnt', 'hadnt']);

function negated(terms: ReadonlySet<string>): boolean {
  for (const term of terms) if (NEGATIONS.has(term)) return true;
  return false;
}

/**
 * Jaccard overlap of two term sets: shared terms over all terms. 0 when either is empty, or when one is negated
 * and the other is not, however many terms they share.
 */
export function termSetSimilarity(left: ReadonlySet<string>, right: ReadonlySet<string>): number {
  if (left.size === 0 || right.size === 0 || negated(left) !== negated(right)) return 0;
  let shared = 0;
  for (const term of left) if (right.has(term)) shared += 1;
  return shared / (left.size + right.size - shared);
}

/**
 * How alike two memory texts are, from 0 to 1: the Jaccard overlap of their normalised search terms (lowercased,
 * stemmed, stopwords removed). "Priya prefers short summaries." and "priya prefers SHORT summary" score 1; changing
 * one of four content words scores 0.6; a negated and a plain sentence score 0.
 */
export function textSimilarity(a: string, b: string): number {
  return termSetSimilarity(similarityTerms(a), similarityTerms(b));
}
