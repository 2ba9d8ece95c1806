// Distributional word classes learned from unlabelled text, for sparse models trained on small labelled sets:
// a word never seen in training still shares a class with words that were ("hinted" with "suggested").
// Method (Levy, Goldberg & Dagan 2015 for the vectors; Turian et al. 2010 for classes as tagger features):
// position-specific neighbour counts → positive PMI with smoothed context probabilities → randomized SVD →
// spherical k-means at several granularities (like Brown-cluster prefixes, but not nested).
import { existsSync } from "node:fs";
import { randomizedSvd, type Csr } from "./linalg.js";
import { normalizeRows, sphericalKMeans } from "./kmeans.js";
import { fmix32 } from "./hashing.js";
import { loadModel, shippedModelPath } from "./model-io.js";

export interface WordClustersJSON {
  kind: "word-clusters";
  version: 1;
  /** Number of classes per level, finest first. */
  granularities: number[];
  /** Class keys (see clusterKey), most frequent first. */
  words: string[];
  /** Row-major words × levels: ids[w * levels + l] is the class of word w at level l. */
  ids: Int32Array;
  meta: Record<string, unknown>;
}

/** The lookup key of a token's normal form: digits are folded to 0 so that numbers share classes by shape. */
export function clusterKey(norm: string): string {
  return /\d/.test(norm) ? norm.replace(/\d/g, "0") : norm;
}

/** What a model needs of word classes (WordClusters, or a small stand-in in tests). */
export interface ClusterSource {
  readonly granularities: readonly number[];
  /** Lookup key of a word (lower-cased, digits folded). */
  key(word: string): string;
  /** One class id per granularity, or null for a word outside the vocabulary. */
  idsOf(key: string): Int32Array | null;
}

/** Common words whose class ids identify a classes file: a model checks it reads the classes it was trained on. */
const FINGERPRINT_WORDS =
  "the said government president people would police year about attack war claimed because however fake news terrible great evil must never".split(
    " ",
  );

function mix(t: number, a: number, b = 0): number {
  return fmix32(Math.imul(t + 1, 0x9e3779b1) ^ a ^ Math.imul(b + 0x165667b1, 0x27d4eb2f));
}

/**
 * A hash of the granularities and of a few common words' class ids. Models that use the classes store it and
 * refuse other classes at load time (a retrained classes file renumbers the classes).
 */
export function clusterFingerprint(src: ClusterSource): number {
  let h = mix(999, src.granularities.length);
  for (const g of src.granularities) h = mix(998, h, g);
  for (const w of FINGERPRINT_WORDS) {
    const ids = src.idsOf(src.key(w));
    if (ids) for (const id of ids) h = mix(997, h, id);
    else h = mix(996, h);
  }
  return h;
}

export class WordClusters implements ClusterSource {
  readonly granularities: readonly number[];
  private readonly index = new Map<string, number>();

  constructor(private readonly json: WordClustersJSON) {
    if (json.kind !== "word-clusters" || json.version !== 1)
      throw new Error(
        `not a word-clusters file (kind ${String(json.kind)}, version ${String(json.version)})`,
      );
    this.granularities = json.granularities;
    json.words.forEach((w, i) => this.index.set(w, i));
  }

  get size(): number {
    return this.json.words.length;
  }

  /** The lookup key for a token's normal form. */
  key(norm: string): string {
    return clusterKey(norm);
  }

  /** The classes of a key at every level (finest first), or null for a word outside the vocabulary. */
  idsOf(key: string): Int32Array | null {
    const w = this.index.get(key);
    if (w === undefined) return null;
    const g = this.granularities.length;
    return this.json.ids.subarray(w * g, w * g + g);
  }

  /** The class of a key at one level, or -1 for a word outside the vocabulary. */
  idOf(key: string, level: number): number {
    const w = this.index.get(key);
    return w === undefined ? -1 : this.json.ids[w * this.granularities.length + level]!;
  }

  /** The words of a class at a level, most frequent first (for inspection and model cards). */
  members(level: number, id: number, limit = 20): string[] {
    const out: string[] = [];
    const g = this.granularities.length;
    for (let w = 0; w < this.json.words.length && out.length < limit; w++)
      if (this.json.ids[w * g + level] === id) out.push(this.json.words[w]!);
    return out;
  }

  toJSON(): WordClustersJSON {
    return this.json;
  }
}

const cache = new Map<string, WordClusters>();

/** Loads word classes (the shipped file unless a path is given), once per process. */
export function loadWordClusters(path = shippedModelPath("word-clusters", "clusters.json.gz")): WordClusters {
  let wc = cache.get(path);
  if (!wc) {
    if (!existsSync(path))
      throw new Error(`word clusters not found at ${path}: run \`claimscope train word-clusters\``);
    wc = new WordClusters(loadModel<WordClustersJSON>(path));
    cache.set(path, wc);
  }
  return wc;
}

/** What the PPMI + SVD construction of word vectors needs (`ppmiSvdVectors`). */
export interface PpmiSvdOptions {
  /** Largest vocabulary that gets vectors (most frequent words first). */
  maxWords: number;
  /** A word needs at least this many occurrences to get a vector. */
  minCount: number;
  /** The most frequent words serve as contexts, each at positions −2, −1, +1, +2. */
  contextWords: number;
  /** Dimensions kept by the SVD. */
  dim: number;
  /** Singular values are raised to this power when forming vectors (0.5 per Levy et al.). */
  eigenPower: number;
  /** Context-distribution smoothing exponent for PMI (0.75 per Levy et al.). */
  contextAlpha: number;
  seed: number;
}

export interface WordClusterOptions extends PpmiSvdOptions {
  /** Classes per level, finest first, e.g. [1000, 250, 50]. */
  granularities: number[];
  kmeansIterations: number;
}

export const DEFAULT_WORD_CLUSTER_OPTIONS: WordClusterOptions = {
  maxWords: 40000,
  minCount: 8,
  contextWords: 2500,
  dim: 100,
  eigenPower: 0.5,
  contextAlpha: 0.75,
  granularities: [1000, 250, 50],
  kmeansIterations: 15,
  seed: 7,
};

const OFFSETS = [-2, -1, 1, 2] as const;

/** Collects token streams (keys from clusterKey) as integer ids; segments never share a context window. */
export class CooccurrenceCorpus {
  private readonly typeIds = new Map<string, number>();
  readonly types: string[] = [];
  private counts = new Float64Array(1 << 16);
  private stream = new Int32Array(1 << 20);
  private length = 0;
  tokens = 0;

  addSegment(keys: readonly string[]): void {
    if (keys.length === 0) return;
    this.reserve(keys.length + 1);
    for (const k of keys) {
      let id = this.typeIds.get(k);
      if (id === undefined) {
        id = this.types.length;
        this.typeIds.set(k, id);
        this.types.push(k);
        if (id >= this.counts.length) {
          const grown = new Float64Array(this.counts.length * 2);
          grown.set(this.counts);
          this.counts = grown;
        }
      }
      this.counts[id]++;
      this.stream[this.length++] = id;
    }
    this.stream[this.length++] = -1;
    this.tokens += keys.length;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.stream.length) return;
    let size = this.stream.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Int32Array(size);
    grown.set(this.stream.subarray(0, this.length));
    this.stream = grown;
  }

  count(typeId: number): number {
    return this.counts[typeId]!;
  }

  /** The token stream: type ids with −1 between segments. */
  ids(): Int32Array {
    return this.stream.subarray(0, this.length);
  }
}

/** Unit-length word vectors (row-major vocabulary × dim) of the corpus' most frequent words. */
export interface PpmiSvdVectors {
  /** Corpus type ids of the rows, most frequent first. */
  vocab: number[];
  dim: number;
  vectors: Float32Array;
  contexts: number;
  nonZeros: number;
}

/**
 * Word vectors by positive PMI of word × positioned context (±1, ±2 within a segment) with smoothed context
 * probabilities, reduced by a seeded randomized SVD (Levy, Goldberg & Dagan 2015). Shared by the word classes
 * and the dense vectors of src/learn/word-vectors.ts. `minWords`: fail early when the vocabulary is smaller.
 */
export function ppmiSvdVectors(
  corpus: CooccurrenceCorpus,
  o: PpmiSvdOptions,
  log: (m: string) => void,
  label: string,
  minWords = 0,
): PpmiSvdVectors {
  const byFreq = corpus.types
    .map((_, id) => id)
    .sort((a, b) => corpus.count(b) - corpus.count(a) || (corpus.types[a]! < corpus.types[b]! ? -1 : 1));
  const vocab = byFreq.filter((id) => corpus.count(id) >= o.minCount).slice(0, o.maxWords);
  const V = vocab.length;
  const C = Math.min(o.contextWords, byFreq.length);
  if (V < minWords) throw new Error(`${label}: only ${V} words for ${minWords} classes`);
  const rowOf = new Int32Array(corpus.types.length).fill(-1);
  vocab.forEach((id, r) => (rowOf[id] = r));
  const ctxOf = new Int32Array(corpus.types.length).fill(-1);
  for (let c = 0; c < C; c++) ctxOf[byFreq[c]!] = c;
  const F = OFFSETS.length * C;

  // Every (word, position, context) pair as one integer code; sorting them turns counting into run lengths.
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
      // A window must not reach over a segment break.
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
  log(`${label}: ${corpus.tokens} tokens, ${V} words, ${F} contexts, ${m} context pairs`);

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
  log(`${label}: PPMI matrix ${V} × ${F}, ${nnz} non-zeros; SVD to ${o.dim} dimensions`);

  const { u, s } = randomizedSvd(ppmi, o.dim, { oversample: 20, powerIterations: 2, seed: o.seed });
  const dim = s.length;
  const vectors = new Float32Array(V * dim);
  for (let r = 0; r < V; r++)
    for (let d = 0; d < dim; d++) vectors[r * dim + d] = u[r * dim + d]! * s[d]! ** o.eigenPower;
  normalizeRows(vectors, V, dim);
  return { vocab, dim, vectors, contexts: F, nonZeros: nnz };
}

/** Learns word classes at each granularity from a corpus. `log` receives progress lines. */
export function trainWordClusters(
  corpus: CooccurrenceCorpus,
  options: Partial<WordClusterOptions> = {},
  log: (m: string) => void = () => {},
): WordClustersJSON {
  const o = { ...DEFAULT_WORD_CLUSTER_OPTIONS, ...options };
  const most = Math.max(...o.granularities);
  const { vocab, dim, vectors, contexts, nonZeros } = ppmiSvdVectors(corpus, o, log, "word clusters", most);
  const V = vocab.length;

  // Each level clusters the word vectors directly: clustering the finer centroids instead (nested classes)
  // merged punctuation with speech verbs at 250 classes, because a centroid hides how spread its words are.
  const levels = o.granularities.length;
  const ids = new Int32Array(V * levels);
  for (let l = 0; l < levels; l++) {
    const k = o.granularities[l]!;
    const km = sphericalKMeans(vectors, V, dim, k, { iterations: o.kmeansIterations, seed: o.seed + l });
    log(`word clusters: level ${l}: ${k} classes (${km.iterations} k-means iterations)`);
    for (let w = 0; w < V; w++) ids[w * levels + l] = km.assign[w]!;
  }
  return {
    kind: "word-clusters",
    version: 1,
    granularities: o.granularities,
    words: vocab.map((id) => corpus.types[id]!),
    ids,
    meta: { tokens: corpus.tokens, contexts, nonZeros, options: o },
  };
}
