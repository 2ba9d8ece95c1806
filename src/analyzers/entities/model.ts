// Loading the shipped gazetteer (models/entities/gazetteer.json.gz), once per process.
import { loadShippedModel } from "../../learn/model-io.js";
import type { Gazetteer } from "./derive.js";
import { indexGazetteer, type GazIndex } from "./recognize.js";

export const MODEL_TASK = "entities";
export const MODEL_FILE = "gazetteer.json.gz";

let cached: GazIndex | null = null;

export function loadGazetteer(): GazIndex {
  cached ??= indexGazetteer(loadShippedModel<Gazetteer>(MODEL_TASK, MODEL_FILE));
  return cached;
}
