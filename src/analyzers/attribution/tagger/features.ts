// Token features for the attribution tagger, computed over our own Doc tokenisation. Every template
// emits exactly one hashed index per token (a "none" value when it does not apply), so a document's
// features are one flat Int32Array of count * FEATURES_PER_TOKEN, viewed per token without copying.
import type { Doc } from "../../../doc/doc.js";
import { murmur3 } from "../../../learn/hashing.js";
import { POS } from "../../../nlp/wink.js";

/** Number of templates = hashed indices per token. */
export const FEATURES_PER_TOKEN = 40;

/** Cue-lexicon buckets: 0 = not a cue word; 1..4 = rising share of training occurrences inside a Cue span. */
export type CueLexicon = Record<string, number>;

/** A word counts as "a cue" for distance features at this bucket or above. */
export const CUE_BUCKET_STRONG = 2;

/** Buckets a word's cue ratio (cue occurrences / all occurrences in train). */
export function cueBucket(ratio: number): number {
  if (ratio >= 0.6) return 4;
  if (ratio >= 0.3) return 3;
  if (ratio >= 0.1) return 2;
  if (ratio > 0.02) return 1;
  return 0;
}

/** Derives the cue lexicon from training texts: norm -> bucket, for words seen >= minCount times in cues. */
export function buildCueLexicon(
  cueCounts: Map<string, number>,
  allCounts: Map<string, number>,
  minCount = 3,
): CueLexicon {
  const lex: CueLexicon = {};
  for (const [w, c] of [...cueCounts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (c < minCount) continue;
    const b = cueBucket(c / (allCounts.get(w) ?? c));
    if (b > 0) lex[w] = b;
  }
  return lex;
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x27d4eb2d, 0x9e3779b1) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const NONE = 0x5bd1e995;
const PROPN = POS.PROPN;
const PUNCT = POS.PUNCT;

/** Word shape of the surface form: X/x/d/other, runs collapsed, at most 5 symbols. */
export function wordShape(s: string): string {
  let out = "";
  let last = "";
  for (let i = 0; i < s.length && out.length < 5; i++) {
    const c = s.charCodeAt(i);
    const k = c >= 65 && c <= 90 ? "X" : c >= 97 && c <= 122 ? "x" : c >= 48 && c <= 57 ? "d" : s[i]!;
    if (k !== last) out += k;
    last = k;
  }
  return out;
}

/** Quote state of each token (over normalised norms, so “ ” and " are alike). */
export const QS_OUTSIDE = 0;
export const QS_INSIDE = 1;
export const QS_OPEN = 2;
export const QS_CLOSE = 3;
/** Outside, after a quote closed earlier in the same sentence ("“…,” said X"). */
export const QS_AFTER_QUOTE = 4;
/** Outside, before a quote opening later in the same sentence ("X said: “…”"). */
export const QS_BEFORE_QUOTE = 5;

/**
 * Quote states for tokens [a, b) of one paragraph: a quote mark toggles inside/outside, and every
 * paragraph starts outside (a quote continued in a new paragraph reopens with its own mark).
 */
export function quoteStates(doc: Doc, out: Uint8Array): void {
  const { norm, sentence, count } = doc.tokens;
  let inside = false;
  let para = -1;
  for (let i = 0; i < count; i++) {
    const p = doc.sentences[sentence[i]!]!.paragraph;
    if (p !== para) {
      para = p;
      inside = false;
    }
    const w = norm[i]!;
    if (w === '"' || w === "``" || w === "''") {
      out[i] = inside ? QS_CLOSE : QS_OPEN;
      inside = !inside;
    } else out[i] = inside ? QS_INSIDE : QS_OUTSIDE;
  }
  // Outside tokens: after a closed quote / before an opening quote in the same sentence.
  for (const s of doc.sentences) {
    let seenClose = false;
    for (let i = s.tokStart; i < s.tokEnd; i++) {
      if (out[i] === QS_CLOSE) seenClose = true;
      else if (out[i] === QS_OUTSIDE && seenClose) out[i] = QS_AFTER_QUOTE;
    }
    let seenOpen = false;
    for (let i = s.tokEnd - 1; i >= s.tokStart; i--) {
      if (out[i] === QS_OPEN) seenOpen = true;
      else if (out[i] === QS_OUTSIDE && seenOpen) out[i] = QS_BEFORE_QUOTE;
    }
  }
}

function distBucket(d: number): number {
  // d = cue position - token position; 99 = no cue in the sentence
  if (d === 99) return 99;
  const a = d < 0 ? -d : d;
  const b = a <= 3 ? a : a <= 6 ? 4 : a <= 12 ? 5 : 6;
  return d < 0 ? -b : b;
}

function posBucket(k: number): number {
  return k <= 2 ? k : k <= 5 ? 3 : k <= 10 ? 4 : 5;
}

export interface DocFeatures {
  /** count * FEATURES_PER_TOKEN hashed indices, already masked to the model's dim. */
  flat: Int32Array;
  /** Per-token views into flat. */
  perToken: Int32Array[];
  /** Cue-lexicon bucket per token. */
  cue: Uint8Array;
  /** Quote state per token. */
  quote: Uint8Array;
}

/** Computes the hashed features of every token of the Doc. */
export function docFeatures(doc: Doc, lexicon: CueLexicon, bits: number): DocFeatures {
  const n = doc.tokens.count;
  const { norm, pos, sentence, start, end } = doc.tokens;
  const mask = (1 << bits) - 1;
  const text = doc.text;
  const W = new Uint32Array(n);
  const cased = new Uint32Array(n);
  const suf3 = new Uint32Array(n);
  const suf2 = new Uint32Array(n);
  const shape = new Uint32Array(n);
  const cue = new Uint8Array(n);
  const ent = new Uint8Array(n);
  const quote = new Uint8Array(n);
  const dist = new Int8Array(n);
  const sentPos = new Uint8Array(n);
  const sentEnd = new Uint8Array(n);
  const sentFlags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const w = norm[i]!;
    W[i] = murmur3(w);
    const surface = text.slice(start[i]!, end[i]!);
    cased[i] = surface === w ? W[i]! : murmur3(surface);
    suf3[i] = w.length > 3 ? murmur3(w.slice(-3), 3) : NONE;
    suf2[i] = w.length > 2 ? murmur3(w.slice(-2), 2) : NONE;
    shape[i] = murmur3(wordShape(surface), 5);
    cue[i] = lexicon[w] ?? 0;
    const c0 = surface.charCodeAt(0);
    ent[i] = pos[i] === PROPN && c0 >= 65 && c0 <= 90 ? 1 : 0;
  }
  quoteStates(doc, quote);
  let prevPara = -1;
  for (const s of doc.sentences) {
    const paraStart = s.paragraph !== prevPara ? 1 : 0;
    prevPara = s.paragraph;
    let hasCue = 0;
    let hasQuote = 0;
    for (let i = s.tokStart; i < s.tokEnd; i++) {
      if (cue[i]! >= 3) hasCue = 1;
      if (quote[i] === QS_OPEN || quote[i] === QS_CLOSE || quote[i] === QS_INSIDE) hasQuote = 1;
    }
    const flags = paraStart | (hasCue << 1) | (hasQuote << 2);
    // nearest strong cue word: two sweeps
    let last = -1;
    for (let i = s.tokStart; i < s.tokEnd; i++) {
      if (cue[i]! >= CUE_BUCKET_STRONG) last = i;
      dist[i] = last < 0 ? 99 : distBucket(last - i);
    }
    last = -1;
    for (let i = s.tokEnd - 1; i >= s.tokStart; i--) {
      if (cue[i]! >= CUE_BUCKET_STRONG) last = i;
      if (last >= 0) {
        const d = distBucket(last - i);
        const cur = dist[i]!;
        if (cur === 99 || Math.abs(d) < Math.abs(cur)) dist[i] = d;
      }
    }
    let lastWord = s.tokEnd - 1;
    while (lastWord > s.tokStart && pos[lastWord] === PUNCT) lastWord--;
    for (let i = s.tokStart; i < s.tokEnd; i++) {
      sentPos[i] = posBucket(i - s.tokStart);
      sentEnd[i] = i > lastWord ? 9 : posBucket(lastWord - i);
      sentFlags[i] = flags | (i === s.tokStart && paraStart ? 8 : 0);
    }
  }
  const F = FEATURES_PER_TOKEN;
  const flat = new Int32Array(n * F);
  const perToken: Int32Array[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const para = doc.sentences[sentence[i]!]!.paragraph;
    const inPara = (j: number) => j >= 0 && j < n && doc.sentences[sentence[j]!]!.paragraph === para;
    const hasM1 = inPara(i - 1);
    const hasM2 = hasM1 && inPara(i - 2);
    const hasP1 = inPara(i + 1);
    const hasP2 = hasP1 && inPara(i + 2);
    const wm1 = hasM1 ? W[i - 1]! : NONE;
    const wm2 = hasM2 ? W[i - 2]! : NONE + 1;
    const wp1 = hasP1 ? W[i + 1]! : NONE + 2;
    const wp2 = hasP2 ? W[i + 2]! : NONE + 3;
    const p0 = pos[i]!;
    const pm1 = hasM1 ? pos[i - 1]! : 100;
    const pm2 = hasM2 ? pos[i - 2]! : 101;
    const pp1 = hasP1 ? pos[i + 1]! : 102;
    const pp2 = hasP2 ? pos[i + 2]! : 103;
    const cm1 = hasM1 ? cue[i - 1]! : 9;
    const cp1 = hasP1 ? cue[i + 1]! : 9;
    const em1 = hasM1 ? ent[i - 1]! : 2;
    const ep1 = hasP1 ? ent[i + 1]! : 2;
    const q = quote[i]!;
    const d = dist[i]! + 128;
    const w0 = W[i]!;
    const o = i * F;
    let k = 0;
    const put = (h: number) => {
      flat[o + k] = h & mask;
      k++;
    };
    put(mix(0, 1));
    put(mix(1, w0));
    put(mix(2, wm1));
    put(mix(3, wp1));
    put(mix(4, wm2));
    put(mix(5, wp2));
    put(mix(mix(6, wm1), w0));
    put(mix(mix(7, w0), wp1));
    put(mix(8, cased[i]!));
    put(mix(9, suf3[i]!));
    put(mix(10, suf2[i]!));
    put(mix(11, shape[i]!));
    put(mix(12, p0));
    put(mix(13, pm1));
    put(mix(14, pp1));
    put(mix(15, pm2));
    put(mix(16, pp2));
    put(mix(17, pm1 * 256 + p0));
    put(mix(18, p0 * 256 + pp1));
    put(mix(19, (pm1 * 256 + p0) * 256 + pp1));
    put(mix(20, cue[i]!));
    put(mix(21, cm1));
    put(mix(22, cp1));
    put(mix(23, cue[i]! * 256 + p0));
    put(mix(24, q));
    put(mix(25, q * 256 + p0));
    put(mix(mix(26, q), w0));
    put(mix(27, q * 256 + d));
    put(mix(28, d));
    put(mix(29, d * 256 + p0));
    put(mix(30, d * 4 + ent[i]!));
    put(mix(31, ent[i]!));
    put(mix(32, (em1 * 4 + ent[i]!) * 4 + ep1));
    put(mix(33, sentPos[i]!));
    put(mix(34, sentEnd[i]!));
    put(mix(35, sentFlags[i]! * 16 + q));
    put(mix(36, (sentFlags[i]! & 1) * 16 + sentPos[i]!));
    put(mix(mix(37, d), w0));
    put(mix(38, cm1 * 16 + cue[i]! * 4 + (hasP1 ? Math.min(cp1, 3) : 3)));
    put(mix(mix(39, wm1), cue[i]!));
    perToken[i] = flat.subarray(o, o + F);
  }
  return { flat, perToken, cue, quote };
}
