// The credibility model: hashed word n-gram text models (one over all training collections, plus one per
// collection when there are several), a small logistic combiner over the signals (standardised) and the text
// models' scores, and a Platt calibration fitted on out-of-fold (cross-fitted) combiner scores.
// Explanations: each factor's effect is the change of the 0–100 score if that factor's features were at the
// training average, and points at the spans of text that show the signal.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Doc } from "../../doc/doc.js";
import { fmix32 as fmix, murmur3, type SparseVector } from "../../learn/hashing.js";
import { LogisticRegression, sigmoid, type LogisticJSON } from "../../learn/logistic.js";
import { loadModel, shippedModelPath } from "../../learn/model-io.js";
import type { Credibility, TextSpan } from "../../schema/analysis.js";
import { UserError } from "../../util/errors.js";
import { DIRECTION, FACTOR_OF, FEATURES, signals, type Signals } from "./signals.js";

export const TEXT_BITS = 18;
const TEXT_MASK = (1 << TEXT_BITS) - 1;
const MAX_TOKENS = 3000;

export interface CredibilityModelJSON {
  kind: "credibility";
  version: 2;
  /** The text model over all training collections (its logit is the signal "text.model"). */
  text: LogisticJSON;
  /**
   * One text model per training collection (none when trained on one): each is confident on its own
   * collection's wording, and the combiner weighs their logits (features "text.expert.<domain>").
   */
  experts: { domain: string; model: LogisticJSON }[];
  /** Combiner inputs: FEATURES, then one "text.expert.<domain>" per expert. */
  features: string[];
  mean: number[];
  std: number[];
  combiner: LogisticJSON;
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
}

/** Hashed n-gram indices of the first MAX_TOKENS tokens; headline words get a feature of their own too. */
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
  return { uni, bi, head, n };
}

/** Log-scaled, L2-normalised n-gram counts. */
export function textVector(h: TextHashes): SparseVector {
  const acc = new Map<number, number>();
  for (let i = 0; i < h.n; i++) {
    if (h.uni[i]! >= 0) acc.set(h.uni[i]!, (acc.get(h.uni[i]!) ?? 0) + 1);
    if (h.bi[i]! >= 0) acc.set(h.bi[i]!, (acc.get(h.bi[i]!) ?? 0) + 1);
    if (h.head[i]! >= 0) acc.set(h.head[i]!, (acc.get(h.head[i]!) ?? 0) + 1);
  }
  const idx = new Int32Array(acc.size);
  const val = new Float32Array(acc.size);
  let k = 0;
  let norm = 0;
  for (const [i, c] of acc) {
    idx[k] = i;
    const v = 1 + Math.log(c);
    val[k++] = v;
    norm += v * v;
  }
  const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let j = 0; j < val.length; j++) val[j]! *= s;
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

/** Name of the combiner input that carries an expert text model's logit. */
export const expertFeature = (domain: string) => `text.expert.${domain}`;

export class CredibilityModel {
  readonly text: LogisticRegression;
  readonly experts: LogisticRegression[];
  readonly combiner: LogisticRegression;
  /** Factor of each combiner input (every text model belongs to "wording"). */
  readonly factorOf: string[];
  /**
   * Per hashed n-gram: its total push on the combiner's log-odds through all text models (combiner weight /
   * standard deviation x text weight), used to point at the wording behind the "wording" factor.
   */
  readonly wordingWeights: Float32Array;

  constructor(readonly json: CredibilityModelJSON) {
    const nF = FEATURES.length;
    if (
      json.kind !== "credibility" ||
      json.version !== 2 ||
      json.features.slice(0, nF).join(",") !== FEATURES.join(",") ||
      json.features.length !== nF + json.experts.length
    )
      throw new UserError(
        "credibility model was trained with other features: run `claimscope train credibility`",
      );
    this.text = LogisticRegression.fromJSON(json.text);
    this.experts = json.experts.map((e) => LogisticRegression.fromJSON(e.model));
    this.combiner = LogisticRegression.fromJSON(json.combiner);
    this.factorOf = json.features.map((_, j) => (j < nF ? FACTOR_OF[FEATURES[j]!] : "wording"));
    const W = this.combiner.weights;
    const ww = new Float32Array(this.text.weights.length);
    const models: [LogisticRegression, number][] = [
      [this.text, 0],
      ...this.experts.map((m, e): [LogisticRegression, number] => [m, nF + e]),
    ];
    for (const [m, j] of models) {
      const c = W[j]! / (json.std[j]! || 1);
      if (c === 0) continue;
      const tw = m.weights;
      for (let h = 0; h < ww.length; h++) ww[h]! += c * tw[h]!;
    }
    this.wordingWeights = ww;
  }

  static load(dir?: string): CredibilityModel {
    const p = dir ? join(dir, "model.json.gz") : shippedModelPath("credibility");
    if (!existsSync(p))
      throw new UserError(`credibility model not found at ${p}: run \`claimscope train credibility\``);
    return new CredibilityModel(loadModel<CredibilityModelJSON>(p));
  }

  /** The combiner's input vector: signals with the text model's logit at 0, then the experts' logits. */
  inputValues(sigValues: ArrayLike<number>, text: SparseVector): Float64Array {
    const nF = FEATURES.length;
    const x = new Float64Array(nF + this.experts.length);
    for (let j = 0; j < nF; j++) x[j] = sigValues[j]!;
    x[0] = this.text.scores(text)[0]!;
    for (let e = 0; e < this.experts.length; e++) x[nF + e] = this.experts[e]!.scores(text)[0]!;
    return x;
  }

  /** Signals of a Doc and the combiner input built from them and the text models. */
  signals(doc: Doc): { sig: Signals; hashes: TextHashes; values: Float64Array } {
    const sig = signals(doc);
    const hashes = textHashes(doc);
    const values = this.inputValues(sig.values, textVector(hashes));
    sig.values[0] = values[0]!;
    return { sig, hashes, values };
  }

  probability(values: ArrayLike<number>): number {
    const z = this.combiner.scores(combinerInput(values, this.json.mean, this.json.std))[0]!;
    return sigmoid(this.json.platt.a * z + this.json.platt.b);
  }

  assess(doc: Doc): Credibility {
    const { sig, hashes, values } = this.signals(doc);
    const x = combinerInput(values, this.json.mean, this.json.std);
    const z = this.combiner.scores(x)[0]!;
    const { a, b } = this.json.platt;
    const p = sigmoid(a * z + b);
    const W = this.combiner.weights;
    const dz = new Map<string, number>();
    for (let i = 0; i < values.length; i++) {
      const f = this.factorOf[i]!;
      dz.set(f, (dz.get(f) ?? 0) + W[i]! * x.val[i]!);
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
        name === "wording" ? this.wordingSpans(doc, hashes, effect < 0) : (sig.spans.get(name) ?? []);
      // A signal shown by an absence (no quotes, no numbers) points at the whole body where none was found.
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

  /** Tokens whose n-grams push the text models most in the direction of the effect (up to 6 distinct phrases). */
  private wordingSpans(doc: Doc, hashes: TextHashes, negative: boolean): TextSpan[] {
    const W = this.wordingWeights;
    const sign = negative ? -1 : 1;
    const scored: { i: number; s: number }[] = [];
    for (let i = 0; i < hashes.n; i++) {
      let s = 0;
      if (hashes.uni[i]! >= 0) s += W[hashes.uni[i]!]!;
      if (hashes.bi[i]! >= 0) s += W[hashes.bi[i]!]!;
      if (hashes.head[i]! >= 0) s += W[hashes.head[i]!]!;
      // Keep only the strongest TOP candidates (insertion into a short sorted list, no full sort).
      const v = s * sign;
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
      const start = hashes.bi[i]! >= 0 && i > 0 ? doc.tokens.start[i - 1]! : doc.tokens.start[i]!;
      const end = doc.tokens.end[i]!;
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
      return `${pl(c.framed ?? 0, "claim")} introduced with distancing or loaded verbs (${q(spans)}): ${dir}`;
    case "cited-evidence":
      return `${pl(c.cited ?? 0, "claim")} cite evidence: ${dir}`;
    case "persuasion-techniques": {
      const names = [...new Set((doc.layers.techniques ?? []).map((t) => t.technique))]
        .slice(0, 3)
        .join(", ");
      return `${pl(c.techniques ?? 0, "persuasion technique span")} (${names}): ${dir}`;
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
