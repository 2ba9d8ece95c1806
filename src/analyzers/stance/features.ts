// Headline–body (and claim–article) stance features: TF-IDF cosine similarities between the headline and the
// whole body, its lead and its best-matching sentences, term and bigram overlap, refutation / hedging /
// negation words near the matched terms, polarity, and hashed lexicon words of the headline, lead and best sentence.
// Pure string code (no wink pass) so training over 50k pairs and the pipeline stage share one path.
import { murmur3, type SparseVector } from "../../learn/hashing.js";

/** Input dimension of the stance models: dense features first, hashed features after. */
export const STANCE_BITS = 14;
export const STANCE_DIM = 1 << STANCE_BITS;
export const DENSE = 48;
const IDF_BITS = 16;
const IDF_MASK = (1 << IDF_BITS) - 1;

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

export const STOP = new Set(
  (
    "a an the and or but of to in on at by for with from as is are was were be been being it its this that these those " +
    "he she they we you i his her their our your my me him them us there here have has had do does did will would shall " +
    "than then so such into over about after before up down out off just also very can more most other some any each " +
    "which who whom whose what when where why how all both own same too only s t now said says say told tells tell"
  ).split(" "),
);
export const REFUTE = new Set(
  (
    "fake fraud fraudulent hoax hoaxes false falsely deny denies denied denying refute refutes refuted despite nope doubt " +
    "doubts bogus debunk debunks debunked debunking prank pranks retract retracts retracted retraction untrue misleading " +
    "satire satirical unfounded baseless fabricated fabrication myth incorrect wrong dismiss dismisses dismissed reject " +
    "rejects rejected contrary disputes disputed dispute insists insisted actually lie lies lied hoaxer spoof parody " +
    "photoshopped doctored staged rumours rumors"
  ).split(" "),
);
export const HEDGE = new Set(
  (
    "reportedly allegedly alleged alleges claim claims claimed claiming according apparently purportedly purported rumor " +
    "rumored rumour rumoured unconfirmed unverified may might could possibly possible appears appear appeared seems " +
    "seem seemingly suggests suggest suggested believed believe supposedly speculation speculate speculated if whether " +
    "unclear report reports reported sources source thought likely"
  ).split(" "),
);
const NEG = new Set("not no never none nobody nothing neither nor without cannot".split(" "));

export function isNegation(w: string): boolean {
  return NEG.has(w) || w.endsWith("n't") || w.endsWith("n’t");
}

/** Crude suffix stripping: enough to match "strikes"/"strike", "attacked"/"attack". */
export function stem(w: string): string {
  if (w.length <= 3) return w;
  if (w.endsWith("'s") || w.endsWith("’s")) w = w.slice(0, -2);
  if (w.endsWith("ies") && w.length > 4) return w.slice(0, -3) + "y";
  if (w.endsWith("ing") && w.length > 5) return w.slice(0, -3);
  if (w.endsWith("ed") && w.length > 4) return w.slice(0, -2);
  if (/(?:s|x|z|ch|sh)es$/.test(w) && w.length > 4) return w.slice(0, -2);
  if (w.endsWith("s") && !w.endsWith("ss") && w.length > 3) return w.slice(0, -1);
  return w;
}

export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Hashed inverse document frequencies (log((N+1)/(df+1)) + 1), learnt from the training corpus. */
export class Idf {
  constructor(readonly table: Float32Array) {}

  get(term: string): number {
    return this.table[murmur3(term, 7) & IDF_MASK]!;
  }

  static fit(docs: Iterable<string[]>): Idf {
    const df = new Float64Array(1 << IDF_BITS);
    let n = 0;
    for (const terms of docs) {
      n++;
      const seen = new Set<number>();
      for (const t of terms) seen.add(murmur3(t, 7) & IDF_MASK);
      for (const i of seen) df[i]!++;
    }
    const table = new Float32Array(1 << IDF_BITS);
    for (let i = 0; i < table.length; i++) table[i] = Math.log((n + 1) / (df[i]! + 1)) + 1;
    return new Idf(table);
  }
}

/** Content-term stems of a token list (stop words and 1-letter tokens dropped). */
export function contentStems(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) if (t.length > 1 && !STOP.has(t)) out.push(stem(t));
  return out;
}

/** A TF-IDF vector over a body's vocabulary ids (unit length). */
interface IdVec {
  ids: Int32Array;
  w: Float64Array;
}

/** TF-IDF of the ids in [a, b) of `ids` (-1 = stop word), using `count` as scratch (left zeroed). */
function idVec(ids: Int32Array, a: number, b: number, idfs: Float64Array, count: Float64Array): IdVec {
  const uniq: number[] = [];
  for (let i = a; i < b; i++) {
    const id = ids[i]!;
    if (id < 0) continue;
    if (count[id] === 0) uniq.push(id);
    count[id]!++;
  }
  const out = { ids: Int32Array.from(uniq), w: new Float64Array(uniq.length) };
  let norm = 0;
  for (let k = 0; k < uniq.length; k++) {
    const id = uniq[k]!;
    const c = count[id]!;
    const w = (c === 1 ? 1 : 1 + Math.log(c)) * idfs[id]!;
    out.w[k] = w;
    norm += w * w;
    count[id] = 0;
  }
  if (norm > 0) {
    const s = 1 / Math.sqrt(norm);
    for (let k = 0; k < out.w.length; k++) out.w[k]! *= s;
  }
  return out;
}

function dotId(dense: Float64Array, v: IdVec): number {
  let s = 0;
  for (let k = 0; k < v.ids.length; k++) s += dense[v.ids[k]!]! * v.w[k]!;
  return s;
}

const SENT_SPLIT = /(?<=[.!?]["'”’)]?)\s+(?=["'“‘(]?[A-Z0-9])|\n+/;

/** A body, preprocessed once and reused for every headline paired with it. */
export interface BodyInfo {
  /** Lower-cased tokens in order. */
  tokens: string[];
  /** Vocabulary id of each token's stem, or -1 for stop words. */
  ids: Int32Array;
  vocab: Map<string, number>;
  idfs: Float64Array;
  /** Token index where each sentence starts (plus a final sentinel = tokens.length). */
  sentStart: number[];
  vec: IdVec;
  lead: IdVec;
  leadHas: Uint8Array;
  sentVecs: IdVec[];
  /** Adjacent content-stem id pairs (a * 65536 + b). */
  bigrams: Set<number>;
  /** Positions of refuting, hedging and negation tokens. */
  refute: number[];
  hedge: number[];
  neg: number[];
  /** Body style scores (body-style.ts): [P(disagreed-with body), P(agreed-with body)], when the model has them. */
  style?: Float32Array;
}

const MAX_BODY_CHARS = 6000;

export function prepareBody(text: string, idf: Idf): BodyInfo {
  const tokens: string[] = [];
  const sentStart: number[] = [];
  for (const sent of text.slice(0, MAX_BODY_CHARS).split(SENT_SPLIT)) {
    const toks = tokenize(sent);
    if (toks.length === 0) continue;
    sentStart.push(tokens.length);
    for (const t of toks) tokens.push(t);
  }
  sentStart.push(tokens.length);
  const vocab = new Map<string, number>();
  const idfList: number[] = [];
  const ids = new Int32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.length <= 1 || STOP.has(t)) {
      ids[i] = -1;
      continue;
    }
    const st = stem(t);
    let id = vocab.get(st);
    if (id === undefined) {
      id = vocab.size;
      vocab.set(st, id);
      idfList.push(idf.get(st));
    }
    ids[i] = id;
  }
  const idfs = Float64Array.from(idfList);
  const scratch = new Float64Array(vocab.size);
  const nSent = sentStart.length - 1;
  const sentVecs: IdVec[] = [];
  for (let s = 0; s < nSent; s++) sentVecs.push(idVec(ids, sentStart[s]!, sentStart[s + 1]!, idfs, scratch));
  const leadEnd = sentStart[Math.min(3, nSent)]!;
  const leadHas = new Uint8Array(vocab.size);
  for (let i = 0; i < leadEnd; i++) if (ids[i]! >= 0) leadHas[ids[i]!] = 1;
  const bigrams = new Set<number>();
  let prev = -1;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id < 0) continue;
    if (prev >= 0) bigrams.add(prev * 65536 + id);
    prev = id;
  }
  const refute: number[] = [];
  const hedge: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (REFUTE.has(t)) refute.push(i);
    if (HEDGE.has(t)) hedge.push(i);
    if (isNegation(t)) neg.push(i);
  }
  return {
    tokens,
    ids,
    vocab,
    idfs,
    sentStart,
    vec: idVec(ids, 0, ids.length, idfs, scratch),
    lead: idVec(ids, 0, leadEnd, idfs, scratch),
    leadHas,
    sentVecs,
    bigrams,
    refute,
    hedge,
    neg,
  };
}

function hashIdx(name: string): number {
  return DENSE + (murmur3(name) % (STANCE_DIM - DENSE));
}

const WINDOW = 8;

function countNear(positions: readonly number[], matched: Uint8Array): number {
  let c = 0;
  for (const p of positions) {
    const a = Math.max(0, p - WINDOW);
    const b = Math.min(matched.length, p + WINDOW + 1);
    for (let i = a; i < b; i++)
      if (matched[i]) {
        c++;
        break;
      }
  }
  return c;
}

/** Names of the dense features, in index order (documentation and debugging). */
export const DENSE_NAMES = [
  "cos.body",
  "cos.lead",
  "cos.sent.max",
  "cos.sent.top3",
  "cos.sent.first",
  "overlap.frac",
  "overlap.idf",
  "overlap.lead.frac",
  "bigram.frac",
  "head.refute",
  "head.hedge",
  "head.neg",
  "head.question",
  "body.refute",
  "body.hedge",
  "body.neg",
  "near.refute",
  "near.hedge",
  "near.neg",
  "best.refute",
  "best.hedge",
  "best.neg",
  "polarity.refute",
  "polarity.neg",
  "head.len",
  "body.len",
  "cos.sent.max.sq",
  "overlap.none",
  "near.refute.frac",
  "near.hedge.frac",
  "best.sent.pos",
  "head.terms.matched",
] as const;

/**
 * Pair features as a sparse vector: dense similarity/lexicon features at indices [0, DENSE) and hashed
 * headline n-grams, best-sentence words and lexicon crosses above.
 */
export function pairFeatures(headline: string, body: BodyInfo, idf: Idf): SparseVector {
  const htoks = tokenize(headline);
  const hterms = contentStems(htoks);
  const hset = new Set(hterms);
  // Headline TF-IDF as a dense vector over the body's vocabulary (terms absent from the body only add to the norm).
  const hdense = new Float64Array(body.vocab.size);
  const hHas = new Uint8Array(body.vocab.size);
  {
    const tf = new Map<string, number>();
    for (const t of hterms) tf.set(t, (tf.get(t) ?? 0) + 1);
    let norm = 0;
    for (const [t, c] of tf) {
      const id = body.vocab.get(t);
      const w = (c === 1 ? 1 : 1 + Math.log(c)) * (id !== undefined ? body.idfs[id]! : idf.get(t));
      norm += w * w;
      if (id !== undefined) {
        hdense[id] = w;
        hHas[id] = 1;
      }
    }
    if (norm > 0) {
      const sc = 1 / Math.sqrt(norm);
      for (let i = 0; i < hdense.length; i++) hdense[i]! *= sc;
    }
  }
  const d = new Float32Array(DENSE);
  const nSent = body.sentVecs.length;
  // Sentence similarities.
  let best = -1;
  let bestCos = 0;
  const top = [0, 0, 0];
  for (let s = 0; s < nSent; s++) {
    const c = dotId(hdense, body.sentVecs[s]!);
    if (c > bestCos) {
      bestCos = c;
      best = s;
    }
    if (c > top[2]!) {
      top[2] = c;
      top.sort((a, b) => b - a);
    }
  }
  d[0] = dotId(hdense, body.vec);
  d[1] = dotId(hdense, body.lead);
  d[2] = bestCos;
  d[3] = (top[0]! + top[1]! + top[2]!) / 3;
  d[4] = nSent > 0 ? dotId(hdense, body.sentVecs[0]!) : 0;
  // Term overlap.
  let matched = 0;
  let idfAll = 0;
  let idfMatched = 0;
  let leadMatched = 0;
  for (const t of hset) {
    const id = body.vocab.get(t);
    const w = id !== undefined ? body.idfs[id]! : idf.get(t);
    idfAll += w;
    if (id !== undefined) {
      matched++;
      idfMatched += w;
      if (body.leadHas[id]) leadMatched++;
    }
  }
  d[5] = hset.size ? matched / hset.size : 0;
  d[6] = idfAll ? idfMatched / idfAll : 0;
  d[7] = hset.size ? leadMatched / hset.size : 0;
  let bg = 0;
  let nbg = 0;
  for (let i = 1; i < hterms.length; i++) {
    nbg++;
    const x = body.vocab.get(hterms[i - 1]!);
    const y = body.vocab.get(hterms[i]!);
    if (x !== undefined && y !== undefined && body.bigrams.has(x * 65536 + y)) bg++;
  }
  d[8] = nbg ? bg / nbg : 0;
  // Headline lexicon.
  let hRef = 0;
  let hHedge = 0;
  let hNeg = 0;
  for (const t of htoks) {
    if (REFUTE.has(t)) hRef++;
    if (HEDGE.has(t)) hHedge++;
    if (isNegation(t)) hNeg++;
  }
  d[9] = Math.min(hRef, 2) / 2;
  d[10] = Math.min(hHedge, 2) / 2;
  d[11] = Math.min(hNeg, 2) / 2;
  d[12] = headline.includes("?") ? 1 : 0;
  const nTok = body.tokens.length || 1;
  d[13] = Math.min(1, (body.refute.length * 100) / nTok / 2);
  d[14] = Math.min(1, (body.hedge.length * 100) / nTok / 5);
  d[15] = Math.min(1, (body.neg.length * 100) / nTok / 3);
  // Lexicon near matched headline terms.
  const m = new Uint8Array(body.tokens.length);
  let nm = 0;
  for (let i = 0; i < m.length; i++)
    if (body.ids[i]! >= 0 && hHas[body.ids[i]!]) {
      m[i] = 1;
      nm++;
    }
  const nearRef = countNear(body.refute, m);
  const nearHedge = countNear(body.hedge, m);
  const nearNeg = countNear(body.neg, m);
  d[16] = Math.log1p(nearRef) / 3;
  d[17] = Math.log1p(nearHedge) / 3;
  d[18] = Math.log1p(nearNeg) / 3;
  // Best-matching sentence lexicon and words.
  const feats: string[] = [];
  let bRef = 0;
  let bHedge = 0;
  let bNeg = 0;
  if (best >= 0) {
    const a = body.sentStart[best]!;
    const b = Math.min(body.sentStart[best + 1]!, a + 60);
    for (let i = a; i < b; i++) {
      const t = body.tokens[i]!;
      if (REFUTE.has(t)) {
        bRef++;
        feats.push("bs.ref:" + t);
      }
      if (HEDGE.has(t)) {
        bHedge++;
        feats.push("bs.hedge:" + t);
      }
      if (isNegation(t)) bNeg++;
    }
  }
  d[19] = Math.min(bRef, 2) / 2;
  d[20] = Math.min(bHedge, 2) / 2;
  d[21] = Math.min(bNeg, 2) / 2;
  d[22] = (hRef + body.refute.length) % 2;
  d[23] = (hNeg + bNeg) % 2;
  d[24] = Math.min(htoks.length, 30) / 30;
  d[25] = Math.log1p(body.tokens.length) / 8;
  d[26] = bestCos * bestCos;
  d[27] = matched === 0 ? 1 : 0;
  d[28] = nm ? Math.min(1, nearRef / Math.sqrt(nm)) : 0;
  d[29] = nm ? Math.min(1, nearHedge / Math.sqrt(nm)) : 0;
  d[30] = best >= 0 && nSent > 1 ? best / (nSent - 1) : 0;
  d[31] = Math.min(matched, 10) / 10;
  // Round 9: body style, the disagreed-with score split by whether the headline itself refutes (a debunking
  // body agrees with "… is a hoax" and disagrees with the claim stated plainly). claim-stance overwrites [32, 40).
  if (body.style) {
    const dis = body.style[0]!;
    d[32] = dis;
    d[33] = hRef ? dis : 0;
    d[34] = hRef ? 0 : dis;
    d[35] = body.style[1]!;
  }
  // Hashed: lexicon words (headline, best sentence, lead), crossed with the overlap level. No word-identity
  // features of the headline or body: FNC-1's hold-out split shares its headlines with training, where such
  // features memorise each claim's stance (hold-out fncScore 0.890 with them, 0.838 without), but on claims
  // and bodies never seen in training they lose (topic-disjoint CV on train, README): disagree F1 0.06 with
  // them, 0.22 without.
  const simBin = d[6]! < 0.2 ? "lo" : d[6]! < 0.5 ? "mid" : "hi";
  for (const t of htoks)
    if (REFUTE.has(t) || HEDGE.has(t) || isNegation(t)) feats.push(`hlex:${t}|${simBin}`);
  // The lead's first two sentences: a debunking or hedged opening sets the body's stance.
  const leadEnd = body.sentStart[Math.min(2, nSent)]!;
  for (let i = 0; i < leadEnd; i++) {
    const t = body.tokens[i]!;
    if (REFUTE.has(t)) feats.push("lead.ref:" + t);
    if (HEDGE.has(t)) feats.push("lead.hedge:" + t);
  }
  if (nearRef) feats.push("x:nearref|" + simBin + "|" + (hRef ? "href" : "-"));
  if (nearHedge) feats.push("x:nearhedge|" + simBin + "|" + (hHedge ? "hhedge" : "-"));
  feats.push(`x:sim|${simBin}|${Math.min(hRef, 1)}${Math.min(hHedge, 1)}${Math.min(hNeg, 1)}`);
  return assemble(d, feats);
}

/** Dense values plus hashed features (each hashed feature weighs 1/sqrt(#features) so long lists stay bounded). */
export function assemble(dense: Float32Array, feats: readonly string[], extra?: SparseVector): SparseVector {
  const acc = new Map<number, number>();
  const w = feats.length ? 1 / Math.sqrt(feats.length) : 0;
  for (const f of feats) {
    const i = hashIdx(f);
    acc.set(i, (acc.get(i) ?? 0) + w);
  }
  if (extra)
    for (let j = 0; j < extra.idx.length; j++)
      acc.set(extra.idx[j]!, (acc.get(extra.idx[j]!) ?? 0) + extra.val[j]!);
  let nd = 0;
  for (let i = 0; i < dense.length; i++) if (dense[i] !== 0) nd++;
  const idx = new Int32Array(nd + acc.size);
  const val = new Float32Array(nd + acc.size);
  let k = 0;
  for (let i = 0; i < dense.length; i++)
    if (dense[i] !== 0) {
      idx[k] = i;
      val[k++] = dense[i]!;
    }
  for (const [i, v] of acc) {
    idx[k] = i;
    val[k++] = v;
  }
  return { idx, val };
}
