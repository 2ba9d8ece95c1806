// Shipped models are gzipped JSON; typed arrays inside are stored as base64 (sparse when mostly zero).
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { modelsDir } from "../util/paths.js";

type Encoded =
  | { $f32: string; n: number }
  | { $f32sparse: { idx: string; val: string }; n: number }
  | { $i32: string; n: number };

function b64(a: ArrayBufferView): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
}

function encode(_key: string, value: unknown): unknown {
  if (value instanceof Float32Array) {
    let nz = 0;
    for (let i = 0; i < value.length; i++) if (value[i] !== 0) nz++;
    if (nz * 2 < value.length) {
      const idx = new Int32Array(nz);
      const val = new Float32Array(nz);
      let k = 0;
      for (let i = 0; i < value.length; i++)
        if (value[i] !== 0) {
          idx[k] = i;
          val[k++] = value[i]!;
        }
      return { $f32sparse: { idx: b64(idx), val: b64(val) }, n: value.length } satisfies Encoded;
    }
    return { $f32: b64(value), n: value.length } satisfies Encoded;
  }
  if (value instanceof Int32Array) return { $i32: b64(value), n: value.length } satisfies Encoded;
  if (value instanceof Float64Array) return Array.from(value);
  return value;
}

function fromB64<T extends Float32Array | Int32Array>(s: string, Ctor: { new (b: ArrayBuffer): T }): T {
  const buf = Buffer.from(s, "base64");
  const copy = new ArrayBuffer(buf.byteLength);
  new Uint8Array(copy).set(buf);
  return new Ctor(copy);
}

function decode(_key: string, value: unknown): unknown {
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (typeof v.$f32 === "string") return fromB64(v.$f32, Float32Array);
    if (typeof v.$i32 === "string") return fromB64(v.$i32, Int32Array);
    if (v.$f32sparse && typeof v.n === "number") {
      const sp = v.$f32sparse as { idx: string; val: string };
      const idx = fromB64(sp.idx, Int32Array);
      const val = fromB64(sp.val, Float32Array);
      const out = new Float32Array(v.n);
      for (let i = 0; i < idx.length; i++) out[idx[i]!] = val[i]!;
      return out;
    }
  }
  return value;
}

/** Writes a model object (may hold typed arrays) as gzipped JSON. */
export function saveModel(path: string, model: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, gzipSync(JSON.stringify(model, encode), { level: 9 }));
}

export function loadModel<T>(path: string): T {
  let text: string;
  try {
    text = gunzipSync(readFileSync(path)).toString("utf8");
  } catch (err) {
    // Name the file: zlib's own "incorrect header check" does not say which input was wrong.
    const why =
      (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "not a gzipped model file";
    throw new Error(`cannot load model ${path}: ${why}`);
  }
  return JSON.parse(text, decode) as T;
}

/** Path of a shipped model file: models/<task>/<file>. */
export function shippedModelPath(task: string, file = "model.json.gz"): string {
  return join(modelsDir(), task, file);
}

/** Loads a shipped model, with a clear message when it was never trained. */
export function loadShippedModel<T>(task: string, file = "model.json.gz"): T {
  const p = shippedModelPath(task, file);
  if (!existsSync(p))
    throw new Error(`model for "${task}" not found at ${p}: run \`claimscope train ${task}\``);
  return loadModel<T>(p);
}
