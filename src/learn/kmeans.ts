// Spherical k-means (cosine similarity on unit vectors) with seeded k-means++ initialisation. Used to turn
// learned word vectors into discrete classes that sparse models can use as features.
import { mulberry32 } from "./rng.js";

export interface KMeansOptions {
  iterations?: number;
  seed?: number;
  /** Per-point weights (e.g. cluster sizes when clustering centroids); 1 each when absent. */
  weights?: ArrayLike<number>;
}

export interface KMeansResult {
  /** Cluster of each point. */
  assign: Int32Array;
  /** k unit centroids, row-major k×dim. */
  centroids: Float32Array;
  /** Iterations run (stops early when no point changes cluster). */
  iterations: number;
}

/** Scales each row of a row-major n×dim matrix to unit length in place (zero rows stay zero). */
export function normalizeRows(x: Float32Array, n: number, dim: number): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[i * dim + d]! ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) x[i * dim + d] *= inv;
  }
}

function dot(x: Float32Array, i: number, c: Float32Array, j: number, dim: number): number {
  let s = 0;
  const xo = i * dim;
  const co = j * dim;
  for (let d = 0; d < dim; d++) s += x[xo + d]! * c[co + d]!;
  return s;
}

/** Clusters n unit vectors (row-major n×dim) into k groups maximising the summed cosine to their centroid. */
export function sphericalKMeans(
  x: Float32Array,
  n: number,
  dim: number,
  k: number,
  opts: KMeansOptions = {},
): KMeansResult {
  if (k < 1 || k > n) throw new Error(`k-means: k = ${k} must be between 1 and the number of points (${n})`);
  const rand = mulberry32(opts.seed ?? 1);
  const w = opts.weights;
  const weight = (i: number) => (w ? w[i]! : 1);
  const centroids = new Float32Array(k * dim);
  // k-means++: each new centre is drawn with probability ∝ weight × distance² to the nearest centre so far
  // (for unit vectors, 2 − 2·cos).
  const best = new Float64Array(n).fill(Infinity);
  const first = Math.floor(rand() * n);
  centroids.set(x.subarray(first * dim, first * dim + dim), 0);
  for (let c = 1; c <= k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d2 = Math.max(0, 2 - 2 * dot(x, i, centroids, c - 1, dim));
      if (d2 < best[i]!) best[i] = d2;
      total += weight(i) * best[i]!;
    }
    if (c === k) break;
    let target = rand() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= weight(i) * best[i]!;
      if (target <= 0) {
        pick = i;
        break;
      }
    }
    centroids.set(x.subarray(pick * dim, pick * dim + dim), c * dim);
  }

  const assign = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * dim);
  let it = 0;
  for (; it < (opts.iterations ?? 20); it++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let bestC = 0;
      let bestSim = -Infinity;
      for (let c = 0; c < k; c++) {
        const s = dot(x, i, centroids, c, dim);
        if (s > bestSim) {
          bestSim = s;
          bestC = c;
        }
      }
      if (assign[i] !== bestC) changed++;
      assign[i] = bestC;
    }
    if (changed === 0) break;
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      const o = assign[i]! * dim;
      const wi = weight(i);
      for (let d = 0; d < dim; d++) sums[o + d] += wi * x[i * dim + d]!;
    }
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += sums[c * dim + d]! ** 2;
      // An emptied cluster keeps its previous centre rather than collapsing to zero.
      if (s === 0) continue;
      const inv = 1 / Math.sqrt(s);
      for (let d = 0; d < dim; d++) centroids[c * dim + d] = sums[c * dim + d]! * inv;
    }
  }
  return { assign, centroids, iterations: it };
}
