import { describe, expect, it } from "vitest";
import { Doc } from "../../../doc/doc.js";
import {
  buildCueLexicon,
  cueBucket,
  docFeatures,
  ALL_TEMPLATES,
  TEMPLATE_COUNT,
  LEAN_TEMPLATES,
  QS_AFTER_QUOTE,
  QS_BEFORE_QUOTE,
  QS_CLOSE,
  QS_INSIDE,
  QS_OPEN,
  QS_OUTSIDE,
  quoteStates,
  lemmaish,
  TEMPLATE_SETS,
} from "./features.js";
import {
  addPatternAttributions,
  cueVoice,
  decodeSpans,
  groupSpans,
  tagUnits,
  transcriptTurns,
  type TokenSpan,
} from "./model.js";
import { averageTaggers, goldTags, trainAttributionTagger } from "./train.js";
import { SequenceTagger } from "../../../learn/tagger.js";
import type { GoldRelation } from "./polnear.js";

const tokIndex = (doc: Doc, word: string, nth = 0) => {
  let k = -1;
  for (let i = 0; i < doc.tokens.count; i++) if (doc.tokenText(i) === word && ++k === nth) return i;
  throw new Error(`no token ${word}`);
};

describe("quote states", () => {
  it("tracks inside/outside over normalised quote marks and marks tokens around a quote", () => {
    const doc = Doc.create({ text: "He said “it is fine” today. “Next,” she said.\n“Another paragraph" });
    const q = new Uint8Array(doc.tokens.count);
    quoteStates(doc, q);
    expect(q[tokIndex(doc, "He")]).toBe(QS_BEFORE_QUOTE);
    expect(q[tokIndex(doc, "“")]).toBe(QS_OPEN);
    expect(q[tokIndex(doc, "fine")]).toBe(QS_INSIDE);
    expect(q[tokIndex(doc, "”")]).toBe(QS_CLOSE);
    expect(q[tokIndex(doc, "today")]).toBe(QS_AFTER_QUOTE);
    expect(q[tokIndex(doc, "she")]).toBe(QS_AFTER_QUOTE);
    // a new paragraph starts outside, so its opening mark opens
    expect(q[tokIndex(doc, "“", 2)]).toBe(QS_OPEN);
    expect(q[tokIndex(doc, "Another")]).toBe(QS_INSIDE);
    const plain = Doc.create({ text: "Nothing quoted here." });
    const q2 = new Uint8Array(plain.tokens.count);
    quoteStates(plain, q2);
    expect([...q2].every((x) => x === QS_OUTSIDE)).toBe(true);
  });
});

describe("token features", () => {
  const lexicon = buildCueLexicon(
    new Map([
      ["said", 90],
      ["told", 3],
      ["the", 5],
    ]),
    new Map([
      ["said", 100],
      ["told", 4],
      ["the", 1000],
    ]),
  );

  it("derives cue buckets from the share of occurrences inside cues", () => {
    expect(lexicon).toEqual({ said: 4, told: 4 });
    expect(cueBucket(0.35)).toBe(3);
    expect(cueBucket(0.01)).toBe(0);
  });

  it("emits one in-range index per template per token, deterministically, depending only on context", () => {
    const doc = Doc.create({ text: "Smith said taxes rise.\nSmith said taxes rise." });
    const f = docFeatures(doc, lexicon, 12);
    const n = doc.tokens.count;
    expect(f.flat.length).toBe(n * ALL_TEMPLATES.length);
    expect(f.flat.every((x) => x >= 0 && x < 4096)).toBe(true);
    expect(docFeatures(doc, lexicon, 12).flat).toEqual(f.flat);
    // identical paragraphs give identical features (neighbours never cross a paragraph)
    const half = n / 2;
    expect(f.flat.subarray(0, half * ALL_TEMPLATES.length)).toEqual(
      f.flat.subarray(half * ALL_TEMPLATES.length),
    );
    expect(f.cue[tokIndex(doc, "said")]).toBe(4);
    // a different cue-lexicon changes the features of the cue word
    const other = docFeatures(doc, {}, 12);
    const s = tokIndex(doc, "said") * ALL_TEMPLATES.length;
    expect(other.flat.subarray(s, s + ALL_TEMPLATES.length)).not.toEqual(
      f.flat.subarray(s, s + ALL_TEMPLATES.length),
    );
  });

  it("computes a subset of templates as the same indices, in template order", () => {
    const doc = Doc.create({ text: "Jones told reporters it was false." });
    const all = docFeatures(doc, lexicon, 14);
    const lean = docFeatures(doc, lexicon, 14, LEAN_TEMPLATES);
    const L = LEAN_TEMPLATES.length;
    expect(L).toBeLessThan(ALL_TEMPLATES.length);
    expect(lean.flat.length).toBe(doc.tokens.count * L);
    for (let i = 0; i < doc.tokens.count; i++)
      for (let k = 0; k < L; k++)
        expect(lean.flat[i * L + k]).toBe(all.flat[i * ALL_TEMPLATES.length + LEAN_TEMPLATES[k]!]);
  });

  it("lets the lemma templates read the lemma lexicon (inflections share a cue bucket) and nothing else", () => {
    const doc = Doc.create({ text: "Smith encouraged voters." });
    const T = TEMPLATE_SETS["lean+lemma+comp"];
    expect(Math.max(...Object.values(TEMPLATE_SETS).flat()) + 1).toBe(TEMPLATE_COUNT);
    const k = tokIndex(doc, "encouraged") * T.length;
    const withLemma = docFeatures(doc, lexicon, 14, T, { encourag: 4 });
    const without = docFeatures(doc, lexicon, 14, T);
    expect(lemmaish("encouraging")).toBe(lemmaish("encouraged"));
    // the first templates are the lean ones, unchanged; the last two (45, 46) change
    const L = LEAN_TEMPLATES.length;
    expect(withLemma.flat.subarray(k, k + L)).toEqual(without.flat.subarray(k, k + L));
    expect(withLemma.flat[k + L]).not.toBe(without.flat[k + L]);
    expect(withLemma.flat[k + L + 1]).not.toBe(without.flat[k + L + 1]);
  });

  it("tells a cue word with an earlier cue in its sentence from one without (template 48)", () => {
    const doc = Doc.create({ text: "Smith said Jones told voters. Jones told voters." });
    const f = docFeatures(doc, lexicon, 14, [48]);
    expect(f.flat[tokIndex(doc, "told")]).not.toBe(f.flat[tokIndex(doc, "told", 1)]);
    // the first cue of a sentence has no earlier cue, like a token of a sentence without any
    const g = docFeatures(Doc.create({ text: "Smith said it. Jones told us." }), lexicon, 14, [48]);
    const d2 = Doc.create({ text: "Smith said it. Jones told us." });
    expect(g.flat[tokIndex(d2, "said")]).toBe(g.flat[tokIndex(d2, "told")]);
  });

  it("marks tokens in the complement of an earlier cue (template 47)", () => {
    const doc = Doc.create({ text: "Smith said that Jones told voters. Jones told voters." });
    const f = docFeatures(doc, lexicon, 14, [47]);
    // same word, same POS and cue bucket: only the complement flag differs
    expect(doc.tokens.pos[tokIndex(doc, "told")]).toBe(doc.tokens.pos[tokIndex(doc, "told", 1)]);
    expect(f.flat[tokIndex(doc, "told")]).not.toBe(f.flat[tokIndex(doc, "told", 1)]);
    // before "that" nothing is in a complement: "Smith" equals the second sentence's first token class
    const g = docFeatures(Doc.create({ text: "Smith said it. Smith said it." }), lexicon, 14, [47]);
    expect(g.flat[0]).toBe(g.flat[4]);
  });
});

describe("gold tags and decoding", () => {
  const text = "Smith said taxes will rise, he added, next year.";
  const doc = Doc.create({ text });
  const sp = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
  const rel: GoldRelation = {
    id: "E1",
    source: [sp("Smith")],
    cue: [sp("said")],
    content: [sp("taxes will rise"), sp("next year")],
  };

  it("gives each fragment its own B- tag", () => {
    const tags = goldTags(doc, [rel]);
    const at = (w: string) => tags[tokIndex(doc, w)];
    expect([
      at("Smith"),
      at("said"),
      at("taxes"),
      at("will"),
      at("rise"),
      at("he"),
      at("next"),
      at("year"),
    ]).toEqual([1, 3, 5, 6, 6, 0, 5, 6]);
  });

  it("decodes BIO into spans, reading a stray I- as a B-", () => {
    expect(decodeSpans([0, 1, 2, 0, 4, 4, 5, 6, 1])).toEqual([
      { type: "source", tokStart: 1, tokEnd: 3 },
      { type: "cue", tokStart: 4, tokEnd: 6 },
      { type: "content", tokStart: 6, tokEnd: 8 },
      { type: "source", tokStart: 8, tokEnd: 9 },
    ]);
  });

  it("groups spans: content to the nearest cue, the cue's source from its sentence", () => {
    const d2 = Doc.create({
      text: "Smith said taxes will rise. Jones told reporters it was false.\n“More later,” she said.",
    });
    const span = (type: TokenSpan["type"], a: string, b: string, nth = 0): TokenSpan => ({
      type,
      tokStart: tokIndex(d2, a, nth),
      tokEnd: tokIndex(d2, b, nth) + 1,
    });
    const rels = groupSpans(d2, [
      span("source", "Smith", "Smith"),
      span("cue", "said", "said"),
      span("content", "taxes", "rise"),
      span("source", "Jones", "Jones"),
      span("cue", "told", "reporters"),
      span("content", "it", "false"),
      span("content", "More", "later"),
      span("source", "she", "she"),
      span("cue", "said", "said", 1),
    ]);
    const show = (s: { start: number; end: number } | null) => (s ? d2.text.slice(s.start, s.end) : null);
    expect(
      rels.map((r) => [r.source?.map(show).join("|") ?? null, show(r.cue), r.content.map(show).join("|")]),
    ).toEqual([
      ["Smith", "said", "taxes will rise"],
      ["Jones", "told reporters", "it was false"],
      ["she", "said", "More later"],
    ]);
    expect(rels.map((r) => r.sentence)).toEqual([0, 1, 2]);
  });

  it("takes a cue's source from the previous sentence when the cue opens its sentence (a wrong split)", () => {
    const text = "Taxes are high. Sen. Claire McCaskill (D-Mo.) said it is a disgrace.";
    const d3 = Doc.create({ text });
    const cueTok = tokIndex(d3, "said");
    const srcA = tokIndex(d3, "Claire");
    const srcB = tokIndex(d3, ")");
    const sentOf = d3.tokens.sentence;
    const rels = groupSpans(d3, [
      { type: "source", tokStart: srcA, tokEnd: srcB + 1 },
      { type: "cue", tokStart: cueTok, tokEnd: cueTok + 1 },
    ]);
    const show = (s: { start: number; end: number }) => text.slice(s.start, s.end);
    expect(rels[0]!.source?.map(show)).toEqual(["Claire McCaskill (D-Mo.)"]);
    if (sentOf[cueTok] !== sentOf[srcB]) expect(d3.sentences[sentOf[cueTok]!]!.tokStart).toBe(cueTok);
    // The same source a sentence away from a cue inside its sentence stays apart.
    const rels2 = groupSpans(d3, [
      { type: "source", tokStart: srcA, tokEnd: srcB + 1 },
      { type: "cue", tokStart: cueTok + 2, tokEnd: cueTok + 3 },
    ]);
    if (sentOf[cueTok] !== sentOf[srcB]) expect(rels2[0]!.source).toBeNull();
  });

  it("gives a passive cue the agent after “by” as its source, or no source", () => {
    const text =
      "Clinton has been endorsed by dozens of papers. Peacekeepers were accused of abuse. Smith said it.";
    const d5 = Doc.create({ text });
    const span = (type: TokenSpan["type"], a: string, b: string): TokenSpan => ({
      type,
      tokStart: tokIndex(d5, a),
      tokEnd: tokIndex(d5, b) + 1,
    });
    const cues = [span("cue", "has", "by"), span("cue", "were", "accused"), span("cue", "said", "said")];
    expect(cues.map((c) => cueVoice(d5, c))).toEqual(["by-agent", "passive", "active"]);
    const rels = groupSpans(d5, [
      span("source", "Clinton", "Clinton"),
      ...cues.slice(0, 1),
      span("source", "dozens", "papers"),
      span("source", "Peacekeepers", "Peacekeepers"),
      cues[1]!,
      span("source", "Smith", "Smith"),
      cues[2]!,
    ]);
    const show = (s: { start: number; end: number }) => text.slice(s.start, s.end);
    expect(rels.map((r) => [show(r.cue!), r.source?.map(show) ?? null])).toEqual([
      ["has been endorsed by", ["dozens of papers"]],
      ["were accused", null],
      ["said", ["Smith"]],
    ]);
  });

  it("keeps a content span split by an aside with the cue of its first part", () => {
    const d4 = Doc.create({
      text: "Russia claims that the army struck (by mistake) a depot, the US says that photos prove it.",
    });
    const span = (type: TokenSpan["type"], a: string, b: string): TokenSpan => ({
      type,
      tokStart: tokIndex(d4, a),
      tokEnd: tokIndex(d4, b) + 1,
    });
    const rels = groupSpans(d4, [
      span("source", "Russia", "Russia"),
      span("cue", "claims", "claims"),
      span("content", "that", "struck"),
      span("content", "a", "depot"),
      span("source", "the", "US"),
      span("cue", "says", "says"),
      span("content", "photos", "it"),
    ]);
    const show = (s: { start: number; end: number }) => d4.text.slice(s.start, s.end);
    expect(rels.map((r) => [show(r.cue!), r.content.map(show)])).toEqual([
      ["claims", ["that the army struck", "a depot"]],
      ["says", ["photos prove it"]],
    ]);
  });

  it("splits units by paragraph or by sentence", () => {
    const d3 = Doc.create({ text: "One. Two.\nThree." });
    expect(tagUnits(d3, "paragraph")).toHaveLength(2);
    expect(tagUnits(d3, "sentence")).toHaveLength(3);
  });
});

describe("training on a tiny synthetic corpus", () => {
  const names = ["Smith", "Jones", "Garcia", "Chen", "Okafor", "Novak", "Rossi", "Haddad"];
  const claims = ["taxes will rise", "the bridge is safe", "the vote was fair", "prices fell sharply"];
  const make = (name: string, claim: string, inverted: boolean) => {
    const text = inverted
      ? `“${claim[0]!.toUpperCase()}${claim.slice(1)},” ${name} said.`
      : `${name} said that ${claim}.`;
    const doc = Doc.create({ text });
    const sp = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
    const content = inverted ? sp(claim[0]!.toUpperCase() + claim.slice(1)) : sp(`that ${claim}`);
    return {
      id: text,
      doc,
      tags: [goldTags(doc, [{ id: "E1", source: [sp(name)], cue: [sp("said")], content: [content] }])],
    };
  };
  const train = names.slice(0, 6).flatMap((n, i) => claims.map((c, j) => make(n, c, (i + j) % 2 === 0)));

  it("averages the weights of an ensemble into one tagger", () => {
    const a = new SequenceTagger(["O", "X"], 2, Float32Array.from([1, 2, 3, 4]), new Float32Array(6).fill(1));
    const b = new SequenceTagger(["O", "X"], 2, Float32Array.from([3, 2, 1, 0]), new Float32Array(6).fill(3));
    const m = averageTaggers([a, b]);
    expect([...m.weights]).toEqual([2, 2, 2, 2]);
    expect([...m.transitions]).toEqual([2, 2, 2, 2, 2, 2]);
    const e2 = trainAttributionTagger(train, { epochs: 2, bits: 12, unit: "sentence", ensemble: 2 });
    const s17 = trainAttributionTagger(train, { epochs: 2, bits: 12, unit: "sentence", seed: 17 });
    const s18 = trainAttributionTagger(train, { epochs: 2, bits: 12, unit: "sentence", seed: 18 });
    const mean = averageTaggers([s17.tagger, s18.tagger]);
    expect(e2.tagger.weights).toEqual(mean.weights);
    expect(e2.model.info?.ensemble).toBe(2);
  });

  it.each(["perceptron", "crf"] as const)(
    "learns (%s) to find source, cue and content for unseen speakers",
    (learner) => {
      const model = trainAttributionTagger(train, { epochs: 5, bits: 14, unit: "sentence", learner });
      expect(model.model.cueLexicon.said).toBe(4);
      expect(model.model.info?.learner).toBe(learner === "crf" ? "crf" : undefined);
      for (const inverted of [false, true]) {
        const test = make("Haddad", "the plan works", inverted);
        const rels = model.tagAttributions(test.doc);
        expect(rels).toHaveLength(1);
        const r = rels[0]!;
        const show = (s: { start: number; end: number }) => test.doc.text.slice(s.start, s.end);
        expect(r.source?.map(show)).toEqual(["Haddad"]);
        expect(show(r.cue!)).toBe("said");
        expect(r.content.map(show)).toEqual([inverted ? "The plan works" : "that the plan works"]);
      }
    },
  );
});

describe("dash-signed quotes", () => {
  const text =
    "Readers wrote in.\n\n“He is wrong about us. He said “hell” twice.” ― Ana Ruiz\n" +
    "“Taxes will rise,”― Bo Lee, teacher\n" +
    'Officials insisted the party was "still the first force."--Kim Jones.\nEnd.';
  const doc = Doc.create({ text });
  const show = (s: { start: number; end: number }) => text.slice(s.start, s.end);

  it("makes the dash the cue, the name the source and the whole line's quote the content", () => {
    const rels = addPatternAttributions(doc, []);
    expect(rels.map((r) => [show(r.cue!), r.source!.map(show), r.content.map(show)])).toEqual([
      ["―", ["Ana Ruiz"], ["“He is wrong about us. He said “hell” twice.”"]],
      ["―", ["Bo Lee"], ["“Taxes will rise,”"]],
    ]);
  });

  it("replaces tagger relations nested inside the quote and keeps the others", () => {
    const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
    const nested = { source: [at("He said")], cue: at("said"), content: [at("hell")], sentence: 1 };
    const outside = { source: null, cue: at("wrote"), content: [at("in")], sentence: 0 };
    const rels = addPatternAttributions(doc, [outside, nested]);
    expect(rels).toHaveLength(3);
    expect(rels[0]).toBe(outside);
    expect(rels.some((r) => r === nested)).toBe(false);
  });
});

describe("transcript turns", () => {
  it("makes each labelled paragraph of a transcript a relation: label = source, colon = cue", () => {
    const text =
      "Pence on the debate.\n\n" +
      '"WALLACE: Will she be there?\n\n"PENCE: Well, look, she said it.\n\nWALLACE: Really?\n\nUPDATE: Fixed.';
    const doc = Doc.create({ text });
    const show = (s: { start: number; end: number }) => text.slice(s.start, s.end);
    const turns = transcriptTurns(doc);
    expect(turns.map((r) => [r.source!.map(show), show(r.cue!), r.content.map(show)])).toEqual([
      [["WALLACE"], ":", ["Will she be there?"]],
      [["PENCE"], ":", ["Well, look, she said it."]],
      [["WALLACE"], ":", ["Really?"]],
    ]);
    // The nested "she said" gives way to the turn that holds it.
    const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
    const nested = { source: [at("she said")], cue: at("said"), content: [at("it.")], sentence: 2 };
    const rels = addPatternAttributions(doc, [nested]);
    expect(rels).toHaveLength(3);
    expect(rels.includes(nested)).toBe(false);
  });

  it("needs three turns (one labelled paragraph is not a transcript)", () => {
    expect(transcriptTurns(Doc.create({ text: "Title.\n\nCLINTON: I agree.\n\nThen it ended." }))).toEqual(
      [],
    );
  });
});

describe("CRF tagger's tag biases", () => {
  it("are the same model with each span type's tags raised by its bias at every token", () => {
    const make = (text: string) => {
      const doc = Doc.create({ text });
      const sp = (x: string) => ({ start: text.indexOf(x), end: text.indexOf(x) + x.length });
      return {
        id: text,
        doc,
        tags: [
          goldTags(doc, [{ id: "E1", source: [sp("Lee")], cue: [sp("said")], content: [sp("it rained")] }]),
        ],
      };
    };
    const train = [make("Lee said it rained."), make("Then Lee said it rained today.")];
    const plain = trainAttributionTagger(train, { epochs: 2, bits: 10, unit: "sentence", learner: "crf" });
    const biased = trainAttributionTagger(train, {
      epochs: 2,
      bits: 10,
      unit: "sentence",
      learner: "crf",
      tagBias: { source: 0.5, cue: 0.25, content: 0 },
    });
    expect(biased.tagger.weights).toEqual(plain.tagger.weights);
    const T = plain.tagger.T;
    for (let r = 0; r <= T; r++)
      for (let t = 0; t < T; t++)
        expect(biased.tagger.transitions[r * T + t]).toBeCloseTo(
          plain.tagger.transitions[r * T + t]! + [0, 50, 50, 25, 25, 0, 0][t]!,
          3,
        );
    expect(biased.model.info).toMatchObject({
      learner: "crf",
      tagBias: { source: 0.5, cue: 0.25, content: 0 },
      scale: 100,
    });
  });
});
