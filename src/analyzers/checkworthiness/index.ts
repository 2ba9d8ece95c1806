// PLACEHOLDER (skeleton only): the owner of this analyzer replaces it with the real stage.
import { defineStage, type Stage } from "../../pipeline/stage.js";

export async function createCheckworthinessStage(_options: Record<string, unknown>): Promise<Stage> {
  return defineStage({
    name: "checkworthiness",
    reads: ["tokens"],
    adds: "checkworthiness",
    run: () => ({ sentences: [], claims: {} }),
  });
}
