import { describe, expect, it } from "vitest";
import { Doc } from "../../doc/doc.js";
import { createCheckworthinessStage, loadCheckworthinessModel } from "./index.js";
import { sentenceSegment } from "./features.js";
import { readCheckworthiness } from "./data.js";
import { describeShared, sharedPath } from "../../testing/shared.js";

describe("checkworthiness stage (shipped model)", () => {
  it("scores every sentence in [0,1] and ranks a factual, numeric claim above small talk", async () => {
    const stage = await createCheckworthinessStage({});
    const doc = Doc.create({
      title: "Town hall",
      text: "Thank you all so much for coming tonight.\n\nUnemployment in this state fell from 7.8 percent in 2012 to 4.1 percent last year, the lowest rate in 17 years.",
    });
    const out = stage.run(doc, { options: {} }) as { sentences: number[]; claims: Record<string, number> };
    expect(out.sentences).toHaveLength(doc.sentences.length);
    for (const s of out.sentences) expect(s >= 0 && s <= 1).toBe(true);
    const thanks = doc.sentences.findIndex((s) => doc.slice(s).startsWith("Thank"));
    const jobs = doc.sentences.findIndex((s) => doc.slice(s).startsWith("Unemployment"));
    expect(out.sentences[jobs]!).toBeGreaterThan(out.sentences[thanks]! + 0.2);
    expect(out.claims).toEqual({});
  });
});

describe("checkworthiness model", () => {
  it("scores the same through the stage's fused dot product as through the training feature vectors", () => {
    const model = loadCheckworthinessModel();
    const doc = Doc.create({ text: "Crime fell by 12 percent in Chicago in 2019. The mayor was pleased." });
    const a = sentenceSegment(doc, 0);
    const b = sentenceSegment(doc, 1);
    for (const ds of ["claimbuster", "clef"] as const) {
      const viaVector = model.calibrate(ds, model.raw(model.features(a, ds, { next: b }), ds));
      expect(model.probability(a, ds, { next: b })).toBeCloseTo(viaVector, 5);
    }
  });
});

describeShared("checkworthiness data readers", ["data/checkworthiness/clef2019-t1-train.csv"], () => {
  it("sniffs CLEF-2019 CSV with debates as groups", () => {
    const d = readCheckworthiness(sharedPath("data/checkworthiness/clef2019-t1-train.csv"));
    expect(d.format).toBe("clef2019");
    expect(new Set(d.items.map((i) => i.group)).size).toBeGreaterThan(10);
    expect(d.items.some((i) => i.label === 1)).toBe(true);
  });
});
