import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { SparseVector } from "../../learn/hashing.js";
import { LogisticRegression } from "../../learn/logistic.js";
import { shippedModelPath } from "../../learn/model-io.js";
import { describeShared, sharedPath } from "../../testing/shared.js";
import {
  ClaimStanceModel,
  claimFeatures,
  claimStance,
  headlineCues,
  headlineTokens,
  isCueToken,
  type EmergentRow,
} from "./claim-stance.js";
import { claimFold, claimStanceCv, trainClaimStance, trainClaimStanceLr } from "./claim-stance-train.js";
import { STANCE_DIM } from "./features.js";
import { StanceModel } from "./model.js";
import { trainStance } from "./train.js";

describe("claim-stance headline features", () => {
  it("tokenizes words and ? : ! quotes, folding curly quotes", () => {
    expect(headlineTokens("Pope: “dogs go to heaven”? Don’t bet on it!")).toEqual([
      "pope",
      ":",
      '"',
      "dogs",
      "go",
      "to",
      "heaven",
      '"',
      "?",
      "don’t",
      "bet",
      "on",
      "it",
      "!",
    ]);
  });

  it("lets only function words, cue words and punctuation through by identity (no topic words)", () => {
    for (const t of ["the", "not", "hoax", "reportedly", "says", "?", ":", "don't"])
      expect(isCueToken(t)).toBe(true);
    for (const t of ["pope", "apple", "isis", "crab", "dies"]) expect(isCueToken(t)).toBe(false);
  });

  it("finds attribution prefixes and suffixes, reported speech, questions and capitalised denials", () => {
    const rumor = headlineCues("Rumor: Apple to buy Tesla");
    expect(rumor.get("pre:colon")).toBe(1);
    expect(rumor.get("pre:rumor")).toBe(1);
    expect(headlineCues("NYT: Apple Watch includes Power Reserve mode").get("pre:colon")).toBe(1);
    // A colon deep in the headline is no prefix.
    expect(
      headlineCues("The long story of the week in which everything happened: part two").has("pre:colon"),
    ).toBe(false);
    expect(
      headlineCues("New audio reveals pause in gunfire when Brown was shot: Attorney").get("suf:colon"),
    ).toBe(1);
    const said = headlineCues("ISIS militants caught at the border, congressman claims");
    expect(said.get("sp:claims")).toBe(1);
    expect(said.get("sp:pos:end")).toBe(1);
    expect(headlineCues("Is the iPhone 6 really pulling out your hair?").get("q:end")).toBe(1);
    expect(headlineCues("Pope Francis did NOT say pets go to heaven").get("caps:neg")).toBe(1);
    expect(headlineCues("Pope Francis did not say pets go to heaven").has("caps:neg")).toBe(false);
    expect(headlineCues("Apple opens a store in Manhattan").size).toBe(0);
  });
});

/** A tiny FNC-style stance model (two epochs on five bodies), enough to compute pair features. */
function tinyStance(): StanceModel {
  const bodies = new Map([
    ["1", "The mayor resigned on Monday after a scandal, officials said."],
    ["2", "Officials deny that the mayor quit; the scandal report is false."],
    ["3", "NASA scientists said they found water on Mars."],
    ["4", "Reports of water on Mars are a hoax, scientists say."],
    ["5", "Firefighters rescued a cat from a tree on Sunday."],
  ]);
  const pairs = [
    { headline: "Mayor resigns", bodyId: "1", label: 0 },
    { headline: "Mayor quits over scandal", bodyId: "2", label: 1 },
    { headline: "Water found on Mars", bodyId: "3", label: 0 },
    { headline: "Water found on Mars", bodyId: "4", label: 1 },
    { headline: "Cat rescued from tree", bodyId: "5", label: 2 },
    { headline: "Mayor resigns", bodyId: "5", label: 3 },
  ];
  return new StanceModel(trainStance({ bodies, pairs }, new Set(bodies.keys()), { seeds: [1], epochs: 2 }));
}

describe("claim-stance training", () => {
  it("averages the weights of one LR per seed", () => {
    // Synthetic: feature 0 on -> class 0, feature 1 -> class 1, feature 2 -> class 2.
    const X: SparseVector[] = [];
    const y: number[] = [];
    for (let i = 0; i < 60; i++) {
      const c = i % 3;
      X.push({ idx: Int32Array.of(c, 10 + (i % 7)), val: Float32Array.of(1, 0.5) });
      y.push(c);
    }
    const opts = { epochs: 3, learningRate: 0.1, l2: 1e-5 };
    const both = trainClaimStanceLr(X, y, { ...opts, seeds: [1, 2] });
    const one = LogisticRegression.train(X, y, STANCE_DIM, 3, { ...opts, seed: 1 });
    const two = LogisticRegression.train(X, y, STANCE_DIM, 3, { ...opts, seed: 2 });
    for (const j of [0, 1, 2, 3 * 10 + 1, 3 * 12 + 2])
      expect(both.weights[j]).toBeCloseTo((one.weights[j]! + two.weights[j]!) / 2, 6);
    expect(both.bias[1]).toBeCloseTo((one.bias[1]! + two.bias[1]!) / 2, 6);
    expect(one.weights[3 * 10 + 1]).not.toBeCloseTo(two.weights[3 * 10 + 1]!, 6);
    for (let c = 0; c < 3; c++)
      expect(both.predict({ idx: Int32Array.of(c), val: Float32Array.of(1) })).toBe(c);
  });

  it("keeps every article of a claim in one cross-validation fold, and the folds differ between repeats", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `claim-${i}`);
    for (const rep of [0, 1, 2]) {
      const sizes = new Array<number>(5).fill(0);
      for (const id of ids) {
        const f = claimFold(id, 5, rep);
        expect(claimFold(id, 5, rep)).toBe(f);
        sizes[f]!++;
      }
      for (const s of sizes) expect(s).toBeGreaterThan(20);
    }
    expect(ids.filter((id) => claimFold(id, 5, 0) !== claimFold(id, 5, 1)).length).toBeGreaterThan(100);
  });

  it("trains a headline model that separates debunking from endorsing headlines, and cross-validates by claim", () => {
    const stance = tinyStance();
    const claims = [
      "the mayor resigned",
      "water was found on mars",
      "a cat was rescued",
      "the bridge collapsed",
    ];
    const rows: EmergentRow[] = [];
    claims.forEach((claim, c) => {
      const id = `c${c}`;
      rows.push({
        claimId: id,
        claim,
        articleHeadline: `Report that ${claim} is a hoax, officials deny it`,
        label: 1,
      });
      rows.push({ claimId: id, claim, articleHeadline: `Fake: no, ${claim} is false`, label: 1 });
      rows.push({ claimId: id, claim, articleHeadline: `Confirmed: ${claim}`, label: 0 });
      rows.push({ claimId: id, claim, articleHeadline: `${claim} on Monday`, label: 0 });
      rows.push({ claimId: id, claim, articleHeadline: `Has ${claim}? Reportedly, sources claim`, label: 2 });
      rows.push({ claimId: id, claim, articleHeadline: `Rumor: ${claim}, according to reports`, label: 2 });
    });
    const opts = { epochs: 20, learningRate: 0.2, l2: 1e-6, seeds: [1, 2] };
    const model = new ClaimStanceModel(trainClaimStance(rows, stance, opts), stance);
    const claim = "the dam burst";
    expect(
      model.predict(claim, { title: "Report that the dam burst is a hoax, officials deny it" }).label,
    ).toBe("disputes");
    expect(model.predict(claim, { title: "Rumor: the dam burst, according to reports" }).label).toBe(
      "reports-only",
    );
    const cv = claimStanceCv(rows, stance, opts, 2, 2);
    expect(cv.perRepeat).toHaveLength(2);
    expect(cv.n).toBe(rows.length);
    // Folds by claim: the other claims' headlines teach the cue words, so held-out claims are mostly right.
    expect(cv.accuracy).toBeGreaterThan(0.6);
    expect(claimFeatures(stance, claim, "Rumor: the dam burst").idx.length).toBeGreaterThan(0);
  });
});

const shipped = existsSync(shippedModelPath("stance")) && existsSync(shippedModelPath("claim-stance"));

describe.runIf(shipped)("shipped claim-stance model", () => {
  const model = shipped ? ClaimStanceModel.load() : null!;
  const claim = "A giant crab was photographed in a harbour in England";
  const debunking =
    "The photograph of a giant crab in an English harbour is a hoax. Experts said the image was photoshopped: " +
    "no such crab was ever seen in the harbour, and the photographer admitted he had doctored it.";

  const confirming =
    "A giant crab was photographed in a harbour in England on Sunday. The photographer, who was walking his dog, " +
    "said the crab was the size of a car. Marine biologists confirmed the species.";
  const title = "Giant crab photographed in English harbour";

  it("reads the headline with the headline model and the body with the body model, and averages them", () => {
    const h = model.predict(claim, { title });
    expect(h.parts.headline).toEqual(h.scores);
    expect(h.parts.body).toBeUndefined();
    expect(h.label).toBe("supports");
    const b = model.predict(claim, { body: debunking });
    expect(b.parts.headline).toBeUndefined();
    expect(b.parts.body!.related).toBeGreaterThan(0.5);
    const both = model.predict(claim, { title, body: debunking });
    const w = both.parts.body!.related;
    for (const k of ["supports", "disputes", "reports-only"] as const)
      expect(both.scores[k]).toBeCloseTo((h.scores[k] + w * b.scores[k]) / (1 + w), 3);
    expect(both.scores.disputes).toBeGreaterThan(h.scores.disputes);
  });

  it("finds more dispute in a debunking body than in a confirming one", () => {
    const deb = model.predict(claim, { body: debunking });
    const conf = model.predict(claim, { body: confirming });
    expect(conf.label).toBe("supports");
    expect(deb.scores.disputes).toBeGreaterThan(5 * conf.scores.disputes);
    expect(deb.scores.supports).toBeLessThan(conf.scores.supports);
  });

  it("gives a body about something else little weight against the headline", () => {
    const h = model.predict(claim, { title });
    const r = model.predict(claim, {
      title,
      body: "The city council approved the budget for next year after a long debate about school funding.",
    });
    expect(r.parts.body!.related).toBeLessThan(0.2);
    expect(r.label).toBe(h.label);
    expect(Math.abs(r.scores.supports - h.scores.supports)).toBeLessThan(0.1);
  });

  it("says reports-only for an article without text", () => {
    const r = claimStance(claim, { title: " ", body: "" });
    expect(r.label).toBe("reports-only");
    expect(r.scores["reports-only"]).toBe(1);
  });
});

describeShared("claim-stance on the example articles", ["examples/putin-us-strike-syria.txt"], () => {
  it("an article does not dispute its own headline, read with or without its body", () => {
    const text = readFileSync(sharedPath("examples/putin-us-strike-syria.txt"), "utf8");
    const nl = text.indexOf("\n");
    const title = text.slice(0, nl).trim();
    const body = text.slice(nl).trim();
    const r = claimStance(title, { title, body });
    expect(r.label).not.toBe("disputes");
    expect(r.parts.body!.related).toBeGreaterThan(0.5);
    expect(claimStance(title, { body }).label).not.toBe("disputes");
  });
});
