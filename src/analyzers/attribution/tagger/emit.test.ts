// The WebAssembly emission kernel must give the JS loop's float64 sums bit for bit (same widened float32
// weights, added in the same order), whatever the offsets and after its memory grows.
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../learn/rng.js";
import { Emit7Wasm } from "./model.js";

describe("Emit7Wasm", () => {
  it("sums each token's weight rows exactly like the JS loop", () => {
    const rand = mulberry32(11);
    const rows = 1 << 10;
    // Mixed magnitudes and signs, zeros and negative zeros: rounding differences would show.
    const W = Float32Array.from({ length: rows * 7 }, (_, i) =>
      i % 13 === 0 ? 0 : i % 17 === 0 ? -0 : (rand() - 0.5) * 10 ** Math.floor(rand() * 8 - 3),
    );
    const k = Emit7Wasm.create(W);
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
          if (!Object.is(e, k!.emit[i * 7 + t])) diff++;
        }
      expect(diff).toBe(0);
    }
  });
});
