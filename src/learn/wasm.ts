// What the hand-assembled WebAssembly SIMD kernels share (the attribution tagger's emission sums and Viterbi, the
// text CNN's max-pooling): LEB128 encoding, the module layout, and compiling with a fallback to the JS loops where
// WebAssembly or its SIMD is missing.

/** The part of the WebAssembly API used here (the project's TS lib has no WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const o: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    o.push(b);
  } while (n);
  return o;
}

/** Signed LEB128. */
export function sleb(v: number): number[] {
  const o: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      o.push(b);
      return o;
    }
    o.push(b | 0x80);
  }
}

/**
 * A module of functions sharing one memory: `type` is the type section's content, `funcs` the function section's
 * (type indices), `exports` the export section's, `bodies` each function's body (locals and code, without its
 * size). Memory starts at one page.
 */
export function wasmModule(parts: {
  type: number[];
  funcs: number[];
  exports: number[];
  bodies: number[][];
}): Uint8Array {
  const section = (id: number, c: number[]) => [id, ...uleb(c.length), ...c];
  const code = [parts.bodies.length, ...parts.bodies.flatMap((b) => [...uleb(b.length), ...b])];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, parts.type),
    ...section(3, parts.funcs),
    ...section(5, [1, 0, 1]),
    ...section(7, parts.exports),
    ...section(10, code),
  ]);
}

/** Compiles (and so validates) a module; null where WebAssembly or an instruction it uses (SIMD) is missing. */
export function compileWasm(bytes: Uint8Array): object | null {
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    return wasm ? new wasm.Module(bytes) : null;
  } catch {
    return null;
  }
}

/** A fresh instance of a compiled module: its exports (functions and the memory "m"). */
export function instantiateWasm(mod: object): Record<string, unknown> {
  return new (globalThis as { WebAssembly?: WasmApi }).WebAssembly!.Instance(mod).exports;
}
