import { describe, expect, it } from "vitest";
import { FeatureBuffer } from "./feature-buffer.js";
import { FeatureHasher, murmur3 } from "./hashing.js";
import { LogisticRegression } from "./logistic.js";
import { SequenceTagger } from "./tagger.js";
import { IsotonicCalibrator, PlattScaler } from "./calibration.js";
import { averagePrecision, classification, ece, prf, rocAuc } from "./metrics.js";
import { inFold, mulberry32 } from "./rng.js";
import { loadModel, saveModel } from "./model-io.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const STABLE = [0, 3162722260, 3974661398];

describe("hashing", () => {
  it("murmur3 is stable (shipped models depend on these exact values) and spreads well", () => {
    expect([murmur3(""), murmur3("hello"), murmur3("w1:said")]).toEqual(STABLE);
    const seen = new Set<number>();
    for (let i = 0; i < 20000; i++) seen.add(murmur3(`feature${i}`) & ((1 << 20) - 1));
    // Expected distinct slots for 20k keys in 2^20 buckets is about 19,810.
    expect(seen.size).toBeGreaterThan(19700);
  });

  it("collects repeated features and normalises", () => {
    const h = new FeatureHasher(10);
    h.add("a");
    h.add("a");
    h.add("b", 2);
    const v = h.take(true);
    expect(v.idx.length).toBe(h.index("a") === h.index("b") ? 1 : 2);
    const norm = Math.sqrt(Array.from(v.val).reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 5);
    expect(h.take().idx.length).toBe(0);
  });
});

function synthetic(n: number, seed: number) {
  // Class depends on features "pos" / "neg" with noise words.
  const rand = mulberry32(seed);
  const h = new FeatureHasher(12);
  const X = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = rand() < 0.5 ? 1 : 0;
    h.add(label ? "pos" : "neg");
    h.add(`noise${Math.floor(rand() * 50)}`);
    if (rand() < 0.1) h.add(label ? "neg" : "pos");
    X.push(h.take());
    y.push(label);
  }
  return { X, y, dim: h.dim };
}

describe("logistic regression", () => {
  it("learns a separable binary problem", () => {
    const { X, y, dim } = synthetic(400, 1);
    const m = LogisticRegression.train(X, y, dim, 2, { epochs: 5 });
    const test = synthetic(200, 2);
    const acc = test.X.filter((x, i) => (m.positive(x) > 0.5 ? 1 : 0) === test.y[i]).length / 200;
    expect(acc).toBeGreaterThan(0.85);
  });

  it("learns three classes with a softmax and is deterministic", () => {
    const h = new FeatureHasher(10);
    const X = [];
    const y: number[] = [];
    for (let i = 0; i < 300; i++) {
      h.add(`c${i % 3}`);
      X.push(h.take());
      y.push(i % 3);
    }
    const a = LogisticRegression.train(X, y, h.dim, 3, { seed: 3 });
    const b = LogisticRegression.train(X, y, h.dim, 3, { seed: 3 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(X.slice(0, 3).map((x) => a.predict(x))).toEqual([0, 1, 2]);
    const p = a.predictProba(X[0]!);
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
  });
});

describe("sequence tagger", () => {
  it("learns BIO spans that depend on context and transitions", () => {
    // Tag "I" only for words that follow a "B" trigger word; "O" elsewhere.
    const tags = ["O", "B", "I"];
    const h = new FeatureHasher(12);
    const mk = (words: string[]) =>
      words.map((w, i) => Int32Array.of(h.index(`w=${w}`), h.index(`prev=${words[i - 1] ?? "<s>"}`)));
    const rand = mulberry32(5);
    const data = [];
    for (let s = 0; s < 200; s++) {
      const words: string[] = [];
      const gold: number[] = [];
      for (let i = 0; i < 8; i++) {
        if (rand() < 0.2) {
          words.push("said", "x", "y");
          gold.push(1, 2, 2);
        } else {
          words.push(rand() < 0.5 ? "x" : "z");
          gold.push(0);
        }
      }
      data.push({ features: mk(words), tags: gold, words });
    }
    const tagger = SequenceTagger.train(tags, h.dim, data.slice(0, 150), { epochs: 5 });
    let correct = 0;
    let total = 0;
    for (const d of data.slice(150)) {
      const p = tagger.predict(d.features);
      for (let i = 0; i < p.length; i++) {
        total++;
        if (p[i] === d.tags[i]) correct++;
      }
    }
    expect(correct / total).toBeGreaterThan(0.95);
  });
});

describe("calibration", () => {
  it("Platt and isotonic map scores to calibrated probabilities", () => {
    const rand = mulberry32(9);
    const scores: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const s = rand() * 8 - 4;
      scores.push(s);
      labels.push(rand() < 1 / (1 + Math.exp(-2 * s)) ? 1 : 0);
    }
    const platt = PlattScaler.fit(scores, labels);
    expect(platt.a).toBeGreaterThan(1.6);
    expect(platt.a).toBeLessThan(2.4);
    const iso = IsotonicCalibrator.fit(scores, labels);
    expect(iso.apply(-4)).toBeLessThan(0.05);
    expect(iso.apply(4)).toBeGreaterThan(0.95);
    const probs = scores.map((s) => platt.apply(s));
    expect(ece(probs, labels)).toBeLessThan(0.03);
  });
});

describe("metrics", () => {
  it("computes P/R/F1, ROC-AUC, AP and per-class F1", () => {
    expect(prf(3, 1, 2)).toEqual({ p: 0.75, r: 0.6, f1: (2 * 0.75 * 0.6) / 1.35 });
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 10);
    expect(rocAuc([1, 1], [0, 1])).toBeCloseTo(0.5, 10);
    expect(averagePrecision([1, 0, 1, 0])).toBeCloseTo((1 + 2 / 3) / 2, 10);
    expect(averagePrecision([0, 1], 2)).toBeCloseTo(0.25, 10);
    const c = classification([0, 1, 2, 2], [0, 2, 2, 2], 3);
    expect(c.accuracy).toBe(0.75);
    expect(c.perClass[1]!.f1).toBe(0);
    expect(ece([0.9, 0.9], [1, 0])).toBeCloseTo(0.4, 10);
  });

  it("splits deterministically", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `id${i}`);
    const fold = ids.filter((id) => inFold(id, 0.2));
    expect(fold.length).toBeGreaterThan(150);
    expect(fold.length).toBeLessThan(250);
    expect(ids.filter((id) => inFold(id, 0.2))).toEqual(fold);
  });
});

describe("model io", () => {
  it("round-trips dense and sparse typed arrays through gzipped JSON", () => {
    const dense = Float32Array.from([1.5, -2, 3, 4]);
    const sparse = new Float32Array(1000);
    sparse[7] = 0.25;
    sparse[999] = -1;
    const path = join(mkdtempSync(join(tmpdir(), "cs-model-")), "m.json.gz");
    saveModel(path, { dense, sparse, ints: Int32Array.of(1, 2), meta: { name: "x" } });
    const back = loadModel<{
      dense: Float32Array;
      sparse: Float32Array;
      ints: Int32Array;
      meta: { name: string };
    }>(path);
    expect(Array.from(back.dense)).toEqual([1.5, -2, 3, 4]);
    expect(back.sparse.length).toBe(1000);
    expect(back.sparse[7]).toBe(0.25);
    expect(back.sparse[999]).toBe(-1);
    expect(Array.from(back.ints)).toEqual([1, 2]);
    expect(back.meta.name).toBe("x");
  });

  it("names the file when it is missing or not a model", () => {
    const dir = mkdtempSync(join(tmpdir(), "cs-model-"));
    writeFileSync(join(dir, "plain.txt"), "not gzip");
    expect(() => loadModel(join(dir, "plain.txt"))).toThrow(
      /cannot load model .*plain\.txt: not a gzipped model file/,
    );
    expect(() => loadModel(join(dir, "none.gz"))).toThrow(/cannot load model .*none\.gz: no such file/);
  });
});

describe("Platt scaling on separable scores", () => {
  it("converges to a finite, monotone map instead of diverging", () => {
    const scores = [-300, -250, -200, -150, 150, 200, 250, 300];
    const labels = [0, 0, 0, 0, 1, 1, 1, 1];
    const p = PlattScaler.fit(scores, labels);
    expect(Number.isFinite(p.a) && Number.isFinite(p.b)).toBe(true);
    expect(p.a).toBeGreaterThan(0);
    expect(p.apply(300)).toBeGreaterThan(0.8);
    expect(p.apply(-300)).toBeLessThan(0.2);
  });
});

describe("FeatureBuffer", () => {
  it("grows past its capacity, masks indices to its dimension and scores against flat weights", () => {
    const buf = new FeatureBuffer(8, 2);
    buf.push(1);
    buf.push(9, 2); // 9 & 7 = 1: the same feature again, values add up in the dot product
    buf.push(3, 0.5);
    expect(buf.n).toBe(3);
    expect(Array.from(buf.idx.subarray(0, 3))).toEqual([1, 1, 3]);
    const W = new Float32Array([0, 1, 0, 4, 0, 0, 0, 0]);
    expect(buf.dot(W, 0.5)).toBeCloseTo(0.5 + 1 + 2 + 2);
    // Compact two-output rows: feature 1 -> row 0, feature 3 -> row 1, others absent.
    const slot = new Int32Array(8).fill(-1);
    slot[1] = 0;
    slot[3] = 1;
    const out = new Float64Array([1, 1]);
    buf.scoresInto(slot, new Float32Array([1, 2, 10, 20]), 2, out);
    expect(Array.from(out)).toEqual([1 + 3 + 5, 1 + 6 + 10]);
  });
});
