// The techniques model: a BIO sequence tagger finds propaganda spans (techniques ignored), then a
// softmax classifier names the technique of each span. Both use the lexicon derived from PTC spans.
import type { Doc } from "../../doc/doc.js";
import { FeatureHasher, type SparseVector } from "../../learn/hashing.js";
import { LogisticRegression, softmaxInPlace, type LogisticJSON } from "../../learn/logistic.js";
import { SequenceTagger, viterbi, type TaggerJSON } from "../../learn/tagger.js";
import { POS } from "../../nlp/wink.js";
import { TECHNIQUES, type TechniqueName } from "../../schema/analysis.js";
import { FeatureBuffer } from "../../learn/feature-buffer.js";
import { loadWordClusters, clusterFingerprint, type ClusterSource } from "../../learn/word-clusters.js";
import {
  Lexicon,
  NT,
  mix,
  mixI,
  sentenceCues,
  featuresPerToken,
  tokenFeatures,
  tokenInfo,
  sentenceFeatures,
  type ClusterConfig,
  type SentenceCues,
  type TokenInfo,
} from "./features.js";

export const TAGS = ["O", "B", "I"] as const;
/** Tagger margins are sums of perceptron weights (hundreds); Platt sees them divided by this. */
export const MARGIN_SCALE = 100;

export interface TechniquesModelJSON {
  kind: "techniques";
  version: 1;
  tagBits: number;
  clsBits: number;
  /** Subtracted from the O tag's score at decoding time (set by 4-fold CV on train: more recall helps SI F1). */
  oBias: number;
  /** Spans of one sentence at most this many tokens apart are joined (0 = never). */
  joinGap: number;
  /** Sentences whose sentence-model probability is below this are not tagged (0 = tag all). */
  skipBelow?: number;
  /** Platt scaling of a span's mean tagger margin to P(span overlaps a gold span). */
  spanPlatt: { a: number; b: number };
  /**
   * How the tagger's weights were learned (absent in files before round 5: "perceptron"). A CRF's
   * log-potentials are saved × CRF_SCALE and decode through the same Viterbi.
   */
  tagLearner?: "crf" | "perceptron";
  lexicon: Record<string, number[]>;
  tagger: TaggerJSON;
  classifier: LogisticJSON;
  /** Sentence classifier (binary LogisticRegression) whose probability is a tagger feature. */
  sentence?: LogisticJSON;
  /**
   * Per-token binary logistic regression P(token lies in a span) over the tagger's own hashed features
   * (weights indexed like the tagger's features); `alpha` x its logit is added to the B and I scores.
   */
  tokenLr?: { weights: Float32Array; bias: number; alpha: number };
  /**
   * Article-level adaptivity: the O score is lowered by beta x (z-scored mean sentence-model probability of
   * the article), so propaganda-dense articles get more spans and sober ones fewer.
   */
  density?: { beta: number; mean: number; sd: number };
  /**
   * Added to the B tag's score at decoding time (absent = 0). A CRF's I→I transition makes its spans run
   * long at the recall-oriented O bias; a B bonus lets spans end and restart (round 5, 4-fold CV).
   */
  bShift?: number;
  /**
   * Word-cluster features (src/learn/word-clusters.ts) read by the tagger and the classifier; a model with
   * them needs the clusters it was trained with.
   */
  clusters?: ClusterConfig & { granularities: number[]; fingerprint: number };
  /** The cluster lexicon (Lexicon.clusterScores), when the tagger reads it. */
  clusterScores?: number[];
}

/** The article-density shift stops at this many standard deviations from the training mean. */
export const DENSITY_CLIP = 2;

/** Mean sentence-model probability of an article's sentences, in tenths (cues.prob). */
export function articleDensity(doc: Doc, cues: SentenceCues): number {
  let sum = 0;
  let n = 0;
  for (let s = 0; s < doc.sentences.length; s++) {
    const sent = doc.sentences[s]!;
    if (sent.tokEnd <= sent.tokStart || cues.prob[s]! > 9) continue;
    sum += cues.prob[s]!;
    n++;
  }
  return n ? sum / n : 0;
}

/** Everything computed once per document and shared by the tagger and the classifier. */
export interface DocFeatures {
  info: TokenInfo;
  cues: SentenceCues;
  /** doc.text lower-cased, computed on first use. */
  lower?: string;
}

/** A binary sentence classifier ("holds a propaganda span") whose probability feeds the tagger. */
export interface SentenceModel {
  dim: number;
  weights: Float32Array;
  bias: number;
}

let SENT_BUF: FeatureBuffer | undefined;

export function sentenceProbability(
  model: SentenceModel,
  doc: Doc,
  info: TokenInfo,
  cues: SentenceCues,
  s: number,
): number {
  const buf = (SENT_BUF ??= new FeatureBuffer(model.dim));
  buf.n = 0;
  sentenceFeatures(doc, info, cues, s, buf);
  const z = buf.dot(model.weights, model.bias);
  return 1 / (1 + Math.exp(-z));
}

export function docFeatures(doc: Doc, lexicon: Lexicon, sentModel?: SentenceModel): DocFeatures {
  const info = tokenInfo(doc, lexicon);
  const cues = sentenceCues(doc, info);
  if (sentModel)
    for (let s = 0; s < doc.sentences.length; s++)
      cues.prob[s] = Math.min(9, Math.floor(sentenceProbability(sentModel, doc, info, cues, s) * 10));
  return { info, cues };
}

export interface TokenSpan {
  /** Token range [a, b). */
  a: number;
  b: number;
  start: number;
  end: number;
  /** Mean margin of the non-O tags over O along the span (a tagger confidence proxy). */
  margin: number;
}

/** Decodes tagger output into token spans (B or I after O opens a span). */
export function decodeSpans(
  doc: Doc,
  tags: Int32Array,
  tokStart: number,
  margins?: Float64Array,
): TokenSpan[] {
  const out: TokenSpan[] = [];
  const { start, end } = doc.tokens;
  let open = -1;
  const close = (k: number) => {
    // Trim leading/trailing punctuation tokens except closing quotes/exclamation marks.
    let a = open;
    let b = k;
    while (a < b && doc.tokens.pos[tokStart + a] === POS.PUNCT) a++;
    while (
      b > a &&
      doc.tokens.pos[tokStart + b - 1] === POS.PUNCT &&
      !/["”!?']/.test(doc.tokenText(tokStart + b - 1))
    )
      b--;
    if (b > a) {
      let m = 0;
      if (margins) for (let i = a; i < b; i++) m += margins[i]!;
      out.push({
        a: tokStart + a,
        b: tokStart + b,
        start: start[tokStart + a]!,
        end: end[tokStart + b - 1]!,
        margin: m / (b - a),
      });
    }
    open = -1;
  };
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i]!;
    if (t === 0) {
      if (open >= 0) close(i);
    } else if (t === 1) {
      if (open >= 0) close(i);
      open = i;
    } else if (open < 0) open = i;
  }
  if (open >= 0) close(tags.length);
  return out;
}

const LEN_BUCKETS = [1, 2, 3, 5, 8, 12, 20, 35];
function lenBucket(n: number): number {
  let k = 0;
  while (k < LEN_BUCKETS.length && n > LEN_BUCKETS[k]!) k++;
  return k;
}

// Template ids of the classifier's features (hashed with mix()).
const C = {
  bias: 100,
  len: 101,
  word: 102,
  lemma: 103,
  pos: 104,
  bigram: 105,
  lexMean: 106,
  lexMax: 107,
  first: 108,
  last: 109,
  pattern: 110,
  left: 111,
  right: 120,
  whole: 130,
  cover: 131,
  cue: 132,
  freq: 133,
  rep: 134,
  repLen: 135,
  cluster: 136,
} as const;

/** Constant feature indices, hashed once. */
const LEX_MEAN_IDX = Array.from({ length: NT + 1 }, (_, t) => mix(C.lexMean, t));
const LEX_MAX_IDX = Array.from({ length: NT + 1 }, (_, t) => mix(C.lexMax, t));

const enum Cue {
  SentExcl = 1,
  SentQ,
  SentCaps,
  InQuote,
  Headline,
  Caps,
  Excl,
  QMark,
  Quote,
  CapStart,
}

/** Classifier features of a character span with its context. */
export function spanFeatures(
  doc: Doc,
  fx: DocFeatures,
  lexicon: Lexicon,
  span: { start: number; end: number },
  buf: FeatureBuffer,
): void {
  const { pos, start, count } = doc.tokens;
  const { hw, hl } = fx.info;
  buf.n = 0;
  const add = (i: number, v = 1) => buf.push(i, v);
  let a = doc.tokenAtOrAfter(span.start);
  if (a >= count) a = Math.max(0, count - 1);
  let b = a;
  while (b < count && start[b]! < span.end) b++;
  if (b === a) b = Math.min(count, a + 1);
  const n = b - a;
  add(mixI(C.bias, 0));
  add(mixI(C.len, lenBucket(n)));
  const mean = new Float64Array(NT + 1);
  const max = new Float64Array(NT + 1);
  let content = 0;
  for (let i = a; i < b; i++) {
    add(mixI(C.word, hw[i]!), 1);
    add(mixI(C.lemma, hl[i]!), 0.5);
    add(mixI(C.pos, pos[i]!), 0.3);
    if (i + 1 < b) add(mixI(C.bigram, hw[i]!, hw[i + 1]!), 0.7);
    const s = fx.info.lexRow[i];
    if (s && pos[i] !== POS.PUNCT) {
      content++;
      for (let t = 0; t <= NT; t++) {
        mean[t]! += s[t]!;
        if (s[t]! > max[t]!) max[t] = s[t]!;
      }
    }
  }
  for (let t = 0; t <= NT; t++) {
    if (content) add(LEX_MEAN_IDX[t]!, mean[t]! / content);
    if (max[t]) add(LEX_MAX_IDX[t]!, max[t]!);
  }
  add(mixI(C.first, hw[a]!));
  add(mixI(C.last, hw[b - 1]!));
  if (n <= 6) {
    let h = 0;
    for (let i = a; i < b; i++) h = mixI(C.whole, h, hl[i]!);
    add(mixI(C.whole, h));
  }
  if (n <= 4) {
    let pat = 0;
    for (let i = a; i < b; i++) pat = pat * 31 + pos[i]! + 1;
    add(mixI(C.pattern, pat));
  }
  for (let k = 1; k <= 3; k++) {
    add(mixI(C.left + k, a - k >= 0 ? hw[a - k]! : 1), k === 1 ? 1 : 0.5);
    add(mixI(C.right + k, b - 1 + k < count ? hw[b - 1 + k]! : 2), k === 1 ? 1 : 0.5);
  }
  // Sentence context: its words (weak), cues, how much of the sentence the span covers.
  const s = doc.tokens.sentence[a]!;
  const sent = doc.sentences[s]!;
  const cover = n / Math.max(1, sent.tokEnd - sent.tokStart);
  add(mixI(C.cover, cover > 0.9 ? 3 : cover > 0.6 ? 2 : cover > 0.3 ? 1 : 0));
  if (fx.cues.excl[s]) add(mixI(C.cue, Cue.SentExcl));
  if (fx.cues.question[s]) add(mixI(C.cue, Cue.SentQ));
  if (fx.cues.caps[s]) add(mixI(C.cue, Cue.SentCaps));
  if (fx.info.inQuote[a]) add(mixI(C.cue, Cue.InQuote));
  if (doc.paragraphs[0] && span.start < doc.paragraphs[0].end) add(mixI(C.cue, Cue.Headline));
  const text = doc.text.slice(span.start, span.end);
  if (/[A-Z]{3,}/.test(text)) add(mixI(C.cue, Cue.Caps));
  if (text.includes("!")) add(mixI(C.cue, Cue.Excl));
  if (text.includes("?")) add(mixI(C.cue, Cue.QMark));
  if (/["“”]/.test(text)) add(mixI(C.cue, Cue.Quote));
  const c0 = text.charCodeAt(0);
  if (c0 >= 65 && c0 <= 90) add(mixI(C.cue, Cue.CapStart));
  // Word clusters of the span's words (generalise over rare words of a technique's vocabulary).
  const cu = fx.info.clusters;
  if (cu && fx.info.cl && cu.cfg.cls >= 0) {
    const G = cu.src.granularities.length;
    for (let i = a; i < b; i++) {
      const c = fx.info.cl[i * G + cu.cfg.cls]!;
      if (c) add(mixI(C.cluster, c), 0.5);
    }
  }
  // Repetition: the span's words (or the span itself) occurring elsewhere in the document.
  let maxFreq = 0;
  for (let i = a; i < b; i++) if (fx.info.freq[i]! > maxFreq) maxFreq = fx.info.freq[i]!;
  add(mixI(C.freq, maxFreq < 2 ? 0 : maxFreq < 3 ? 1 : maxFreq < 5 ? 2 : maxFreq < 9 ? 3 : 4));
  if (n <= 8 && text.length > 2) {
    // Occurrences of the span's token sequence in the document (hash comparison, no string search).
    let occ = 0;
    const h0 = hw[a]!;
    for (let j = 0; j + n <= count && occ < 5; j++) {
      if (hw[j] !== h0) continue;
      let k = 1;
      while (k < n && hw[j + k] === hw[a + k]) k++;
      if (k === n) occ++;
    }
    add(mixI(C.rep, Math.min(occ, 4)));
    add(mixI(C.repLen, Math.min(occ, 4), Math.min(n, 4)));
  }
}

/** The span's features as a sparse vector (for training). */
export function spanVector(
  doc: Doc,
  fx: DocFeatures,
  lexicon: Lexicon,
  span: { start: number; end: number },
  hasher: FeatureHasher,
): SparseVector {
  const buf = new FeatureBuffer(hasher.dim);
  spanFeatures(doc, fx, lexicon, span, buf);
  for (let k = 0; k < buf.n; k++) hasher.addIndex(buf.idx[k]!, buf.val[k]!);
  return hasher.take();
}

/** The model's settings without its weight tables (those live once, in the compact structures below). */
export type TechniquesSettings = Omit<
  TechniquesModelJSON,
  "lexicon" | "tagger" | "classifier" | "sentence" | "tokenLr"
>;

export class TechniquesModel {
  readonly lexicon: Lexicon;
  readonly tagger: SequenceTagger;
  readonly json: TechniquesSettings;
  private readonly clsBias: Float64Array;
  private readonly clsOutputs: number;
  readonly sentModel?: SentenceModel;
  readonly tagMask: number;
  private readonly biasIdx: number;
  private readonly clsBuf: FeatureBuffer;
  private readonly clsSlot: Int32Array;
  private readonly clsRows: Float32Array;

  constructor(json: TechniquesModelJSON, clusters?: ClusterSource) {
    // Nothing keeps the file's weight arrays: a corpus worker holds this model for hours.
    const { lexicon: _l, tagger: _t, classifier: _c, sentence: _s, tokenLr, ...settings } = json;
    this.json = settings;
    if (tokenLr) {
      this.lrWeights = tokenLr.weights;
      this.lrBias = tokenLr.bias;
      this.lrAlpha = tokenLr.alpha;
    }
    this.densityBeta = json.density?.beta ?? 0;
    this.bShift = json.bShift ?? 0;
    this.lexicon = Lexicon.fromJSON(json.lexicon);
    if (json.clusters) {
      // The shipped word clusters unless others are given; they must be the ones the model was trained with.
      const src = clusters ?? loadWordClusters();
      if (clusterFingerprint(src) !== json.clusters.fingerprint)
        throw new Error(
          "techniques model: the word clusters differ from those it was trained with: run `claimscope train techniques`",
        );
      this.lexicon.clusters = { src, cfg: json.clusters };
      if (json.clusterScores) this.lexicon.clusterScores = Float32Array.from(json.clusterScores);
    }
    if (json.sentence)
      this.sentModel = {
        dim: json.sentence.dim,
        weights: json.sentence.weights,
        bias: json.sentence.bias[0]!,
      };
    // A private copy: the O bias is applied to the weights in place.
    this.tagger = SequenceTagger.fromJSON({ ...json.tagger, weights: json.tagger.weights.slice() });
    const classifier = LogisticRegression.fromJSON(json.classifier);
    this.clsBias = Float64Array.from(classifier.bias);
    this.clsOutputs = classifier.outputs;
    this.tagMask = (1 << json.tagBits) - 1;
    this.biasIdx = mix(0, 0) & this.tagMask;
    this.clsBuf = new FeatureBuffer(1 << json.clsBits);
    // Compact copy of the classifier: only hashed features that got a weight keep a row (a few % of 2^bits),
    // so inference touches ~2 MB instead of ~15 MB.
    const K = classifier.outputs;
    const W = classifier.weights;
    const dim = classifier.dim;
    this.clsSlot = new Int32Array(dim).fill(-1);
    let rows = 0;
    for (let f = 0; f < dim; f++) {
      for (let k = 0; k < K; k++)
        if (W[f * K + k] !== 0) {
          this.clsSlot[f] = rows++;
          break;
        }
    }
    this.clsRows = new Float32Array(rows * K);
    for (let f = 0; f < dim; f++) {
      const r = this.clsSlot[f]!;
      if (r >= 0) this.clsRows.set(W.subarray(f * K, f * K + K), r * K);
    }
    this.setOBias(json.oBias);
    this.joinGap = json.joinGap;
    // The tagger's O/B/I weights and the token LR's weight of each hashed feature side by side (4 floats,
    // one cache line): decoding reads one row per feature instead of two far-apart ones. Same values, same
    // summation order, so the scores are bit-identical to reading the two tables.
    const T = this.tagger.T;
    const TW = this.tagger.weights;
    const dimT = TW.length / T;
    if (T !== 3 || (this.lrWeights && this.lrWeights.length !== dimT))
      throw new Error(`techniques model: expected an O/B/I tagger and a token model of the same size`);
    const packed = new Float32Array(dimT * 4);
    const lw = this.lrWeights;
    for (let f = 0; f < dimT; f++) {
      packed[f * 4] = TW[f * 3]!;
      packed[f * 4 + 1] = TW[f * 3 + 1]!;
      packed[f * 4 + 2] = TW[f * 3 + 2]!;
      if (lw) packed[f * 4 + 3] = lw[f]!;
    }
    this.rows = packed;
  }

  /** Interleaved [O, B, I, token-LR] weights per hashed feature (see the constructor). */
  private rows: Float32Array;

  /** Probability that a tagged span is (mostly) a real propaganda span. */
  spanConfidence(sp: TokenSpan): number {
    const { a, b } = this.json.spanPlatt;
    return 1 / (1 + Math.exp(-(a * (sp.margin / MARGIN_SCALE) + b)));
  }

  joinGap: number;
  /** Weight of the token logistic regression's logit in the B/I scores (0 = tagger only). */
  lrAlpha = 0;
  private lrWeights?: Float32Array;
  private lrBias = 0;
  /** Weight of the article-density shift of the O score (0 = none). */
  densityBeta: number;
  /** Added to the B tag's score (see TechniquesModelJSON.bShift). */
  bShift: number;
  private appliedBias = 0;
  /** Shifts the O tag's score by -bias (via the always-on bias feature). */
  setOBias(bias: number): void {
    const W = this.tagger.weights;
    const p = this.biasIdx * this.tagger.T;
    W[p] = W[p]! + this.appliedBias - bias;
    // setOBias runs in the constructor before the rows exist; they copy the shifted weight then.
    if (this.rows) this.rows[this.biasIdx * 4] = W[p]!;
    this.appliedBias = bias;
  }

  features(doc: Doc): DocFeatures {
    return docFeatures(doc, this.lexicon, this.sentModel);
  }

  private featBuf = new Int32Array(0);
  private emitBuf = new Float64Array(0);
  private marginBuf = new Float64Array(0);
  private tagBuf = new Int32Array(0);
  private scoreBuf = new Float64Array(0);
  private backBuf = new Int8Array(0);

  /** Propaganda spans (technique-agnostic), sentence by sentence. */
  spans(doc: Doc, fx: DocFeatures): TokenSpan[] {
    const K = featuresPerToken(fx.info);
    // Sentences the sentence model rates below `skipBelow` are not tagged at all (saves time; dev SI cost measured).
    const S = doc.sentences.length;
    const skip = new Uint8Array(S);
    const cut = Math.round((this.json.skipBelow ?? 0) * 10);
    if (cut > 0) for (let s = 0; s < S; s++) skip[s] = fx.cues.prob[s]! < cut ? 1 : 0;
    // Reused buffer: the rows of skipped sentences are stale, and never read (their tokens are skipped below).
    const need = doc.tokens.count * K;
    if (this.featBuf.length < need) this.featBuf = new Int32Array(Math.max(need, this.featBuf.length * 2));
    const feats = tokenFeatures(doc, fx.info, fx.cues, this.tagMask, skip, this.featBuf);
    const n = doc.tokens.count;
    const sentenceOf = doc.tokens.sentence;
    const lrW = this.lrAlpha ? this.lrWeights : undefined;
    const alpha = this.lrAlpha;
    // Article-level shift of the O score (see TechniquesModelJSON.density).
    const dens = this.json.density;
    const z = dens && this.densityBeta ? (articleDensity(doc, fx.cues) - dens.mean) / dens.sd : 0;
    const shift = this.densityBeta * Math.max(-DENSITY_CLIP, Math.min(DENSITY_CLIP, z));
    // Emission scores of O, B, I for every token, computed once for decoding and margins. Reused buffers: the
    // entries of skipped sentences are stale and never read; tags are zeroed as a fresh array would be.
    if (this.emitBuf.length < n * 3) {
      const size = Math.max(n, this.marginBuf.length * 2);
      this.emitBuf = new Float64Array(size * 3);
      this.marginBuf = new Float64Array(size);
      this.tagBuf = new Int32Array(size);
      this.scoreBuf = new Float64Array(size * 3);
      this.backBuf = new Int8Array(size * 3);
    }
    const emit = this.emitBuf;
    const margins = this.marginBuf;
    const R = this.rows;
    for (let i = 0; i < n; i++) {
      if (skip[sentenceOf[i]!]) continue;
      // Interleaved rows: the tagger's O/B/I sums and the token model's logit in one pass.
      let e0 = -shift;
      let e1 = this.bShift;
      let e2 = 0;
      let z = this.lrBias;
      for (let j = i * K, end = j + K; j < end; j++) {
        const base = feats[j]! << 2;
        e0 += R[base]!;
        e1 += R[base + 1]!;
        e2 += R[base + 2]!;
        z += R[base + 3]!;
      }
      if (lrW) {
        e1 += alpha * z;
        e2 += alpha * z;
      }
      emit[i * 3] = e0;
      emit[i * 3 + 1] = e1;
      emit[i * 3 + 2] = e2;
      margins[i] = Math.max(e1, e2) - e0;
    }
    const out: TokenSpan[] = [];
    const tags = this.tagBuf.subarray(0, n).fill(0);
    viterbi3(emit, this.tagger.transitions, doc, tags, skip, this.scoreBuf, this.backBuf);
    for (let s = 0; s < S; s++) {
      const sent = doc.sentences[s]!;
      if (sent.tokEnd <= sent.tokStart || skip[s]) continue;
      const found = decodeSpans(
        doc,
        tags.subarray(sent.tokStart, sent.tokEnd),
        sent.tokStart,
        margins.subarray(sent.tokStart, sent.tokEnd),
      );
      for (let k = 0; k < found.length; k++) {
        const sp = found[k]!;
        const last = out[out.length - 1];
        if (k > 0 && last && this.joinGap > 0 && sp.a - last.b <= this.joinGap) {
          const la = last.b - last.a;
          const lb = sp.b - sp.a;
          last.margin = (last.margin * la + sp.margin * lb) / (la + lb);
          last.b = sp.b;
          last.end = sp.end;
        } else out.push(sp);
      }
    }
    return out;
  }

  /** Technique probabilities for a span (length NT, in TECHNIQUES order). */
  classify(doc: Doc, fx: DocFeatures, span: { start: number; end: number }): Float64Array {
    // Logits accumulated straight from the features (no sparse vector is built).
    const out = Float64Array.from(this.clsBias);
    spanFeatures(doc, fx, this.lexicon, span, this.clsBuf);
    this.clsBuf.scoresInto(this.clsSlot, this.clsRows, this.clsOutputs, out);
    return softmaxInPlace(out);
  }
}

/** Viterbi over 3 tags, sentence by sentence (each sentence starts from the start state). */
function viterbi3(
  emit: Float64Array,
  Tr: Float32Array,
  doc: Doc,
  out: Int32Array,
  skip: Uint8Array,
  score: Float64Array,
  back: Int8Array,
): void {
  for (let s = 0; s < doc.sentences.length; s++) {
    if (skip[s]) continue;
    const sent = doc.sentences[s]!;
    viterbi(emit, Tr, 3, sent.tokStart, sent.tokEnd, out, score, back);
  }
}

export function techniqueAt(k: number): TechniqueName {
  return TECHNIQUES[k]!;
}
