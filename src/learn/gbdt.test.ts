import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GradientBoostedTrees, type GbdtJSON } from "./gbdt.js";
import { LogisticRegression } from "./logistic.js";
import { rocAuc } from "./metrics.js";
import { loadModel, saveModel } from "./model-io.js";
import { mulberry32 } from "./rng.js";

const D = 5;

/** Label = XOR of the signs of features 0 and 1 (with 10 % label noise); features 2..4 are noise. */
function xorData(n: number, seed: number) {
  const rand = mulberry32(seed);
  const X = new Float32Array(n * D);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < D; f++) X[i * D + f] = rand() * 2 - 1;
    const xor = X[i * D]! > 0 !== X[i * D + 1]! > 0 ? 1 : 0;
    y[i] = rand() < 0.1 ? 1 - xor : xor;
  }
  return { X, y, n };
}

function noiseData(n: number, seed: number) {
  const rand = mulberry32(seed);
  const X = new Float32Array(n * D);
  const y = new Int32Array(n);
  for (let i = 0; i < n * D; i++) X[i] = rand();
  for (let i = 0; i < n; i++) y[i] = rand() < 0.5 ? 1 : 0;
  return { X, y, n };
}

const OPTS = { trees: 60, learningRate: 0.2, maxDepth: 3, minLeaf: 10, seed: 3 };

describe("gradient-boosted trees", () => {
  const train = xorData(2000, 1);
  const test = xorData(1000, 2);

  it("learns an XOR interaction that a logistic regression cannot", () => {
    const gb = GradientBoostedTrees.train(train.X, train.n, D, train.y, OPTS);
    const gbAuc = rocAuc(gb.margins(test.X, test.n), test.y);
    const rows = (X: Float32Array, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        idx: Int32Array.from({ length: D }, (_, f) => f),
        val: X.slice(i * D, i * D + D),
      }));
    const lr = LogisticRegression.train(rows(train.X, train.n), Array.from(train.y), D, 2, { epochs: 20 });
    const lrAuc = rocAuc(
      rows(test.X, test.n).map((x) => lr.scores(x)[0]!),
      test.y,
    );
    // Bayes-optimal AUC with 10 % label noise is 0.9; a linear score cannot rank XOR (about 0.5).
    expect(gbAuc).toBeGreaterThan(0.85);
    expect(lrAuc).toBeLessThan(0.6);
    // The two informative features carry almost all of the split gain.
    const g = Array.from(gb.gain);
    expect(g[0]! + g[1]!).toBeGreaterThan(0.8 * g.reduce((s, v) => s + v, 0));
  });

  it("is deterministic for a seed (with row and column subsampling) and differs for another seed", () => {
    const o = { ...OPTS, rowSample: 0.7, colSample: 0.6 };
    const a = GradientBoostedTrees.train(train.X, train.n, D, train.y, o);
    const b = GradientBoostedTrees.train(train.X, train.n, D, train.y, o);
    const c = GradientBoostedTrees.train(train.X, train.n, D, train.y, { ...o, seed: 4 });
    expect(Array.from(a.margins(test.X, test.n))).toEqual(Array.from(b.margins(test.X, test.n)));
    expect(Array.from(a.value)).toEqual(Array.from(b.value));
    expect(Array.from(a.margins(test.X, test.n))).not.toEqual(Array.from(c.margins(test.X, test.n)));
  });

  it("round-trips through model-io with identical predictions", () => {
    const a = GradientBoostedTrees.train(train.X, train.n, D, train.y, OPTS);
    const path = join(mkdtempSync(join(tmpdir(), "gbdt-")), "m.json.gz");
    saveModel(path, a.toJSON());
    const b = GradientBoostedTrees.fromJSON(loadModel<GbdtJSON>(path));
    expect(b.trees).toBe(a.trees);
    expect(Array.from(b.margins(test.X, test.n))).toEqual(Array.from(a.margins(test.X, test.n)));
  });

  it("path attributions add up to the margin", () => {
    const a = GradientBoostedTrees.train(train.X, train.n, D, train.y, OPTS);
    for (let i = 0; i < 50; i++) {
      const out = new Float64Array(D);
      const bias = a.contributions(test.X, i * D, out);
      const sum = bias + out.reduce((s, v) => s + v, 0);
      expect(sum).toBeCloseTo(a.margin(test.X, i * D), 4);
    }
  });

  it("sums its trees' values to the margin and lists the features each tree splits on", () => {
    const a = GradientBoostedTrees.train(train.X, train.n, D, train.y, { ...OPTS, trees: 20 });
    for (let i = 0; i < 20; i++) {
      let s = a.base;
      for (let t = 0; t < a.trees; t++) s += a.treeValue(t, test.X, i * D);
      expect(s).toBe(a.margin(test.X, i * D));
    }
    // Changing a feature a tree does not split on leaves its value unchanged.
    const row = test.X.slice(0, D);
    for (let t = 0; t < a.trees; t++) {
      const used = a.treeFeatures(t);
      expect(used.length).toBeGreaterThan(0);
      const v = a.treeValue(t, row);
      const other = row.slice();
      for (let f = 0; f < D; f++) if (!used.includes(f)) other[f] = -other[f]! + 0.5;
      expect(a.treeValue(t, other)).toBe(v);
    }
    const all = new Set(Array.from({ length: a.trees }, (_, t) => a.treeFeatures(t)).flat());
    expect(all.has(0) && all.has(1)).toBe(true);
  });

  it("does not overfit pure noise badly on held-out rows", () => {
    const tr = noiseData(2000, 5);
    const te = noiseData(2000, 6);
    const gb = GradientBoostedTrees.train(tr.X, tr.n, D, tr.y, { ...OPTS, learningRate: 0.1, minLeaf: 40 });
    const p = Array.from(gb.margins(te.X, te.n), (z) => 1 / (1 + Math.exp(-z)));
    expect(Math.abs(rocAuc(p, te.y) - 0.5)).toBeLessThan(0.05);
    // Held-out log-loss stays close to that of the constant prior (ln 2 = 0.693).
    let ll = 0;
    for (let i = 0; i < te.n; i++) ll -= Math.log(te.y[i] ? p[i]! : 1 - p[i]!);
    expect(ll / te.n).toBeLessThan(0.72);
  });

  it("boosts from a given margin and honours row weights", () => {
    // Starting every row at log-odds +3 (far too confident), the trees learn the correction: the sum of the
    // starting margin and the trees' margin ranks XOR and is no longer confident on the negatives.
    const base = new Float64Array(train.n).fill(3);
    const a = GradientBoostedTrees.train(train.X, train.n, D, train.y, { ...OPTS, baseMargin: base });
    expect(a.base).toBe(0);
    const m = a.margins(test.X, test.n);
    expect(rocAuc(m, test.y)).toBeGreaterThan(0.85);
    let neg = 0,
      nNeg = 0;
    for (let i = 0; i < test.n; i++) {
      if (test.y[i]) continue;
      neg += 3 + m[i]!;
      nNeg++;
    }
    expect(neg / nNeg).toBeLessThan(0);
    // Weighting the positives 3x moves the prior from about 1:1 to about 3:1.
    const w = Array.from(train.y, (v) => (v ? 3 : 1));
    const b = GradientBoostedTrees.train(train.X, train.n, D, train.y, { ...OPTS, trees: 0, weights: w });
    expect(b.base).toBeGreaterThan(Math.log(2.5));
    expect(b.base).toBeLessThan(Math.log(3.5));
  });

  it("keeps monotone constraints: the score never moves against a constrained feature", () => {
    // P(y) rises with x0 except for a bump in the middle (0.2 < x0 < 0.5 lowers it); x1 also matters.
    const rand = mulberry32(11);
    const n = 3000;
    const X = new Float32Array(n * D);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < D; f++) X[i * D + f] = rand() * 2 - 1;
      const x0 = X[i * D]!;
      const z = 2 * x0 - (x0 > 0.2 && x0 < 0.5 ? 3 : 0) + X[i * D + 1]!;
      y[i] = rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    const violations = (m: GradientBoostedTrees, dir: number) => {
      let v = 0;
      const row = new Float32Array(D);
      for (let r = 0; r < 100; r++) {
        for (let f = 0; f < D; f++) row[f] = rand() * 2 - 1;
        let prev = -Infinity * dir;
        for (let k = 0; k <= 40; k++) {
          row[0] = -1 + k / 20;
          const s = m.margin(row);
          if (dir * (s - prev) < -1e-9) v++;
          prev = s;
        }
      }
      return v;
    };
    const free = GradientBoostedTrees.train(X, n, D, y, OPTS);
    const up = GradientBoostedTrees.train(X, n, D, y, { ...OPTS, monotone: [1, 0, 0, 0, 0] });
    const down = GradientBoostedTrees.train(X, n, D, y, { ...OPTS, monotone: [-1, 0, 0, 0, 0] });
    expect(violations(free, 1)).toBeGreaterThan(0); // the bump is learnt without the constraint
    expect(violations(up, 1)).toBe(0);
    expect(violations(down, -1)).toBe(0);
    // Constrained against the data, x0 can hardly be used; with the data, it still ranks well.
    const aucUp = rocAuc(up.margins(X, n), y);
    const aucDown = rocAuc(down.margins(X, n), y);
    expect(aucUp).toBeGreaterThan(aucDown + 0.1);
  });
});
