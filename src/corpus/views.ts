// What the corpus commands show: story lists, one story's claims across sources with disputes and a
// timeline, source profiles, search results and exports. Reads through CorpusStore only.
import type { Analysis } from "../schema/analysis.js";
import type { CorpusStore, SearchFilters } from "../store/corpus.js";
import { SqliteFts } from "../store/corpus.js";
import { sameSpeaker } from "./claims.js";
import { loadClaimStance, regroupStory } from "./regroup.js";

export interface StoryArticle {
  id: number;
  title: string;
  source: string;
  published: string | null;
  url?: string | null;
}

export interface StorySummary {
  id: number;
  title: string;
  articles: StoryArticle[];
  first: string | null;
  last: string | null;
}

export interface StoryClaimSource {
  articleId: number;
  relation: "makes" | "repeats" | "supports" | "disputes";
  /**
   * Why: "claim" (the article carries the claim), "contradiction" (it carries a claim that contradicts it),
   * "stance-model" (the claim–article stance model read the article's headline against the claim).
   */
  via: "claim" | "contradiction" | "stance-model";
  /** The claim in that article (absent when the relation comes from the stance model). */
  claimId?: number;
  /** Character offsets of the claim content in that article's document.text. */
  start?: number;
  end?: number;
  speaker?: string | null;
}

export interface StoryDetail extends StorySummary {
  articles: (StoryArticle & {
    credibility: number | null;
    claims: number;
    techniques: number;
    duplicates: { kind: string; similarity: number; title: string; url: string | null; source: string }[];
  })[];
  claims: {
    id: number;
    text: string;
    speakers: string[];
    sources: StoryClaimSource[];
    first: string | null;
  }[];
  disputes: { a: number; b: number; reason: string; score: number }[];
  timeline: {
    date: string | null;
    articleId: number;
    title: string;
    source: string;
    makes: number[];
    repeats: number[];
    supports: number[];
    disputes: number[];
  }[];
}

export async function listStories(
  store: CorpusStore,
  opts: { minArticles?: number; limit?: number } = {},
): Promise<StorySummary[]> {
  const stories = await store.listStories(opts);
  const out: StorySummary[] = [];
  const byStory = new Map<number, StoryArticle[]>();
  const ids = stories.map((s) => s.id);
  for (let i = 0; i < ids.length; i += 500) {
    for (const a of await store.storyArticles(ids.slice(i, i + 500))) {
      const list = byStory.get(a.story_id!) ?? [];
      list.push({ id: a.id, title: a.title, source: a.source, published: a.published });
      byStory.set(a.story_id!, list);
    }
  }
  for (const s of stories) {
    out.push({ id: s.id, title: s.title, articles: byStory.get(s.id) ?? [], first: s.first, last: s.last });
  }
  return out;
}

/** One story with its claims across sources; regroups first when articles joined since the last grouping. */
export async function storyDetail(store: CorpusStore, id: number): Promise<StoryDetail | null> {
  const s = await store.story(id);
  if (!s) return null;
  if (await store.isDirty(id)) await regroupStory(store, id, await loadClaimStance());
  const articles = await store.storyArticles([id]);
  const dups = await store.duplicatesOf(articles.map((a) => a.id));
  const { groups, sources, disputes } = await store.storyGroups(id);
  const claimRows = await store.claimsByIds([
    ...new Set(sources.map((x) => x.claim_id).filter((x): x is number => x !== null)),
  ]);
  const claimById = new Map(claimRows.map((c) => [c.id, c]));
  const srcByGroup = new Map<number, StoryClaimSource[]>();
  for (const x of sources) {
    const c = x.claim_id !== null ? claimById.get(x.claim_id) : undefined;
    const list = srcByGroup.get(x.group_id) ?? [];
    list.push({
      articleId: x.article_id,
      relation: x.relation,
      via: x.claim_id === null ? "stance-model" : x.relation === "disputes" ? "contradiction" : "claim",
      ...(c && { claimId: c.id, start: c.start, end: c.end, speaker: c.speaker }),
    });
    srcByGroup.set(x.group_id, list);
  }
  const claims = groups.map((g) => ({
    id: g.id,
    text: g.text,
    speakers: JSON.parse(g.speakers) as string[],
    sources: srcByGroup.get(g.id) ?? [],
    first: g.first,
  }));
  // One pass over the sources: article -> relation -> claim ids.
  const rel = new Map<number, Record<"makes" | "repeats" | "supports" | "disputes", number[]>>();
  for (const c of claims) {
    for (const x of c.sources) {
      let r = rel.get(x.articleId);
      if (!r) rel.set(x.articleId, (r = { makes: [], repeats: [], supports: [], disputes: [] }));
      const list = r[x.relation];
      if (list[list.length - 1] !== c.id) list.push(c.id);
    }
  }
  const timeline = articles.map((a) => ({
    date: a.published,
    articleId: a.id,
    title: a.title,
    source: a.source,
    ...(rel.get(a.id) ?? { makes: [], repeats: [], supports: [], disputes: [] }),
  }));
  return {
    id: s.id,
    title: s.title,
    first: s.first,
    last: s.last,
    articles: articles.map((a) => ({
      id: a.id,
      title: a.title,
      source: a.source,
      url: a.url,
      published: a.published,
      credibility: a.credibility,
      claims: a.n_claims,
      techniques: a.n_techniques,
      duplicates: dups
        .filter((d) => d.article_id === a.id)
        .map((d) => ({
          kind: d.kind,
          similarity: d.similarity,
          title: d.title,
          url: d.url,
          source: d.source,
        })),
    })),
    claims,
    disputes: disputes.map((d) => ({ a: d.a, b: d.b, reason: d.reason, score: d.score })),
    timeline,
  };
}

export interface SourceProfile {
  source: string;
  articles: number;
  duplicates: number;
  /** Mean credibility score (0–100) of its articles, null when no credibility was computed. */
  meanCredibility: number | null;
  /** Technique spans per article. */
  techniqueRate: number;
  /** Share of its articles with at least one technique. */
  articlesWithTechniques: number;
  claims: number;
  /** Share of its claims with no evidence given (evidence status "none-stated" or "unsupported"). */
  unsupportedShare: number | null;
  /** Share of its claims the text itself flags as unsupported ("he offered no proof"). */
  flaggedUnsupportedShare: number | null;
  first: string | null;
  last: string | null;
}

export async function sourceProfiles(
  store: CorpusStore,
  opts: { minArticles?: number } = {},
): Promise<SourceProfile[]> {
  const { articles, withTechniques, duplicates, flagged } = await store.sourceStats();
  const fl = new Map(flagged.map((r) => [r.source, Number(r.n)]));
  const wt = new Map(withTechniques.map((r) => [r.source, Number(r.n)]));
  const dp = new Map(duplicates.map((r) => [r.source, Number(r.n)]));
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return articles
    .filter((r) => Number(r.articles) >= (opts.minArticles ?? 1))
    .map((r) => {
      const n = Number(r.articles);
      const claims = Number(r.claims ?? 0);
      return {
        source: r.source,
        articles: n,
        duplicates: dp.get(r.source) ?? 0,
        meanCredibility:
          r.mean_credibility === null ? null : Math.round(Number(r.mean_credibility) * 10) / 10,
        techniqueRate: r3(Number(r.techniques ?? 0) / n),
        articlesWithTechniques: r3((wt.get(r.source) ?? 0) / n),
        claims,
        unsupportedShare: claims > 0 ? r3(Number(r.unsupported ?? 0) / claims) : null,
        flaggedUnsupportedShare: claims > 0 ? r3((fl.get(r.source) ?? 0) / claims) : null,
        first: r.first,
        last: r.last,
      };
    })
    .sort((a, b) => b.articles - a.articles || (a.source < b.source ? -1 : 1));
}

export interface SearchHit {
  type: "article" | "claim";
  id: number;
  articleId: number;
  storyId: number | null;
  title: string;
  source: string;
  published: string | null;
  speaker?: string | null;
  text: string;
  /** Offsets of `text` in the article's document.text (claims) or of the snippet (articles). */
  start: number;
  end: number;
  score: number;
}

/** Quotes each word so any user text is a valid FTS query (words are ANDed). */
export function ftsQuery(q: string): string {
  const words = q.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.map((w) => `"${w}"`).join(" ");
}

export async function search(
  store: CorpusStore,
  query: string,
  f: SearchFilters & { what?: "articles" | "claims" | "all" } = {},
): Promise<SearchHit[]> {
  const match = ftsQuery(query);
  if (!match) return [];
  const limit = f.limit ?? 20;
  const what = f.what ?? "all";
  const hits: SearchHit[] = [];
  const fetch = Math.max(200, limit * 20);
  if (what !== "claims" && !f.speaker) {
    const rows = await SqliteFts.searchArticles(store.db, match, fetch);
    const ok = await store.filterArticles(
      f,
      rows.map((r) => r.id),
    );
    const keep = rows.filter((r) => ok.has(r.id)).slice(0, limit);
    const arts = new Map((await store.articlesByIds(keep.map((r) => r.id))).map((a) => [a.id, a]));
    const words = (query.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.toLowerCase());
    for (const r of keep) {
      const a = arts.get(r.id)!;
      const text = (JSON.parse(a.analysis) as Analysis).document.text;
      const lower = text.toLowerCase();
      let at = -1;
      for (const w of words) {
        at = lower.indexOf(w);
        if (at >= 0) break;
      }
      const start = Math.max(0, at < 0 ? 0 : at - 80);
      const end = Math.min(text.length, start + 220);
      hits.push({
        type: "article",
        id: a.id,
        articleId: a.id,
        storyId: a.story_id,
        title: a.title,
        source: a.source,
        published: a.published,
        text: text.slice(start, end),
        start,
        end,
        score: Math.round(-r.score * 1000) / 1000,
      });
    }
  }
  if (what !== "articles") {
    const rows = await SqliteFts.searchClaims(store.db, match, fetch * (f.speaker ? 5 : 1));
    const claims = new Map((await store.claimRows(rows.map((r) => r.id))).map((c) => [c.id, c]));
    const ok = await store.filterArticles(f, [...new Set([...claims.values()].map((c) => c.article_id))]);
    let n = 0;
    for (const r of rows) {
      const c = claims.get(r.id);
      if (!c || !ok.has(c.article_id)) continue;
      const speaker = c.speaker_canonical ?? c.speaker;
      if (f.speaker && !sameSpeaker(f.speaker, speaker)) continue;
      hits.push({
        type: "claim",
        id: c.id,
        articleId: c.article_id,
        storyId: c.story_id,
        title: c.title,
        source: c.source,
        published: c.published,
        speaker,
        text: c.text,
        start: 0,
        end: 0,
        score: Math.round(-r.score * 1000) / 1000,
      });
      if (++n >= limit) break;
    }
  }
  // Claim offsets: into the article text.
  const claimIds = hits.filter((h) => h.type === "claim").map((h) => h.id);
  const pos = new Map((await store.claimsByIds(claimIds)).map((c) => [c.id, c]));
  for (const h of hits) {
    if (h.type !== "claim") continue;
    const c = pos.get(h.id)!;
    h.start = c.start;
    h.end = c.end;
  }
  return hits.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, what === "all" ? limit * 2 : limit);
}
