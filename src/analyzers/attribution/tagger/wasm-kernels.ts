// WebAssembly SIMD kernels of the attribution tagger: the 7-tag emission sums and the Viterbi forward pass,
// assembled here from their instructions (no toolchain) and validated at load. They compute exactly what the JS
// loops in model.ts compute (same float64 additions in the same order; ties broken the same way), which stay as
// the fallback where WebAssembly or its SIMD is missing; emit.test.ts checks both agree bit for bit. Why: with
// them the attribution stage costs about a quarter less (issue #3: no more than the NLP layer).

import { compileWasm, instantiateWasm, uleb, wasmModule, type WasmMemory } from "../../../learn/wasm.js";
import { backtrack7 } from "./backtrack.js";

/*
 * The 7-tag emission sums in WebAssembly SIMD. For each token, emit[t] = 0 + W[f0][t] + W[f1][t] + … over its
 * F hashed features in template order, each float32 weight widened to float64 and added in float64: the JS
 * loop's arithmetic, in the same order, two tags per f64x2 lane pair (lanes never mix), so every sum is
 * bit-identical. The module is assembled here (54 instructions; no toolchain) and validated at load; where
 * WebAssembly or its SIMD is missing, the tagger keeps the JS loop.
 *
 * Memory: [0, 32·rows) the weights, a row of 8 float32 per feature (the 8th 0); then the document's features
 * (int32, F per token: docFeatures writes them there); then the emissions (float64, 7 per token, plus one
 * slot: a row's 4 f64x2 stores write 8 values, the 8th is overwritten by the next row).
 */
const EMIT7_WASM: Uint8Array = (() => {
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const tee = (i: number) => [0x22, i];
  const i32 = (v: number) => [0x41, v]; // 0 <= v < 64: a one-byte signed LEB128
  const [ADD, MUL, SHL, GE_S, GE_U, LOAD] = [0x6a, 0x6c, 0x74, 0x4e, 0x4f, [0x28, 2, 0]] as const;
  const vload = (off: number) => [0xfd, 0x00, 0, off];
  const vstore = (off: number) => [0xfd, 0x0b, 0, off];
  const vzero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
  const high = [0xfd, 0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]; // i8x16.shuffle
  const promote = [0xfd, 0x5f]; // f64x2.promote_low_f32x4
  const fadd = [0xfd, 0xf0, 0x01]; // f64x2.add
  // f(flat, n, F, weights, out) — params 0–4; locals 5 i, 6 p, 7 end, 8 row, 9 o; v128 10–13 sums, 14–15 row halves.
  const body = [
    ...[2, 5, 0x7f, 6, 0x7b],
    ...[...i32(0), ...set(5)],
    ...[0x02, 0x40, 0x03, 0x40], // block, loop over tokens
    ...[...get(5), ...get(1), GE_S, 0x0d, 1],
    ...[...vzero, ...set(10), ...vzero, ...set(11), ...vzero, ...set(12), ...vzero, ...set(13)],
    ...[...get(0), ...get(5), ...get(2), MUL, ...i32(2), SHL, ADD, ...tee(6)],
    ...[...get(2), ...i32(2), SHL, ADD, ...set(7)],
    ...[0x02, 0x40, 0x03, 0x40], // block, loop over the token's features
    ...[...get(6), ...get(7), GE_U, 0x0d, 1],
    ...[...get(3), ...get(6), ...LOAD, ...i32(5), SHL, ADD, ...tee(8)],
    ...[...vload(0), ...set(14), ...get(8), ...vload(16), ...set(15)],
    ...[...get(10), ...get(14), ...promote, ...fadd, ...set(10)],
    ...[...get(11), ...get(14), ...get(14), ...high, ...promote, ...fadd, ...set(11)],
    ...[...get(12), ...get(15), ...promote, ...fadd, ...set(12)],
    ...[...get(13), ...get(15), ...get(15), ...high, ...promote, ...fadd, ...set(13)],
    ...[...get(6), ...i32(4), ADD, ...set(6)],
    ...[0x0c, 0, 0x0b, 0x0b],
    ...[...get(4), ...get(5), ...i32(56), MUL, ADD, ...tee(9)],
    ...[...get(10), ...vstore(0), ...get(9), ...get(11), ...vstore(16)],
    ...[...get(9), ...get(12), ...vstore(32), ...get(9), ...get(13), ...vstore(48)],
    ...[...get(5), ...i32(1), ADD, ...set(5)],
    ...[0x0c, 0, 0x0b, 0x0b, 0x0b],
  ];
  // v(emit, n, tr, score, back): learn/tagger's Viterbi forward pass over n >= 1 tokens, 8 tags wide (4 f64x2;
  // the 8th lane is never read). tr: 8 rows of 8 float64, the start scores then the transitions from each tag.
  // For each tag t, over k = 0..6 in order: v = score[k] + Tr[k][t]; a strictly greater v takes the lead (so the
  // first of equal scores wins, as in the JS loop); then score = best + emit and back = the leading k (as a
  // float64). Params 0–4; locals 5 i, 6 e, 7 sp, 8 bp, 9 pp (emit, score, back and previous score rows);
  // v128 10–13 best, 14–17 arg, 18 splat of score[k], 19 v, 20 mask.
  const vconst = (x: number) => [0xfd, 0x0c, ...new Uint8Array(Float64Array.of(x, x).buffer)];
  const vloadAt = (off: number) => [0xfd, 0x00, 0, ...uleb(off)];
  const splat64 = (off: number) => [0xfd, 0x0a, 0, ...uleb(off)]; // v128.load64_splat
  const gt = [0xfd, 0x4a]; // f64x2.gt
  const bitselect = [0xfd, 0x52];
  const step: number[] = [];
  for (let j = 0; j < 4; j++) step.push(...vconst(-Infinity), ...set(10 + j), ...vconst(0), ...set(14 + j));
  for (let k = 0; k < 7; k++) {
    step.push(...get(9), ...splat64(8 * k), ...set(18));
    for (let j = 0; j < 4; j++) {
      step.push(...get(18), ...get(2), ...vloadAt(64 * (k + 1) + 16 * j), ...fadd, ...tee(19));
      step.push(...get(10 + j), ...gt, ...set(20));
      step.push(...get(19), ...get(10 + j), ...get(20), ...bitselect, ...set(10 + j));
      step.push(...vconst(k), ...get(14 + j), ...get(20), ...bitselect, ...set(14 + j));
    }
  }
  for (let j = 0; j < 4; j++) {
    step.push(...get(7), ...get(10 + j), ...get(6), ...vloadAt(16 * j), ...fadd, ...vstore(16 * j));
    step.push(...get(8), ...get(14 + j), ...vstore(16 * j));
  }
  const first: number[] = [];
  for (let j = 0; j < 4; j++)
    first.push(
      ...get(3),
      ...get(0),
      ...vloadAt(16 * j),
      ...get(2),
      ...vloadAt(16 * j),
      ...fadd,
      ...vstore(16 * j),
    );
  const next = (local: number) => [...get(local), ...i32(56), ADD, ...set(local)];
  const vbody = [
    ...[2, 5, 0x7f, 11, 0x7b],
    ...first,
    ...[...i32(1), ...set(5), ...get(3), ...set(9)],
    ...[...get(0), ...set(6), ...get(3), ...set(7), ...get(4), ...set(8)],
    ...[...next(6), ...next(7), ...next(8)],
    ...[0x02, 0x40, 0x03, 0x40], // block, loop over tokens 1 .. n - 1
    ...[...get(5), ...get(1), GE_S, 0x0d, 1],
    ...step,
    ...[...get(7), ...set(9), ...next(6), ...next(7), ...next(8)],
    ...[...get(5), ...i32(1), ADD, ...set(5)],
    ...[0x0c, 0, 0x0b, 0x0b, 0x0b],
  ];
  return wasmModule({
    type: [1, 0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0], // (i32 x 5) -> ()
    funcs: [2, 0, 0],
    exports: [3, 1, 0x66, 0, 0, 1, 0x76, 0, 1, 1, 0x6d, 2, 0], // "f", "v" (functions), "m" (memory)
    bodies: [body, vbody],
  });
})();

let emit7Module: object | null | undefined;

/** The 7-tag emission kernel and Viterbi over one weight table (see EMIT7_WASM). */
export class Emit7Wasm {
  /** Emissions of the last runs: 7 per token, token i's at 7i (a view of the module's memory). */
  emit = new Float64Array(0);
  private flat = new Int32Array(0);
  private score = new Float64Array(0);
  private back = new Float64Array(0);
  private readonly trOff: number;
  private readonly flatOff: number;
  private emitOff = 0;
  private scoreOff = 0;
  private backOff = 0;
  private tokens = -1;

  private constructor(
    private readonly memory: WasmMemory,
    private readonly kernel: (flat: number, n: number, F: number, weights: number, out: number) => void,
    private readonly forward: (emit: number, n: number, tr: number, score: number, back: number) => void,
    tableBytes: number,
  ) {
    this.trOff = tableBytes;
    this.flatOff = tableBytes + 512;
  }

  /**
   * A kernel over 7-tag weights (feature-major, 7 per feature) and transitions (the start scores, then 7 x 7),
   * or null without WebAssembly SIMD.
   */
  static create(weights: Float32Array, transitions: Float32Array): Emit7Wasm | null {
    if (emit7Module === undefined) emit7Module = compileWasm(EMIT7_WASM);
    if (!emit7Module || weights.length % 7 !== 0 || transitions.length < 56) return null;
    const exports = instantiateWasm(emit7Module);
    const memory = exports.m as WasmMemory;
    const rows = weights.length / 7;
    const tableBytes = rows * 32;
    memory.grow(Math.ceil((tableBytes + 512) / 65536));
    const w8 = new Float32Array(memory.buffer, 0, rows * 8);
    for (let r = 0; r < rows; r++) w8.set(weights.subarray(r * 7, r * 7 + 7), r * 8);
    // Transitions widened to float64 (exact), 8 rows of 8.
    const tr = new Float64Array(memory.buffer, tableBytes, 64);
    for (let r = 0; r < 8; r++) for (let t = 0; t < 7; t++) tr[r * 8 + t] = transitions[r * 7 + t]!;
    return new Emit7Wasm(
      memory,
      exports.f as Emit7Wasm["kernel"],
      exports.v as Emit7Wasm["forward"],
      tableBytes,
    );
  }

  /**
   * Room for `need` features of `tokens` tokens: returns the int32 view docFeatures writes them into (valid
   * until the next reserve) and makes `emit` hold 7 emissions per token.
   */
  reserve(need: number, tokens: number): Int32Array {
    if (this.flat.length >= need && tokens <= this.tokens && this.emit.buffer === this.memory.buffer)
      return this.flat;
    const cap = Math.max(need, this.flat.length * 2);
    const rows = Math.max(tokens, this.tokens * 2, 1);
    // emit, score and back: 7 float64 per token plus the slot a row's last 16-byte store runs into.
    const bytes = (rows * 7 + 2) * 8;
    const emitOff = (this.flatOff + cap * 4 + 15) & ~15;
    const end = emitOff + 3 * bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / 65536));
    const buffer = this.memory.buffer;
    this.flat = new Int32Array(buffer, this.flatOff, cap);
    this.emitOff = emitOff;
    this.scoreOff = emitOff + bytes;
    this.backOff = emitOff + 2 * bytes;
    this.emit = new Float64Array(buffer, this.emitOff, rows * 7 + 2);
    this.score = new Float64Array(buffer, this.scoreOff, rows * 7 + 2);
    this.back = new Float64Array(buffer, this.backOff, rows * 7 + 2);
    this.tokens = rows;
    return this.flat;
  }

  /** Emissions of tokens [a, a + n) (their features at `a * F` of the reserved view) into emit[7a, 7(a + n)). */
  run(a: number, n: number, F: number): void {
    this.kernel(this.flatOff + a * F * 4, n, F, 0, this.emitOff + a * 56);
  }

  /** viterbi7 over the emissions of tokens [a, a + n), tags to out[a ...]: the same path, ties included. */
  decode(n: number, out: Uint8Array, a: number): void {
    if (n <= 0) return;
    this.forward(this.emitOff + a * 56, n, this.trOff, this.scoreOff, this.backOff);
    backtrack7(this.score, this.back, n, out, a);
  }
}
