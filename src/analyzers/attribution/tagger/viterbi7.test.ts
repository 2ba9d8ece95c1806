// The attribution tagger's 7-tag Viterbi must pick exactly the path of the generic learn/tagger viterbi
// (same sums, same tie-breaking), so switching between them never changes a tag.
import { describe, expect, it } from "vitest";
import { viterbi } from "../../../learn/tagger.js";
import { mulberry32 } from "../../../learn/rng.js";
import { viterbi7 } from "./model.js";

describe("viterbi7", () => {
  it("decodes the same tags as the generic viterbi, ties and offsets included", () => {
    const rand = mulberry32(7);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rand() * 40);
      // Small integer scores make ties frequent; every third trial uses real-valued ones.
      const draw = (): number => (trial % 3 === 0 ? rand() * 10 - 5 : Math.floor(rand() * 4) - 2);
      const emit = Float64Array.from({ length: n * 7 }, draw);
      const Tr = Float32Array.from({ length: 8 * 7 }, draw);
      const a = Math.floor(rand() * 5);
      const expected = new Uint8Array(a + n);
      viterbi(emit, Tr, 7, 0, n, expected.subarray(a), new Float64Array(n * 7), new Int32Array(n * 7));
      const got = new Uint8Array(a + n);
      viterbi7(emit, Tr, n, got, a, new Float64Array(n * 7), new Int32Array(n * 7));
      expect(Array.from(got)).toEqual(Array.from(expected));
    }
  });
});
