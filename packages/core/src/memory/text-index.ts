/**
 * An inverted index over one memory scope, with the statistics BM25 needs. The in-memory store keeps one per scope,
 * so a recall only ever reads the partitions of the scopes it was given, and collection statistics (document count,
 * average length, document frequency) are summed over those partitions only: one principal's memories cannot shift
 * another's scores.
 */

/** BM25 parameters; the defaults are the usual Lucene/Robertson values. */
export interface Bm25Parameters {
  /** Term-frequency saturation. Default 1.2. */
  k1: number;
  /** Length normalisation, 0 (none) to 1 (full). Default 0.75. */
  b: number;
}

/** The BM25 defaults: k1 = 1.2, b = 0.75. */
export const DEFAULT_BM25: Readonly<Bm25Parameters> = Object.freeze({ k1: 1.2, b: 0.75 });

interface Postings {
  docs: number[];
  frequencies: number[];
}

/** One document's terms, kept so it can be removed from the statistics and the postings compacted. */
interface IndexedDocument {
  terms: string[];
  frequencies: number[];
  length: number;
  live: boolean;
}

/** A BM25 score for one document of a partition. */
export interface ScoredDocument {
  doc: number;
  score: number;
}

/** Collection statistics of the partitions one recall may read. */
export interface CollectionStatistics {
  documents: number;
  averageLength: number;
  documentFrequency(term: string): number;
}

/**
 * Inverted index of one partition. Documents are numbered as they are added; removing one marks it dead (its
 * postings are skipped, and compacted away once dead postings outnumber live ones).
 */
export class TextIndex {
  private readonly postings = new Map<string, Postings>();
  private readonly frequency = new Map<string, number>();
  private readonly documents: IndexedDocument[] = [];
  private livePostings = 0;
  private deadPostings = 0;
  private scratch = new Float64Array(0);
  /** Live documents. */
  size = 0;
  /** Sum of live documents' lengths in terms. */
  totalLength = 0;

  /** Documents ever added (dead ones included); document numbers are below this. */
  get capacity(): number {
    return this.documents.length;
  }

  /** Indexes a document's terms and returns its number. */
  add(terms: readonly string[]): number {
    const doc = this.documents.length;
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    const entry: IndexedDocument = { terms: [...counts.keys()], frequencies: [...counts.values()], length: terms.length, live: true };
    this.documents.push(entry);
    for (let i = 0; i < entry.terms.length; i++) {
      const term = entry.terms[i]!;
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = { docs: [], frequencies: [] }));
      list.docs.push(doc);
      list.frequencies.push(entry.frequencies[i]!);
      this.frequency.set(term, (this.frequency.get(term) ?? 0) + 1);
    }
    this.livePostings += entry.terms.length;
    this.size += 1;
    this.totalLength += entry.length;
    return doc;
  }

  /** Removes a document from the statistics; its postings are skipped from now on. */
  remove(doc: number): void {
    const entry = this.documents[doc];
    if (!entry?.live) return;
    entry.live = false;
    for (const term of entry.terms) {
      const left = (this.frequency.get(term) ?? 1) - 1;
      if (left === 0) this.frequency.delete(term);
      else this.frequency.set(term, left);
    }
    this.livePostings -= entry.terms.length;
    this.deadPostings += entry.terms.length;
    this.size -= 1;
    this.totalLength -= entry.length;
    if (this.deadPostings > 1024 && this.deadPostings > this.livePostings) this.compact();
  }

  /** Number of live documents containing the term. */
  documentFrequency(term: string): number {
    return this.frequency.get(term) ?? 0;
  }

  /** Length in terms of a live document. */
  length(doc: number): number {
    return this.documents[doc]?.length ?? 0;
  }

  /**
   * BM25 scores of every live document containing at least one of `terms` (each counted once), using the given
   * collection statistics so that several partitions are scored as one collection.
   */
  score(terms: readonly string[], stats: CollectionStatistics, parameters: Bm25Parameters = DEFAULT_BM25): ScoredDocument[] {
    if (this.scratch.length < this.documents.length) this.scratch = new Float64Array(Math.max(1024, this.documents.length * 2));
    const scores = this.scratch;
    const touched: number[] = [];
    const { k1, b } = parameters;
    const averageLength = stats.averageLength || 1;
    for (const term of new Set(terms)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const df = stats.documentFrequency(term);
      if (df === 0) continue;
      // Lucene's idf: always positive, so a term in most documents still counts a little.
      const idf = Math.log(1 + (stats.documents - df + 0.5) / (df + 0.5));
      const { docs, frequencies } = list;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        const entry = this.documents[doc]!;
        if (!entry.live) continue;
        const tf = frequencies[i]!;
        const contribution = (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * entry.length) / averageLength));
        const previous = scores[doc]!;
        if (previous === 0) touched.push(doc);
        scores[doc] = previous + contribution;
      }
    }
    const result: ScoredDocument[] = new Array(touched.length);
    for (let i = 0; i < touched.length; i++) {
      const doc = touched[i]!;
      result[i] = { doc, score: scores[doc]! };
      scores[doc] = 0;
    }
    return result;
  }

  private compact(): void {
    for (const [term, list] of this.postings) {
      const docs: number[] = [];
      const frequencies: number[] = [];
      for (let i = 0; i < list.docs.length; i++) {
        if (!this.documents[list.docs[i]!]!.live) continue;
        docs.push(list.docs[i]!);
        frequencies.push(list.frequencies[i]!);
      }
      if (docs.length === 0) this.postings.delete(term);
      else this.postings.set(term, { docs, frequencies });
    }
    for (const entry of this.documents) {
      if (!entry.live) {
        entry.terms = [];
        entry.frequencies = [];
      }
    }
    this.deadPostings = 0;
  }
}

/** Statistics of several partitions read as one collection (BM25 over exactly what the caller may see). */
export function combinedStatistics(indexes: readonly TextIndex[]): CollectionStatistics {
  let documents = 0;
  let totalLength = 0;
  for (const index of indexes) {
    documents += index.size;
    totalLength += index.totalLength;
  }
  return {
    documents,
    averageLength: documents === 0 ? 0 : totalLength / documents,
    documentFrequency: (term) => {
      let df = 0;
      for (const index of indexes) df += index.documentFrequency(term);
      return df;
    },
  };
}
