const K1 = 1.2;
const B = 0.75;

/**
 * Okapi BM25 over documents that come and go (exhibitors' product texts, by a dense number): postings per term,
 * document lengths and their total kept current, so IDF and length normalisation follow the
 * collection as it is now.
 */
export class Bm25Index {
  private readonly index = new Map<string, Map<number, number>>();
  private readonly lengths = new Map<number, number>();
  private readonly docTerms = new Map<number, Map<string, number>>();
  private totalLength = 0;

  get size(): number {
    return this.lengths.size;
  }

  set(docId: number, terms: readonly string[]): void {
    this.remove(docId);
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      let posting = this.index.get(t);
      if (!posting) this.index.set(t, (posting = new Map<number, number>()));
      posting.set(docId, n);
    }
    this.docTerms.set(docId, tf);
    this.lengths.set(docId, terms.length);
    this.totalLength += terms.length;
  }

  remove(docId: number): void {
    const tf = this.docTerms.get(docId);
    if (!tf) return;
    for (const t of tf.keys()) {
      const posting = this.index.get(t);
      posting?.delete(docId);
      if (posting?.size === 0) this.index.delete(t);
    }
    this.totalLength -= this.lengths.get(docId) ?? 0;
    this.docTerms.delete(docId);
    this.lengths.delete(docId);
  }

  /** Postings of a term: document → term frequency. */
  postingsOf(term: string): ReadonlyMap<number, number> | undefined {
    return this.index.get(term);
  }

  /** The document's distinct terms with their frequencies. */
  termsOf(docId: number): ReadonlyMap<string, number> | undefined {
    return this.docTerms.get(docId);
  }

  averageLength(): number {
    return this.totalLength / Math.max(1, this.lengths.size);
  }

  lengthOf(docId: number): number {
    return this.lengths.get(docId) ?? 0;
  }

  idf(term: string): number {
    const df = this.index.get(term)?.size ?? 0;
    const n = this.lengths.size;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** One term's share of a document's BM25, given its frequency there. */
  weight(idf: number, f: number, length: number, average: number): number {
    return (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * length) / Math.max(1e-9, average)));
  }

  /** BM25 of one document for a query's terms (each term counted once). */
  score(docId: number, queryTerms: readonly string[]): number {
    const tf = this.docTerms.get(docId);
    if (!tf) return 0;
    const length = this.lengths.get(docId) ?? 0;
    const average = this.averageLength();
    let score = 0;
    for (const term of new Set(queryTerms)) {
      const f = tf.get(term);
      if (f !== undefined) score += this.weight(this.idf(term), f, length, average);
    }
    return score;
  }
}
