// The headline–body stance model: hashed IDF table + an ensemble of MLPs over pairFeatures, with FNC-1 loading, training and scoring.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "csv-parse/sync";
import { MLP, type MLPJSON } from "../../learn/mlp.js";
import { loadModel, shippedModelPath } from "../../learn/model-io.js";
import type { SparseVector } from "../../learn/hashing.js";
import { UserError } from "../../util/errors.js";
import {
  Idf,
  STANCE_DIM,
  contentStems,
  pairFeatures,
  prepareBody,
  tokenize,
  type BodyInfo,
} from "./features.js";
import { BodyStyle, type BodyStyleJSON } from "./body-style.js";

export const STANCE_LABELS = ["agree", "disagree", "discuss", "unrelated"] as const;
export type StanceLabelName = (typeof STANCE_LABELS)[number];

export interface StanceModelJSON {
  kind: "stance";
  version: 2;
  idf: Float32Array;
  /** MLPs trained with different seeds; their probabilities are averaged (one seed's F1 on disagree varies ±0.02). */
  mlps: MLPJSON[];
  /** Body-style regressions (round 9); absent in older files, whose features then leave those inputs zero. */
  bodyStyle?: BodyStyleJSON;
}

export class StanceModel {
  readonly idf: Idf;
  readonly mlps: MLP[];
  readonly style?: BodyStyle;

  constructor(json: StanceModelJSON) {
    if (json.version !== 2 || !Array.isArray(json.mlps) || json.mlps.length === 0)
      throw new UserError("stance model: unsupported file version (retrain with `claimscope train stance`)");
    this.idf = new Idf(json.idf);
    this.mlps = json.mlps.map((m) => MLP.fromJSON(m));
    if (json.bodyStyle) this.style = new BodyStyle(json.bodyStyle);
  }

  static load(dir?: string): StanceModel {
    const p = dir ? join(dir, "model.json.gz") : shippedModelPath("stance");
    if (!existsSync(p))
      throw new UserError(`stance model not found at ${p}: run \`claimscope train stance\``);
    return new StanceModel(loadModel<StanceModelJSON>(p));
  }

  /** Probabilities in STANCE_LABELS order for a pair's features: the mean over the ensemble. */
  probabilities(x: SparseVector): Float64Array {
    const out = new Float64Array(4);
    for (const m of this.mlps) {
      const p = m.predictProba(x);
      for (let k = 0; k < 4; k++) out[k]! += p[k]!;
    }
    for (let k = 0; k < 4; k++) out[k]! /= this.mlps.length;
    return out;
  }

  body(text: string): BodyInfo {
    const b = prepareBody(text, this.idf);
    if (this.style) b.style = this.style.scores(b.tokens);
    return b;
  }

  features(headline: string, body: BodyInfo): SparseVector {
    return pairFeatures(headline, body, this.idf);
  }

  /** Probabilities in STANCE_LABELS order. */
  predict(headline: string, body: BodyInfo): Float64Array {
    return this.probabilities(this.features(headline, body));
  }
}

export interface FncPair {
  headline: string;
  bodyId: string;
  label: number;
}

export interface FncData {
  bodies: Map<string, string>;
  pairs: FncPair[];
}

export function loadFnc(bodiesFile: string, stancesFile: string): FncData {
  for (const f of [bodiesFile, stancesFile]) if (!existsSync(f)) throw new UserError(`file not found: ${f}`);
  const bodyRows = parse(readFileSync(bodiesFile, "utf8"), {
    columns: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
  const bodies = new Map<string, string>();
  for (const r of bodyRows) bodies.set(String(r["Body ID"]), r.articleBody ?? "");
  const rows = parse(readFileSync(stancesFile, "utf8"), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
  const pairs: FncPair[] = [];
  for (const r of rows) {
    const label = STANCE_LABELS.indexOf(String(r.Stance ?? "").trim() as StanceLabelName);
    if (label < 0) throw new UserError(`${stancesFile}: unknown stance "${r.Stance}"`);
    const bodyId = String(r["Body ID"]);
    if (!bodies.has(bodyId)) throw new UserError(`${stancesFile}: body ${bodyId} missing from ${bodiesFile}`);
    pairs.push({ headline: r.Headline ?? "", bodyId, label });
  }
  return { bodies, pairs };
}

/** The official baseline split's body ids (next to the bodies file), or null when the file is absent. */
export function readIdList(dir: string, file: string): Set<string> | null {
  const p = join(dir, file);
  if (!existsSync(p)) return null;
  return new Set(
    readFileSync(p, "utf8")
      .split(/\s+/)
      .filter((s) => s.length > 0),
  );
}

export function holdoutIds(bodiesFile: string): Set<string> {
  const ids = readIdList(dirname(bodiesFile), "baseline_hold_out_body_ids.txt");
  if (!ids)
    throw new UserError(
      `--split holdout needs baseline_hold_out_body_ids.txt next to ${bodiesFile} (or use --split all)`,
    );
  return ids;
}

/** FNC-1 score relative to the best possible: +0.25 for related/unrelated right, +0.75 for the exact related label. */
export function fncScore(gold: ArrayLike<number>, pred: ArrayLike<number>): number {
  const U = 3;
  let score = 0;
  let best = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i]!;
    const p = pred[i]!;
    best += g === U ? 0.25 : 1;
    if ((g === U) === (p === U)) score += 0.25;
    if (g !== U && g === p) score += 0.75;
  }
  return best ? score / best : 0;
}

export function fitIdf(texts: Iterable<string>): Idf {
  function* docs() {
    for (const t of texts) yield contentStems(tokenize(t));
  }
  return Idf.fit(docs());
}

export { STANCE_DIM };
