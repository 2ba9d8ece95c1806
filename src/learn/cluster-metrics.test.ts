// Clustering measures on tiny examples checked by hand.
import { describe, expect, it } from "vitest";
import { adjustedRandIndex, bcubed } from "./metrics.js";

describe("bcubed", () => {
  it("scores a split-and-merge example item by item", () => {
    // Gold {0,1,2} {3,4}; predicted {0,1} {2,3,4}.
    // Precision: items 0,1 -> 2/2; item 2 -> 1/3; items 3,4 -> 2/3: (1+1+1/3+2/3+2/3)/5 = 11/15.
    // Recall: items 0,1 -> 2/3; item 2 -> 1/3; items 3,4 -> 2/2: (2/3+2/3+1/3+1+1)/5 = 11/15.
    const s = bcubed([0, 0, 0, 1, 1], [0, 0, 1, 1, 1]);
    expect(s.p).toBeCloseTo(11 / 15, 12);
    expect(s.r).toBeCloseTo(11 / 15, 12);
    expect(s.f1).toBeCloseTo(11 / 15, 12);
  });

  it("gives all singletons full precision and one cluster full recall", () => {
    const gold = [0, 0, 1, 1];
    const single = bcubed(gold, [0, 1, 2, 3]);
    expect(single.p).toBe(1);
    expect(single.r).toBeCloseTo(0.5, 12);
    expect(single.f1).toBeCloseTo(2 / 3, 12);
    const one = bcubed(gold, [7, 7, 7, 7]);
    expect(one.p).toBeCloseTo(0.5, 12);
    expect(one.r).toBe(1);
  });

  it("ignores the label values themselves", () => {
    expect(bcubed([0, 0, 1, 1], [5, 5, 9, 9])).toEqual({ p: 1, r: 1, f1: 1 });
    // Unequal precision and recall: gold {0,1} {2} {3}, predicted {0,1,2} {3}.
    // P = (2/3+2/3+1/3+1)/4 = 2/3; R = (1+1+1+1)/4 = 1; F1 = 0.8.
    const s = bcubed([3, 3, 8, 1], [0, 0, 0, 2]);
    expect(s.p).toBeCloseTo(2 / 3, 12);
    expect(s.r).toBe(1);
    expect(s.f1).toBeCloseTo(0.8, 12);
  });

  it("rejects labelings of different lengths", () => {
    expect(() => bcubed([0, 1], [0])).toThrow(/differ in length/);
  });
});

describe("adjustedRandIndex", () => {
  it("matches hand-computed values", () => {
    // Pairs together: gold C(3,2)+C(2,2) = 4, predicted 4, both 2; expected 4*4/C(5,2) = 1.6.
    // ARI = (2 - 1.6) / (4 - 1.6) = 1/6.
    expect(adjustedRandIndex([0, 0, 0, 1, 1], [0, 0, 1, 1, 1])).toBeCloseTo(1 / 6, 12);
    // Index 1, gold 1, predicted 2, expected 2/6: (1 - 1/3) / (1.5 - 1/3) = 4/7.
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(4 / 7, 12);
  });

  it("is 1 for identical partitions and 0 for the trivial ones against a real grouping", () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [4, 4, 3, 3, 0])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 2, 3])).toBe(0);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 0, 0])).toBe(0);
    expect(adjustedRandIndex([0, 1, 2], [5, 6, 7])).toBe(1);
  });

  it("can be negative (worse than chance)", () => {
    // Gold {0,1} {2,3}, predicted {0,2} {1,3}: index 0, expected 2*2/6: (0 - 2/3) / (2 - 2/3) = -1/2.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12);
  });
});
