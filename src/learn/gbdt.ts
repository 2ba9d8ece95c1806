// Gradient-boosted decision trees for binary classification (logistic loss), histogram-based.
// Input is a dense row-major Float32Array (n rows x d features). Each feature is cut into at most `bins`
// quantile bins once; trees are grown depth-wise to `maxDepth` with Newton leaf values -G / (H + l2), shrunk by
// the learning rate. Row and column subsampling use the seeded generator, so training is deterministic.
// Trees are stored flat (one typed array per node attribute), which is also the serialised form.
import { sigmoid } from "./logistic.js";
import { mulberry32, shuffleInPlace } from "./rng.js";

export interface GbdtOptions {
  /** Number of trees (boosting rounds). Default 100. */
  trees?: number;
  /** Shrinkage applied to every leaf value. Default 0.1. */
  learningRate?: number;
  /** Maximum depth of a tree (a depth-1 tree is a stump). Default 3. */
  maxDepth?: number;
  /** Minimum number of training rows in a leaf. Default 20. */
  minLeaf?: number;
  /** Minimum hessian sum in a leaf. Default 1e-3. */
  minHessian?: number;
  /** L2 penalty on leaf values. Default 1. */
  l2?: number;
  /** Minimum loss reduction for a split. Default 0. */
  minGain?: number;
  /** Quantile bins per feature (2..256). Default 32. */
  bins?: number;
  /** Fraction of rows drawn (without replacement, Bernoulli) for each tree. Default 1. */
  rowSample?: number;
  /** Fraction of features drawn for each tree. Default 1. */
  colSample?: number;
  seed?: number;
  /** Per-row weights (e.g. to balance groups); default all 1. */
  weights?: ArrayLike<number>;
  /**
   * Monotone constraints per feature: +1 = the model's score never decreases as the feature grows, -1 = never
   * increases, 0 = free (LightGBM's "basic" method: a constrained split bounds the values of both subtrees by the
   * midpoint of its children). Default: all free.
   */
  monotone?: ArrayLike<number>;
  /** Per-row starting margin (log-odds), e.g. another model's score to boost from; default the prior. */
  baseMargin?: ArrayLike<number>;
}

export interface GbdtJSON {
  kind: "gbdt";
  dim: number;
  /** Constant starting margin (log-odds of the weighted positive rate, or 0 when baseMargin was given). */
  base: number;
  /** Index of each tree's root node. */
  roots: Int32Array;
  /** Split feature per node, -1 for a leaf. */
  feature: Int32Array;
  /** Split threshold per node: x <= threshold goes to `left`, otherwise to `left + 1`. */
  threshold: Float32Array;
  left: Int32Array;
  /** Newton value per node (shrunk); leaves give the prediction, inner nodes serve the path attributions. */
  value: Float32Array;
  /** Total split gain per feature over all trees (importance). */
  gain: Float32Array;
}

/** Quantile cut points of one column: x <= cuts[b] falls in bin b or below; values above the last cut in the last bin. */
function cutPoints(col: Float32Array, bins: number): Float32Array {
  const s = Float32Array.from(col).sort();
  let n = s.length;
  while (n > 0 && Number.isNaN(s[n - 1]!)) n--;
  const uniq: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || s[i] !== s[i - 1]) uniq.push(s[i]!);
  const cuts: number[] = [];
  if (uniq.length <= bins) {
    for (let i = 0; i + 1 < uniq.length; i++) cuts.push(uniq[i]!);
  } else {
    for (let q = 1; q < bins; q++) {
      const v = s[Math.min(n - 1, Math.floor((q * n) / bins))]!;
      if (v !== uniq[uniq.length - 1] && (cuts.length === 0 || v > cuts[cuts.length - 1]!)) cuts.push(v);
    }
  }
  return Float32Array.from(cuts);
}

/** Bin of x given ascending cuts: the first b with x <= cuts[b], else cuts.length (NaN goes to the last bin). */
function binOf(cuts: Float32Array, x: number): number {
  let lo = 0,
    hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= cuts[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

class NodeBuffer {
  feature: number[] = [];
  threshold: number[] = [];
  left: number[] = [];
  value: number[] = [];
  add(value: number): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.left.push(-1);
    this.value.push(value);
    return this.value.length - 1;
  }
}

export class GradientBoostedTrees {
  constructor(
    readonly dim: number,
    readonly base: number,
    readonly roots: Int32Array,
    readonly feature: Int32Array,
    readonly threshold: Float32Array,
    readonly left: Int32Array,
    readonly value: Float32Array,
    readonly gain: Float32Array,
  ) {}

  get trees(): number {
    return this.roots.length;
  }

  /** Raw score (log-odds) of the row of X starting at `offset` (X may hold one row or many). */
  margin(X: ArrayLike<number>, offset = 0, trees = this.roots.length): number {
    const { feature, threshold, left, value, roots } = this;
    let s = this.base;
    for (let t = 0; t < trees; t++) {
      let node = roots[t]!;
      let f = feature[node]!;
      while (f >= 0) {
        node = X[offset + f]! <= threshold[node]! ? left[node]! : left[node]! + 1;
        f = feature[node]!;
      }
      s += value[node]!;
    }
    return s;
  }

  /** Value of tree t's leaf for the row of X at `offset` (margin() = base + the sum over all trees). */
  treeValue(t: number, X: ArrayLike<number>, offset = 0): number {
    const { feature, threshold, left } = this;
    let node = this.roots[t]!;
    let f = feature[node]!;
    while (f >= 0) {
      node = X[offset + f]! <= threshold[node]! ? left[node]! : left[node]! + 1;
      f = feature[node]!;
    }
    return this.value[node]!;
  }

  /** Features tree t splits on (its nodes are stored from roots[t] up to the next root). */
  treeFeatures(t: number): number[] {
    const end = t + 1 < this.roots.length ? this.roots[t + 1]! : this.feature.length;
    const out = new Set<number>();
    for (let k = this.roots[t]!; k < end; k++) if (this.feature[k]! >= 0) out.add(this.feature[k]!);
    return [...out].sort((a, b) => a - b);
  }

  probability(X: ArrayLike<number>, offset = 0): number {
    return sigmoid(this.margin(X, offset));
  }

  /** Margins of all n rows of a row-major matrix. */
  margins(X: Float32Array, n: number, out = new Float64Array(n)): Float64Array {
    for (let i = 0; i < n; i++) out[i] = this.margin(X, i * this.dim);
    return out;
  }

  /**
   * Path attributions (Saabas): for every split on the way to the leaf, the change of node value is credited to
   * the split's feature. Adds them to `out` (length dim) and returns the bias (base + root values), so that
   * bias + sum(out) equals margin() exactly up to float rounding.
   */
  contributions(X: ArrayLike<number>, offset: number, out: Float64Array): number {
    const { feature, threshold, left, value, roots } = this;
    let bias = this.base;
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t]!;
      bias += value[node]!;
      let f = feature[node]!;
      while (f >= 0) {
        const next = X[offset + f]! <= threshold[node]! ? left[node]! : left[node]! + 1;
        out[f]! += value[next]! - value[node]!;
        node = next;
        f = feature[node]!;
      }
    }
    return bias;
  }

  toJSON(): GbdtJSON {
    const { dim, base, roots, feature, threshold, left, value, gain } = this;
    return { kind: "gbdt", dim, base, roots, feature, threshold, left, value, gain };
  }

  static fromJSON(j: GbdtJSON): GradientBoostedTrees {
    return new GradientBoostedTrees(j.dim, j.base, j.roots, j.feature, j.threshold, j.left, j.value, j.gain);
  }

  /** Trains on n rows of d features (row-major X) with binary labels y (1 = positive). */
  static train(
    X: Float32Array,
    n: number,
    d: number,
    y: ArrayLike<number>,
    opts: GbdtOptions = {},
  ): GradientBoostedTrees {
    if (X.length !== n * d) throw new Error(`gbdt: X has ${X.length} values, expected ${n} x ${d}`);
    const T = opts.trees ?? 100;
    const lr = opts.learningRate ?? 0.1;
    const maxDepth = opts.maxDepth ?? 3;
    const minLeaf = opts.minLeaf ?? 20;
    const minHess = opts.minHessian ?? 1e-3;
    const lambda = opts.l2 ?? 1;
    const minGain = opts.minGain ?? 0;
    const B = Math.max(2, Math.min(256, opts.bins ?? 32));
    const rowSample = opts.rowSample ?? 1;
    const colSample = opts.colSample ?? 1;
    const rand = mulberry32(opts.seed ?? 1);
    const w = opts.weights;
    const mono = opts.monotone;
    if (mono && mono.length !== d)
      throw new Error(`gbdt: monotone has ${mono.length} entries, expected ${d}`);
    const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);
    /** Twice the loss reduction of a split whose children take values wl, wr (parent wp), each clamped. */
    const clampedGain = (
      G: number,
      H: number,
      wp: number,
      GL: number,
      HL: number,
      wl: number,
      wr: number,
    ) => {
      const GR = G - GL,
        HR = H - HL;
      const loss = (g: number, h: number, v: number) => g * v + 0.5 * (h + lambda) * v * v;
      return 2 * (loss(G, H, wp) - loss(GL, HL, wl) - loss(GR, HR, wr));
    };

    // 1. Bin every feature.
    const cuts: Float32Array[] = [];
    const binned = new Uint8Array(n * d);
    const col = new Float32Array(n);
    for (let f = 0; f < d; f++) {
      for (let i = 0; i < n; i++) col[i] = X[i * d + f]!;
      const c = cutPoints(col, B);
      cuts.push(c);
      for (let i = 0; i < n; i++) binned[i * d + f] = binOf(c, col[i]!);
    }

    // 2. Starting margin.
    let base = 0;
    const F = new Float64Array(n);
    if (opts.baseMargin) {
      for (let i = 0; i < n; i++) F[i] = opts.baseMargin[i]!;
    } else {
      let sp = 0,
        sw = 0;
      for (let i = 0; i < n; i++) {
        const wi = w ? w[i]! : 1;
        sp += wi * (y[i] ? 1 : 0);
        sw += wi;
      }
      const p = Math.min(1 - 1e-6, Math.max(1e-6, sw > 0 ? sp / sw : 0.5));
      base = Math.log(p / (1 - p));
      F.fill(base);
    }

    const nodes = new NodeBuffer();
    const roots: number[] = [];
    const gainPerFeature = new Float64Array(d);
    const g = new Float64Array(n);
    const h = new Float64Array(n);
    const HB = B * d;
    const histG = new Float64Array(HB);
    const histH = new Float64Array(HB);
    const histC = new Int32Array(HB);
    const allFeatures = Array.from({ length: d }, (_, f) => f);
    const nCols = Math.max(1, Math.min(d, Math.round(colSample * d)));
    const rowsBuf = new Int32Array(n);
    const scratch = new Int32Array(n);

    for (let t = 0; t < T; t++) {
      for (let i = 0; i < n; i++) {
        const p = sigmoid(F[i]!);
        const wi = w ? w[i]! : 1;
        g[i] = wi * (p - (y[i] ? 1 : 0));
        h[i] = wi * Math.max(p * (1 - p), 1e-16);
      }
      // Rows and columns of this tree.
      let m = 0;
      if (rowSample < 1) {
        for (let i = 0; i < n; i++) if (rand() < rowSample) rowsBuf[m++] = i;
      } else {
        for (let i = 0; i < n; i++) rowsBuf[m++] = i;
      }
      let feats = allFeatures;
      if (nCols < d)
        feats = shuffleInPlace(allFeatures.slice(), rand)
          .slice(0, nCols)
          .sort((a, b) => a - b);

      // Depth-wise growth; each pending node owns a contiguous range of rowsBuf.
      type Pending = {
        node: number;
        start: number;
        end: number;
        G: number;
        H: number;
        depth: number;
        /** Unshrunk value of the node and the bounds on its subtree's values (monotone constraints). */
        v: number;
        lo: number;
        hi: number;
      };
      let G0 = 0,
        H0 = 0;
      for (let k = 0; k < m; k++) {
        G0 += g[rowsBuf[k]!]!;
        H0 += h[rowsBuf[k]!]!;
      }
      const v0 = -G0 / (H0 + lambda);
      const root = nodes.add(v0 * lr);
      roots.push(root);
      let level: Pending[] = [
        { node: root, start: 0, end: m, G: G0, H: H0, depth: 0, v: v0, lo: -Infinity, hi: Infinity },
      ];
      while (level.length) {
        const next: Pending[] = [];
        for (const nd of level) {
          if (nd.depth >= maxDepth || nd.end - nd.start < 2 * minLeaf) continue;
          histG.fill(0);
          histH.fill(0);
          histC.fill(0);
          for (let k = nd.start; k < nd.end; k++) {
            const i = rowsBuf[k]!;
            const gi = g[i]!,
              hi = h[i]!;
            const rb = i * d;
            for (const f of feats) {
              const b = f * B + binned[rb + f]!;
              histG[b]! += gi;
              histH[b]! += hi;
              histC[b]!++;
            }
          }
          const parentScore = (nd.G * nd.G) / (nd.H + lambda);
          const bounded = nd.lo > -Infinity || nd.hi < Infinity;
          const count = nd.end - nd.start;
          let bestGain = minGain,
            bestF = -1,
            bestBin = -1,
            bestGL = 0,
            bestHL = 0;
          for (const f of feats) {
            const nb = cuts[f]!.length; // bins 0..nb; splits after bins 0..nb-1
            const c = mono ? Math.sign(mono[f]!) : 0;
            let GL = 0,
              HL = 0,
              CL = 0;
            for (let b = 0; b < nb; b++) {
              const k = f * B + b;
              GL += histG[k]!;
              HL += histH[k]!;
              CL += histC[k]!;
              if (CL < minLeaf || HL < minHess) continue;
              const CR = count - CL;
              const HR = nd.H - HL;
              if (CR < minLeaf) break;
              if (HR < minHess) continue;
              const GR = nd.G - GL;
              let gain: number;
              if (c === 0 && !bounded) {
                gain = (GL * GL) / (HL + lambda) + (GR * GR) / (HR + lambda) - parentScore;
              } else {
                const wl = clamp(-GL / (HL + lambda), nd.lo, nd.hi);
                const wr = clamp(-GR / (HR + lambda), nd.lo, nd.hi);
                if (c * (wr - wl) < 0) continue;
                gain = clampedGain(nd.G, nd.H, nd.v, GL, HL, wl, wr);
              }
              if (gain > bestGain) {
                bestGain = gain;
                bestF = f;
                bestBin = b;
                bestGL = GL;
                bestHL = HL;
              }
            }
          }
          if (bestF < 0) continue;
          gainPerFeature[bestF]! += bestGain;
          // Partition the node's rows (stable): left bins <= bestBin first.
          let a = nd.start,
            r = 0;
          for (let k = nd.start; k < nd.end; k++) {
            const i = rowsBuf[k]!;
            if (binned[i * d + bestF]! <= bestBin) rowsBuf[a++] = i;
            else scratch[r++] = i;
          }
          rowsBuf.set(scratch.subarray(0, r), a);
          const GR = nd.G - bestGL,
            HR = nd.H - bestHL;
          const wl = clamp(-bestGL / (bestHL + lambda), nd.lo, nd.hi);
          const wr = clamp(-GR / (HR + lambda), nd.lo, nd.hi);
          const l = nodes.add(wl * lr);
          nodes.add(wr * lr);
          // A monotone split bounds the left subtree above and the right one below by its children's midpoint.
          const c = mono ? Math.sign(mono[bestF]!) : 0;
          const mid = (wl + wr) / 2;
          const [lLo, lHi, rLo, rHi] =
            c > 0
              ? [nd.lo, mid, mid, nd.hi]
              : c < 0
                ? [mid, nd.hi, nd.lo, mid]
                : [nd.lo, nd.hi, nd.lo, nd.hi];
          nodes.feature[nd.node] = bestF;
          nodes.threshold[nd.node] = cuts[bestF]![bestBin]!;
          nodes.left[nd.node] = l;
          const depth = nd.depth + 1;
          next.push({
            node: l,
            start: nd.start,
            end: a,
            G: bestGL,
            H: bestHL,
            depth,
            v: wl,
            lo: lLo,
            hi: lHi,
          });
          next.push({ node: l + 1, start: a, end: nd.end, G: GR, H: HR, depth, v: wr, lo: rLo, hi: rHi });
        }
        level = next;
      }
      // Update margins of all rows with the new tree (values as stored: float32).
      const value = Float32Array.from(nodes.value.slice(root));
      for (let i = 0; i < n; i++) {
        let node = root;
        let f = nodes.feature[node]!;
        const rb = i * d;
        while (f >= 0) {
          node = X[rb + f]! <= nodes.threshold[node]! ? nodes.left[node]! : nodes.left[node]! + 1;
          f = nodes.feature[node]!;
        }
        F[i]! += value[node - root]!;
      }
    }
    return new GradientBoostedTrees(
      d,
      base,
      Int32Array.from(roots),
      Int32Array.from(nodes.feature),
      Float32Array.from(nodes.threshold),
      Int32Array.from(nodes.left),
      Float32Array.from(nodes.value),
      Float32Array.from(gainPerFeature),
    );
  }
}
