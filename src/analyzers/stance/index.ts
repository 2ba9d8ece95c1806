// Headline–body stance stage: how the body relates to its own headline (agree / disagree / discuss / unrelated).
// Docs without a headline or without a body get no stance; the analysis says why under `skipped`.
import type { Stance } from "../../schema/analysis.js";
import { defineStage, Skip, type Stage } from "../../pipeline/stage.js";
import { STANCE_LABELS, StanceModel } from "./model.js";

export { claimStance } from "./claim-stance.js";

export async function createStanceStage(options: Record<string, unknown>): Promise<Stage> {
  const dir = typeof options.stanceModel === "string" ? options.stanceModel : undefined;
  const model = StanceModel.load(dir);
  return defineStage({
    name: "stance",
    reads: ["text"],
    adds: "stance",
    run: (doc) => {
      const h = doc.meta.headline;
      if (!h) return new Skip("no headline: the text has no title to compare its body with");
      const body = doc.text.slice(h.end).trim();
      if (!body) return new Skip("no body: the text is a headline alone");
      return stanceOf(model, doc.text.slice(h.start, h.end), body);
    },
  });
}

export function stanceOf(model: StanceModel, headline: string, body: string): Stance {
  const p = model.predict(headline, model.body(body));
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
  const scores = Object.fromEntries(
    STANCE_LABELS.map((l, k) => [l, Math.round(p[k]! * 10000) / 10000]),
  ) as Stance["scores"];
  return { label: STANCE_LABELS[best]!, scores };
}
