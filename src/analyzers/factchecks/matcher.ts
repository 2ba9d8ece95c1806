// Claim -> earlier fact-checks: BM25 over claim + title finds candidates, a learned re-ranker
// (logistic regression on pair features) orders them and gives a calibrated match probability.
import type { SparseVector } from "../../learn/hashing.js";
import { LogisticRegression, sigmoid, type LogisticJSON } from "../../learn/logistic.js";
import { Bm25Index } from "./bm25.js";
import { capitalised, cleanText, NEGATIONS, numbers, Segmenter, stripTrailer, terms } from "./text.js";
import { TranslationModel, type TranslationJSON } from "./translation.js";
import { queryTermFeatures, TermWeighter } from "./termweights.js";

export interface MatchDoc {
  claim: string;
  title?: string | null;
}

export interface RerankerJSON {
  kind: "claim-retrieval-reranker";
  version: 1;
  candidates: number;
  lr: LogisticJSON;
  platt: { a: number; b: number };
  /** Calibrated probability above which a candidate is reported as a match. */
  threshold: number;
  /**
   * Ranker: a logistic regression over the dense pair features (no bins) trained pairwise (relevant minus
   * irrelevant candidate of the same train query). It orders the candidates; `score` stays the re-ranker's
   * calibrated probability. Absent: candidates are ordered by that probability.
   */
  ranker?: LogisticJSON;
  /**
   * Lexical translation table (IBM Model 1, fact-check word -> restatement word). Present: the ranker's input is
   * the dense features plus the translation language-model score of the query given the candidate (DENSE + 1),
   * and from round 6 the candidate's title form (RANK_DIM; `ranker.dim` tells which).
   */
  translation?: TranslationJSON;
  /**
   * Fact-checks in the training collection. A smaller memory computes its word and character n-gram idf as if it
   * held this many (the features the re-ranker learnt assume a collection of that size). Absent: the memory's own.
   */
  collectionSize?: number;
  /**
   * "binary" (round 9): BM25 counts a query term once however often the query repeats it. Absent: repeats count.
   */
  queryTf?: "binary";
  /**
   * Round 9: learned query-term weights (termweights.ts). Present: the ranker's input ends with two features of
   * the candidate's BM25 with each query term weighted by its probability (RANK_DIM).
   */
  termWeights?: LogisticJSON;
  /**
   * Round 11: the reverse translation table (IBM Model 1, query word -> fact-check word: claim <-> title pairs both
   * ways and the train tweets -> their gold fact-checks). Present: the ranker's input ends with the translation
   * scores of the candidate's title and of its claim given the query, the proximity of the matched query words in
   * the candidate and whether the query holds the whole title (RANK_DIM).
   */
  reverse?: TranslationJSON;
  /**
   * Round 11: fact-checks added to the ranked candidates (only when ranking RANK_MIN_GRAM_K or more): the nearest
   * ones by character 4-gram cosine that BM25's list lacks. Absent: none.
   */
  gramCandidates?: number;
}

export interface Match {
  doc: number;
  bm25: number;
  /** Re-ranker probability (Platt-calibrated) that the fact-check reviews this claim. */
  score: number;
}

interface TextInfo {
  terms: string[];
  set: Set<string>;
  bigrams: Set<string>;
  nums: Set<string>;
  caps: Set<string>;
  neg: boolean;
  /** Sum of the idf of the distinct terms (documents only, computed on first use). */
  idfSum?: number;
  /** L2-normalised tf-idf vectors of hashed character 3- and 4-grams of claim + title (documents: on first use). */
  g3?: Map<number, number>;
  g4?: Map<number, number>;
  /** The same 4-gram vector of the title alone (documents without a title: of the claim). */
  g4t?: Map<number, number>;
  /** L2-normalised (1 + log tf) * idf vector of the index terms of claim + title (documents: on first use). */
  words?: Map<string, number>;
}

/** Hash buckets for character n-gram document frequencies. */
const GRAM_BITS = 20;
const GRAM_MASK = (1 << GRAM_BITS) - 1;
const NON_WORD = /[^\p{L}\p{N}]+/gu;

/** Calls f(hash) for every character n-gram of the lower-cased text, words separated by one space. */
function eachGram(text: string, n: number, f: (h: number) => void): void {
  const s = " " + text.toLowerCase().replace(NON_WORD, " ").trim() + " ";
  for (let i = 0; i + n <= s.length; i++) {
    let h = 0x811c9dc5 ^ n;
    for (let k = 0; k < n; k++) h = Math.imul(h ^ s.charCodeAt(i + k), 0x01000193);
    f(h & GRAM_MASK);
  }
}

/** Document frequencies of hashed character n-grams, and tf-idf vectors built with them. */
class GramStats {
  private readonly df = new Int32Array(1 << GRAM_BITS);
  private readonly n: number;
  /** `statsDocs`: as Bm25Index's, a floor on the collection size the idf assumes. */
  constructor(
    texts: readonly string[],
    readonly size: number,
    statsDocs = 0,
  ) {
    this.n = Math.max(texts.length, statsDocs);
    const stamp = new Int32Array(1 << GRAM_BITS).fill(-1);
    const df = this.df;
    texts.forEach((t, i) =>
      eachGram(t, size, (h) => {
        if (stamp[h] !== i) {
          stamp[h] = i;
          df[h]!++;
        }
      }),
    );
  }

  vector(text: string): Map<number, number> {
    const tf = new Map<number, number>();
    eachGram(text, this.size, (h) => tf.set(h, (tf.get(h) ?? 0) + 1));
    let ss = 0;
    for (const [h, c] of tf) {
      const w = (1 + Math.log(c)) * (Math.log((this.n + 1) / (this.df[h]! + 1)) + 1);
      tf.set(h, w);
      ss += w * w;
    }
    const norm = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (const [h, w] of tf) tf.set(h, w * norm);
    return tf;
  }
}

function cosine<K>(a: Map<K, number>, b: Map<K, number>): number {
  if (a.size > b.size) [a, b] = [b, a];
  let s = 0;
  for (const [h, x] of a) {
    const y = b.get(h);
    if (y !== undefined) s += x * y;
  }
  return s;
}

function info(text: string, pre?: string[]): TextInfo {
  const t = pre ?? terms(text);
  const bigrams = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) bigrams.add(t[i] + " " + t[i + 1]);
  let neg = false;
  for (const w of t) if (NEGATIONS.has(w)) neg = true;
  return {
    terms: t,
    set: new Set(t),
    bigrams,
    nums: new Set(numbers(text)),
    caps: new Set(capitalised(text)),
    neg,
  };
}

/** Number of dense pair features (the ranker's input dimension). */
export const DENSE = 33;
const DENSE_IDX = Int32Array.from({ length: DENSE }, (_, i) => i);

/**
 * Ranker input dimension: the dense features, the translation score, then the title form (1 = the fact-check's
 * title is a question, 0 = a statement, 0.5 = no title). A question title ("Did … ?") is Snopes' style since about
 * 2016, so it marks a recent fact-check, and tweets quote recent claims; the statement titles are mostly older
 * archive pages ("School Buses"). On CLEF-2020 train, 89% of the gold fact-checks have a question title and 64% of
 * the other BM25 candidates. Round 9 adds the term-weighted BM25 of the candidate: relative to the best candidate's,
 * and log(1 + score) / 4.
 */
export const RANK_DIM = DENSE + 8;
/** The round-9 ranker's input dimension (a model without a reverse table). */
export const RANK_DIM_R9 = DENSE + 4;
/** Candidate lists at least this long get the model's character 4-gram neighbours (`gramCandidates`). */
export const RANK_MIN_GRAM_K = 50;
const RANK_IDX = Int32Array.from({ length: RANK_DIM }, (_, i) => i);

/**
 * The ranker's input: the dense features, the translation score, the title form (dim > DENSE + 1) and the two
 * term-weighted BM25 features (dim = RANK_DIM).
 */
export function rankInput(
  c: { x: SparseVector; tm: number; form: number; tw: readonly number[]; rv?: readonly number[] },
  dim = RANK_DIM,
): SparseVector {
  const val = new Float32Array(dim);
  for (let i = 0; i < DENSE; i++) val[i] = c.x.val[2 * i]!;
  val[DENSE] = c.tm;
  if (dim > DENSE + 1) val[DENSE + 1] = c.form;
  if (dim > DENSE + 2) {
    val[DENSE + 2] = c.tw[0]!;
    val[DENSE + 3] = c.tw[1]!;
  }
  if (dim > DENSE + 4) for (let i = 0; i < 4; i++) val[DENSE + 4 + i] = c.rv?.[i] ?? 0;
  return { idx: dim === RANK_DIM ? RANK_IDX : Int32Array.from({ length: dim }, (_, i) => i), val };
}

const QUESTION = /\?['"’”]?\s*$/;
/** Title form of a fact-check: 1 = a question, 0 = a statement, 0.5 = no title. */
export function titleForm(title: string | null | undefined): number {
  return !title ? 0.5 : QUESTION.test(title) ? 1 : 0;
}

/** The dense pair features of an encoded vector (dense feature i is stored at position 2i). */
export function denseOf(x: SparseVector): SparseVector {
  const val = new Float32Array(DENSE);
  for (let i = 0; i < DENSE; i++) val[i] = x.val[2 * i]!;
  return { idx: DENSE_IDX, val };
}
/** Distinct content words a claim needs before it is matched at all. */
export const MIN_QUERY_TERMS = 4;
/** BM25 candidates re-ranked when matching against the threshold. */
const MATCH_CANDIDATES = 5;
const BINS = 6;
/** Feature vector dimension: dense values, then one-hot bins of each dense value. */
export const FEATURE_DIM = DENSE * (BINS + 1);

function frac(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

function overlap<T>(a: Set<T>, b: Set<T>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

export class FactCheckMatcher {
  readonly index: Bm25Index;
  private readonly avgClaim: number;
  private readonly claimTerms: string[][];
  private readonly titleTerms: string[][];
  /** Pair-feature views of documents, computed on first use (bounded). */
  private readonly infoCache = new Map<number, { c: TextInfo; t: TextInfo | null }>();

  private docInfo(i: number): { c: TextInfo; t: TextInfo | null } {
    let v = this.infoCache.get(i);
    if (!v) {
      const d = this.docs[i]!;
      const c = info(d.claim, this.claimTerms[i]);
      // A fact-check without a title (LIAR, most CSVs) is read as if its title restated the claim: the
      // re-ranker was trained on Snopes claims that all have titles, and zero title features would mark
      // every untitled fact-check as a poor match.
      v = { c, t: d.title ? info(d.title, this.titleTerms[i]) : c };
      const full = d.title ? d.claim + " " + d.title : d.claim;
      c.g3 = this.grams3.vector(full);
      c.g4 = this.grams4.vector(full);
      c.g4t = d.title ? this.grams4.vector(d.title) : c.g4;
      c.words = this.wordVector(d.title ? c.terms.concat(this.titleTerms[i]!) : c.terms);
      if (this.infoCache.size >= 50_000) this.infoCache.clear();
      this.infoCache.set(i, v);
    }
    return v;
  }
  private readonly avgTitle: number;
  private readonly grams3: GramStats;
  private readonly grams4: GramStats;
  /** The model's translation table, and p(w|C) over claims + titles (built on first use). */
  private readonly translation: TranslationModel | null;
  private collectionFreq: Map<string, number> | null = null;
  private collectionTotal = 1;
  /** Built on the first query with a hashtag or handle (~1 s for 100,000 fact-checks). */
  private segmenter: Segmenter | null = null;
  /** The model's query-term weights, and per term the share of its fact-checks with it in the title (lazy). */
  private readonly termWeighter: TermWeighter | null;
  private titleShares: Map<string, number> | null = null;
  /** Round 11: the reverse translation table (query word -> fact-check word), or null. */
  private readonly reverse: TranslationModel | null;
  /** Character 4-gram neighbours added to long candidate lists (0 = none). */
  private readonly gramCandidates: number;
  /** Inverted index of the documents' character 4-gram tf-idf vectors (CSR by hash bucket; built on first use). */
  private gramIndex: { offsets: Int32Array; docs: Int32Array; weights: Float32Array } | null = null;
  private gramAcc: Float64Array | null = null;

  /**
   * `opts.binaryQueryTf` overrides the model's `queryTf` (training builds its candidates before there is a model).
   */
  constructor(
    readonly docs: readonly MatchDoc[],
    readonly model: RerankerJSON | null,
    opts: { binaryQueryTf?: boolean; gramCandidates?: number } = {},
  ) {
    const claimTerms = (this.claimTerms = docs.map((d) => terms(d.claim)));
    const titleTerms = (this.titleTerms = docs.map((d) => (d.title ? terms(d.title) : [])));
    // Titles count twice: they restate the claim in headline words (CLEF-2020 plain BM25 MAP@5, train 0.8406 -> 0.8390,
    // dev 0.7804 -> 0.7899).
    // b = 0.5 (less length normalisation than the usual 0.75): plain BM25 MAP@5 train 0.8400 -> 0.8444, dev 0.7912 -> 0.7980.
    // A memory smaller than the collection the re-ranker was trained on weighs its words as if it were that large:
    // with a few fact-checks every word would be common (idf near 0) and an exact restatement would score like noise.
    const statsDocs = model?.collectionSize ?? 0;
    this.index = new Bm25Index(
      claimTerms.map((c, i) => (titleTerms[i]!.length ? c.concat(titleTerms[i]!, titleTerms[i]!) : c)),
      1.2,
      0.5,
      statsDocs,
      opts.binaryQueryTf ?? model?.queryTf === "binary",
    );
    let sc = 0;
    let st = 0;
    let nt = 0;
    for (let i = 0; i < docs.length; i++) {
      sc += claimTerms[i]!.length;
      if (titleTerms[i]!.length) {
        st += titleTerms[i]!.length;
        nt++;
      }
    }
    this.avgClaim = Math.max(1, sc / Math.max(1, docs.length));
    const full = docs.map((d) => (d.title ? d.claim + " " + d.title : d.claim));
    this.grams3 = new GramStats(full, 3, statsDocs);
    this.grams4 = new GramStats(full, 4, statsDocs);
    this.avgTitle = Math.max(1, st / Math.max(1, nt));
    this.translation = model?.translation ? new TranslationModel(model.translation) : null;
    this.termWeighter = model?.termWeights ? new TermWeighter(model.termWeights) : null;
    this.reverse = model?.reverse ? new TranslationModel(model.reverse) : null;
    this.gramCandidates = opts.gramCandidates ?? model?.gramCandidates ?? 0;
  }

  /**
   * The `n` documents nearest to the query by character 4-gram tf-idf cosine (claim + title), best first (ties:
   * lower document first), leaving out those in `skip`. The inverted index is built on first use (~1.5 M postings
   * for the 10,375 CLEF fact-checks).
   */
  private gramNeighbours(q4: Map<number, number>, n: number, skip: (doc: number) => boolean): number[] {
    if (!this.gramIndex) {
      const vecs: Map<number, number>[] = [];
      const count = new Int32Array((1 << GRAM_BITS) + 1);
      for (let i = 0; i < this.docs.length; i++) {
        const d = this.docs[i]!;
        const v = this.grams4.vector(d.title ? d.claim + " " + d.title : d.claim);
        vecs.push(v);
        for (const h of v.keys()) count[h + 1]!++;
      }
      for (let h = 0; h < 1 << GRAM_BITS; h++) count[h + 1]! += count[h]!;
      const fill = count.slice(0, 1 << GRAM_BITS);
      const docs = new Int32Array(count[1 << GRAM_BITS]!);
      const weights = new Float32Array(docs.length);
      vecs.forEach((v, i) => {
        for (const [h, w] of v) {
          const p = fill[h]!++;
          docs[p] = i;
          weights[p] = w;
        }
      });
      this.gramIndex = { offsets: count, docs, weights };
      this.gramAcc = new Float64Array(this.docs.length);
    }
    const { offsets, docs, weights } = this.gramIndex;
    const acc = this.gramAcc!;
    const touched: number[] = [];
    for (const [h, x] of q4) {
      for (let p = offsets[h]!, e = offsets[h + 1]!; p < e; p++) {
        const d = docs[p]!;
        if (acc[d] === 0) touched.push(d);
        acc[d]! += x * weights[p]!;
      }
    }
    const best: { doc: number; s: number }[] = [];
    for (const d of touched) {
      const s = acc[d]!;
      acc[d] = 0;
      if (s <= 0 || skip(d)) continue;
      if (best.length === n && (s < best[n - 1]!.s || (s === best[n - 1]!.s && d > best[n - 1]!.doc)))
        continue;
      let pos = best.length;
      while (pos > 0 && (best[pos - 1]!.s < s || (best[pos - 1]!.s === s && best[pos - 1]!.doc > d))) pos--;
      best.splice(pos, 0, { doc: d, s });
      if (best.length > n) best.pop();
    }
    return best.map((b) => b.doc);
  }

  /** Share of the fact-checks holding a term whose title holds it (0 when unknown). */
  private readonly titleShare = (w: string): number => {
    if (!this.titleShares) {
      const all = new Map<string, number>();
      const inTitle = new Map<string, number>();
      for (let i = 0; i < this.docs.length; i++) {
        for (const t of new Set(this.docTerms(i))) all.set(t, (all.get(t) ?? 0) + 1);
        for (const t of new Set(this.titleTerms[i]!)) inTitle.set(t, (inTitle.get(t) ?? 0) + 1);
      }
      for (const [t, n] of all) all.set(t, (inTitle.get(t) ?? 0) / n);
      this.titleShares = all;
    }
    return this.titleShares.get(w) ?? 0;
  };

  /**
   * Distinct index terms of a query with the term-weight model's features (termweights.ts). `pre`: the query's
   * index terms, cleaned text and cleaned text without its trailer, when the caller has them already.
   */
  termFeatures(
    query: string,
    pre?: { terms: readonly string[]; cleaned: string; cleanedBody: string },
  ): { terms: string[]; features: number[][] } {
    return queryTermFeatures(
      query,
      pre?.terms ?? this.queryTerms(query),
      { clean: (t) => this.clean(t), idf: (w) => this.index.idf(w), titleShare: this.titleShare },
      pre,
    );
  }

  /** Index terms of document i's claim alone. */
  claimTermsOf(i: number): readonly string[] {
    return this.claimTerms[i]!;
  }

  /** Claim + title terms of a document (the translation model's source words). */
  docTerms(i: number): string[] {
    return this.titleTerms[i]!.length ? this.claimTerms[i]!.concat(this.titleTerms[i]!) : this.claimTerms[i]!;
  }

  /** p(w|C): relative frequency of an index term over all claims and titles (0 when unknown). */
  private readonly collection = (w: string): number => {
    if (!this.collectionFreq) {
      const cf = new Map<string, number>();
      let total = 0;
      for (let i = 0; i < this.docs.length; i++)
        for (const ts of [this.claimTerms[i]!, this.titleTerms[i]!])
          for (const t of ts) {
            cf.set(t, (cf.get(t) ?? 0) + 1);
            total++;
          }
      this.collectionFreq = cf;
      this.collectionTotal = Math.max(1, total);
    }
    return (this.collectionFreq.get(w) ?? 0) / this.collectionTotal;
  };

  /**
   * A query as the index sees it: URLs removed, hashtags and handles split into the memory's words. Only tags are
   * segmented: in running text an unknown word is usually an inflection or a name ("butterflies" is not "butter flies").
   */
  private clean(query: string): string {
    if (!/[#@]/.test(query)) return cleanText(query);
    this.segmenter ??= new Segmenter(this.docs.map((d) => (d.title ? d.claim + " " + d.title : d.claim)));
    return cleanText(query, this.segmenter);
  }

  private lr: LogisticRegression | null = null;
  private ranker: LogisticRegression | null = null;

  private pairRanker(): LogisticRegression | null {
    if (!this.model?.ranker) return null;
    this.ranker ??= LogisticRegression.fromJSON(this.model.ranker);
    return this.ranker;
  }

  private reranker(): LogisticRegression | null {
    if (!this.model) return null;
    this.lr ??= LogisticRegression.fromJSON(this.model.lr);
    return this.lr;
  }

  /** Index terms of a query (URLs and tweet trailers removed). */
  queryTerms(query: string): string[] {
    return terms(this.clean(query));
  }

  /**
   * BM25 candidates with their pair features (for training and for ranking), their translation score (0
   * without a table) and their term-weighted BM25 features (0 without term weights). `translation` and
   * `weighter` override the model's (training uses cross-fitted ones).
   */
  candidates(
    query: string,
    k: number,
    exclude?: ReadonlySet<number>,
    translation: TranslationModel | null = this.translation,
    weighter: TermWeighter | null = this.termWeighter,
    reverse: TranslationModel | null = this.reverse,
  ): { doc: number; bm25: number; x: SparseVector; tm: number; form: number; tw: number[]; rv: number[] }[] {
    const cleaned = this.clean(query);
    const q = info(cleaned);
    // `exclude` simulates a memory without those fact-checks (training for claims nobody has checked yet).
    const hits = exclude?.size
      ? this.index
          .search(q.terms, k + exclude.size)
          .filter((h) => !exclude.has(h.doc))
          .slice(0, k)
      : this.index.search(q.terms, k);
    if (hits.length === 0) return [];
    const q4 = this.grams4.vector(cleaned);
    if (this.gramCandidates > 0 && k >= RANK_MIN_GRAM_K) {
      // Round 11: the nearest fact-checks by character 4-gram cosine that BM25's list lacks, with their BM25 score
      // (glued or inflected words BM25 misses). CLEF-2020: gold fact-checks outside the 50 candidates, train 22 ->
      // 19, dev 6 -> 4.
      const have = new Set(hits.map((h) => h.doc));
      const qtf = new Map<string, number>();
      for (const w of q.terms) qtf.set(w, this.index.binaryQueryTf ? 1 : (qtf.get(w) ?? 0) + 1);
      for (const d of this.gramNeighbours(q4, this.gramCandidates, (x) => exclude?.has(x) ?? false)) {
        if (have.has(d)) continue;
        let sc = 0;
        for (const [w, n] of qtf) sc += n * this.index.termScore(w, d);
        hits.push({ doc: d, score: sc });
      }
      hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
    }
    const top = hits[0]!.score;
    const second = hits.length > 1 ? hits[1]!.score : 0;
    // idf of each query term, looked up once per query.
    const qi = new Map<string, number>();
    let qIdf = 0;
    for (const w of q.set) {
      const idf = this.index.idf(w);
      qi.set(w, idf);
      qIdf += idf;
    }
    const q3 = this.grams3.vector(cleaned);
    const cleanedBody = this.clean(stripTrailer(query));
    const q4n = this.grams4.vector(cleanedBody);
    const qw = this.wordVector(q.terms);
    // Term-weighted BM25: each distinct query term's BM25 contribution times its learned weight.
    let wbm25: Float64Array | null = null;
    if (weighter) {
      const tf = this.termFeatures(query, { terms: q.terms, cleaned, cleanedBody });
      const w = weighter.weights(tf.terms, tf.features);
      wbm25 = new Float64Array(hits.length);
      for (let j = 0; j < hits.length; j++) {
        let s = 0;
        for (let i = 0; i < tf.terms.length; i++)
          s += w[i]! * this.index.termScore(tf.terms[i]!, hits[j]!.doc);
        wbm25[j] = s;
      }
    }
    const body = reverse ? new Set(terms(cleanedBody)) : null;
    let wTop = 1e-9;
    if (wbm25) for (const s of wbm25) if (s > wTop) wTop = s;
    return hits.map((h, rank) => {
      const { c, t } = this.docInfo(h.doc);
      const f = new Float64Array(DENSE);
      let mIdf = 0;
      for (const [w, idf] of qi) if (c.set.has(w) || t?.set.has(w)) mIdf += idf;
      const cs = this.fieldScore(qi, c.terms, this.avgClaim);
      const ts = t ? this.fieldScore(qi, t.terms, this.avgTitle) : 0;
      const inter = overlap(q.set, c.set);
      f[0] = h.score / top;
      f[1] = Math.log1p(h.score) / 4;
      f[2] = 1 / (1 + rank);
      f[3] = Math.min(1, (top - h.score) / (top + 1e-9));
      f[4] = rank === 0 ? Math.min(1, (top - second) / (top + 1e-9)) : 0;
      f[5] = Math.log1p(cs) / 4;
      f[6] = Math.log1p(ts) / 4;
      f[7] = frac(inter, q.set.size);
      f[8] = frac(mIdf, qIdf);
      f[9] = frac(inter, c.set.size);
      f[10] = frac(inter, q.set.size + c.set.size - inter);
      f[11] = frac(overlap(q.bigrams, c.bigrams), q.bigrams.size);
      f[12] = frac(overlap(q.bigrams, c.bigrams), c.bigrams.size);
      const nShared = overlap(q.nums, c.nums);
      f[13] = q.nums.size > 0 && c.nums.size > 0 ? 1 : 0;
      f[14] = frac(nShared, c.nums.size);
      f[15] = c.nums.size > 0 && q.nums.size > 0 && nShared === 0 ? 1 : 0;
      f[16] = frac(overlap(q.caps, c.caps), c.caps.size);
      f[17] = c.caps.size > 0 && q.caps.size > 0 && overlap(q.caps, c.caps) === 0 ? 1 : 0;
      f[18] = Math.min(1, Math.abs(Math.log((c.terms.length + 1) / (q.terms.length + 1))) / 3);
      f[19] = t ? frac(overlap(q.set, t.set), t.set.size) : 0;
      f[20] = t ? frac(overlap(q.bigrams, t.bigrams), t.bigrams.size) : 0;
      f[21] = q.neg !== c.neg ? 1 : 0;
      f[22] = Math.min(1, q.terms.length / 40);
      f[23] = 0; // (was: has a title; constant in training, so unused)
      // Rare query words found, the candidate's own unmatched content, longest shared run of words.
      let rareQ = 0,
        rareHit = 0,
        maxHit = 0;
      for (const [w, idf] of qi) {
        const hit = c.set.has(w) || (t?.set.has(w) ?? false);
        if (idf > 5) {
          rareQ++;
          if (hit) rareHit++;
        }
        if (hit && idf > maxHit) maxHit = idf;
      }
      if (c.idfSum === undefined) {
        c.idfSum = 0;
        for (const w of c.set) c.idfSum += this.index.idf(w);
      }
      const cIdf = c.idfSum;
      let cMiss = cIdf;
      for (const [w, idf] of qi) if (c.set.has(w)) cMiss -= idf;
      f[24] = frac(rareHit, rareQ);
      f[25] = frac(cMiss, cIdf);
      f[26] = maxHit / 10;
      f[27] = Math.min(1, longestRun(q.terms, c.terms) / 6);
      // Character n-gram tf-idf cosine (claim + title): robust to tokenisation, inflection and glued hashtags.
      f[28] = cosine(q3, c.g3!);
      f[29] = cosine(q4, c.g4!);
      // The same without the embedded-tweet trailer (name, handle, date): it dilutes the n-gram vector.
      f[30] = cosine(q4n, c.g4!);
      f[31] = cosine(q4, c.g4t!);
      f[32] = cosine(qw, c.words!);
      const tm = translation ? translation.score(q.terms, this.docTerms(h.doc), this.collection) : 0;
      const tw = wbm25 ? [wbm25[rank]! / wTop, Math.log1p(wbm25[rank]!) / 4] : [0, 0];
      // Round 11: does the candidate explain the query (the reverse table's score of its title and of its claim
      // given the query), how close together the matched words of the query (without its tweet trailer) are in
      // the claim or the title, and whether the query holds every word of a title of 2+ words.
      let rv = RV_NONE;
      if (reverse) {
        const ct = this.claimTerms[h.doc]!;
        const tt = this.titleTerms[h.doc]!;
        rv = [
          tt.length ? reverse.score(tt, q.terms, this.collection) : 0,
          reverse.score(ct, q.terms, this.collection),
          Math.max(window(body, ct), window(body, tt)),
          titleInQuery(q.set, tt),
        ];
      }
      return {
        doc: h.doc,
        bm25: h.score,
        x: encode(f),
        tm,
        form: titleForm(this.docs[h.doc]!.title),
        tw,
        rv,
      };
    });
  }

  /** L2-normalised (1 + log tf) * idf vector of index terms, with the index's idf. */
  private wordVector(ts: readonly string[]): Map<string, number> {
    const v = new Map<string, number>();
    for (const w of ts) v.set(w, (v.get(w) ?? 0) + 1);
    let ss = 0;
    for (const [w, c] of v) {
      const x = (1 + Math.log(c)) * this.index.idf(w);
      v.set(w, x);
      ss += x * x;
    }
    const norm = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (const [w, x] of v) v.set(w, x * norm);
    return v;
  }

  /** BM25 of the query terms against one field, with the index's idf. */
  private fieldScore(q: Map<string, number>, field: readonly string[], avg: number): number {
    if (field.length === 0) return 0;
    const tf = new Map<string, number>();
    for (const w of field) if (q.has(w)) tf.set(w, (tf.get(w) ?? 0) + 1);
    const norm = this.index.k1 * (1 - this.index.b + (this.index.b * field.length) / avg);
    let s = 0;
    for (const [w, n] of tf) s += (q.get(w)! * n * (this.index.k1 + 1)) / (n + norm);
    return s;
  }

  /** Ranked candidates (re-ranked when a model is loaded, else BM25 order with score = 0). */
  rank(query: string, limit: number, exclude?: ReadonlySet<number>, candidates?: number): Match[] {
    const k = candidates ?? this.model?.candidates ?? Math.max(limit, 20);
    const cands = this.candidates(query, Math.max(k, limit), exclude);
    const lr = this.reranker();
    const ranker = this.pairRanker();
    const out = cands.map((c) => ({
      doc: c.doc,
      bm25: c.bm25,
      score: lr && this.model ? sigmoid(this.model.platt.a * lr.scores(c.x)[0]! + this.model.platt.b) : 0,
      rankScore: ranker
        ? ranker.scores(ranker.dim === DENSE ? denseOf(c.x) : rankInput(c, ranker.dim))[0]!
        : 0,
    }));
    if (ranker) out.sort((a, b) => b.rankScore - a.rankScore || b.bm25 - a.bm25 || a.doc - b.doc);
    else if (lr) out.sort((a, b) => b.score - a.score || b.bm25 - a.bm25 || a.doc - b.doc);
    return out.slice(0, limit).map(({ doc, bm25, score }) => ({ doc, bm25, score }));
  }

  /** Matches above the calibrated threshold, best first. */
  matches(query: string, limit = 3): Match[] {
    if (!this.model) return [];
    // Fragments ("eyebrows", "a kissy-face emoji") are not claims a fact-check could review: the re-ranker,
    // trained on whole tweets, over-trusts them. Require a few content words.
    if (new Set(this.queryTerms(query)).size < MIN_QUERY_TERMS) return [];
    const th = this.model.threshold;
    // Only the 5 best BM25 candidates are re-ranked here (4x less work than for `rank`): every top match above
    // the threshold on the CLEF-2020 train+dev queries (131) and on 1,312 news claims (26) was BM25's first.
    return this.rank(query, limit, undefined, MATCH_CANDIDATES).filter((m) => m.score >= th);
  }
}

const RV_NONE: number[] = [0, 0, 0, 0];

/**
 * Proximity of the query's words in a field: the number k of distinct field words the query holds, divided by the
 * length of the shortest run of the field holding all k (0 when k < 2).
 */
export function window(query: ReadonlySet<string> | null, field: readonly string[]): number {
  if (!query) return 0;
  const need = new Set<string>();
  for (const w of field) if (query.has(w)) need.add(w);
  const k = need.size;
  if (k < 2) return 0;
  const cnt = new Map<string, number>();
  let have = 0;
  let best = Infinity;
  let l = 0;
  for (let r = 0; r < field.length; r++) {
    const w = field[r]!;
    if (!need.has(w)) continue;
    const c = (cnt.get(w) ?? 0) + 1;
    cnt.set(w, c);
    if (c === 1) have++;
    while (have === k) {
      best = Math.min(best, r - l + 1);
      const x = field[l]!;
      if (need.has(x)) {
        const cx = cnt.get(x)! - 1;
        cnt.set(x, cx);
        if (cx === 0) have--;
      }
      l++;
    }
  }
  return k / best;
}

/** 1 when the query holds every distinct word of a title of 2+ distinct words, else 0. */
export function titleInQuery(query: ReadonlySet<string>, title: readonly string[]): number {
  const ts = new Set(title);
  if (ts.size < 2) return 0;
  for (const w of ts) if (!query.has(w)) return 0;
  return 1;
}

/** Length of the longest run of consecutive terms shared by a and b. */
function longestRun(a: readonly string[], b: readonly string[]): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      if (k > best) best = k;
    }
  }
  return best;
}

/** Dense values plus their one-hot bins (a cheap non-linearity for the linear re-ranker). */
function encode(f: Float64Array): SparseVector {
  const idx = new Int32Array(DENSE * 2);
  const val = new Float32Array(DENSE * 2);
  for (let i = 0; i < DENSE; i++) {
    const v = Math.max(0, Math.min(1, f[i]!));
    idx[2 * i] = i;
    val[2 * i] = v;
    idx[2 * i + 1] = DENSE + i * BINS + Math.min(BINS - 1, Math.floor(v * BINS));
    val[2 * i + 1] = 1;
  }
  return { idx, val };
}
