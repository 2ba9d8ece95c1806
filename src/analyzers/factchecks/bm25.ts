// Okapi BM25 over an in-memory inverted index kept in flat typed arrays (CSR postings), built once
// from the fact-check memory. Query cost is proportional to the postings of the query's terms.
import { terms } from "./text.js";

export interface Bm25Hit {
  doc: number;
  score: number;
}

export class Bm25Index {
  readonly size: number;
  private readonly termIds = new Map<string, number>();
  private readonly offsets: Int32Array;
  private readonly postDocs: Int32Array;
  /** Per-posting BM25 term-frequency part tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avgLen)). */
  private readonly postImpact: Float32Array;
  private readonly idfs: Float32Array;
  /** Per-document length normaliser k1 * (1 - b + b * len / avgLen). */
  private readonly norm: Float32Array;
  private readonly acc: Float32Array;
  private readonly touched: Int32Array;

  /**
   * docs[i] = the index terms of document i. `statsDocs`: idf is computed as if the collection held at least
   * this many documents (the others without the term), so a small memory's words weigh as in a large one.
   * `binaryQueryTf`: a query term counts once however often the query repeats it (BM25 with k3 = 0). Tweets
   * repeat their author's name (body, "— Name (@handle)" trailer): on CLEF-2020 plain BM25 MAP@5 train 0.8462
   * -> 0.8755, dev 0.8162 -> 0.8327, recall@50 train 0.969 -> 0.973, dev 0.954 -> 0.970.
   */
  constructor(
    docs: readonly (readonly string[])[],
    readonly k1 = 1.2,
    readonly b = 0.75,
    statsDocs = 0,
    readonly binaryQueryTf = false,
  ) {
    const n = (this.size = docs.length);
    const df: number[] = [];
    let total = 0;
    for (const d of docs) {
      total += d.length;
      const seen = new Set<number>();
      for (const t of d) {
        let id = this.termIds.get(t);
        if (id === undefined) {
          id = df.length;
          this.termIds.set(t, id);
          df.push(0);
        }
        if (!seen.has(id)) {
          seen.add(id);
          df[id]!++;
        }
      }
    }
    const T = df.length;
    this.offsets = new Int32Array(T + 1);
    for (let t = 0; t < T; t++) this.offsets[t + 1] = this.offsets[t]! + df[t]!;
    const P = this.offsets[T]!;
    this.postDocs = new Int32Array(P);
    this.postImpact = new Float32Array(P);
    const fill = this.offsets.slice(0, T);
    const avg = total / Math.max(1, n);
    this.norm = new Float32Array(n);
    const tf = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const d = docs[i]!;
      this.norm[i] = this.k1 * (1 - this.b + (this.b * d.length) / Math.max(avg, 1e-9));
      tf.clear();
      for (const t of d) {
        const id = this.termIds.get(t)!;
        tf.set(id, (tf.get(id) ?? 0) + 1);
      }
      for (const [id, c] of tf) {
        const p = fill[id]!++;
        this.postDocs[p] = i;
        this.postImpact[p] = (c * (this.k1 + 1)) / (c + this.norm[i]!);
      }
    }
    this.idfs = new Float32Array(T);
    const N = Math.max(n, statsDocs);
    for (let t = 0; t < T; t++) this.idfs[t] = Math.log(1 + (N - df[t]! + 0.5) / (df[t]! + 0.5));
    this.acc = new Float32Array(n);
    this.touched = new Int32Array(n);
  }

  static fromTexts(texts: readonly string[]): Bm25Index {
    return new Bm25Index(texts.map(terms));
  }

  /** idf of an index term (0 when unknown). */
  idf(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.idfs[id]!;
  }

  /** BM25 contribution of one term to one document (idf times its term-frequency part; 0 when absent). */
  termScore(term: string, doc: number): number {
    const id = this.termIds.get(term);
    if (id === undefined) return 0;
    // Postings of a term are in document order: binary search.
    let lo = this.offsets[id]!;
    let hi = this.offsets[id + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = this.postDocs[mid]!;
      if (d === doc) return this.idfs[id]! * this.postImpact[mid]!;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** Top-k documents for the query terms, best first. */
  search(queryTerms: readonly string[], k: number): Bm25Hit[] {
    const acc = this.acc;
    const touched = this.touched;
    let nt = 0;
    const qtf = new Map<number, number>();
    for (const t of queryTerms) {
      const id = this.termIds.get(t);
      if (id !== undefined) qtf.set(id, (qtf.get(id) ?? 0) + 1);
    }
    const { offsets, postDocs, postImpact, idfs } = this;
    for (const [id, q] of qtf) {
      const w = idfs[id]! * (this.binaryQueryTf ? 1 : q);
      const e = offsets[id + 1]!;
      for (let p = offsets[id]!; p < e; p++) {
        const d = postDocs[p]!;
        if (acc[d] === 0) touched[nt++] = d;
        acc[d]! += w * postImpact[p]!;
      }
    }
    // Partial selection of the k best with a small sorted buffer.
    const hits: Bm25Hit[] = [];
    let min = -Infinity;
    for (let j = 0; j < nt; j++) {
      const d = touched[j]!;
      const s = acc[d]!;
      acc[d] = 0;
      if (s > min || hits.length < k) {
        let pos = hits.length;
        while (
          pos > 0 &&
          (hits[pos - 1]!.score < s || (hits[pos - 1]!.score === s && hits[pos - 1]!.doc > d))
        )
          pos--;
        hits.splice(pos, 0, { doc: d, score: s });
        if (hits.length > k) hits.pop();
        min = hits.length === k ? hits[k - 1]!.score : -Infinity;
      }
    }
    return hits;
  }
}
