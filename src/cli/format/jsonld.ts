// `--format jsonld`: the article's claims as schema.org `Claim` objects. author = the speaker
// (Person / Organization / Country), appearance = the article, claimInterpreter = claimscope.
// Character offsets, kind, cue, evidence and hedges go in additionalProperty (PropertyValue) so every
// statement stays auditable against document.text. claimscope never emits a ClaimReview of its own:
// earlier fact-checks found for a claim are linked as the publishers' own URLs.
import type { Analysis, Claim } from "../../schema/analysis.js";

const AUTHOR_TYPE = { PERSON: "Person", ORG: "Organization", GPE: "Country" } as const;

type Json = Record<string, unknown>;

function prop(name: string, value: unknown): Json {
  return { "@type": "PropertyValue", name, value };
}

function articleId(a: Analysis): string {
  return a.document.url ?? `urn:claimscope:${a.document.id}`;
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
  if (c.content.parts)
    props.push(
      prop(
        "contentParts",
        c.content.parts.map((p) => [p.start, p.end]),
      ),
    );
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
  for (const m of c.evidence.markers)
    props.push(prop(`evidenceMarker:${m.type}`, { text: m.text, start: m.start, end: m.end }));
  for (const h of c.hedges) props.push(prop("hedge", { text: h.text, start: h.start, end: h.end }));
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
  const interpreter: Json = {
    "@type": "SoftwareApplication",
    name: "claimscope",
    applicationCategory: "claim attribution and analysis",
    description: `automatic analysis (${a.schema}); offsets index into the article text`,
  };
  return {
    "@context": "https://schema.org",
    "@graph": [article, ...a.claims.map((c) => claimNode(c, a, article, interpreter))],
  };
}

export function renderJsonLd(a: Analysis): string {
  return JSON.stringify(toJsonLd(a), null, 2);
}
