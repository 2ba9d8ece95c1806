// `--format jsonld`: the article's claims as schema.org `Claim` objects. author = the speaker
// (Person / Organization; a country or city speaks as its government, an Organization, since
// Claim.author takes no Place), appearance = the article, claimInterpreter = claimscope. The article node
// carries document.text as articleBody, and character offsets, kind, cue, evidence and hedges go in
// additionalProperty (PropertyValue) so every statement stays auditable against it: a span is a
// PropertyValue whose value is its text and whose minValue / maxValue are its offsets (end exclusive).
// claimscope never emits a ClaimReview of its own: earlier fact-checks found for a claim are linked as the
// publishers' own URLs.
import { claimInterpreter, type Analysis, type Claim, type Span } from "../../schema/analysis.js";

const AUTHOR_TYPE = { PERSON: "Person", ORG: "Organization", GPE: "Organization" } as const;
// JavaScript string offsets: an emoji or other character outside the BMP counts 2 (a Python str index counts 1).
const OFFSETS = "UTF-16 code-unit offsets into articleBody, end exclusive";

type Json = Record<string, unknown>;

function prop(name: string, value: unknown): Json {
  return { "@type": "PropertyValue", name, value };
}

/** An absolute URL that can take a "#claim-…" fragment: no fragment of its own, no whitespace. */
const NODE_URL = /^[a-z][a-z\d+.-]*:\/\/[^\s#]+$/i;

/**
 * The article's node id: its URL when that is absolute, else a URN built from the document id (a file path,
 * "file.jsonl#id" or a content hash) with the characters an IRI cannot hold there escaped.
 */
export function articleId(a: Analysis): string {
  const url = a.document.url;
  if (url !== undefined && NODE_URL.test(url)) return url;
  // A lone surrogate (a broken file name) would make encodeURI throw: it becomes U+FFFD first.
  const id = a.document.id.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD",
  );
  return `urn:claimscope:${encodeURI(id).replace(/[#?]/g, encodeURIComponent)}`;
}

/** A span as a PropertyValue: its text as the value, its offsets as minValue / maxValue. */
function spanProp(name: string, text: string, span: Span): Json {
  return {
    "@type": "PropertyValue",
    name,
    value: text,
    minValue: span.start,
    maxValue: span.end,
    unitText: OFFSETS,
  };
}

function articleNode(a: Analysis): Json {
  const d = a.document;
  return {
    "@type": "NewsArticle",
    "@id": articleId(a),
    ...(d.url && { url: d.url }),
    ...(d.title && { headline: d.title }),
    ...(d.published && { datePublished: d.published }),
    ...(d.source && { publisher: { "@type": "Organization", name: d.source } }),
    ...(d.byline && { author: { "@type": "Person", name: d.byline } }),
    identifier: d.id,
    articleBody: d.text,
  };
}

function authorNode(c: Claim, a: Analysis): Json | undefined {
  const s = c.speaker;
  if (!s) return undefined;
  if (s.type === "AUTHOR") {
    return a.document.byline
      ? { "@type": "Person", name: a.document.byline, description: "the article's author" }
      : { "@type": "Person", name: "the article's author" };
  }
  if (s.type === "ANONYMOUS") return { "@type": "Person", name: s.name, description: "unnamed source" };
  return {
    // Entity ids are per article: the node id ties one speaker's claims together within this graph.
    ...(s.entityId && { "@id": `${articleId(a)}#entity-${s.entityId}` }),
    "@type": AUTHOR_TYPE[s.type],
    name: s.name,
    ...(s.type === "GPE" && { description: "a country, state or city (its government)" }),
  };
}

function claimNode(c: Claim, a: Analysis, article: Json, interpreter: Json): Json {
  const props: Json[] = [
    prop("contentStart", c.content.start),
    prop("contentEnd", c.content.end),
    prop("kind", c.kind),
    prop("sentence", c.sentence),
    prop("evidenceStatus", c.evidence.status),
  ];
  // One PropertyValue per part: nested arrays would be flattened into an unordered set by JSON-LD.
  for (const p of c.content.parts ?? [])
    props.push(spanProp("contentPart", a.document.text.slice(p.start, p.end), p));
  if (c.speaker?.start !== undefined && c.speaker.end !== undefined) {
    props.push(prop("speakerMention", a.document.text.slice(c.speaker.start, c.speaker.end)));
    props.push(prop("speakerStart", c.speaker.start), prop("speakerEnd", c.speaker.end));
  }
  if (c.cue) {
    props.push(
      prop("cue", c.cue.text),
      prop("cueStart", c.cue.start),
      prop("cueEnd", c.cue.end),
      prop("cueFraming", c.cue.framing),
    );
  }
  for (const m of c.evidence.markers) props.push(spanProp(`evidenceMarker:${m.type}`, m.text, m));
  for (const h of c.hedges) props.push(spanProp("hedge", h.text, h));
  if (c.checkworthiness !== undefined) props.push(prop("checkworthiness", c.checkworthiness));
  const author = authorNode(c, a);
  return {
    "@type": "Claim",
    "@id": `${String(article["@id"])}#claim-${c.id}`,
    text: c.content.text,
    ...(author && { author }),
    appearance: { "@id": article["@id"] },
    claimInterpreter: interpreter,
    additionalProperty: props,
    // Earlier fact-checks are other publishers' ClaimReviews: linked, never restated as ours.
    ...(c.factChecks &&
      c.factChecks.length > 0 && { subjectOf: c.factChecks.map((f) => ({ "@id": f.url })) }),
  };
}

/** The analysis as a JSON-LD document: the article plus one schema.org Claim per claim. */
export function toJsonLd(a: Analysis): Json {
  const article = articleNode(a);
  const interpreter: Json = claimInterpreter(
    "offsets are UTF-16 code units into the article's articleBody, end exclusive",
  );
  return {
    "@context": "https://schema.org",
    "@graph": [article, ...a.claims.map((c) => claimNode(c, a, article, interpreter))],
  };
}

export function renderJsonLd(a: Analysis): string {
  return JSON.stringify(toJsonLd(a), null, 2);
}
