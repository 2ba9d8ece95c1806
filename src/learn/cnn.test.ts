import { describe, expect, it } from "vitest";
import { textCnnLogit, trainTextCnn, WordProjections } from "./cnn.js";
import { mulberry32 } from "./rng.js";
import { CooccurrenceCorpus } from "./word-clusters.js";
import { dequantizeVectors, quantizeVectors, trainWordVectors } from "./word-vectors.js";

/** 30 random unit vectors of 8 dimensions. */
function randomVectors(n: number, dim: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const v = new Float32Array(n * dim);
  for (let i = 0; i < n * dim; i++) v[i] = rand() * 2 - 1;
  return v;
}

/** Sentences of random words; positive when word 3 is directly followed by word 5 (order matters). */
function synthetic(n: number, seed: number) {
  const rand = mulberry32(seed);
  const X: Int32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const len = 3 + Math.floor(rand() * 8);
    const s = new Int32Array(len);
    for (let t = 0; t < len; t++) s[t] = 6 + Math.floor(rand() * 24);
    const kind = Math.floor(rand() * 3);
    const at = Math.floor(rand() * (len - 1));
    if (kind === 0) [s[at], s[at + 1]] = [3, 5];
    else if (kind === 1) [s[at], s[at + 1]] = [5, 3];
    if (rand() < 0.1) s[Math.floor(rand() * len)] = -1;
    X.push(s);
    y.push(kind === 0 ? 1 : 0);
  }
  return { X, y };
}

describe("text CNN", () => {
  const dim = 8;
  const vectors = randomVectors(30, dim, 3);
  const train = synthetic(600, 1);
  const test = synthetic(300, 2);
  const opts = { widths: [2, 3], filters: 8, epochs: 15, learningRate: 0.01, dropout: 0.2, seed: 5 };

  it("learns a word-order pattern that no bag of words shows", () => {
    const fit = trainTextCnn(vectors, dim, train.X, train.y, opts);
    let correct = 0;
    test.X.forEach(
      (x, i) => (correct += (textCnnLogit(fit.model, vectors, x) > 0 ? 1 : 0) === test.y[i] ? 1 : 0),
    );
    // "3 5" and "5 3" hold the same words: only the order tells them apart.
    expect(correct / test.X.length).toBeGreaterThan(0.9);
  });

  it("is deterministic for a seed and keeps the epoch with the lowest validation loss", () => {
    const a = trainTextCnn(vectors, dim, train.X, train.y, { ...opts, epochs: 6 }, test);
    const b = trainTextCnn(vectors, dim, train.X, train.y, { ...opts, epochs: 6 }, test);
    expect(Array.from(a.model.conv[0]!)).toEqual(Array.from(b.model.conv[0]!));
    expect(a.valLoss).toHaveLength(6);
    expect(a.valLoss[a.epochs - 1]).toBe(Math.min(...a.valLoss));
  });

  it("fine-tunes only the vectors of words it trains on, on a copy, when asked", () => {
    const before = vectors.slice();
    const frozen = trainTextCnn(vectors, dim, train.X, train.y, { ...opts, epochs: 2 });
    expect(frozen.vectors).toBe(vectors);
    const tuned = trainTextCnn(vectors, dim, train.X, train.y, { ...opts, epochs: 2, tuneVectors: 0.05 });
    expect(Array.from(vectors)).toEqual(Array.from(before));
    const changed = (w: number) =>
      tuned.vectors.subarray(w * dim, (w + 1) * dim).some((x, e) => x !== before[w * dim + e]);
    expect(changed(3)).toBe(true); // in every positive sentence
    for (const w of [0, 1, 2, 4]) expect(changed(w)).toBe(false); // never in a sentence
  });

  it("scores the same through the cached word projections as directly", () => {
    // Widths 2 and 3 take a fused path, other widths the general one.
    for (const widths of [[2, 4], [3]]) {
      const other = trainTextCnn(vectors, dim, train.X, train.y, { ...opts, widths, epochs: 2 }).model;
      const p = new WordProjections(other, vectors, 30);
      for (const x of [...test.X.slice(0, 20), new Int32Array(0)])
        expect(p.logit(x)).toBeCloseTo(textCnnLogit(other, vectors, x), 4);
    }
    const fit = trainTextCnn(vectors, dim, train.X, train.y, { ...opts, epochs: 3 });
    const proj = new WordProjections(fit.model, vectors, 30);
    for (const x of [...test.X.slice(0, 50), new Int32Array(0), Int32Array.from([-1])]) {
      expect(proj.logit(x)).toBeCloseTo(textCnnLogit(fit.model, vectors, x), 4);
    }
    // Widths 2 and 3 with filters a multiple of 4 run in the WebAssembly SIMD kernel (float32 sums): it agrees
    // with the JS loop (float64 sums).
    expect(proj.usesSimd).toBe(true);
    const js = new WordProjections(fit.model, vectors, 30, false);
    expect(js.usesSimd).toBe(false);
    for (const x of [...test.X.slice(0, 100), new Int32Array(0), Int32Array.from([-1]), Int32Array.from([4])])
      expect(proj.logit(x)).toBeCloseTo(js.logit(x), 5);
    // A window inside a longer buffer scores as the same words on their own.
    const padded = Int32Array.from([7, 8, ...test.X[0]!, 9]);
    expect(proj.logit(padded, 2, 2 + test.X[0]!.length)).toBeCloseTo(proj.logit(test.X[0]!), 9);
  });
});

describe("word vectors", () => {
  it("puts words used in the same contexts close together, and survives int8 quantization", () => {
    const rand = mulberry32(9);
    const corpus = new CooccurrenceCorpus();
    // "cat"/"dog" share contexts, "red"/"blue" share others.
    for (let i = 0; i < 400; i++) {
      const animal = rand() < 0.5 ? "cat" : "dog";
      const colour = rand() < 0.5 ? "red" : "blue";
      corpus.addSegment(["the", animal, "runs", "home", "fast"]);
      corpus.addSegment(["a", "very", colour, "car", "here"]);
    }
    const v = trainWordVectors(corpus, { dim: 4, minCount: 5, contextWords: 20 });
    const q = dequantizeVectors(quantizeVectors(v));
    const row = (w: string) => v.words.indexOf(w);
    const cos = (x: Float32Array, a: string, b: string) => {
      let s = 0;
      for (let d = 0; d < v.dim; d++) s += x[row(a) * v.dim + d]! * x[row(b) * v.dim + d]!;
      return s;
    };
    expect(cos(v.vectors, "cat", "dog")).toBeGreaterThan(cos(v.vectors, "cat", "red") + 0.5);
    expect(cos(v.vectors, "red", "blue")).toBeGreaterThan(cos(v.vectors, "blue", "dog") + 0.5);
    for (let i = 0; i < v.vectors.length; i++)
      expect(Math.abs(q.vectors[i]! - v.vectors[i]!)).toBeLessThan(0.005);
  });
});
