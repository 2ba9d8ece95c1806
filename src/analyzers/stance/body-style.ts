// Body style (round 9): how a body treats the story it tells, whatever the story is. Two logistic regressions over
// the body's words (hashed unigrams, binary) learn, across the training bodies, whether a body is one that
// headlines disagree with (a debunk: "bogus story", "refuted", "there was never …") and whether it is one that
// headlines mostly agree with rather than merely report (asserting vs. hedged reporting). Their probabilities
// are inputs of the stance MLP. Trained at the body level and stacked with out-of-fold scores (folds disjoint in
// topics), so the MLP learns how far to trust them on bodies they have not seen.
import { murmur3, type SparseVector } from "../../learn/hashing.js";
import { LogisticRegression, type LogisticJSON } from "../../learn/logistic.js";

export interface BodyStyleJSON {
  bits: number;
  /** P(some headline disagrees with the body | its words). */
  disagree: LogisticJSON;
  /** P(more of its headlines agree than discuss | its words). */
  agree: LogisticJSON;
}

export const STYLE_BITS = 16;
const STYLE_SEED = 91;

/** Binary hashed unigrams of a body's tokens, scaled to unit length. */
export function styleVector(tokens: readonly string[], bits = STYLE_BITS): SparseVector {
  const mask = (1 << bits) - 1;
  const words = new Set(tokens);
  const seen = new Set<number>();
  for (const t of words) seen.add(murmur3(t, STYLE_SEED) & mask);
  const idx = Int32Array.from(seen);
  return { idx, val: new Float32Array(idx.length).fill(1 / Math.sqrt(Math.max(1, idx.length))) };
}

export class BodyStyle {
  private readonly dis: LogisticRegression;
  private readonly agr: LogisticRegression;

  constructor(readonly json: BodyStyleJSON) {
    this.dis = LogisticRegression.fromJSON(json.disagree);
    this.agr = LogisticRegression.fromJSON(json.agree);
  }

  /** [P(disagreed-with body), P(agreed-with body)] of a body's tokens. */
  scores(tokens: readonly string[]): Float32Array {
    const x = styleVector(tokens, this.json.bits);
    return Float32Array.of(this.dis.positive(x), this.agr.positive(x));
  }
}

/** Settings of the two body regressions (10 epochs, AdaGrad 0.2, L2 1e-5, positives weighted to balance). */
const STYLE_LR = { epochs: 10, learningRate: 0.2, l2: 1e-5, seed: 5 };

/** A binary LR over body vectors, positives weighted by the class ratio. */
export function trainStyleLr(
  X: readonly SparseVector[],
  y: readonly number[],
  bits = STYLE_BITS,
): LogisticRegression {
  const pos = y.reduce((a, b) => a + b, 0);
  const cw = [1, (y.length - pos) / Math.max(pos, 1)];
  return LogisticRegression.train(X, y, 1 << bits, 2, { ...STYLE_LR, classWeights: cw });
}
