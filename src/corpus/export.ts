// Export of the corpus: articles, claims or stories as JSONL, CSV or JSON-LD (schema.org), streamed.
import { claimInterpreter, type Analysis } from "../schema/analysis.js";
import type { CorpusStore } from "../store/corpus.js";
import { listStories } from "./views.js";

export const EXPORT_FORMATS = ["jsonl", "csv", "jsonld"] as const;
export const EXPORT_WHAT = ["articles", "claims", "stories"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportWhat = (typeof EXPORT_WHAT)[number];

type Row = Record<string, unknown>;

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  let s = typeof v === "object" ? JSON.stringify(v) : String(v);
  // A text cell opening with = + - @ (or a tab / carriage return) is a formula to a spreadsheet: an article can
  // carry one ("=HYPERLINK(…)"). A leading apostrophe keeps it text (the OWASP advice); numbers stay numbers.
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** ISO 639-3 codes (what language detection gives) as BCP 47 tags: the two-letter code where one exists. */
const BCP47: Record<string, string> = {
  eng: "en", spa: "es", fra: "fr", deu: "de", ita: "it", por: "pt", rus: "ru", ara: "ar", cmn: "zh", zho: "zh",
  jpn: "ja", kor: "ko", nld: "nl", pol: "pl", tur: "tr", ukr: "uk", swe: "sv", dan: "da", nob: "nb", fin: "fi",
  ces: "cs", ell: "el", heb: "he", hin: "hi", ind: "id", vie: "vi", ron: "ro", hun: "hu", fas: "fa", pes: "fa",
}; // prettier-ignore

function bcp47(code: unknown): string | undefined {
  if (typeof code !== "string" || !code || code === "und") return undefined;
  return BCP47[code] ?? code;
}

/** Corpus ids, not URLs: a story's parts and a claim's appearance name the same node (a URL may be relative). */
const articleId = (id: unknown) => `claimscope:article/${String(id)}`;

const INTERPRETER = claimInterpreter(
  "start/end are UTF-16 code-unit offsets into the article's analyzed text, end exclusive",
);

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
      "@id": articleId(r.id),
      identifier: r.sourceKey,
      headline: r.title,
      url: r.url ?? undefined,
      datePublished: r.published ?? undefined,
      inLanguage: bcp47(r.language),
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
        "@id": articleId(r.articleId),
        headline: r.articleTitle,
        url: r.url ?? undefined,
      },
      claimInterpreter: INTERPRETER,
      additionalProperty: [
        { "@type": "PropertyValue", name: "start", value: r.start },
        { "@type": "PropertyValue", name: "end", value: r.end },
        { "@type": "PropertyValue", name: "kind", value: r.kind },
        { "@type": "PropertyValue", name: "evidence", value: r.evidence },
      ],
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
      "@id": articleId(a.id),
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
