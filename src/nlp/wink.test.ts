import { describe, expect, it } from "vitest";
import { winkAnalyze } from "./wink.js";

const tokens = (text: string): string[] => {
  const r = winkAnalyze(text);
  return Array.from(r.start, (s, i) => text.slice(s, r.end[i]));
};

describe("winkAnalyze", () => {
  it("tokenizes a text the same whatever the process read before", () => {
    const text = "In 2017, Zorblatt's image will replace the old one. Zorblatt's aide agreed.";
    const before = tokens(text);
    // Contexts in which wink caches the possessive as one out-of-vocabulary word.
    for (const t of ["“Zorblatt's”", "(Zorblatt's)", "Zorblatt's.", "#Zorblatt's", "Zorblatt's—"])
      winkAnalyze(t);
    expect(tokens(text)).toEqual(before);
    expect(before).toContain("Zorblatt");
  });
});
