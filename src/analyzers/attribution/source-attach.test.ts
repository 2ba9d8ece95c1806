// Source attachment (candidates, features, a tiny model trained on invented sentences) and the stage's
// merge fixes: run-on rule contents split at a clause with its own source and cue, headline labels.
import { clusterFingerprint } from "../../learn/word-clusters.js";
import { describe, expect, it } from "vitest";
import { Doc } from "../../doc/doc.js";
import { attributeClaims, mergeCandidates, ruleCandidates } from "./index.js";
import {
  addAttachExamples,
  attachOutcome,
  cueCandidates,
  SourceAttacher,
  sourceCandidates,
  trainSourceAttacher,
  type AttachExamples,
} from "./source-attach.js";
import type { Candidate } from "./claims.js";

function tokRange(doc: Doc, s: string, from = 0): { tokStart: number; tokEnd: number } {
  const a = doc.text.indexOf(s, from);
  if (a < 0) throw new Error(`"${s}" not in text`);
  return { tokStart: doc.tokenAtOrAfter(a), tokEnd: doc.tokenAtOrAfter(a + s.length - 1) + 1 };
}

function charSpan(doc: Doc, s: string, from = 0): { start: number; end: number } {
  const a = doc.text.indexOf(s, from);
  if (a < 0) throw new Error(`"${s}" not in text`);
  return { start: a, end: a + s.length };
}

const textOf = (doc: Doc, r: { tokStart: number; tokEnd: number }) =>
  doc.text.slice(doc.tokens.start[r.tokStart]!, doc.tokens.end[r.tokEnd - 1]!);

const NAMES = ["Maria Lopez", "Tom Becker", "Anna Weiss", "Carlos Diaz", "Helen Park", "Omar Haddad"];
const VERBS = ["warned", "argued", "insisted", "claimed", "conceded", "stressed"];
const OBJECTS = ["the council", "reporters", "the committee", "voters"];

/** "<Name> <verb> <object> that <claim>.": gold source = the name; the tagger saw the cue only. */
function example(i: number): {
  doc: Doc;
  gold: { source: { start: number; end: number }[]; cue: { start: number; end: number }[] }[];
  pred: { source: null; cue: { start: number; end: number }; content: { start: number; end: number }[] }[];
} {
  const name = NAMES[i % NAMES.length]!;
  const verb = VERBS[(i * 5 + 1) % VERBS.length]!;
  const obj = OBJECTS[(i * 7 + 2) % OBJECTS.length]!;
  const doc = Doc.create({
    text: `${name} ${verb} ${obj} that the new rents will rise by ${i + 3} percent.`,
  });
  const cue = charSpan(doc, verb);
  return {
    doc,
    gold: [{ source: [charSpan(doc, name)], cue: [cue] }],
    pred: [{ source: null, cue, content: [charSpan(doc, "the new rents")] }],
  };
}

describe("source attachment", () => {
  it("candidates are the noun phrases and pronouns of the cue's sentence, never the cue", () => {
    const doc = Doc.create({
      text: "Senator Jane Smith, who chairs the panel, said on Monday that his taxes rose.",
    });
    const cue = tokRange(doc, "said");
    const cands = sourceCandidates(doc, cue).map((c) => textOf(doc, c));
    expect(cands).toContain("Senator Jane Smith");
    expect(cands).toContain("the panel");
    expect(cands).toContain("who");
    expect(cands).toContain("Monday");
    expect(cands).toContain("his taxes");
    expect(cands).not.toContain("said");
    // a possessor is part of its phrase, not a candidate of its own
    const d2 = Doc.create({ text: "America's top diplomat is set to warn Russia." });
    const c2 = sourceCandidates(d2, tokRange(d2, "warn")).map((c) => textOf(d2, c));
    expect(c2).toContain("America's top diplomat");
    expect(c2).not.toContain("America");
    for (const { features } of cueCandidates(doc, cue, 12)) {
      expect(features.length).toBeGreaterThan(20);
      for (const f of features) expect(f >= 0 && f < 1 << 12).toBe(true);
    }
    // with word clusters: three more features (classes of the candidate's head and of the cue's last word)
    const wc = {
      granularities: [1000, 250, 50],
      key: (w: string) => w,
      idsOf: (w: string) => (w === "said" || w === "smith" ? Int32Array.of(7, 3, 1) : null),
    };
    const plain = cueCandidates(doc, cue, 12);
    const withWc = cueCandidates(doc, cue, 12, [], wc);
    expect(withWc[0]!.features.length).toBe(plain[0]!.features.length + 3);
    expect([...withWc[0]!.features.subarray(0, plain[0]!.features.length)]).toEqual([...plain[0]!.features]);
    const json = trainSourceAttacher({ X: [], y: [], group: [], gold: [] }, { bits: 12, threshold: 0.5 });
    expect(() => new SourceAttacher({ ...json, clusters: true })).toThrow(/needs the word clusters/);
    const fp = { ...json, clusters: true, clusterFingerprint: clusterFingerprint(wc) };
    expect(() => new SourceAttacher(fp, wc)).not.toThrow();
    expect(() => new SourceAttacher(fp, { ...wc, idsOf: () => Int32Array.of(1, 1, 1) })).toThrow(
      /word classes differ/,
    );
  });

  it("a tiny model learns to attach the subject, not the object, and abstains above its threshold", () => {
    const ex: AttachExamples = { X: [], y: [], group: [], gold: [] };
    for (let i = 0; i < 24; i++) {
      const e = example(i);
      addAttachExamples(ex, e.doc, e.gold, e.pred, 14);
    }
    expect(ex.gold.length).toBe(24);
    expect(ex.y.filter((y) => y === 1).length).toBe(24); // one candidate overlaps each name
    const json = trainSourceAttacher(ex, { bits: 14, threshold: 0.5 });
    const attacher = new SourceAttacher(json);
    const doc = Doc.create({
      text: "Laura Chen cautioned the board that the new fares will rise by 8 percent.",
    });
    const cue = tokRange(doc, "cautioned");
    const got = attacher.attach(doc, cue);
    expect(got && textOf(doc, got)).toBe("Laura Chen");
    const best = attacher.best(doc, cue)!;
    expect(best.p).toBeGreaterThan(0.5);
    const strict = new SourceAttacher({ ...json, threshold: best.p });
    expect(strict.attach(doc, cue)).toBeNull();
    // a time phrase never speaks: when it is the best candidate, no source at all
    const t = Doc.create({
      text: "This morning cautioned the board that the new fares will rise by 8 percent.",
    });
    const tc = tokRange(t, "cautioned");
    const tb = attacher.best(t, tc)!;
    expect(textOf(t, tb.source)).toBe("This morning");
    expect(tb.p).toBeGreaterThan(0.5);
    expect(attacher.attach(t, tc)).toBeNull();
    const o = attachOutcome(attacher, ex, 0.5);
    expect(o.goldCues).toBe(24);
    expect(o.correct).toBe(o.attached);
  });
});

describe("stage merge fixes", () => {
  it("a rule content that runs into a clause with its own source and cue ends before that clause", () => {
    const doc = Doc.create({
      text: "Stein said the lawsuit would force the commission to admit her, though she acknowledged it was unlikely to work.",
    });
    const rules = ruleCandidates(doc);
    const host = rules.find((r) => r.cue && doc.text.slice(r.cue.start, r.cue.end) === "said");
    expect(host).toBeDefined();
    expect(host!.content.some((p) => doc.text.slice(p.start, p.end).includes("acknowledged"))).toBe(true);
    const tagged: Candidate = {
      pattern: "tagger",
      source: tokRange(doc, "she acknowledged"),
      cue: { ...charSpan(doc, "acknowledged"), framing: "neutral" },
      content: [charSpan(doc, "it was unlikely to work")],
      quoted: false,
      sentence: 0,
    };
    const merged = mergeCandidates(doc, rules, [tagged]);
    const said = merged.find((r) => r.cue && doc.text.slice(r.cue.start, r.cue.end) === "said")!;
    const saidText = said.content.map((p) => doc.text.slice(p.start, p.end)).join(" ");
    expect(saidText).toBe("the lawsuit would force the commission to admit her");
    expect(merged).toContain(tagged);
    // Without a clause break the tagger relation stays a nested fragment and is dropped.
    const nested: Candidate = {
      ...tagged,
      source: tokRange(doc, "commission"),
      cue: { ...charSpan(doc, "admit"), framing: "neutral" },
    };
    expect(mergeCandidates(doc, rules, [nested])).not.toContain(nested);
  });

  it('a headline section label ("The Latest:") is not a speaker', () => {
    const title = "The Latest: Trump urges supporters to monitor polling places";
    const doc = Doc.create({ text: `${title}\n\nThe campaign held a rally on Monday.`, title });
    const claims = attributeClaims(doc, null);
    expect(claims.some((c) => c.speaker?.name === "Latest" || c.speaker?.name === "The Latest")).toBe(false);
    const t2 = "Pence: Trump will release his tax returns";
    const doc2 = Doc.create({ text: `${t2}\n\nThe campaign held a rally on Monday.`, title: t2 });
    const c2 = attributeClaims(doc2, null).find((c) => c.kind === "headline");
    expect(c2?.speaker?.name).toBe("Pence");
  });
});
