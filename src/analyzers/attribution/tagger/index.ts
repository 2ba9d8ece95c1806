// The raw attribution tagger API, used by the attribution stage (src/analyzers/attribution/index.ts):
//   const tagger = await loadAttributionTagger();
//   const relations = tagger.tagAttributions(doc); // RawAttribution[] with offsets into doc.text
import { loadModel, loadShippedModel } from "../../../learn/model-io.js";
import type { Doc } from "../../../doc/doc.js";
import { loadWordClusters } from "../../../learn/word-clusters.js";
import { AttributionTagger, type AttributionModelJSON, type RawAttribution } from "./model.js";

export { AttributionTagger, groupSpans, decodeSpans, TAGS } from "./model.js";
export type { AttributionModelJSON, RawAttribution, TokenSpan, SpanType } from "./model.js";

/** Name of the shipped model: models/attribution/model.json.gz. */
export const ATTRIBUTION_MODEL = "attribution";

const cache = new Map<string, Promise<AttributionTagger>>();

/**
 * Loads the shipped tagger once per process (or the model at `path`). The returned object's
 * tagAttributions(doc) groups Source/Cue/Content spans into relations.
 */
export function loadAttributionTagger(path?: string): Promise<AttributionTagger> {
  const key = path ?? "";
  let p = cache.get(key);
  if (!p) {
    p = Promise.resolve().then(() => {
      const json = path
        ? loadModel<AttributionModelJSON>(path)
        : loadShippedModel<AttributionModelJSON>(ATTRIBUTION_MODEL);
      // Models with the cluster templates read the shipped word clusters (models/word-clusters).
      return new AttributionTagger(json, json.clusters ? loadWordClusters() : null);
    });
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** Convenience: tag one Doc with the shipped model. */
export async function tagAttributions(doc: Doc): Promise<RawAttribution[]> {
  return (await loadAttributionTagger()).tagAttributions(doc);
}
