// The techniques model: a BIO sequence tagger finds propaganda spans (techniques ignored), then a
// softmax classifier names the technique of each span. Both use the lexicon derived from PTC spans.
import type { Doc } from "../../doc/doc.js";
import { FeatureHasher, type SparseVector } from "../../learn/hashing.js";
import { LogisticRegression, type LogisticJSON } from "../../learn/logistic.js";
import { SequenceTagger, type TaggerJSON } from "../../learn/tagger.js";
import { POS } from "../../nlp/wink.js";
import { TECHNIQUES, type TechniqueName } from "../../schema/analysis.js";
import {
  Lexicon,
  NT,
  lemmaish,
  mix,
  sentenceCues,
  tokenFeatures,
  tokenInfo,
  type SentenceCues,
  type TokenInfo,
} from "./features.js";

export const TAGS = ["O", "B", "I"] as const;

export interface TechniquesModelJSON {
  kind: "techniques";
  version: 1;
  tagBits: number;
  clsBits: number;
  /** Subtracted from the O tag's score at decoding time (tuned on dev: more recall helps SI F1). */
  oBias: number;
  lexicon: Record<string, number[]>;
  tagger: TaggerJSON;
  classifier: LogisticJSON;
}

/** Everything computed once per document and shared by the tagger and the classifier. */
export interface DocFeatures {
  info: TokenInfo;
  cues: SentenceCues;
  /** doc.text lower-cased, computed on first use. */
  lower?: string;
}

export function docFeatures(doc: Doc, lexicon: Lexicon): DocFeatures {
  const info = tokenInfo(doc, lexicon);
  return { info, cues: sentenceCues(doc, info) };
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
export function decodeSpans(doc: Doc, tags: Int32Array, tokStart: number, margins?: Float64Array): TokenSpan[] {
  const out: TokenSpan[] = [];
  const { start, end } = doc.tokens;
  let open = -1;
  const close = (k: number) => {
    // Trim leading/trailing punctuation tokens except closing quotes/exclamation marks.
    let a = open;
    let b = k;
    while (a < b && doc.tokens.pos[tokStart + a] === POS.PUNCT) a++;
    while (b > a && doc.tokens.pos[tokStart + b - 1] === POS.PUNCT && !/["”!?']/.test(doc.tokenText(tokStart + b - 1))) b--;
    if (b > a) {
      let m = 0;
      if (margins) for (let i = a; i < b; i++) m += margins[i]!;
      out.push({ a: tokStart + a, b: tokStart + b, start: start[tokStart + a]!, end: end[tokStart + b - 1]!, margin: m / (b - a) });
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

/** Classifier features of a character span with its context. */
export function spanFeatures(
  doc: Doc,
  fx: DocFeatures,
  lexicon: Lexicon,
  span: { start: number; end: number },
  hasher: FeatureHasher,
): SparseVector {
  const { norm, pos, start, end, count } = doc.tokens;
  let a = doc.tokenAtOrAfter(span.start);
  let b = a;
  while (b < count && start[b]! < span.end) b++;
  if (b === a) b = Math.min(count, a + 1);
  if (a >= count) a = Math.max(0, count - 1);
  const n = b - a;
  hasher.add("bias");
  hasher.add("len:" + lenBucket(n));
  const mean = new Float64Array(NT + 1);
  const max = new Float64Array(NT + 1);
  let content = 0;
  for (let i = a; i < b; i++) {
    const w = norm[i]!;
    hasher.add("w:" + w, 1);
    hasher.add("l:" + lemmaish(w), 0.5);
    hasher.add("p:" + pos[i]!, 0.3);
    if (i + 1 < b) hasher.add("b:" + w + " " + norm[i + 1]!, 0.7);
    const s = lexicon.get(w);
    if (s && pos[i] !== POS.PUNCT) {
      content++;
      for (let t = 0; t <= NT; t++) {
        mean[t]! += s[t]!;
        if (s[t]! > max[t]!) max[t] = s[t]!;
      }
    }
  }
  for (let t = 0; t <= NT; t++) {
    if (content) hasher.add("lm:" + t, mean[t]! / content);
    hasher.add("lx:" + t, max[t]!);
  }
  hasher.add("first:" + norm[a]!);
  hasher.add("last:" + norm[b - 1]!);
  if (n <= 4) {
    let pat = "";
    for (let i = a; i < b; i++) pat += pos[i]! + ".";
    hasher.add("pat:" + pat);
  }
  for (let k = 1; k <= 3; k++) {
    hasher.add(`L${k}:` + (a - k >= 0 ? norm[a - k]! : "<s>"), k === 1 ? 1 : 0.5);
    hasher.add(`R${k}:` + (b - 1 + k < count ? norm[b - 1 + k]! : "</s>"), k === 1 ? 1 : 0.5);
  }
  // Sentence context: its words (weak), cues, how much of the sentence the span covers.
  const s = doc.tokens.sentence[a]!;
  const sent = doc.sentences[s]!;
  for (let i = sent.tokStart; i < sent.tokEnd; i++) if (i < a || i >= b) hasher.add("c:" + norm[i]!, 0.25);
  const cover = n / Math.max(1, sent.tokEnd - sent.tokStart);
  hasher.add("cover:" + (cover > 0.9 ? 3 : cover > 0.6 ? 2 : cover > 0.3 ? 1 : 0));
  if (fx.cues.excl[s]) hasher.add("sent!");
  if (fx.cues.question[s]) hasher.add("sent?");
  if (fx.cues.caps[s]) hasher.add("sentCAPS");
  if (fx.info.inQuote[a]) hasher.add("inquote");
  if (doc.paragraphs[0] && span.start < doc.paragraphs[0].end) hasher.add("headline");
  const text = doc.text.slice(span.start, span.end);
  if (/[A-Z]{3,}/.test(text)) hasher.add("caps");
  if (/!/.test(text)) hasher.add("excl");
  if (/\?/.test(text)) hasher.add("qmark");
  if (/["“”]/.test(text)) hasher.add("quote");
  if (/^[A-Z]/.test(text)) hasher.add("capstart");
  // Repetition: the span's words (or the span itself) occurring elsewhere in the document.
  let maxFreq = 0;
  for (let i = a; i < b; i++) if (fx.info.freq[i]! > maxFreq) maxFreq = fx.info.freq[i]!;
  hasher.add("freq:" + (maxFreq < 2 ? 0 : maxFreq < 3 ? 1 : maxFreq < 5 ? 2 : maxFreq < 9 ? 3 : 4));
  if (n <= 8 && text.length > 2) {
    fx.lower ??= doc.text.toLowerCase();
    const needle = text.toLowerCase();
    let occ = 0;
    let at = fx.lower.indexOf(needle);
    while (at >= 0 && occ < 5) {
      occ++;
      at = fx.lower.indexOf(needle, at + 1);
    }
    hasher.add("rep:" + Math.min(occ, 4));
    hasher.add("rep:" + Math.min(occ, 4) + ":len" + Math.min(n, 4));
  }
  return hasher.take();
}

export class TechniquesModel {
  readonly lexicon: Lexicon;
  readonly tagger: SequenceTagger;
  readonly classifier: LogisticRegression;
  readonly tagMask: number;
  private readonly biasIdx: number;
  private readonly hasher: FeatureHasher;

  constructor(readonly json: TechniquesModelJSON) {
    this.lexicon = Lexicon.fromJSON(json.lexicon);
    this.tagger = SequenceTagger.fromJSON(json.tagger);
    this.classifier = LogisticRegression.fromJSON(json.classifier);
    this.tagMask = (1 << json.tagBits) - 1;
    this.biasIdx = mix(0, 0) & this.tagMask;
    this.hasher = new FeatureHasher(json.clsBits);
    this.setOBias(json.oBias);
  }

  private appliedBias = 0;
  /** Shifts the O tag's score by -bias (via the always-on bias feature). */
  setOBias(bias: number): void {
    const W = this.tagger.weights;
    const p = this.biasIdx * this.tagger.T;
    W[p] = W[p]! + this.appliedBias - bias;
    this.appliedBias = bias;
  }

  features(doc: Doc): DocFeatures {
    return docFeatures(doc, this.lexicon);
  }

  /** Propaganda spans (technique-agnostic), sentence by sentence. */
  spans(doc: Doc, fx: DocFeatures): TokenSpan[] {
    const feats = tokenFeatures(doc, fx.info, fx.cues, this.tagMask);
    const out: TokenSpan[] = [];
    const T = this.tagger.T;
    const W = this.tagger.weights;
    for (const sent of doc.sentences) {
      const seq = feats.slice(sent.tokStart, sent.tokEnd);
      if (!seq.length) continue;
      const tags = this.tagger.predict(seq);
      const margins = new Float64Array(seq.length);
      for (let i = 0; i < seq.length; i++) {
        const f = seq[i]!;
        let o = 0;
        let eb = 0;
        let ei = 0;
        for (let j = 0; j < f.length; j++) {
          const base = f[j]! * T;
          o += W[base]!;
          eb += W[base + 1]!;
          ei += W[base + 2]!;
        }
        margins[i] = Math.max(eb, ei) - o;
      }
      for (const sp of decodeSpans(doc, tags, sent.tokStart, margins)) out.push(sp);
    }
    return out;
  }

  /** Technique probabilities for a span (length NT, in TECHNIQUES order). */
  classify(doc: Doc, fx: DocFeatures, span: { start: number; end: number }): Float64Array {
    return this.classifier.predictProba(spanFeatures(doc, fx, this.lexicon, span, this.hasher));
  }
}

export function techniqueAt(k: number): TechniqueName {
  return TECHNIQUES[k]!;
}
