// PLACEHOLDER (skeleton only): the owner of this analyzer replaces it with the real stage.
import { defineStage, type Stage } from "../../pipeline/stage.js";

export async function createStanceStage(_options: Record<string, unknown>): Promise<Stage> {
  return defineStage({
    name: "stance",
    reads: ["tokens"],
    adds: "stance",
    run: () => undefined as never,
  });
}
