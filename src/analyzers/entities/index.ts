// PLACEHOLDER (skeleton only): the owner of this analyzer replaces it with the real stage.
import { defineStage, type Stage } from "../../pipeline/stage.js";

export async function createEntitiesStage(_options: Record<string, unknown>): Promise<Stage> {
  return defineStage({
    name: "entities",
    reads: ["tokens"],
    adds: "entities",
    run: () => [],
  });
}
