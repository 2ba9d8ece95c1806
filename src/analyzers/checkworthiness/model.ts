// The check-worthiness model: hashed sentence features -> class-weighted logistic regression ->
// Platt calibration (per data genre). Shared by the stage, the trainer and the evaluator.
import { Doc } from "../../doc/doc.js";
import { LogisticRegression, type LogisticJSON } from "../../learn/logistic.js";
import { PlattScaler } from "../../learn/calibration.js";
import type { SparseVector } from "../../learn/hashing.js";
import {
  BITS,
  foldDomain,
  SentenceFeaturizer,
  turnFeature,
  wholeSegment,
  type Context,
  type Dataset,
  type Segment,
  type Source,
} from "./features.js";
import type { CwData } from "./data.js";
import { NeuralScorer, type NeuralJSON } from "./neural.js";

export interface CheckworthinessJSON {
  kind: "checkworthiness";
  version: 2 | 3 | 4 | 5 | 6;
  bits: number;
  /** One head per genre: "claimbuster" (news, ClaimBuster) and "clef" (debate transcripts). */
  heads: Record<Dataset, LogisticJSON>;
  /** Platt scaling fitted on each genre's dev split (ClaimBuster is used for news). */
  platt: Record<Dataset, { a: number; b: number }>;
  /** Decision threshold on the calibrated probability, per input format. */
  thresholds: Record<CwData["format"], number>;
  /** Euclidean length each head's feature vectors are scaled to (0 or absent: raw counts). Version 3. */
  norm?: Record<Dataset, number>;
  /**
   * Ensemble weight of the other head's raw score added to a head's raw score (version 3: the claimbuster head
   * adds 0.25 x the clef head, a model trained on more, differently labelled data). A mixed head has norm 0.
   */
  mix?: Partial<Record<Dataset, number>>;
  /**
   * Version 4: heads trained with domain copies of their features (features.ts withDomainCopy) at this scale. A
   * head scores its own genre with its weights folded for that genre (shared + scale x genre-specific); when it is
   * mixed into the other head, only its shared weights count (the genre-general part of the model).
   */
  domain?: Partial<Record<Dataset, number>>;
  /** Version 5: levels of the shared word classes (models/word-clusters) used as word features. */
  classLevels?: number[];
  /** Version 5: clusterFingerprint of the classes it was trained with. */
  classFingerprint?: number;
  /**
   * Version 6: a CNN over frozen word vectors learned here (neural.ts, trained on ClaimBuster) whose logit, times
   * `beta`, is added to the claimbuster head's raw score (news and ClaimBuster), and times `betaClef` to the clef
   * head's (debate lines).
   */
  neural?: NeuralJSON;
}

export function datasetOf(format: CwData["format"]): Dataset {
  return format === "claimbuster" ? "claimbuster" : "clef";
}

const OTHER: Record<Dataset, Dataset> = { claimbuster: "clef", clef: "claimbuster" };

export class CheckworthinessModel {
  /** Each head as it scores its own genre (domain-folded weights when trained with domain copies). */
  private readonly heads: Record<Dataset, LogisticRegression>;
  /** Each head's stored (shared) weights: what is mixed into the other head's score. */
  private readonly shared: Record<Dataset, LogisticRegression>;
  private readonly platt: Record<Dataset, PlattScaler>;
  /** The featurizer this model was trained with (word classes per its JSON). */
  readonly fz: SentenceFeaturizer;
  /** The claimbuster head's second learner (version 6), or null. */
  readonly neural: NeuralScorer | null;

  constructor(readonly json: CheckworthinessJSON) {
    this.fz = new SentenceFeaturizer(json.classLevels ?? [], json.classFingerprint);
    this.neural = json.neural ? new NeuralScorer(json.neural) : null;
    this.shared = {
      claimbuster: LogisticRegression.fromJSON(json.heads.claimbuster),
      clef: LogisticRegression.fromJSON(json.heads.clef),
    };
    const own = (ds: Dataset): LogisticRegression => {
      const scale = json.domain?.[ds] ?? 0;
      const h = this.shared[ds];
      return scale === 0
        ? h
        : new LogisticRegression(h.dim, h.classes, foldDomain(h.weights, ds, scale), h.bias);
    };
    this.heads = { claimbuster: own("claimbuster"), clef: own("clef") };
    for (const ds of ["claimbuster", "clef"] as const)
      if ((json.mix?.[ds] ?? 0) !== 0 && (json.norm?.[ds] ?? 0) !== 0)
        throw new Error(`checkworthiness model: head ${ds} is mixed and normalised`);
    this.platt = {
      claimbuster: new PlattScaler(json.platt.claimbuster.a, json.platt.claimbuster.b),
      clef: new PlattScaler(json.platt.clef.a, json.platt.clef.b),
    };
  }

  /** Vector-length normalisation of a head's features (0 = none). */
  norm(dataset: Dataset): number {
    return this.json.norm?.[dataset] ?? 0;
  }

  features(seg: Segment, dataset: Dataset, ctx: Context): SparseVector {
    return this.fz.featurize(seg, dataset, ctx, this.norm(dataset));
  }

  private mixOf(dataset: Dataset): number {
    return this.json.mix?.[dataset] ?? 0;
  }

  /** Raw score of a vector made by features(): the head's logit plus the mixed-in other head's. */
  raw(x: SparseVector, dataset: Dataset): number {
    const s = this.heads[dataset].scores(x)[0]!;
    const m = this.mixOf(dataset);
    if (m === 0) return s;
    const other = this.shared[OTHER[dataset]];
    const len = this.norm(OTHER[dataset]);
    let ss = 0;
    for (let j = 0; j < x.val.length; j++) ss += x.val[j]! * x.val[j]!;
    const b = other.scores(x)[0]! - other.bias[0]!;
    return s + m * (other.bias[0]! + (len > 0 ? (b * len) / Math.sqrt(ss) : b));
  }

  /** The second learner's share of a segment's raw score (β × CNN logit; 0 without it). */
  neuralRaw(seg: Segment, dataset: Dataset): number {
    if (!this.neural) return 0;
    const beta = dataset === "claimbuster" ? this.neural.json.beta : (this.neural.json.betaClef ?? 0);
    return beta === 0 ? 0 : beta * this.neural.logit(seg);
  }

  /** Calibrated probability that the segment is a check-worthy factual claim. */
  probability(seg: Segment, dataset: Dataset, ctx: Context): number {
    const head = this.heads[dataset];
    const m = this.mixOf(dataset);
    const nn = this.neuralRaw(seg, dataset);
    if (m === 0)
      return this.platt[dataset].apply(
        head.bias[0]! + this.fz.dot(head.weights, seg, dataset, ctx, this.norm(dataset)) + nn,
      );
    const other = this.shared[OTHER[dataset]];
    const d = this.fz.dot2(head.weights, other.weights, this.norm(OTHER[dataset]), seg, dataset, ctx);
    return this.platt[dataset].apply(head.bias[0]! + d[0]! + m * (other.bias[0]! + d[1]!) + nn);
  }

  calibrate(dataset: Dataset, raw: number): number {
    return this.platt[dataset].apply(raw);
  }
}

/** Each item's text as a one-segment Doc (wink tokens, POS and quantities as in a real Doc). */
export function itemSegments(data: CwData): Segment[] {
  return data.items.map((it) => wholeSegment(Doc.create({ text: it.text })));
}

function hasQuestion(seg: Segment): boolean {
  for (let t = seg.tokStart; t < seg.tokEnd; t++) if (seg.doc.tokens.norm[t] === "?") return true;
  return false;
}

/**
 * Context of each item: the neighbouring lines of the same debate (none for ClaimBuster, a random sample), and
 * when lines name their speaker (CLEF-2019), turn features: the speaker's share of the debate's lines (candidate,
 * moderator or lone speech), first/last line of a turn, a line right after someone else's question, whether the
 * next speaker asks a question, and SYSTEM lines (applause, crosstalk).
 */
export function itemContexts(data: CwData, segs: Segment[]): Context[] {
  const { items } = data;
  if (data.format === "claimbuster") return items.map(() => ({}));
  const lines = new Map<string, number>();
  const bySpeaker = new Map<string, number>();
  for (const it of items) {
    lines.set(it.group, (lines.get(it.group) ?? 0) + 1);
    const k = it.group + "\u0000" + it.speaker;
    bySpeaker.set(k, (bySpeaker.get(k) ?? 0) + 1);
  }
  const speakers = items.some((it) => it.speaker !== "");
  return items.map((it, i) => {
    const p = items[i - 1];
    const n = items[i + 1];
    const prev = p && p.group === it.group && p.order < it.order ? i - 1 : -1;
    const next = n && n.group === it.group && n.order > it.order ? i + 1 : -1;
    const ctx: Context = {
      prev: prev >= 0 ? segs[prev] : undefined,
      next: next >= 0 ? segs[next] : undefined,
    };
    if (!speakers) return ctx;
    const extra: number[] = [];
    const share = bySpeaker.get(it.group + "\u0000" + it.speaker)! / lines.get(it.group)!;
    extra.push(turnFeature("share:" + Math.min(5, Math.floor(share * 10))));
    const sp = it.speaker.toUpperCase();
    if (sp === "SYSTEM" || sp === "") extra.push(turnFeature("system"));
    const first = prev < 0 || items[prev]!.speaker !== it.speaker;
    const last = next < 0 || items[next]!.speaker !== it.speaker;
    extra.push(turnFeature("turn:" + (first ? "F" : "-") + (last ? "L" : "-")));
    if (next >= 0 && items[next]!.speaker !== it.speaker && items[next]!.speaker.toUpperCase() !== "SYSTEM")
      extra.push(turnFeature("nextq:" + (hasQuestion(segs[next]!) ? 1 : 0)));
    if (prev >= 0 && items[prev]!.speaker !== it.speaker && hasQuestion(segs[prev]!))
      extra.push(turnFeature("afterq"));
    ctx.extra = extra;
    return ctx;
  });
}

/** Feature vectors of all items, as the given head sees them (source: the items' bias feature). */
export function featurizeData(
  data: CwData,
  segs: Segment[],
  opts: { source?: Source; norm?: number } = {},
  fz: SentenceFeaturizer,
): SparseVector[] {
  const source = opts.source ?? datasetOf(data.format);
  const ctx = itemContexts(data, segs);
  return data.items.map((_, i) => fz.featurize(segs[i]!, source, ctx[i]!, opts.norm ?? 0));
}

export { BITS };
