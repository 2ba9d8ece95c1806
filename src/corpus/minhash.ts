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
 * large corpora, and off the V8 heap: signatures live in one growing Uint32Array (a slot per item); each
 * band is an open-addressing table (typed arrays) from a 30-bit hash of its rows to the first slot holding
 * it, and the slots of one bucket are chained in insertion order through `next` (a slot per item and band).
 * An item costs ~0.8 KB, where a Map per band cost ~1.4 KB of heap. A hash collision only adds a candidate,
 * which is then scored on the full signature like any other.
 */
export class LshIndex<K> {
  private slab = new Uint32Array(MINHASH_SIZE * 256);
  private readonly keys: (K | undefined)[] = [];
  private readonly slotOf = new Map<K, number>();
  private readonly free: number[] = [];
  /** next[slot * BANDS + b]: the slot after `slot` in its band-b bucket, -1 at the end. */
  private next = new Int32Array(BANDS * 256);
  private readonly tables = Array.from({ length: BANDS }, () => new BandTable());

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
    if ((slot + 1) * BANDS > this.next.length) {
      const grown = new Int32Array(Math.max(this.next.length * 2, (slot + 1) * BANDS));
      grown.set(this.next);
      this.next = grown;
    }
    this.slab.set(sig.subarray(0, MINHASH_SIZE), base);
    this.keys[slot] = key;
    this.slotOf.set(key, slot);
    const next = this.next;
    for (let b = 0; b < BANDS; b++) {
      next[slot * BANDS + b] = -1;
      const table = this.tables[b]!;
      const bk = bandHash(this.slab, base + b * ROWS);
      const head = table.get(bk);
      if (head < 0) {
        table.set(bk, slot);
        continue;
      }
      // Appended at the end of the bucket: its slots stay in insertion order.
      let tail = head;
      while (next[tail * BANDS + b]! >= 0) tail = next[tail * BANDS + b]!;
      next[tail * BANDS + b] = slot;
    }
  }

  remove(key: K): void {
    const slot = this.slotOf.get(key);
    if (slot === undefined) return;
    this.slotOf.delete(key);
    const base = slot * MINHASH_SIZE;
    const next = this.next;
    for (let b = 0; b < BANDS; b++) {
      const table = this.tables[b]!;
      const bk = bandHash(this.slab, base + b * ROWS);
      const head = table.get(bk);
      if (head < 0) continue;
      const after = next[slot * BANDS + b]!;
      if (head === slot) {
        if (after < 0) table.delete(bk);
        else table.set(bk, after);
        continue;
      }
      let prev = head;
      for (let cur: number = next[head * BANDS + b]!; cur >= 0; cur = next[cur * BANDS + b]!) {
        if (cur === slot) {
          next[prev * BANDS + b] = after;
          break;
        }
        prev = cur;
      }
    }
    this.keys[slot] = undefined;
    this.free.push(slot);
  }

  /** The most similar indexed item with estimated Jaccard >= threshold, if any. */
  best(sig: Uint32Array, threshold: number): { key: K; similarity: number } | null {
    const seen = new Set<number>();
    let bestSlot = -1;
    let bestSim = 0;
    const next = this.next;
    for (let b = 0; b < BANDS; b++) {
      for (
        let slot = this.tables[b]!.get(bandHash(sig, b * ROWS));
        slot >= 0;
        slot = next[slot * BANDS + b]!
      ) {
        if (seen.has(slot)) continue;
        seen.add(slot);
        const sim = this.similarity(sig, slot);
        if (sim >= threshold && (bestSlot < 0 || sim > bestSim)) {
          bestSlot = slot;
          bestSim = sim;
        }
      }
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

const EMPTY = -1;
const DELETED = -2;

/**
 * Open-addressing hash table (linear probing) from a non-negative 30-bit key to a non-negative value, in two
 * typed arrays; deleted entries leave tombstones until the next rebuild.
 */
export class BandTable {
  private keys = new Int32Array(1024).fill(EMPTY);
  private values = new Int32Array(1024);
  private live = 0;
  private used = 0;

  get size(): number {
    return this.live;
  }

  /** The value of `key`, or -1. */
  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let i = fmix(key) & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === key) return this.values[i]!;
      if (k === EMPTY) return -1;
    }
  }

  set(key: number, value: number): void {
    const mask = this.keys.length - 1;
    let tomb = -1;
    let i = fmix(key) & mask;
    for (; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === key) {
        this.values[i] = value;
        return;
      }
      if (k === EMPTY) break;
      if (k === DELETED && tomb < 0) tomb = i;
    }
    if (tomb >= 0) i = tomb;
    else this.used++;
    this.keys[i] = key;
    this.values[i] = value;
    this.live++;
    // At most half full (tombstones included): probes stay short.
    if (this.used * 2 > this.keys.length)
      this.rebuild(this.live * 4 > this.keys.length ? this.keys.length * 2 : this.keys.length);
  }

  delete(key: number): void {
    const mask = this.keys.length - 1;
    for (let i = fmix(key) & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === EMPTY) return;
      if (k === key) {
        this.keys[i] = DELETED;
        this.live--;
        return;
      }
    }
  }

  private rebuild(capacity: number): void {
    const { keys, values } = this;
    this.keys = new Int32Array(capacity).fill(EMPTY);
    this.values = new Int32Array(capacity);
    this.live = 0;
    this.used = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i]! >= 0) this.set(keys[i]!, values[i]!);
  }
}

/** Spreads the bits of a band hash over the table's index bits. */
function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** 30-bit hash (a V8 small integer) of the ROWS values from `at` (exported for the index's reference test). */
export function bandHash(a: Uint32Array, at: number): number {
  let h = 0x811c9dc5;
  for (let r = 0; r < ROWS; r++) {
    h = Math.imul(h ^ a[at + r]!, 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h & 0x3fffffff;
}
