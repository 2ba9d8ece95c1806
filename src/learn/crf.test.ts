import { describe, expect, it } from "vitest";
import { CrfScratch, crfAsTagger, crfForwardBackward, LinearChainCrf } from "./crf.js";
import { mulberry32 } from "./rng.js";
import type { TaggedSequence } from "./tagger.js";

const TAGS = ["O", "B", "I"];

/** A small random CRF with non-trivial weights. */
function randomCrf(dim: number, seed: number): LinearChainCrf {
  const rand = mulberry32(seed);
  const crf = new LinearChainCrf(TAGS, dim);
  for (let i = 0; i < crf.weights.length; i++) crf.weights[i] = rand() * 2 - 1;
  for (let i = 0; i < crf.transitions.length; i++) crf.transitions[i] = rand() * 2 - 1;
  return crf;
}

function randomSeq(n: number, dim: number, rand: () => number): TaggedSequence {
  const features: Int32Array[] = [];
  const tags: number[] = [];
  for (let i = 0; i < n; i++) {
    features.push(Int32Array.from([Math.floor(rand() * dim), Math.floor(rand() * dim), dim - 1]));
    tags.push(Math.floor(rand() * 3));
  }
  return { features, tags };
}

/** All tag paths of length n with their unnormalised scores. */
function allPaths(crf: LinearChainCrf, features: Int32Array[]): { path: number[]; score: number }[] {
  const n = features.length;
  const T = crf.T;
  const emit = crf.emissions(features);
  const out: { path: number[]; score: number }[] = [];
  const total = T ** n;
  for (let code = 0; code < total; code++) {
    const path: number[] = [];
    let c = code;
    for (let i = 0; i < n; i++) {
      path.push(c % T);
      c = Math.floor(c / T);
    }
    let s = 0;
    let prev = -1;
    for (let i = 0; i < n; i++) {
      s += emit[i * T + path[i]!]! + crf.transitions[(prev + 1) * T + path[i]!]!;
      prev = path[i]!;
    }
    out.push({ path, score: s });
  }
  return out;
}

describe("LinearChainCrf", () => {
  it("Viterbi agrees with brute force on short sequences", () => {
    const rand = mulberry32(3);
    for (let trial = 0; trial < 20; trial++) {
      const crf = randomCrf(6, 100 + trial);
      const seq = randomSeq(1 + (trial % 5), 6, rand);
      const paths = allPaths(crf, seq.features);
      let best = paths[0]!;
      for (const p of paths) if (p.score > best.score) best = p;
      expect(Array.from(crf.predict(seq.features))).toEqual(best.path);
    }
  });

  it("marginals sum to 1 per token and match brute-force marginals; log-likelihood matches", () => {
    const rand = mulberry32(5);
    for (let trial = 0; trial < 10; trial++) {
      const crf = randomCrf(6, 200 + trial);
      const seq = randomSeq(2 + (trial % 4), 6, rand);
      const n = seq.features.length;
      const marg = crf.marginals(seq.features);
      const paths = allPaths(crf, seq.features);
      let z = 0;
      for (const p of paths) z += Math.exp(p.score);
      const brute = new Float64Array(n * 3);
      for (const p of paths) for (let i = 0; i < n; i++) brute[i * 3 + p.path[i]!]! += Math.exp(p.score) / z;
      for (let i = 0; i < n; i++) {
        expect(marg[i * 3]! + marg[i * 3 + 1]! + marg[i * 3 + 2]!).toBeCloseTo(1, 10);
        for (let t = 0; t < 3; t++) expect(marg[i * 3 + t]!).toBeCloseTo(brute[i * 3 + t]!, 10);
      }
      const gold = paths.find((p) => p.path.every((t, i) => t === seq.tags[i]))!;
      expect(crf.logLikelihood(seq)).toBeCloseTo(gold.score - Math.log(z), 10);
    }
  });

  it("forward-backward on a sub-range ignores rows outside it", () => {
    const crf = randomCrf(6, 9);
    const seq = randomSeq(5, 6, mulberry32(9));
    const emit = crf.emissions(seq.features);
    const shifted = new Float64Array(emit.length + 6).fill(1e6);
    shifted.set(emit, 6);
    const a = new Float64Array(emit.length);
    const b = new Float64Array(shifted.length);
    const z1 = crfForwardBackward(emit, crf.transitions, 3, 0, 5, new CrfScratch(), a);
    const z2 = crfForwardBackward(shifted, crf.transitions, 3, 2, 7, new CrfScratch(), b);
    expect(z2).toBeCloseTo(z1, 8);
    for (let k = 0; k < a.length; k++) expect(b[k + 6]!).toBeCloseTo(a[k]!, 10);
  });

  it("the gradient of the negative log-likelihood matches finite differences", () => {
    const dim = 5;
    const crf = randomCrf(dim, 11);
    const rand = mulberry32(12);
    const seqs = [randomSeq(4, dim, rand), randomSeq(3, dim, rand)];
    const gW = new Float64Array(dim * 3);
    const gTr = new Float64Array(12);
    for (const s of seqs) crf.addGradient(s, gW, gTr);
    const nll = () => seqs.reduce((x, s) => x - crf.logLikelihood(s), 0);
    // Float32 weights: a step of 1e-2 keeps rounding error far below the tolerance (the NLL is smooth).
    const h = 1e-2;
    const check = (arr: Float32Array, grad: Float64Array) => {
      for (let p = 0; p < arr.length; p++) {
        const w = arr[p]!;
        arr[p] = w + h;
        const up = nll();
        arr[p] = w - h;
        const down = nll();
        arr[p] = w;
        expect(Math.abs((up - down) / (2 * h) - grad[p]!)).toBeLessThan(2e-3);
      }
    };
    check(crf.weights, gW);
    check(crf.transitions, gTr);
    // Not vacuous: some gradients are far from zero.
    expect(Math.max(...Array.from(gW, Math.abs))).toBeGreaterThan(0.1);
  });

  it("learns a pattern that needs its transitions, deterministically", () => {
    // Words: 0 = trigger (always B), 1 = ambiguous (I right after a span token, O elsewhere), 2..9 = O words.
    const make = (seed: number, count: number) => {
      const rand = mulberry32(seed);
      const out: TaggedSequence[] = [];
      for (let s = 0; s < count; s++) {
        const n = 4 + Math.floor(rand() * 8);
        const features: Int32Array[] = [];
        const tags: number[] = [];
        let prev = 0;
        for (let i = 0; i < n; i++) {
          const r = rand();
          const w = r < 0.2 ? 0 : r < 0.6 ? 1 : 2 + Math.floor(rand() * 8);
          const tag = w === 0 ? 1 : w === 1 && prev !== 0 ? 2 : 0;
          features.push(Int32Array.from([w, 10]));
          tags.push(tag);
          prev = tag;
        }
        out.push({ features, tags });
      }
      return out;
    };
    const train = make(1, 300);
    const test = make(2, 100);
    const losses: number[] = [];
    const crf = LinearChainCrf.train(TAGS, 11, train, {
      epochs: 8,
      learningRate: 0.3,
      seed: 4,
      onEpoch: (_e, _c, nll) => losses.push(nll),
    });
    let right = 0;
    let total = 0;
    for (const s of test) {
      const p = crf.predict(s.features);
      for (let i = 0; i < p.length; i++) {
        right += p[i] === s.tags[i] ? 1 : 0;
        total++;
      }
    }
    expect(right / total).toBeGreaterThan(0.99);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    // A first-order-blind tagger cannot do this: word 1 is I after a span and O elsewhere.
    expect(crf.transitions[(2 + 1) * 3 + 2]!).toBeGreaterThan(crf.transitions[(0 + 1) * 3 + 2]!);
    const again = LinearChainCrf.train(TAGS, 11, train, { epochs: 8, learningRate: 0.3, seed: 4 });
    expect(Array.from(again.weights)).toEqual(Array.from(crf.weights));
    // Averaged weights learn it as well and differ from the last iterate.
    const avg = LinearChainCrf.train(TAGS, 11, train, {
      epochs: 8,
      learningRate: 0.3,
      seed: 4,
      average: true,
    });
    let avgRight = 0;
    for (const s of test) {
      const p = avg.predict(s.features);
      for (let i = 0; i < p.length; i++) avgRight += p[i] === s.tags[i] ? 1 : 0;
    }
    expect(avgRight / total).toBeGreaterThan(0.99);
    expect(Array.from(avg.weights)).not.toEqual(Array.from(crf.weights));
    // Round trip through JSON (and quantisation keeps the decisions on this easy problem).
    const copy = LinearChainCrf.fromJSON(crf.toJSON());
    copy.quantize(1 / 64);
    for (const s of test.slice(0, 20))
      expect(Array.from(copy.predict(s.features))).toEqual(Array.from(crf.predict(s.features)));
  });

  it("as a tagger table decodes the same paths, and a tag bias equals adding it to every emission", () => {
    const rand = mulberry32(5);
    for (let trial = 0; trial < 20; trial++) {
      const crf = randomCrf(6, 200 + trial);
      const seq = randomSeq(1 + (trial % 6), 6, rand);
      expect(Array.from(crfAsTagger(crf, 100).predict(seq.features))).toEqual(
        Array.from(crf.predict(seq.features)),
      );
      // Brute force with +0.7 on every "B" score along each path.
      const biased = allPaths(crf, seq.features).map((p) => ({
        path: p.path,
        score: p.score + 0.7 * p.path.filter((t) => t === 1).length,
      }));
      let best = biased[0]!;
      for (const p of biased) if (p.score > best.score) best = p;
      expect(Array.from(crfAsTagger(crf, 100, [0, 0.7, 0]).predict(seq.features))).toEqual(best.path);
    }
  });
});
