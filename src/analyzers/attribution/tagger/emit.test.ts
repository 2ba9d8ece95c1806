// The WebAssembly kernels must give the JS loops' results bit for bit: the float64 emission sums (same widened
// float32 weights, added in the same order) and viterbi7's path (same sums, ties included), whatever the
// offsets and after the module's memory grows.
import { describe, expect, it, vi } from "vitest";
import { Doc } from "../../../doc/doc.js";
import { loadShippedModel } from "../../../learn/model-io.js";
import { mulberry32 } from "../../../learn/rng.js";
import { loadWordClusters } from "../../../learn/word-clusters.js";
import { AttributionTagger, viterbi7, type AttributionModelJSON } from "./model.js";
import { Emit7Wasm } from "./wasm-kernels.js";

describe("Emit7Wasm", () => {
  const rand = mulberry32(11);
  const rows = 1 << 10;
  // Mixed magnitudes and signs, zeros and negative zeros: rounding differences would show.
  const W = Float32Array.from({ length: rows * 7 }, (_, i) =>
    i % 13 === 0 ? 0 : i % 17 === 0 ? -0 : (rand() - 0.5) * 10 ** Math.floor(rand() * 8 - 3),
  );
  const Tr = Float32Array.from({ length: 56 }, () => (rand() - 0.5) * 20);

  it("sums each token's weight rows exactly like the JS loop", () => {
    const k = Emit7Wasm.create(W, Tr);
    expect(k).not.toBeNull();
    const F = 57;
    for (const tokens of [1, 3, 40, 700, 5000, 12]) {
      const flat = k!.reserve(tokens * F, tokens);
      for (let j = 0; j < tokens * F; j++) flat[j] = Math.floor(rand() * rows);
      const a = Math.floor(rand() * Math.min(tokens, 5));
      const n = tokens - a;
      k!.run(a, n, F);
      let diff = 0;
      for (let i = 0; i < n; i++)
        for (let t = 0; t < 7; t++) {
          let e = 0;
          for (let j = 0; j < F; j++) e += W[flat[(a + i) * F + j]! * 7 + t]!;
          if (!Object.is(e, k!.emit[(a + i) * 7 + t])) diff++;
        }
      expect(diff).toBe(0);
    }
  });

  it("decodes the path of viterbi7, ties included", () => {
    for (let trial = 0; trial < 200; trial++) {
      // Small integer weights and transitions make equal scores frequent; every third trial is real-valued.
      const draw = (): number => (trial % 3 === 0 ? rand() * 10 - 5 : Math.floor(rand() * 4) - 2);
      const w = Float32Array.from({ length: 64 * 7 }, draw);
      const tr = Float32Array.from({ length: 56 }, draw);
      const k = Emit7Wasm.create(w, tr)!;
      const tokens = 1 + Math.floor(rand() * (trial % 10 === 0 ? 3000 : 60));
      const F = 1 + Math.floor(rand() * 4);
      const flat = k.reserve(tokens * F, tokens);
      for (let j = 0; j < tokens * F; j++) flat[j] = Math.floor(rand() * 64);
      const a = Math.floor(rand() * Math.min(tokens, 4));
      const n = tokens - a;
      k.run(a, n, F);
      const emit = k.emit.slice(a * 7, (a + n) * 7);
      const expected = new Uint8Array(tokens);
      viterbi7(emit, tr, n, expected, a, new Float64Array(n * 7), new Int32Array(n * 7));
      const got = new Uint8Array(tokens);
      k.decode(n, got, a);
      expect(Array.from(got)).toEqual(Array.from(expected));
    }
  });

  it("tags the same without WebAssembly (the JS loops) as with it", async () => {
    const json = loadShippedModel<AttributionModelJSON>("attribution");
    const clusters = json.clusters ? loadWordClusters() : null;
    const docs = [
      'Officials said on Monday that the strike "was a mistake," according to two people briefed on it.',
      "The minister, who spoke on condition of anonymity, told reporters the talks would resume.\n\n" +
        "“We will not back down,” she said. Critics argued the plan lacked evidence.",
    ].map((text) => Doc.create({ text }));
    const withWasm = new AttributionTagger(json, clusters);
    const expected = docs.map((d) => Array.from(withWasm.tagTokens(d)));
    expect(expected.flat().some((t) => t !== 0)).toBe(true);
    vi.resetModules();
    const g = globalThis as { WebAssembly?: unknown };
    const saved = g.WebAssembly;
    g.WebAssembly = undefined;
    try {
      const fresh = await import("./model.js");
      const freshKernels = await import("./wasm-kernels.js");
      const withoutWasm = new fresh.AttributionTagger(json, clusters);
      expect(
        freshKernels.Emit7Wasm.create(Float32Array.of(0, 0, 0, 0, 0, 0, 0), new Float32Array(56)),
      ).toBeNull();
      expect(docs.map((d) => Array.from(withoutWasm.tagTokens(d)))).toEqual(expected);
    } finally {
      g.WebAssembly = saved;
    }
  });
});
