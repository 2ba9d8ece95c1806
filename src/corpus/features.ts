// Story-clustering features of one article: weighted counts of key terms (nouns, proper nouns,
// adjectives, verbs; stemmed) and named entities, computed where the Doc is (in the worker).
import type { Doc } from "../doc/doc.js";
import { POS } from "../nlp/wink.js";
import type { Analysis } from "../schema/analysis.js";
import { STOPWORDS, stem } from "./text.js";

/** term -> weighted count. Entity terms are prefixed "e:". */
export type TermCounts = Record<string, number>;

const KEEP = new Uint8Array(32);
KEEP[POS.NOUN] = 1;
KEEP[POS.PROPN] = 2;
KEEP[POS.ADJ] = 1;
KEEP[POS.VERB] = 1;
const MAX_TERMS = 200;
const WORDLIKE = /^[a-z][a-z'.-]*[a-z]$/;

export function docTerms(doc: Doc, analysis: Pick<Analysis, "entities">): TermCounts {
  const counts = new Map<string, number>();
  const { norm, pos, start } = doc.tokens;
  const headEnd = doc.meta.headline?.end ?? -1;
  for (let i = 0; i < doc.tokens.count; i++) {
    const keep = KEEP[pos[i]!]!;
    if (!keep) continue;
    const w = norm[i]!;
    if (w.length < 3 || STOPWORDS.has(w) || !WORDLIKE.test(w)) continue;
    const t = stem(w);
    // Headline words count three times, proper nouns twice.
    const weight = (start[i]! < headEnd ? 3 : 1) * (keep === 2 ? 2 : 1);
    counts.set(t, (counts.get(t) ?? 0) + weight);
  }
  if (analysis.entities.length > 0) {
    for (const e of analysis.entities) {
      if (e.type === "MISC") continue;
      const key = "e:" + e.name.toLowerCase();
      counts.set(key, (counts.get(key) ?? 0) + Math.max(1, e.mentions.length));
    }
  } else {
    // Without an entity layer: runs of proper nouns stand in for entities.
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1) {
        const key = "e:" + run.join(" ");
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      run = [];
    };
    for (let i = 0; i < doc.tokens.count; i++) {
      if (pos[i] === POS.PROPN && WORDLIKE.test(norm[i]!)) run.push(norm[i]!);
      else flush();
    }
    flush();
  }
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_TERMS);
  return Object.fromEntries(top);
}
