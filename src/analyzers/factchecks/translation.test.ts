import { describe, expect, it } from "vitest";
import { TranslationModel, trainModel1 } from "./translation.js";

// Parallel toy text: "mum" is always restated as "mother", "kids" as "children"; the other words copy.
const PAIRS = [
  { src: ["mum", "photo", "trump"], tgt: ["mother", "photo", "trump"] },
  { src: ["mum", "video", "queen"], tgt: ["mother", "video", "queen"] },
  { src: ["kids", "cage", "border"], tgt: ["children", "cage", "border"] },
  { src: ["kids", "school", "photo"], tgt: ["children", "school", "photo"] },
  { src: ["video", "border", "wall"], tgt: ["video", "border", "wall"] },
];

describe("IBM Model 1 translation table", () => {
  const json = trainModel1(PAIRS, 10, 0.01);
  const id = (w: string) => json.vocab.indexOf(w);
  const t = (src: string, tgt: string) => {
    const s = id(src);
    for (let j = json.offsets[s]!; j < json.offsets[s + 1]!; j++)
      if (json.targets[j] === id(tgt)) return json.probs[j]!;
    return 0;
  };

  it("learns which word restates which, and rows are probability distributions", () => {
    expect(t("mum", "mother")).toBeGreaterThan(0.5);
    expect(t("kids", "children")).toBeGreaterThan(0.5);
    expect(t("mum", "children")).toBeLessThan(0.05);
    for (let s = 1; s < json.vocab.length; s++) {
      let sum = 0;
      for (let j = json.offsets[s]!; j < json.offsets[s + 1]!; j++) sum += json.probs[j]!;
      expect(sum).toBeLessThanOrEqual(1 + 1e-6);
    }
  });

  it("is deterministic", () => {
    expect(trainModel1(PAIRS, 10, 0.01)).toEqual(json);
  });

  it("scores a paraphrase above an unrelated document, and an exact copy without any table entry", () => {
    const tm = new TranslationModel(json);
    const p = () => 0.01;
    const query = ["mother", "photo"];
    expect(tm.score(query, ["mum", "photo", "trump"], p)).toBeGreaterThan(
      tm.score(query, ["kids", "school", "wall"], p),
    );
    // Words the table never saw still explain themselves (self-translation).
    expect(tm.score(["zebra"], ["zebra"], p)).toBeGreaterThan(0);
    expect(tm.score(["zebra"], ["okapi"], p)).toBe(0);
    // Words the collection does not know are skipped.
    expect(tm.score(["zebra"], ["zebra"], () => 0)).toBe(0);
  });
});
