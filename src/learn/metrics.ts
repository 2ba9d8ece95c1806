// Evaluation measures shared by every analyzer's eval command.

export interface PRF {
  p: number;
  r: number;
  f1: number;
}

export function prf(tp: number, fp: number, fn: number): PRF {
  const p = tp + fp > 0 ? tp / (tp + fp) : 0;
  const r = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = p + r > 0 ? (2 * p * r) / (p + r) : 0;
  return { p, r, f1 };
}

/** Per-class F1, macro-F1 and accuracy from gold/predicted label indices. */
export function classification(gold: ArrayLike<number>, pred: ArrayLike<number>, classes: number) {
  const tp = new Array(classes).fill(0);
  const fp = new Array(classes).fill(0);
  const fn = new Array(classes).fill(0);
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i]!;
    const p = pred[i]!;
    if (g === p) {
      tp[g]++;
      correct++;
    } else {
      fp[p]++;
      fn[g]++;
    }
  }
  const perClass = tp.map((_, k) => prf(tp[k], fp[k], fn[k]));
  const macroF1 = perClass.reduce((s, c) => s + c.f1, 0) / classes;
  return { accuracy: gold.length ? correct / gold.length : 0, macroF1, perClass };
}

/** Area under the ROC curve (ties counted half), O(n log n). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]) pos++;
    else neg++;
  }
  if (pos === 0 || neg === 0) return NaN;
  let rankSum = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[idx[k]!]) rankSum += avgRank;
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Expected calibration error with equal-width bins. */
export function ece(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): number {
  const count = new Array(bins).fill(0);
  const conf = new Array(bins).fill(0);
  const acc = new Array(bins).fill(0);
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b]++;
    conf[b] += p;
    acc[b] += labels[i] ? 1 : 0;
  }
  let e = 0;
  for (let b = 0; b < bins; b++)
    if (count[b]) e += (count[b] / probs.length) * Math.abs(acc[b] / count[b] - conf[b] / count[b]);
  return e;
}

/** Average precision of a ranking: relevance flags in ranked order; `totalRelevant` defaults to the flags' sum. */
export function averagePrecision(
  rankedRelevance: ArrayLike<number | boolean>,
  totalRelevant?: number,
): number {
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < rankedRelevance.length; i++) {
    if (rankedRelevance[i]) {
      hits++;
      sum += hits / (i + 1);
    }
  }
  const denom = totalRelevant ?? hits;
  return denom > 0 ? sum / denom : 0;
}

/** Ranks items by score (descending) and returns their labels in that order. */
export function rankLabels(scores: ArrayLike<number>, labels: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => scores[b]! - scores[a]!)
    .map((i) => labels[i]!);
}

/** Rounds every number in a result object, for printing. */
export function rounded<T>(value: T, digits = 4): T {
  const f = 10 ** digits;
  return JSON.parse(
    JSON.stringify(value, (_k, v) => (typeof v === "number" ? Math.round(v * f) / f : v)),
  ) as T;
}

/** Items per cell of the contingency table of two labelings, with the size of each gold and predicted group. */
function contingency(gold: ArrayLike<number>, pred: ArrayLike<number>) {
  if (gold.length !== pred.length)
    throw new Error(`labelings differ in length: ${gold.length} vs ${pred.length}`);
  const cells = new Map<string, number>();
  const goldSizes = new Map<number, number>();
  const predSizes = new Map<number, number>();
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i]!;
    const p = pred[i]!;
    const key = `${g}\u0000${p}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    goldSizes.set(g, (goldSizes.get(g) ?? 0) + 1);
    predSizes.set(p, (predSizes.get(p) ?? 0) + 1);
  }
  return { cells, goldSizes, predSizes };
}

/**
 * B-cubed precision, recall and F1 of a clustering (Amigó, Gonzalo, Artiles & Verdejo 2009): an item's
 * precision is the share of its predicted cluster that shares its gold group, its recall the share of its
 * gold group that shares its predicted cluster; both are averaged over items and F1 is their harmonic mean.
 * Labels are group ids (any numbers); items are positions.
 */
export function bcubed(gold: ArrayLike<number>, pred: ArrayLike<number>): PRF {
  const n = gold.length;
  if (n === 0) return { p: 0, r: 0, f1: 0 };
  const { cells, goldSizes, predSizes } = contingency(gold, pred);
  let p = 0;
  let r = 0;
  for (const [key, c] of cells) {
    const sep = key.indexOf("\u0000");
    const g = Number(key.slice(0, sep));
    const q = Number(key.slice(sep + 1));
    p += (c * c) / predSizes.get(q)!;
    r += (c * c) / goldSizes.get(g)!;
  }
  p /= n;
  r /= n;
  return { p, r, f1: p + r > 0 ? (2 * p * r) / (p + r) : 0 };
}

/**
 * Adjusted Rand index (Hubert & Arabie 1985): agreement of two partitions over item pairs, 0 at chance
 * and 1 when identical. When both partitions are trivial in the same way (all singletons, or one group)
 * the index is undefined and taken as 1.
 */
export function adjustedRandIndex(gold: ArrayLike<number>, pred: ArrayLike<number>): number {
  const n = gold.length;
  const pairs = (k: number) => (k * (k - 1)) / 2;
  const { cells, goldSizes, predSizes } = contingency(gold, pred);
  let index = 0;
  for (const c of cells.values()) index += pairs(c);
  let a = 0;
  for (const c of goldSizes.values()) a += pairs(c);
  let b = 0;
  for (const c of predSizes.values()) b += pairs(c);
  const total = pairs(n);
  const expected = total > 0 ? (a * b) / total : 0;
  const max = (a + b) / 2;
  if (max - expected === 0) return 1;
  return (index - expected) / (max - expected);
}
