import { describe, expect, it } from "vitest";
import { Analysis } from "../../schema/analysis.js";
import { renderReport } from "./report.js";

const text =
  "Mayor: Bridge Will Close\n\nThe mayor said the bridge will close in May. He did not offer any proof.";
const contentStart = text.indexOf("the bridge");
const analysis = Analysis.parse({
  schema: "claimscope/analysis@1",
  document: {
    id: "t1",
    title: "Mayor: Bridge Will Close",
    text,
    language: "eng",
    headline: { start: 0, end: 24 },
  },
  sentences: [
    { start: 0, end: 24 },
    { start: 26, end: 70 },
  ],
  entities: [],
  claims: [
    {
      id: "c1",
      kind: "indirect",
      speaker: { name: "Ann Lee", type: "PERSON", start: 26, end: 35 },
      cue: { text: "said", start: 36, end: 40, framing: "neutral" },
      content: { text: "the bridge will close in May", start: contentStart, end: contentStart + 28 },
      evidence: {
        status: "unsupported",
        markers: [{ text: "did not offer any proof", start: 74, end: 97, type: "no-proof" }],
      },
      hedges: [],
      sentence: 1,
      checkworthiness: 0.81,
      factChecks: [
        {
          claimReviewed: "Bridge closes in May",
          rating: "Pants on Fire!",
          publisher: "PolitiFact",
          url: "https://example.org/x",
          score: 0.9,
        },
      ],
    },
  ],
  techniques: [
    {
      technique: "Doubt",
      start: 74,
      end: 97,
      text: "did not offer any proof",
      confidence: 0.6,
      explanation: "Questions the credibility of the speaker.",
    },
  ],
  stance: { label: "discuss", scores: { agree: 0.2, disagree: 0.1, discuss: 0.6, unrelated: 0.1 } },
  credibility: {
    score: 30,
    band: "low",
    probability: 0.3,
    factors: [
      {
        name: "unsupported claims",
        effect: -0.4,
        detail: "1 claim is reported as made without proof",
        spans: [{ start: 74, end: 97, text: "did not offer any proof" }],
      },
    ],
  },
  timings: { nlp: 1 },
});

describe("report format", () => {
  it("shows claims by speaker with evidence, fact-checks, techniques, stance and credibility", () => {
    const r = renderReport(analysis, { color: false });
    expect(r).toContain("Credibility signal: 30/100 (low)");
    expect(r).toContain("Ann Lee (PERSON) — 1 claim");
    expect(r).toContain('as "The mayor"');
    expect(r).toContain("evidence: unsupported");
    expect(r).toContain(
      'PolitiFact: "Pants on Fire!" — Bridge closes in May https://example.org/x (match 0.90)',
    );
    expect(r).toContain("Headline vs body: discuss");
    expect(r).toContain("[did not offer any proof]");
    expect(r).toContain("Questions the credibility of the speaker.");
    expect(r).not.toContain("\x1b[");
  });

  it("lists the most check-worthy claims first, and what each fact-check match rests on", () => {
    const one = analysis.claims[0]!;
    const second = {
      ...one,
      id: "c2",
      speaker: null,
      cue: null,
      kind: "unattributed" as const,
      content: { text: "He did not offer any proof", start: 70, end: 96 },
      checkworthiness: 0.12,
      factChecks: undefined,
    };
    const matched = [{ start: contentStart + 4, end: contentStart + 10 }]; // "bridge"
    const withMatch = {
      ...one,
      checkworthiness: 0.93,
      factChecks: [
        { ...one.factChecks![0]!, claimant: "ann lee", overlap: { factCheck: 0.5, claim: 0.4 }, matched },
      ],
    };
    const r = renderReport({ ...analysis, claims: [second, withMatch] }, { color: false });
    const lines = r.split("\n");
    const at = lines.indexOf("Most check-worthy claims");
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 3)).toEqual([
      `  93%  Ann Lee: the bridge will close in May @${contentStart}-${contentStart + 28} [fact-checked]`,
      "  12%  (no speaker found): He did not offer any proof @70-96",
    ]);
    expect(r).toContain("— Bridge closes in May (claimed by ann lee) https://example.org/x");
    expect(r).toContain(`on the words "bridge" (50% of the fact-check's words)`);
    // One claim is its own list: no section.
    expect(renderReport(analysis, { color: false })).not.toContain("Most check-worthy claims");
  });

  it("says which input it is and where each claim and technique sits in document.text", () => {
    const r = renderReport(analysis, { color: false });
    expect(r.split("\n")[1]).toBe("t1"); // no URL: the document id
    expect(r).toContain(`cue "said", @${contentStart}-${contentStart + 28}; evidence: unsupported`);
    expect(r).toContain("Questions the credibility of the speaker. @74-97");
  });

  it("tells a stage that did not run from one that found nothing", () => {
    const entitiesOnly = { ...analysis, claims: [], techniques: [], timings: { nlp: 1, entities: 1 } };
    expect(renderReport(entitiesOnly, { color: false })).toContain(
      "2 sentences · 0 entities · claims not analyzed (attribution not run) · technique spans not analyzed (techniques not run)",
    );
    const ranAll = { ...entitiesOnly, timings: { nlp: 1, entities: 1, attribution: 1, techniques: 1 } };
    expect(renderReport(ranAll, { color: false })).toContain(
      "2 sentences · 0 entities · 0 claims · 0 technique spans",
    );
  });

  it("says when the credibility stage ran but declined to score, and is silent when it did not run", () => {
    const { credibility: _dropped, ...rest } = analysis;
    void _dropped;
    const reason = "too little body text to judge: 3 words outside the headline, 25 needed";
    expect(
      renderReport(
        { ...rest, skipped: { credibility: reason }, timings: { nlp: 1, credibility: 0.1 } },
        { color: false },
      ),
    ).toContain(`Credibility signal: not assessed (${reason})`);
    expect(renderReport({ ...rest, timings: { nlp: 1 } }, { color: false })).not.toContain(
      "Credibility signal",
    );
    const { stance: _noStance, ...untitled } = rest;
    void _noStance;
    const noHeadline = "no headline: the text has no title to compare its body with";
    expect(renderReport({ ...untitled, skipped: { stance: noHeadline } }, { color: false })).toContain(
      `Headline vs body: not assessed (${noHeadline})`,
    );
  });

  it("signs a credibility factor by its effect: none is '·', not '+'", () => {
    const base = analysis.credibility!;
    const zero = {
      ...analysis,
      credibility: {
        ...base,
        factors: [{ ...base.factors[0]!, name: "persuasion", effect: 0 }, base.factors[0]!],
      },
    };
    const r = renderReport(zero, { color: false });
    expect(r).toContain("  − unsupported claims (−0.4): 1 claim is reported as made without proof");
    expect(r).toContain("  · persuasion (0): 1 claim is reported as made without proof");
    expect(r).not.toMatch(/\+ persuasion/);
    const withUrl = { ...analysis, document: { ...analysis.document, url: "https://news.example/a" } };
    expect(renderReport(withUrl, { color: false }).split("\n")[1]).toBe("https://news.example/a");
  });

  it("uses colour only when asked and flags non-English input", () => {
    expect(renderReport(analysis, { color: true })).toContain("\x1b[1m");
    const spanish = { ...analysis, document: { ...analysis.document, language: "spa" } };
    expect(renderReport(spanish, { color: false })).toMatch(/Not English \(spa\)/);
  });
});

describe("report excerpts and clipped texts around emoji", () => {
  it("never cut a character outside the BMP in half (a lone surrogate prints as U+FFFD)", () => {
    const emoji = "🔥";
    // The claim is long enough to be clipped at 160, with an emoji across the cut; the technique's excerpt
    // context starts and ends inside emoji too.
    const body = `${emoji.repeat(40)} The mayor said ${"the bridge " + emoji.repeat(100)} will close. ${emoji.repeat(40)}`;
    const start = body.indexOf("the bridge");
    const end = body.indexOf(" will close");
    for (let shift = 0; shift < 2; shift++) {
      const text = " ".repeat(shift) + body;
      const s = start + shift;
      const e = end + shift;
      const a = Analysis.parse({
        schema: "claimscope/analysis@1",
        document: { id: "emoji", title: "", text, language: "eng" },
        sentences: [{ start: 0, end: text.length }],
        entities: [],
        claims: [
          {
            id: "c1",
            kind: "indirect",
            speaker: { name: "The mayor", type: "ANONYMOUS" },
            cue: null,
            content: { text: text.slice(s, e), start: s, end: e },
            evidence: { status: "none-stated", markers: [] },
            hedges: [],
            sentence: 0,
          },
        ],
        techniques: [
          {
            technique: "Loaded_Language",
            start: text.indexOf("mayor"),
            end: text.indexOf("mayor") + 5,
            text: "mayor",
            confidence: 0.5,
            explanation: "x",
          },
        ],
        timings: {},
      });
      const out = renderReport(a, { color: false });
      expect(out, `shift ${shift}`).not.toMatch(
        /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
      );
    }
  });
});
