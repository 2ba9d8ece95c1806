// Small dense/sparse linear algebra for learning word representations: a CSR sparse matrix, a symmetric
// eigensolver (cyclic Jacobi) and a seeded randomized SVD (Halko, Martinsson & Tropp 2011). Row-major
// Float64Array everywhere so that results are deterministic and easy to pass between steps.
import { mulberry32 } from "./rng.js";

/** Compressed sparse rows: row r holds indices[indptr[r]..indptr[r+1]) with their values. */
export interface Csr {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** Standard normal draws from a seeded generator (Box–Muller). */
export function gaussian(n: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** A·X for sparse A (rows×cols) and dense X (cols×k): rows×k. */
export function csrTimesDense(a: Csr, x: Float64Array, k: number): Float64Array {
  const out = new Float64Array(a.rows * k);
  for (let r = 0; r < a.rows; r++) {
    const o = r * k;
    for (let p = a.indptr[r]!; p < a.indptr[r + 1]!; p++) {
      const v = a.values[p]!;
      const xo = a.indices[p]! * k;
      for (let j = 0; j < k; j++) out[o + j] += v * x[xo + j]!;
    }
  }
  return out;
}

/** Aᵀ·Y for sparse A (rows×cols) and dense Y (rows×k): cols×k. */
export function csrTransposeTimesDense(a: Csr, y: Float64Array, k: number): Float64Array {
  const out = new Float64Array(a.cols * k);
  for (let r = 0; r < a.rows; r++) {
    const yo = r * k;
    for (let p = a.indptr[r]!; p < a.indptr[r + 1]!; p++) {
      const v = a.values[p]!;
      const o = a.indices[p]! * k;
      for (let j = 0; j < k; j++) out[o + j] += v * y[yo + j]!;
    }
  }
  return out;
}

/** Orthonormalises the k columns of a row-major n×k matrix in place (modified Gram–Schmidt, twice for stability). */
export function orthonormalizeColumns(m: Float64Array, n: number, k: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < j; i++) {
        let dot = 0;
        for (let r = 0; r < n; r++) dot += m[r * k + i]! * m[r * k + j]!;
        for (let r = 0; r < n; r++) m[r * k + j] -= dot * m[r * k + i]!;
      }
      let norm = 0;
      for (let r = 0; r < n; r++) norm += m[r * k + j]! ** 2;
      norm = Math.sqrt(norm);
      // A numerically zero column stays zero (rank-deficient input), which the SVD then reports as σ = 0.
      const inv = norm > 1e-12 ? 1 / norm : 0;
      for (let r = 0; r < n; r++) m[r * k + j] *= inv;
    }
  }
}

/**
 * Eigen-decomposition of a symmetric n×n matrix (row-major, not modified) by cyclic Jacobi rotations.
 * Returns eigenvalues in decreasing order and the matching eigenvectors as the columns of `vectors`.
 */
export function symmetricEigen(
  matrix: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j]! - a[i * n + i]! || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src]!;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!;
  });
  return { values, vectors };
}

export interface SvdOptions {
  /** Extra random directions beyond the rank asked for (better accuracy for the leading ones). */
  oversample?: number;
  /** Power iterations: each multiplies by AAᵀ once more, sharpening a slowly decaying spectrum. */
  powerIterations?: number;
  seed?: number;
}

/**
 * Truncated SVD A ≈ U·diag(s)·Vᵀ of a sparse matrix by randomized range finding. Returns the `rank` leading
 * left singular vectors (rows×rank, row-major) and singular values; deterministic for a given seed.
 */
export function randomizedSvd(
  a: Csr,
  rank: number,
  opts: SvdOptions = {},
): { u: Float64Array; s: Float64Array } {
  const l = Math.min(rank + (opts.oversample ?? 10), a.rows, a.cols);
  const omega = gaussian(a.cols * l, opts.seed ?? 1);
  let y = csrTimesDense(a, omega, l);
  orthonormalizeColumns(y, a.rows, l);
  for (let it = 0; it < (opts.powerIterations ?? 1); it++) {
    const z = csrTransposeTimesDense(a, y, l);
    orthonormalizeColumns(z, a.cols, l);
    y = csrTimesDense(a, z, l);
    orthonormalizeColumns(y, a.rows, l);
  }
  // B = Qᵀ A (l×cols) is small enough to decompose through B·Bᵀ = W Λ Wᵀ; then U = Q·W, s = √λ.
  const bt = csrTransposeTimesDense(a, y, l);
  const bbt = new Float64Array(l * l);
  for (let c = 0; c < a.cols; c++) {
    const o = c * l;
    for (let i = 0; i < l; i++) {
      const bi = bt[o + i]!;
      if (bi === 0) continue;
      for (let j = i; j < l; j++) bbt[i * l + j] += bi * bt[o + j]!;
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) bbt[i * l + j] = bbt[j * l + i]!;
  const { values, vectors } = symmetricEigen(bbt, l);
  const k = Math.min(rank, l);
  const u = new Float64Array(a.rows * k);
  for (let r = 0; r < a.rows; r++)
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let i = 0; i < l; i++) sum += y[r * l + i]! * vectors[i * l + j]!;
      u[r * k + j] = sum;
    }
  const s = new Float64Array(k);
  for (let j = 0; j < k; j++) s[j] = Math.sqrt(Math.max(0, values[j]!));
  return { u, s };
}
