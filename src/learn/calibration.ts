// Probability calibration, fitted on data the model was not trained on.
import { sigmoid } from "./logistic.js";

/** Platt scaling: p = sigmoid(a * score + b). */
export class PlattScaler {
  constructor(
    readonly a = 1,
    readonly b = 0,
  ) {}

  apply(score: number): number {
    return sigmoid(this.a * score + this.b);
  }

  /**
   * Fits a, b by Newton's method with backtracking line search on the log-loss against Platt's smoothed
   * targets (Lin, Lin & Weng 2007), so separable or large-margin scores converge instead of diverging.
   */
  static fit(scores: ArrayLike<number>, labels: ArrayLike<number>, iterations = 100): PlattScaler {
    const n = scores.length;
    let pos = 0;
    for (let i = 0; i < n; i++) pos += labels[i]! ? 1 : 0;
    const hi = (pos + 1) / (pos + 2);
    const lo = 1 / (n - pos + 2);
    const target = (i: number) => (labels[i]! ? hi : lo);
    // Numerically stable log-loss of (a, b).
    const loss = (a: number, b: number): number => {
      let f = 0;
      for (let i = 0; i < n; i++) {
        const z = a * scores[i]! + b;
        const t = target(i);
        f += z >= 0 ? t * -z + Math.log1p(Math.exp(-z)) + z : t * -z + Math.log1p(Math.exp(z));
      }
      return f;
    };
    let a = 0;
    let b = Math.log((pos + 1) / (n - pos + 1));
    let f = loss(a, b);
    for (let it = 0; it < iterations; it++) {
      let ga = 0,
        gb = 0,
        haa = 1e-12,
        hab = 0,
        hbb = 1e-12;
      for (let i = 0; i < n; i++) {
        const s = scores[i]!;
        const p = sigmoid(a * s + b);
        const d = p - target(i);
        const w = p * (1 - p);
        ga += d * s;
        gb += d;
        haa += w * s * s;
        hab += w * s;
        hbb += w;
      }
      if (Math.abs(ga) < 1e-6 && Math.abs(gb) < 1e-6) break;
      const det = haa * hbb - hab * hab;
      const da = -(hbb * ga - hab * gb) / det;
      const db = -(haa * gb - hab * ga) / det;
      const slope = ga * da + gb * db;
      let step = 1;
      let improved = false;
      while (step >= 1e-10) {
        const na = a + step * da;
        const nb = b + step * db;
        const nf = loss(na, nb);
        if (nf < f + 1e-4 * step * slope) {
          a = na;
          b = nb;
          f = nf;
          improved = true;
          break;
        }
        step /= 2;
      }
      if (!improved) break;
    }
    return new PlattScaler(a, b);
  }

  toJSON() {
    return { kind: "platt" as const, a: this.a, b: this.b };
  }
}

/** Isotonic regression (pool-adjacent-violators): a monotone step function from score to probability. */
export class IsotonicCalibrator {
  constructor(
    readonly thresholds: number[],
    readonly values: number[],
  ) {}

  apply(score: number): number {
    const t = this.thresholds;
    if (t.length === 0) return 0.5;
    if (score <= t[0]!) return this.values[0]!;
    if (score >= t[t.length - 1]!) return this.values[t.length - 1]!;
    let lo = 0;
    let hi = t.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (t[mid]! <= score) lo = mid;
      else hi = mid;
    }
    // Linear interpolation between block centres keeps the map continuous.
    const f = (score - t[lo]!) / (t[hi]! - t[lo]! || 1);
    return this.values[lo]! + f * (this.values[hi]! - this.values[lo]!);
  }

  static fit(scores: ArrayLike<number>, labels: ArrayLike<number>): IsotonicCalibrator {
    const idx = Array.from({ length: scores.length }, (_, i) => i).sort((x, y) => scores[x]! - scores[y]!);
    const blocks: { sum: number; n: number; lo: number; hi: number }[] = [];
    for (const i of idx) {
      blocks.push({ sum: labels[i]! ? 1 : 0, n: 1, lo: scores[i]!, hi: scores[i]! });
      while (blocks.length > 1) {
        const b = blocks[blocks.length - 1]!;
        const a = blocks[blocks.length - 2]!;
        if (a.sum / a.n < b.sum / b.n) break;
        a.sum += b.sum;
        a.n += b.n;
        a.hi = b.hi;
        blocks.pop();
      }
    }
    return new IsotonicCalibrator(
      blocks.map((b) => (b.lo + b.hi) / 2),
      blocks.map((b) => b.sum / b.n),
    );
  }

  toJSON() {
    return { kind: "isotonic" as const, thresholds: this.thresholds, values: this.values };
  }
}
