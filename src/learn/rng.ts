import { murmur3 } from "./hashing.js";

// Seeded randomness so that training reproduces the model card's numbers.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place with a seeded generator. */
export function shuffleInPlace<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}

/** A deterministic split: the item is in the fold when hash(salt:key) falls below the fraction. */
export function inFold(key: string, fraction: number, salt = "claimscope"): boolean {
  return murmur3(salt + ":" + key, 0x9e3779b9) / 4294967296 < fraction;
}
