// Dense word vectors learned from unlabelled text, for small neural models: positive PMI of word × positioned
// context (±1, ±2 within a sentence) with context-distribution smoothing, then a seeded randomized SVD (Levy,
// Goldberg & Dagan 2015) — the construction of the shared word classes (`ppmiSvdVectors` in word-clusters.ts),
// keeping the vectors themselves. Stored as int8 with one scale per word, so 25k × 64 fits in ~1.6 MB before gzip.
import { ppmiSvdVectors, type CooccurrenceCorpus, type PpmiSvdOptions } from "./word-clusters.js";

export type WordVectorOptions = PpmiSvdOptions;

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

/** PPMI + randomized SVD vectors for the corpus' most frequent words. */
export function trainWordVectors(
  corpus: CooccurrenceCorpus,
  options: Partial<WordVectorOptions> = {},
  log: (m: string) => void = () => {},
): WordVectors {
  const o = { ...DEFAULT_WORD_VECTOR_OPTIONS, ...options };
  const { vocab, dim, vectors } = ppmiSvdVectors(corpus, o, log, "word vectors");
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
