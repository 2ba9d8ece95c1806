// Training and evaluation of the techniques model on PTC articles.
import { FeatureHasher, type SparseVector } from "../../learn/hashing.js";
import { LogisticRegression } from "../../learn/logistic.js";
import { SequenceTagger, type TaggedSequence } from "../../learn/tagger.js";
import { TECHNIQUES } from "../../schema/analysis.js";
import { Lexicon, tokenFeatures } from "./features.js";
import { docFeatures, spanFeatures, TAGS, TechniquesModel, type DocFeatures, type TechniquesModelJSON } from "./model.js";
import { mergeSpans, type PtcArticle } from "./ptc.js";
import { addSi, emptySi, siScore } from "./scoring.js";

export interface TrainOptions {
  tagBits?: number;
  clsBits?: number;
  tagEpochs?: number;
  clsEpochs?: number;
  l2?: number;
  learningRate?: number;
  /** Folds for cross-fitted lexicon features on the training articles. */
  lexFolds?: number;
  seed?: number;
  log?: (msg: string) => void;
}

const TECH_INDEX = new Map<string, number>(TECHNIQUES.map((t, i) => [t, i]));

/** BIO tags of a sentence's tokens from merged gold spans. */
function bioTags(a: PtcArticle, tokStart: number, tokEnd: number, merged: { start: number; end: number }[]): Uint8Array {
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

// The cross-fitted lexicon used for an article's features is remembered beside them.
const LEX_OF = new WeakMap<DocFeatures, Lexicon>();
function lexiconOf(fx: DocFeatures): Lexicon {
  return LEX_OF.get(fx)!;
}

/** Per-article features where the lexicon never saw the article's own labels (k-fold cross-fitting). */
function crossFitted(articles: readonly PtcArticle[], folds: number): DocFeatures[] {
  const out: DocFeatures[] = new Array<DocFeatures>(articles.length);
  for (let k = 0; k < folds; k++) {
    const lex = Lexicon.build(articles.filter((_, i) => i % folds !== k));
    articles.forEach((a, i) => {
      if (i % folds === k) {
        out[i] = docFeatures(a.doc, lex);
        LEX_OF.set(out[i], lex);
      }
    });
  }
  return out;
}

export function trainTechniques(train: readonly PtcArticle[], opts: TrainOptions = {}): TechniquesModelJSON {
  const log = opts.log ?? (() => {});
  const tagBits = opts.tagBits ?? 18;
  const clsBits = opts.clsBits ?? 18;
  const mask = (1 << tagBits) - 1;
  const lexicon = Lexicon.build(train);
  log(`lexicon: ${lexicon.scores.size} words`);
  const fx = crossFitted(train, opts.lexFolds ?? 4);
  const seqs: TaggedSequence[] = [];
  train.forEach((a, i) => {
    const feats = tokenFeatures(a.doc, fx[i]!.info, fx[i]!.cues, mask);
    const merged = mergeSpans(a.spans);
    for (const sent of a.doc.sentences) {
      if (sent.tokEnd <= sent.tokStart) continue;
      seqs.push({ features: feats.slice(sent.tokStart, sent.tokEnd), tags: bioTags(a, sent.tokStart, sent.tokEnd, merged) });
    }
  });
  log(`tagger: ${seqs.length} sentences`);
  const tagger = SequenceTagger.train(TAGS, 1 << tagBits, seqs, { epochs: opts.tagEpochs ?? 8, seed: opts.seed ?? 7 });
  const hasher = new FeatureHasher(clsBits);
  const X: SparseVector[] = [];
  const y: number[] = [];
  train.forEach((a, i) => {
    for (const s of a.spans) {
      X.push(spanFeatures(a.doc, fx[i]!, lexiconOf(fx[i]!), s, hasher));
      y.push(TECH_INDEX.get(s.technique)!);
    }
  });
  log(`classifier: ${X.length} spans`);
  const classifier = LogisticRegression.train(X, Int32Array.from(y), 1 << clsBits, TECHNIQUES.length, {
    epochs: opts.clsEpochs ?? 12,
    l2: opts.l2 ?? 1e-6,
    learningRate: opts.learningRate ?? 0.2,
    seed: opts.seed ?? 7,
  });
  return {
    kind: "techniques",
    version: 1,
    tagBits,
    clsBits,
    oBias: 0,
    lexicon: lexicon.toJSON(),
    tagger: tagger.toJSON(),
    classifier: classifier.toJSON(),
  };
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
export function evaluate(model: TechniquesModel, articles: readonly PtcArticle[], oBiases: number[] = [model.json.oBias]) {
  const si = oBiases.map(() => emptySi());
  let correct = 0;
  let total = 0;
  for (const a of articles) {
    const fx = model.features(a.doc);
    oBiases.forEach((b, k) => {
      model.setOBias(b);
      addSi(si[k]!, model.spans(a.doc, fx), a.spans);
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
          remaining.splice(at, 1);
        }
        total++;
      }
    }
  }
  model.setOBias(model.json.oBias);
  return {
    si: si.map((c) => siScore(c)),
    counts: si,
    tc: { microF1: total ? correct / total : 0, correct, total },
  };
}
