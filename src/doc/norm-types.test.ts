import { describe, expect, it } from "vitest";
import { Doc, normTypes } from "./doc.js";

describe("normTypes", () => {
  it("maps every token to its distinct norm, and the same word to the same id across documents", () => {
    const a = Doc.create({ text: "The cat saw the dog. The dog ran." });
    const b = Doc.create({ text: "A dog and a cat." });
    const ta = normTypes(a);
    const tb = normTypes(b);
    expect(normTypes(a)).toBe(ta);
    for (let i = 0; i < a.tokens.count; i++) expect(ta.types[ta.typeOf[i]!]).toBe(a.tokens.norm[i]);
    expect(new Set(ta.types).size).toBe(ta.types.length);
    expect(ta.types.length).toBe(new Set(a.tokens.norm).size);
    const idOf = (t: typeof ta, w: string): number => t.vocabId[t.types.indexOf(w)]!;
    expect(idOf(ta, "dog")).toBe(idOf(tb, "dog"));
    expect(idOf(ta, "cat")).toBe(idOf(tb, "cat"));
    expect(idOf(ta, "dog")).not.toBe(idOf(ta, "cat"));
    expect(tb.generation).toBe(ta.generation);
  });
});
