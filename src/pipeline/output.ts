// Turns a finished Doc into the `claimscope/analysis@1` object.
import type { Doc } from "../doc/doc.js";
import { SCHEMA_ID, type Analysis } from "../schema/analysis.js";

export function toAnalysis(doc: Doc): Analysis {
  const L = doc.layers;
  const cw = L.checkworthiness;
  const fc = L.factChecks;
  const m = doc.meta;
  return {
    schema: SCHEMA_ID,
    document: {
      id: m.id,
      title: m.title,
      text: doc.text,
      language: m.language,
      ...(m.url !== undefined && { url: m.url }),
      ...(m.source !== undefined && { source: m.source }),
      ...(m.published !== undefined && { published: m.published }),
      ...(m.byline !== undefined && { byline: m.byline }),
      ...(m.headline !== undefined && { headline: m.headline }),
      ...(m.removed !== undefined && m.removed.length > 0 && { removed: m.removed }),
    },
    sentences: doc.sentences.map((s, i) => ({
      start: s.start,
      end: s.end,
      ...(cw && cw.sentences[i] !== undefined && { checkworthiness: round(cw.sentences[i]!) }),
    })),
    entities: L.entities ?? [],
    claims: (L.claims ?? []).map((c) => ({
      ...c,
      ...(cw && cw.claims[c.id] !== undefined && { checkworthiness: round(cw.claims[c.id]!) }),
      ...(fc && fc[c.id] && fc[c.id]!.length > 0 && { factChecks: fc[c.id] }),
    })),
    techniques: L.techniques ?? [],
    ...(L.stance && { stance: L.stance }),
    ...(L.credibility && { credibility: L.credibility }),
    ...(Object.keys(doc.skipped).length > 0 && { skipped: { ...doc.skipped } }),
    timings: Object.fromEntries(Object.entries(doc.timings).map(([k, v]) => [k, round(v, 2)])),
  };
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
