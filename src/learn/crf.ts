// A first-order linear-chain conditional random field over hashed binary token features: the same input
// shape (TaggedSequence), weight layout (weights[f * T + t]) and transition layout (row 0 = start state) as
// SequenceTagger, so a CRF can replace or accompany the perceptron. Trained by AdaGrad on the negative
// log-likelihood with L2; forward–backward in log space over flat Float64Arrays; Viterbi decoding and
// per-token marginals.
import { mulberry32, shuffleInPlace } from "./rng.js";
import { addEmissions, SequenceTagger, viterbi, type TaggedSequence } from "./tagger.js";

export interface CrfJSON {
  kind: "crf";
  tags: string[];
  dim: number;
  weights: Float32Array;
  transitions: Float32Array;
}

export interface CrfTrainOptions {
  /** Passes over the data (default 10). */
  epochs?: number;
  /** AdaGrad base rate (default 0.1). */
  learningRate?: number;
  /**
   * L2 strength per example: each update adds l2 × w to the gradient of the weights the sequence touches
   * (lazy, the usual sparse approximation of (l2 / 2)·‖w‖² per example). Default 1e-4.
   */
  l2?: number;
  /** Seed of the example order (default 7). */
  seed?: number;
  /**
   * Return the average of the weights over all updates (Polyak averaging, as the averaged perceptron)
   * instead of the last iterate (default false).
   */
  average?: boolean;
  /** Called after each epoch with the model so far and the epoch's mean negative log-likelihood per token. */
  onEpoch?: (epoch: number, crf: LinearChainCrf, nllPerToken: number) => void;
}

/** The scale at which the analyzers save a CRF as a perceptron-style table: near the perceptron's weights. */
export const CRF_SCALE = 100;

/**
 * The CRF as a perceptron-style SequenceTagger table: log-potentials × `scale` (so decoders with integer-ish
 * thresholds keep their units), plus `tagBias[t]` log-potential units added to tag t's score at every token
 * (folded into the transitions into t, start row included, so decoding costs nothing extra).
 */
export function crfAsTagger(crf: LinearChainCrf, scale: number, tagBias?: readonly number[]): SequenceTagger {
  const T = crf.T;
  const W = crf.weights.map((w) => w * scale);
  const Tr = crf.transitions.map((w) => w * scale);
  if (tagBias)
    for (let t = 0; t < T; t++) {
      const b = (tagBias[t] ?? 0) * scale;
      if (b !== 0) for (let r = 0; r <= T; r++) Tr[r * T + t]! += b;
    }
  return new SequenceTagger(crf.tags, crf.dim, W, Tr);
}

function logSumExp(xs: Float64Array, n: number): number {
  let m = -Infinity;
  for (let k = 0; k < n; k++) if (xs[k]! > m) m = xs[k]!;
  if (m === -Infinity) return m;
  let s = 0;
  for (let k = 0; k < n; k++) s += Math.exp(xs[k]! - m);
  return m + Math.log(s);
}

/** Scratch buffers for forward–backward; grown on demand. */
export class CrfScratch {
  alpha = new Float64Array(0);
  beta = new Float64Array(0);
  tmp = new Float64Array(0);
  ensure(size: number, T: number): void {
    if (this.alpha.length < size) {
      const n = Math.max(size, this.alpha.length * 2);
      this.alpha = new Float64Array(n);
      this.beta = new Float64Array(n);
    }
    if (this.tmp.length < T + 1) this.tmp = new Float64Array(T + 1);
  }
}

/**
 * Forward–backward in log space over emission rows [from, to) (row-major, T scores per token) under
 * first-order transitions (row 0 = start state, as `viterbi`). Fills scratch.alpha / scratch.beta for rows
 * [from, to), writes the per-token marginals P(y_i = t) to marg[i * T + t] when given, and returns log Z.
 */
export function crfForwardBackward(
  emit: ArrayLike<number>,
  transitions: ArrayLike<number>,
  T: number,
  from: number,
  to: number,
  scratch: CrfScratch,
  marg?: { [i: number]: number },
): number {
  if (to <= from) return 0;
  scratch.ensure(to * T, T);
  const { alpha, beta, tmp } = scratch;
  const Tr = transitions;
  for (let t = 0; t < T; t++) alpha[from * T + t] = emit[from * T + t]! + Tr[t]!;
  for (let i = from + 1; i < to; i++) {
    for (let t = 0; t < T; t++) {
      for (let p = 0; p < T; p++) tmp[p] = alpha[(i - 1) * T + p]! + Tr[(p + 1) * T + t]!;
      alpha[i * T + t] = emit[i * T + t]! + logSumExp(tmp, T);
    }
  }
  for (let t = 0; t < T; t++) beta[(to - 1) * T + t] = 0;
  for (let i = to - 2; i >= from; i--) {
    for (let t = 0; t < T; t++) {
      for (let u = 0; u < T; u++)
        tmp[u] = Tr[(t + 1) * T + u]! + emit[(i + 1) * T + u]! + beta[(i + 1) * T + u]!;
      beta[i * T + t] = logSumExp(tmp, T);
    }
  }
  for (let t = 0; t < T; t++) tmp[t] = alpha[(to - 1) * T + t]!;
  const logZ = logSumExp(tmp, T);
  if (marg)
    for (let i = from; i < to; i++)
      for (let t = 0; t < T; t++) marg[i * T + t] = Math.exp(alpha[i * T + t]! + beta[i * T + t]! - logZ);
  return logZ;
}

export class LinearChainCrf {
  readonly T: number;
  /** weights[f * T + t] */
  weights: Float32Array;
  /** transitions[(prev + 1) * T + t]; row 0 is the start state. */
  transitions: Float32Array;
  private readonly scratch = new CrfScratch();

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

  /** Emission scores (row-major, T per token) of a sequence's features. */
  emissions(features: readonly Int32Array[], out?: Float64Array): Float64Array {
    const T = this.T;
    const n = features.length;
    const emit = out && out.length >= n * T ? out : new Float64Array(n * T);
    emit.fill(0, 0, n * T);
    return addEmissions(this.weights, T, features, emit);
  }

  /** Most probable tag sequence (Viterbi). */
  predict(features: readonly Int32Array[]): Int32Array {
    const n = features.length;
    const out = new Int32Array(n);
    if (!n) return out;
    const emit = this.emissions(features);
    viterbi(
      emit,
      this.transitions,
      this.T,
      0,
      n,
      out,
      new Float64Array(n * this.T),
      new Int32Array(n * this.T),
    );
    return out;
  }

  /** Per-token marginals P(y_i = t), row-major (T per token). */
  marginals(features: readonly Int32Array[]): Float64Array {
    const n = features.length;
    const marg = new Float64Array(n * this.T);
    if (!n) return marg;
    crfForwardBackward(this.emissions(features), this.transitions, this.T, 0, n, this.scratch, marg);
    return marg;
  }

  /** log P(tags | features). */
  logLikelihood(seq: TaggedSequence): number {
    const n = seq.features.length;
    if (!n) return 0;
    const emit = this.emissions(seq.features);
    return (
      pathScore(emit, this.transitions, this.T, seq.tags, n) -
      crfForwardBackward(emit, this.transitions, this.T, 0, n, this.scratch)
    );
  }

  /**
   * Gradient of −log P(tags | features) added to gW (dim × T) and gTr ((T + 1) × T); returns the negative
   * log-likelihood. Dense, for checks and small problems (training uses the sparse path).
   */
  addGradient(seq: TaggedSequence, gW: Float64Array, gTr: Float64Array): number {
    const n = seq.features.length;
    if (!n) return 0;
    const T = this.T;
    const delta = new Float64Array(n * T);
    const emit = this.emissions(seq.features);
    const nll = tokenDeltas(emit, this.transitions, T, seq.tags, n, this.scratch, delta, gTr);
    for (let i = 0; i < n; i++) {
      const f = seq.features[i]!;
      for (let j = 0; j < f.length; j++) for (let t = 0; t < T; t++) gW[f[j]! * T + t]! += delta[i * T + t]!;
    }
    return nll;
  }

  /** AdaGrad on the negative log-likelihood with lazy L2; deterministic for a given seed. */
  static train(
    tags: readonly string[],
    dim: number,
    data: readonly TaggedSequence[],
    opts: CrfTrainOptions = {},
  ): LinearChainCrf {
    const crf = new LinearChainCrf(tags, dim);
    const T = crf.T;
    const epochs = opts.epochs ?? 10;
    const lr = opts.learningRate ?? 0.1;
    const l2 = opts.l2 ?? 1e-4;
    // Full-precision weights while training; Float32 copies at the end.
    const W = new Float64Array(dim * T);
    const Tr = new Float64Array((T + 1) * T);
    const G = new Float64Array(dim * T);
    const GTr = new Float64Array((T + 1) * T);
    const gW = new Float64Array(dim * T);
    const gTr = new Float64Array((T + 1) * T);
    const touched = new Int32Array(dim);
    const seen = new Int32Array(dim).fill(-1);
    let maxLen = 0;
    for (const s of data) maxLen = Math.max(maxLen, s.features.length);
    const emit = new Float64Array(maxLen * T);
    const delta = new Float64Array(maxLen * T);
    const scratch = new CrfScratch();
    const order = Array.from({ length: data.length }, (_, i) => i);
    const rand = mulberry32(opts.seed ?? 7);
    const eps = 1e-8;
    let stamp = 0;
    // Averaging with lazy totals: total += (now - since) * w before each change of w.
    const average = opts.average ?? false;
    const wTotal = average ? new Float64Array(dim * T) : undefined;
    const wSince = average ? new Int32Array(dim * T) : undefined;
    const tTotal = new Float64Array((T + 1) * T);
    let now = 0;
    const averaged = (): [Float32Array, Float32Array] => {
      const aw = new Float32Array(W.length);
      for (let p = 0; p < W.length; p++)
        aw[p] = now ? (wTotal![p]! + (now - wSince![p]!) * W[p]!) / now : W[p]!;
      const at = new Float32Array(Tr.length);
      for (let p = 0; p < Tr.length; p++) at[p] = now ? tTotal[p]! / now : Tr[p]!;
      return [aw, at];
    };
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffleInPlace(order, rand);
      let nllSum = 0;
      let tokens = 0;
      for (const s of order) {
        const seq = data[s]!;
        const n = seq.features.length;
        if (!n) continue;
        // Emissions from the current weights.
        emit.fill(0, 0, n * T);
        for (let i = 0; i < n; i++) {
          const f = seq.features[i]!;
          for (let j = 0; j < f.length; j++) {
            const base = f[j]! * T;
            for (let t = 0; t < T; t++) emit[i * T + t]! += W[base + t]!;
          }
        }
        gTr.fill(0);
        nllSum += tokenDeltas(emit, Tr, T, seq.tags, n, scratch, delta, gTr);
        tokens += n;
        now++;
        // Sparse gradient over the features this sequence uses.
        stamp++;
        let m = 0;
        for (let i = 0; i < n; i++) {
          const f = seq.features[i]!;
          for (let j = 0; j < f.length; j++) {
            const k = f[j]!;
            if (seen[k] !== stamp) {
              seen[k] = stamp;
              touched[m++] = k;
            }
            for (let t = 0; t < T; t++) gW[k * T + t]! += delta[i * T + t]!;
          }
        }
        for (let q = 0; q < m; q++) {
          const base = touched[q]! * T;
          for (let t = 0; t < T; t++) {
            const p = base + t;
            const g = gW[p]! + l2 * W[p]!;
            gW[p] = 0;
            if (g === 0) continue;
            G[p]! += g * g;
            if (wTotal) {
              wTotal[p]! += (now - 1 - wSince![p]!) * W[p]!;
              wSince![p] = now - 1;
            }
            W[p]! -= (lr * g) / Math.sqrt(G[p]! + eps);
          }
        }
        for (let p = 0; p < Tr.length; p++) {
          const g = gTr[p]! + l2 * Tr[p]!;
          if (g === 0) continue;
          GTr[p]! += g * g;
          Tr[p]! -= (lr * g) / Math.sqrt(GTr[p]! + eps);
        }
        // Transitions change at every step: their total is kept exactly.
        for (let p = 0; p < Tr.length; p++) tTotal[p]! += Tr[p]!;
      }
      if (opts.onEpoch) {
        [crf.weights, crf.transitions] = average ? averaged() : [Float32Array.from(W), Float32Array.from(Tr)];
        opts.onEpoch(epoch, crf, tokens ? nllSum / tokens : 0);
      }
    }
    [crf.weights, crf.transitions] = average ? averaged() : [Float32Array.from(W), Float32Array.from(Tr)];
    return crf;
  }

  /** Rounds every weight to a multiple of `step` (transitions to `transitionStep`) in place. */
  quantize(step: number, transitionStep = step): void {
    const W = this.weights;
    for (let i = 0; i < W.length; i++) W[i] = Math.round(W[i]! / step) * step;
    const Tr = this.transitions;
    for (let i = 0; i < Tr.length; i++) Tr[i] = Math.round(Tr[i]! / transitionStep) * transitionStep;
  }

  toJSON(): CrfJSON {
    return {
      kind: "crf",
      tags: [...this.tags],
      dim: this.dim,
      weights: this.weights,
      transitions: this.transitions,
    };
  }

  static fromJSON(j: CrfJSON): LinearChainCrf {
    if (j.kind !== "crf") throw new Error(`not a CRF model (kind ${String(j.kind)})`);
    return new LinearChainCrf(j.tags, j.dim, j.weights, j.transitions);
  }
}

/** Unnormalised score of a tag path over emission rows [0, n). */
function pathScore(
  emit: ArrayLike<number>,
  Tr: ArrayLike<number>,
  T: number,
  tags: ArrayLike<number>,
  n: number,
): number {
  let s = 0;
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const t = tags[i]!;
    s += emit[i * T + t]! + Tr[(prev + 1) * T + t]!;
    prev = t;
  }
  return s;
}

/**
 * The gradient of −log P(tags) with respect to the emission scores (marginal − gold indicator, written to
 * delta) and to the transitions (expected − observed counts, added to gTr); returns −log P(tags).
 */
function tokenDeltas(
  emit: Float64Array,
  Tr: ArrayLike<number>,
  T: number,
  tags: ArrayLike<number>,
  n: number,
  scratch: CrfScratch,
  delta: Float64Array,
  gTr: Float64Array,
): number {
  const logZ = crfForwardBackward(emit, Tr, T, 0, n, scratch, delta);
  const { alpha, beta } = scratch;
  // Start transitions: expected = marginal of the first token.
  for (let t = 0; t < T; t++) gTr[t]! += delta[t]!;
  for (let i = 1; i < n; i++)
    for (let p = 0; p < T; p++) {
      const ap = alpha[(i - 1) * T + p]! - logZ;
      for (let t = 0; t < T; t++)
        gTr[(p + 1) * T + t]! += Math.exp(ap + Tr[(p + 1) * T + t]! + emit[i * T + t]! + beta[i * T + t]!);
    }
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const t = tags[i]!;
    delta[i * T + t]! -= 1;
    gTr[(prev + 1) * T + t]! -= 1;
    prev = t;
  }
  return logZ - pathScore(emit, Tr, T, tags, n);
}
