// Learned query-term weights (in the spirit of DeepCT / "learning to weight query terms"): for each distinct
// index term of a query, the probability that the term occurs in the fact-check that reviews the query, from
// the term's idf, its form in the query (capitalised, from a hashtag or handle, only in an embedded tweet's
// trailer, a number or a year, ...), its share of title occurrences in the memory and a hashed word identity.
// A logistic regression trained on the CLEF-2020 train tweets (label: the term is among the gold fact-check's
// claim + title terms); the ranker sees the candidates' BM25 weighted by these probabilities.
import type { SparseVector } from "../../learn/hashing.js";
import { LogisticRegression, type LogisticJSON } from "../../learn/logistic.js";
import { stem, stripTrailer, terms } from "./text.js";

/** Dense features per query term (see `queryTermFeatures`). */
export const TERM_FEATURES = 19;
/** Hash buckets of the word-identity feature. */
export const TERM_BUCKETS = 1 << 16;
export const TERM_DIM = TERM_FEATURES + TERM_BUCKETS;

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
const TAG_TOKEN = /[#@][\p{L}\p{N}_]+/gu;
const URL = /https?:\/\/\S+|pic\.twitter\.com\/\S+|\bwww\.\S+/gi;
const TRAILER = /[—–]\s*[^—–]*\(@\w+\)\s+\p{L}+ \d{1,2}, \d{4}\s*$/u;
const UPPER_START = /^\p{Lu}/u;
const HAS_LETTER = /\p{L}/u;
const DIGITS = /^\d+$/;
const YEAR = /^(?:19|20)\d\d$/;
const MONTHS = new Set(
  "january february march april may june july august september october november december"
    .split(" ")
    .map(stem),
);

/** The index term of one token (null: a stop word, or not one term), memoised (bounded). */
const tokenTerms = new Map<string, string | null>();
function tokenTerm(raw: string): string | null {
  let t = tokenTerms.get(raw);
  if (t === undefined) {
    const ts = terms(raw);
    t = ts.length === 1 ? ts[0]! : null;
    if (tokenTerms.size >= 50_000) tokenTerms.clear();
    tokenTerms.set(raw, t);
  }
  return t;
}

/** What the features need from the memory and the matcher. */
export interface TermContext {
  /** The query as the index sees it (URLs removed, tags split; see FactCheckMatcher). */
  clean(text: string): string;
  /** BM25 idf of an index term (0 when unknown). */
  idf(term: string): number;
  /** Share of the memory's fact-checks holding the term whose title holds it (0 when unknown). */
  titleShare(term: string): number;
}

/**
 * Distinct terms of a query (first-occurrence order of `queryTerms`, the query's index terms) and their dense
 * features: idf / 10, unknown, capitalised share, all-caps share, from a hashtag, from a handle, only in the
 * trailer, in trailer and body, first position, number, year, length, repeated, query length, idf rank in the
 * query, month name, title share, (idf / 10)², in the first half.
 */
export function queryTermFeatures(
  text: string,
  queryTerms: readonly string[],
  ctx: TermContext,
  /** The cleaned query and the cleaned query without its trailer, when the caller has them already. */
  pre?: { cleaned: string; cleanedBody: string },
): { terms: string[]; features: number[][] } {
  const noUrl = text.replace(URL, " ");
  const hashTerms = new Set<string>();
  const handleTerms = new Set<string>();
  for (const m of noUrl.matchAll(TAG_TOKEN))
    for (const w of terms(ctx.clean(m[0]))) (m[0][0] === "#" ? hashTerms : handleTerms).add(w);
  const trailer = TRAILER.exec(noUrl);
  const trailerTerms = new Set(trailer ? terms(ctx.clean(trailer[0])) : []);
  const bodyTerms = new Set(terms(pre?.cleanedBody ?? ctx.clean(stripTrailer(text))));
  // Surface form of each occurrence: [occurrences, capitalised, all caps].
  const form = new Map<string, [number, number, number]>();
  const surface = (pre?.cleaned ?? ctx.clean(text)).replace(/(\d),(\d{3})/g, "$1$2");
  for (const m of surface.matchAll(TOKEN)) {
    const raw = m[0];
    const term = tokenTerm(raw);
    if (term === null) continue;
    const c = form.get(term) ?? [0, 0, 0];
    c[0]++;
    if (UPPER_START.test(raw)) c[1]++;
    if (raw.length > 1 && raw === raw.toUpperCase() && HAS_LETTER.test(raw)) c[2]++;
    form.set(term, c);
  }
  const distinct = [...new Set(queryTerms)];
  const n = distinct.length;
  const idfs = distinct.map((w) => ctx.idf(w));
  const sorted = [...idfs].sort((a, b) => b - a);
  const qtf = new Map<string, number>();
  for (const w of queryTerms) qtf.set(w, (qtf.get(w) ?? 0) + 1);
  const len = Math.max(1, queryTerms.length);
  const features = distinct.map((w, i) => {
    const idf = idfs[i]!;
    const c = form.get(w) ?? [1, 0, 0];
    const first = queryTerms.indexOf(w);
    return [
      idf / 10,
      idf === 0 ? 1 : 0,
      c[1] / c[0],
      c[2] / c[0],
      hashTerms.has(w) ? 1 : 0,
      handleTerms.has(w) ? 1 : 0,
      trailerTerms.has(w) && !bodyTerms.has(w) ? 1 : 0,
      trailerTerms.has(w) && bodyTerms.has(w) ? 1 : 0,
      first / len,
      DIGITS.test(w) ? 1 : 0,
      YEAR.test(w) ? 1 : 0,
      Math.min(1, w.length / 12),
      (qtf.get(w) ?? 1) > 1 ? 1 : 0,
      Math.min(1, n / 30),
      sorted.indexOf(idf) / Math.max(1, n),
      MONTHS.has(w) ? 1 : 0,
      ctx.titleShare(w),
      (idf / 10) * (idf / 10),
      first < queryTerms.length * 0.5 ? 1 : 0,
    ];
  });
  return { terms: distinct, features };
}

/** FNV-1a bucket of a term. */
function bucket(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), 0x01000193);
  return (h >>> 0) % TERM_BUCKETS;
}

/** The term-weight model's input: the dense features, then the term's identity bucket. */
export function termVector(features: readonly number[], term: string): SparseVector {
  const idx = new Int32Array(TERM_FEATURES + 1);
  const val = new Float32Array(TERM_FEATURES + 1);
  for (let i = 0; i < TERM_FEATURES; i++) {
    idx[i] = i;
    val[i] = features[i]!;
  }
  idx[TERM_FEATURES] = TERM_FEATURES + bucket(term);
  val[TERM_FEATURES] = 1;
  return { idx, val };
}

export interface TermExample {
  term: string;
  features: number[];
  /** 1 = the term occurs in the claim or title of a fact-check that reviews the query. */
  y: number;
}

/** Trains the term-weight model (logistic regression, 10 epochs, learning rate 0.1, L2 1e-5, seed 7). */
export function trainTermWeights(examples: readonly TermExample[]): LogisticJSON {
  const X = examples.map((e) => termVector(e.features, e.term));
  const y = examples.map((e) => e.y);
  return LogisticRegression.train(X, y, TERM_DIM, 2, {
    epochs: 10,
    learningRate: 0.1,
    l2: 1e-5,
    seed: 7,
  }).toJSON();
}

/** A trained term-weight model. */
export class TermWeighter {
  private readonly lr: LogisticRegression;
  constructor(json: LogisticJSON) {
    this.lr = LogisticRegression.fromJSON(json);
  }

  /** Probability that each term (with its features) occurs in the reviewing fact-check. */
  weights(termsOf: readonly string[], features: readonly (readonly number[])[]): Float64Array {
    const out = new Float64Array(termsOf.length);
    for (let i = 0; i < termsOf.length; i++)
      out[i] = this.lr.predictProba(termVector(features[i]!, termsOf[i]!))[1]!;
    return out;
  }
}
