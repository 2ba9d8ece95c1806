// Export of the corpus: articles, claims or stories as JSONL, CSV or JSON-LD (schema.org), streamed.
import type { Analysis } from "../schema/analysis.js";
import type { CorpusStore } from "../store/corpus.js";
import { listStories } from "./views.js";

export const EXPORT_FORMATS = ["jsonl", "csv", "jsonld"] as const;
export const EXPORT_WHAT = ["articles", "claims", "stories"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportWhat = (typeof EXPORT_WHAT)[number];

type Row = Record<string, unknown>;

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function* rows(store: CorpusStore, what: ExportWhat, full: boolean): AsyncGenerator<Row> {
  if (what === "articles") {
    for await (const a of store.iterateArticles()) {
      const base: Row = {
        id: a.id,
        sourceKey: a.source_key,
        storyId: a.story_id,
        title: a.title,
        url: a.url,
        source: a.source,
        published: a.published,
        language: a.language,
        credibility: a.credibility,
        claims: a.n_claims,
        unsupportedClaims: a.n_unsupported,
        techniques: a.n_techniques,
      };
      if (full) base.analysis = JSON.parse(a.analysis) as Analysis;
      yield base;
    }
  } else if (what === "claims") {
    for await (const c of store.iterateClaims()) {
      yield {
        id: c.id,
        articleId: c.article_id,
        storyId: c.story_id,
        groupId: c.group_id,
        claimKey: c.claim_key,
        speaker: c.speaker,
        speakerCanonical: c.speaker_canonical,
        speakerType: c.speaker_type,
        kind: c.kind,
        text: c.text,
        start: c.start,
        end: c.end,
        evidence: c.evidence,
        checkworthiness: c.checkworthiness,
        articleTitle: c.title,
        url: c.url,
        source: c.source,
        published: c.published,
      };
    }
  } else {
    for (const s of await listStories(store)) {
      yield { id: s.id, title: s.title, first: s.first, last: s.last, articles: s.articles };
    }
  }
}

function jsonld(what: ExportWhat, r: Row): Row {
  if (what === "articles") {
    return {
      "@type": "NewsArticle",
      "@id": r.url ?? `claimscope:article/${r.id}`,
      identifier: r.sourceKey,
      headline: r.title,
      url: r.url ?? undefined,
      datePublished: r.published ?? undefined,
      inLanguage: r.language,
      publisher: { "@type": "Organization", name: r.source },
      isPartOf: r.storyId ? { "@id": `claimscope:story/${r.storyId}` } : undefined,
      ...(r.analysis ? { text: (r.analysis as Analysis).document.text } : {}),
    };
  }
  if (what === "claims") {
    return {
      "@type": "Claim",
      "@id": `claimscope:claim/${r.id}`,
      text: r.text,
      author: r.speakerCanonical
        ? { "@type": r.speakerType === "PERSON" ? "Person" : "Organization", name: r.speakerCanonical }
        : undefined,
      appearance: {
        "@type": "NewsArticle",
        "@id": r.url ?? `claimscope:article/${r.articleId}`,
        headline: r.articleTitle,
      },
      datePublished: r.published ?? undefined,
      isPartOf: r.storyId ? { "@id": `claimscope:story/${r.storyId}` } : undefined,
    };
  }
  const arts = r.articles as { id: number; title: string; source: string; published: string | null }[];
  return {
    "@type": "CreativeWorkSeries",
    "@id": `claimscope:story/${r.id}`,
    name: r.title,
    startDate: r.first ?? undefined,
    endDate: r.last ?? undefined,
    hasPart: arts.map((a) => ({
      "@id": `claimscope:article/${a.id}`,
      headline: a.title,
      datePublished: a.published ?? undefined,
    })),
  };
}

/** Streams the export to `write`; returns the number of records. */
export async function exportCorpus(
  store: CorpusStore,
  format: ExportFormat,
  what: ExportWhat,
  write: (chunk: string) => void | Promise<void>,
): Promise<number> {
  let n = 0;
  let header: string[] | null = null;
  if (format === "jsonld") await write(`{"@context":"https://schema.org","@graph":[\n`);
  for await (const r of rows(store, what, format !== "csv")) {
    if (format === "jsonl") await write(JSON.stringify(r) + "\n");
    else if (format === "jsonld") await write((n ? ",\n" : "") + JSON.stringify(jsonld(what, r)));
    else {
      if (!header) {
        header = Object.keys(r);
        await write(header.join(",") + "\n");
      }
      await write(header.map((k) => csvCell(r[k])).join(",") + "\n");
    }
    n++;
  }
  if (format === "jsonld") await write(`\n]}\n`);
  return n;
}
