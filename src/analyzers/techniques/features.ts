// Token and span features for the techniques models. Hot path: every token string is hashed once
// (murmur3, cached), and feature indices are integer mixes of a template id with those hashes, so
// feature extraction allocates one Int32Array per token and no strings.
import { normTypes, type Doc } from "../../doc/doc.js";
import type { FeatureBuffer } from "../../learn/feature-buffer.js";
import { fmix32 as fmix, murmur3 } from "../../learn/hashing.js";
import { POS } from "../../nlp/wink.js";
import { TECHNIQUES } from "../../schema/analysis.js";
import type { ClusterSource } from "../../learn/word-clusters.js";

export const NT = TECHNIQUES.length;

/** Feature index of (template, a, b). */
export function mix(t: number, a: number, b = 0): number {
  return fmix(Math.imul(t + 1, 0x9e3779b1) ^ a ^ Math.imul(b + 0x165667b1, 0x27d4eb2f));
}

/**
 * mix() as a signed 32-bit integer: the same 32 bits (so the same index after masking or in an Int32Array), but
 * a call that V8 does not inline returns a small integer instead of allocating a heap number for values >= 2^31.
 */
export function mixI(t: number, a: number, b = 0): number {
  let h = Math.imul(t + 1, 0x9e3779b1) ^ a ^ Math.imul(b + 0x165667b1, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A crude lemma: strips common English inflections ("attacks" -> "attack", "claimed" -> "claim"). */
export function lemmaish(w: string): string {
  const n = w.length;
  if (n <= 3) return w;
  if (w.endsWith("ies") && n > 4) return w.slice(0, -3) + "y";
  if (w.endsWith("ing") && n > 5) return w.slice(0, -3);
  if (w.endsWith("ed") && n > 4) return w.slice(0, -2);
  if (w.endsWith("ly") && n > 5) return w.slice(0, -2);
  if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) return w.slice(0, -1);
  return w;
}

/** Which cluster features the models read (saved in the model file as `clusters`). */
export interface ClusterConfig {
  /** Bit set of token-feature templates (CLUSTER_TEMPLATES). */
  tag: number;
  /** Granularity index of the span classifier's bag of clusters (-1 = none). */
  cls: number;
  /** Granularity indices: finest (`fine`) and middle (`mid`). */
  fine: number;
  mid: number;
}

export interface ClusterUse {
  src: ClusterSource;
  cfg: ClusterConfig;
}

/**
 * Token-feature templates over cluster ids (bits of ClusterConfig.tag). The bit values are stored in model
 * files; the templates tried and not adopted in round 4 (bigrams, ±2 neighbours, × sentence probability,
 * × lexicon bucket, lexicon backoff, window maximum: see the model card) were removed.
 */
export const CLUSTER_TEMPLATES = {
  /** The token's cluster at every granularity. */
  w0: 1,
  /** The neighbours' (±1) clusters at the middle granularity. */
  pm1: 2,
  /** The cluster lexicon's score of the token's cluster (bucketed), alone and × the word lexicon bucket. */
  clex: 64,
} as const;

/** Number of cluster features per token for a configuration. */
export function clusterFeatureCount(cfg: ClusterConfig | undefined, granularities: number): number {
  if (!cfg) return 0;
  const T = CLUSTER_TEMPLATES;
  let n = 0;
  if (cfg.tag & T.w0) n += granularities;
  if (cfg.tag & T.pm1) n += 2;
  if (cfg.tag & T.clex) n += 2;
  return n;
}

/**
 * Word log-odds lexicon derived from labelled spans: for a word w and technique t,
 * log odds(token in a t-span | w) - log odds(token in a t-span), smoothed towards 0 for rare words.
 * Column 0 is "inside any technique span".
 */
export class Lexicon {
  /** Word clusters read by the token, sentence and span features (none: the features are left out). */
  clusters?: ClusterUse;
  /**
   * Cluster lexicon: log-odds of lying in any span for the words of each cluster at the fine granularity
   * (index = cluster id), like column 0 of the word lexicon; generalises it to rare and unseen words.
   */
  clusterScores?: Float32Array;

  /** Computes `clusterScores` from the training spans (the clusters must be set). */
  buildClusterScores(
    docs: readonly { doc: Doc; spans: readonly { start: number; end: number }[] }[],
    alpha = 4,
  ): void {
    const cu = this.clusters;
    if (!cu) return;
    const g = cu.cfg.fine;
    const size = cu.src.granularities[g]!;
    const tot = new Float64Array(size);
    const ins = new Float64Array(size);
    let all = 0;
    let inAll = 0;
    const keyIds = new Map<string, number>();
    for (const { doc, spans } of docs) {
      const { start, end, norm, count, pos } = doc.tokens;
      const sorted = [...spans].sort((a, b) => a.start - b.start);
      for (let i = 0; i < count; i++) {
        if (pos[i] === POS.PUNCT) continue;
        const w = norm[i]!;
        let c = keyIds.get(w);
        if (c === undefined) {
          const ids = cu.src.idsOf(cu.src.key(w));
          c = ids ? ids[g]! : -1;
          keyIds.set(w, c);
        }
        let inside = false;
        for (const sp of sorted) {
          if (sp.start >= end[i]!) break;
          if (sp.end > start[i]!) {
            inside = true;
            break;
          }
        }
        all++;
        if (inside) inAll++;
        if (c < 0) continue;
        tot[c]! += 1;
        if (inside) ins[c]! += 1;
      }
    }
    const p = Math.min(0.999, Math.max(1e-4, inAll / Math.max(1, all)));
    const out = new Float32Array(size);
    for (let c = 0; c < size; c++) {
      const lo =
        Math.log((ins[c]! + alpha * p) / (tot[c]! - ins[c]! + alpha * (1 - p))) - Math.log(p / (1 - p));
      out[c] = Math.round(lo * 100) / 100;
    }
    this.clusterScores = out;
  }

  constructor(readonly scores: Map<string, Float32Array>) {}

  get(w: string): Float32Array | undefined {
    return this.scores.get(w);
  }

  static build(
    docs: readonly { doc: Doc; spans: readonly { technique: string; start: number; end: number }[] }[],
    alpha = 4,
    minCount = 2,
  ): Lexicon {
    const techIndex = new Map<string, number>(TECHNIQUES.map((t, i) => [t, i + 1]));
    const total = new Map<string, number>();
    const inside = new Map<string, Float64Array>();
    const N = new Float64Array(NT + 1);
    let all = 0;
    const mark = new Uint8Array(NT + 1);
    for (const { doc, spans } of docs) {
      const { start, end, norm, count } = doc.tokens;
      const sorted = [...spans].sort((a, b) => a.start - b.start);
      for (let i = 0; i < count; i++) {
        if (doc.tokens.pos[i] === POS.PUNCT) continue;
        mark.fill(0);
        for (const s of sorted) {
          if (s.start >= end[i]!) break;
          if (s.end > start[i]!) {
            mark[0] = 1;
            mark[techIndex.get(s.technique) ?? 1] = 1;
          }
        }
        const w = norm[i]!;
        total.set(w, (total.get(w) ?? 0) + 1);
        all++;
        let row = inside.get(w);
        if (!row) inside.set(w, (row = new Float64Array(NT + 1)));
        for (let t = 0; t <= NT; t++)
          if (mark[t]) {
            row[t]! += 1;
            N[t]! += 1;
          }
      }
    }
    const scores = new Map<string, Float32Array>();
    for (const [w, c] of total) {
      if (c < minCount) continue;
      const row = inside.get(w)!;
      const out = new Float32Array(NT + 1);
      for (let t = 0; t <= NT; t++) {
        const p = Math.min(0.999, Math.max(1e-4, N[t]! / all));
        const lo = Math.log((row[t]! + alpha * p) / (c - row[t]! + alpha * (1 - p))) - Math.log(p / (1 - p));
        out[t] = Math.round(lo * 100) / 100;
      }
      scores.set(w, out);
    }
    return new Lexicon(scores);
  }

  /** Compact JSON: word -> column-0 score plus technique columns above 0.5. */
  toJSON(): Record<string, number[]> {
    const o: Record<string, number[]> = {};
    for (const [w, s] of [...this.scores].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (Math.abs(s[0]!) < 0.15 && s.every((v) => v < 0.5)) continue;
      const row = [s[0]!];
      for (let t = 1; t <= NT; t++) if (s[t]! >= 0.5) row.push(t, s[t]!);
      o[w] = row;
    }
    return o;
  }

  static fromJSON(o: Record<string, number[]>): Lexicon {
    const m = new Map<string, Float32Array>();
    for (const [w, row] of Object.entries(o)) {
      const s = new Float32Array(NT + 1);
      s[0] = row[0]!;
      for (let k = 1; k + 1 < row.length; k += 2) s[row[k]!] = row[k + 1]!;
      m.set(w, s);
    }
    return new Lexicon(m);
  }
}

function bucket(x: number): number {
  if (x < -1) return 0;
  if (x < -0.3) return 1;
  if (x < 0.3) return 2;
  if (x < 0.8) return 3;
  if (x < 1.5) return 4;
  if (x < 2.5) return 5;
  return 6;
}

/** " “ ” « » */
function isQuote(c: number): boolean {
  return c === 34 || c === 0x201c || c === 0x201d || c === 0xab || c === 0xbb;
}
function isAllCaps(text: string, a: number, b: number): boolean {
  for (let k = a; k < b; k++) {
    const c = text.charCodeAt(k);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/** Per-token precomputation shared by the tagger and the span classifier. */
export interface TokenInfo {
  hw: Int32Array;
  hl: Int32Array;
  /** Hash of the last three characters. */
  suf: Int32Array;
  /** Any-technique lexicon score (0 when unknown). */
  lex: Float32Array;
  /** Best technique column (1..NT, 0 none) and its score. */
  lexBest: Uint8Array;
  lexBestScore: Float32Array;
  inQuote: Uint8Array;
  /** How often the token's word occurs in the document (content words only, else 0). */
  freq: Int32Array;
  /** The token's lexicon row (undefined when the word is not in the lexicon). */
  lexRow: (Float32Array | undefined)[];
  /**
   * With word clusters: token i's cluster id + 1 at granularity g is cl[i * G + g] (0 = unknown word), and
   * the clusters in use.
   */
  cl?: Int32Array;
  clusters?: ClusterUse;
  /** The lexicon's cluster scores (Lexicon.clusterScores). */
  clusterScores?: Float32Array;
}

const FUNCTION_POS = new Set<number>([
  POS.ADP,
  POS.DET,
  POS.PUNCT,
  POS.CCONJ,
  POS.SCONJ,
  POS.AUX,
  POS.PART,
  POS.PRON,
  POS.SPACE,
]);

/** Everything about a word form that does not depend on its context, computed once per form. */
interface WordRec {
  hw: number;
  hl: number;
  suf: number;
  lex: number;
  lexBest: number;
  lexBestScore: number;
  content: boolean;
  row: Float32Array | undefined;
  /** Cluster id + 1 per granularity (0 = unknown), with word clusters. */
  cl?: Int32Array;
}

/**
 * WordRec numbers per (process-wide word id * 2 + function-POS flag), reset with the vocabulary generation. The
 * records themselves are not kept (nor a second, string-keyed cache of them): the flat rows below hold all that
 * is read, and a record per word of a long-running worker's vocabulary cost tens of MB of heap.
 */
const WORD_ID_CACHE = new WeakMap<
  Lexicon,
  {
    generation: number;
    /** With word clusters: each slot's cluster ids (its record's `cl`), G per slot, in one flat array. */
    cl: Int32Array;
    /**
     * Each slot's record as numbers, SLOT_WIDTH per slot in one cache line (no object or boxed-number reads per
     * token): hw, hl, suf, lex (float32), lexBest, lexBestScore (float32), content, filled.
     */
    data: Int32Array;
    f32: Float32Array;
    /** Each slot's lexicon row (the record's `row`). */
    rows: (Float32Array | undefined)[];
  }
>();
const SLOT_WIDTH = 8;

const IS_FUNCTION_POS = new Uint8Array(256);
for (const p of FUNCTION_POS) IS_FUNCTION_POS[p] = 1;

function wordRec(lexicon: Lexicon, w: string, p: number): WordRec {
  const fn = IS_FUNCTION_POS[p] === 1;
  const s = lexicon.get(w);
  let best = 0;
  let bs = 0.5;
  if (s)
    for (let t = 1; t <= NT; t++)
      if (s[t]! > bs) {
        bs = s[t]!;
        best = t;
      }
  const r: WordRec = {
    hw: murmur3(w) | 0,
    hl: murmur3(lemmaish(w)) | 0,
    suf: murmur3(w.slice(-3)) | 0,
    lex: s ? s[0]! : 0,
    lexBest: best,
    lexBestScore: best ? bs : 0,
    content: !fn && w.length > 2,
    row: s,
    // Set below with word clusters; present from the start so every record has the same shape.
    cl: undefined,
  };
  const cu = lexicon.clusters;
  if (cu) {
    const G = cu.src.granularities.length;
    const ids = cu.src.idsOf(cu.src.key(w));
    const cl = new Int32Array(G);
    if (ids) for (let g = 0; g < G; g++) cl[g] = ids[g]! + 1;
    r.cl = cl;
  }
  return r;
}

export function tokenInfo(doc: Doc, lexicon: Lexicon): TokenInfo {
  const { count, pos, start } = doc.tokens;
  const hw = new Int32Array(count);
  const hl = new Int32Array(count);
  const suf = new Int32Array(count);
  const lex = new Float32Array(count);
  const lexBest = new Uint8Array(count);
  const lexBestScore = new Float32Array(count);
  const inQuote = new Uint8Array(count);
  const freq = new Int32Array(count);
  const counts = new Map<number, number>();
  const lexRow = new Array<Float32Array | undefined>(count);
  // Each (word, function-POS or not) is looked up once per process by its process-wide word id (see normTypes).
  const { types, typeOf, vocabId, generation } = normTypes(doc);
  let byId = WORD_ID_CACHE.get(lexicon);
  if (!byId || byId.generation !== generation) {
    byId = {
      generation,
      cl: new Int32Array(0),
      data: new Int32Array(0),
      f32: new Float32Array(0),
      rows: [],
    };
    WORD_ID_CACHE.set(lexicon, byId);
  }
  const rows = byId.rows;
  // Grown densely (no holes), so the array keeps V8's fast elements; its length is the number of slots.
  for (let k = 0; k < vocabId.length; k++) while (rows.length < vocabId[k]! * 2 + 2) rows.push(undefined);
  const slots = rows.length;
  if (byId.data.length < slots * SLOT_WIDTH) {
    const grown = new Int32Array(Math.max(slots * SLOT_WIDTH, byId.data.length * 2));
    grown.set(byId.data);
    byId.data = grown;
    byId.f32 = new Float32Array(grown.buffer);
  }
  const D = byId.data;
  const DF = byId.f32;
  const cu = lexicon.clusters;
  const G = cu ? cu.src.granularities.length : 0;
  const cl = cu ? new Int32Array(count * G) : undefined;
  // The slots' cluster ids in one flat array (a record's own small array is a pointer chase per token).
  if (cu && byId.cl.length < slots * G) {
    const grown = new Int32Array(Math.max(slots * G, byId.cl.length * 2));
    grown.set(byId.cl);
    byId.cl = grown;
  }
  const slotCl = byId.cl;
  for (let i = 0; i < count; i++) {
    const slot = vocabId[typeOf[i]!]! * 2 + IS_FUNCTION_POS[pos[i]!]!;
    const o8 = slot * SLOT_WIDTH;
    if (D[o8 + 7] === 0) {
      const r = wordRec(lexicon, types[typeOf[i]!]!, pos[i]!);
      D[o8] = r.hw;
      D[o8 + 1] = r.hl;
      D[o8 + 2] = r.suf;
      DF[o8 + 3] = r.lex;
      D[o8 + 4] = r.lexBest;
      DF[o8 + 5] = r.lexBestScore;
      D[o8 + 6] = r.content ? 1 : 0;
      D[o8 + 7] = 1;
      rows[slot] = r.row;
      if (cl) for (let g = 0; g < G; g++) slotCl[slot * G + g] = r.cl![g]!;
    }
    if (cl) for (let g = 0, o = i * G, so = slot * G; g < G; g++) cl[o + g] = slotCl[so + g]!;
    const h = D[o8]!;
    hw[i] = h;
    hl[i] = D[o8 + 1]!;
    suf[i] = D[o8 + 2]!;
    lex[i] = DF[o8 + 3]!;
    lexBest[i] = D[o8 + 4]!;
    lexBestScore[i] = DF[o8 + 5]!;
    lexRow[i] = rows[slot];
    if (D[o8 + 6]) counts.set(h, (counts.get(h) ?? 0) + 1);
  }
  for (let i = 0; i < count; i++) freq[i] = counts.get(hw[i]!) ?? 0;
  // Quote state per sentence: toggled by straight quotes, opened/closed by curly ones.
  let q = 0;
  let sent = -1;
  for (let i = 0; i < count; i++) {
    if (doc.tokens.sentence[i] !== sent) {
      sent = doc.tokens.sentence[i]!;
      q = 0;
    }
    const c = doc.text.charCodeAt(start[i]!);
    if (isQuote(c) && doc.tokens.end[i]! - start[i]! === 1) {
      q = c === 0x201c ? 1 : c === 0x201d ? 0 : q ^ 1;
      inQuote[i] = 1;
      continue;
    }
    inQuote[i] = q;
  }
  return {
    hw,
    hl,
    suf,
    lex,
    lexBest,
    lexBestScore,
    inQuote,
    freq,
    lexRow,
    cl,
    clusters: cu,
    clusterScores: lexicon.clusterScores,
  };
}

// Template ids for token features.
const enum F {
  Bias,
  W0,
  Wm1,
  Wp1,
  Wm2,
  Wp2,
  Bi0,
  Bi1,
  L0,
  Shape,
  Suf3,
  P0,
  Pm1P0,
  P0Pp1,
  Pm1,
  Pp1,
  Lex0,
  Lexm1,
  Lexp1,
  LexBest,
  LexPos,
  SentExcl,
  SentCaps,
  SentQuote,
  InQuote,
  SentLex,
  SentLexMax,
  SentFirst,
  SentLast,
  Headline,
  SentLen,
  Caps,
  SentQ,
  Freq,
  WinLex,
  LexBestWin,
  Pos2Sent,
  SentProb,
  SentProbLex,
  Cl0,
  ClM1 = Cl0 + 16,
  ClP1,
  // Numbers are hashed into the shipped model: the removed round-4 templates' ids stay unused.
  ClScore = Cl0 + 24,
  ClScoreLex,
}

/** Shape class: 0 lower, 1 Capitalised, 2 ALLCAPS, 3 digits, 4 punctuation, 5 mixed. */
function shapeClass(text: string, a: number, b: number): number {
  const c0 = text.charCodeAt(a);
  let upper = 0;
  let lower = 0;
  let digit = 0;
  for (let k = a; k < b; k++) {
    const c = text.charCodeAt(k);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else if (c >= 48 && c <= 57) digit++;
  }
  if (digit && !upper && !lower) return 3;
  if (!upper && !lower) return 4;
  if (upper >= 2 && !lower) return 2;
  if (c0 >= 65 && c0 <= 90) return 1;
  if (lower && !upper) return 0;
  return 5;
}

/** Sentence-level cues used by both models. */
export interface SentenceCues {
  excl: Uint8Array;
  caps: Uint8Array;
  quote: Uint8Array;
  question: Uint8Array;
  /** Mean positive lexicon score over the sentence's words, bucketed. */
  lexDensity: Uint8Array;
  lexMax: Uint8Array;
  /** P(sentence holds a propaganda span) from the sentence classifier, in tenths (0..9); 10 = none. */
  prob: Uint8Array;
}

export function sentenceCues(doc: Doc, info: TokenInfo): SentenceCues {
  const S = doc.sentences.length;
  const excl = new Uint8Array(S);
  const caps = new Uint8Array(S);
  const quote = new Uint8Array(S);
  const question = new Uint8Array(S);
  const lexDensity = new Uint8Array(S);
  const lexMax = new Uint8Array(S);
  const { start, end } = doc.tokens;
  for (let s = 0; s < S; s++) {
    const sent = doc.sentences[s]!;
    let sum = 0;
    let max = 0;
    let n = 0;
    for (let i = sent.tokStart; i < sent.tokEnd; i++) {
      const a = start[i]!;
      const b = end[i]!;
      const c = doc.text.charCodeAt(a);
      if (b - a === 1) {
        if (c === 33) excl[s] = 1;
        else if (c === 63) question[s] = 1;
        else if (isQuote(c)) quote[s] = 1;
      } else if (b - a >= 3 && c >= 65 && c <= 90 && isAllCaps(doc.text, a, b)) caps[s] = 1;
      const l = info.lex[i]!;
      if (l > 0) sum += l;
      if (l > max) max = l;
      n++;
    }
    lexDensity[s] = bucket(n ? (sum / n) * 3 : 0);
    lexMax[s] = bucket(max);
  }
  return { excl, caps, quote, question, lexDensity, lexMax, prob: new Uint8Array(S).fill(10) };
}

/** Number of tagger features per token without word clusters. */
export const TOKEN_FEATURES = 30;

/** Number of tagger features per token (every token has exactly this many): 30 + the cluster features. */
export function featuresPerToken(info: TokenInfo): number {
  const cu = info.clusters;
  return TOKEN_FEATURES + (cu ? clusterFeatureCount(cu.cfg, cu.src.granularities.length) : 0);
}

/**
 * Hashed tagger features, flat: token i's features are out[i * TOKEN_FEATURES ...] (indices already
 * masked to `mask`).
 */
export function tokenFeatures(
  doc: Doc,
  info: TokenInfo,
  cues: SentenceCues,
  mask: number,
  /** Sentences whose tokens are left without features (all zeros), when given. */
  skip?: Uint8Array,
  /** Written into when large enough (a view of it is returned); rows of skipped sentences are then stale. */
  scratch?: Int32Array,
): Int32Array {
  const { count, pos, start, end, sentence } = doc.tokens;
  const { hw, hl, lex, lexBest } = info;
  const K = featuresPerToken(info);
  const cu = info.clusters;
  const cl = info.cl;
  const G = cu ? cu.src.granularities.length : 0;
  const T = CLUSTER_TEMPLATES;
  const tag = cu ? cu.cfg.tag : 0;
  const fine = cu ? cu.cfg.fine : 0;
  const mid = cu ? cu.cfg.mid : 0;
  const cs = info.clusterScores;
  const size = count * K;
  const out = scratch && scratch.length >= size ? scratch.subarray(0, size) : new Int32Array(size);
  for (let i = 0; i < count; i++) {
    const s = sentence[i]!;
    if (skip && skip[s]) continue;
    const sent = doc.sentences[s]!;
    const first = i === sent.tokStart;
    const last = i === sent.tokEnd - 1;
    const hasPrev = i > sent.tokStart;
    const hasNext = i + 1 < sent.tokEnd;
    const wPrev = hasPrev ? hw[i - 1]! : 1;
    const wNext = hasNext ? hw[i + 1]! : 2;
    const pPrev = hasPrev ? pos[i - 1]! : 99;
    const pNext = hasNext ? pos[i + 1]! : 98;
    const a = start[i]!;
    const b = end[i]!;
    const lb = bucket(lex[i]!);
    let winMax = -9;
    let winBest = 0;
    for (let k = Math.max(sent.tokStart, i - 3); k < Math.min(sent.tokEnd, i + 4); k++) {
      if (lex[k]! > winMax) winMax = lex[k]!;
      if (lexBest[k] && !winBest) winBest = lexBest[k]!;
    }
    const buf = out;
    let n = i * K;
    buf[n++] = mixI(F.Bias, 0);
    buf[n++] = mixI(F.W0, hw[i]!);
    buf[n++] = mixI(F.Wm1, wPrev);
    buf[n++] = mixI(F.Wp1, wNext);
    buf[n++] = mixI(F.Wm2, i - 2 >= sent.tokStart ? hw[i - 2]! : 3);
    buf[n++] = mixI(F.Wp2, i + 2 < sent.tokEnd ? hw[i + 2]! : 4);
    buf[n++] = mixI(F.Bi0, wPrev, hw[i]!);
    buf[n++] = mixI(F.Bi1, hw[i]!, wNext);
    buf[n++] = mixI(F.L0, hl[i]!);
    const sc = shapeClass(doc.text, a, b);
    buf[n++] = mixI(F.Shape, sc, b - a > 6 ? 7 : b - a);
    buf[n++] = mixI(F.Suf3, info.suf[i]!);
    buf[n++] = mixI(F.P0, pos[i]!);
    buf[n++] = mixI(F.Pm1P0, pPrev, pos[i]!);
    buf[n++] = mixI(F.P0Pp1, pos[i]!, pNext);
    buf[n++] = mixI(F.Lex0, lb);
    buf[n++] = mixI(F.LexBest, lexBest[i]!);
    buf[n++] = mixI(F.WinLex, bucket(winMax));
    buf[n++] = mixI(F.LexBestWin, winBest);
    buf[n++] = mixI(F.SentExcl, cues.excl[s]!);
    buf[n++] = mixI(F.SentCaps, cues.caps[s]!);
    buf[n++] = mixI(F.SentQuote, cues.quote[s]!);
    buf[n++] = mixI(F.InQuote, info.inQuote[i]!);
    buf[n++] = mixI(F.SentLex, cues.lexDensity[s]!);
    buf[n++] = mixI(F.SentLexMax, cues.lexMax[s]!);
    buf[n++] = mixI(F.SentProb, cues.prob[s]!);
    buf[n++] = mixI(F.SentProbLex, cues.prob[s]!, lb);
    buf[n++] = mixI(F.SentFirst, first ? 1 : 0, pos[i]!);
    buf[n++] = mixI(F.SentLast, last ? 1 : 0, pos[i]!);
    const len = sent.tokEnd - sent.tokStart;
    buf[n++] = mixI(F.SentLen, len < 6 ? 0 : len < 12 ? 1 : len < 25 ? 2 : len < 40 ? 3 : 4);
    const f = info.freq[i]!;
    buf[n++] = mixI(F.Freq, f < 2 ? 0 : f < 3 ? 1 : f < 5 ? 2 : 3);
    if (cl) {
      const at = i * G;
      if (tag & T.w0) for (let g = 0; g < G; g++) buf[n++] = mixI(F.Cl0 + g, cl[at + g]!);
      if (tag & T.pm1) {
        buf[n++] = mixI(F.ClM1, hasPrev ? cl[at - G + mid]! : -1);
        buf[n++] = mixI(F.ClP1, hasNext ? cl[at + G + mid]! : -2);
      }
      if (tag & T.clex) {
        const k = cl[at + fine]!;
        const cb = cs && k ? bucket(cs[k - 1]!) : 7;
        buf[n++] = mixI(F.ClScore, cb);
        buf[n++] = mixI(F.ClScoreLex, cb, lb);
      }
    }
    for (let k = i * K; k < n; k++) buf[k] = buf[k]! & mask;
  }
  return out;
}

/** Hashed bag-of-words features of sentence s for the sentence-level classifier. */
export function sentenceFeatures(
  doc: Doc,
  info: TokenInfo,
  cues: SentenceCues,
  s: number,
  buf: FeatureBuffer,
): void {
  const sent = doc.sentences[s]!;
  // Lexicon-free on purpose: the lexicon features are cross-fitted separately.
  const { hw, hl } = info;
  buf.push(mixI(200, 0), 1);
  for (let i = sent.tokStart; i < sent.tokEnd; i++) {
    buf.push(mixI(201, hw[i]!), 1);
    buf.push(mixI(202, hl[i]!), 0.5);
    if (i + 1 < sent.tokEnd) buf.push(mixI(203, hw[i]!, hw[i + 1]!), 0.5);
  }
  const len = sent.tokEnd - sent.tokStart;
  buf.push(mixI(204, len < 6 ? 0 : len < 12 ? 1 : len < 25 ? 2 : len < 40 ? 3 : 4), 1);
  buf.push(mixI(205, cues.excl[s]!, cues.question[s]!), 1);
  buf.push(mixI(206, cues.caps[s]!, cues.quote[s]!), 1);
}
