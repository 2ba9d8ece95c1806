// The check-worthiness model: hashed sentence features -> class-weighted logistic regression ->
// Platt calibration (per data genre). Shared by the stage, the trainer and the evaluator.
import { Doc } from "../../doc/doc.js";
import { LogisticRegression, type LogisticJSON } from "../../learn/logistic.js";
import { PlattScaler } from "../../learn/calibration.js";
import type { SparseVector } from "../../learn/hashing.js";
import { BITS, SentenceFeaturizer, wholeSegment, type Dataset, type Segment } from "./features.js";
import type { CwData } from "./data.js";

export interface CheckworthinessJSON {
  kind: "checkworthiness";
  version: 2;
  bits: number;
  /** One head per genre: "claimbuster" (news, ClaimBuster) and "clef" (debate transcripts). */
  heads: Record<Dataset, LogisticJSON>;
  /** Platt scaling fitted on each genre's dev split (ClaimBuster is used for news). */
  platt: Record<Dataset, { a: number; b: number }>;
  /** Decision threshold on the calibrated probability, per input format (max dev F1). */
  thresholds: Record<CwData["format"], number>;
}

export function datasetOf(format: CwData["format"]): Dataset {
  return format === "claimbuster" ? "claimbuster" : "clef";
}

export class CheckworthinessModel {
  private readonly heads: Record<Dataset, LogisticRegression>;
  private readonly platt: Record<Dataset, PlattScaler>;
  private readonly fz = new SentenceFeaturizer();

  constructor(readonly json: CheckworthinessJSON) {
    this.heads = {
      claimbuster: LogisticRegression.fromJSON(json.heads.claimbuster),
      clef: LogisticRegression.fromJSON(json.heads.clef),
    };
    this.platt = {
      claimbuster: new PlattScaler(json.platt.claimbuster.a, json.platt.claimbuster.b),
      clef: new PlattScaler(json.platt.clef.a, json.platt.clef.b),
    };
  }

  features(seg: Segment, dataset: Dataset, ctx: { prev?: Segment; next?: Segment }): SparseVector {
    return this.fz.featurize(seg, dataset, ctx);
  }

  raw(x: SparseVector, dataset: Dataset): number {
    return this.heads[dataset].scores(x)[0]!;
  }

  /** Calibrated probability that the segment is a check-worthy factual claim. */
  probability(seg: Segment, dataset: Dataset, ctx: { prev?: Segment; next?: Segment }): number {
    const head = this.heads[dataset];
    return this.platt[dataset].apply(head.bias[0]! + this.fz.dot(head.weights, seg, dataset, ctx));
  }

  calibrate(dataset: Dataset, raw: number): number {
    return this.platt[dataset].apply(raw);
  }
}

/** Each item's text as a one-segment Doc (wink tokens, POS and quantities as in a real Doc). */
export function itemSegments(data: CwData): Segment[] {
  return data.items.map((it) => wholeSegment(Doc.create({ text: it.text })));
}

/** Context of item i: the neighbouring lines of the same debate (none for ClaimBuster, a random sample). */
export function itemContext(data: CwData, segs: Segment[], i: number): { prev?: Segment; next?: Segment } {
  if (data.format === "claimbuster") return {};
  const it = data.items[i]!;
  const p = data.items[i - 1];
  const n = data.items[i + 1];
  return {
    prev: p && p.group === it.group && p.order < it.order ? segs[i - 1] : undefined,
    next: n && n.group === it.group && n.order > it.order ? segs[i + 1] : undefined,
  };
}

export function featurizeData(data: CwData, segs: Segment[], fz = new SentenceFeaturizer()): SparseVector[] {
  const ds = datasetOf(data.format);
  return data.items.map((_, i) => fz.featurize(segs[i]!, ds, itemContext(data, segs, i)));
}

export { BITS };
