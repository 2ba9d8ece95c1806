// Claim–article stance: does an article support, dispute or merely report a claim?
// The headline is read by a softmax LogisticRegression trained on Emergent (claim vs article headline) over the
// headline–body stance pair features, the FNC-1 stance model's probabilities, and the headline's function words,
// cue lexicon and shape (no topic words: they memorise claims). A body, when there is one, is read by the FNC-1
// stance model itself (trained on claim vs article body), and the two opinions are averaged.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { murmur3, type SparseVector } from "../../learn/hashing.js";
import { LogisticRegression, type LogisticJSON } from "../../learn/logistic.js";
import { loadModel, shippedModelPath } from "../../learn/model-io.js";
import { UserError } from "../../util/errors.js";
import { DENSE, HEDGE, REFUTE, STANCE_DIM, STOP, assemble, isNegation, tokenize } from "./features.js";
import { StanceModel } from "./model.js";

export const CLAIM_STANCE_LABELS = ["supports", "disputes", "reports-only"] as const;
export type ClaimStanceLabel = (typeof CLAIM_STANCE_LABELS)[number];
export type ClaimStanceScores = Record<ClaimStanceLabel, number>;

export interface ClaimStanceResult {
  label: ClaimStanceLabel;
  scores: ClaimStanceScores;
  /** What each part of the article said (the scores above combine them). */
  parts: {
    /** The headline model's probabilities (absent without a title). */
    headline?: ClaimStanceScores;
    /**
     * The body model's probabilities (absent without a body), and `related`: its probability that the body is
     * about the claim at all, which is the body's weight against the headline.
     */
    body?: ClaimStanceScores & { related: number };
  };
}

export interface ClaimStanceJSON {
  kind: "claim-stance";
  /** 2: function-word headline features, one LR = the mean of several seeds' weights; body read by the stance model. */
  version: 2;
  lr: LogisticJSON;
}

/** First dense slot left free by pairFeatures (which uses [0, 32)). */
const SLOT = 32;

/** Reported-speech cues: a headline that attributes the claim relays it. */
export const SPEECH = new Set(
  (
    "says said say claims claim claimed according reportedly report reports reported tells told insists insisted " +
    "suggests alleges alleged sources source confirms confirmed denies denied"
  ).split(" "),
);

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?|[?:!"“”‘’']/gu;
const PUNCT = new Set(["?", ":", "!", '"', "'"]);
const PREFIX = /^\s*([^:]{1,30}):\s/;
const PREFIX_WORD =
  /^(?:report|rumou?r|claim|video|watch|photos?|hoax|update|exclusive|see it|confirmed|fake|false|breaking)s?$/;
const SUFFIX = /:\s*([^:]{1,40})$/;
const UPDATE = /\bupdated?\b/i;
const ACCORDING_TO = /according to/i;
const CAPS = /^[A-Z][A-Z'’]+$/;
const EMPHASIS = new Set(["WAS", "IS", "DID", "DOES"]);

/** Headline tokens: lower-cased words, and ? : ! and quotes (curly quotes folded to straight ones). */
export function headlineTokens(title: string): string[] {
  const out = title.toLowerCase().match(TOKEN) ?? [];
  for (let i = 0; i < out.length; i++) {
    const t = out[i]!;
    if (t === "“" || t === "”") out[i] = '"';
    else if (t === "‘" || t === "’") out[i] = "'";
  }
  return out;
}

/** A function word, cue word or punctuation mark: the headline tokens the model may see by identity. */
export function isCueToken(t: string): boolean {
  return PUNCT.has(t) || STOP.has(t) || REFUTE.has(t) || HEDGE.has(t) || isNegation(t) || SPEECH.has(t);
}

const cueIdx = (name: string) => DENSE + (murmur3("x8:" + name) % (STANCE_DIM - DENSE));

/**
 * Headline shape and cue features (Ferreira & Vlachos 2016): a "Source:" or "Rumor:" prefix, a trailing ": who"
 * attribution, a question, reported-speech verbs and where they stand, capitalised denials ("did NOT").
 */
export function headlineCues(title: string): Map<string, number> {
  const f = new Map<string, number>();
  const add = (k: string) => f.set(k, (f.get(k) ?? 0) + 1);
  const pre = PREFIX.exec(title);
  if (pre) {
    const words = tokenize(pre[1]!);
    if (words.length > 0 && words.length <= 4) {
      add("pre:colon");
      const w = words.join(" ");
      if (PREFIX_WORD.test(w)) add("pre:" + w);
    }
  }
  const suf = SUFFIX.exec(title);
  if (suf && tokenize(suf[1]!).length <= 4 && title.indexOf(":") > 10) add("suf:colon");
  if (/\?\s*$/.test(title)) add("q:end");
  else if (title.includes("?")) add("q:mid");
  if (UPDATE.test(title)) add("update");
  const words = tokenize(title);
  const n = words.length;
  for (let i = 0; i < n; i++) {
    const w = words[i]!;
    if (!SPEECH.has(w)) continue;
    add("sp:any");
    add("sp:" + w);
    add("sp:pos:" + (i >= n - 3 ? "end" : i < 3 ? "start" : "mid"));
  }
  if (ACCORDING_TO.test(title)) add("sp:accto");
  for (const raw of title.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? []) {
    if (!CAPS.test(raw)) continue;
    const w = raw.toLowerCase();
    if (REFUTE.has(w) || isNegation(w)) add("caps:neg");
    else if (EMPHASIS.has(raw)) add("caps:emph");
  }
  return f;
}

/**
 * Features of (claim, article headline): the stance pair features with the headline as the body, the FNC-1
 * stance model's probabilities, the headline's cue-word counts, its function and cue words (uni- and bigrams;
 * topic words are left out because they identify claims, not stances) and its cue features.
 */
export function claimFeatures(stance: StanceModel, claim: string, title: string): SparseVector {
  const base = stance.features(claim, stance.body(title));
  const p = stance.probabilities(base);
  const dense = new Float32Array(DENSE);
  let nHashed = 0;
  for (let j = 0; j < base.idx.length; j++)
    if (base.idx[j]! < DENSE) dense[base.idx[j]!] = base.val[j]!;
    else nHashed++;
  for (let k = 0; k < 4; k++) dense[SLOT + k] = p[k]!;
  const toks = headlineTokens(title);
  // When the claim itself refutes, hedges or negates ("… was staged", "fake attacks"), a headline word of the same
  // kind repeats the claim ("Syria attack was staged" vs "… fake gas attacks"); it is no stance towards it.
  let claimRef = false;
  let claimHedge = false;
  let claimNeg = false;
  for (const t of headlineTokens(claim)) {
    if (REFUTE.has(t)) claimRef = true;
    if (HEDGE.has(t)) claimHedge = true;
    if (isNegation(t)) claimNeg = true;
  }
  const ownWord = (t: string) =>
    (claimRef && REFUTE.has(t)) || (claimHedge && HEDGE.has(t)) || (claimNeg && isNegation(t));
  let ref = 0;
  let hedge = 0;
  let neg = 0;
  const feats: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (!isCueToken(t) || ownWord(t)) continue;
    feats.push("t:" + t);
    if (i + 1 < toks.length && isCueToken(toks[i + 1]!) && !ownWord(toks[i + 1]!))
      feats.push("t2:" + t + " " + toks[i + 1]);
    if (REFUTE.has(t)) ref++;
    if (HEDGE.has(t)) hedge++;
    if (isNegation(t)) neg++;
  }
  dense[SLOT + 4] = Math.min(ref, 2) / 2;
  dense[SLOT + 5] = Math.min(hedge, 2) / 2;
  dense[SLOT + 6] = Math.min(neg, 2) / 2;
  dense[SLOT + 7] = title.includes("?") ? 1 : 0;
  const cues = headlineCues(title);
  const idx = new Int32Array(nHashed + cues.size);
  const val = new Float32Array(nHashed + cues.size);
  let k = 0;
  for (let j = 0; j < base.idx.length; j++)
    if (base.idx[j]! >= DENSE) {
      idx[k] = base.idx[j]!;
      val[k++] = base.val[j]!;
    }
  for (const [name, v] of cues) {
    idx[k] = cueIdx(name);
    val[k++] = v;
  }
  return assemble(dense, feats, { idx, val });
}

const STANCE_AGREE = 0;
const STANCE_DISAGREE = 1;
const STANCE_DISCUSS = 2;
const STANCE_UNRELATED = 3;

function toScores(p: ArrayLike<number>): ClaimStanceScores {
  const r = (x: number) => Math.round(x * 10000) / 10000;
  return { supports: r(p[0]!), disputes: r(p[1]!), "reports-only": r(p[2]!) };
}

export class ClaimStanceModel {
  readonly lr: LogisticRegression;

  constructor(
    json: ClaimStanceJSON,
    readonly stance: StanceModel,
  ) {
    if (json.kind !== "claim-stance" || json.version !== 2)
      throw new UserError(
        "claim-stance model: unsupported file version (retrain with `claimscope train claim-stance`)",
      );
    this.lr = LogisticRegression.fromJSON(json.lr);
  }

  static load(dir?: string, stanceDir?: string): ClaimStanceModel {
    const p = dir ? join(dir, "model.json.gz") : shippedModelPath("claim-stance");
    if (!existsSync(p))
      throw new UserError(`claim-stance model not found at ${p}: run \`claimscope train claim-stance\``);
    return new ClaimStanceModel(loadModel<ClaimStanceJSON>(p), StanceModel.load(stanceDir));
  }

  /** Probabilities (CLAIM_STANCE_LABELS order) of the headline model. */
  headlineProba(claim: string, title: string): Float64Array {
    return this.lr.predictProba(claimFeatures(this.stance, claim, title));
  }

  /**
   * Probabilities (CLAIM_STANCE_LABELS order) of the body model: the FNC-1 stance model's agree / disagree /
   * discuss for (claim, body), renormalised, and its probability that the body is related to the claim.
   */
  bodyProba(claim: string, body: string): { p: Float64Array; related: number } {
    const q = this.stance.predict(claim, this.stance.body(body));
    const related = 1 - q[STANCE_UNRELATED]!;
    const s = q[STANCE_AGREE]! + q[STANCE_DISAGREE]! + q[STANCE_DISCUSS]!;
    const p =
      s > 0
        ? Float64Array.of(q[STANCE_AGREE]! / s, q[STANCE_DISAGREE]! / s, q[STANCE_DISCUSS]! / s)
        : Float64Array.of(1 / 3, 1 / 3, 1 / 3);
    return { p, related };
  }

  /**
   * Stance of an article towards a claim. The headline is read by the Emergent-trained model, the body by the
   * FNC-1 stance model (each model reads the part it was trained on); with both, the body's probabilities are
   * averaged in with weight = its probability of being related to the claim. An article with neither title nor
   * body reports-only (nothing in it takes a side).
   */
  predict(claim: string, article: { title?: string; body?: string }): ClaimStanceResult {
    const title = (article.title ?? "").trim();
    const body = (article.body ?? "").trim();
    const parts: ClaimStanceResult["parts"] = {};
    const p = new Float64Array(3);
    if (title) {
      const h = this.headlineProba(claim, title);
      parts.headline = toScores(h);
      for (let k = 0; k < 3; k++) p[k] = h[k]!;
    }
    if (body) {
      const b = this.bodyProba(claim, body);
      parts.body = { ...toScores(b.p), related: Math.round(b.related * 10000) / 10000 };
      const w = title ? b.related : 1;
      for (let k = 0; k < 3; k++) p[k] = (p[k]! + w * b.p[k]!) / (title ? 1 + w : 1);
    }
    if (!title && !body) {
      p.fill(0);
      p[2] = 1;
    }
    let best = 0;
    for (let k = 1; k < 3; k++) if (p[k]! > p[best]!) best = k;
    return { label: CLAIM_STANCE_LABELS[best]!, scores: toScores(p), parts };
  }
}

let shipped: ClaimStanceModel | null = null;

/**
 * Stance of an article towards a claim, with the shipped models (loaded once):
 * supports (the article asserts it), disputes (it refutes or denies it), reports-only (it relays it without taking sides).
 */
export function claimStance(claim: string, article: { title?: string; body?: string }): ClaimStanceResult {
  shipped ??= ClaimStanceModel.load();
  return shipped.predict(claim, article);
}

export interface EmergentRow {
  claimId: string;
  claim: string;
  articleHeadline: string;
  label: number;
}

const EMERGENT_MAP: Record<string, number> = { for: 0, against: 1, observing: 2 };

export function loadEmergent(file: string): EmergentRow[] {
  if (!existsSync(file)) throw new UserError(`file not found: ${file}`);
  const rows = parse(readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
  const out: EmergentRow[] = [];
  for (const r of rows) {
    const label = EMERGENT_MAP[String(r.articleHeadlineStance ?? "").trim()];
    if (label === undefined) throw new UserError(`${file}: unknown stance "${r.articleHeadlineStance}"`);
    out.push({
      claimId: String(r.claimId),
      claim: r.claimHeadline ?? "",
      articleHeadline: r.articleHeadline ?? "",
      label,
    });
  }
  return out;
}
