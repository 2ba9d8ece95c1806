// Token features for the attribution tagger, computed over our own Doc tokenisation. Every template
// emits exactly one hashed index per token (a "none" value when it does not apply), so a document's
// features are one flat Int32Array of count * FEATURES_PER_TOKEN, viewed per token without copying.
import { normTypes, type Doc } from "../../../doc/doc.js";
import { murmur3 } from "../../../learn/hashing.js";
import { POS } from "../../../nlp/wink.js";
import type { ClusterSource } from "../../../learn/word-clusters.js";

/** Number of feature templates; a model uses a subset of them (one hashed index per template per token). */
export const TEMPLATE_COUNT = 62;
/** The 45 templates of the first models (0–44); 45 and 46 are the lemma cue-lexicon templates. */
export const ALL_TEMPLATES: readonly number[] = Array.from({ length: 45 }, (_, i) => i);
/** Cue-lexicon bucket of the lemma (x POS; and the buckets of the lemmas at -1, 0, +1): "encouraging" ~ "encourage". */
export const LEMMA_TEMPLATES: readonly number[] = [45, 46];
/**
 * Template 47: the token lies in the complement of an earlier cue of its sentence (a strong cue word, then
 * "that", a colon or an opening quote before the token), x its cue bucket x POS. PolNeAR is univocal: a cue
 * word there ("he says he raised") is mostly content of the outer attribution.
 */
export const COMPLEMENT_TEMPLATES: readonly number[] = [47];
/**
 * Template 48: distance (bucketed) to the previous strong cue word of the sentence, not counting the token
 * itself, x its cue bucket x complement flag: whether a cue word has another cue before it.
 */
export const PREV_CUE_TEMPLATES: readonly number[] = [48];
/**
 * Templates 49–61: distributional word clusters (models/word-clusters, three granularities g0 < g1 < g2):
 * the token's cluster at each granularity (49–51), the neighbours' at g1 (52, 53), cluster x POS (54), the
 * coarse cluster bigram (55), cluster x quote state (56), the ±2 neighbours at g0 (57, 58), the nearest cue
 * word's cluster x side (59), the neighbours' clusters x the token's cue bucket (60, 61). Rare cue words
 * ("slammed", "hinted") share the evidence of frequent ones in their cluster.
 */
export const CLUSTER_TEMPLATES: readonly number[] = [49, 50, 51, 52, 53, 54, 59, 60, 61];
/** The other cluster templates: measured, not better (see the model card, round 4). */
export const CLUSTER_TEMPLATES_2: readonly number[] = [55, 56, 57, 58];
/**
 * The lean set (measured on PolNeAR dev to lose little against all 45, at ~2/3 of the cost): drops
 * W-2, W+2, the cased form, suffix-2, POS-2/+2, cue-bucket of the neighbours, bare quote state,
 * bare cue distance, bare entity flag, bare sentence position, W-1 x cue and the lemma.
 */
export const LEAN_TEMPLATES: readonly number[] = ALL_TEMPLATES.filter(
  (t) => ![4, 5, 8, 10, 15, 16, 21, 22, 24, 28, 31, 33, 39, 42].includes(t),
);
/** Leaner still: also drops the single POS templates and POS bigrams (the trigram stays), d x entity, q x d and sentence-end. */
export const LEAN2_TEMPLATES: readonly number[] = LEAN_TEMPLATES.filter(
  (t) => ![12, 13, 14, 17, 18, 27, 30, 34].includes(t),
);

export const TEMPLATE_SETS = {
  all: ALL_TEMPLATES,
  lean: LEAN_TEMPLATES,
  lean2: LEAN2_TEMPLATES,
  "lean+lemma": [...LEAN_TEMPLATES, ...LEMMA_TEMPLATES],
  "all+lemma": [...ALL_TEMPLATES, ...LEMMA_TEMPLATES],
  "lean+comp": [...LEAN_TEMPLATES, ...COMPLEMENT_TEMPLATES],
  "lean+lemma+comp": [...LEAN_TEMPLATES, ...LEMMA_TEMPLATES, ...COMPLEMENT_TEMPLATES],
  "all+lemma+comp": [...ALL_TEMPLATES, ...LEMMA_TEMPLATES, ...COMPLEMENT_TEMPLATES],
  "all+lemma+comp+prev": [
    ...ALL_TEMPLATES,
    ...LEMMA_TEMPLATES,
    ...COMPLEMENT_TEMPLATES,
    ...PREV_CUE_TEMPLATES,
  ],
  "all+lemma+comp+clu": [...ALL_TEMPLATES, ...LEMMA_TEMPLATES, ...COMPLEMENT_TEMPLATES, ...CLUSTER_TEMPLATES],
  "all+lemma+comp+clu2": [
    ...ALL_TEMPLATES,
    ...LEMMA_TEMPLATES,
    ...COMPLEMENT_TEMPLATES,
    ...CLUSTER_TEMPLATES,
    ...CLUSTER_TEMPLATES_2,
  ],
} as const;
export type TemplateSet = keyof typeof TEMPLATE_SETS;

/** Whether a template list reads word clusters. */
export function usesClusters(templates: readonly number[]): boolean {
  return templates.some((t) => t >= 49 && t <= 61);
}

/** The (at most) three coarsest levels of a cluster lookup, coarse to fine: what templates 49–61 read. */
export function clusterLevels(c: ClusterSource): number[] {
  return c.granularities
    .map((g, level) => ({ g, level }))
    .sort((a, b) => a.g - b.g)
    .slice(0, 3)
    .map((x) => x.level);
}

/** The granularities the templates read, coarse to fine (stored with a model to check the cluster file). */
export function clusterGranularities(c: ClusterSource): number[] {
  return clusterLevels(c).map((l) => c.granularities[l]!);
}

/** Cue-lexicon buckets: 0 = not a cue word; 1..4 = rising share of training occurrences inside a Cue span. */
export type CueLexicon = Record<string, number>;

/** A word counts as "a cue" for distance features at this bucket or above. */
export const CUE_BUCKET_STRONG = 2;

/** Buckets a word's cue ratio (cue occurrences / all occurrences in train). */
export function cueBucket(ratio: number): number {
  if (ratio >= 0.6) return 4;
  if (ratio >= 0.3) return 3;
  if (ratio >= 0.1) return 2;
  if (ratio > 0.02) return 1;
  return 0;
}

/** Derives the cue lexicon from training texts: norm -> bucket, for words seen >= minCount times in cues. */
export function buildCueLexicon(
  cueCounts: Map<string, number>,
  allCounts: Map<string, number>,
  minCount = 3,
): CueLexicon {
  const lex: CueLexicon = {};
  for (const [w, c] of [...cueCounts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (c < minCount) continue;
    const b = cueBucket(c / (allCounts.get(w) ?? c));
    if (b > 0) lex[w] = b;
  }
  return lex;
}

/** Signed 32 bits (every use masks it or stores it in a 32-bit array): no heap number when a call is not inlined. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x27d4eb2d, 0x9e3779b1) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const NONE = 0x5bd1e995;
const PROPN = POS.PROPN;
const PUNCT = POS.PUNCT;

/** Quote state of each token (over normalised norms, so “ ” and " are alike). */
export const QS_OUTSIDE = 0;
export const QS_INSIDE = 1;
export const QS_OPEN = 2;
export const QS_CLOSE = 3;
/** Outside, after a quote closed earlier in the same sentence ("“…,” said X"). */
export const QS_AFTER_QUOTE = 4;
/** Outside, before a quote opening later in the same sentence ("X said: “…”"). */
export const QS_BEFORE_QUOTE = 5;

/**
 * Quote states for tokens [a, b) of one paragraph: a quote mark toggles inside/outside, and every
 * paragraph starts outside (a quote continued in a new paragraph reopens with its own mark).
 */
export function quoteStates(doc: Doc, out: Uint8Array): void {
  const { norm, sentence, count } = doc.tokens;
  let inside = false;
  let para = -1;
  for (let i = 0; i < count; i++) {
    const p = doc.sentences[sentence[i]!]!.paragraph;
    if (p !== para) {
      para = p;
      inside = false;
    }
    const w = norm[i]!;
    if (w === '"' || w === "``" || w === "''") {
      out[i] = inside ? QS_CLOSE : QS_OPEN;
      inside = !inside;
    } else out[i] = inside ? QS_INSIDE : QS_OUTSIDE;
  }
  // Outside tokens: after a closed quote / before an opening quote in the same sentence.
  for (const s of doc.sentences) {
    let seenClose = false;
    for (let i = s.tokStart; i < s.tokEnd; i++) {
      if (out[i] === QS_CLOSE) seenClose = true;
      else if (out[i] === QS_OUTSIDE && seenClose) out[i] = QS_AFTER_QUOTE;
    }
    let seenOpen = false;
    for (let i = s.tokEnd - 1; i >= s.tokStart; i--) {
      if (out[i] === QS_OPEN) seenOpen = true;
      else if (out[i] === QS_OUTSIDE && seenOpen) out[i] = QS_BEFORE_QUOTE;
    }
  }
}

function distBucket(d: number): number {
  // d = cue position - token position; 99 = no cue in the sentence
  if (d === 99) return 99;
  const a = d < 0 ? -d : d;
  const b = a <= 3 ? a : a <= 6 ? 4 : a <= 12 ? 5 : 6;
  return d < 0 ? -b : b;
}

function posBucket(k: number): number {
  return k <= 2 ? k : k <= 5 ? 3 : k <= 10 ? 4 : 5;
}

export interface DocFeatures {
  /** count * FEATURES_PER_TOKEN hashed indices, already masked to the model's dim. */
  flat: Int32Array;
  /** Cue-lexicon bucket per token. */
  cue: Uint8Array;
  /** Quote state per token. */
  quote: Uint8Array;
}

/** A crude lemma: strips -ing, -ed, -es, -s from longer words ("says"/"saying" -> "say"). */
export function lemmaish(w: string): string {
  if (w.length > 5 && w.endsWith("ing")) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith("ed")) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith("es")) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.slice(0, -1);
  return w;
}

/**
 * Per-norm hashes (word, suffix-3, suffix-2, lemma), a barrier flag (that , " :) and the cue-lexicon bucket,
 * computed once per word and (lexicon, lemma lexicon) pair and kept by process-wide word id (see perWordTable):
 * `normKeyFor` names the table of a pair. A string-keyed cache beside it only held a second copy (~40 MB of heap
 * in a long-running worker).
 */
const normKeys = new WeakMap<CueLexicon, WeakMap<CueLexicon, object>>();
const NO_LEMMA_LEXICON: CueLexicon = {};

function normKeyFor(lexicon: CueLexicon, lemmaLexicon: CueLexicon): object {
  let byLemma = normKeys.get(lexicon);
  if (!byLemma) normKeys.set(lexicon, (byLemma = new WeakMap()));
  let k = byLemma.get(lemmaLexicon);
  if (!k) byLemma.set(lemmaLexicon, (k = {}));
  return k;
}

/** Writes word w's 7 numbers at v[at..at+6]. */
function normInfo(
  lexicon: CueLexicon,
  lemmaLexicon: CueLexicon,
  w: string,
  v: Uint32Array,
  at: number,
): void {
  v[at] = murmur3(w);
  v[at + 1] = w.length > 3 ? murmur3(w.slice(-3), 3) : NONE;
  v[at + 2] = w.length > 2 ? murmur3(w.slice(-2), 2) : NONE;
  v[at + 3] = murmur3(lemmaish(w), 4);
  v[at + 4] = w === "that" || w === "," || w === '"' || w === ":" || w === "``" || w === "''" ? 1 : 0;
  v[at + 5] = Object.prototype.hasOwnProperty.call(lexicon, w) ? lexicon[w]! : 0;
  const lw = lemmaish(w);
  v[at + 6] = Object.prototype.hasOwnProperty.call(lemmaLexicon, lw) ? lemmaLexicon[lw]! : 0;
}

/**
 * A per-word table of `width` numbers per process-wide word id (see normTypes), filled lazily and reset when
 * the word ids are (generation): word features and word classes are computed once per word, not per token.
 */
interface PerWordTable<A extends Uint32Array | Int32Array> {
  generation: number;
  data: A;
  have: Uint8Array;
}

function perWordTable<K extends object, A extends Uint32Array | Int32Array>(
  tables: WeakMap<K, PerWordTable<A>>,
  key: K,
  generation: number,
  ids: Int32Array,
  width: number,
  make: (n: number) => A,
): PerWordTable<A> {
  let c = tables.get(key);
  if (!c || c.generation !== generation) {
    c = { generation, data: make(0), have: new Uint8Array(0) };
    tables.set(key, c);
  }
  let max = -1;
  for (let k = 0; k < ids.length; k++) if (ids[k]! > max) max = ids[k]!;
  if (max >= c.have.length) {
    const size = Math.max(max + 1, c.have.length * 2, 1024);
    const data = make(size * width);
    data.set(c.data);
    const have = new Uint8Array(size);
    have.set(c.have);
    c.data = data;
    c.have = have;
  }
  return c;
}

/** Word info (7 numbers per word id) per (lexicon, lemma lexicon) key (normKeyFor). */
const idCaches = new WeakMap<object, PerWordTable<Uint32Array>>();
/** Cluster ids (3 per word id, -1 = unknown) per lookup. */
const clusterCaches = new WeakMap<ClusterSource, PerWordTable<Int32Array>>();

/** How each template's index is hashed: 0 = mix(t, A), 1 = mix(mix(t, A), B), 2 = A is already the hash. */
const KIND = new Uint8Array(TEMPLATE_COUNT);
for (const t of [6, 7, 26, 37, 39, 44]) KIND[t] = 1;
for (const t of [40, 41, 43]) KIND[t] = 2;
/** Per-token template values (A, B) before hashing. */
const tA = new Uint32Array(TEMPLATE_COUNT);
const tB = new Uint32Array(TEMPLATE_COUNT);

/**
 * Reusable per-token scratch arrays (grown on demand). docFeatures takes them into local constants: a
 * module-level variable would be reloaded on every access in its hot loops.
 */
let cap = 0;
const buf = {
  W: new Uint32Array(0),
  cased: new Uint32Array(0),
  suf3: new Uint32Array(0),
  suf2: new Uint32Array(0),
  shape: new Uint32Array(0),
  ent: new Uint8Array(0),
  dist: new Int8Array(0),
  sentPos: new Uint8Array(0),
  sentEnd: new Uint8Array(0),
  sentFlags: new Uint8Array(0),
  paraOf: new Int32Array(0),
  lemma: new Uint32Array(0),
  barrier: new Uint8Array(0),
  leftCue: new Int32Array(0),
  rightCue: new Int32Array(0),
  lemmaCue: new Uint8Array(0),
  inComp: new Uint8Array(0),
  /** Cluster ids per token at the three granularities (-1 = unknown word). */
  cl0: new Int32Array(0),
  cl1: new Int32Array(0),
  cl2: new Int32Array(0),
};
/** normInfo of each distinct word of the current document, 7 per word. */
let infoBuf = new Uint32Array(0);

function ensure(n: number): void {
  if (n <= cap) return;
  cap = Math.max(n, cap * 2, 1024);
  buf.W = new Uint32Array(cap);
  buf.cased = new Uint32Array(cap);
  buf.suf3 = new Uint32Array(cap);
  buf.suf2 = new Uint32Array(cap);
  buf.shape = new Uint32Array(cap);
  buf.ent = new Uint8Array(cap);
  buf.dist = new Int8Array(cap);
  buf.sentPos = new Uint8Array(cap);
  buf.sentEnd = new Uint8Array(cap);
  buf.sentFlags = new Uint8Array(cap);
  buf.paraOf = new Int32Array(cap);
  buf.lemma = new Uint32Array(cap);
  buf.barrier = new Uint8Array(cap);
  buf.leftCue = new Int32Array(cap);
  buf.rightCue = new Int32Array(cap);
  buf.lemmaCue = new Uint8Array(cap);
  buf.inComp = new Uint8Array(cap);
  buf.cl0 = new Int32Array(cap);
  buf.cl1 = new Int32Array(cap);
  buf.cl2 = new Int32Array(cap);
}

/** Hash of the POS tags of tokens [a, b] plus whether a barrier (that , " :) lies strictly inside; 4 tokens at most. */
function posPath(pos: Uint8Array, barrier: Uint8Array, a: number, b: number, tid: number): number {
  if (b - a > 3) return mix(tid, 7777);
  let h = mix(tid, b - a);
  let bar = 0;
  for (let j = a; j <= b; j++) {
    h = mix(h, pos[j]!);
    if (j > a && j < b && barrier[j]) bar = 1;
  }
  return mix(h, bar);
}

/** Hashes of the surface form (cased) and of its shape, straight from the char codes (no slicing). */
function surfaceHashes(
  text: string,
  a: number,
  b: number,
  i: number,
  cased: Uint32Array,
  shape: Uint32Array,
): void {
  let h = 0x811c9dc5;
  let sh = 0x811c9dc5;
  let last = -1;
  let len = 0;
  for (let c = a; c < b; c++) {
    const code = text.charCodeAt(c);
    h = Math.imul(h ^ code, 16777619);
    const k =
      code >= 65 && code <= 90 ? 88 : code >= 97 && code <= 122 ? 120 : code >= 48 && code <= 57 ? 100 : code;
    if (k !== last && len < 5) {
      sh = Math.imul(sh ^ k, 16777619);
      len++;
    }
    last = k;
  }
  cased[i] = h >>> 0;
  shape[i] = sh >>> 0;
}

/** Per-token views of tokens [a, b) (for training with SequenceTagger). */
export function tokenViews(flat: Int32Array, F: number, a: number, b: number): Int32Array[] {
  const out: Int32Array[] = [];
  for (let i = a; i < b; i++) out.push(flat.subarray(i * F, i * F + F));
  return out;
}

/** What docFeatures needs to know of a template list: which are on, and each hash kind's templates and slots. */
interface TemplatePlan {
  /** The list as planned (a caller's array could change after). */
  list: Int32Array;
  on: Uint8Array;
  /**
   * The kind-0 templates as runs of consecutive template ids in consecutive slots: run r covers templates
   * runK[r] .. runK[r] + runLen[r] - 1 at slots runJ[r] ... (no per-template index loads in the hot loop).
   */
  runJ: Int32Array;
  runK: Int32Array;
  runLen: Int32Array;
  j1: Int32Array;
  k1: Int32Array;
  j2: Int32Array;
  k2: Int32Array;
}

/** One plan per template list (a model passes the same list for every document). */
const templatePlans = new WeakMap<readonly number[], TemplatePlan>();

function templatePlan(templates: readonly number[]): TemplatePlan {
  let plan = templatePlans.get(templates);
  if (plan && plan.list.length === templates.length && plan.list.every((t, j) => t === templates[j]))
    return plan;
  const on = new Uint8Array(TEMPLATE_COUNT);
  for (const t of templates) on[t] = 1;
  // The templates of each hash kind (KIND) with their slots in a token's row.
  const byKind = [0, 1, 2].map((kind) => {
    const js = templates.flatMap((t, j) => ((KIND[t] ?? 0) === kind ? [j] : []));
    return { j: Int32Array.from(js), k: Int32Array.from(js, (j) => templates[j]!) };
  });
  const j0 = byKind[0]!.j;
  const k0 = byKind[0]!.k;
  const runJ: number[] = [];
  const runK: number[] = [];
  const runLen: number[] = [];
  for (let x = 0; x < j0.length; x++) {
    const r = runJ.length - 1;
    if (r >= 0 && j0[x] === runJ[r]! + runLen[r]! && k0[x] === runK[r]! + runLen[r]!) runLen[r]!++;
    else {
      runJ.push(j0[x]!);
      runK.push(k0[x]!);
      runLen.push(1);
    }
  }
  plan = {
    list: Int32Array.from(templates),
    on,
    runJ: Int32Array.from(runJ),
    runK: Int32Array.from(runK),
    runLen: Int32Array.from(runLen),
    j1: byKind[1]!.j,
    k1: byKind[1]!.k,
    j2: byKind[2]!.j,
    k2: byKind[2]!.k,
  };
  templatePlans.set(templates, plan);
  return plan;
}

/**
 * Computes the hashed features (the given templates, in order) of every token of the Doc. `lemmaLexicon`
 * (cue buckets of lemmas) feeds templates 45 and 46 only.
 */
export function docFeatures(
  doc: Doc,
  lexicon: CueLexicon,
  bits: number,
  templates: readonly number[] = ALL_TEMPLATES,
  lemmaLexicon: CueLexicon = NO_LEMMA_LEXICON,
  /** Where to write the flat features when large enough (the result's `flat` is then a view of it). */
  scratch?: Int32Array,
  /** Word clusters for templates 49–61 (without them those templates read "unknown word"). */
  clusters?: ClusterSource | null,
): DocFeatures {
  const F = templates.length;
  const { on, runJ, runK, runLen, j1, k1, j2, k2 } = templatePlan(templates);
  const nRuns = runJ.length;
  const n1 = j1.length;
  const n2 = j2.length;
  const normKey = normKeyFor(lexicon, lemmaLexicon);
  const n = doc.tokens.count;
  const { norm, pos, sentence, start, end } = doc.tokens;
  const mask = (1 << bits) - 1;
  const text = doc.text;
  ensure(n);
  const { W, cased, suf3, suf2, shape, ent, dist, sentPos, sentEnd, sentFlags, paraOf, lemma, barrier } = buf;
  const { leftCue, rightCue, lemmaCue, inComp, cl0, cl1, cl2 } = buf;
  const cue = new Uint8Array(n);
  const quote = new Uint8Array(n);
  // One cache lookup per distinct word of the document, not per token.
  const { types, typeOf, vocabId, generation } = normTypes(doc);
  const U = types.length;
  if (infoBuf.length < U * 7) infoBuf = new Uint32Array(Math.max(U * 7, infoBuf.length * 2));
  const infos = infoBuf;
  // normInfo by process-wide word id: no string lookup for words met in earlier documents.
  const byId = perWordTable(idCaches, normKey, generation, vocabId, 7, (n) => new Uint32Array(n));
  for (let t = 0; t < U; t++) {
    const id = vocabId[t]!;
    if (!byId.have[id]) {
      normInfo(lexicon, lemmaLexicon, types[t]!, byId.data, id * 7);
      byId.have[id] = 1;
    }
    // An element loop: a subarray per word (an allocation) and set() cost more than copying 7 numbers.
    const data = byId.data;
    for (let k = 0; k < 7; k++) infos[t * 7 + k] = data[id * 7 + k]!;
  }
  const clusterTemplates = usesClusters(templates);
  const withClusters = clusters && clusterTemplates ? clusters : null;
  if (withClusters) {
    const cc = perWordTable(clusterCaches, withClusters, generation, vocabId, 3, (n) => new Int32Array(n));
    const levels = clusterLevels(withClusters);
    for (let t = 0; t < U; t++) {
      const id = vocabId[t]!;
      if (!cc.have[id]) {
        const ids = withClusters.idsOf(withClusters.key(types[t]!));
        for (let g = 0; g < 3; g++) cc.data[id * 3 + g] = ids && g < levels.length ? ids[levels[g]!]! : -1;
        cc.have[id] = 1;
      }
    }
    for (let i = 0; i < n; i++) {
      const o = vocabId[typeOf[i]!]! * 3;
      cl0[i] = cc.data[o]!;
      cl1[i] = cc.data[o + 1]!;
      cl2[i] = cc.data[o + 2]!;
    }
  } else {
    cl0.fill(-1, 0, n);
    cl1.fill(-1, 0, n);
    cl2.fill(-1, 0, n);
  }
  for (let i = 0; i < n; i++) {
    const o = typeOf[i]! * 7;
    W[i] = infos[o]!;
    suf3[i] = infos[o + 1]!;
    suf2[i] = infos[o + 2]!;
    lemma[i] = infos[o + 3]!;
    barrier[i] = infos[o + 4]!;
    surfaceHashes(text, start[i]!, end[i]!, i, cased, shape);
    cue[i] = infos[o + 5]!;
    lemmaCue[i] = infos[o + 6]!;
    const c0 = text.charCodeAt(start[i]!);
    ent[i] = pos[i] === PROPN && c0 >= 65 && c0 <= 90 ? 1 : 0;
    paraOf[i] = doc.sentences[sentence[i]!]!.paragraph;
  }
  quoteStates(doc, quote);
  let prevPara = -1;
  for (const s of doc.sentences) {
    const paraStart = s.paragraph !== prevPara ? 1 : 0;
    prevPara = s.paragraph;
    // Forward over the sentence: whether it holds a cue word (bucket >= 3) or a quote, the distance to the
    // nearest strong cue word before each token, that cue word, and the complement flag (a strong cue word,
    // then "that" / ":" / an opening quote before the token).
    let hasCue = 0;
    let hasQuote = 0;
    let last = -1;
    let seenCue = 0;
    let comp = 0;
    for (let i = s.tokStart; i < s.tokEnd; i++) {
      const c = cue[i]!;
      const qs = quote[i]!;
      if (c >= 3) hasCue = 1;
      if (qs === QS_OPEN || qs === QS_CLOSE || qs === QS_INSIDE) hasQuote = 1;
      leftCue[i] = last;
      inComp[i] = comp;
      if (c >= CUE_BUCKET_STRONG) {
        last = i;
        seenCue = 1;
      } else if (seenCue && (norm[i] === "that" || norm[i] === ":" || qs === QS_OPEN)) comp = 1;
      dist[i] = last < 0 ? 99 : distBucket(last - i);
    }
    const flags = paraStart | (hasCue << 1) | (hasQuote << 2);
    // Backward: the nearest strong cue word after (or at) each token wins when nearer; the one after it.
    last = -1;
    for (let i = s.tokEnd - 1; i >= s.tokStart; i--) {
      rightCue[i] = last;
      if (cue[i]! >= CUE_BUCKET_STRONG) last = i;
      if (last >= 0) {
        const d = distBucket(last - i);
        const cur = dist[i]!;
        if (cur === 99 || Math.abs(d) < Math.abs(cur)) dist[i] = d;
      }
    }
    let lastWord = s.tokEnd - 1;
    while (lastWord > s.tokStart && pos[lastWord] === PUNCT) lastWord--;
    for (let i = s.tokStart; i < s.tokEnd; i++) {
      sentPos[i] = posBucket(i - s.tokStart);
      sentEnd[i] = i > lastWord ? 9 : posBucket(lastWord - i);
      sentFlags[i] = flags | (i === s.tokStart && paraStart ? 8 : 0);
    }
  }
  const flat = scratch && scratch.length >= n * F ? scratch.subarray(0, n * F) : new Int32Array(n * F);
  for (let i = 0; i < n; i++) {
    const para = paraOf[i]!;
    const hasM1 = i >= 1 && paraOf[i - 1] === para;
    const hasM2 = hasM1 && i >= 2 && paraOf[i - 2] === para;
    const hasP1 = i + 1 < n && paraOf[i + 1] === para;
    const hasP2 = hasP1 && i + 2 < n && paraOf[i + 2] === para;
    const wm1 = hasM1 ? W[i - 1]! : NONE;
    const wm2 = hasM2 ? W[i - 2]! : NONE + 1;
    const wp1 = hasP1 ? W[i + 1]! : NONE + 2;
    const wp2 = hasP2 ? W[i + 2]! : NONE + 3;
    const p0 = pos[i]!;
    const pm1 = hasM1 ? pos[i - 1]! : 100;
    const pm2 = hasM2 ? pos[i - 2]! : 101;
    const pp1 = hasP1 ? pos[i + 1]! : 102;
    const pp2 = hasP2 ? pos[i + 2]! : 103;
    const c0 = cue[i]!;
    const cm1 = hasM1 ? cue[i - 1]! : 9;
    const cp1 = hasP1 ? cue[i + 1]! : 9;
    const e0 = ent[i]!;
    const em1 = hasM1 ? ent[i - 1]! : 2;
    const ep1 = hasP1 ? ent[i + 1]! : 2;
    const q = quote[i]!;
    const d = dist[i]! + 128;
    const w0 = W[i]!;
    const fl = sentFlags[i]!;
    const A = tA;
    const B = tB;
    A[0] = 1;
    A[1] = w0;
    A[2] = wm1;
    A[3] = wp1;
    A[4] = wm2;
    A[5] = wp2;
    A[6] = wm1;
    B[6] = w0;
    A[7] = w0;
    B[7] = wp1;
    A[8] = cased[i]!;
    A[9] = suf3[i]!;
    A[10] = suf2[i]!;
    A[11] = shape[i]!;
    A[12] = p0;
    A[13] = pm1;
    A[14] = pp1;
    A[15] = pm2;
    A[16] = pp2;
    A[17] = pm1 * 256 + p0;
    A[18] = p0 * 256 + pp1;
    A[19] = (pm1 * 256 + p0) * 256 + pp1;
    A[20] = c0;
    A[21] = cm1;
    A[22] = cp1;
    A[23] = c0 * 256 + p0;
    A[24] = q;
    A[25] = q * 256 + p0;
    A[26] = q;
    B[26] = w0;
    A[27] = q * 256 + d;
    A[28] = d;
    A[29] = d * 256 + p0;
    A[30] = d * 4 + e0;
    A[31] = e0;
    A[32] = (em1 * 4 + e0) * 4 + ep1;
    A[33] = sentPos[i]!;
    A[34] = sentEnd[i]!;
    A[35] = fl * 16 + q;
    A[36] = (fl & 1) * 16 + sentPos[i]!;
    A[37] = d;
    B[37] = w0;
    A[38] = cm1 * 16 + c0 * 4 + (hasP1 ? Math.min(cp1, 3) : 3);
    A[39] = wm1;
    B[39] = c0;
    const lcI = leftCue[i]!;
    const rcI = rightCue[i]!;
    if (on[40]) A[40] = lcI >= 0 ? posPath(pos, barrier, lcI, i, 40) : mix(40, 8888);
    if (on[41]) A[41] = rcI >= 0 ? posPath(pos, barrier, i, rcI, 41) : mix(41, 8888);
    A[42] = lemma[i]!;
    const near = lcI < 0 ? rcI : rcI < 0 ? lcI : i - lcI <= rcI - i ? lcI : rcI;
    if (on[43]) A[43] = near >= 0 ? mix(mix(43, W[near]!), near < i ? 1 : 2) : mix(43, 8888);
    A[44] = wp1;
    B[44] = c0;
    const l0 = lemmaCue[i]!;
    A[45] = l0 * 256 + p0;
    A[46] = ((hasM1 ? lemmaCue[i - 1]! : 9) * 16 + l0) * 16 + (hasP1 ? lemmaCue[i + 1]! : 9);
    A[47] = (inComp[i]! * 256 + c0) * 256 + p0;
    A[48] = ((lcI >= 0 ? posBucket(i - lcI) : 9) * 16 + c0) * 4 + inComp[i]!;
    if (withClusters) {
      const k0 = cl0[i]! + 1;
      const k1 = cl1[i]! + 1;
      const km1 = hasM1 ? cl1[i - 1]! + 1 : 1 << 20;
      const kp1 = hasP1 ? cl1[i + 1]! + 1 : 1 << 21;
      A[49] = k0;
      A[50] = k1;
      A[51] = cl2[i]! + 1;
      A[52] = km1;
      A[53] = kp1;
      A[54] = k1 * 256 + p0;
      A[55] = (hasM1 ? cl0[i - 1]! + 1 : 4095) * 4096 + k0;
      A[56] = k1 * 16 + q;
      A[57] = hasM2 ? cl0[i - 2]! + 1 : 1 << 20;
      A[58] = hasP2 ? cl0[i + 2]! + 1 : 1 << 20;
      A[59] = near >= 0 ? (cl1[near]! + 1) * 4 + (near < i ? 1 : 2) : 1 << 24;
      A[60] = km1 * 16 + c0;
      A[61] = kp1 * 16 + c0;
    } else if (clusterTemplates) for (let k = 49; k <= 61; k++) A[k] = 0;
    // One loop per hash kind (no branch per template); each writes its templates' slots of the token's row.
    const o = i * F;
    for (let r = 0; r < nRuns; r++) {
      const shift = o + runJ[r]! - runK[r]!;
      for (let k = runK[r]!, e = k + runLen[r]!; k < e; k++) flat[shift + k] = mix(k, A[k]!) & mask;
    }
    for (let x = 0; x < n1; x++) {
      const k = k1[x]!;
      flat[o + j1[x]!] = mix(mix(k, A[k]!), B[k]!) & mask;
    }
    for (let x = 0; x < n2; x++) flat[o + j2[x]!] = A[k2[x]!]! & mask;
  }
  return { flat, cue, quote };
}
