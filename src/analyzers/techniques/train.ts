// Training and evaluation of the techniques model on PTC articles.
import { clusterFingerprint, type ClusterSource } from "../../learn/word-clusters.js";
import { FeatureHasher, type SparseVector } from "../../learn/hashing.js";
import { LogisticRegression } from "../../learn/logistic.js";
import { SequenceTagger, type TaggedSequence } from "../../learn/tagger.js";
import { CRF_SCALE, crfAsTagger, LinearChainCrf } from "../../learn/crf.js";
import { TECHNIQUES } from "../../schema/analysis.js";
import { FeatureBuffer } from "../../learn/feature-buffer.js";
import {
  CLUSTER_TEMPLATES,
  featuresPerToken,
  Lexicon,
  sentenceFeatures,
  tokenFeatures,
  type ClusterConfig,
} from "./features.js";
import {
  articleDensity,
  docFeatures,
  MARGIN_SCALE,
  spanVector,
  TAGS,
  TechniquesModel,
  type DocFeatures,
  type SentenceModel,
  type TechniquesModelJSON,
} from "./model.js";
import type { Doc } from "../../doc/doc.js";
import { mergeSpans, type PtcArticle } from "./ptc.js";
import { ruleHits } from "./rules.js";
import { addSi, emptySi, siScore } from "./scoring.js";

export interface TrainOptions {
  tagBits?: number;
  clsBits?: number;
  /**
   * Learner of the span tagger: a linear-chain CRF (default since round 5; 4-fold CV on train +0.007 /
   * +0.012 SI F1 over the perceptron for seeds 7 / 11) or the averaged perceptron of rounds 1–4.
   */
  tagLearner?: "crf" | "perceptron";
  /** Perceptron epochs (tagLearner "perceptron"). */
  tagEpochs?: number;
  /**
   * Added to the B score at decoding (saved scale). CRF default 200 (2 log-potential units): at the chosen
   * O bias the CRF's spans run longer than gold ones (78 vs 54 characters); a B bonus lets them end and
   * restart (4-fold CV grid −0.5/0/0.5/1/2/3/5 units, seeds 7 and 11). Perceptron default 0.
   */
  bShift?: number;
  /** CRF epochs / AdaGrad rate / L2 per example (tagLearner "crf"; weights averaged over the updates). */
  crfEpochs?: number;
  crfRate?: number;
  crfL2?: number;
  clsEpochs?: number;
  l2?: number;
  learningRate?: number;
  /** Folds for cross-fitted lexicon features on the training articles. */
  lexFolds?: number;
  /**
   * Train the technique classifier on the lexicon as saved (rows pruned to informative columns, see
   * Lexicon.toJSON), i.e. on the features the shipped model computes (default true; the tagger keeps the
   * full lexicon, which cross-validates better for it).
   */
  clsLexPruned?: boolean;
  seed?: number;
  /**
   * Weight of the per-token logistic regression's logit in the tagger's B/I scores (0 = no token model).
   * Perceptron: 50 by 4-fold CV on train (grid 25/35/50/100/200). CRF: 1 in log-potential units (grid
   * 0.5/1/2), i.e. 100 on the saved scale (CRF_SCALE); the default follows the learner.
   */
  tokenLrAlpha?: number;
  /** Epochs / AdaGrad rate of the per-token logistic regression. */
  tokenLrEpochs?: number;
  tokenLrRate?: number;
  /**
   * Article-density shift of the O score per standard deviation of the article's mean sentence probability
   * (0 = none). 20 by 4-fold CV on train (grid −40/−20/20/40/80).
   */
  densityBeta?: number;
  /** Sentences the sentence model rates below this are not tagged. */
  skipBelow?: number;
  /** Quantisation steps of the saved weights. */
  tagStep?: number;
  clsStep?: number;
  /** Word clusters and which features read them (none: no cluster features). */
  clusters?: { src: ClusterSource; cfg: ClusterConfig };
  log?: (msg: string) => void;
}

/**
 * The word-cluster features of the shipped model (4-fold CV on train, round 4): the token's class at each
 * granularity, its neighbours' classes at the middle one, the cluster lexicon; the classifier reads the
 * span words' finest classes. The sentence model reads none (no CV gain).
 */
export const DEFAULT_CLUSTER_CONFIG: ClusterConfig = {
  tag: CLUSTER_TEMPLATES.w0 | CLUSTER_TEMPLATES.pm1 | CLUSTER_TEMPLATES.clex,
  cls: 0,
  fine: 0,
  mid: 1,
};

const TECH_INDEX = new Map<string, number>(TECHNIQUES.map((t, i) => [t, i]));

/** BIO tags of a sentence's tokens from merged gold spans. */
export function bioTags(
  a: PtcArticle,
  tokStart: number,
  tokEnd: number,
  merged: { start: number; end: number }[],
): Uint8Array {
  const { start, end } = a.doc.tokens;
  const tags = new Uint8Array(tokEnd - tokStart);
  let prevSpan = -1;
  for (let i = tokStart; i < tokEnd; i++) {
    let inSpan = -1;
    for (let k = 0; k < merged.length; k++) {
      const s = merged[k]!;
      if (s.start >= end[i]!) break;
      if (s.end > start[i]! && s.start < end[i]!) {
        inSpan = k;
        break;
      }
    }
    tags[i - tokStart] = inSpan < 0 ? 0 : inSpan === prevSpan ? 2 : 1;
    prevSpan = inSpan;
  }
  return tags;
}

/** 1-D logistic fit p = sigmoid(a*x + b) by gradient descent on mean log-loss (stable for any x scale). */
export function fitPlatt(
  x: readonly number[],
  y: readonly number[],
  iterations = 2000,
): { a: number; b: number } {
  const n = x.length;
  if (!n) return { a: 0, b: 0 };
  let mean = 0;
  for (const v of x) mean += v / n;
  let sd = 0;
  for (const v of x) sd += (v - mean) ** 2 / n;
  sd = Math.sqrt(sd) || 1;
  let a = 0;
  let b = 0;
  for (let it = 0; it < iterations; it++) {
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const z = (x[i]! - mean) / sd;
      const d = 1 / (1 + Math.exp(-(a * z + b))) - y[i]!;
      ga += (d * z) / n;
      gb += d / n;
    }
    a -= 0.5 * ga;
    b -= 0.5 * gb;
  }
  // Back to the raw scale of x.
  return { a: a / sd, b: b - (a * mean) / sd };
}

/**
 * CRF log-potentials are saved × CRF_SCALE (src/learn/crf.ts), so that a CRF tagger lives on the perceptron's
 * scale here (O bias grid, margins / MARGIN_SCALE for the span confidence, quantisation step) and decodes
 * through the same code: Viterbi over the scaled scores gives the same path.
 */
export { CRF_SCALE };

/** Rounds every weight to a multiple of `step` in place (small weights become 0). */
export function quantize(w: Float32Array, step: number): void {
  for (let i = 0; i < w.length; i++) w[i] = Math.round(w[i]! / step) * step;
}

// The cross-fitted lexicon used for an article's features is remembered beside them.
const LEX_OF = new WeakMap<DocFeatures, Lexicon>();
function lexiconOf(fx: DocFeatures): Lexicon {
  return LEX_OF.get(fx)!;
}

const SENT_BITS = 16;

/** Sentence examples: hashed bag of words, label = the sentence overlaps a gold span. */
function sentenceData(
  articles: readonly PtcArticle[],
  fxs: readonly DocFeatures[],
): { X: SparseVector[]; y: number[] } {
  const hasher = new FeatureHasher(SENT_BITS);
  const buf = new FeatureBuffer(hasher.dim);
  const X: SparseVector[] = [];
  const y: number[] = [];
  articles.forEach((a, i) => {
    const merged = mergeSpans(a.spans);
    a.doc.sentences.forEach((sent, s) => {
      if (sent.tokEnd <= sent.tokStart) return;
      buf.n = 0;
      sentenceFeatures(a.doc, fxs[i]!.info, fxs[i]!.cues, s, buf);
      for (let k = 0; k < buf.n; k++) hasher.addIndex(buf.idx[k]!, buf.val[k]!);
      X.push(hasher.take());
      y.push(merged.some((g) => g.start < sent.end && sent.start < g.end) ? 1 : 0);
    });
  });
  return { X, y };
}

export function trainSentenceModel(
  articles: readonly PtcArticle[],
  fxs: readonly DocFeatures[],
  seed: number,
): LogisticRegression {
  const { X, y } = sentenceData(articles, fxs);
  return LogisticRegression.train(X, Int32Array.from(y), 1 << SENT_BITS, 2, {
    epochs: 8,
    learningRate: 0.05,
    l2: 1e-6,
    seed,
  });
}

const asSentenceModel = (lr: LogisticRegression): SentenceModel => ({
  dim: lr.dim,
  weights: lr.weights,
  bias: lr.bias[0]!,
});

function buildLexicon(
  articles: readonly PtcArticle[],
  pruned: boolean,
  clusters: TrainOptions["clusters"],
): Lexicon {
  const built = Lexicon.build(articles);
  const lex = pruned ? Lexicon.fromJSON(built.toJSON()) : built;
  if (clusters) {
    lex.clusters = clusters;
    if (clusters.cfg.tag & CLUSTER_TEMPLATES.clex) lex.buildClusterScores(articles);
  }
  return lex;
}

/**
 * Per-article features where neither the lexicon nor the sentence classifier saw the article's own
 * labels (k-fold cross-fitting).
 */
export function crossFitted(
  articles: readonly PtcArticle[],
  folds: number,
  base: readonly DocFeatures[],
  seed: number,
  pruned: boolean,
  clusters?: TrainOptions["clusters"],
): DocFeatures[] {
  const out: DocFeatures[] = new Array<DocFeatures>(articles.length);
  for (let k = 0; k < folds; k++) {
    const others = articles.filter((_, i) => i % folds !== k);
    const lex = buildLexicon(others, pruned, clusters);
    const sent = trainSentenceModel(
      others,
      base.filter((_, i) => i % folds !== k),
      seed,
    );
    articles.forEach((a, i) => {
      if (i % folds === k) {
        out[i] = docFeatures(a.doc, lex, asSentenceModel(sent));
        LEX_OF.set(out[i], lex);
      }
    });
  }
  return out;
}

export function trainTechniques(train: readonly PtcArticle[], opts: TrainOptions = {}): TechniquesModelJSON {
  const log = opts.log ?? (() => {});
  const tagBits = opts.tagBits ?? 17;
  const clsBits = opts.clsBits ?? 18;
  const mask = (1 << tagBits) - 1;
  const skipBelow = opts.skipBelow ?? 0.1;
  const lexicon = buildLexicon(train, false, opts.clusters);
  log(`lexicon: ${lexicon.scores.size} words`);
  const base = train.map((a) => docFeatures(a.doc, lexicon));
  const sentence = trainSentenceModel(train, base, opts.seed ?? 7);
  const fx = crossFitted(train, opts.lexFolds ?? 4, base, opts.seed ?? 7, false, opts.clusters);
  const seqs: TaggedSequence[] = [];
  train.forEach((a, i) => {
    const feats = tokenFeatures(a.doc, fx[i]!.info, fx[i]!.cues, mask);
    const merged = mergeSpans(a.spans);
    const K = featuresPerToken(fx[i]!.info);
    for (const sent of a.doc.sentences) {
      if (sent.tokEnd <= sent.tokStart) continue;
      const features: Int32Array[] = [];
      for (let t = sent.tokStart; t < sent.tokEnd; t++) features.push(feats.subarray(t * K, (t + 1) * K));
      seqs.push({ features, tags: bioTags(a, sent.tokStart, sent.tokEnd, merged) });
    }
  });
  log(`tagger: ${seqs.length} sentences`);
  // Per-token P(in a span) over the same hashed features: a probabilistic second opinion whose logit is
  // added to the tagger's B/I scores.
  const learner = opts.tagLearner ?? "crf";
  const alpha = opts.tokenLrAlpha ?? (learner === "crf" ? CRF_SCALE : 50);
  let tokenLr: TechniquesModelJSON["tokenLr"];
  if (alpha > 0) {
    const X: SparseVector[] = [];
    const y: number[] = [];
    const ones = new Float32Array(seqs[0] ? seqs[0].features[0]!.length : 0).fill(1);
    for (const sq of seqs)
      for (let t = 0; t < sq.features.length; t++) {
        X.push({ idx: sq.features[t]!, val: ones });
        y.push(sq.tags[t]! ? 1 : 0);
      }
    const lr = LogisticRegression.train(X, Int32Array.from(y), 1 << tagBits, 2, {
      epochs: opts.tokenLrEpochs ?? 4,
      learningRate: opts.tokenLrRate ?? 0.05,
      l2: 1e-6,
      seed: opts.seed ?? 7,
    });
    quantize(lr.weights, 1 / 64);
    tokenLr = { weights: lr.weights, bias: lr.bias[0]!, alpha };
    log(`token model: ${X.length} tokens`);
  }
  // Article density (mean sentence probability) over the cross-fitted training features: its mean and
  // spread as an unseen article would show them.
  const beta = opts.densityBeta ?? 20;
  const dens = train.map((a, i) => articleDensity(a.doc, fx[i]!.cues));
  const dMean = dens.reduce((x, v) => x + v, 0) / Math.max(1, dens.length);
  const dSd = Math.sqrt(dens.reduce((x, v) => x + (v - dMean) ** 2, 0) / Math.max(1, dens.length)) || 1;
  let tagger: SequenceTagger;
  if (learner === "crf") {
    // Linear-chain CRF (AdaGrad on the log-likelihood, averaged weights), saved as a tagger on the
    // perceptron's scale; 4-fold CV on train: flat over epochs 2–5, rate 0.02–0.05, L2 1e-3–1e-2.
    const crf = LinearChainCrf.train(TAGS, 1 << tagBits, seqs, {
      epochs: opts.crfEpochs ?? 5,
      learningRate: opts.crfRate ?? 0.05,
      l2: opts.crfL2 ?? 1e-3,
      seed: opts.seed ?? 7,
      average: true,
    });
    tagger = crfAsTagger(crf, CRF_SCALE);
  } else
    tagger = SequenceTagger.train(TAGS, 1 << tagBits, seqs, {
      epochs: opts.tagEpochs ?? 8,
      seed: opts.seed ?? 7,
    });
  log(`tagger: ${learner}`);
  const bShift = opts.bShift ?? (learner === "crf" ? 2 * CRF_SCALE : 0);
  // Cross-fitting again with the saved (pruned) lexicon: what the classifier will see in use.
  const fxCls =
    (opts.clsLexPruned ?? true)
      ? crossFitted(train, opts.lexFolds ?? 4, base, opts.seed ?? 7, true, opts.clusters)
      : fx;
  const hasher = new FeatureHasher(clsBits);
  const X: SparseVector[] = [];
  const y: number[] = [];
  train.forEach((a, i) => {
    for (const s of a.spans) {
      X.push(spanVector(a.doc, fxCls[i]!, lexiconOf(fxCls[i]!), s, hasher));
      y.push(TECH_INDEX.get(s.technique)!);
    }
  });
  log(`classifier: ${X.length} spans`);
  const classifier = LogisticRegression.train(X, Int32Array.from(y), 1 << clsBits, TECHNIQUES.length, {
    epochs: opts.clsEpochs ?? 20,
    l2: opts.l2 ?? 1e-6,
    learningRate: opts.learningRate ?? 0.02,
    seed: opts.seed ?? 7,
  });
  // Quantised weights: far smaller gzipped, no measurable loss (checked on dev).
  quantize(tagger.weights, opts.tagStep ?? 0.25);
  quantize(tagger.transitions, 0.01);
  quantize(classifier.weights, opts.clsStep ?? 1 / 64);
  return {
    kind: "techniques",
    version: 1,
    tagBits,
    clsBits,
    oBias: 0,
    joinGap: 0,
    // Cross-validated on train: skipping sentences rated < 0.1 costs ~0.003 SI F1 (< 0.2: ~0.012) and saves
    // tagging time (speed budget).
    skipBelow,
    spanPlatt: { a: 0.02, b: 0 },
    tagLearner: learner,
    ...(bShift ? { bShift } : {}),
    lexicon: lexicon.toJSON(),
    tagger: tagger.toJSON(),
    classifier: classifier.toJSON(),
    sentence: sentence.toJSON(),
    ...(tokenLr ? { tokenLr } : {}),
    ...(beta ? { density: { beta, mean: dMean, sd: dSd } } : {}),
    ...(opts.clusters
      ? {
          clusters: {
            ...opts.clusters.cfg,
            granularities: [...opts.clusters.src.granularities],
            fingerprint: clusterFingerprint(opts.clusters.src),
          },
        }
      : {}),
    ...(lexicon.clusterScores ? { clusterScores: Array.from(lexicon.clusterScores) } : {}),
  };
}

/**
 * The spans the stage proposes before its confidence floor: the tagger's and the rule layer's (SI is
 * scored on these; rule spans cross-validate at precision ~0.64 on the training articles).
 */
export function proposedSpans(
  model: TechniquesModel,
  doc: Doc,
  fx: DocFeatures,
): { start: number; end: number }[] {
  return [...model.spans(doc, fx), ...ruleHits(doc)];
}

export interface EvalResult {
  si: { p: number; r: number; f1: number };
  tc: { microF1: number; correct: number; total: number };
  spans: { predicted: number; gold: number };
}

/**
 * SI over the articles' merged gold spans; TC = accuracy of the technique given each gold span
 * (a span labelled with k techniques gets the model's top-k distinct techniques).
 */
export function evaluate(
  model: TechniquesModel,
  articles: readonly PtcArticle[],
  oBiases: number[] = [model.json.oBias],
) {
  const si = oBiases.map(() => emptySi());
  let correct = 0;
  let total = 0;
  const perTechnique: Record<string, { correct: number; total: number }> = {};
  for (const t of TECHNIQUES) perTechnique[t] = { correct: 0, total: 0 };
  for (const a of articles) {
    const fx = model.features(a.doc);
    oBiases.forEach((b, k) => {
      model.setOBias(b);
      addSi(si[k]!, proposedSpans(model, a.doc, fx), a.spans);
    });
    const groups = new Map<string, { start: number; end: number; labels: string[] }>();
    for (const s of a.spans) {
      const key = `${s.start}:${s.end}`;
      const g = groups.get(key) ?? { start: s.start, end: s.end, labels: [] };
      g.labels.push(s.technique);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const p = model.classify(a.doc, fx, g);
      const order = Array.from(p.keys()).sort((x, y) => p[y]! - p[x]!);
      const remaining = [...g.labels];
      for (let k = 0; k < g.labels.length; k++) {
        const t = TECHNIQUES[order[k]!]!;
        const at = remaining.indexOf(t);
        if (at >= 0) {
          correct++;
          perTechnique[t]!.correct++;
          remaining.splice(at, 1);
        }
        total++;
      }
      for (const l of g.labels) if (perTechnique[l]) perTechnique[l].total++;
    }
  }
  model.setOBias(model.json.oBias);
  return {
    si: si.map((c) => siScore(c)),
    counts: si,
    tc: { microF1: total ? correct / total : 0, correct, total, perTechnique },
  };
}

/** A model with the articles it never saw in training (one cross-validation fold). */
export interface HeldOut {
  json: TechniquesModelJSON;
  articles: readonly PtcArticle[];
  /** The word clusters the model was trained with (when it reads them). */
  clusters?: ClusterSource;
}

/**
 * Tunes the decoding on held-out articles, pooled over cross-validation folds: the O-tag bias and the join
 * gap that maximise SI F1, then a Platt scaler from a span's tagger margin to "at least half of it lies in
 * a gold span". Returns `json` with those settings.
 */
export function tuneDecoding(
  json: TechniquesModelJSON,
  heldOut: readonly HeldOut[],
  log: (msg: string) => void = () => {},
  biases: readonly number[] = [125, 150, 175, 200, 225, 250, 275, 300, 325, 350, 375],
  gaps: readonly number[] = [0, 1, 2, 4],
): TechniquesModelJSON {
  const parts = heldOut.map((h) => {
    const model = new TechniquesModel(h.json, h.clusters);
    return { model, articles: h.articles, fxs: h.articles.map((a) => model.features(a.doc)) };
  });
  const f1 = gaps.map((gap) =>
    biases.map((bias) => {
      const acc = emptySi();
      for (const { model, articles, fxs } of parts) {
        model.joinGap = gap;
        model.setOBias(bias);
        articles.forEach((a, i) => addSi(acc, proposedSpans(model, a.doc, fxs[i]!), a.spans));
      }
      const s = siScore(acc);
      log(`  oBias ${bias} joinGap ${gap}: SI p ${s.p.toFixed(3)} r ${s.r.toFixed(3)} f1 ${s.f1.toFixed(4)}`);
      return s.f1;
    }),
  );
  // The curve is flat near its top and the perceptron is noisy (a 0.3% change in sentence splits moved the
  // plain argmax by one grid step), so the chosen bias is the centre of the best window of 3 grid points.
  let best = { f1: -1, smooth: -1, bias: json.oBias, gap: json.joinGap };
  gaps.forEach((gap, g) =>
    biases.forEach((bias, b) => {
      const win = f1[g]!.slice(Math.max(0, b - 1), b + 2);
      const smooth = win.reduce((x, y) => x + y, 0) / win.length;
      if (smooth > best.smooth + 1e-9) best = { f1: f1[g]![b]!, smooth, bias, gap };
    }),
  );
  const margins: number[] = [];
  const labels: number[] = [];
  for (const { model, articles, fxs } of parts) {
    model.joinGap = best.gap;
    model.setOBias(best.bias);
    articles.forEach((a, i) => {
      const gold = mergeSpans(a.spans);
      for (const sp of model.spans(a.doc, fxs[i]!)) {
        let inter = 0;
        for (const g of gold) inter += Math.max(0, Math.min(sp.end, g.end) - Math.max(sp.start, g.start));
        margins.push(sp.margin / MARGIN_SCALE);
        labels.push(inter * 2 >= sp.end - sp.start ? 1 : 0);
      }
    });
  }
  const platt = fitPlatt(margins, labels);
  log(
    `chosen oBias ${best.bias} joinGap ${best.gap} (cross-validated SI F1 ${best.f1.toFixed(4)}, window mean ${best.smooth.toFixed(4)}); span Platt a=${platt.a.toFixed(4)} b=${platt.b.toFixed(4)}`,
  );
  return { ...json, oBias: best.bias, joinGap: best.gap, spanPlatt: { a: platt.a, b: platt.b } };
}

/**
 * Trains on `train` and sets the decoding by k-fold cross-validation on the same articles (fold = index
 * mod k): k fold models are trained and scored on the articles each did not see; no other data is used.
 */
export function trainWithCv(
  train: readonly PtcArticle[],
  opts: TrainOptions = {},
  folds = 4,
): TechniquesModelJSON {
  const log = opts.log ?? (() => {});
  const heldOut: HeldOut[] = [];
  for (let k = 0; k < folds; k++) {
    log(`cross-validation fold ${k + 1}/${folds}`);
    heldOut.push({
      json: trainTechniques(
        train.filter((_, i) => i % folds !== k),
        { ...opts, log: undefined },
      ),
      articles: train.filter((_, i) => i % folds === k),
      clusters: opts.clusters?.src,
    });
  }
  const json = trainTechniques(train, opts);
  return tuneDecoding(json, heldOut, log, json.tagLearner === "crf" ? CRF_BIASES : undefined);
}

/**
 * O-bias grid of a CRF tagger (saved scale): steps of 0.1 log-potential units. The CRF's CV curve is
 * narrower than the perceptron's (its optimum spans ~0.3 units), so the 3-point window rule needs a finer
 * grid than the perceptron's steps of 25.
 */
export const CRF_BIASES: readonly number[] = Array.from({ length: 19 }, (_, k) => 120 + 10 * k);
