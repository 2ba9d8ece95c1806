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
}

const VECTOR_TERMS = 40;
const CENTROID_TERMS = 80;
const PROBE_TERMS = 12;
const MAX_POSTING = 400;
const DAY = 86_400_000;

export const DEFAULT_THRESHOLD = 0.3;
export const DEFAULT_SAME_SITE_THRESHOLD = 0.5;
const MAX_SOURCES = 20;

export class StoryClusterer {
  private readonly df = new Map<string, number>();
  private n = 0;
  readonly stories = new Map<number, StoryState>();
  private readonly postings = new Map<string, Set<number>>();
  private readonly threshold: number;
  private readonly graceDays: number;
  private readonly sameSite: number;

  constructor(opts: ClusterOptions = {}) {
    this.threshold = opts.threshold ?? DEFAULT_THRESHOLD;
    this.sameSite = opts.sameSiteThreshold ?? DEFAULT_SAME_SITE_THRESHOLD;
    this.graceDays = opts.graceDays ?? 3;
  }

  get documents(): number {
    return this.n;
  }

  /** Counts an article's terms in the document frequencies (call once per stored article). */
  observe(terms: TermCounts): void {
    this.n++;
    for (const t in terms) this.df.set(t, (this.df.get(t) ?? 0) + 1);
  }

  /** Restores a stored story. */
  restore(story: StoryState): void {
    this.stories.set(story.id, story);
    this.index(story);
  }

  /** The article's L2-normalised TF-IDF vector over its strongest terms. */
  vector(terms: TermCounts): Map<string, number> {
    const n = this.n;
    const weighted: [string, number][] = [];
    for (const t in terms) {
      const tf = terms[t]!;
      const idf = Math.log((n + 1) / ((this.df.get(t) ?? 0) + 1)) + 1;
      weighted.push([t, (1 + Math.log(tf)) * idf * (t.startsWith("e:") ? 1.5 : 1)]);
    }
    weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const top = weighted.slice(0, VECTOR_TERMS);
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
    const probes = [...vec.entries()].sort(
      (a, b) => (this.df.get(a[0]) ?? 0) - (this.df.get(b[0]) ?? 0) || b[1] - a[1],
    );
    for (const [t] of probes) {
      const list = this.postings.get(t);
      // Terms only this article has (df 1) reach no story; very common ones reach too many.
      if (!list || list.size > MAX_POSTING) continue;
      for (const id of list) candidates.add(id);
      if (++probed >= PROBE_TERMS) break;
    }
    let best: Assignment = { storyId: null, similarity: 0 };
    const date = parseDate(published);
    for (const id of candidates) {
      const s = this.stories.get(id)!;
      let dot = 0;
      const norm = centroidNorm2(s);
      for (const [t, w] of vec) {
        const c = s.centroid.get(t);
        if (c !== undefined) dot += w * c;
      }
      let sim = norm > 0 ? dot / Math.sqrt(norm) : 0;
      sim *= this.dateFactor(date, parseDate(s.first), parseDate(s.last));
      const onlySameSite = source !== null && s.sources?.size === 1 && s.sources.has(source);
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
    for (const [t, w] of vec) s.centroid.set(t, (s.centroid.get(t) ?? 0) + w);
    if (s.centroid.size > CENTROID_TERMS) {
      const top = [...s.centroid.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, CENTROID_TERMS);
      s.centroid = new Map(top);
    }
    s.n++;
    normCache.delete(s);
    if (source) {
      s.sources ??= new Set();
      if (s.sources.size < MAX_SOURCES) s.sources.add(source);
    }
    if (published) {
      if (!s.first || published < s.first) s.first = published;
      if (!s.last || published > s.last) s.last = published;
    }
    this.index(s);
    return s;
  }

  /** Registers a new story with one article. */
  open(
    id: number,
    title: string,
    vec: Map<string, number>,
    published: string | null,
    source: string | null = null,
  ): StoryState {
    const s: StoryState = {
      id,
      title,
      first: published,
      last: published,
      n: 1,
      centroid: new Map(vec),
      sources: new Set(source ? [source] : []),
    };
    this.stories.set(id, s);
    this.index(s);
    return s;
  }

  private index(s: StoryState): void {
    for (const t of s.centroid.keys()) {
      const list = this.postings.get(t);
      if (!list) this.postings.set(t, new Set([s.id]));
      else list.add(s.id);
    }
  }

  private dateFactor(d: number | null, first: number | null, last: number | null): number {
    if (d === null || first === null || last === null) return 1;
    const gap = Math.max(0, first - d, d - last) / DAY;
    return gap <= this.graceDays ? 1 : Math.exp(-(gap - this.graceDays) / 10);
  }
}

const normCache = new WeakMap<StoryState, number>();

/** Squared L2 norm of a story's centroid, cached until the story changes. */
function centroidNorm2(s: StoryState): number {
  let n = normCache.get(s);
  if (n === undefined) {
    n = 0;
    for (const w of s.centroid.values()) n += w * w;
    normCache.set(s, n);
  }
  return n;
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
