import { describe, expect, it } from "vitest";
import type { SparseVector } from "./hashing.js";
import { LogisticRegression } from "./logistic.js";
import { MLP } from "./mlp.js";
import { mulberry32 } from "./rng.js";

/** XOR of two binary inputs (plus a constant input): not linearly separable. */
function xorData(n: number, seed: number): { X: SparseVector[]; y: number[] } {
  const rand = mulberry32(seed);
  const X: SparseVector[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rand() < 0.5 ? 1 : 0;
    const b = rand() < 0.5 ? 1 : 0;
    X.push({ idx: Int32Array.of(0, 1, 2), val: Float32Array.of(a, b, 1) });
    y.push(a ^ b);
  }
  return { X, y };
}

function accuracy(predict: (x: SparseVector) => number, X: SparseVector[], y: number[]): number {
  let c = 0;
  for (let i = 0; i < X.length; i++) if (predict(X[i]!) === y[i]) c++;
  return c / X.length;
}

describe("MLP", () => {
  it("learns XOR, which a linear model cannot", () => {
    const train = xorData(400, 1);
    const test = xorData(200, 2);
    const mlp = MLP.train(train.X, train.y, 3, 2, { hidden: 16, epochs: 40, learningRate: 0.3, seed: 3 });
    const lr = LogisticRegression.train(train.X, train.y, 3, 2, { epochs: 40 });
    expect(accuracy((x) => mlp.predict(x), test.X, test.y)).toBe(1);
    expect(accuracy((x) => lr.predict(x), test.X, test.y)).toBeLessThan(0.8);
  });

  it("is deterministic for a seed and round-trips through JSON", () => {
    const { X, y } = xorData(100, 4);
    const a = MLP.train(X, y, 3, 2, { hidden: 4, epochs: 3, seed: 7 });
    const b = MLP.train(X, y, 3, 2, { hidden: 4, epochs: 3, seed: 7 });
    expect(Array.from(a.w1)).toEqual(Array.from(b.w1));
    const c = MLP.fromJSON(a.toJSON());
    expect(Array.from(c.predictProba(X[0]!))).toEqual(Array.from(a.predictProba(X[0]!)));
  });

  it("gives probabilities that sum to one and adds split inputs like one vector", () => {
    const { X, y } = xorData(100, 5);
    const m = MLP.train(X, y, 3, 3, { hidden: 4, epochs: 2, seed: 1 });
    const p = m.predictProba(X[0]!);
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    const x = X[0]!;
    const left = { idx: x.idx.slice(0, 1), val: x.val.slice(0, 1) };
    const right = { idx: x.idx.slice(1), val: x.val.slice(1) };
    expect(Array.from(m.predictProba(left, right))).toEqual(Array.from(m.predictProba(x)));
  });

  it("leaves input rows it never saw at zero", () => {
    const { X, y } = xorData(50, 6);
    const m = MLP.train(X, y, 10, 2, { hidden: 4, epochs: 2, seed: 1 });
    expect(Array.from(m.w1.slice(3 * 4)).every((v) => v === 0)).toBe(true);
  });
});
