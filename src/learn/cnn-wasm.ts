// A WebAssembly SIMD kernel for the text CNN's max-pooling over windows of widths 2 and 3 (cnn.ts,
// WordProjections): per window, the words' cached per-offset filter responses are added four filters at a time
// (f32x4) and max-pooled. Assembled here from its instructions (no toolchain), as the attribution tagger's kernels
// are. It sums in float32 where the JS loop sums in float64, so results agree to ~1e-6, not bit for bit; where
// WebAssembly or its SIMD is missing, WordProjections keeps the JS loop.

import { compileWasm, instantiateWasm, sleb, uleb, wasmModule, type WasmMemory } from "./wasm.js";

/**
 * k(offs, q1, out) for F = 4·J filters per width. Memory: each word's block of 80·J float32 — width 2 offsets 0
 * and 1, then width 3 offsets 0, 1, 2, each F floats — at the byte offset offs[q] names (the zero block at 0 pads
 * the sentence: pad 2). Window q of width 3 (q = 0 … q1 − 1) adds offsets 0, 1, 2 of words q, q + 1, q + 2;
 * window q of width 2 (q ≥ 1) offsets 0, 1 of words q, q + 1. Writes the maxima: width 2's F floats, then width 3's.
 */
function kernelBytes(J: number): Uint8Array {
  const F4 = 16 * J; // bytes of F float32
  const get = (i: number) => [0x20, ...uleb(i)];
  const set = (i: number) => [0x21, ...uleb(i)];
  const i32 = (v: number) => [0x41, ...sleb(v)];
  const ADD = 0x6a;
  const GE_S = 0x4e;
  const load32 = (off: number) => [0x28, 2, ...uleb(off)];
  const vload = (off: number) => [0xfd, 0x00, 0, ...uleb(off)];
  const vstore = (off: number) => [0xfd, 0x0b, 0, ...uleb(off)];
  const fadd = [0xfd, 0xe4, 0x01]; // f32x4.add
  const fmax = [0xfd, 0xe9, 0x01]; // f32x4.max
  const negInf = [
    0xfd,
    0x0c,
    ...new Uint8Array(Float32Array.of(-Infinity, -Infinity, -Infinity, -Infinity).buffer),
  ];
  // params 0 offs, 1 q1, 2 out; locals 3 q, 4 a, 5 b, 6 c, 7 p; v128 8 … 8+J−1 width-2 maxima, 8+J … 8+2J−1 width 3.
  const M2 = 8;
  const M3 = 8 + J;
  const w3 = (): number[] => {
    const o: number[] = [];
    for (let j = 0; j < J; j++)
      o.push(
        ...get(M3 + j),
        ...get(4),
        ...vload(2 * F4 + 16 * j),
        ...get(5),
        ...vload(3 * F4 + 16 * j),
        ...fadd,
        ...get(6),
        ...vload(4 * F4 + 16 * j),
        ...fadd,
        ...fmax,
        ...set(M3 + j),
      );
    return o;
  };
  const w2 = (): number[] => {
    const o: number[] = [];
    for (let j = 0; j < J; j++)
      o.push(
        ...get(M2 + j),
        ...get(4),
        ...vload(16 * j),
        ...get(5),
        ...vload(F4 + 16 * j),
        ...fadd,
        ...fmax,
        ...set(M2 + j),
      );
    return o;
  };
  const loadWords = [
    ...[...get(7), ...load32(0), ...set(4)],
    ...[...get(7), ...load32(4), ...set(5)],
    ...[...get(7), ...load32(8), ...set(6)],
  ];
  const body: number[] = [2, 5, 0x7f, ...uleb(2 * J), 0x7b];
  for (let j = 0; j < 2 * J; j++) body.push(...negInf, ...set(M2 + j));
  body.push(...get(0), ...set(7), ...loadWords, ...w3()); // window 0: width 3 only
  body.push(...get(0), ...i32(4), ADD, ...set(7), ...i32(1), ...set(3));
  body.push(0x02, 0x40, 0x03, 0x40); // block, loop over windows 1 … q1 − 1
  body.push(...get(3), ...get(1), GE_S, 0x0d, 1);
  body.push(...loadWords, ...w3(), ...w2());
  body.push(...get(7), ...i32(4), ADD, ...set(7), ...get(3), ...i32(1), ADD, ...set(3));
  body.push(0x0c, 0, 0x0b, 0x0b);
  for (let j = 0; j < J; j++) body.push(...get(2), ...get(M2 + j), ...vstore(16 * j));
  for (let j = 0; j < J; j++) body.push(...get(2), ...get(M3 + j), ...vstore(F4 + 16 * j));
  body.push(0x0b);
  return wasmModule({
    type: [1, 0x60, 3, 0x7f, 0x7f, 0x7f, 0], // (i32 x 3) -> ()
    funcs: [1, 0],
    exports: [2, 1, 0x6b, 0, 0, 1, 0x6d, 2, 0], // "k" (function), "m" (memory)
    bodies: [body],
  });
}

const modules = new Map<number, object | null>();

/** Max-pooling of widths 2 and 3 over a word-block pool held in WebAssembly memory. */
export class Widths23Wasm {
  /** The pool: `blocks` word blocks of 5·F float32 (block 0 zeros), a view of the module's memory. */
  readonly pool: Float32Array;
  private offs: Int32Array;
  private readonly out: Float32Array;

  private constructor(
    private readonly kernel: (offs: number, q1: number, out: number) => void,
    memory: WasmMemory,
    private readonly F: number,
    blocks: number,
    private readonly maxWindows: number,
  ) {
    const poolBytes = blocks * 5 * F * 4;
    const offsAt = (poolBytes + 15) & ~15;
    const outAt = (offsAt + 4 * (maxWindows + 4) + 15) & ~15;
    const end = outAt + 2 * F * 4;
    const have = memory.buffer.byteLength;
    if (end > have) memory.grow(Math.ceil((end - have) / 65536));
    this.pool = new Float32Array(memory.buffer, 0, blocks * 5 * F);
    this.offs = new Int32Array(memory.buffer, offsAt, maxWindows + 4);
    this.out = new Float32Array(memory.buffer, outAt, 2 * F);
  }

  /** A kernel for F filters per width (a multiple of 4) and `blocks` word blocks, or null without SIMD. */
  static create(F: number, blocks: number, maxWindows = 4096): Widths23Wasm | null {
    if (F % 4 !== 0 || F <= 0) return null;
    let mod = modules.get(F);
    if (mod === undefined) {
      mod = compileWasm(kernelBytes(F / 4));
      modules.set(F, mod);
    }
    if (!mod) return null;
    const exports = instantiateWasm(mod);
    return new Widths23Wasm(
      exports.k as Widths23Wasm["kernel"],
      exports.m as WasmMemory,
      F,
      blocks,
      maxWindows,
    );
  }

  /** Room for the padded word offsets of a sentence with `windows` windows, or null when it is too long. */
  offsets(windows: number): Int32Array | null {
    return windows + 2 <= this.maxWindows ? this.offs : null;
  }

  /**
   * Max-pooled sums: `offs[0 … q1 + 1]` hold the pool float offsets of the padded words; returns the view of
   * width 2's then width 3's F maxima (valid until the next call).
   */
  run(q1: number): Float32Array {
    const offs = this.offs;
    // Float offsets to byte offsets.
    for (let i = 0; i < q1 + 2; i++) offs[i] = offs[i]! << 2;
    this.kernel(offs.byteOffset, q1, this.out.byteOffset);
    return this.out;
  }

  get filters(): number {
    return this.F;
  }
}
