// Dense word vectors learned from unlabelled text, for small neural models: positive PMI of word × positioned
// context (±1, ±2 within a sentence) with context-distribution smoothing, then a seeded randomized SVD (Levy,
// Goldberg & Dagan 2015) — the same construction as the shared word classes (word-clusters.ts), but keeping the
// vectors themselves. Stored as int8 with one scale per word, so 25k × 64 fits in ~1.6 MB before gzip.
import { randomizedSvd, type Csr } from "./linalg.js";
import { normalizeRows } from "./kmeans.js";
import type { CooccurrenceCorpus } from "./word-clusters.js";

export interface WordVectorOptions {
  maxWords: number;
  minCount: number;
  contextWords: number;
  dim: number;
  eigenPower: number;
  contextAlpha: number;
  seed: number;
}

export const DEFAULT_WORD_VECTOR_OPTIONS: WordVectorOptions = {
  maxWords: 25000,
  minCount: 5,
  contextWords: 2500,
  dim: 64,
  eigenPower: 0.5,
  contextAlpha: 0.75,
  seed: 7,
};

/** Float word vectors (unit length, row-major words × dim), most frequent word first. */
export interface WordVectors {
  words: string[];
  dim: number;
  vectors: Float32Array;
}

/** The vectors in a compact serialisable form: int8 codes (base64) and one scale per word. */
export interface QuantizedVectorsJSON {
  words: string[];
  dim: number;
  /** words × dim int8 codes, base64 (model-io stores Float32/Int32 arrays only). */
  codes: string;
  scales: Float32Array;
}

const OFFSETS = [-2, -1, 1, 2] as const;

/** PPMI + randomized SVD vectors for the corpus' most frequent words. */
export function trainWordVectors(
  corpus: CooccurrenceCorpus,
  options: Partial<WordVectorOptions> = {},
  log: (m: string) => void = () => {},
): WordVectors {
  const o = { ...DEFAULT_WORD_VECTOR_OPTIONS, ...options };
  const byFreq = corpus.types
    .map((_, id) => id)
    .sort((a, b) => corpus.count(b) - corpus.count(a) || (corpus.types[a]! < corpus.types[b]! ? -1 : 1));
  const vocab = byFreq.filter((id) => corpus.count(id) >= o.minCount).slice(0, o.maxWords);
  const V = vocab.length;
  const C = Math.min(o.contextWords, byFreq.length);
  const rowOf = new Int32Array(corpus.types.length).fill(-1);
  vocab.forEach((id, r) => (rowOf[id] = r));
  const ctxOf = new Int32Array(corpus.types.length).fill(-1);
  for (let c = 0; c < C; c++) ctxOf[byFreq[c]!] = c;
  const F = OFFSETS.length * C;
  const stream = corpus.ids();
  let nPairs = 0;
  for (let i = 0; i < stream.length; i++)
    if (stream[i]! >= 0 && rowOf[stream[i]!]! >= 0) nPairs += OFFSETS.length;
  let codes = new Uint32Array(nPairs);
  let m = 0;
  for (let i = 0; i < stream.length; i++) {
    const t = stream[i]!;
    if (t < 0) continue;
    const r = rowOf[t]!;
    if (r < 0) continue;
    for (let p = 0; p < OFFSETS.length; p++) {
      const j = i + OFFSETS[p]!;
      if (j < 0 || j >= stream.length) continue;
      if (OFFSETS[p]! === 2 && stream[i + 1] === -1) continue;
      if (OFFSETS[p]! === -2 && stream[i - 1] === -1) continue;
      const u = stream[j]!;
      if (u < 0) continue;
      const c = ctxOf[u]!;
      if (c < 0) continue;
      codes[m++] = r * F + p * C + c;
    }
  }
  codes = codes.subarray(0, m).sort();
  const indptr = new Int32Array(V + 1);
  const indices = new Int32Array(m);
  const raw = new Float64Array(m);
  let nnz = 0;
  const rowSum = new Float64Array(V);
  const colSum = new Float64Array(F);
  for (let i = 0; i < m;) {
    const code = codes[i]!;
    let j = i;
    while (j < m && codes[j] === code) j++;
    const r = Math.floor(code / F);
    const f = code - r * F;
    indptr[r + 1]++;
    indices[nnz] = f;
    raw[nnz++] = j - i;
    rowSum[r] += j - i;
    colSum[f] += j - i;
    i = j;
  }
  for (let r = 0; r < V; r++) indptr[r + 1] += indptr[r]!;
  let z = 0;
  const colPow = new Float64Array(F);
  for (let f = 0; f < F; f++) z += colPow[f] = colSum[f]! ** o.contextAlpha;
  const values = new Float32Array(nnz);
  for (let r = 0; r < V; r++)
    for (let p = indptr[r]!; p < indptr[r + 1]!; p++) {
      const pmi = Math.log((raw[p]! * z) / (rowSum[r]! * colPow[indices[p]!]!));
      values[p] = pmi > 0 ? pmi : 0;
    }
  const ppmi: Csr = { rows: V, cols: F, indptr, indices: indices.slice(0, nnz), values };
  log(`word vectors: PPMI ${V} × ${F}, ${nnz} non-zeros; SVD to ${o.dim} dimensions`);
  const { u, s } = randomizedSvd(ppmi, o.dim, { oversample: 20, powerIterations: 2, seed: o.seed });
  const dim = s.length;
  const vectors = new Float32Array(V * dim);
  for (let r = 0; r < V; r++)
    for (let d = 0; d < dim; d++) vectors[r * dim + d] = u[r * dim + d]! * s[d]! ** o.eigenPower;
  normalizeRows(vectors, V, dim);
  return { words: vocab.map((id) => corpus.types[id]!), dim, vectors };
}

/** int8 codes with a per-word scale (max |x| / 127). */
export function quantizeVectors(v: WordVectors): QuantizedVectorsJSON {
  const n = v.words.length;
  const codes = new Int8Array(n * v.dim);
  const scales = new Float32Array(n);
  for (let w = 0; w < n; w++) {
    let mx = 0;
    for (let d = 0; d < v.dim; d++) mx = Math.max(mx, Math.abs(v.vectors[w * v.dim + d]!));
    const sc = mx > 0 ? mx / 127 : 1;
    scales[w] = sc;
    for (let d = 0; d < v.dim; d++) codes[w * v.dim + d] = Math.round(v.vectors[w * v.dim + d]! / sc);
  }
  return {
    words: v.words,
    dim: v.dim,
    codes: Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength).toString("base64"),
    scales,
  };
}

/** Float vectors back from their int8 form (the values a model trained on quantized vectors sees). */
export function dequantizeVectors(q: QuantizedVectorsJSON): WordVectors {
  const n = q.words.length;
  const buf = Buffer.from(q.codes, "base64");
  const codes = new Int8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  if (codes.length !== n * q.dim) throw new Error(`word vectors: ${codes.length} codes for ${n} × ${q.dim}`);
  const vectors = new Float32Array(n * q.dim);
  for (let w = 0; w < n; w++)
    for (let d = 0; d < q.dim; d++) vectors[w * q.dim + d] = codes[w * q.dim + d]! * q.scales[w]!;
  return { words: q.words, dim: q.dim, vectors };
}
