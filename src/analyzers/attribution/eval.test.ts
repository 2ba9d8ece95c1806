import { describe, expect, it } from "vitest";
import { AttributionScorer, claimToSpans, normalizeFragments, type RelationSpans } from "./eval.js";
import type { Claim } from "../../schema/analysis.js";

const TEXT = 'Officials said on Monday that "the plant is safe," and the minister agreed.';
const sp = (s: string, from = 0) => ({ start: TEXT.indexOf(s, from), end: TEXT.indexOf(s, from) + s.length });

describe("normalizeFragments", () => {
  it("trims whitespace and punctuation and merges fragments separated only by them", () => {
    const quoted = sp('"the plant is safe,"');
    expect(normalizeFragments(TEXT, [quoted])).toEqual([sp("the plant is safe")]);
    const a = sp("the plant");
    const b = sp("is safe");
    expect(normalizeFragments(TEXT, [b, a])).toEqual([sp("the plant is safe")]);
    expect(normalizeFragments(TEXT, [sp('," ')])).toEqual([]);
    expect(normalizeFragments(TEXT, null)).toEqual([]);
  });
});

describe("AttributionScorer", () => {
  const gold: RelationSpans[] = [
    { source: [sp("Officials")], cue: [sp("said on Monday")], content: [sp('"the plant is safe,"')] },
    { source: [sp("the minister")], cue: [sp("agreed")], content: [] },
  ];

  it("gives 1.0 everywhere for a perfect prediction", () => {
    const s = new AttributionScorer();
    s.add(TEXT, gold, gold);
    const r = s.result();
    for (const role of ["cue", "source", "content"] as const) {
      expect(r[role].exact.f1).toBe(1);
      expect(r[role].overlap.f1).toBe(1);
    }
    expect(r.attribution.f1).toBe(1);
  });

  it("separates exact from overlap matches", () => {
    const pred: RelationSpans[] = [
      // cue shorter than gold, content without the quotes (same after trimming), source exact
      { source: [sp("Officials")], cue: [sp("said")], content: [sp("the plant is safe")] },
    ];
    const s = new AttributionScorer();
    s.add(TEXT, gold, pred);
    const r = s.result();
    // cue: 1 predicted, 2 gold; exact 0, overlap 1
    expect(r.cue.exact).toEqual({ p: 0, r: 0, f1: 0 });
    expect(r.cue.overlap.p).toBe(1);
    expect(r.cue.overlap.r).toBe(0.5);
    expect(r.content.exact.f1).toBe(1); // quotes and comma trimmed on the gold side
    expect(r.source.exact.r).toBe(0.5);
    expect(r.attribution.p).toBe(1);
    expect(r.attribution.r).toBe(0.5);
  });

  it("matches spans one-to-one: two predictions inside one gold span count once", () => {
    const s = new AttributionScorer();
    s.add(
      TEXT,
      [gold[0]!],
      [
        { source: null, cue: [sp("said")], content: [sp("the plant")] },
        { source: null, cue: [sp("on Monday")], content: [sp("is safe")] },
      ],
    );
    const r = s.result();
    expect(r.cue.overlap.p).toBe(0.5);
    expect(r.cue.overlap.r).toBe(1);
    // gold has a source, predictions have none: no whole relation matches
    expect(r.attribution.f1).toBe(0);
  });

  it("accepts a missing source when gold has none, but not an extra one", () => {
    const noSrc: RelationSpans = { source: null, cue: [sp("agreed")], content: [sp("the plant is safe")] };
    const a = new AttributionScorer();
    a.add(TEXT, [noSrc], [noSrc]);
    expect(a.result().attribution.f1).toBe(1);
    const b = new AttributionScorer();
    b.add(TEXT, [noSrc], [{ ...noSrc, source: [sp("the minister")] }]);
    expect(b.result().attribution.f1).toBe(0);
  });
});

describe("claimToSpans", () => {
  it("maps speaker, cue and content parts of a stage claim", () => {
    const claim: Claim = {
      id: "c1",
      kind: "indirect",
      speaker: { name: "Officials", type: "ANONYMOUS", ...sp("Officials") },
      cue: { text: "said", framing: "neutral", ...sp("said") },
      content: { text: "x", ...sp("that"), parts: [sp("the plant"), sp("is safe")] },
      evidence: { status: "anonymous", markers: [] },
      hedges: [],
      sentence: 0,
    };
    expect(claimToSpans(claim)).toEqual({
      source: [sp("Officials")],
      cue: [sp("said")],
      content: [sp("the plant"), sp("is safe")],
    });
    expect(
      claimToSpans({
        ...claim,
        speaker: { name: "he", type: "PERSON" },
        content: { text: "x", ...sp("that") },
      }),
    ).toEqual({
      source: null,
      cue: [sp("said")],
      content: [sp("that")],
    });
  });
});
