import { describe, expect, it } from "vitest";
import { randomizedSvd, symmetricEigen, type Csr } from "./linalg.js";
import { normalizeRows, sphericalKMeans } from "./kmeans.js";
import { clusterKey, CooccurrenceCorpus, trainWordClusters, WordClusters } from "./word-clusters.js";
import { mulberry32 } from "./rng.js";

function denseToCsr(rows: number[][]): Csr {
  const indptr = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    row.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    });
    indptr.push(indices.length);
  }
  return {
    rows: rows.length,
    cols: rows[0]!.length,
    indptr: Int32Array.from(indptr),
    indices: Int32Array.from(indices),
    values: Float32Array.from(values),
  };
}

describe("symmetricEigen", () => {
  it("recovers A = V Λ Vᵀ with eigenvalues in decreasing order", () => {
    const a = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
    const { values, vectors } = symmetricEigen(a, 3);
    expect(values[0]).toBeGreaterThanOrEqual(values[1]!);
    expect(values[1]).toBeGreaterThanOrEqual(values[2]!);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += vectors[i * 3 + k]! * values[k]! * vectors[j * 3 + k]!;
        expect(s).toBeCloseTo(a[i * 3 + j]!, 9);
      }
    expect(values.reduce((x, y) => x + y, 0)).toBeCloseTo(12, 9);
  });
});

describe("randomizedSvd", () => {
  it("finds the singular values of a low-rank sparse matrix", () => {
    // Rank 2: rows are combinations of two fixed patterns with singular values known from their Gram matrix.
    const p = [1, 0, 2, 0, 0, 1];
    const q = [0, 3, 0, 1, 0, 0];
    const rows = [p, q, p.map((x) => 2 * x), q.map((x) => -x), p.map((x, j) => x + q[j]!)];
    const { u, s } = randomizedSvd(denseToCsr(rows), 2, { seed: 3 });
    // Σ s² equals the squared Frobenius norm when the rank is captured exactly.
    const frob = rows.flat().reduce((acc, x) => acc + x * x, 0);
    expect(s[0]! ** 2 + s[1]! ** 2).toBeCloseTo(frob, 6);
    // Left singular vectors are orthonormal.
    let d01 = 0;
    let n0 = 0;
    for (let r = 0; r < rows.length; r++) {
      d01 += u[r * 2]! * u[r * 2 + 1]!;
      n0 += u[r * 2]! ** 2;
    }
    expect(d01).toBeCloseTo(0, 9);
    expect(n0).toBeCloseTo(1, 9);
  });
});

describe("sphericalKMeans", () => {
  it("separates well-separated directions and is deterministic for a seed", () => {
    const rand = mulberry32(5);
    const dirs = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    const n = 60;
    const x = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) for (let d = 0; d < 3; d++) x[i * 3 + d] = dirs[i % 3]![d]! + 0.1 * rand();
    normalizeRows(x, n, 3);
    const a = sphericalKMeans(x, n, 3, 3, { seed: 2 });
    const b = sphericalKMeans(x, n, 3, 3, { seed: 2 });
    expect(Array.from(a.assign)).toEqual(Array.from(b.assign));
    for (let i = 3; i < n; i++) expect(a.assign[i]).toBe(a.assign[i % 3]);
    expect(new Set(a.assign).size).toBe(3);
  });
});

describe("word clusters", () => {
  it("puts words used in the same contexts in the same class, at each level", () => {
    const rand = mulberry32(9);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    const names = ["putin", "lavrov", "peskov", "trump", "tillerson", "johnson"];
    const verbs = ["said", "claimed", "argued", "insisted", "stated", "added"];
    const places = ["moscow", "damascus", "london", "washington", "paris", "berlin"];
    const corpus = new CooccurrenceCorpus();
    for (let i = 0; i < 3000; i++) {
      corpus.addSegment([
        pick(names),
        pick(verbs),
        "that",
        "the",
        "talks",
        "in",
        pick(places),
        "failed",
        ".",
      ]);
      corpus.addSegment(["on", "monday", pick(names), pick(verbs), "it", "was", "over", "."]);
      corpus.addSegment(["a", "meeting", "in", pick(places), "was", "held", "."]);
    }
    const json = trainWordClusters(corpus, {
      maxWords: 100,
      minCount: 5,
      contextWords: 30,
      dim: 8,
      granularities: [6, 3],
      kmeansIterations: 30,
      seed: 1,
    });
    const wc = new WordClusters(json);
    const cls = (w: string) => wc.idOf(w, 0);
    for (const group of [names, verbs, places]) for (const w of group) expect(cls(w), w).toBe(cls(group[0]!));
    expect(cls(names[0]!)).not.toBe(cls(verbs[0]!));
    expect(cls(names[0]!)).not.toBe(cls(places[0]!));
    expect(wc.idOf("lavrov", 1)).toBe(wc.idOf("putin", 1));
    expect(wc.idsOf("unknownword")).toBeNull();
    expect(wc.idOf("unknownword", 0)).toBe(-1);
    expect(wc.members(0, cls("said"))).toEqual(expect.arrayContaining(verbs));
  });

  it("folds digits in keys", () => {
    expect(clusterKey("1,200")).toBe("0,000");
    expect(clusterKey("said")).toBe("said");
  });
});
