// Sentence features for check-worthiness, computed from a Doc's flat token arrays: hashed word
// uni/bigrams, character 4-grams, POS uni/bigrams, quantity types (dates, numbers, money, percent),
// proper-noun and number counts, distributional word classes (models/word-clusters), and the previous/next
// sentence's words as context.
import { normTypes, type Doc } from "../../doc/doc.js";
import { FeatureBuffer } from "../../learn/feature-buffer.js";
import { fmix32, murmur3, type SparseVector } from "../../learn/hashing.js";
import { clusterFingerprint, loadWordClusters, type WordClusters } from "../../learn/word-clusters.js";
import { POS, POS_TAGS } from "../../nlp/wink.js";

export const BITS = 18;
const MASK = (1 << BITS) - 1;
const START_W = murmur3("w:<s>") & MASK;
const END_W = murmur3("w:</s>") & MASK;
const CTX_PREV = 0x9e3779b1;
const CTX_NEXT = 0x85ebca77;

/**
 * Per-word hashed features (the word, its character 4-grams, its word classes). Computed once per word and
 * featurizer: the featurizer keeps them by process-wide word id (wordIdAt), so no string-keyed cache is needed.
 */
function wordFeatures(norm: string, classes: WordClusters | null, levels: readonly number[]): Int32Array {
  const grams: number[] = [murmur3("w:" + norm) & MASK];
  if (norm.length >= 4 && /\p{L}/u.test(norm)) {
    const w = `<${norm}>`;
    for (let i = 0; i + 4 <= w.length; i++) grams.push(murmur3("c:" + w.slice(i, i + 4)) & MASK);
  }
  // A word's classes let sentences share weight through words ClaimBuster never saw (round 4).
  if (classes)
    for (const l of levels) {
      const id = classes.idOf(classes.key(norm), l);
      if (id >= 0) grams.push(murmur3(`k${l}:${id}`) & MASK);
    }
  return Int32Array.from(grams);
}

/** Sentence features a single word triggers (computed once per word, added in this order). */
const WORD_FLAG = { firstPerson: 1, percent: 2, money: 4, year: 8, question: 16 } as const;
const YEAR = /^(1[89]|20)\d\d$/;

function wordFlags(n: string): number {
  let f = 0;
  if (n === "i" || n === "we" || n === "my" || n === "our") f |= WORD_FLAG.firstPerson;
  if (n === "%" || n === "percent") f |= WORD_FLAG.percent;
  if (n === "$" || n === "dollars" || n === "billion" || n === "million") f |= WORD_FLAG.money;
  if (YEAR.test(n)) f |= WORD_FLAG.year;
  if (n === "?") f |= WORD_FLAG.question;
  return f;
}

const PAIR = Math.imul(0x2c1b3c6d, 1);
function pairHash(a: number, b: number, salt: number): number {
  let h = Math.imul(a ^ salt, 0xcc9e2d51) ^ Math.imul(b + PAIR, 0x1b873593);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) & MASK;
}

const NAMED: Record<string, number> = Object.fromEntries(
  [
    "bias",
    "ds:claimbuster",
    "ds:clef",
    "ds:liar",
    "len:1",
    "len:2",
    "len:3",
    "len:4",
    "len:5",
    "num:1",
    "num:2",
    "propn:1",
    "propn:2",
    "propn:3",
    "question",
    "first-person",
    "percent",
    "money",
    "year",
    "ctx:none",
  ].map((n) => [n, murmur3("f:" + n) & MASK]),
);
const QUANTITY = new Map<string, number>();
function quantityFeature(type: string): number {
  let h = QUANTITY.get(type);
  if (h === undefined) QUANTITY.set(type, (h = murmur3("q:" + type) & MASK));
  return h;
}

export type Dataset = "claimbuster" | "clef";
/** Where an item comes from: a head's own corpus, or LIAR statements (weak positives, own bias feature). */
export type Source = Dataset | "liar";

/** The neighbouring sentences, and hashed turn/speaker features (see turnFeature) when the input names speakers. */
export interface Context {
  prev?: Segment;
  next?: Segment;
  extra?: readonly number[];
}

/**
 * Domain augmentation (Daume 2007, "frustratingly easy domain adaptation"): every feature of an item also fires a
 * copy hashed with its source's salt, scaled by `scale`, so a joint model learns shared weights plus per-source
 * corrections. Salts are fixed per source.
 */
export const DOMAIN_SALT: Record<Source, number> = {
  claimbuster: murmur3("dom:claimbuster"),
  clef: murmur3("dom:clef"),
  liar: murmur3("dom:liar"),
};

function domainIndex(i: number, salt: number): number {
  return fmix32(i ^ salt) & MASK;
}

/** x followed by its source-specific copy (values times scale). */
export function withDomainCopy(x: SparseVector, source: Source, scale: number): SparseVector {
  const n = x.idx.length;
  const salt = DOMAIN_SALT[source];
  const idx = new Int32Array(2 * n);
  const val = new Float32Array(2 * n);
  idx.set(x.idx);
  val.set(x.val);
  for (let j = 0; j < n; j++) {
    idx[n + j] = domainIndex(x.idx[j]!, salt);
    val[n + j] = x.val[j]! * scale;
  }
  return { idx, val };
}

/**
 * Weights of a model trained on withDomainCopy vectors, folded for one source: w'[i] = w[i] + scale * w[copy(i)],
 * so that w' · x equals w · withDomainCopy(x) and inference needs no extra work.
 */
export function foldDomain(weights: Float32Array, source: Source, scale: number): Float32Array {
  const salt = DOMAIN_SALT[source];
  const out = new Float32Array(weights.length);
  for (let i = 0; i < weights.length; i++) out[i] = weights[i]! + scale * weights[domainIndex(i, salt)]!;
  return out;
}

const TURN = new Map<string, number>();
/** Hash of a named speaker/turn feature (e.g. "first-of-turn"). */
export function turnFeature(name: string): number {
  let h = TURN.get(name);
  if (h === undefined) TURN.set(name, (h = murmur3("t:" + name) & MASK));
  return h;
}

/** A token range of a Doc with its character span (a sentence, or a whole one-sentence text). */
export interface Segment {
  doc: Doc;
  tokStart: number;
  tokEnd: number;
  start: number;
  end: number;
}

export function sentenceSegment(doc: Doc, s: number): Segment {
  const x = doc.sentences[s]!;
  return { doc, tokStart: x.tokStart, tokEnd: x.tokEnd, start: x.start, end: x.end };
}

/** The whole Doc as one segment (training items are single sentences or turns). */
export function wholeSegment(doc: Doc): Segment {
  return { doc, tokStart: 0, tokEnd: doc.tokens.count, start: 0, end: doc.text.length };
}

/** Accumulates features of one sentence; indices may repeat (values add up). */
export class SentenceFeaturizer {
  private readonly buf = new FeatureBuffer(1 << BITS, 1024);
  readonly classes: WordClusters | null;

  /**
   * `classLevels`: levels of the shared word classes whose ids join each word's features (none: no classes);
   * `fingerprint`: the classes a model was trained with (other classes are refused: their ids mean other words).
   */
  constructor(
    private readonly classLevels: readonly number[] = [],
    fingerprint?: number,
  ) {
    this.classes = classLevels.length > 0 ? loadWordClusters() : null;
    if (this.classes && fingerprint !== undefined && clusterFingerprint(this.classes) !== fingerprint)
      throw new Error(
        "checkworthiness model: the word classes differ from those it was trained with: run `claimscope train checkworthiness`",
      );
  }

  private word(norm: string): Int32Array {
    return wordFeatures(norm, this.classes, this.classLevels);
  }

  // The features of each word by its process-wide id (normTypes): a word met in an earlier document costs one
  // array read, not a probe of the large string cache. Reset when the ids are (vocabulary generation).
  private typesDoc: Doc | null = null;
  private typeOf: Int32Array = new Int32Array(0);
  private vocabId: Int32Array = new Int32Array(0);
  private generation = -1;
  /**
   * Each word's features in one flat pool (no per-word array to chase): pool[at[id]] = their count n, then the n
   * feature indices (the word's own first). at[id] = 0: not computed yet (pool[0] is unused).
   */
  private at = new Int32Array(0);
  private pool = new Int32Array(1024);
  private poolN = 1;
  /** Per word id: which of the word-triggered flags (WORD_FLAG) the word sets. */
  private flagsById = new Uint8Array(0);

  private wordIdAt(doc: Doc, t: number): number {
    if (doc !== this.typesDoc) {
      const nt = normTypes(doc);
      this.typesDoc = doc;
      this.typeOf = nt.typeOf;
      this.vocabId = nt.vocabId;
      if (nt.generation !== this.generation) {
        this.generation = nt.generation;
        this.at = new Int32Array(0);
        this.poolN = 1;
        this.flagsById = new Uint8Array(0);
      }
      let max = -1;
      for (let k = 0; k < nt.vocabId.length; k++) if (nt.vocabId[k]! > max) max = nt.vocabId[k]!;
      if (this.at.length <= max) {
        const size = Math.max(max + 1, this.at.length * 2, 1024);
        const at = new Int32Array(size);
        at.set(this.at);
        this.at = at;
        const flags = new Uint8Array(size);
        flags.set(this.flagsById);
        this.flagsById = flags;
      }
    }
    const id = this.vocabId[this.typeOf[t]!]!;
    if (this.at[id] === 0) {
      const w = doc.tokens.norm[t]!;
      const f = this.word(w);
      const need = this.poolN + 1 + f.length;
      if (need > this.pool.length) {
        const pool = new Int32Array(Math.max(need, this.pool.length * 2));
        pool.set(this.pool.subarray(0, this.poolN));
        this.pool = pool;
      }
      this.at[id] = this.poolN;
      this.pool[this.poolN] = f.length;
      this.pool.set(f, this.poolN + 1);
      this.poolN = need;
      this.flagsById[id] = wordFlags(w);
    }
    return id;
  }

  /** The word hash (first feature) of token t. */
  private wordHashAt(doc: Doc, t: number): number {
    const id = this.wordIdAt(doc, t);
    return this.pool[this.at[id]! + 1]!;
  }

  private add(i: number, v = 1): void {
    this.buf.push(i, v);
  }

  /** weights · features of a segment, without materialising the vector (the stage's hot path). */
  dot(weights: Float32Array, seg: Segment, dataset: Source, context: Context, norm = 0): number {
    this.collect(seg, dataset, context, norm);
    return this.buf.dot(weights, 0);
  }

  private readonly pair = new Float64Array(2);
  /** dot2's weight pairs, interleaved once per (a, b). */
  private readonly packed = new WeakMap<Float32Array, { b: Float32Array; w: Float32Array }>();

  /**
   * Two heads' dot products from one feature pass: `a` on the raw vector, `b` on the vector scaled to Euclidean
   * length `lengthB` (0 = raw). Returns a reused array [a·x, b·x'].
   */
  dot2(
    a: Float32Array,
    b: Float32Array,
    lengthB: number,
    seg: Segment,
    dataset: Source,
    context: Context,
  ): Float64Array {
    this.collect(seg, dataset, context, 0);
    // a and b interleaved (one cache line per feature instead of two far-apart reads): same values, same order.
    let ab = this.packed.get(a);
    if (!ab || ab.b !== b) {
      const w = new Float32Array(a.length * 2);
      for (let i = 0; i < a.length; i++) {
        w[2 * i] = a[i]!;
        w[2 * i + 1] = b[i]!;
      }
      this.packed.set(a, (ab = { b, w }));
    }
    const w = ab.w;
    let sa = 0;
    let sb = 0;
    let ss = 0;
    const { idx, val, n } = this.buf;
    for (let j = 0; j < n; j++) {
      const i = idx[j]! << 1;
      const v = val[j]!;
      sa += w[i]! * v;
      sb += w[i + 1]! * v;
      ss += v * v;
    }
    this.pair[0] = sa;
    this.pair[1] = lengthB > 0 ? (sb * lengthB) / Math.sqrt(ss) : sb;
    return this.pair;
  }

  /** Word hashes of a segment (for its own features and as context of its neighbours). */
  private readonly wordsOf = new WeakMap<Segment, number[]>();

  private words(seg: Segment): number[] {
    const cached = this.wordsOf.get(seg);
    if (cached) return cached;
    const { doc, tokStart, tokEnd } = seg;
    const out: number[] = [];
    this.wordsOf.set(seg, out);
    for (let t = tokStart; t < tokEnd; t++) {
      const p = doc.tokens.pos[t]!;
      if (p === POS.PUNCT || p === POS.SPACE) continue;
      out.push(this.wordHashAt(doc, t));
    }
    return out;
  }

  /**
   * Features of a segment (a sentence); the previous/next sentence (same text or debate) give context. With
   * norm > 0 the vector is scaled to that Euclidean length (long debate turns do not outvote short ones).
   */
  featurize(
    seg: Segment,
    dataset: Source,
    context: Context,
    norm = 0,
  ): { idx: Int32Array; val: Float32Array } {
    this.collect(seg, dataset, context, norm);
    const { idx, val, n } = this.buf;
    return { idx: idx.slice(0, n), val: val.slice(0, n) };
  }

  private collect(seg: Segment, dataset: Source, context: Context, length: number): void {
    this.buf.n = 0;
    const { doc, tokStart, tokEnd, start, end } = seg;
    const pos = doc.tokens.pos;
    this.add(NAMED.bias!);
    this.add(NAMED["ds:" + dataset]!);
    let prevW = START_W;
    let prevP = -1;
    let words = 0;
    let nums = 0;
    let propn = 0;
    for (let t = tokStart; t < tokEnd; t++) {
      const p = pos[t]!;
      const id = this.wordIdAt(doc, t);
      const P = this.pool;
      const at = this.at[id]!;
      const nf = P[at]!;
      const flags = this.flagsById[id]!;
      const w = P[at + 1]!;
      this.add(w);
      for (let k = 2; k <= nf; k++) this.add(P[at + k]!, 0.3);
      this.add(pairHash(prevW, w, 1));
      this.add(pairHash(prevP, p, 2) ^ 0, 0.5);
      this.add(pairHash(p, p, 3), 0.5);
      prevW = w;
      prevP = p;
      if (p !== POS.PUNCT) words++;
      if (p === POS.NUM) nums++;
      if (p === POS.PROPN) propn++;
      if (flags !== 0) {
        if (flags & WORD_FLAG.firstPerson) this.add(NAMED["first-person"]!, 0.5);
        if (flags & WORD_FLAG.percent) this.add(NAMED.percent!);
        if (flags & WORD_FLAG.money) this.add(NAMED.money!);
        if (flags & WORD_FLAG.year) this.add(NAMED.year!);
        if (flags & WORD_FLAG.question) this.add(NAMED.question!);
      }
    }
    this.add(pairHash(prevW, END_W, 1));
    this.add(NAMED["len:" + Math.min(5, 1 + Math.floor(Math.log2(1 + words / 3)))]!);
    if (nums > 0) this.add(NAMED["num:" + Math.min(2, nums)]!);
    if (propn > 0) this.add(NAMED["propn:" + Math.min(3, propn)]!);
    // Quantities are in text order: binary-search the first one at or after the segment.
    const qs = doc.layers.quantities;
    let lo = 0;
    let hi = qs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (qs[mid]!.start < start) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < qs.length && qs[k]!.start < end; k++)
      if (qs[k]!.end <= end) this.add(quantityFeature(qs[k]!.type));
    if (context.prev === undefined && context.next === undefined) this.add(NAMED["ctx:none"]!);
    if (context.prev !== undefined)
      for (const w of this.words(context.prev)) this.add((w ^ CTX_PREV) & MASK, 0.3);
    if (context.next !== undefined)
      for (const w of this.words(context.next)) this.add((w ^ CTX_NEXT) & MASK, 0.3);
    if (context.extra !== undefined) for (const f of context.extra) this.add(f);
    if (length > 0) {
      const { val, n } = this.buf;
      let ss = 0;
      for (let j = 0; j < n; j++) ss += val[j]! * val[j]!;
      const k = length / Math.sqrt(ss);
      for (let j = 0; j < n; j++) val[j]! *= k;
    }
  }
}

export const POS_COUNT = POS_TAGS.length;
