import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Doc } from "../../doc/doc.js";
import { shippedModelPath } from "../../learn/model-io.js";
import { createPipeline } from "../../pipeline/pipeline.js";
import { Skip } from "../../pipeline/stage.js";
import { Credibility } from "../../schema/analysis.js";
import { describeShared, sharedPath } from "../../testing/shared.js";
import { createCredibilityStage } from "./index.js";
import {
  bodyWords,
  MIN_BODY_WORDS,
  TEXT_BITS,
  TEXT_DIM,
  textHashes,
  textVector,
  titleVector,
  wordVector,
} from "./model.js";
import { FEATURES, isFalseRating, signals } from "./signals.js";

describe("false-ish fact-check ratings", () => {
  it("maps common published ratings", () => {
    for (const r of [
      "False",
      "Pants on Fire!",
      "Mostly False",
      "Four Pinocchios",
      "Misleading",
      "Fake news",
      "Not true",
    ])
      expect(isFalseRating(r), r).toBe(true);
    for (const r of ["True", "Mostly True", "Correct attribution", "Half True"])
      expect(isFalseRating(r), r).toBe(false);
  });
});

describe("style signals", () => {
  const doc = Doc.create({
    title: "SHOCKING: You won't believe what they did!",
    text: "This is OUTRAGEOUS and a total disgrace! A source close to the couple said it happened in 2016.",
  });
  const s = signals(doc);
  const v = (name: (typeof FEATURES)[number]) => s.values[FEATURES.indexOf(name)]!;

  it("counts capitals, exclamations, sensational words and anonymous sourcing", () => {
    expect(s.counts.caps).toBe(2);
    expect(s.counts.exclaim).toBe(2);
    expect(s.counts.sensational).toBeGreaterThanOrEqual(2);
    expect(s.counts.anonymous).toBeGreaterThanOrEqual(1);
    expect(v("style.caps")).toBeGreaterThan(0);
    expect(v("style.headline")).toBeGreaterThan(0);
  });

  it("points at exact spans of document.text", () => {
    expect(s.spans.size).toBeGreaterThan(3);
    for (const spans of s.spans.values())
      for (const sp of spans) expect(doc.text.slice(sp.start, sp.end)).toBe(sp.text);
    expect(s.spans.get("all-caps")!.map((x) => x.text)).toEqual(["SHOCKING", "OUTRAGEOUS"]);
  });

  it("gives zero claim, technique and fact-check values when those layers are missing", () => {
    for (const f of [
      "claims.unattributed",
      "techniques.density",
      "stance.disagree",
      "factchecks.false",
    ] as const)
      expect(v(f)).toBe(0);
  });
});

describe("text features", () => {
  const vec = (title: string, text: string) => {
    const h = textHashes(Doc.create({ title, text }));
    return { h, v: textVector(h), w: wordVector(h) };
  };
  const block = (v: { idx: Int32Array; val: Float32Array }, char: boolean) =>
    new Map([...v.idx].map((k, j) => [k, v.val[j]!] as const).filter(([k]) => k >= 1 << TEXT_BITS === char));

  it("holds a word block and a character block, each of half the unit length", () => {
    const { v, w } = vec("Council approves budget", "The council approved the budget on Tuesday.");
    const sq = (m: Map<number, number>) => [...m.values()].reduce((s, x) => s + x * x, 0);
    expect(sq(block(v, false))).toBeCloseTo(0.5, 5);
    expect(sq(block(v, true))).toBeCloseTo(0.5, 5);
    for (const k of v.idx) expect(k).toBeLessThan(TEXT_DIM);
    // The word vector is the word block at full length.
    expect([...w.idx].sort()).toEqual([...block(v, false).keys()].sort());
  });

  it("reads character n-grams case-blind and with whitespace runs as one space", () => {
    const a = block(vec("Council approves budget", "The council  approved\n the BUDGET.").v, true);
    const b = block(vec("council approves BUDGET", "the Council approved the budget.").v, true);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    const c = block(vec("Council approves budget", "The council rejected the budget.").v, true);
    expect([...c.keys()].sort()).not.toEqual([...a.keys()].sort());
  });

  it("reads the headline vector off the headline only: the text vector of the headline alone", () => {
    const title = "Shocking: Star  Secretly Married?";
    const doc = Doc.create({ title, text: "Sources say the couple wed in May. Nobody confirmed it." });
    const t = titleVector(doc, textHashes(doc));
    const alone = textVector(textHashes(Doc.create({ title, text: "" })));
    expect(Array.from(t.idx)).toEqual(Array.from(alone.idx));
    expect(Array.from(t.val)).toEqual(Array.from(alone.val));
    // Nothing of the body, and empty without a headline.
    const other = Doc.create({ title, text: "A different body about the weather." });
    expect(Array.from(titleVector(other, textHashes(other)).idx)).toEqual(Array.from(t.idx));
    const none = Doc.create({ title: "", text: "Only a body, no headline at all here." });
    expect(titleVector(none, textHashes(none)).idx.length).toBe(0);
  });

  it("maps every character n-gram back to an offset of document.text", () => {
    const doc = Doc.create({ title: "A  title", text: "Body   text\n\nwith paragraphs." });
    const h = textHashes(doc);
    expect(h.nc).toBe("a title body text with paragraphs.".length);
    for (let c = 0; c < h.nc; c++) expect(h.charPos[c]!).toBeLessThan(doc.text.length);
    expect(doc.text[h.charPos[h.nc - 1]!]).toBe(".");
  });
});

const shipped = existsSync(shippedModelPath("credibility"));

describe.runIf(shipped)("credibility stage", () => {
  it("tolerates missing layers and returns a valid, explained result", async () => {
    const stage = await createCredibilityStage({ stages: [] });
    expect(stage.reads).not.toContain("claims");
    const doc = Doc.create({
      title: "Council approves budget",
      text:
        "The city council approved the 2024 budget on Tuesday, the mayor said. Spending on schools rises by " +
        "3 percent and the new bus line opens in July, according to the finance office.",
    });
    const c = Credibility.parse(stage.run(doc, { options: {} }));
    expect(c.score).toBeGreaterThanOrEqual(0);
    expect(c.factors.length).toBeGreaterThan(0);
    for (const f of c.factors) {
      expect(f.detail).not.toMatch(/\b(?:fake|true)\b/i);
      for (const sp of f.spans) expect(doc.text.slice(sp.start, sp.end)).toBe(sp.text);
    }
  });

  it("says a signal is absent without empty lists or quoting the body as if it were the signal", async () => {
    const stage = await createCredibilityStage({});
    const doc = Doc.create({
      title: "Council approves budget",
      text:
        "The city council approved the 2024 budget on Tuesday, the mayor said. It takes effect in July and " +
        "raises spending on schools and on the repair of roads in the northern districts of the city.",
    });
    doc.layers.claims = [];
    doc.layers.techniques = [];
    const c = Credibility.parse(stage.run(doc, { options: {} }));
    expect(c.factors.map((f) => f.name)).toContain("persuasion-techniques");
    // A headline without click-bait cues is pointed at, not the body.
    const style = c.factors.find((f) => f.name === "headline-style");
    if (style) expect(style.spans).toEqual([{ start: 0, end: 23, text: "Council approves budget" }]);
    for (const f of c.factors) {
      expect(f.detail).not.toContain("()");
      if (f.name === "cue-framing" || f.name === "persuasion-techniques") expect(f.detail).toMatch(/^No /);
    }
  });
});

describe("texts too short to judge", () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");

  it("counts the words of the body, not of the headline", () => {
    expect(bodyWords(Doc.create({ title: "A headline of six words here", text: "" }))).toBe(0);
    expect(bodyWords(Doc.create({ title: "Headline", text: "Two words, and 3 more!" }))).toBe(5);
    expect(bodyWords(Doc.create({ text: "Hi" }))).toBe(1);
    expect(bodyWords(Doc.create({ text: words(40) }), 10)).toBe(10);
  });

  describe.runIf(shipped)("the stage", () => {
    it(`adds no score below ${MIN_BODY_WORDS} words of body text, and one from there on`, async () => {
      const stage = await createCredibilityStage({ stages: [] });
      const run = (title: string, text: string) => stage.run(Doc.create({ title, text }), { options: {} });
      const reason = (out: unknown) => (out instanceof Skip ? out.reason : "scored");
      expect(reason(run("", "Hi"))).toBe(
        `too little body text to judge: 1 word outside the headline, ${MIN_BODY_WORDS} needed`,
      );
      expect(reason(run("Senator says the moon landing was staged", ""))).toMatch(/: 0 words outside/);
      expect(reason(run("Headline", words(MIN_BODY_WORDS - 1)))).toMatch(
        new RegExp(`: ${MIN_BODY_WORDS - 1} words`),
      );
      expect(Credibility.parse(run("Headline", words(MIN_BODY_WORDS))).score).toBeGreaterThanOrEqual(0);
    });
  });
});

describeShared(
  "credibility of the example articles (full pipeline)",
  ["examples/putin-us-strike-syria.txt", "examples/lavrov-attack-staged.txt"],
  () => {
    for (const name of ["putin-us-strike-syria.txt", "lavrov-attack-staged.txt"]) {
      it(`${name}: score <= 40 explained by >= 3 factors with spans (>= 2 lowering it)`, async () => {
        const raw = readFileSync(sharedPath("examples", name), "utf8");
        const nl = raw.indexOf("\n");
        const pipeline = await createPipeline();
        const a = pipeline.analyze({ title: raw.slice(0, nl).trim(), text: raw.slice(nl + 1) });
        const c = a.credibility!;
        expect(c.score).toBeLessThanOrEqual(40);
        const withSpans = c.factors.filter((f) => f.spans.length > 0);
        expect(withSpans.length).toBeGreaterThanOrEqual(3);
        expect(withSpans.filter((f) => f.effect < 0).length).toBeGreaterThanOrEqual(2);
        for (const f of c.factors)
          for (const sp of f.spans) expect(a.document.text.slice(sp.start, sp.end)).toBe(sp.text);
      }, 30000);
    }
  },
);
