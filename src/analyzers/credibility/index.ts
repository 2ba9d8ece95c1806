// Explained credibility stage: a calibrated 0–100 score with the signals behind it, each pointing at spans of the
// text. Reads whatever upstream layers exist (claims, techniques, fact-checks, stance); missing ones count as empty.
import type { LayerName } from "../../doc/layers.js";
import { defineStage, Skip, type Stage } from "../../pipeline/stage.js";
import { bodyWords, CredibilityModel, MIN_BODY_WORDS } from "./model.js";

/** Layers this stage uses when the pipeline has them (which stage adds each). */
const OPTIONAL_READS: [string, LayerName][] = [
  ["attribution", "claims"],
  ["factchecks", "factChecks"],
  ["techniques", "techniques"],
  ["stance", "stance"],
];

export async function createCredibilityStage(options: Record<string, unknown>): Promise<Stage> {
  const dir = typeof options.credibilityModel === "string" ? options.credibilityModel : undefined;
  const model = CredibilityModel.load(dir);
  const stages = Array.isArray(options.stages) ? (options.stages as string[]) : null;
  const reads: LayerName[] = OPTIONAL_READS.filter(([s]) => !stages || stages.includes(s)).map(([, l]) => l);
  return defineStage({
    name: "credibility",
    reads: ["tokens", "sentences", "quantities", ...reads],
    adds: "credibility",
    // Too little body text to judge (a headline, a word, a fragment): no score rather than a guess.
    run: (doc) => {
      const words = bodyWords(doc, MIN_BODY_WORDS);
      if (words >= MIN_BODY_WORDS) return model.assess(doc);
      return new Skip(
        `too little body text to judge: ${words} word${words === 1 ? "" : "s"} outside the headline, ${MIN_BODY_WORDS} needed`,
      );
    },
  });
}
