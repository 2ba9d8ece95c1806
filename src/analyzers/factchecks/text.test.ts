// Index terms with their places in the text: the spans a fact-check match points at.
import { describe, expect, it } from "vitest";
import { terms, termSpans } from "./text.js";

describe("termSpans", () => {
  const samples = [
    "Says Donald Trump's tax plan gives the wealthy 1,000 dollars, not $3,500.",
    "“Vaccines cause autism,” she said — it’s false; #AustralianFires @georgesoros",
    "The U.S. spent 12,345.67 billion on 2,000s-era programs … or did it?",
    "",
  ];

  it("gives the same terms as `terms`, in order", () => {
    for (const s of samples) expect(termSpans(s).map((t) => t.term)).toEqual(terms(s));
  });

  it("points at the characters each term comes from", () => {
    const s = samples[0]!;
    const spans = termSpans(s);
    expect(spans.map((t) => s.slice(t.start, t.end))).toEqual([
      "Donald",
      "Trump's",
      "tax",
      "plan",
      "gives",
      "wealthy",
      "1,000",
      "dollars",
      "not",
      "3,500",
    ]);
    for (const t of spans) expect(terms(s.slice(t.start, t.end))).toEqual([t.term]);
  });
});
