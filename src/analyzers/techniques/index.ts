// Stage "techniques": marks the 14 PTC persuasion techniques as character spans of doc.text.
// Learned layer: a BIO tagger (linear-chain CRF + Viterbi since round 5) finds spans, a softmax classifier names
// each span's technique; both use a word lexicon derived from PTC's labelled spans. A small documented
// rule layer (rules.ts) adds intensifiers, idioms, epithets and fear-of-the-inevitable sentences.
import type { Doc } from "../../doc/doc.js";
import { loadModel, loadShippedModel } from "../../learn/model-io.js";
import { defineStage, type Stage } from "../../pipeline/stage.js";
import { TECHNIQUES, type Technique, type TechniqueName } from "../../schema/analysis.js";
import { explain } from "./explain.js";
import { TechniquesModel, type TechniquesModelJSON } from "./model.js";
import { ruleHits } from "./rules.js";

export interface TechniquesOptions {
  /** Model file (default: models/techniques/model.json.gz). */
  techniquesModel?: string;
  /**
   * Spans below this confidence are dropped (the SI-tuned tagger over-generates low ones); default: the
   * model's (defaultMinConfidence: 0.1 for the CRF tagger, 0.15 for older perceptron files).
   */
  techniquesMinConfidence?: number;
}

/** A second technique is reported for the same span when its probability reaches this. */
const SECOND_LABEL = 0.3;

const cache = new Map<string, TechniquesModel>();

export function loadTechniquesModel(file?: string): TechniquesModel {
  const key = file ?? "";
  let m = cache.get(key);
  if (!m) {
    const json = file
      ? loadModel<TechniquesModelJSON>(file)
      : loadShippedModel<TechniquesModelJSON>("techniques");
    m = new TechniquesModel(json);
    cache.set(key, m);
  }
  return m;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Default confidence floor of a model's spans. Perceptron taggers (rounds 1–4): 0.15. CRF tagger (round 5):
 * its span confidences are more spread out, and 0.1 is the lowest floor that keeps the perceptron's
 * precision at 0.15 (4-fold CV on PTC train, stage output: perceptron @0.15 SI p 0.356 r 0.267; CRF @0.1
 * p 0.364 r 0.307, @0.15 p 0.439 r 0.188).
 */
export function defaultMinConfidence(model: TechniquesModel): number {
  return model.json.tagLearner === "crf" ? 0.1 : 0.15;
}

/** Techniques found in a Doc, sorted by start offset. */
export function findTechniques(
  model: TechniquesModel,
  doc: Doc,
  minConfidence = defaultMinConfidence(model),
): Technique[] {
  const fx = model.features(doc);
  const out: Technique[] = [];
  const { norm, start, end } = doc.tokens;
  for (const sp of model.spans(doc, fx)) {
    const conf = model.spanConfidence(sp);
    // Every label's confidence is conf × its probability (≤ conf): a span below the floor needs no classifying.
    if (conf < minConfidence) continue;
    const p = model.classify(doc, fx, sp);
    const order = topTwo(p);
    for (let r = 0; r < 2; r++) {
      const k = order[r]!;
      if (r === 1 && p[k]! < SECOND_LABEL) break;
      const technique = TECHNIQUES[k]!;
      const confidence = conf * p[k]!;
      if (confidence < minConfidence) continue;
      // The span word most typical of this technique in PTC (for the explanation).
      let cue: string | undefined;
      let best = 1.2;
      for (let i = sp.a; i < sp.b; i++) {
        const s = fx.info.lexRow[i];
        if (s && s[k + 1]! > best && /\p{L}/u.test(norm[i]!)) {
          best = s[k + 1]!;
          cue = doc.text.slice(start[i]!, end[i]!);
        }
      }
      const text = doc.text.slice(sp.start, sp.end);
      let occurrences: number | undefined;
      if (technique === "Repetition") occurrences = countOccurrences(fx, doc, text);
      out.push({
        technique,
        start: sp.start,
        end: sp.end,
        text,
        confidence: round3(confidence),
        explanation: explain(technique, text, { cue, occurrences }),
      });
    }
  }
  for (const hit of ruleHits(doc)) {
    const same = out.find((t) => t.technique === hit.technique && t.start < hit.end && hit.start < t.end);
    if (same) {
      // The model and the rule agree: keep the model's span, at the higher confidence.
      if (hit.confidence > same.confidence) same.confidence = hit.confidence;
      continue;
    }
    const text = doc.text.slice(hit.start, hit.end);
    out.push({
      technique: hit.technique as TechniqueName,
      start: hit.start,
      end: hit.end,
      text,
      confidence: hit.confidence,
      explanation: explain(hit.technique, text, { rule: hit.reason }),
    });
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

const TOP2 = [0, 0];

/**
 * The indices of the two largest probabilities, as the first two of a stable descending sort of the indices
 * would be (ties: the lower index first); any NaN: that sort itself. Returns a reused array.
 */
export function topTwo(p: Float64Array): readonly number[] {
  let a = -1;
  let b = -1;
  for (let k = 0; k < p.length; k++) {
    const v = p[k]!;
    if (v !== v) return Array.from(p.keys()).sort((x, y) => p[y]! - p[x]!);
    if (a < 0 || v > p[a]!) {
      b = a;
      a = k;
    } else if (b < 0 || v > p[b]!) b = k;
  }
  TOP2[0] = a;
  TOP2[1] = b;
  return TOP2;
}

function countOccurrences(fx: { lower?: string }, doc: Doc, text: string): number {
  fx.lower ??= doc.text.toLowerCase();
  const needle = text.toLowerCase();
  let n = 0;
  for (let at = fx.lower.indexOf(needle); at >= 0 && n < 99; at = fx.lower.indexOf(needle, at + 1)) n++;
  return n;
}

export async function createTechniquesStage(options: Record<string, unknown>): Promise<Stage> {
  const opts = options as TechniquesOptions;
  const model = loadTechniquesModel(opts.techniquesModel);
  const min = opts.techniquesMinConfidence ?? defaultMinConfidence(model);
  return defineStage({
    name: "techniques",
    reads: ["tokens"],
    adds: "techniques",
    run: (doc) => findTechniques(model, doc, min),
  });
}
