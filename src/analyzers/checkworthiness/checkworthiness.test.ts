import { describe, expect, it } from "vitest";
import { Doc } from "../../doc/doc.js";
import { createCheckworthinessStage, loadCheckworthinessModel } from "./index.js";
import {
  BITS,
  SentenceFeaturizer,
  foldDomain,
  sentenceSegment,
  turnFeature,
  withDomainCopy,
} from "./features.js";
import { readCheckworthiness, readLiarPositives, type CwData } from "./data.js";
import { CheckworthinessModel, itemContexts, itemSegments } from "./model.js";
import { textCnnLogit } from "../../learn/cnn.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeShared, sharedPath } from "../../testing/shared.js";

describe("checkworthiness stage (shipped model)", () => {
  it("scores every sentence in [0,1] and ranks a factual, numeric claim above small talk", async () => {
    const stage = await createCheckworthinessStage({});
    const doc = Doc.create({
      title: "Town hall",
      text: "Thank you all so much for coming tonight.\n\nUnemployment in this state fell from 7.8 percent in 2012 to 4.1 percent last year, the lowest rate in 17 years.",
    });
    const out = stage.run(doc, { options: {} }) as { sentences: number[]; claims: Record<string, number> };
    expect(out.sentences).toHaveLength(doc.sentences.length);
    for (const s of out.sentences) expect(s >= 0 && s <= 1).toBe(true);
    const thanks = doc.sentences.findIndex((s) => doc.slice(s).startsWith("Thank"));
    const jobs = doc.sentences.findIndex((s) => doc.slice(s).startsWith("Unemployment"));
    expect(out.sentences[jobs]!).toBeGreaterThan(out.sentences[thanks]! + 0.2);
    expect(out.claims).toEqual({});
  });
});

describe("claim scores", () => {
  it("are the mean of the content's and the sentence's probability, so the frame's words still count", async () => {
    const stage = await createCheckworthinessStage({});
    const doc = Doc.create({
      text: "The governor said that the economic turnaround started at the end of his term, and that taxes fell.",
    });
    const start = doc.text.indexOf("the economic");
    const end = doc.text.indexOf(", and");
    const other = doc.text.indexOf("taxes");
    doc.layers.claims = [
      { id: "c1", sentence: 0, content: { start, end, text: doc.text.slice(start, end) } },
      { id: "c2", sentence: 0, content: { start: other, end: doc.text.length - 1, text: "taxes fell" } },
    ] as never;
    const out = stage.run(doc, { options: {} }) as { sentences: number[]; claims: Record<string, number> };
    const model = loadCheckworthinessModel();
    const content = model.probability(
      { doc, tokStart: doc.tokenAtOrAfter(start), tokEnd: doc.tokenAtOrAfter(end), start, end },
      "claimbuster",
      {},
    );
    expect(out.claims.c1).toBeCloseTo((content + out.sentences[0]!) / 2, 10);
    expect(out.claims.c1).not.toBeCloseTo(out.claims.c2!, 3);
  });
});

describe("checkworthiness model", () => {
  it("scores the same through the stage's fused dot product as through the training feature vectors", () => {
    const model = loadCheckworthinessModel();
    const doc = Doc.create({ text: "Crime fell by 12 percent in Chicago in 2019. The mayor was pleased." });
    const a = sentenceSegment(doc, 0);
    const b = sentenceSegment(doc, 1);
    for (const ds of ["claimbuster", "clef"] as const) {
      const raw = model.raw(model.features(a, ds, { next: b }), ds) + model.neuralRaw(a, ds);
      expect(model.probability(a, ds, { next: b })).toBeCloseTo(model.calibrate(ds, raw), 5);
    }
  });

  it("adds the CNN's logit, times each head's beta, to the head's raw score", () => {
    const model = loadCheckworthinessModel();
    const doc = Doc.create({ text: "Crime fell by 12 percent in Chicago in 2019." });
    const seg = sentenceSegment(doc, 0);
    const neural = model.json.neural;
    if (!neural) return expect(model.neuralRaw(seg, "claimbuster")).toBe(0);
    expect(neural.beta).toBeGreaterThan(0);
    const direct = textCnnLogit(neural.cnn, model.neural!.vectors, model.neural!.lookup.ids(seg));
    expect(direct).not.toBe(0);
    expect(model.neuralRaw(seg, "claimbuster")).toBeCloseTo(neural.beta * direct, 4);
    expect(model.neuralRaw(seg, "clef")).toBeCloseTo((neural.betaClef ?? 0) * direct, 4);
    // Punctuation is skipped, "?" and words without a vector are kept.
    const q = sentenceSegment(Doc.create({ text: "Did taxes rise, zzqxv?" }), 0);
    expect(
      Array.from(model.neural!.lookup.ids(q)).map((i) => (i >= 0 ? neural.vectors.words[i] : i)),
    ).toEqual(["did", "taxes", "rise", -1, "?"]);
  });
});

describeShared("checkworthiness data readers", ["data/checkworthiness/clef2019-t1-train.csv"], () => {
  it("sniffs CLEF-2019 CSV with debates as groups", () => {
    const d = readCheckworthiness(sharedPath("data/checkworthiness/clef2019-t1-train.csv"));
    expect(d.format).toBe("clef2019");
    expect(new Set(d.items.map((i) => i.group)).size).toBeGreaterThan(10);
    expect(d.items.some((i) => i.label === 1)).toBe(true);
  });
});

describe("checkworthiness features", () => {
  it("scales a vector to the asked Euclidean length and leaves it raw without one", () => {
    const doc = Doc.create({ text: "Crime fell by 12 percent in Chicago in 2019." });
    const fz = new SentenceFeaturizer();
    const seg = sentenceSegment(doc, 0);
    const len = (v: { val: Float32Array }) => Math.sqrt(v.val.reduce((a, b) => a + b * b, 0));
    expect(len(fz.featurize(seg, "clef", {}, 3))).toBeCloseTo(3, 4);
    expect(len(fz.featurize(seg, "clef", {}, 0))).toBeGreaterThan(5);
  });

  it("lets words of one class share features when word classes are on", () => {
    const feats = (fz: SentenceFeaturizer, text: string) =>
      new Set(fz.featurize(sentenceSegment(Doc.create({ text }), 0), "claimbuster", {}, 0).idx);
    const shared = (fz: SentenceFeaturizer) => {
      const a = feats(fz, "He said the plan failed.");
      return [...feats(fz, "He claimed the plan failed.")].filter((i) => a.has(i)).length;
    };
    // "said" and "claimed" share a 1,000-level class: with classes the two sentences share one more feature.
    expect(shared(new SentenceFeaturizer([0, 1]))).toBeGreaterThan(shared(new SentenceFeaturizer()));
    const json = loadCheckworthinessModel().json;
    expect(json.classLevels).toEqual([0, 1]);
    // A model refuses classes other than those it was trained with (their ids would mean other words).
    expect(() => new CheckworthinessModel({ ...json, classFingerprint: json.classFingerprint! + 1 })).toThrow(
      /word classes differ/,
    );
  });

  it("folds a domain-augmented model into one weight vector that scores raw features the same", () => {
    const doc = Doc.create({ text: "Crime fell by 12 percent in Chicago in 2019." });
    const x = new SentenceFeaturizer().featurize(sentenceSegment(doc, 0), "clef", {}, 3);
    const w = new Float32Array(1 << BITS);
    for (let i = 0; i < w.length; i++) w[i] = Math.sin(i * 0.37) * 0.5;
    const dot = (v: { idx: Int32Array; val: Float32Array }, ww: Float32Array) =>
      v.idx.reduce((a, i, j) => a + ww[i]! * v.val[j]!, 0);
    const aug = withDomainCopy(x, "clef", 0.2);
    expect(aug.idx.length).toBe(2 * x.idx.length);
    expect(dot(x, foldDomain(w, "clef", 0.2))).toBeCloseTo(dot(aug, w), 4);
    // Another source's copy lands elsewhere: its folded vector scores differently.
    expect(Math.abs(dot(x, foldDomain(w, "liar", 0.2)) - dot(aug, w))).toBeGreaterThan(1e-3);
  });

  it("gives debate lines turn and speaker features", () => {
    const data: CwData = {
      format: "clef2019",
      items: [
        ["HOST", "What will you do about jobs?"],
        ["SMITH", "We created 2 million jobs."],
        ["SMITH", "And wages rose."],
        ["SYSTEM", "(APPLAUSE)"],
      ].map(([speaker, text], i) => ({
        text: text!,
        label: 0,
        group: "d1",
        order: i + 1,
        key: `d1:${i}`,
        speaker: speaker!,
      })),
    };
    const ctx = itemContexts(data, itemSegments(data));
    expect(ctx[1]!.prev).toBeDefined();
    expect(ctx[1]!.extra).toContain(turnFeature("afterq"));
    expect(ctx[1]!.extra).toContain(turnFeature("turn:F-"));
    expect(ctx[1]!.extra).toContain(turnFeature("share:5"));
    expect(ctx[2]!.extra).toContain(turnFeature("turn:-L"));
    expect(ctx[2]!.extra).not.toContain(turnFeature("afterq"));
    expect(ctx[3]!.extra).toContain(turnFeature("system"));
    expect(ctx[0]!.extra).toContain(turnFeature("share:2"));
    const cb: CwData = { ...data, format: "claimbuster" };
    expect(itemContexts(cb, itemSegments(cb))[1]!).toEqual({});
  });

  it("reads LIAR statements as positives without 'Says' and without debate venues", () => {
    const dir = mkdtempSync(join(tmpdir(), "cw-"));
    const row = (id: string, text: string, venue: string) =>
      [id, "false", text, "t", "s", "j", "st", "p", "0", "0", "0", "0", "0", venue].join("\t");
    writeFileSync(
      join(dir, "liar.tsv"),
      [
        row("1.json", "Says the tax rose 20 percent.", "a press release"),
        row("2.json", "Jobs fell.", "a Republican debate"),
      ].join("\n"),
    );
    const items = readLiarPositives(join(dir, "liar.tsv"));
    expect(items.map((i) => [i.text, i.label])).toEqual([["the tax rose 20 percent.", 1]]);
  });
});
