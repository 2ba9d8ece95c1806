// A first-order sequence tagger: averaged perceptron with Viterbi decoding over hashed token features.
// Used for span tagging (BIO) by attribution and techniques.
import { mulberry32, shuffleInPlace } from "./rng.js";

export interface TaggedSequence {
  /** Hashed feature indices (already reduced to the tagger's dim) for each token. */
  features: Int32Array[];
  /** Gold tag index for each token. */
  tags: ArrayLike<number>;
}

export interface TaggerJSON {
  kind: "tagger";
  tags: string[];
  dim: number;
  weights: Float32Array;
  transitions: Float32Array;
}

export interface TaggerTrainOptions {
  epochs?: number;
  seed?: number;
  /** Called after each epoch (e.g. to report dev scores). */
  onEpoch?: (epoch: number, tagger: SequenceTagger) => void;
}

/**
 * Best tag path over emission rows [from, to) (row-major, T scores per token) under first-order
 * transitions (row 0 = start state), written to out[from..to). score/back must hold to*T entries.
 * Shared by SequenceTagger.predict and analyzers that compute emissions their own fast way.
 */
export function viterbi(
  emit: ArrayLike<number>,
  transitions: ArrayLike<number>,
  T: number,
  from: number,
  to: number,
  out: { [i: number]: number },
  score: Float64Array,
  back: Int32Array | Int8Array,
): void {
  if (to <= from) return;
  const Tr = transitions;
  for (let t = 0; t < T; t++) score[from * T + t] = emit[from * T + t]! + Tr[t]!;
  for (let i = from + 1; i < to; i++) {
    for (let t = 0; t < T; t++) {
      let best = -Infinity;
      let arg = 0;
      for (let p = 0; p < T; p++) {
        const s = score[(i - 1) * T + p]! + Tr[(p + 1) * T + t]!;
        if (s > best) {
          best = s;
          arg = p;
        }
      }
      score[i * T + t] = best + emit[i * T + t]!;
      back[i * T + t] = arg;
    }
  }
  let best = -Infinity;
  for (let t = 0; t < T; t++) {
    if (score[(to - 1) * T + t]! > best) {
      best = score[(to - 1) * T + t]!;
      out[to - 1] = t;
    }
  }
  for (let i = to - 1; i > from; i--) out[i - 1] = back[i * T + out[i]!]!;
}

/**
 * Adds each token's emission scores (row-major, T per token) for weights[f * T + t] into `emit` and returns it;
 * shared by the perceptron and the CRF so both score features the same way.
 */
export function addEmissions(
  W: ArrayLike<number>,
  T: number,
  features: readonly Int32Array[],
  emit: Float64Array,
): Float64Array {
  for (let i = 0; i < features.length; i++) {
    const f = features[i]!;
    const row = i * T;
    for (let j = 0; j < f.length; j++) {
      const base = f[j]! * T;
      for (let t = 0; t < T; t++) emit[row + t]! += W[base + t]!;
    }
  }
  return emit;
}

export class SequenceTagger {
  readonly T: number;
  /** weights[f * T + t] */
  weights: Float32Array;
  /** transitions[(prev + 1) * T + t]; row 0 is the start state. */
  transitions: Float32Array;

  constructor(
    readonly tags: readonly string[],
    readonly dim: number,
    weights?: Float32Array,
    transitions?: Float32Array,
  ) {
    this.T = tags.length;
    this.weights = weights ?? new Float32Array(dim * this.T);
    this.transitions = transitions ?? new Float32Array((this.T + 1) * this.T);
  }

  /** Best tag sequence (Viterbi). */
  predict(features: readonly Int32Array[]): Int32Array {
    const n = features.length;
    const T = this.T;
    const out = new Int32Array(n);
    if (n === 0) return out;
    const emit = addEmissions(this.weights, T, features, new Float64Array(n * T));
    viterbi(emit, this.transitions, T, 0, n, out, new Float64Array(n * T), new Int32Array(n * T));
    return out;
  }

  /** Averaged-perceptron training; deterministic for a given seed. */
  static train(
    tags: readonly string[],
    dim: number,
    data: readonly TaggedSequence[],
    opts: TaggerTrainOptions = {},
  ): SequenceTagger {
    const tagger = new SequenceTagger(tags, dim);
    const T = tagger.T;
    const W = tagger.weights;
    const Tr = tagger.transitions;
    // Averaging with the "lazy totals" trick: total += (now - stamp) * w before each change.
    const wTotal = new Float64Array(W.length);
    const wStamp = new Int32Array(W.length);
    const tTotal = new Float64Array(Tr.length);
    const tStamp = new Int32Array(Tr.length);
    let now = 0;
    const bump = (arr: Float32Array, tot: Float64Array, stamp: Int32Array, p: number, d: number) => {
      tot[p]! += (now - stamp[p]!) * arr[p]!;
      stamp[p] = now;
      arr[p]! += d;
    };
    const order = Array.from({ length: data.length }, (_, i) => i);
    const rand = mulberry32(opts.seed ?? 7);
    const epochs = opts.epochs ?? 10;
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffleInPlace(order, rand);
      for (const s of order) {
        const seq = data[s]!;
        now++;
        const pred = tagger.predict(seq.features);
        const gold = seq.tags;
        for (let i = 0; i < pred.length; i++) {
          const g = gold[i]!;
          const p = pred[i]!;
          const gPrev = i === 0 ? -1 : gold[i - 1]!;
          const pPrev = i === 0 ? -1 : pred[i - 1]!;
          if (g !== p) {
            const f = seq.features[i]!;
            for (let j = 0; j < f.length; j++) {
              bump(W, wTotal, wStamp, f[j]! * T + g, 1);
              bump(W, wTotal, wStamp, f[j]! * T + p, -1);
            }
          }
          if (g !== p || gPrev !== pPrev) {
            bump(Tr, tTotal, tStamp, (gPrev + 1) * T + g, 1);
            bump(Tr, tTotal, tStamp, (pPrev + 1) * T + p, -1);
          }
        }
      }
      if (opts.onEpoch) {
        const avg = averaged(tagger, wTotal, wStamp, tTotal, tStamp, now);
        opts.onEpoch(epoch, avg);
      }
    }
    return averaged(tagger, wTotal, wStamp, tTotal, tStamp, now);
  }

  toJSON(): TaggerJSON {
    return {
      kind: "tagger",
      tags: [...this.tags],
      dim: this.dim,
      weights: this.weights,
      transitions: this.transitions,
    };
  }

  static fromJSON(j: TaggerJSON): SequenceTagger {
    return new SequenceTagger(j.tags, j.dim, j.weights, j.transitions);
  }
}

function averaged(
  t: SequenceTagger,
  wTotal: Float64Array,
  wStamp: Int32Array,
  tTotal: Float64Array,
  tStamp: Int32Array,
  now: number,
): SequenceTagger {
  const W = new Float32Array(t.weights.length);
  for (let p = 0; p < W.length; p++) {
    const w = t.weights[p]!;
    const total = wTotal[p]! + (now - wStamp[p]!) * w;
    W[p] = now > 0 ? total / now : w;
  }
  const Tr = new Float32Array(t.transitions.length);
  for (let p = 0; p < Tr.length; p++) {
    const total = tTotal[p]! + (now - tStamp[p]!) * t.transitions[p]!;
    Tr[p] = now > 0 ? total / now : t.transitions[p]!;
  }
  return new SequenceTagger(t.tags, t.dim, W, Tr);
}
