// The typed-array LSH index must answer exactly as the Map-of-arrays index it replaced (same key on ties:
// the first candidate in band order, then bucket insertion order), across growth, removal and slot reuse.
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../learn/rng.js";
import { BandTable, bandHash, LshIndex, MINHASH_SIZE } from "./minhash.js";

const BANDS = 16;
const ROWS = MINHASH_SIZE / BANDS;

/** The round-9 index: one Map per band from band hash to its slots in insertion order. */
class ReferenceLsh<K> {
  private readonly sigs = new Map<K, Uint32Array>();
  private readonly bands = Array.from({ length: BANDS }, () => new Map<number, K[]>());
  add(key: K, sig: Uint32Array): void {
    if (this.sigs.has(key)) this.remove(key);
    this.sigs.set(key, sig);
    for (let b = 0; b < BANDS; b++) {
      const bk = bandHash(sig, b * ROWS);
      const cur = this.bands[b]!.get(bk);
      if (cur) cur.push(key);
      else this.bands[b]!.set(bk, [key]);
    }
  }
  remove(key: K): void {
    const sig = this.sigs.get(key);
    if (!sig) return;
    this.sigs.delete(key);
    for (let b = 0; b < BANDS; b++) {
      const bk = bandHash(sig, b * ROWS);
      const cur = this.bands[b]!.get(bk)!;
      cur.splice(cur.indexOf(key), 1);
      if (cur.length === 0) this.bands[b]!.delete(bk);
    }
  }
  best(sig: Uint32Array, threshold: number): { key: K; similarity: number } | null {
    const seen = new Set<K>();
    let best: { key: K; similarity: number } | null = null;
    for (let b = 0; b < BANDS; b++)
      for (const key of this.bands[b]!.get(bandHash(sig, b * ROWS)) ?? []) {
        if (seen.has(key)) continue;
        seen.add(key);
        const s = this.sigs.get(key)!;
        let same = 0;
        for (let i = 0; i < MINHASH_SIZE; i++) if (s[i] === sig[i]) same++;
        const sim = same / MINHASH_SIZE;
        if (sim >= threshold && (!best || sim > best.similarity)) best = { key, similarity: sim };
      }
    return best;
  }
}

describe("LshIndex", () => {
  it("finds exactly what the Map-of-arrays index finds, ties included", () => {
    const rand = mulberry32(11);
    const u32 = () => Math.floor(rand() * 0x100000000) >>> 0;
    const lsh = new LshIndex<number>();
    const ref = new ReferenceLsh<number>();
    const pool: Uint32Array[] = [];
    const liveKeys: number[] = [];
    // Few distinct "stories": many exact and near copies, so buckets hold several slots and similarities tie.
    const bases = Array.from({ length: 40 }, () => Uint32Array.from({ length: MINHASH_SIZE }, u32));
    const variant = () => {
      const s = bases[Math.floor(rand() * bases.length)]!.slice();
      const changes = Math.floor(rand() * 4);
      for (let c = 0; c < changes; c++) s[Math.floor(rand() * MINHASH_SIZE)] = u32() % 4;
      return s;
    };
    let agreedNonNull = 0;
    for (let i = 0; i < 3000; i++) {
      const s = variant();
      pool.push(s);
      lsh.add(i, s);
      ref.add(i, s);
      liveKeys.push(i);
      // Removals (slots are reused by later adds), and re-adding a key under a new signature.
      if (rand() < 0.3) {
        const k = liveKeys.splice(Math.floor(rand() * liveKeys.length), 1)[0]!;
        lsh.remove(k);
        ref.remove(k);
      }
      if (rand() < 0.05 && liveKeys.length > 0) {
        const k = liveKeys[Math.floor(rand() * liveKeys.length)]!;
        const t = variant();
        lsh.add(k, t);
        ref.add(k, t);
      }
      if (i % 10 === 0) {
        const q = variant();
        for (const threshold of [0.8, 0.95]) {
          const got = lsh.best(q, threshold);
          expect(got).toEqual(ref.best(q, threshold));
          if (got) agreedNonNull++;
        }
      }
    }
    expect(lsh.size).toBe(liveKeys.length);
    expect(agreedNonNull).toBeGreaterThan(100);
  });
});

describe("BandTable", () => {
  it("behaves as a Map through growth, deletions (tombstones) and rebuilds", () => {
    const rand = mulberry32(5);
    const table = new BandTable();
    const map = new Map<number, number>();
    for (let i = 0; i < 20000; i++) {
      const key = Math.floor(rand() * 5000) * 7919; // a bounded key set: keys come back after deletion
      const r = rand();
      if (r < 0.5) {
        table.set(key, i);
        map.set(key, i);
      } else if (r < 0.8) {
        table.delete(key);
        map.delete(key);
      } else expect(table.get(key)).toBe(map.get(key) ?? -1);
    }
    expect(table.size).toBe(map.size);
    for (const [k, v] of map) expect(table.get(k)).toBe(v);
    expect(table.get(1)).toBe(-1);
  });
});
