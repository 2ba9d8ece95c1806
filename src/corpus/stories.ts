// Incremental story clustering: each new article becomes a TF-IDF vector over its key terms and
// entities (IDF from the corpus seen so far); it joins the story whose centroid is most similar,
// discounted by the gap between publication dates, when that similarity reaches the threshold, or
// opens a new story.
import type { TermCounts } from "./features.js";

export interface StoryState {
  id: number;
  title: string;
  first: string | null;
  last: string | null;
  n: number;
  /** Sum of member vectors (truncated to the strongest CENTROID_TERMS terms). */
  centroid: Map<string, number>;
  /** Publishing domains of the members (first MAX_SOURCES). */
  sources?: Set<string>;
}

export interface Assignment {
  /** The story to join, or null to open a new one. */
  storyId: number | null;
  similarity: number;
}

export interface ClusterOptions {
  /** Minimum date-discounted cosine to join a story. */
  threshold?: number;
  /** Days between an article and a story's date range before the similarity is discounted. */
  graceDays?: number;
  /**
   * Threshold for joining a story whose articles all come from the article's own site: pages of one site
   * share navigation, boilerplate and house style, which inflate their similarity.
   */
  sameSiteThreshold?: number;
  /** Strongest terms kept in an article's vector (default VECTOR_TERMS). */
  vectorTerms?: number;
  /** Strongest terms kept in a story's centroid (default CENTROID_TERMS). */
  centroidTerms?: number;
  /** Weight of entity terms ("e:…") relative to words (default ENTITY_WEIGHT). */
  entityWeight?: number;
}

// Tuned on the FNC-1 training bodies grouped by Emergent claim (docs/stories-eval.md): 60 vector terms
// and entity terms at half a word's weight (their names' proper nouns already count twice in docTerms)
// beat 40 and 1.5 on both halves of the training ids; the threshold stayed at 0.3.
export const VECTOR_TERMS = 60;
export const CENTROID_TERMS = 80;
export const ENTITY_WEIGHT = 0.5;
const PROBE_TERMS = 12;
const MAX_POSTING = 400;
const DAY = 86_400_000;

export const DEFAULT_THRESHOLD = 0.3;
export const DEFAULT_SAME_SITE_THRESHOLD = 0.5;
const MAX_SOURCES = 20;

/**
 * A story as the clusterer holds it: the centroid as parallel typed arrays of term ids and weights, in
 * the order a Map would keep them (first insertion), so that a corpus of 10,000 stories costs ~10 MB
 * rather than ~35 MB of Map entries and per-story copies of the term strings.
 */
interface HeldStory {
  id: number;
  title: string;
  first: string | null;
  last: string | null;
  n: number;
  ids: Int32Array;
  ws: Float64Array;
  /** Squared L2 norm of the centroid, NaN when it must be recomputed. */
  norm2: number;
  sources: Set<string>;
}

export class StoryClusterer {
  /** term -> id; `names[id]` is the term and `dfs[id]` its document frequency. */
  private readonly termIds = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly dfs: number[] = [];
  private n = 0;
  readonly stories = new Map<number, HeldStory>();
  /**
   * term id -> the distinct stories whose centroid has (or had) it, in first-indexed order. A list longer than
   * MAX_POSTING is never probed, so it stops growing at MAX_POSTING + 1: the lists of common words (thousands of
   * stories each) were most of the main thread's heap on a large corpus.
   */
  private readonly postings = new Map<number, number[]>();
  private readonly threshold: number;
  private readonly graceDays: number;
  private readonly sameSite: number;
  private readonly vectorTerms: number;
  private readonly centroidTerms: number;
  private readonly entityWeight: number;

  constructor(opts: ClusterOptions = {}) {
    this.threshold = opts.threshold ?? DEFAULT_THRESHOLD;
    this.vectorTerms = opts.vectorTerms ?? VECTOR_TERMS;
    this.centroidTerms = opts.centroidTerms ?? CENTROID_TERMS;
    this.entityWeight = opts.entityWeight ?? ENTITY_WEIGHT;
    this.sameSite = opts.sameSiteThreshold ?? DEFAULT_SAME_SITE_THRESHOLD;
    this.graceDays = opts.graceDays ?? 3;
  }

  get documents(): number {
    return this.n;
  }

  private termId(t: string): number {
    let id = this.termIds.get(t);
    if (id === undefined) {
      id = this.names.length;
      this.termIds.set(t, id);
      this.names.push(t);
      this.dfs.push(0);
    }
    return id;
  }

  private df(t: string): number {
    const id = this.termIds.get(t);
    return id === undefined ? 0 : this.dfs[id]!;
  }

  /** Counts an article's terms in the document frequencies (call once per stored article). */
  observe(terms: TermCounts): void {
    this.n++;
    for (const t in terms) this.dfs[this.termId(t)]!++;
  }

  /** Restores a stored story. */
  restore(story: StoryState): void {
    const size = story.centroid.size;
    const s: HeldStory = {
      id: story.id,
      title: story.title,
      first: story.first,
      last: story.last,
      n: story.n,
      ids: new Int32Array(size),
      ws: new Float64Array(size),
      norm2: NaN,
      sources: story.sources ?? new Set(),
    };
    let k = 0;
    for (const [t, w] of story.centroid) {
      s.ids[k] = this.termId(t);
      s.ws[k++] = w;
    }
    this.stories.set(s.id, s);
    this.index(s);
  }

  /** The article's L2-normalised TF-IDF vector over its strongest terms. */
  vector(terms: TermCounts): Map<string, number> {
    const n = this.n;
    const weighted: [string, number][] = [];
    for (const t in terms) {
      const tf = terms[t]!;
      const idf = Math.log((n + 1) / (this.df(t) + 1)) + 1;
      weighted.push([t, (1 + Math.log(tf)) * idf * (t.startsWith("e:") ? this.entityWeight : 1)]);
    }
    weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const top = weighted.slice(0, this.vectorTerms);
    let norm = 0;
    for (const [, w] of top) norm += w * w;
    norm = Math.sqrt(norm) || 1;
    return new Map(top.map(([t, w]) => [t, w / norm]));
  }

  /** Chooses the story for an article (does not change state: call join/open after). */
  assign(vec: Map<string, number>, published: string | null, source: string | null = null): Assignment {
    const candidates = new Set<number>();
    let probed = 0;
    // Probe with the rarer strong terms: their postings are short and specific to an event.
    const probes = [...vec.entries()].sort((a, b) => this.df(a[0]) - this.df(b[0]) || b[1] - a[1]);
    for (const [t] of probes) {
      const id = this.termIds.get(t);
      const list = id === undefined ? undefined : this.postings.get(id);
      // Terms only this article has (df 1) reach no story; very common ones reach too many.
      if (!list || list.length > MAX_POSTING) continue;
      for (const sid of list) candidates.add(sid);
      if (++probed >= PROBE_TERMS) break;
    }
    let best: Assignment = { storyId: null, similarity: 0 };
    if (candidates.size === 0) return best;
    // The article's terms by id -> position in `vec`; products are summed in `vec` order, as before.
    const pos = new Map<number, number>();
    const vw: number[] = [];
    for (const [t, w] of vec) {
      const id = this.termIds.get(t);
      if (id !== undefined) pos.set(id, vw.length);
      vw.push(w);
    }
    const prod = new Float64Array(vw.length);
    const hit = new Uint8Array(vw.length);
    const date = parseDate(published);
    for (const id of candidates) {
      const s = this.stories.get(id)!;
      prod.fill(0);
      hit.fill(0);
      for (let k = 0; k < s.ids.length; k++) {
        const p = pos.get(s.ids[k]!);
        if (p !== undefined) {
          prod[p] = vw[p]! * s.ws[k]!;
          hit[p] = 1;
        }
      }
      let dot = 0;
      for (let p = 0; p < vw.length; p++) if (hit[p]) dot += prod[p]!;
      const norm = centroidNorm2(s);
      let sim = norm > 0 ? dot / Math.sqrt(norm) : 0;
      sim *= this.dateFactor(date, parseDate(s.first), parseDate(s.last));
      const onlySameSite = source !== null && s.sources.size === 1 && s.sources.has(source);
      if (sim < (onlySameSite ? this.sameSite : this.threshold)) continue;
      if (sim > best.similarity || (sim === best.similarity && best.storyId !== null && id < best.storyId)) {
        best = { storyId: id, similarity: sim };
      }
    }
    return best;
  }

  /** Adds an article's vector to a story (existing or just created by the caller with `open`). */
  join(
    storyId: number,
    vec: Map<string, number>,
    published: string | null,
    source: string | null = null,
  ): StoryState {
    const s = this.stories.get(storyId);
    if (!s) throw new Error(`unknown story ${storyId}`);
    // Map semantics on the arrays: known terms add up in place, new ones are appended.
    const ids = Array.from(s.ids);
    const ws = Array.from(s.ws);
    for (const [t, w] of vec) {
      const id = this.termId(t);
      const k = ids.indexOf(id);
      if (k >= 0) ws[k] = ws[k]! + w;
      else {
        ids.push(id);
        ws.push(0 + w);
      }
    }
    let order = ids.map((_, k) => k);
    if (ids.length > this.centroidTerms) {
      const names = this.names;
      order = order
        .sort((a, b) => ws[b]! - ws[a]! || (names[ids[a]!]! < names[ids[b]!]! ? -1 : 1))
        .slice(0, this.centroidTerms);
    }
    s.ids = Int32Array.from(order, (k) => ids[k]!);
    s.ws = Float64Array.from(order, (k) => ws[k]!);
    s.n++;
    s.norm2 = NaN;
    if (source && s.sources.size < MAX_SOURCES) s.sources.add(source);
    if (published) {
      if (!s.first || published < s.first) s.first = published;
      if (!s.last || published > s.last) s.last = published;
    }
    this.index(s);
    return this.view(s);
  }

  /** Registers a new story with one article. */
  open(
    id: number,
    title: string,
    vec: Map<string, number>,
    published: string | null,
    source: string | null = null,
  ): StoryState {
    const s: HeldStory = {
      id,
      title,
      first: published,
      last: published,
      n: 1,
      ids: Int32Array.from(vec.keys(), (t) => this.termId(t)),
      ws: Float64Array.from(vec.values()),
      norm2: NaN,
      sources: new Set(source ? [source] : []),
    };
    this.stories.set(id, s);
    this.index(s);
    return this.view(s);
  }

  /** A story with its centroid as a Map (for serializeCentroid and callers). */
  private view(s: HeldStory): StoryState {
    const centroid = new Map<string, number>();
    for (let k = 0; k < s.ids.length; k++) centroid.set(this.names[s.ids[k]!]!, s.ws[k]!);
    return { id: s.id, title: s.title, first: s.first, last: s.last, n: s.n, centroid, sources: s.sources };
  }

  private index(s: HeldStory): void {
    for (const t of s.ids) {
      const list = this.postings.get(t);
      if (!list) this.postings.set(t, [s.id]);
      else if (list.length <= MAX_POSTING && !list.includes(s.id)) list.push(s.id);
    }
  }

  private dateFactor(d: number | null, first: number | null, last: number | null): number {
    if (d === null || first === null || last === null) return 1;
    const gap = Math.max(0, first - d, d - last) / DAY;
    return gap <= this.graceDays ? 1 : Math.exp(-(gap - this.graceDays) / 10);
  }
}

/** Squared L2 norm of a story's centroid, cached until the story changes. */
function centroidNorm2(s: HeldStory): number {
  if (Number.isNaN(s.norm2)) {
    let n = 0;
    for (let k = 0; k < s.ws.length; k++) n += s.ws[k]! * s.ws[k]!;
    s.norm2 = n;
  }
  return s.norm2;
}

export function serializeCentroid(s: Pick<StoryState, "centroid" | "sources">): string {
  return JSON.stringify({
    centroid: [...s.centroid.entries()].map(([t, w]) => [t, Math.round(w * 1e5) / 1e5]),
    sources: [...(s.sources ?? [])],
  });
}

export function parseState(state: string): Pick<StoryState, "centroid" | "sources"> {
  const parsed = JSON.parse(state) as { centroid?: [string, number][]; sources?: string[] };
  return { centroid: new Map(parsed.centroid ?? []), sources: new Set(parsed.sources ?? []) };
}

function parseDate(s: string | null): number | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : null;
}
