// Training and evaluation of the headline–body stance model on FNC-1.
import { classification } from "../../learn/metrics.js";
import { MLP, type MLPOptions } from "../../learn/mlp.js";
import type { SparseVector } from "../../learn/hashing.js";
import type { BodyInfo } from "./features.js";
import {
  STANCE_DIM,
  STANCE_LABELS,
  StanceModel,
  fitIdf,
  fncScore,
  type FncData,
  type StanceModelJSON,
} from "./model.js";

export interface StanceTrainOptions extends MLPOptions {
  /** Progress lines (stderr). */
  log?: (msg: string) => void;
}

export const STANCE_TRAIN_DEFAULTS: StanceTrainOptions = {
  hidden: 16,
  epochs: 4,
  learningRate: 0.05,
  l2: 1e-6,
  seed: 17,
  // agree, disagree, discuss, unrelated: the rare classes (disagree 1.3 %) weigh more.
  classWeights: [1.5, 3, 1, 0.8],
};

export function trainStance(
  data: FncData,
  trainBodies: Set<string>,
  opts: StanceTrainOptions = {},
): StanceModelJSON {
  const o = { ...STANCE_TRAIN_DEFAULTS, ...opts };
  const pairs = data.pairs.filter((p) => trainBodies.has(p.bodyId));
  const texts: string[] = [];
  for (const id of trainBodies) texts.push(data.bodies.get(id) ?? "");
  for (const h of new Set(pairs.map((p) => p.headline))) texts.push(h);
  const idf = fitIdf(texts);
  const json: StanceModelJSON = {
    kind: "stance",
    version: 1,
    idf: idf.table,
    mlp: new MLP(STANCE_DIM, 1, 4).toJSON(),
  };
  const tmp = new StanceModel(json);
  const cache = new Map<string, BodyInfo>();
  const X: SparseVector[] = [];
  const y: number[] = [];
  for (const p of pairs) {
    let b = cache.get(p.bodyId);
    if (!b) cache.set(p.bodyId, (b = tmp.body(data.bodies.get(p.bodyId) ?? "")));
    X.push(tmp.features(p.headline, b));
    y.push(p.label);
  }
  o.log?.(`stance: ${X.length} training pairs over ${cache.size} bodies`);
  const mlp = MLP.train(X, y, STANCE_DIM, 4, o);
  json.mlp = mlp.toJSON();
  return json;
}

export type StanceEval = {
  task: "stance";
  fncScore: number;
  macroF1: number;
  accuracy: number;
  perClassF1: Record<string, number>;
  pairsPerSec: number;
  n: number;
};

export function evalStance(model: StanceModel, data: FncData, bodyFilter?: Set<string>): StanceEval {
  const pairs = bodyFilter ? data.pairs.filter((p) => bodyFilter.has(p.bodyId)) : data.pairs;
  const gold = new Int32Array(pairs.length);
  const pred = new Int32Array(pairs.length);
  const cache = new Map<string, BodyInfo>();
  const t0 = performance.now();
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!;
    let b = cache.get(p.bodyId);
    if (!b) cache.set(p.bodyId, (b = model.body(data.bodies.get(p.bodyId) ?? "")));
    const probs = model.predict(p.headline, b);
    let best = 0;
    for (let k = 1; k < 4; k++) if (probs[k]! > probs[best]!) best = k;
    gold[i] = p.label;
    pred[i] = best;
  }
  const secs = (performance.now() - t0) / 1000;
  const c = classification(gold, pred, 4);
  const r = (x: number) => Math.round(x * 10000) / 10000;
  return {
    task: "stance",
    fncScore: r(fncScore(gold, pred)),
    macroF1: r(c.macroF1),
    accuracy: r(c.accuracy),
    perClassF1: Object.fromEntries(STANCE_LABELS.map((l, k) => [l, r(c.perClass[k]!.f1)])),
    pairsPerSec: Math.round(pairs.length / Math.max(secs, 1e-6)),
    n: pairs.length,
  };
}
