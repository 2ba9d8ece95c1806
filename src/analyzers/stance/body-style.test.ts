import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { shippedModelPath } from "../../learn/model-io.js";
import { styleVector } from "./body-style.js";
import { Idf, contentStems, pairFeatures, prepareBody, tokenize, type BodyInfo } from "./features.js";
import { StanceModel } from "./model.js";
import { trainBodyStyle } from "./train.js";

const at = (x: { idx: Int32Array; val: Float32Array }, i: number) => {
  const j = Array.from(x.idx).indexOf(i);
  return j < 0 ? 0 : x.val[j]!;
};

describe("body style vectors", () => {
  it("are binary over distinct words, of unit length, whatever the word order", () => {
    const a = styleVector(tokenize("the hoax the hoax was a hoax"));
    const b = styleVector(tokenize("a hoax was the"));
    expect(a.idx.length).toBe(4);
    expect(Array.from(a.idx).sort()).toEqual(Array.from(b.idx).sort());
    expect(Array.from(a.val).reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 6);
  });
});

describe("trainBodyStyle", () => {
  // Twelve topics, each with a debunking body (its plain headline disagrees), a confirming body (agrees) and a
  // hedged report (discusses); the topic words differ, the style words are shared.
  const topics = [
    "mayor scandal",
    "water mars",
    "crab harbour",
    "banksy arrest",
    "ebola mosul",
    "pope dogs",
    "planes libya",
    "polar bear",
    "espn panel",
    "audio shooting",
    "apple watch",
    "shark highway",
  ];
  const bodies = new Map<string, string>();
  const pairs: { headline: string; bodyId: string; label: number }[] = [];
  topics.forEach((t, i) => {
    bodies.set(`d${i}`, `The ${t} story is a hoax. Officials said the report was false and fabricated.`);
    bodies.set(`c${i}`, `Officials confirmed the ${t} news on Monday. Photos show it clearly.`);
    bodies.set(
      `h${i}`,
      `The ${t} report could not be verified. It was reportedly claimed online, sources say.`,
    );
    pairs.push({ headline: `${t} happened`, bodyId: `d${i}`, label: 1 });
    pairs.push({ headline: `${t} happened`, bodyId: `c${i}`, label: 0 });
    pairs.push({ headline: `${t} happened`, bodyId: `h${i}`, label: 2 });
  });
  const idf = Idf.fit([...bodies.values()].map((t) => contentStems(tokenize(t))));
  const infos = new Map<string, BodyInfo>([...bodies].map(([id, t]) => [id, prepareBody(t, idf)]));
  const { json, scores } = trainBodyStyle(pairs, infos);
  const mean = (prefix: string, k: number) =>
    topics.reduce((s, _, i) => s + scores.get(prefix + i)![k]!, 0) / topics.length;

  it("scores every body, out of fold, and tells debunks and confirmations from the rest on topics it did not see", () => {
    expect(scores.size).toBe(bodies.size);
    for (const s of scores.values())
      for (const v of s) {
        expect(v).toBeGreaterThan(0);
        expect(v).toBeLessThan(1);
      }
    expect(mean("d", 0)).toBeGreaterThan(mean("c", 0) + 0.2);
    expect(mean("d", 0)).toBeGreaterThan(mean("h", 0) + 0.2);
    expect(mean("c", 1)).toBeGreaterThan(mean("h", 1) + 0.2);
    expect(json.bits).toBeGreaterThan(0);
  });

  it("splits the disagreed-with score by whether the headline itself refutes", () => {
    const b = infos.get("d0")!;
    b.style = Float32Array.of(0.8, 0.1);
    const plain = pairFeatures("mayor scandal happened", b, idf);
    const refuting = pairFeatures("mayor scandal is a hoax", b, idf);
    expect(at(plain, 32)).toBeCloseTo(0.8, 6);
    expect(at(plain, 33)).toBe(0);
    expect(at(plain, 34)).toBeCloseTo(0.8, 6);
    expect(at(refuting, 33)).toBeCloseTo(0.8, 6);
    expect(at(refuting, 34)).toBe(0);
    expect(at(plain, 35)).toBeCloseTo(0.1, 6);
    b.style = undefined;
    expect(at(pairFeatures("mayor scandal happened", b, idf), 32)).toBe(0);
  });
});

describe.runIf(existsSync(shippedModelPath("stance")))("shipped body style", () => {
  it("finds a debunking body more disagreed-with than a confirming one", () => {
    const model = StanceModel.load();
    expect(model.style).toBeDefined();
    const debunk = model.body(
      "The viral story is a hoax. Police said the report was false and the photo was doctored; the claim was debunked.",
    ).style!;
    const confirm = model.body(
      "Police confirmed on Monday that the man was arrested. The arrest was announced at a press conference.",
    ).style!;
    expect(debunk[0]).toBeGreaterThan(confirm[0]!);
  });
});
