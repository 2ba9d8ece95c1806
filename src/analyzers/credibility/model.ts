// The credibility model: hashed text models over word n-grams and character 3–5-grams (one over all training
// collections, plus one per collection when there are several, each gated by a small "which collection does
// this read like" model), a logistic combiner over the signals (standardised) and the text models' scores, and a
// Platt calibration fitted on out-of-fold (cross-fitted) combiner scores. Trained on several collections, the
// combiner is a blend of that logistic regression and gradient-boosted trees over the same inputs (monotone in
// every signal along its documented direction), which can use interactions (e.g. how far to trust each text model
// given the others and the collection it reads like).
// Explanations: each factor's effect is the change of the 0–100 score if that factor's features were at the
// training average (the whole model re-scored: linear part and trees), and points at the spans of text that
// show the signal.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Doc } from "../../doc/doc.js";
import { fmix32 as fmix, murmur3, type SparseVector } from "../../learn/hashing.js";
import { GradientBoostedTrees, type GbdtJSON } from "../../learn/gbdt.js";
import { LogisticRegression, sigmoid, type LogisticJSON } from "../../learn/logistic.js";
import { loadModel, shippedModelPath } from "../../learn/model-io.js";
import type { Credibility, TextSpan } from "../../schema/analysis.js";
import { UserError } from "../../util/errors.js";
import { DIRECTION, FACTOR_OF, FEATURES, signals, type Signals } from "./signals.js";

/** Bits of each hashed block: word n-grams in [0, 2^bits), character n-grams in [2^bits, 2^(bits+1)). */
export const TEXT_BITS = 18;
const TEXT_MASK = (1 << TEXT_BITS) - 1;
const CHAR_OFFSET = 1 << TEXT_BITS;
/** Dimension of a text vector (word block + character block); the word-only vector uses the first half. */
export const TEXT_DIM = 2 << TEXT_BITS;
const MAX_TOKENS = 3000;
/** Character n-grams are read from the first MAX_CHARS characters (whitespace runs count as one). */
const MAX_CHARS = 1000;

export interface CredibilityModelJSON {
  kind: "credibility";
  version: 3;
  /** The text model over all training collections (its logit is the signal "text.model"). */
  text: LogisticJSON;
  /**
   * One text model per training collection (none when trained on one): each is confident on its own
   * collection's wording, and the combiner weighs their logits (features "text.expert.<domain>").
   */
  experts: { domain: string; model: LogisticJSON }[];
  /**
   * With experts: a word n-gram model of which training collection an article reads like (binary for two
   * collections: probability of the second; softmax otherwise). Its probability g_d gates each expert: the
   * combiner also sees g_d x expert_d ("text.gated.<domain>"), so an expert counts more where its wording fits.
   */
  domain: { domains: string[]; model: LogisticJSON } | null;
  /** Combiner inputs: FEATURES, then one "text.expert.<domain>" per expert, then one "text.gated.<domain>" each. */
  features: string[];
  mean: number[];
  std: number[];
  combiner: LogisticJSON;
  /**
   * Optional tree part of the combiner (raw, unstandardised inputs): the combiner score is
   * linearWeight x logistic score + treeWeight x tree margin. Absent or null: the logistic score alone.
   */
  trees?: { model: GbdtJSON; linearWeight: number; treeWeight: number } | null;
  /**
   * Optional headline model (round 10): a text model over the headline alone (its word n-grams and character
   * 3–5-grams, see titleVector), trained on all collections like the pooled one. Its logit is the combiner input
   * "text.title", and times the probability of each collection in `gates` the input "text.title.gated.<domain>"
   * (after the gated experts). Absent or null: no headline model.
   */
  title?: { model: LogisticJSON; gates: string[] } | null;
  platt: { a: number; b: number };
  /** Pipeline stages whose layers fed training. */
  stages: string[];
}

const PUNCT_KEEP = new Set(["!", "?", '"', "“", "”"]);

export interface TextHashes {
  /** Hashed unigram at token i, bigram ending at i, headline unigram at i (or -1). */
  uni: Int32Array;
  bi: Int32Array;
  head: Int32Array;
  n: number;
  /** Character 3-, 4- and 5-gram starting at compacted character c: chars[3c + k] (or -1), in the char block. */
  chars: Int32Array;
  /** Offset in `document.text` of compacted character c. */
  charPos: Int32Array;
  nc: number;
}

const LOWER = new Map<number, number>();
/** Lower-cased UTF-16 code unit (one unit to one unit; anything else is kept). */
function lower(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  let l = LOWER.get(c);
  if (l === undefined) {
    const s = String.fromCharCode(c).toLowerCase();
    l = s.length === 1 ? s.charCodeAt(0) : c;
    LOWER.set(c, l);
  }
  return l;
}

const isSpace = (c: number) =>
  c === 32 ||
  (c >= 9 && c <= 13) ||
  c === 160 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;

/**
 * Hashed character 3–5-grams of the lower-cased text with whitespace runs collapsed to one space (FNV-1a over
 * the code units, finalised per length), in the character block of the text vector.
 */
function charHashes(text: string): { chars: Int32Array; charPos: Int32Array; nc: number } {
  const cap = Math.min(text.length, MAX_CHARS);
  const codes = new Uint16Array(cap);
  const charPos = new Int32Array(cap);
  let m = 0;
  let space = true;
  for (let i = 0; i < text.length && m < cap; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (space) continue;
      space = true;
      codes[m] = 32;
    } else {
      space = false;
      codes[m] = lower(c);
    }
    charPos[m++] = i;
  }
  const chars = new Int32Array(3 * m).fill(-1);
  for (let i = 0; i + 3 <= m; i++) {
    let h = 0x811c9dc5;
    for (let k = 0; k < 5 && i + k < m; k++) {
      h = Math.imul(h ^ codes[i + k]!, 0x01000193);
      if (k >= 2) chars[3 * i + k - 2] = CHAR_OFFSET + (fmix(h ^ (k << 28)) & TEXT_MASK);
    }
  }
  return { chars, charPos, nc: m };
}

/**
 * Hashed n-gram indices of the first MAX_TOKENS tokens (headline words get a feature of their own too) and the
 * character n-grams of the text.
 */
export function textHashes(doc: Doc): TextHashes {
  const n = Math.min(doc.tokens.count, MAX_TOKENS);
  const norm = doc.tokens.norm;
  const uni = new Int32Array(n);
  const bi = new Int32Array(n);
  const head = new Int32Array(n).fill(-1);
  const hEnd = doc.meta.headline ? doc.meta.headline.end : -1;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const t = norm[i]!;
    const c = t.charCodeAt(0);
    // Words and numbers (anything from "0" up except ASCII punctuation), plus ! ? and quotes.
    const keep =
      (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127 || PUNCT_KEEP.has(t);
    if (!keep) {
      uni[i] = -1;
      bi[i] = -1;
      prev = 0;
      continue;
    }
    const hu = murmur3(t);
    uni[i] = fmix(hu ^ 0x55555555) & TEXT_MASK;
    bi[i] = prev ? fmix(Math.imul(prev, 0x9e3779b1) ^ hu) & TEXT_MASK : -1;
    if (doc.tokens.end[i]! <= hEnd) head[i] = fmix(hu ^ 0x33333333) & TEXT_MASK;
    prev = hu | 1;
  }
  return { uni, bi, head, n, ...charHashes(doc.text) };
}

const wordCount = new Uint32Array(1 << TEXT_BITS);
const charCount = new Uint32Array(1 << TEXT_BITS);
const touched = new Int32Array(3 * Math.max(MAX_TOKENS, MAX_CHARS));

/**
 * Log-scaled, L2-normalised counts of the hashed buckets in `keys` (minus `offset`), in order of first
 * occurrence, counted in a reusable table (no per-article map).
 */
function logCounts(keys: ArrayLike<number>[], offset: number, count: Uint32Array): SparseVector {
  let n = 0;
  for (const ks of keys)
    for (let j = 0; j < ks.length; j++) {
      const b = ks[j]!;
      if (b < 0) continue;
      const k = b - offset;
      if (count[k]++ === 0) touched[n++] = k;
    }
  const idx = new Int32Array(n);
  const val = new Float32Array(n);
  let norm = 0;
  for (let j = 0; j < n; j++) {
    const k = touched[j]!;
    const v = 1 + Math.log(count[k]!);
    count[k] = 0;
    idx[j] = k + offset;
    val[j] = v;
    norm += v * v;
  }
  const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let j = 0; j < n; j++) val[j]! *= s;
  return { idx, val };
}

/**
 * The headline model's input: the word n-grams of the headline's tokens (unigrams, bigrams inside the headline,
 * headline unigrams) and the character 3–5-grams of the headline text, as textVector builds them for a whole text.
 * Empty without a headline.
 */
export function titleVector(doc: Doc, h: TextHashes): SparseVector {
  const head = doc.meta.headline;
  if (!head || head.end <= head.start) return { idx: new Int32Array(0), val: new Float32Array(0) };
  let n = 0;
  while (n < h.n && doc.tokens.end[n]! <= head.end) n++;
  const keys = new Int32Array(3 * n);
  for (let i = 0; i < n; i++) {
    keys[3 * i] = h.uni[i]!;
    keys[3 * i + 1] = i > 0 ? h.bi[i]! : -1;
    keys[3 * i + 2] = h.head[i]!;
  }
  const w = logCounts([keys], 0, wordCount);
  return textVector({ ...h, ...charHashes(doc.text.slice(head.start, head.end)) }, w);
}

/** Log-scaled, L2-normalised word n-gram counts (the word block only: the input of the collection model). */
export function wordVector(h: TextHashes): SparseVector {
  // Token by token: unigram, bigram, headline unigram (the order the vector lists them in).
  const keys = new Int32Array(3 * h.n);
  for (let i = 0; i < h.n; i++) {
    keys[3 * i] = h.uni[i]!;
    keys[3 * i + 1] = h.bi[i]!;
    keys[3 * i + 2] = h.head[i]!;
  }
  return logCounts([keys], 0, wordCount);
}

/**
 * The text models' input: the word block (as in wordVector) and the character block (log-scaled,
 * L2-normalised counts), each scaled by 1/sqrt(2) so the whole vector has unit length.
 */
export function textVector(h: TextHashes, w: SparseVector = wordVector(h)): SparseVector {
  const c = logCounts([h.chars], CHAR_OFFSET, charCount);
  const n = w.idx.length;
  const idx = new Int32Array(n + c.idx.length);
  const val = new Float32Array(n + c.idx.length);
  idx.set(w.idx);
  idx.set(c.idx, n);
  for (let j = 0; j < n; j++) val[j] = w.val[j]! * Math.SQRT1_2;
  for (let j = 0; j < c.idx.length; j++) val[n + j] = c.val[j]! * Math.SQRT1_2;
  return { idx, val };
}

export function combinerInput(
  values: ArrayLike<number>,
  mean: ArrayLike<number>,
  std: ArrayLike<number>,
): SparseVector {
  const n = values.length;
  const idx = new Int32Array(n);
  const val = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    idx[i] = i;
    val[i] = (values[i]! - mean[i]!) / (std[i]! || 1);
  }
  return { idx, val };
}

/**
 * Fewest words of body text (outside the headline) the stage scores. Below it there is nothing to judge but a
 * headline or a fragment, and in the training data such "articles" are scraper leftovers rather than news: of
 * the FakeNewsNet texts under 25 words, nearly all are boilerplate ("Account Suspended", "Your browser does not
 * support the video tag", "Sign in"), and the model's out-of-fold ranking of them is close to chance (model card,
 * round 8). `credibility` is optional in the output: such a text gets none.
 */
export const MIN_BODY_WORDS = 25;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Words (tokens holding a letter or a digit) outside the headline, counted up to `cap`. */
export function bodyWords(doc: Doc, cap = Number.POSITIVE_INFINITY): number {
  const h = doc.meta.headline;
  const hEnd = h ? h.end : 0;
  const { norm, start, count } = doc.tokens;
  let n = 0;
  for (let i = 0; i < count && n < cap; i++) if (start[i]! >= hEnd && WORD_CHAR.test(norm[i]!)) n++;
  return n;
}

/** Name of the combiner input that carries an expert text model's logit. */
export const expertFeature = (domain: string) => `text.expert.${domain}`;
/** Name of the combiner input that carries an expert's logit times the probability of its collection. */
export const gatedFeature = (domain: string) => `text.gated.${domain}`;
/** Name of the combiner input that carries the headline model's logit. */
export const TITLE_FEATURE = "text.title";
/** Name of the combiner input that carries the headline model's logit times the probability of a collection. */
export const titleGatedFeature = (domain: string) => `text.title.gated.${domain}`;

export class CredibilityModel {
  readonly text: LogisticRegression;
  readonly experts: LogisticRegression[];
  /** Which collection an article reads like (null without experts). */
  readonly domain: LogisticRegression | null;
  readonly combiner: LogisticRegression;
  /** Headline model (null: none) and, for each of its gated inputs, the index of the collection in the gates. */
  readonly title: LogisticRegression | null;
  private readonly titleGates: number[];
  /** Tree part of the combiner (null: logistic only) and the blend weights. */
  readonly trees: GradientBoostedTrees | null;
  private readonly linearWeight: number;
  private readonly treeWeight: number;
  /** Reused float32 copy of the combiner input for the trees (trained on float32 values). */
  private readonly treeRow: Float32Array;
  /** Per factor, the trees that split on one of its inputs (only those change when it is set to the mean). */
  private readonly treesOf = new Map<string, Int32Array>();
  private readonly treeVals: Float64Array;
  /** Factor of each combiner input (every text model belongs to "wording"). */
  readonly factorOf: string[];
  /**
   * The text models' weights interleaved (index k of model m at k * M + m, M = 1 + experts): one pass over a
   * text vector scores them all, reading each n-gram's weights from one cache line.
   */
  private readonly textWeights: Float32Array;
  private readonly M: number;

  constructor(readonly json: CredibilityModelJSON) {
    const nF = FEATURES.length;
    const nE = json.experts.length;
    const gated = json.domain ? nE : 0;
    const domains = json.domain ? json.domain.domains : [];
    const titleGates = json.title ? json.title.gates.map((d) => domains.indexOf(d)) : [];
    const nT = json.title ? 1 + titleGates.length : 0;
    if (
      json.kind !== "credibility" ||
      json.version !== 3 ||
      json.features.slice(0, nF).join(",") !== FEATURES.join(",") ||
      json.features.length !== nF + nE + gated + nT ||
      titleGates.some((e) => e < 0) ||
      (json.domain !== null && json.domain.domains.join(",") !== json.experts.map((e) => e.domain).join(","))
    )
      throw new UserError(
        "credibility model was trained with other features: run `claimscope train credibility`",
      );
    this.text = LogisticRegression.fromJSON(json.text);
    this.experts = json.experts.map((e) => LogisticRegression.fromJSON(e.model));
    this.domain = json.domain ? LogisticRegression.fromJSON(json.domain.model) : null;
    this.combiner = LogisticRegression.fromJSON(json.combiner);
    this.title = json.title ? LogisticRegression.fromJSON(json.title.model) : null;
    this.titleGates = titleGates;
    this.trees = json.trees ? GradientBoostedTrees.fromJSON(json.trees.model) : null;
    this.linearWeight = json.trees ? json.trees.linearWeight : 1;
    this.treeWeight = json.trees ? json.trees.treeWeight : 0;
    if (this.trees && this.trees.dim !== json.features.length)
      throw new UserError("credibility model: trees over other inputs: run `claimscope train credibility`");
    this.treeRow = new Float32Array(json.features.length);
    this.treeVals = new Float64Array(this.trees ? this.trees.trees : 0);
    this.factorOf = json.features.map((_, j) => (j < nF ? FACTOR_OF[FEATURES[j]!] : "wording"));
    if (this.trees) {
      const lists = new Map<string, number[]>();
      for (let t = 0; t < this.trees.trees; t++)
        for (const name of new Set(this.trees.treeFeatures(t).map((j) => this.factorOf[j]!)))
          lists.set(name, [...(lists.get(name) ?? []), t]);
      for (const [name, ts] of lists) this.treesOf.set(name, Int32Array.from(ts));
    }
    const models = [this.text, ...this.experts];
    const M = models.length;
    const dim = this.text.dim;
    if (models.some((m) => m.dim !== dim || m.outputs !== 1))
      throw new UserError("credibility model: text models of different sizes");
    const tw = new Float32Array(dim * M);
    for (let m = 0; m < M; m++) {
      const w = models[m]!.weights;
      for (let k = 0; k < dim; k++) tw[k * M + m] = w[k]!;
    }
    this.textWeights = tw;
    this.M = M;
  }

  /** Logits of the pooled text model (out[0]) and of each expert (out[1 + e]); same sums as LogisticRegression.scores. */
  private textScores(x: SparseVector): Float64Array {
    const M = this.M;
    const out = new Float64Array(M);
    out[0] = this.text.bias[0]!;
    for (let e = 0; e < this.experts.length; e++) out[1 + e] = this.experts[e]!.bias[0]!;
    const tw = this.textWeights;
    const { idx, val } = x;
    for (let j = 0; j < idx.length; j++) {
      const base = idx[j]! * M;
      const v = val[j]!;
      for (let m = 0; m < M; m++) out[m]! += tw[base + m]! * v;
    }
    return out;
  }

  static load(dir?: string): CredibilityModel {
    const p = dir ? join(dir, "model.json.gz") : shippedModelPath("credibility");
    if (!existsSync(p))
      throw new UserError(`credibility model not found at ${p}: run \`claimscope train credibility\``);
    return new CredibilityModel(loadModel<CredibilityModelJSON>(p));
  }

  /** Probability of each expert's collection (empty without a collection model). */
  gates(words: SparseVector): Float64Array {
    return this.domain ? this.domain.predictProba(words) : new Float64Array(0);
  }

  /**
   * The combiner's input vector: signals with the text model's logit at 0, then the experts' logits, then each
   * expert's logit times the probability of its collection, then (with a headline model) its logit and its logit
   * times the probability of each of its gate collections. `words` (the word block) feeds the collection model,
   * `title` (titleVector) the headline model.
   */
  inputValues(
    sigValues: ArrayLike<number>,
    text: SparseVector,
    words: SparseVector = text,
    g: Float64Array = this.gates(words),
    title?: SparseVector,
  ): Float64Array {
    const nF = FEATURES.length;
    const nE = this.experts.length;
    const x = new Float64Array(this.json.features.length);
    for (let j = 0; j < nF; j++) x[j] = sigValues[j]!;
    const t = this.textScores(text);
    x[0] = t[0]!;
    for (let e = 0; e < nE; e++) {
      const s = t[1 + e]!;
      x[nF + e] = s;
      if (g.length) x[nF + nE + e] = g[e]! * s;
    }
    if (this.title) {
      if (!title) throw new Error("credibility model: the headline model needs the headline vector");
      const k = nF + nE + g.length;
      const s = this.title.scores(title)[0]!;
      x[k] = s;
      this.titleGates.forEach((e, j) => (x[k + 1 + j] = g[e]! * s));
    }
    return x;
  }

  /** Signals of a Doc and the combiner input built from them and the text models. */
  signals(doc: Doc): { sig: Signals; hashes: TextHashes; values: Float64Array; gates: Float64Array } {
    const sig = signals(doc);
    const hashes = textHashes(doc);
    const words = wordVector(hashes);
    const gates = this.gates(words);
    const title = this.title ? titleVector(doc, hashes) : undefined;
    const values = this.inputValues(sig.values, textVector(hashes, words), words, gates, title);
    sig.values[0] = values[0]!;
    return { sig, hashes, values, gates };
  }

  /** Margin of the tree part for raw combiner inputs (0 without trees). */
  private treeMargin(values: ArrayLike<number>): number {
    if (!this.trees) return 0;
    const row = this.treeRow;
    for (let i = 0; i < row.length; i++) row[i] = values[i]!;
    return this.trees.margin(row);
  }

  /** Combiner score (before calibration) of raw combiner inputs. */
  score(values: ArrayLike<number>): number {
    const zl = this.combiner.scores(combinerInput(values, this.json.mean, this.json.std))[0]!;
    return this.linearWeight * zl + this.treeWeight * this.treeMargin(values);
  }

  probability(values: ArrayLike<number>): number {
    return sigmoid(this.json.platt.a * this.score(values) + this.json.platt.b);
  }

  assess(doc: Doc): Credibility {
    const { sig, hashes, values, gates } = this.signals(doc);
    const x = combinerInput(values, this.json.mean, this.json.std);
    const W = this.combiner.weights;
    const tree = this.treeMargin(values);
    const z = this.linearWeight * this.combiner.scores(x)[0]! + this.treeWeight * tree;
    const { a, b } = this.json.platt;
    const p = sigmoid(a * z + b);
    // Each factor's push on the score: its inputs' linear terms (zero at the training average) plus, with
    // trees, the change of the tree margin when its inputs are set to the training average.
    const dz = new Map<string, number>();
    for (let i = 0; i < values.length; i++) {
      const f = this.factorOf[i]!;
      dz.set(f, (dz.get(f) ?? 0) + this.linearWeight * W[i]! * x.val[i]!);
    }
    if (this.trees) {
      const row = this.treeRow;
      const tv = this.treeVals;
      for (let i = 0; i < row.length; i++) row[i] = values[i]!;
      for (let t = 0; t < tv.length; t++) tv[t] = this.trees.treeValue(t, row);
      for (const f of dz.keys()) {
        const ts = this.treesOf.get(f);
        if (!ts) continue;
        for (let i = 0; i < row.length; i++)
          row[i] = this.factorOf[i] === f ? this.json.mean[i]! : values[i]!;
        let delta = 0;
        for (let k = 0; k < ts.length; k++) delta += tv[ts[k]!]! - this.trees.treeValue(ts[k]!, row);
        dz.set(f, dz.get(f)! + this.treeWeight * delta);
      }
    }
    const factors: Credibility["factors"] = [];
    const h = doc.meta.headline;
    const bodySpan: TextSpan = {
      start: h ? Math.min(doc.text.length, h.end + (doc.text.length > h.end ? 2 : 0)) : 0,
      end: doc.text.length,
      text: "",
    };
    bodySpan.text = doc.text.slice(bodySpan.start, bodySpan.end);
    for (const [name, d] of dz) {
      const effect = 100 * (p - sigmoid(a * (z - d) + b));
      // Non-trivial: half a score point, or 0.05 in log-odds (effects in points shrink near 0 and 100).
      if (Math.abs(effect) < 0.5 && Math.abs(a * d) < 0.05) continue;
      let spans =
        name === "wording" ? this.wordingSpans(doc, hashes, gates, effect < 0) : (sig.spans.get(name) ?? []);
      // A signal shown by an absence (no quotes, no numbers) points at the whole body where none was found; the
      // headline's style, at the headline.
      if (spans.length === 0 && name === "headline-style" && h && h.end > h.start)
        spans = [{ start: h.start, end: h.end, text: doc.text.slice(h.start, h.end) }];
      if (spans.length === 0 && bodySpan.end > bodySpan.start) spans = [bodySpan];
      factors.push({
        name,
        effect: Math.round(effect * 10) / 10,
        detail: describe(name, effect, sig, spans, doc),
        spans,
      });
    }
    factors.sort((u, v) => Math.abs(v.effect) - Math.abs(u.effect));
    const score = Math.round(p * 1000) / 10;
    return {
      score,
      band: score < 40 ? "low" : score < 70 ? "mixed" : "high",
      probability: Math.round(p * 10000) / 10000,
      factors,
    };
  }

  /**
   * Tokens whose n-grams push the combiner most in the direction of the effect (up to 6 distinct phrases). Each
   * text model's weights count with their combiner slope for this article (combiner weight / standard deviation,
   * the gated input's times its collection probability); a character n-gram counts for the token it starts in.
   * With trees, the spans follow the linear part's slopes (the trees are step functions of the text scores and
   * have no per-n-gram slope).
   */
  private wordingSpans(doc: Doc, hashes: TextHashes, gates: Float64Array, negative: boolean): TextSpan[] {
    const W = this.combiner.weights;
    const { std } = this.json;
    const nF = FEATURES.length;
    const nE = this.experts.length;
    const M = this.M;
    const coef = new Float64Array(M);
    coef[0] = W[0]! / (std[0]! || 1);
    for (let e = 0; e < nE; e++) {
      coef[1 + e] = W[nF + e]! / (std[nF + e]! || 1);
      if (gates.length) coef[1 + e]! += (gates[e]! * W[nF + nE + e]!) / (std[nF + nE + e]! || 1);
    }
    const tw = this.textWeights;
    const push = (k: number) => {
      let s = 0;
      for (let m = 0; m < M; m++) s += coef[m]! * tw[k * M + m]!;
      return s;
    };
    // The headline model's slope (its input and its gated inputs) counts for the headline's n-grams.
    const hEnd = this.title && doc.meta.headline ? doc.meta.headline.end : -1;
    let cT = 0;
    if (this.title) {
      const kT = nF + nE + gates.length;
      cT = W[kT]! / (std[kT]! || 1);
      this.titleGates.forEach((e, j) => (cT += (gates[e]! * W[kT + 1 + j]!) / (std[kT + 1 + j]! || 1)));
    }
    const tW = this.title ? this.title.weights : null;
    const n = hashes.n;
    const tok = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const inHead = tW !== null && doc.tokens.end[i]! <= hEnd;
      if (hashes.uni[i]! >= 0) tok[i]! += push(hashes.uni[i]!) + (inHead ? cT * tW[hashes.uni[i]!]! : 0);
      if (hashes.bi[i]! >= 0) tok[i]! += push(hashes.bi[i]!) + (inHead ? cT * tW[hashes.bi[i]!]! : 0);
      if (hashes.head[i]! >= 0) tok[i]! += push(hashes.head[i]!) + (inHead ? cT * tW[hashes.head[i]!]! : 0);
    }
    // Character n-grams: walk the compacted characters and the tokens together (in the headline, those starting
    // there count for the headline model too; an n-gram running past the headline is read as the whole text's).
    const { start, end } = doc.tokens;
    let t = 0;
    for (let c = 0; c < hashes.nc && t < n; c++) {
      const pos = hashes.charPos[c]!;
      while (t < n && end[t]! <= pos) t++;
      if (t >= n || start[t]! > pos) continue;
      for (let k = 0; k < 3; k++) {
        const b = hashes.chars[3 * c + k]!;
        if (b >= 0) tok[t]! += push(b) + (tW !== null && pos < hEnd ? cT * tW[b]! : 0);
      }
    }
    const sign = negative ? -1 : 1;
    const scored: { i: number; s: number }[] = [];
    for (let i = 0; i < n; i++) {
      // Keep only the strongest TOP candidates (insertion into a short sorted list, no full sort).
      const v = tok[i]! * sign;
      if (v <= 0 || (scored.length === TOP && v <= scored[TOP - 1]!.s)) continue;
      let k = scored.length < TOP ? scored.length : TOP - 1;
      if (scored.length < TOP) scored.push({ i, s: v });
      while (k > 0 && scored[k - 1]!.s < v) {
        scored[k] = scored[k - 1]!;
        k--;
      }
      scored[k] = { i, s: v };
    }
    const out: TextSpan[] = [];
    const seen = new Set<string>();
    for (const { i } of scored) {
      let start = hashes.bi[i]! >= 0 && i > 0 ? doc.tokens.start[i - 1]! : doc.tokens.start[i]!;
      const end = doc.tokens.end[i]!;
      // A bigram across a line break (headline | body) is shown as its last word.
      if (doc.text.lastIndexOf("\n", end - 1) >= start) start = doc.tokens.start[i]!;
      const text = doc.text.slice(start, end);
      const key = text.toLowerCase();
      if (seen.has(key) || !/\p{L}/u.test(text)) continue;
      seen.add(key);
      out.push({ start, end, text });
      if (out.length >= 6) break;
    }
    return out.sort((u, v) => u.start - v.start);
  }
}

const TOP = 32;

function q(spans: TextSpan[], n = 3): string {
  return spans
    .slice(0, n)
    .map((s) => `“${s.text.length > 60 ? s.text.slice(0, 57) + "…" : s.text}”`)
    .join(", ");
}

/** +1 / -1 when all of a factor's features share a documented direction, else 0. */
const FACTOR_DIR = new Map<string, number>();
for (const f of FEATURES) {
  const name = FACTOR_OF[f];
  const prev = FACTOR_DIR.get(name);
  FACTOR_DIR.set(name, prev === undefined || prev === DIRECTION[f] ? DIRECTION[f] : 0);
}

function describe(name: string, effect: number, sig: Signals, spans: TextSpan[], doc: Doc): string {
  const c = sig.counts;
  // A signal that lowers credibility when present raises it when there is less of it than usual, and vice versa.
  const fewer = (FACTOR_DIR.get(name) ?? 0) * effect < 0 && name !== "wording";
  const dir =
    (fewer ? "less than in a typical article, " : "") +
    (effect < 0 ? "a signal of lower credibility" : "a signal of higher credibility");
  const pl = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  switch (name) {
    case "wording":
      return effect < 0
        ? `Wording resembles low-credibility articles in the training data (${q(spans, 4)})`
        : `Wording resembles high-credibility articles in the training data (${q(spans, 4)})`;
    case "all-caps":
      return c.caps
        ? `${pl(c.caps, "word")} in all capitals (${q(spans)}): ${dir}`
        : `No shouting in all capitals: ${dir}`;
    case "exclamation":
      return c.exclaim ? `${pl(c.exclaim, "exclamation mark")}: ${dir}` : `No exclamation marks: ${dir}`;
    case "sensational-words":
      return c.sensational
        ? `${pl(c.sensational, "sensational word")} (${q(spans, 4)}): ${dir}`
        : `No sensational vocabulary: ${dir}`;
    case "headline-style":
      return `Headline with ${pl(c.headline ?? 0, "click-bait cue")} (question/exclamation marks, capitals, "you", "this", "why"…): ${dir}`;
    case "reader-address":
      return c.you
        ? `Addresses the reader directly ${c.you} time${c.you === 1 ? "" : "s"}: ${dir}`
        : `Never addresses the reader directly: ${dir}`;
    case "anonymous-sourcing":
      return c.anonymous
        ? `${pl(c.anonymous, "anonymous or hearsay sourcing cue")} (${q(spans)}): ${dir}`
        : `No anonymous or hearsay sourcing cues: ${dir}`;
    case "quotes-and-attribution":
      return `${pl(c.quotes ?? 0, "quotation")} and ${pl(c.said ?? 0, "attribution cue")} in the body: ${dir}`;
    case "specific-details":
      return `${pl(c.numbers ?? 0, "date, number or amount")} in the body: ${dir}`;
    case "unattributed-assertions":
      return `${c.unattributed ?? 0} of ${pl(c.claims ?? 0, "claim")} asserted without a source: ${dir}`;
    case "unsupported-claims":
      return `${c.unsupported ?? 0} of ${pl(c.claims ?? 0, "claim")} state no evidence or are marked unsupported: ${dir}`;
    case "cue-framing":
      return c.framed
        ? `${pl(c.framed, "claim")} introduced with distancing or loaded verbs (${q(spans)}): ${dir}`
        : `No claim introduced with distancing or loaded verbs: ${dir}`;
    case "cited-evidence":
      return `${pl(c.cited ?? 0, "claim")} cite evidence: ${dir}`;
    case "persuasion-techniques": {
      const names = [...new Set((doc.layers.techniques ?? []).map((t) => t.technique))]
        .slice(0, 3)
        .join(", ");
      return c.techniques
        ? `${pl(c.techniques, "persuasion technique span")} (${names}): ${dir}`
        : `No persuasion technique spans: ${dir}`;
    }
    case "headline-body-stance": {
      const st = doc.layers.stance;
      if (!st) return `Headline–body stance: ${dir}`;
      const phr: Record<string, string> = {
        agree: "The body agrees with its headline",
        disagree: "The body disputes its own headline",
        discuss: "The body discusses its headline without endorsing it",
        unrelated: "The body does not match its headline",
      };
      const s = st.scores;
      return `${phr[st.label]} (agree ${s.agree?.toFixed(2)}, disagree ${s.disagree?.toFixed(2)}, discuss ${s.discuss?.toFixed(2)}, unrelated ${s.unrelated?.toFixed(2)}): ${dir}`;
    }
    case "fact-checks":
      return `${pl(c.factchecks ?? 0, "claim")} match earlier fact-checks with a false-ish rating: ${dir}`;
    default:
      return dir;
  }
}
