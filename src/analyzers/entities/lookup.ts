// Helpers for later stages (attribution): which entity does a span refer to?
import type { Doc } from "../../doc/doc.js";
import type { Entity } from "../../schema/analysis.js";

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
