import { existsSync } from "node:fs";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Doc } from "../../doc/doc.js";
import { shippedModelPath } from "../../learn/model-io.js";
import { describeShared, sharedPath } from "../../testing/shared.js";
import { Idf, DENSE_NAMES, contentStems, pairFeatures, prepareBody, stem, tokenize } from "./features.js";
import { fncScore, StanceModel } from "./model.js";
import { claimStance } from "./claim-stance.js";
import { topicFolds, trainStance } from "./train.js";
import { createStanceStage } from "./index.js";
import { Skip } from "../../pipeline/stage.js";

const dense = (x: { idx: Int32Array; val: Float32Array }, name: (typeof DENSE_NAMES)[number]) => {
  const i = DENSE_NAMES.indexOf(name);
  const j = Array.from(x.idx).indexOf(i);
  return j < 0 ? 0 : x.val[j]!;
};

describe("stance features", () => {
  const texts = [
    "Police deny reports that the mayor resigned on Monday.",
    "The mayor resigned on Monday after a scandal, officials said.",
    "A cat was rescued from a tree by firefighters.",
    "Scientists discover water on Mars.",
  ];
  const idf = Idf.fit(texts.map((t) => contentStems(tokenize(t))));

  it("stems plural and inflected forms together", () => {
    expect(stem("strikes")).toBe(stem("strike"));
    expect(stem("attacked")).toBe("attack");
    expect(stem("parties")).toBe("party");
  });

  it("scores a matching body as more similar than an unrelated one", () => {
    const h = "Mayor resigns after scandal";
    const related = pairFeatures(h, prepareBody(texts[1]!, idf), idf);
    const unrelated = pairFeatures(h, prepareBody(texts[2]!, idf), idf);
    expect(dense(related, "cos.body")).toBeGreaterThan(0.3);
    expect(dense(unrelated, "cos.body")).toBe(0);
    expect(dense(related, "overlap.frac")).toBeGreaterThan(dense(unrelated, "overlap.frac"));
  });

  it("finds refutation words near the matched headline terms", () => {
    const h = "The mayor resigned";
    const refuting = pairFeatures(
      h,
      prepareBody("Officials deny that the mayor resigned; the report is false.", idf),
      idf,
    );
    const plain = pairFeatures(h, prepareBody("The mayor resigned on Monday, officials said.", idf), idf);
    expect(dense(refuting, "near.refute")).toBeGreaterThan(0);
    expect(dense(plain, "near.refute")).toBe(0);
  });
});

describe("fncScore", () => {
  it("weighs related/unrelated 0.25 and the exact related label 0.75, relative to the best", () => {
    // gold: agree, unrelated; pred: discuss (related, wrong label), unrelated (right).
    expect(fncScore([0, 3], [2, 3])).toBeCloseTo((0.25 + 0.25) / (1 + 0.25), 9);
    expect(fncScore([0, 1, 3], [0, 1, 3])).toBe(1);
    expect(fncScore([0], [3])).toBe(0);
  });
});

const shipped = existsSync(shippedModelPath("stance")) && existsSync(shippedModelPath("claim-stance"));

describe("topic-disjoint folds and the seed ensemble", () => {
  // Three topics of related pairs; unrelated pairs join headlines and bodies across topics.
  const pairs = [
    { headline: "Mayor resigns", bodyId: "1", label: 0 },
    { headline: "Mayor quits over scandal", bodyId: "1", label: 2 },
    { headline: "Mayor quits over scandal", bodyId: "2", label: 1 },
    { headline: "Water found on Mars", bodyId: "3", label: 0 },
    { headline: "Mars has no water", bodyId: "4", label: 1 },
    { headline: "Water found on Mars", bodyId: "4", label: 2 },
    { headline: "Cat rescued from tree", bodyId: "5", label: 2 },
    { headline: "Mayor resigns", bodyId: "3", label: 3 },
    { headline: "Cat rescued from tree", bodyId: "2", label: 3 },
    { headline: "Mars has no water", bodyId: "5", label: 3 },
  ];

  it("puts a topic's headlines and bodies in one fold, so no related pair straddles two", () => {
    for (const k of [2, 3, 5]) {
      const fold = topicFolds(pairs, k);
      for (const p of pairs) if (p.label !== 3) expect(fold(p)[0]).toBe(fold(p)[1]);
      // The headline "Mayor resigns" and body 2 are one topic only through body 1.
      expect(fold(pairs[0]!)[0]).toBe(fold(pairs[2]!)[1]);
    }
    // The fold does not depend on the order of the pairs.
    const a = topicFolds(pairs, 5);
    const b = topicFolds([...pairs].reverse(), 5);
    for (const p of pairs) expect(b(p)).toEqual(a(p));
  });

  it("averages the probabilities of one MLP per seed", () => {
    const bodies = new Map([
      ["1", "The mayor resigned on Monday after a scandal, officials said."],
      ["2", "Officials deny that the mayor quit; the scandal report is false."],
      ["3", "NASA scientists said they found water on Mars."],
      ["4", "Reports of water on Mars are a hoax, scientists say."],
      ["5", "Firefighters rescued a cat from a tree on Sunday."],
    ]);
    const data = { bodies, pairs };
    const ids = new Set(bodies.keys());
    const both = new StanceModel(trainStance(data, ids, { seeds: [1, 2], epochs: 2 }));
    const one = new StanceModel(trainStance(data, ids, { seeds: [1], epochs: 2 }));
    const two = new StanceModel(trainStance(data, ids, { seeds: [2], epochs: 2 }));
    expect(both.mlps).toHaveLength(2);
    const b = both.body(bodies.get("4")!);
    const p = both.predict("Water found on Mars", b);
    const p1 = one.predict("Water found on Mars", b);
    const p2 = two.predict("Water found on Mars", b);
    for (let k = 0; k < 4; k++) expect(p[k]).toBeCloseTo((p1[k]! + p2[k]!) / 2, 10);
    expect(p1[0]).not.toBeCloseTo(p2[0]!, 6);
  });
});

describe.runIf(shipped)("shipped stance models", () => {
  it("stage adds a stance for a titled doc and none for an untitled one", async () => {
    const stage = await createStanceStage({});
    const titled = Doc.create({
      title: "Mayor resigns after scandal",
      text: "The mayor resigned on Monday after a scandal, officials said.",
    });
    const st = stage.run(titled, { options: {} }) as { label: string; scores: Record<string, number> };
    expect(["agree", "disagree", "discuss", "unrelated"]).toContain(st.label);
    const sum = Object.values(st.scores).reduce((s, v) => s + v, 0);
    expect(sum).toBeCloseTo(1, 3);
    expect(st.scores.unrelated).toBeLessThan(0.5);
    const off = stage.run(
      Doc.create({
        title: "Mayor resigns after scandal",
        text: "A cat was rescued from a tree by firefighters on Sunday.",
      }),
      { options: {} },
    ) as { label: string };
    expect(off.label).toBe("unrelated");
    const untitled = stage.run(Doc.create({ text: "No headline here. Just a body." }), { options: {} });
    expect(untitled).toBeInstanceOf(Skip);
    expect((untitled as Skip).reason).toMatch(/no headline/);
  });

  it("claimStance tells a debunking headline from an endorsing one", () => {
    const claim = "A giant crab was photographed in a harbour in England";
    const dispute = claimStance(claim, {
      title: "Giant crab photo is a hoax, experts say: the image was photoshopped",
    });
    const support = claimStance(claim, { title: "Giant crab photographed in English harbour" });
    expect(dispute.label).toBe("disputes");
    expect(support.scores.supports).toBeGreaterThan(dispute.scores.supports);
    expect(Object.values(dispute.scores).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 3);
  });
});

describeShared("stance on the example articles", ["examples/putin-us-strike-syria.txt"], () => {
  it("relates the headline to its body", () => {
    const text = readFileSync(sharedPath("examples/putin-us-strike-syria.txt"), "utf8");
    const nl = text.indexOf("\n");
    const model = StanceModel.load();
    const p = model.predict(text.slice(0, nl), model.body(text.slice(nl)));
    expect(p[3]).toBeLessThan(0.5);
  });
});
