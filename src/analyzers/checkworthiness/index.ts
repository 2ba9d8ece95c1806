// The checkworthiness stage: a calibrated probability that each sentence (and each claim's content)
// holds a check-worthy factual claim. Context = the previous/next sentence of the same paragraph.
import type { Doc } from "../../doc/doc.js";
import { loadShippedModel } from "../../learn/model-io.js";
import { defineStage, type Stage } from "../../pipeline/stage.js";
import { sentenceSegment, type Segment } from "./features.js";
import { CheckworthinessModel, type CheckworthinessJSON } from "./model.js";

let shared: CheckworthinessModel | null = null;

export function loadCheckworthinessModel(): CheckworthinessModel {
  shared ??= new CheckworthinessModel(loadShippedModel<CheckworthinessJSON>("checkworthiness"));
  return shared;
}

/** Sentence scores (index-aligned with doc.sentences). */
export function scoreSentences(model: CheckworthinessModel, doc: Doc): number[] {
  const n = doc.sentences.length;
  const segs: Segment[] = new Array<Segment>(n);
  for (let s = 0; s < n; s++) segs[s] = sentenceSegment(doc, s);
  const out = new Array<number>(n);
  for (let s = 0; s < n; s++) {
    const para = doc.sentences[s]!.paragraph;
    const prev = s > 0 && doc.sentences[s - 1]!.paragraph === para ? segs[s - 1] : undefined;
    const next = s + 1 < n && doc.sentences[s + 1]!.paragraph === para ? segs[s + 1] : undefined;
    out[s] = model.probability(segs[s]!, "claimbuster", { prev, next });
  }
  return out;
}

/** The tokens of a character span as a segment (the claim's content, cue and speaker excluded). */
function spanSegment(doc: Doc, start: number, end: number): Segment {
  const a = doc.tokenAtOrAfter(start);
  let b = a;
  while (b < doc.tokens.count && doc.tokens.start[b]! < end) b++;
  return { doc, tokStart: a, tokEnd: b, start, end };
}

export async function createCheckworthinessStage(_options: Record<string, unknown>): Promise<Stage> {
  const model = loadCheckworthinessModel();
  return defineStage({
    name: "checkworthiness",
    reads: ["tokens", "claims"],
    adds: "checkworthiness",
    run(doc) {
      const sentences = scoreSentences(model, doc);
      const claims: Record<string, number> = {};
      for (const c of doc.layers.claims ?? []) {
        const seg = spanSegment(doc, c.content.start, c.content.end);
        claims[c.id] =
          seg.tokEnd > seg.tokStart
            ? model.probability(seg, "claimbuster", {})
            : (sentences[c.sentence] ?? 0);
      }
      return { sentences, claims };
    },
  });
}
