// WordLookup keeps each word's vector row by process-wide word id: the rows it gives a segment must be the
// rows a direct lookup of each token's norm gives, for words first met in this or in an earlier document.
import { describe, expect, it } from "vitest";
import { Doc } from "../../doc/doc.js";
import { wholeSegment } from "./features.js";
import { WordLookup } from "./neural.js";

describe("WordLookup by word id", () => {
  it("gives every token the row its norm looks up to, across documents", () => {
    const lookup = new WordLookup(["the", "senate", "vote", "42", "?", "budget", "said"]);
    const texts = [
      "The Senate will vote on the budget, the senator said.",
      "Did 42 senators vote? The budget passed -- barely.",
      "A budget vote: the Senate said yes (42 to 40).",
    ];
    let known = 0;
    for (const text of texts) {
      const seg = wholeSegment(Doc.create({ text }));
      const expected: number[] = [];
      for (let t = seg.tokStart; t < seg.tokEnd; t++) {
        const row = lookup.idOf(seg.doc.tokens.norm[t]!);
        if (row !== -2) expected.push(row);
        if (row >= 0) known++;
      }
      expect(Array.from(lookup.ids(seg))).toEqual(expected);
    }
    // Known words, unknown words (-1) and skipped punctuation (-2) all occur.
    expect(known).toBeGreaterThan(8);
    expect(lookup.idOf("filibuster")).toBe(-1);
    expect(lookup.idOf(",")).toBe(-2);
  });
});
