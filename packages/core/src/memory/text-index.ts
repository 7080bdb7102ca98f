/**
 * An inverted index over one memory scope, with the statistics BM25 needs. The in-memory store keeps one per scope,
 * so a recall only ever reads the partitions of the scopes it was given, and collection statistics (document count,
 * average length, document frequency) are summed over those partitions only: one principal's memories cannot shift
 * another's scores.
 *
 * Postings live in typed arrays indexed by term id (not in per-posting objects): 100k memories of ~20 terms are
 * 2M postings, which as JS objects would keep the garbage collector busy on every write.
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

/** Collection statistics of the partitions one recall may read. */
export interface CollectionStatistics {
  documents: number;
  averageLength: number;
  documentFrequency(term: string): number;
}

/** Scores of one {@link TextIndex.score} call: `docs[i]` scored `scores[i]`, for i < count. */
export interface ScoredDocuments {
  count: number;
  /** Views of scratch memory, valid until the index is scored again. */
  docs: Int32Array;
  scores: Float64Array;
}

function grown<T extends Int32Array | Float64Array | Uint8Array>(array: T, needed: number, make: (size: number) => T): T {
  if (needed <= array.length) return array;
  const next = make(Math.max(needed, array.length * 2, 16));
  next.set(array);
  return next;
}

/**
 * Inverted index of one partition. Documents are numbered as they are added; removing one marks it dead (its
 * postings are skipped, and compacted away once dead postings outnumber live ones).
 */
export class TextIndex {
  private readonly termIds = new Map<string, number>();
  private postingDocs: Int32Array[] = [];
  private postingFrequencies: Int32Array[] = [];
  private postingLengths = new Int32Array(0);
  private frequency = new Int32Array(0);
  /** Per document: its distinct term ids and their frequencies, interleaved ([term, tf, term, tf, ...]). */
  private documentTerms: (Int32Array | undefined)[] = [];
  private documentLengths = new Int32Array(0);
  private live = new Uint8Array(0);
  private documentCount = 0;
  private livePostings = 0;
  private deadPostings = 0;
  private scratchScores = new Float64Array(0);
  private touched = new Int32Array(0);
  private touchedScores = new Float64Array(0);
  /** Live documents. */
  size = 0;
  /** Sum of live documents' lengths in terms. */
  totalLength = 0;

  /** Indexes a document's terms and returns its number. */
  add(terms: readonly string[]): number {
    const doc = this.documentCount++;
    const counts = new Map<number, number>();
    for (const term of terms) {
      const id = this.termId(term);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const entry = new Int32Array(counts.size * 2);
    let at = 0;
    for (const [id, tf] of counts) {
      entry[at++] = id;
      entry[at++] = tf;
      const length = this.postingLengths[id]!;
      this.postingDocs[id] = grown(this.postingDocs[id]!, length + 1, (n) => new Int32Array(n));
      this.postingFrequencies[id] = grown(this.postingFrequencies[id]!, length + 1, (n) => new Int32Array(n));
      this.postingDocs[id]![length] = doc;
      this.postingFrequencies[id]![length] = tf;
      this.postingLengths[id] = length + 1;
      this.frequency[id]! += 1;
    }
    this.documentTerms[doc] = entry;
    this.documentLengths = grown(this.documentLengths, doc + 1, (n) => new Int32Array(n));
    this.live = grown(this.live, doc + 1, (n) => new Uint8Array(n));
    this.documentLengths[doc] = terms.length;
    this.live[doc] = 1;
    this.livePostings += counts.size;
    this.size += 1;
    this.totalLength += terms.length;
    return doc;
  }

  /** Removes a document from the statistics; its postings are skipped from now on. */
  remove(doc: number): void {
    if (doc >= this.documentCount || this.live[doc] !== 1) return;
    this.live[doc] = 0;
    const entry = this.documentTerms[doc]!;
    for (let i = 0; i < entry.length; i += 2) this.frequency[entry[i]!]! -= 1;
    this.livePostings -= entry.length / 2;
    this.deadPostings += entry.length / 2;
    this.size -= 1;
    this.totalLength -= this.documentLengths[doc]!;
    if (this.deadPostings > 1024 && this.deadPostings > this.livePostings) this.compact();
  }

  /** Number of live documents containing the term. */
  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.frequency[id]!;
  }

  /**
   * BM25 scores of every live document containing at least one of `terms` (each counted once), using the given
   * collection statistics so that several partitions are scored as one collection.
   */
  score(terms: readonly string[], stats: CollectionStatistics, parameters: Bm25Parameters = DEFAULT_BM25): ScoredDocuments {
    this.scratchScores = grown(this.scratchScores, this.documentCount, (n) => new Float64Array(n));
    const scores = this.scratchScores;
    let count = 0;
    const { k1, b } = parameters;
    const averageLength = stats.averageLength || 1;
    for (const term of new Set(terms)) {
      const id = this.termIds.get(term);
      if (id === undefined || this.frequency[id] === 0) continue;
      const df = stats.documentFrequency(term);
      // Lucene's idf: always positive, so a term in most documents still counts a little.
      const idf = Math.log(1 + (stats.documents - df + 0.5) / (df + 0.5));
      const docs = this.postingDocs[id]!;
      const frequencies = this.postingFrequencies[id]!;
      const length = this.postingLengths[id]!;
      this.touched = grown(this.touched, count + length, (n) => new Int32Array(n));
      for (let i = 0; i < length; i++) {
        const doc = docs[i]!;
        if (this.live[doc] !== 1) continue;
        const tf = frequencies[i]!;
        const previous = scores[doc]!;
        if (previous === 0) this.touched[count++] = doc;
        scores[doc] = previous + (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * this.documentLengths[doc]!) / averageLength));
      }
    }
    this.touchedScores = grown(this.touchedScores, count, (n) => new Float64Array(n));
    for (let i = 0; i < count; i++) {
      const doc = this.touched[i]!;
      this.touchedScores[i] = scores[doc]!;
      scores[doc] = 0;
    }
    return { count, docs: this.touched, scores: this.touchedScores };
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.postingDocs.length;
      this.termIds.set(term, id);
      this.postingDocs.push(new Int32Array(4));
      this.postingFrequencies.push(new Int32Array(4));
      this.postingLengths = grown(this.postingLengths, id + 1, (n) => new Int32Array(n));
      this.frequency = grown(this.frequency, id + 1, (n) => new Int32Array(n));
    }
    return id;
  }

  private compact(): void {
    for (let id = 0; id < this.postingDocs.length; id++) {
      const docs = this.postingDocs[id]!;
      const frequencies = this.postingFrequencies[id]!;
      let kept = 0;
      for (let i = 0; i < this.postingLengths[id]!; i++) {
        if (this.live[docs[i]!] !== 1) continue;
        docs[kept] = docs[i]!;
        frequencies[kept] = frequencies[i]!;
        kept += 1;
      }
      this.postingLengths[id] = kept;
    }
    for (let doc = 0; doc < this.documentCount; doc++) if (this.live[doc] !== 1) this.documentTerms[doc] = undefined;
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
