// The factchecks stage: each claim's content is matched against the fact-check memory (the store at
// options.db, else defaultDbPath()). No store file -> {} and nothing is created.
import { defineStage, type Stage } from "../../pipeline/stage.js";
import { defaultDbPath } from "../../store/db.js";
import type { FactCheckMatch } from "../../schema/analysis.js";
import { loadFactCheckMemory } from "./memory.js";

export async function createFactCheckStage(options: Record<string, unknown>): Promise<Stage> {
  const path = typeof options.db === "string" && options.db.length > 0 ? options.db : defaultDbPath();
  const memory = await loadFactCheckMemory(path);
  return defineStage({
    name: "factchecks",
    reads: ["claims"],
    adds: "factChecks",
    run(doc) {
      const out: Record<string, FactCheckMatch[]> = {};
      if (!memory) return out;
      for (const claim of doc.layers.claims ?? []) {
        const parts = claim.content.parts ?? [claim.content];
        const found = memory.match(claim.content.text, 3, { text: doc.text, parts });
        if (found.length > 0) out[claim.id] = found;
      }
      return out;
    },
  });
}
