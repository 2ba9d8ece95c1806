// docFeatures plans each template list (hash kinds, runs of consecutive templates): whatever the list's
// order, gaps or repeats, slot j must hold exactly the feature template templates[j] gives on its own.
import { describe, expect, it } from "vitest";
import { Doc } from "../../../doc/doc.js";
import { mulberry32 } from "../../../learn/rng.js";
import { docFeatures, TEMPLATE_COUNT } from "./features.js";

describe("docFeatures template plans", () => {
  const doc = Doc.create({
    text: 'Officials said on Monday that the plan "would fail," according to Reuters.\n\nSmith told us: "No."',
  });
  const lexicon = { said: 4, told: 4, according: 3, says: 2 };
  const n = doc.tokens.count;
  const alone = Array.from({ length: TEMPLATE_COUNT }, (_, t) => docFeatures(doc, lexicon, 16, [t]).flat);

  it("fills every slot with its own template's feature, for shuffled, gapped and repeated lists", () => {
    const rand = mulberry32(5);
    const lists: number[][] = [
      Array.from({ length: TEMPLATE_COUNT }, (_, t) => t),
      Array.from({ length: TEMPLATE_COUNT }, (_, t) => TEMPLATE_COUNT - 1 - t),
      [5, 6, 7, 8, 40, 41, 42, 43, 44, 0, 1, 2],
      [3, 3, 26, 26, 61, 0],
    ];
    for (let k = 0; k < 20; k++)
      lists.push(
        Array.from({ length: 1 + Math.floor(rand() * 70) }, () => Math.floor(rand() * TEMPLATE_COUNT)),
      );
    for (const list of lists) {
      // Twice: the second call reuses the plan of the same list.
      for (let rep = 0; rep < 2; rep++) {
        const { flat } = docFeatures(doc, lexicon, 16, list);
        const F = list.length;
        let wrong = 0;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < F; j++) if (flat[i * F + j] !== alone[list[j]!]![i]) wrong++;
        expect(wrong).toBe(0);
      }
    }
  });

  it("re-plans a list changed in place", () => {
    const list = [1, 2, 3];
    docFeatures(doc, lexicon, 16, list);
    list[1] = 26;
    const { flat } = docFeatures(doc, lexicon, 16, list);
    for (let i = 0; i < n; i++) expect(flat[i * 3 + 1]).toBe(alone[26]![i]);
  });
});
