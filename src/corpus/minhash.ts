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

/**
 * Locality-sensitive index: candidates share at least one band of ROWS signature values. Compact for
 * large corpora: signatures live in one growing Uint32Array (a slot per item) and each band maps a
 * 30-bit hash of its rows (a small integer key) to the slots holding it, so an item costs ~1 KB instead
 * of sixteen string keys and arrays. A hash collision only adds a candidate, which is then scored on
 * the full signature like any other.
 */
export class LshIndex<K> {
  private slab = new Uint32Array(MINHASH_SIZE * 256);
  private readonly keys: (K | undefined)[] = [];
  private readonly slotOf = new Map<K, number>();
  private readonly free: number[] = [];
  private readonly bands: Map<number, number | number[]>[] = Array.from({ length: BANDS }, () => new Map());

  get size(): number {
    return this.slotOf.size;
  }

  add(key: K, sig: Uint32Array): void {
    if (this.slotOf.has(key)) this.remove(key);
    const slot = this.free.pop() ?? this.keys.length;
    const base = slot * MINHASH_SIZE;
    if (base + MINHASH_SIZE > this.slab.length) {
      const grown = new Uint32Array(Math.max(this.slab.length * 2, base + MINHASH_SIZE));
      grown.set(this.slab);
      this.slab = grown;
    }
    this.slab.set(sig.subarray(0, MINHASH_SIZE), base);
    this.keys[slot] = key;
    this.slotOf.set(key, slot);
    for (let b = 0; b < BANDS; b++) {
      const map = this.bands[b]!;
      const bk = bandHash(this.slab, base + b * ROWS);
      const cur = map.get(bk);
      if (cur === undefined) map.set(bk, slot);
      else if (typeof cur === "number") map.set(bk, [cur, slot]);
      else cur.push(slot);
    }
  }

  remove(key: K): void {
    const slot = this.slotOf.get(key);
    if (slot === undefined) return;
    this.slotOf.delete(key);
    const base = slot * MINHASH_SIZE;
    for (let b = 0; b < BANDS; b++) {
      const map = this.bands[b]!;
      const bk = bandHash(this.slab, base + b * ROWS);
      const cur = map.get(bk);
      if (cur === undefined) continue;
      if (typeof cur === "number") {
        if (cur === slot) map.delete(bk);
        continue;
      }
      const i = cur.indexOf(slot);
      if (i >= 0) cur.splice(i, 1);
      if (cur.length === 1) map.set(bk, cur[0]!);
      else if (cur.length === 0) map.delete(bk);
    }
    this.keys[slot] = undefined;
    this.free.push(slot);
  }

  /** The most similar indexed item with estimated Jaccard >= threshold, if any. */
  best(sig: Uint32Array, threshold: number): { key: K; similarity: number } | null {
    const seen = new Set<number>();
    let bestSlot = -1;
    let bestSim = 0;
    const consider = (slot: number) => {
      if (seen.has(slot)) return;
      seen.add(slot);
      const sim = this.similarity(sig, slot);
      if (sim >= threshold && (bestSlot < 0 || sim > bestSim)) {
        bestSlot = slot;
        bestSim = sim;
      }
    };
    for (let b = 0; b < BANDS; b++) {
      const cur = this.bands[b]!.get(bandHash(sig, b * ROWS));
      if (cur === undefined) continue;
      if (typeof cur === "number") consider(cur);
      else for (const slot of cur) consider(slot);
    }
    return bestSlot < 0 ? null : { key: this.keys[bestSlot]!, similarity: bestSim };
  }

  private similarity(sig: Uint32Array, slot: number): number {
    const slab = this.slab;
    const base = slot * MINHASH_SIZE;
    let same = 0;
    for (let i = 0; i < MINHASH_SIZE; i++) if (sig[i] === slab[base + i]) same++;
    return same / MINHASH_SIZE;
  }
}

/** 30-bit hash (a V8 small integer) of the ROWS values from `at`. */
function bandHash(a: Uint32Array, at: number): number {
  let h = 0x811c9dc5;
  for (let r = 0; r < ROWS; r++) {
    h = Math.imul(h ^ a[at + r]!, 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h & 0x3fffffff;
}
