import { describe, expect, it } from "vitest";
import { RANK_DIM } from "./matcher.js";
import { pairwise, topWeight } from "./task.js";

const idx = Int32Array.from({ length: RANK_DIM }, (_, i) => i);
const cand = (pos: boolean, first: number) => {
  const val = new Float32Array(RANK_DIM);
  val[0] = first;
  val[1] = 1;
  return { pos, d: { idx, val } };
};

describe("pairwise ranker examples", () => {
  // One query: a relevant candidate between two irrelevant ones.
  const lists = [[cand(false, 0.9), cand(true, 0.5), cand(false, 0.1)]];

  it("builds relevant-minus-irrelevant (1) and the negation (0) for every pair", () => {
    const [X, y] = pairwise(lists);
    expect(y).toEqual([1, 0, 1, 0]);
    expect(X[0]!.val[0]).toBeCloseTo(0.5 - 0.9, 6);
    expect(X[1]!.val[0]).toBeCloseTo(0.9 - 0.5, 6);
    expect(X[2]!.val[0]).toBeCloseTo(0.5 - 0.1, 6);
    expect(X[0]!.val[1]).toBe(0);
  });

  it("repeats a pair as often as its weight says", () => {
    const [X, y] = pairwise(lists, (_q, _p, n) => (n === 0 ? 3 : 1));
    expect(X).toHaveLength(8);
    expect(y.filter((v) => v === 1)).toHaveLength(4);
    expect(X.slice(0, 6).every((x, i) => x.val[0] === X[i % 2]!.val[0])).toBe(true);
  });

  it("weights pairs whose irrelevant candidate is in the top 5 or above the relevant one", () => {
    expect(topWeight(0, 1)).toBeGreaterThan(1);
    expect(topWeight(8, 3)).toBeGreaterThan(1);
    expect(topWeight(12, 9)).toBeGreaterThan(1);
    expect(topWeight(0, 9)).toBe(1);
    expect(topWeight(6, 20)).toBe(1);
  });
});
