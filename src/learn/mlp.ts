// A one-hidden-layer perceptron (ReLU, softmax output) over sparse inputs, trained with AdaGrad and L2.
// Input weights are stored row-major by input index (row i = the H weights of input i), so a sparse
// input touches only its rows; a row gets its random initial values the first time training sees its input,
// so rows of hashed inputs never seen stay zero and ship compactly.
import type { SparseVector } from "./hashing.js";
import { argmax, softmaxInPlace } from "./logistic.js";
import { mulberry32, shuffleInPlace } from "./rng.js";

export interface MLPOptions {
  hidden?: number;
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  /** Input rows start uniform in ±initScale when first seen (default 0.3); unseen rows stay zero. */
  initScale?: number;
  /** Weight of each class in the loss; default all 1. */
  classWeights?: number[];
  /** Called after each epoch (e.g. to log dev scores); progress only, must not change the model. */
  onEpoch?: (epoch: number, model: MLP) => void;
}

export interface MLPJSON {
  kind: "mlp";
  dim: number;
  hidden: number;
  classes: number;
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
}

export class MLP {
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  /** Hidden -> output, row-major by hidden unit (row j = K weights). */
  readonly w2: Float32Array;
  readonly b2: Float32Array;
  private readonly h: Float64Array;

  constructor(
    readonly dim: number,
    readonly hidden: number,
    readonly classes: number,
    w?: { w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array },
  ) {
    this.w1 = w?.w1 ?? new Float32Array(dim * hidden);
    this.b1 = w?.b1 ?? new Float32Array(hidden);
    this.w2 = w?.w2 ?? new Float32Array(hidden * classes);
    this.b2 = w?.b2 ?? new Float32Array(classes);
    this.h = new Float64Array(hidden);
  }

  /** Hidden pre-activations of x added into `out` (no bias, no ReLU): lets callers cache shared input parts. */
  accumulateHidden(x: SparseVector, out: Float64Array): Float64Array {
    const H = this.hidden;
    const W = this.w1;
    const { idx, val } = x;
    for (let j = 0; j < idx.length; j++) {
      const base = idx[j]! * H;
      const v = val[j]!;
      for (let k = 0; k < H; k++) out[k]! += W[base + k]! * v;
    }
    return out;
  }

  /** Class probabilities from hidden pre-activations (bias and ReLU applied here). */
  probaFromHidden(pre: Float64Array, out = new Float64Array(this.classes)): Float64Array {
    const H = this.hidden;
    const K = this.classes;
    for (let c = 0; c < K; c++) out[c] = this.b2[c]!;
    for (let k = 0; k < H; k++) {
      const a = pre[k]! + this.b1[k]!;
      if (a <= 0) continue;
      const base = k * K;
      for (let c = 0; c < K; c++) out[c]! += this.w2[base + c]! * a;
    }
    return softmaxInPlace(out);
  }

  /** Class probabilities for one input (or several inputs whose features add up). */
  predictProba(...xs: SparseVector[]): Float64Array {
    const pre = this.h.fill(0);
    for (const x of xs) this.accumulateHidden(x, pre);
    return this.probaFromHidden(pre);
  }

  predict(x: SparseVector): number {
    return argmax(this.predictProba(x));
  }

  static train(
    X: readonly SparseVector[],
    y: ArrayLike<number>,
    dim: number,
    classes: number,
    opts: MLPOptions = {},
  ): MLP {
    const H = opts.hidden ?? 32;
    const K = classes;
    const model = new MLP(dim, H, K);
    const rand = mulberry32(opts.seed ?? 1);
    const s1 = opts.initScale ?? 0.3;
    const seen = new Uint8Array(dim);
    const initRow = (i: number) => {
      seen[i] = 1;
      const r = mulberry32(((opts.seed ?? 1) * 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b));
      for (let k = 0; k < H; k++) model.w1[i * H + k] = (r() * 2 - 1) * s1;
    };
    for (const x of X) for (let j = 0; j < x.idx.length; j++) if (!seen[x.idx[j]!]) initRow(x.idx[j]!);
    const s2 = Math.sqrt(6 / (H + K));
    for (let i = 0; i < model.w2.length; i++) model.w2[i] = (rand() * 2 - 1) * s2;
    model.b1.fill(0.1);
    const epochs = opts.epochs ?? 10;
    const lr = opts.learningRate ?? 0.05;
    const l2 = opts.l2 ?? 1e-6;
    const cw = opts.classWeights ?? new Array<number>(K).fill(1);
    const { w1, b1, w2, b2 } = model;
    const G1 = new Float32Array(w1.length);
    const Gb1 = new Float64Array(H);
    const G2 = new Float64Array(w2.length);
    const Gb2 = new Float64Array(K);
    const pre = new Float64Array(H);
    const act = new Float64Array(H);
    const out = new Float64Array(K);
    const dOut = new Float64Array(K);
    const dHid = new Float64Array(H);
    const order = Array.from({ length: X.length }, (_, i) => i);
    const eps = 1e-8;
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffleInPlace(order, rand);
      for (const i of order) {
        const x = X[i]!;
        const label = y[i]!;
        const w = cw[label] ?? 1;
        pre.fill(0);
        model.accumulateHidden(x, pre);
        for (let c = 0; c < K; c++) out[c] = b2[c]!;
        for (let k = 0; k < H; k++) {
          const a = pre[k]! + b1[k]!;
          act[k] = a > 0 ? a : 0;
          if (a <= 0) continue;
          for (let c = 0; c < K; c++) out[c]! += w2[k * K + c]! * a;
        }
        softmaxInPlace(out);
        for (let c = 0; c < K; c++) dOut[c] = (out[c]! - (c === label ? 1 : 0)) * w;
        // Backprop into the hidden layer before touching w2.
        for (let k = 0; k < H; k++) {
          if (act[k]! <= 0) {
            dHid[k] = 0;
            continue;
          }
          let s = 0;
          for (let c = 0; c < K; c++) s += w2[k * K + c]! * dOut[c]!;
          dHid[k] = s;
        }
        for (let c = 0; c < K; c++) {
          const g = dOut[c]!;
          Gb2[c]! += g * g;
          b2[c]! -= (lr * g) / (Math.sqrt(Gb2[c]!) + eps);
        }
        for (let k = 0; k < H; k++) {
          const a = act[k]!;
          if (a > 0) {
            for (let c = 0; c < K; c++) {
              const p = k * K + c;
              const g = dOut[c]! * a + l2 * w2[p]!;
              G2[p]! += g * g;
              w2[p]! -= (lr * g) / (Math.sqrt(G2[p]!) + eps);
            }
          }
          const g = dHid[k]!;
          if (g !== 0) {
            Gb1[k]! += g * g;
            b1[k]! -= (lr * g) / (Math.sqrt(Gb1[k]!) + eps);
          }
        }
        const { idx, val } = x;
        for (let j = 0; j < idx.length; j++) {
          const base = idx[j]! * H;
          const v = val[j]!;
          for (let k = 0; k < H; k++) {
            const p = base + k;
            const g = dHid[k]! * v + l2 * w1[p]!;
            if (g === 0) continue;
            G1[p]! += g * g;
            w1[p]! -= (lr * g) / (Math.sqrt(G1[p]!) + eps);
          }
        }
      }
      opts.onEpoch?.(epoch, model);
    }
    return model;
  }

  toJSON(): MLPJSON {
    return {
      kind: "mlp",
      dim: this.dim,
      hidden: this.hidden,
      classes: this.classes,
      w1: this.w1,
      b1: this.b1,
      w2: this.w2,
      b2: this.b2,
    };
  }

  static fromJSON(j: MLPJSON): MLP {
    return new MLP(j.dim, j.hidden, j.classes, j);
  }
}
