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
