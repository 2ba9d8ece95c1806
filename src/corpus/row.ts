// The store row of one analyzed article, built where the analysis is (the worker thread): the main
// thread then writes it without parsing the analysis JSON again. No analysis logic, only selection.
import type { Analysis } from "../schema/analysis.js";
import type { ArticleInsert } from "../store/corpus.js";
import type { TermCounts } from "./features.js";
import { domainOf } from "./text.js";

/**
 * An article row without the fields the main thread knows (source key, content hash, MinHash). The two
 * large fields travel as UTF-8 bytes (transferable, and stored without becoming strings again), and
 * `head` keeps the first characters of the text (a title for untitled stories).
 */
export type AnalyzedRow = Omit<
  ArticleInsert,
  "sourceKey" | "contentHash" | "minhash" | "analysis" | "text"
> & {
  analysis: Uint8Array;
  text: Uint8Array;
  head: string;
};

const utf8 = new TextEncoder();

export function analyzedRow(a: Analysis, terms: TermCounts, analysisJson: string): AnalyzedRow {
  const entityName = new Map(a.entities.map((e) => [e.id, e.name]));
  return {
    title: a.document.title,
    url: a.document.url ?? null,
    source: domainOf(a.document.url) ?? a.document.source ?? "unknown",
    published: a.document.published ?? null,
    language: a.document.language,
    textLength: a.document.text.length,
    analysis: utf8.encode(analysisJson),
    credibility: a.credibility?.score ?? null,
    // Claims whose evidence is not given: none stated, or flagged unsupported by the text itself.
    nUnsupported: a.claims.filter(
      (c) => c.evidence.status === "unsupported" || c.evidence.status === "none-stated",
    ).length,
    features: JSON.stringify(terms),
    entities: a.entities.map((e) => ({ name: e.name, type: e.type, mentions: e.mentions.length })),
    claims: a.claims.map((c) => ({
      claimKey: c.id,
      speaker: c.speaker?.name ?? null,
      speakerCanonical: c.speaker
        ? (c.speaker.entityId && entityName.get(c.speaker.entityId)) || c.speaker.name
        : null,
      speakerType: c.speaker?.type ?? null,
      kind: c.kind,
      text: c.content.text,
      start: c.content.start,
      end: c.content.end,
      evidence: c.evidence.status,
      checkworthiness: c.checkworthiness ?? null,
    })),
    techniques: a.techniques.map((t) => ({
      technique: t.technique,
      start: t.start,
      end: t.end,
      confidence: t.confidence,
    })),
    text: utf8.encode(a.document.text),
    head: a.document.text.slice(0, 80),
  };
}
