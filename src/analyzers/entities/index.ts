// The entities stage: PERSON / ORG / GPE / NORP / LOC / EVENT / MISC with within-document aliases,
// roles and descriptor mentions (see recognize.ts for the rules, derive.ts for the gazetteer).
import { defineStage, type Stage } from "../../pipeline/stage.js";
import { loadGazetteer } from "./model.js";
import { recognize } from "./recognize.js";

export { entityAt, entityById, mentionsOf } from "./lookup.js";

export async function createEntitiesStage(_options: Record<string, unknown>): Promise<Stage> {
  const gz = loadGazetteer();
  return defineStage({
    name: "entities",
    reads: ["tokens", "sentences"],
    adds: "entities",
    run: (doc) => recognize(doc, gz),
  });
}
