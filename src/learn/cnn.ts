// A small convolutional sentence classifier over frozen word vectors (Kim 2014, "Convolutional neural networks
// for sentence classification", static variant): filters of a few widths slide over the word vectors, each
// filter's maximum over the sentence (ReLU) feeds one logistic output. Trained with Adam on mini-batches, dropout on
// the pooled features, early stopping on an inner split; seeded and deterministic.
//
// Inference is cheap because the word vectors are frozen: a filter's response at a window is the sum of its
// per-offset responses to each word, and those are computed once per word (`WordProjections`) and then only added
// up per position (a sentence of L words costs ~L × Σwidths × filters additions).
import { mulberry32 } from "./rng.js";
import { Widths23Wasm } from "./cnn-wasm.js";

export interface TextCnnJSON {
  kind: "text-cnn";
  version: 1;
  dim: number;
  widths: number[];
  filters: number;
  /** Per width: filters × width × dim, row-major [f][k][d]. */
  conv: Float32Array[];
  /** Per width: filters biases. */
  convBias: Float32Array[];
  /** Output weights over the pooled features (widths × filters, width-major) and bias. */
  out: Float32Array;
  outBias: number;
}

export interface TextCnnOptions {
  widths: number[];
  filters: number;
  epochs: number;
  batch: number;
  learningRate: number;
  /** Dropout probability on the pooled features. */
  dropout: number;
  /** L2 on the output weights (added to the gradient). */
  l2: number;
  /** Weight of positive examples in the loss. */
  positiveWeight: number;
  seed: number;
  /**
   * AdaGrad learning rate for fine-tuning the word vectors (rows of words seen in training only); 0 keeps them
   * frozen ("static", the default).
   */
  tuneVectors: number;
}

export const DEFAULT_TEXT_CNN_OPTIONS: TextCnnOptions = {
  widths: [2, 3, 4],
  filters: 64,
  epochs: 12,
  batch: 32,
  learningRate: 1e-3,
  dropout: 0.5,
  l2: 1e-4,
  positiveWeight: 1,
  seed: 1,
  tuneVectors: 0,
};

/** A sentence as row indices into the vector table (−1: a word without a vector, read as zeros). */
export type WordIds = Int32Array;

/** The pooled-feature count of a model. */
function pooledSize(m: TextCnnJSON): number {
  return m.widths.length * m.filters;
}

/**
 * Max-pooled filter responses of one sentence (ReLU applied). `argmax[j]` receives the window start of each
 * pooled feature (windows start at −(width−1): "wide" convolution, out-of-sentence words are zeros).
 */
function pooled(
  m: TextCnnJSON,
  vectors: Float32Array,
  ids: WordIds,
  h: Float64Array,
  argmax: Int32Array | null,
): void {
  const d = m.dim;
  const F = m.filters;
  const L = ids.length;
  for (let wi = 0; wi < m.widths.length; wi++) {
    const w = m.widths[wi]!;
    const W = m.conv[wi]!;
    const B = m.convBias[wi]!;
    for (let f = 0; f < F; f++) {
      let best = -Infinity;
      let bestT = 0;
      const fo = f * w * d;
      for (let t = -(w - 1); t < Math.max(1, L); t++) {
        let s = B[f]!;
        for (let k = 0; k < w; k++) {
          const p = t + k;
          if (p < 0 || p >= L) continue;
          const id = ids[p]!;
          if (id < 0) continue;
          const vo = id * d;
          const wo = fo + k * d;
          for (let e = 0; e < d; e++) s += W[wo + e]! * vectors[vo + e]!;
        }
        if (s > best) {
          best = s;
          bestT = t;
        }
      }
      const j = wi * F + f;
      h[j] = best > 0 ? best : 0;
      if (argmax) argmax[j] = bestT;
    }
  }
}

/** The logit of a sentence (no dropout), computed directly from the vectors (training and tests). */
export function textCnnLogit(m: TextCnnJSON, vectors: Float32Array, ids: WordIds): number {
  const h = new Float64Array(pooledSize(m));
  pooled(m, vectors, ids, h, null);
  let z = m.outBias;
  for (let j = 0; j < h.length; j++) z += m.out[j]! * h[j]!;
  return z;
}

function glorot(rand: () => number, fanIn: number, fanOut: number, n: number): Float32Array {
  const a = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rand() - 1) * a;
  return out;
}

class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  constructor(
    private readonly params: Float32Array,
    private readonly lr: number,
  ) {
    this.m = new Float64Array(params.length);
    this.v = new Float64Array(params.length);
  }
  step(grad: Float64Array): void {
    this.t++;
    const b1 = 0.9;
    const b2 = 0.999;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    const { params, m, v, lr } = this;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i]!;
      if (g === 0 && m[i] === 0) continue;
      m[i] = b1 * m[i]! + (1 - b1) * g;
      v[i] = b2 * v[i]! + (1 - b2) * g * g;
      params[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + 1e-8);
    }
  }
}

export interface TextCnnFit {
  model: TextCnnJSON;
  /** Epochs trained (the best on the validation items when given). */
  epochs: number;
  /** Validation log loss per epoch (empty without validation items). */
  valLoss: number[];
  /** The fine-tuned word vectors (with tuneVectors > 0), else the given ones. */
  vectors: Float32Array;
}

function logLoss(z: number, y: number): number {
  // log(1 + exp(-z)) for y = 1, log(1 + exp(z)) for y = 0, computed stably.
  const s = y === 1 ? -z : z;
  return s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
}

/**
 * Trains on (sentences, labels). With validation items, keeps the parameters of the epoch with the lowest
 * validation log loss (early stopping); otherwise trains `epochs` epochs.
 */
export function trainTextCnn(
  frozen: Float32Array,
  dim: number,
  X: readonly WordIds[],
  y: readonly number[],
  options: Partial<TextCnnOptions> = {},
  validation?: { X: readonly WordIds[]; y: readonly number[] },
): TextCnnFit {
  const o = { ...DEFAULT_TEXT_CNN_OPTIONS, ...options };
  const tune = o.tuneVectors > 0;
  const vectors = tune ? frozen.slice() : frozen;
  // Fine-tuning: per-batch gradients of the touched rows only, and their AdaGrad sums.
  const gE = tune ? new Float64Array(vectors.length) : null;
  const sumE = tune ? new Float64Array(vectors.length) : null;
  const touched: number[] = [];
  const mark = tune ? new Int32Array(vectors.length / dim).fill(-1) : null;
  let bestVectors: Float32Array | null = null;
  let batchNo = 0;
  const rand = mulberry32(o.seed);
  const F = o.filters;
  const m: TextCnnJSON = {
    kind: "text-cnn",
    version: 1,
    dim,
    widths: [...o.widths],
    filters: F,
    conv: o.widths.map((w) => glorot(rand, w * dim, F, F * w * dim)),
    convBias: o.widths.map(() => new Float32Array(F)),
    out: glorot(rand, o.widths.length * F, 1, o.widths.length * F),
    outBias: 0,
  };
  const P = pooledSize(m);
  // One flat parameter vector view per tensor, each with its own Adam state.
  const outParams = new Float32Array(P + 1);
  outParams.set(m.out);
  const convOpt = m.conv.map((c) => new Adam(c, o.learningRate));
  const biasOpt = m.convBias.map((c) => new Adam(c, o.learningRate));
  const outOpt = new Adam(outParams, o.learningRate);
  const gConv = m.conv.map((c) => new Float64Array(c.length));
  const gBias = m.convBias.map((c) => new Float64Array(c.length));
  const gOut = new Float64Array(P + 1);
  const h = new Float64Array(P);
  const keep = new Float64Array(P);
  const argmax = new Int32Array(P);
  const order = X.map((_, i) => i);
  const valLoss: number[] = [];
  let best: TextCnnJSON | null = null;
  let bestLoss = Infinity;
  let bestEpoch = o.epochs;
  const syncOut = () => {
    m.out.set(outParams.subarray(0, P));
    m.outBias = outParams[P]!;
  };
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (let b0 = 0; b0 < order.length; b0 += o.batch) {
      const b1 = Math.min(order.length, b0 + o.batch);
      for (const g of gConv) g.fill(0);
      for (const g of gBias) g.fill(0);
      gOut.fill(0);
      for (let bi = b0; bi < b1; bi++) {
        const ex = order[bi]!;
        const ids = X[ex]!;
        pooled(m, vectors, ids, h, argmax);
        let z = m.outBias;
        for (let j = 0; j < P; j++) {
          keep[j] = rand() < o.dropout ? 0 : 1 / (1 - o.dropout);
          z += m.out[j]! * h[j]! * keep[j]!;
        }
        const p = 1 / (1 + Math.exp(-z));
        const wt = y[ex] === 1 ? o.positiveWeight : 1;
        const g = (p - y[ex]!) * wt;
        for (let j = 0; j < P; j++) gOut[j] += g * h[j]! * keep[j]!;
        gOut[P] += g;
        for (let wi = 0; wi < m.widths.length; wi++) {
          const w = m.widths[wi]!;
          for (let f = 0; f < F; f++) {
            const j = wi * F + f;
            if (h[j]! <= 0 || keep[j] === 0) continue;
            const gh = g * m.out[j]! * keep[j]!;
            gBias[wi]![f] += gh;
            const t = argmax[j]!;
            const gc = gConv[wi]!;
            for (let k = 0; k < w; k++) {
              const p2 = t + k;
              if (p2 < 0 || p2 >= ids.length) continue;
              const id = ids[p2]!;
              if (id < 0) continue;
              const vo = id * dim;
              const go = (f * w + k) * dim;
              for (let e = 0; e < dim; e++) gc[go + e] += gh * vectors[vo + e]!;
              if (gE) {
                if (mark![id] !== batchNo) {
                  mark![id] = batchNo;
                  touched.push(id);
                }
                const W = m.conv[wi]!;
                for (let e = 0; e < dim; e++) gE[vo + e] += gh * W[go + e]!;
              }
            }
          }
        }
      }
      const n = b1 - b0;
      for (let wi = 0; wi < m.widths.length; wi++) {
        const gc = gConv[wi]!;
        for (let i = 0; i < gc.length; i++) gc[i] /= n;
        const gb = gBias[wi]!;
        for (let i = 0; i < gb.length; i++) gb[i] /= n;
        convOpt[wi]!.step(gc);
        biasOpt[wi]!.step(gb);
      }
      for (let j = 0; j < P; j++) gOut[j] = gOut[j]! / n + o.l2 * outParams[j]!;
      gOut[P] /= n;
      outOpt.step(gOut);
      syncOut();
      if (gE) {
        for (const id of touched) {
          const vo = id * dim;
          for (let e = 0; e < dim; e++) {
            const g = gE[vo + e]! / n;
            sumE![vo + e] += g * g;
            vectors[vo + e]! -= (o.tuneVectors * g) / (Math.sqrt(sumE![vo + e]!) + 1e-8);
            gE[vo + e] = 0;
          }
        }
        touched.length = 0;
      }
      batchNo++;
    }
    if (validation) {
      let loss = 0;
      for (let i = 0; i < validation.X.length; i++)
        loss += logLoss(textCnnLogit(m, vectors, validation.X[i]!), validation.y[i]!);
      loss /= Math.max(1, validation.X.length);
      valLoss.push(loss);
      if (loss < bestLoss) {
        bestLoss = loss;
        bestEpoch = epoch;
        best = cloneCnn(m);
        if (tune) bestVectors = vectors.slice();
      }
    }
  }
  return { model: best ?? m, epochs: bestEpoch, valLoss, vectors: bestVectors ?? vectors };
}

function cloneCnn(m: TextCnnJSON): TextCnnJSON {
  return {
    ...m,
    widths: [...m.widths],
    conv: m.conv.map((c) => c.slice()),
    convBias: m.convBias.map((c) => c.slice()),
    out: m.out.slice(),
  };
}

/**
 * Fast inference with frozen vectors: each word's per-offset filter responses are computed once (on first use)
 * and kept in a flat pool; a sentence's logit then only adds them up per window.
 */
export class WordProjections {
  /** Per word row: offset into pool (0 = not computed; pool[0, stride) is an all-zero block for padding). */
  private at: Int32Array;
  private pool: Float32Array;
  private used: number;
  /** Σ widths × filters: the responses stored per word ([width][offset k][filter]). */
  private readonly stride: number;
  private readonly widthBase: number[] = [];
  private readonly h: Float64Array;
  private offs = new Int32Array(256);
  /** The WebAssembly SIMD kernel for widths 2 and 3 (its memory holds the pool), or null: the JS loops. */
  private readonly simd: Widths23Wasm | null;

  /** `simd`: use the WebAssembly kernel where it applies (widths 2 and 3, filters a multiple of 4). */
  constructor(
    readonly model: TextCnnJSON,
    private readonly vectors: Float32Array,
    words: number,
    simd = true,
  ) {
    this.at = new Int32Array(words);
    let s = 0;
    for (const w of model.widths) {
      this.widthBase.push(s);
      s += w * model.filters;
    }
    this.stride = s;
    const w23 = model.widths.length === 2 && model.widths[0] === 2 && model.widths[1] === 3;
    this.simd = simd && w23 ? Widths23Wasm.create(model.filters, words + 1) : null;
    // With the kernel the pool lives in its memory, sized for every word (it never grows).
    this.pool = this.simd ? this.simd.pool : new Float32Array(Math.max(1 << 16, 2 * s));
    this.used = s;
    this.h = new Float64Array(pooledSize(model));
  }

  /** Whether the WebAssembly kernel is in use. */
  get usesSimd(): boolean {
    return this.simd !== null;
  }

  private offsetOf(id: number): number {
    const a = this.at[id]!;
    if (a !== 0) return a;
    const { model, vectors, stride } = this;
    const d = model.dim;
    const F = model.filters;
    if (this.used + stride > this.pool.length) {
      const grown = new Float32Array(Math.max(this.pool.length * 2, this.used + stride));
      grown.set(this.pool.subarray(0, this.used));
      this.pool = grown;
    }
    const off = this.used;
    const vo = id * d;
    for (let wi = 0; wi < model.widths.length; wi++) {
      const w = model.widths[wi]!;
      const W = model.conv[wi]!;
      for (let k = 0; k < w; k++)
        for (let f = 0; f < F; f++) {
          let s = 0;
          const wo = (f * w + k) * d;
          for (let e = 0; e < d; e++) s += W[wo + e]! * vectors[vo + e]!;
          this.pool[off + this.widthBase[wi]! + k * F + f] = s;
        }
    }
    this.used += stride;
    this.at[id] = off;
    return off;
  }

  /** The sentence's logit (equal to textCnnLogit up to float rounding). */
  logit(ids: ArrayLike<number>, from = 0, to = ids.length): number {
    const { model, h } = this;
    const F = model.filters;
    const L = to - from;
    let maxW = 1;
    for (const w of model.widths) if (w > maxW) maxW = w;
    // Pool offsets of the words, padded with maxW − 1 zero blocks on each side (windows reaching outside the
    // sentence, and words without a vector, read zeros). Computed before the pool is read: it may grow.
    const pad = maxW - 1;
    const n = (L > 1 ? L : 1) + 2 * pad;
    if (this.offs.length < n) this.offs = new Int32Array(2 * n);
    const offs = this.offs;
    offs.fill(0, 0, n);
    for (let p = 0; p < L; p++) {
      const id = ids[from + p]!;
      offs[pad + p] = id < 0 ? 0 : this.offsetOf(id);
    }
    const ws = model.widths;
    const q1 = pad + (L > 1 ? L : 1);
    const simdOffs = this.simd ? this.simd.offsets(q1) : null;
    if (simdOffs) {
      simdOffs.set(offs.subarray(0, n));
      const m = this.simd!.run(q1);
      const B2 = model.convBias[0]!;
      const B3 = model.convBias[1]!;
      for (let f = 0; f < F; f++) {
        h[f] = m[f]! + B2[f]!;
        h[F + f] = m[F + f]! + B3[f]!;
      }
    } else if (ws.length === 2 && ws[0] === 2 && ws[1] === 3) this.widths23(offs, q1, F);
    else this.anyWidths(offs, pad, L, F);
    let z = model.outBias;
    const out = model.out;
    for (let j = 0; j < h.length; j++) {
      const v = h[j]!;
      if (v > 0) z += out[j]! * v;
    }
    return z;
  }

  /**
   * Widths 2 and 3 in one pass over the padded words (pad = 2): window q of width 3 reads words q … q + 2, window q
   * of width 2 (q ≥ 1) words q, q + 1. Same sums, in the same order, as anyWidths.
   */
  private widths23(offs: Int32Array, q1: number, F: number): void {
    const { model, h, pool } = this;
    const b2 = this.widthBase[0]!;
    const b3 = this.widthBase[1]!;
    for (let j = 0; j < 2 * F; j++) h[j] = -Infinity;
    // Window 0 has width 3 only; from q = 1 on both widths, in one loop over the filters.
    {
      const a3 = offs[0]! + b3;
      const b3o = offs[1]! + b3 + F;
      const c3 = offs[2]! + b3 + 2 * F;
      for (let f = 0; f < F; f++) h[F + f] = pool[a3 + f]! + pool[b3o + f]! + pool[c3 + f]!;
    }
    for (let q = 1; q < q1; q++) {
      const a = offs[q]!;
      const b = offs[q + 1]!;
      const c = offs[q + 2]!;
      const a3 = a + b3;
      const b3o = b + b3 + F;
      const c3 = c + b3 + 2 * F;
      const a2 = a + b2;
      const b2o = b + b2 + F;
      for (let f = 0; f < F; f++) {
        const v3 = pool[a3 + f]! + pool[b3o + f]! + pool[c3 + f]!;
        if (v3 > h[F + f]!) h[F + f] = v3;
        const v2 = pool[a2 + f]! + pool[b2o + f]!;
        if (v2 > h[f]!) h[f] = v2;
      }
    }
    const B2 = model.convBias[0]!;
    const B3 = model.convBias[1]!;
    for (let f = 0; f < F; f++) {
      h[f] += B2[f]!;
      h[F + f] += B3[f]!;
    }
  }

  private anyWidths(offs: Int32Array, pad: number, L: number, F: number): void {
    const { model, h, pool } = this;
    for (let wi = 0; wi < model.widths.length; wi++) {
      const w = model.widths[wi]!;
      const B = model.convBias[wi]!;
      const base = this.widthBase[wi]!;
      const hb = wi * F;
      for (let f = 0; f < F; f++) h[hb + f] = -Infinity;
      // Window starts t = 1 − w … max(1, L) − 1, i.e. padded index q = t + pad.
      const q0 = pad + 1 - w;
      const q1 = pad + (L > 1 ? L : 1);
      for (let q = q0; q < q1; q++) {
        if (w === 2) {
          const a = offs[q]! + base;
          const b = offs[q + 1]! + base + F;
          for (let f = 0; f < F; f++) {
            const v = pool[a + f]! + pool[b + f]!;
            if (v > h[hb + f]!) h[hb + f] = v;
          }
        } else if (w === 3) {
          const a = offs[q]! + base;
          const b = offs[q + 1]! + base + F;
          const c = offs[q + 2]! + base + 2 * F;
          for (let f = 0; f < F; f++) {
            const v = pool[a + f]! + pool[b + f]! + pool[c + f]!;
            if (v > h[hb + f]!) h[hb + f] = v;
          }
        } else {
          for (let f = 0; f < F; f++) {
            let v = 0;
            for (let k = 0; k < w; k++) v += pool[offs[q + k]! + base + k * F + f]!;
            if (v > h[hb + f]!) h[hb + f] = v;
          }
        }
      }
      for (let f = 0; f < F; f++) h[hb + f] += B[f]!;
    }
  }
}
