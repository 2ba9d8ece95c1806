// Claim–article stance: does an article (headline, and body when there is one) support, dispute or merely
// report a claim? Reuses the headline–body stance features and the FNC-1 stance model's probabilities, plus the
// article headline's own words and lexicon, in a softmax LogisticRegression trained on Emergent.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { SparseVector } from "../../learn/hashing.js";
import { LogisticRegression, type LogisticJSON } from "../../learn/logistic.js";
import { loadModel, shippedModelPath } from "../../learn/model-io.js";
import { UserError } from "../../util/errors.js";
import { DENSE, HEDGE, REFUTE, assemble, isNegation, tokenize } from "./features.js";
import { StanceModel } from "./model.js";

export const CLAIM_STANCE_LABELS = ["supports", "disputes", "reports-only"] as const;
export type ClaimStanceLabel = (typeof CLAIM_STANCE_LABELS)[number];

export interface ClaimStanceResult {
  label: ClaimStanceLabel;
  scores: Record<ClaimStanceLabel, number>;
}

export interface ClaimStanceJSON {
  kind: "claim-stance";
  version: 1;
  lr: LogisticJSON;
}

/** First dense slot left free by pairFeatures (which uses [0, 32)). */
const SLOT = 32;

/** Features of (claim, article): the stance pair features, the stance model's output and headline words. */
export function claimFeatures(stance: StanceModel, claim: string, title: string, body: string): SparseVector {
  const text = body ? (title ? `${title}.\n${body}` : body) : title;
  const info = stance.body(text);
  const base = stance.features(claim, info);
  const p = stance.probabilities(base);
  const dense = new Float32Array(DENSE);
  for (let j = 0; j < base.idx.length; j++) if (base.idx[j]! < DENSE) dense[base.idx[j]!] = base.val[j]!;
  for (let k = 0; k < 4; k++) dense[SLOT + k] = p[k]!;
  const ttoks = tokenize(title);
  let ref = 0;
  let hedge = 0;
  let neg = 0;
  const feats: string[] = [];
  for (let i = 0; i < ttoks.length; i++) {
    const t = ttoks[i]!;
    feats.push("t:" + t);
    if (i + 1 < ttoks.length) feats.push("t2:" + t + " " + ttoks[i + 1]);
    if (REFUTE.has(t)) ref++;
    if (HEDGE.has(t)) hedge++;
    if (isNegation(t)) neg++;
  }
  dense[SLOT + 4] = Math.min(ref, 2) / 2;
  dense[SLOT + 5] = Math.min(hedge, 2) / 2;
  dense[SLOT + 6] = Math.min(neg, 2) / 2;
  dense[SLOT + 7] = title.includes("?") ? 1 : 0;
  dense[SLOT + 8] = body ? 1 : 0;
  const hashed: SparseVector = { idx: new Int32Array(0), val: new Float32Array(0) };
  const rest = base.idx.length ? collectHashed(base) : hashed;
  return assemble(dense, feats, rest);
}

function collectHashed(x: SparseVector): SparseVector {
  let n = 0;
  for (let j = 0; j < x.idx.length; j++) if (x.idx[j]! >= DENSE) n++;
  const idx = new Int32Array(n);
  const val = new Float32Array(n);
  let k = 0;
  for (let j = 0; j < x.idx.length; j++)
    if (x.idx[j]! >= DENSE) {
      idx[k] = x.idx[j]!;
      val[k++] = x.val[j]!;
    }
  return { idx, val };
}

export class ClaimStanceModel {
  readonly lr: LogisticRegression;

  constructor(
    json: ClaimStanceJSON,
    readonly stance: StanceModel,
  ) {
    this.lr = LogisticRegression.fromJSON(json.lr);
  }

  static load(dir?: string, stanceDir?: string): ClaimStanceModel {
    const p = dir ? join(dir, "model.json.gz") : shippedModelPath("claim-stance");
    if (!existsSync(p))
      throw new UserError(`claim-stance model not found at ${p}: run \`claimscope train claim-stance\``);
    return new ClaimStanceModel(loadModel<ClaimStanceJSON>(p), StanceModel.load(stanceDir));
  }

  predict(claim: string, article: { title?: string; body?: string }): ClaimStanceResult {
    const x = claimFeatures(this.stance, claim, article.title ?? "", article.body ?? "");
    const p = this.lr.predictProba(x);
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
    const scores = Object.fromEntries(
      CLAIM_STANCE_LABELS.map((l, k) => [l, Math.round(p[k]! * 10000) / 10000]),
    );
    return { label: CLAIM_STANCE_LABELS[best]!, scores: scores as Record<ClaimStanceLabel, number> };
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
