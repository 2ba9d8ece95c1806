// The hashing trick: string features -> indices in a fixed-size weight vector, no vocabulary to ship.

/** 32-bit MurmurHash3 of a string (UTF-16 code units), fast and well spread. */
export function murmur3(key: string, seed = 0): number {
  let h = seed >>> 0;
  const n = key.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    let k = (key.charCodeAt(i) & 0xffff) | ((key.charCodeAt(i + 1) & 0xffff) << 16);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < n) {
    let k = key.charCodeAt(i) & 0xffff;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  return fmix32(h ^ n);
}

/** murmur3's finaliser: spreads a combined integer hash over all 32 bits (for mixing hashes without strings). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A sparse feature vector: parallel index/value arrays, indices unique. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

/**
 * Collects named features into a SparseVector of dimension 2^bits. Repeated features add up.
 * Reuse one builder per thread: `reset()` is cheap.
 */
export class FeatureHasher {
  readonly dim: number;
  private readonly mask: number;
  private readonly acc = new Map<number, number>();

  constructor(readonly bits = 18) {
    this.dim = 1 << bits;
    this.mask = this.dim - 1;
  }

  index(name: string): number {
    return murmur3(name) & this.mask;
  }

  add(name: string, value = 1): void {
    const i = murmur3(name) & this.mask;
    this.acc.set(i, (this.acc.get(i) ?? 0) + value);
  }

  addIndex(i: number, value = 1): void {
    this.acc.set(i, (this.acc.get(i) ?? 0) + value);
  }

  reset(): void {
    this.acc.clear();
  }

  /** Returns the collected vector (optionally L2-normalised) and resets the builder. */
  take(normalize = false): SparseVector {
    const n = this.acc.size;
    const idx = new Int32Array(n);
    const val = new Float32Array(n);
    let k = 0;
    let norm = 0;
    for (const [i, v] of this.acc) {
      idx[k] = i;
      val[k] = v;
      norm += v * v;
      k++;
    }
    if (normalize && norm > 0) {
      const s = 1 / Math.sqrt(norm);
      for (let j = 0; j < n; j++) val[j]! *= s;
    }
    this.acc.clear();
    return { idx, val };
  }
}

/** Concatenates sparse vectors that live in disjoint or shared index spaces (values add up). */
export function dot(weights: Float32Array, x: SparseVector, offset = 0): number {
  let s = 0;
  const { idx, val } = x;
  for (let j = 0; j < idx.length; j++) s += weights[offset + idx[j]!]! * val[j]!;
  return s;
}
