// Helpers for later stages (attribution): which entity does a span refer to?
import type { Doc } from "../../doc/doc.js";
import { POS } from "../../nlp/wink.js";
import type { Entity } from "../../schema/analysis.js";

/**
 * Whether sentence `s` is written in title case, where capitals say little about names ("Sarah Jessica Parker
 * Wants …"): a headline with half its words of 4+ letters capitalised, or a short body line (a subhead, a link:
 * at most 20 tokens, no closing full stop or quote) with 80 % of them capitalised. `cap(i)`: token i starts with a
 * capital letter.
 */
export function titleCaseSentence(doc: Doc, s: number, cap: (i: number) => boolean): boolean {
  const S = doc.sentences[s]!;
  const { pos, norm, start, end } = doc.tokens;
  let long = 0;
  let caps = 0;
  for (let i = S.tokStart; i < S.tokEnd; i++) {
    if (end[i]! - start[i]! < 4 || pos[i] === POS.PUNCT || pos[i] === POS.NUM) continue;
    long++;
    if (cap(i)) caps++;
  }
  const h = doc.meta.headline;
  if (h !== undefined && S.start >= h.start && S.end <= h.end) return long >= 2 && caps / long >= 0.5;
  const stop = norm[S.tokEnd - 1] === "." || norm[S.tokEnd - 1] === '"';
  return long >= 3 && !stop && caps / long >= 0.8 && S.tokEnd - S.tokStart <= 20;
}

/**
 * The entity with a mention overlapping [start, end): the one sharing the most characters with
 * the span, ties broken by the longer mention, then PERSON over other types. Undefined when none
 * overlaps or the entities layer has not run.
 */
export function entityAt(doc: Doc, start: number, end: number): Entity | undefined {
  const entities = doc.layers.entities;
  if (!entities) return undefined;
  let best: Entity | undefined;
  let bestOverlap = 0;
  let bestLen = 0;
  for (const e of entities) {
    for (const m of e.mentions) {
      const overlap = Math.min(end, m.end) - Math.max(start, m.start);
      if (overlap <= 0 && !(start === end && m.start <= start && start < m.end)) continue;
      const ov = Math.max(overlap, 1);
      const len = m.end - m.start;
      if (
        ov > bestOverlap ||
        (ov === bestOverlap && len > bestLen) ||
        (ov === bestOverlap && len === bestLen && e.type === "PERSON" && best?.type !== "PERSON")
      ) {
        best = e;
        bestOverlap = ov;
        bestLen = len;
      }
    }
  }
  return best;
}

/** The entity with this id ("e3"). */
export function entityById(doc: Doc, id: string): Entity | undefined {
  return doc.layers.entities?.find((e) => e.id === id);
}

/** Mentions of an entity in document order. */
export function mentionsOf(entity: Entity): Entity["mentions"] {
  return [...entity.mentions].sort((a, b) => a.start - b.start);
}
