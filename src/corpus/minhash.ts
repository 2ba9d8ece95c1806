// Near-duplicate detection: MinHash over word 5-shingles, with an LSH banding index.
import { murmur3 } from "../learn/hashing.js";
import { wordsOf } from "./text.js";

export const MINHASH_SIZE = 128;
const BANDS = 16;
const ROWS = MINHASH_SIZE / BANDS;
const SHINGLE = 5;

// Per-permutation (a, b) multipliers for h_i(x) = a_i * x + b_i (32-bit), fixed for reproducibility.
const A = new Uint32Array(MINHASH_SIZE);
const B = new Uint32Array(MINHASH_SIZE);
{
  let s = 0x9e3779b9;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  for (let i = 0; i < MINHASH_SIZE; i++) {
    A[i] = next() | 1;
    B[i] = next();
  }
}

/** MinHash signature of a text's word shingles (short texts use shorter shingles). */
export function minhash(text: string): Uint32Array {
  const words = wordsOf(text);
  const sig = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  const k = Math.max(1, Math.min(SHINGLE, words.length));
  for (let i = 0; i + k <= words.length; i++) {
    let key = words[i]!;
    for (let j = 1; j < k; j++) key += " " + words[i + j]!;
    const h = murmur3(key, 0x5eed);
    for (let p = 0; p < MINHASH_SIZE; p++) {
      const v = (Math.imul(A[p]!, h) + B[p]!) >>> 0;
      if (v < sig[p]!) sig[p] = v;
    }
  }
  return sig;
}

/** Estimated Jaccard similarity of the shingle sets behind two signatures. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < MINHASH_SIZE; i++) if (a[i] === b[i]) same++;
  return same / MINHASH_SIZE;
}

export function signatureToBytes(sig: Uint32Array): Uint8Array {
  return new Uint8Array(sig.buffer.slice(sig.byteOffset, sig.byteOffset + sig.byteLength));
}

export function signatureFromBytes(bytes: Uint8Array): Uint32Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Uint32Array(copy.buffer);
}

/** Locality-sensitive index: candidates share at least one band of ROWS signature values. */
export class LshIndex<K> {
  private readonly bands: Map<string, K[]>[] = Array.from({ length: BANDS }, () => new Map());
  private readonly sigs = new Map<K, Uint32Array>();

  get size(): number {
    return this.sigs.size;
  }

  add(key: K, sig: Uint32Array): void {
    this.sigs.set(key, sig);
    for (let b = 0; b < BANDS; b++) {
      const bk = bandKey(sig, b);
      const list = this.bands[b]!.get(bk);
      if (list) list.push(key);
      else this.bands[b]!.set(bk, [key]);
    }
  }

  remove(key: K): void {
    const sig = this.sigs.get(key);
    if (!sig) return;
    this.sigs.delete(key);
    for (let b = 0; b < BANDS; b++) {
      const bk = bandKey(sig, b);
      const list = this.bands[b]!.get(bk);
      if (!list) continue;
      const i = list.indexOf(key);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.bands[b]!.delete(bk);
    }
  }

  /** The most similar indexed item with estimated Jaccard >= threshold, if any. */
  best(sig: Uint32Array, threshold: number): { key: K; similarity: number } | null {
    const seen = new Set<K>();
    let best: { key: K; similarity: number } | null = null;
    for (let b = 0; b < BANDS; b++) {
      const list = this.bands[b]!.get(bandKey(sig, b));
      if (!list) continue;
      for (const key of list) {
        if (seen.has(key)) continue;
        seen.add(key);
        const sim = jaccard(sig, this.sigs.get(key)!);
        if (sim >= threshold && (!best || sim > best.similarity)) best = { key, similarity: sim };
      }
    }
    return best;
  }
}

function bandKey(sig: Uint32Array, band: number): string {
  let k = "";
  for (let r = 0; r < ROWS; r++) k += sig[band * ROWS + r]!.toString(36) + ",";
  return k;
}
