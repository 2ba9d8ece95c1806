// Multinomial logistic regression over sparse vectors, trained with AdaGrad and L2.
// Binary problems use one weight vector and a sigmoid; K > 2 classes use a softmax.
import { type SparseVector } from "./hashing.js";
import { mulberry32, shuffleInPlace } from "./rng.js";

export interface LogisticOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  /** Weight of each class in the loss (e.g. inverse frequency); default all 1. */
  classWeights?: number[];
}

export interface LogisticJSON {
  kind: "logistic";
  dim: number;
  classes: number;
  weights: Float32Array;
  bias: Float32Array;
}

export class LogisticRegression {
  /** Outputs: 1 for binary (sigmoid), K for multinomial. */
  readonly outputs: number;
  readonly weights: Float32Array;
  readonly bias: Float32Array;

  constructor(
    readonly dim: number,
    readonly classes: number,
    weights?: Float32Array,
    bias?: Float32Array,
  ) {
    this.outputs = classes === 2 ? 1 : classes;
    this.weights = weights ?? new Float32Array(dim * this.outputs);
    this.bias = bias ?? new Float32Array(this.outputs);
  }

  /** Raw scores (logits), one per output. */
  scores(x: SparseVector, out = new Float64Array(this.outputs)): Float64Array {
    const { idx, val } = x;
    const K = this.outputs;
    const W = this.weights;
    for (let k = 0; k < K; k++) out[k] = this.bias[k]!;
    for (let j = 0; j < idx.length; j++) {
      const base = idx[j]! * K;
      const v = val[j]!;
      for (let k = 0; k < K; k++) out[k]! += W[base + k]! * v;
    }
    return out;
  }

  /** Class probabilities (length = classes). */
  predictProba(x: SparseVector): Float64Array {
    const s = this.scores(x);
    if (this.outputs === 1) {
      const p = sigmoid(s[0]!);
      return Float64Array.of(1 - p, p);
    }
    return softmaxInPlace(s);
  }

  /** Probability of class 1 for a binary model. */
  positive(x: SparseVector): number {
    return sigmoid(this.scores(x)[0]!);
  }

  predict(x: SparseVector): number {
    return argmax(this.predictProba(x));
  }

  static train(
    X: readonly SparseVector[],
    y: ArrayLike<number>,
    dim: number,
    classes: number,
    opts: LogisticOptions = {},
  ): LogisticRegression {
    const model = new LogisticRegression(dim, classes);
    const epochs = opts.epochs ?? 8;
    const lr = opts.learningRate ?? 0.2;
    const l2 = opts.l2 ?? 1e-6;
    const cw = opts.classWeights ?? new Array(classes).fill(1);
    const K = model.outputs;
    const W = model.weights;
    const B = model.bias;
    const G = new Float32Array(W.length); // AdaGrad accumulators
    const GB = new Float64Array(K);
    const order = Array.from({ length: X.length }, (_, i) => i);
    const rand = mulberry32(opts.seed ?? 1);
    const grad = new Float64Array(K);
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffleInPlace(order, rand);
      for (const i of order) {
        const x = X[i]!;
        const label = y[i]!;
        const s = model.scores(x);
        const w = cw[label] ?? 1;
        if (K === 1) {
          grad[0] = (sigmoid(s[0]!) - (label === 1 ? 1 : 0)) * w;
        } else {
          softmaxInPlace(s);
          for (let k = 0; k < K; k++) grad[k] = (s[k]! - (k === label ? 1 : 0)) * w;
        }
        for (let k = 0; k < K; k++) {
          const g = grad[k]!;
          GB[k]! += g * g;
          B[k]! -= (lr * g) / (Math.sqrt(GB[k]!) + 1e-8);
        }
        const { idx, val } = x;
        for (let j = 0; j < idx.length; j++) {
          const base = idx[j]! * K;
          const v = val[j]!;
          for (let k = 0; k < K; k++) {
            const p = base + k;
            const g = grad[k]! * v + l2 * W[p]!;
            if (g === 0) continue;
            G[p]! += g * g;
            W[p]! -= (lr * g) / (Math.sqrt(G[p]!) + 1e-8);
          }
        }
      }
    }
    return model;
  }

  toJSON(): LogisticJSON {
    return { kind: "logistic", dim: this.dim, classes: this.classes, weights: this.weights, bias: this.bias };
  }

  static fromJSON(j: LogisticJSON): LogisticRegression {
    return new LogisticRegression(j.dim, j.classes, j.weights, j.bias);
  }
}

/** Index of the largest value (first on ties). */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
  return best;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function softmaxInPlace(s: Float64Array): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < s.length; k++) if (s[k]! > max) max = s[k]!;
  let sum = 0;
  for (let k = 0; k < s.length; k++) {
    s[k] = Math.exp(s[k]! - max);
    sum += s[k]!;
  }
  for (let k = 0; k < s.length; k++) s[k]! /= sum;
  return s;
}
