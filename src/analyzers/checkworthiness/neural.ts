// Round 8: a second learner with sentence semantics learned here. Word vectors come from unlabelled text
// (PPMI + randomized SVD, src/learn/word-vectors.ts); a small convolutional sentence classifier (src/learn/cnn.ts)
// over those frozen vectors is trained on ClaimBuster train; its logit is added to the claimbuster head's raw
// score with weight β (chosen by 5-fold CV on ClaimBuster train) and to the debate head's with weight betaClef.
import { clusterKey } from "../../learn/word-clusters.js";
import { dequantizeVectors, type QuantizedVectorsJSON, type WordVectors } from "../../learn/word-vectors.js";
import { trainTextCnn, WordProjections, type TextCnnJSON, type TextCnnOptions } from "../../learn/cnn.js";
import { inFold } from "../../learn/rng.js";
import { normTypes, type Doc } from "../../doc/doc.js";
import type { Segment } from "./features.js";

export interface NeuralJSON {
  /** Frozen word vectors (int8 + per-word scale). */
  vectors: QuantizedVectorsJSON;
  cnn: TextCnnJSON;
  /** Weight of the CNN's logit in the claimbuster head's raw score. */
  beta: number;
  /** Weight of the same CNN's logit in the clef (debate) head's raw score (0 or absent: not used there). */
  betaClef?: number;
}

/**
 * CNN settings (Kim 2014, static vectors): widths 2 and 3, 16 filters each, dropout 0.5, Adam (learning rate
 * 0.002, batches of 32), at most 12 epochs with early stopping. Small on purpose: the stage may cost at most
 * +0.5 ms per article, and a word costs ≈ (2 + 3) × 16 additions (cnn-wasm.ts runs them four at a time). Widths
 * 2–4 × 64 filters scored better alone (train CV F1 0.751 against 0.735) but cost ≈ +6 ms per article (JS loop);
 * 2–3 × 8, 12 or 32 filters and 20 epochs gave no better stack (see MODEL_CARD.md, round 8).
 */
export const CNN_OPTIONS: Partial<TextCnnOptions> = {
  widths: [2, 3],
  filters: 16,
  epochs: 12,
  batch: 32,
  learningRate: 2e-3,
  dropout: 0.5,
  l2: 1e-4,
  seed: 1,
};

/** Share of a training part held out (by item key) for early stopping. */
const EARLY_STOP_FRACTION = 0.1;

/** Tokens the CNN reads: words, numbers, $, % and "?" (other punctuation is skipped). */
const SKIP = /^[^\p{L}\p{N}$%]+$/u;

/**
 * Maps a token's normal form to its vector row (−1: no vector, −2: skipped), looked up once per word and kept by
 * process-wide word id (normTypes) in a flat table, not in a string-keyed cache.
 */
export class WordLookup {
  private readonly index: Map<string, number>;
  private buf = new Int32Array(256);
  /** Row + 3 per process-wide word id (0: not looked up yet), for vocabulary generation `generation`. */
  private rowById = new Int32Array(0);
  private generation = -1;

  constructor(words: readonly string[]) {
    this.index = new Map(words.map((w, i) => [w, i]));
  }

  idOf(norm: string): number {
    return SKIP.test(norm) && norm !== "?" ? -2 : (this.index.get(clusterKey(norm)) ?? -1);
  }

  // The rows of the last Doc's norm types (normTypes): each distinct word is looked up once per Doc.
  private typesDoc: Doc | null = null;
  private typeOf: Int32Array = new Int32Array(0);
  private rowOfType: Int32Array = new Int32Array(0);

  /** The segment's vector rows, in a reused buffer: valid until the next call. */
  segment(seg: Segment): { ids: Int32Array; n: number } {
    const { doc, tokStart, tokEnd } = seg;
    if (doc !== this.typesDoc) {
      const nt = normTypes(doc);
      this.typesDoc = doc;
      this.typeOf = nt.typeOf;
      if (nt.generation !== this.generation) {
        this.generation = nt.generation;
        this.rowById = new Int32Array(0);
      }
      const { types, vocabId } = nt;
      let max = -1;
      for (let k = 0; k < vocabId.length; k++) if (vocabId[k]! > max) max = vocabId[k]!;
      if (max >= this.rowById.length) {
        const grown = new Int32Array(Math.max(max + 1, this.rowById.length * 2, 1024));
        grown.set(this.rowById);
        this.rowById = grown;
      }
      const byId = this.rowById;
      const rows = new Int32Array(types.length);
      for (let k = 0; k < types.length; k++) {
        let r = byId[vocabId[k]!]!;
        if (r === 0) byId[vocabId[k]!] = r = this.idOf(types[k]!) + 3;
        rows[k] = r - 3;
      }
      this.rowOfType = rows;
    }
    if (this.buf.length < tokEnd - tokStart) this.buf = new Int32Array(2 * (tokEnd - tokStart));
    let n = 0;
    const { typeOf, rowOfType, buf } = this;
    for (let t = tokStart; t < tokEnd; t++) {
      const id = rowOfType[typeOf[t]!]!;
      if (id !== -2) buf[n++] = id;
    }
    return { ids: buf, n };
  }

  /** A copy of the segment's vector rows (training). */
  ids(seg: Segment): Int32Array {
    const { ids, n } = this.segment(seg);
    return ids.slice(0, n);
  }
}

/** Inference: the CNN's logit of a segment. */
export class NeuralScorer {
  readonly lookup: WordLookup;
  /** The dequantized word vectors (row-major words × dim). */
  readonly vectors: Float32Array;
  private readonly proj: WordProjections;

  constructor(readonly json: NeuralJSON) {
    const v = dequantizeVectors(json.vectors);
    this.vectors = v.vectors;
    this.lookup = new WordLookup(v.words);
    this.proj = new WordProjections(json.cnn, v.vectors, v.words.length);
  }

  logit(seg: Segment): number {
    const { ids, n } = this.lookup.segment(seg);
    return this.proj.logit(ids, 0, n);
  }
}

/**
 * Trains the CNN on the items `use` selects, holding out EARLY_STOP_FRACTION of them (by key) to pick the epoch.
 */
export function trainNeural(
  vectors: WordVectors,
  ids: readonly Int32Array[],
  labels: readonly number[],
  keys: readonly string[],
  use: (i: number) => boolean,
  log: (m: string) => void,
): TextCnnJSON {
  const tr: number[] = [];
  const va: number[] = [];
  for (let i = 0; i < ids.length; i++)
    if (use(i)) (inFold(keys[i]!, EARLY_STOP_FRACTION, "cw-cnn-es") ? va : tr).push(i);
  const t0 = performance.now();
  const fit = trainTextCnn(
    vectors.vectors,
    vectors.dim,
    tr.map((i) => ids[i]!),
    tr.map((i) => labels[i]!),
    CNN_OPTIONS,
    { X: va.map((i) => ids[i]!), y: va.map((i) => labels[i]!) },
  );
  log(
    `cnn: ${tr.length} + ${va.length} items, best epoch ${fit.epochs} (validation log loss ${fit.valLoss
      .map((x) => x.toFixed(4))
      .join(" ")}), ${Math.round((performance.now() - t0) / 1000)} s`,
  );
  return fit.model;
}
