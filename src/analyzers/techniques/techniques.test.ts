import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Doc } from "../../doc/doc.js";
import { Technique } from "../../schema/analysis.js";
import { describeShared, sharedPath } from "../../testing/shared.js";
import { dataPath } from "../../util/paths.js";
import { defaultMinConfidence, findTechniques, loadTechniquesModel, topTwo } from "./index.js";
import { articleDensity, TechniquesModel } from "./model.js";
import { codePointToUtf16, loadPtc, mergeSpans, type PtcArticle } from "./ptc.js";
import { ruleHits } from "./rules.js";
import { addSi, emptySi, siScore } from "./scoring.js";
import {
  CRF_SCALE,
  DEFAULT_CLUSTER_CONFIG,
  fitPlatt,
  proposedSpans,
  trainTechniques,
  trainWithCv,
} from "./train.js";
import { featuresPerToken, mix, mixI, TOKEN_FEATURES } from "./features.js";
import { clusterFingerprint, type ClusterSource } from "../../learn/word-clusters.js";

describe("hot-path helpers (speed rewrites of slower forms)", () => {
  it("topTwo picks the first two indices of a stable descending sort, ties in index order", () => {
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const cases: number[][] = [
      [0.2, 0.5, 0.5, 0.1],
      [0.5, 0.5, 0.5],
      [0.9, 0.05, 0.05],
      [0.1, 0.2, 0.3, 0.3],
      [0.25, 0.25, 0.25, 0.25],
    ];
    // Random ones with coarse values, so ties are common.
    for (let k = 0; k < 200; k++) cases.push(Array.from({ length: 14 }, () => Math.floor(rnd() * 5) / 4));
    for (const c of cases) {
      const p = Float64Array.from(c);
      const sorted = Array.from(p.keys()).sort((x, y) => p[y]! - p[x]!);
      expect([...topTwo(p)]).toEqual(sorted.slice(0, 2));
    }
  });

  it("mixI is mix's 32 bits as a signed integer (the same feature index after masking)", () => {
    for (const [t, a, b] of [
      [0, 0, 0],
      [3, -1, 7],
      [37, 0x7fffffff, -0x80000000],
      [12, 123456789, 0],
      [5, -987654321, 42],
    ])
      for (const m of [0xffff, 0x1ffff]) {
        expect(mixI(t!, a!, b!)).toBe(mix(t!, a!, b!) | 0);
        expect(mixI(t!, a!, b!) & m).toBe(mix(t!, a!, b!) & m);
      }
  });
});

describe("SemEval SI measure", () => {
  it("gives partial credit for character overlap", () => {
    const s = siScore(addSi(emptySi(), [{ start: 5, end: 15 }], [{ start: 0, end: 10 }]));
    expect(s.p).toBeCloseTo(0.5);
    expect(s.r).toBeCloseTo(0.5);
    expect(s.f1).toBeCloseTo(0.5);
  });

  it("merges overlapping gold spans and sums over articles", () => {
    const acc = emptySi();
    // Gold [0,10) and [5,20) merge into [0,20); the prediction covers half of it.
    addSi(
      acc,
      [{ start: 0, end: 10 }],
      [
        { start: 0, end: 10 },
        { start: 5, end: 20 },
      ],
    );
    addSi(acc, [{ start: 100, end: 110 }], [{ start: 0, end: 4 }]);
    expect(acc.gold).toBe(2);
    expect(acc.pred).toBe(2);
    const s = siScore(acc);
    expect(s.p).toBeCloseTo(0.5); // (1 + 0) / 2
    expect(s.r).toBeCloseTo(0.25); // (0.5 + 0) / 2
  });

  it("merges only overlapping intervals", () => {
    expect(
      mergeSpans([
        { start: 5, end: 9 },
        { start: 0, end: 6 },
        { start: 9, end: 12 },
      ]),
    ).toEqual([
      { start: 0, end: 9 },
      { start: 9, end: 12 },
    ]);
  });
});

describe("PTC offsets", () => {
  it("maps code point offsets to UTF-16 offsets", () => {
    const text = "a😀b";
    const map = codePointToUtf16(text);
    expect(Array.from(map)).toEqual([0, 1, 3, 4]);
    expect(text.slice(map[2]!, map[3]!)).toBe("b");
  });
});

describe("Platt fit", () => {
  it("learns an increasing map when higher scores are more often positive", () => {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 200; i++) {
      x.push(i * 3);
      y.push(i % 10 < i / 20 ? 1 : 0);
    }
    const { a, b } = fitPlatt(x, y);
    expect(a).toBeGreaterThan(0);
    const p = (v: number) => 1 / (1 + Math.exp(-(a * v + b)));
    expect(p(0)).toBeLessThan(0.2);
    expect(p(597)).toBeGreaterThan(0.8);
  });
});

/**
 * A synthetic article: the sentences (text, span words or "", technique) repeated six times in a rotation
 * that depends on k, with each span word marked as its technique.
 */
function synthArticle(
  id: string,
  k: number,
  sentences: readonly (readonly [string, string, string])[],
): PtcArticle {
  const parts: string[] = [];
  const spans: PtcArticle["spans"] = [];
  let at = 0;
  for (let r = 0; r < 6; r++)
    for (let s = 0; s < sentences.length; s++) {
      const [sent, span, technique] = sentences[(s + k + r) % sentences.length]!;
      if (span) {
        const off = at + sent.indexOf(span);
        spans.push({
          technique: technique as PtcArticle["spans"][number]["technique"],
          start: off,
          end: off + span.length,
        });
      }
      parts.push(sent);
      at += sent.length + 1;
    }
  return { id, doc: Doc.create({ text: parts.join("\n"), id }), spans };
}

describe("techniques model on synthetic data", () => {
  const sentences = [
    ["The corrupt thugs ruined the town.", "corrupt thugs", "Name_Calling,Labeling"],
    ["Officials opened a new bridge on Monday.", "", ""],
    ["It was a shameful betrayal of voters.", "shameful betrayal", "Loaded_Language"],
    ["The council met to discuss the budget.", "", ""],
  ] as const;
  const article = (id: string, k: number) => synthArticle(id, k, sentences);

  const TINY = { tagBits: 12, clsBits: 12, tagEpochs: 4, clsEpochs: 10, lexFolds: 2 };
  const trainArticles = () => Array.from({ length: 8 }, (_, k) => article(String(k), k));
  // One tiny model serves every test that only reads it (each builds its own TechniquesModel).
  let tiny: ReturnType<typeof trainTechniques> | undefined;
  const tinyJson = () => (tiny ??= trainTechniques(trainArticles(), TINY));

  it("learns to find and name spans it was trained on", () => {
    const json = tinyJson();
    const model = new TechniquesModel(json);
    const doc = Doc.create({
      text: "Officials opened a new bridge on Monday.\nThe corrupt thugs ruined the town.",
    });
    const fx = model.features(doc);
    const spans = model.spans(doc, fx);
    const hit = spans.find((s) => doc.text.slice(s.start, s.end).includes("thugs"));
    expect(hit, JSON.stringify(spans)).toBeDefined();
    expect(spans.some((s) => doc.text.slice(s.start, s.end).includes("bridge"))).toBe(false);
    const p = model.classify(doc, fx, hit!);
    const best = Array.from(p.keys()).sort((x, y) => p[y]! - p[x]!)[0]!;
    expect(best).toBe(1); // Name_Calling,Labeling
  });

  it("sets the decoding by cross-validation on the training articles", () => {
    const json = trainWithCv(trainArticles(), TINY, 2);
    // The span confidence is fitted on the held-out folds' spans, not left at the default; on this easy
    // data every held-out span is right, so a span the model finds gets a high confidence.
    expect(json.spanPlatt).not.toEqual({ a: 0.02, b: 0 });
    const model = new TechniquesModel(json);
    const doc = Doc.create({
      text: "The council met to discuss the budget.\nThe corrupt thugs ruined the town.",
    });
    const spans = model.spans(doc, model.features(doc));
    const hit = spans.find((s) => doc.text.slice(s.start, s.end).includes("thugs"));
    expect(hit).toBeDefined();
    expect(model.spanConfidence(hit!)).toBeGreaterThan(0.9);
    expect(spans.some((s) => doc.text.slice(s.start, s.end).includes("budget"))).toBe(false);
  });

  it("scores the tagger's spans together with the rule layer's", () => {
    const model = new TechniquesModel(tinyJson());
    const doc = Doc.create({
      text: "The minister was caught red-handed. The corrupt thugs ruined the town.",
    });
    const texts = proposedSpans(model, doc, model.features(doc)).map((s) => doc.text.slice(s.start, s.end));
    expect(texts).toContain("caught red-handed");
    expect(texts.some((t) => t.includes("thugs"))).toBe(true);
  });

  it("adds the token model's logit to the tagger's span scores, and leaves it out when alpha is 0", () => {
    const json = tinyJson();
    // CRF tagger (default): 1 log-potential unit on the saved scale.
    expect(json.tagLearner).toBe("crf");
    expect(json.tokenLr?.alpha).toBe(CRF_SCALE);
    expect(json.tokenLr?.weights.length).toBe(1 << 12);
    expect(trainTechniques(trainArticles(), { ...TINY, tokenLrAlpha: 0 }).tokenLr).toBeUndefined();
    const model = new TechniquesModel(json);
    const doc = Doc.create({ text: "Officials opened a new bridge.\nThe corrupt thugs ruined the town." });
    const fx = model.features(doc);
    const thugs = () =>
      model.spans(doc, fx).find((s) => doc.text.slice(s.start, s.end).includes("thugs"))?.margin ?? -Infinity;
    const withLr = thugs();
    model.lrAlpha = 0;
    // The token model was trained on these very words: it raises the span's score.
    expect(withLr).toBeGreaterThan(thugs());
  });

  it("still trains the round-1–4 perceptron tagger on request, and both learners find the span", () => {
    const perc = trainTechniques(trainArticles(), { ...TINY, tagLearner: "perceptron" });
    expect(perc.tagLearner).toBe("perceptron");
    expect(perc.tokenLr?.alpha).toBe(50);
    const crf = tinyJson();
    expect(Array.from(crf.tagger.weights)).not.toEqual(Array.from(perc.tagger.weights));
    const doc = Doc.create({
      text: "Officials opened a new bridge on Monday.\nThe corrupt thugs ruined the town.",
    });
    for (const json of [perc, crf]) {
      const model = new TechniquesModel(json);
      const texts = model.spans(doc, model.features(doc)).map((s) => doc.text.slice(s.start, s.end));
      expect(
        texts.some((t) => t.includes("thugs")),
        `${json.tagLearner}: ${JSON.stringify(texts)}`,
      ).toBe(true);
      expect(texts.some((t) => t.includes("bridge"))).toBe(false);
    }
    // The CRF's B bonus is saved with it and reaches the decoder: a huge one makes every token start a span.
    expect(crf.bShift).toBe(2 * CRF_SCALE);
    expect(perc.bShift).toBeUndefined();
    const m = new TechniquesModel(crf);
    expect(m.bShift).toBe(2 * CRF_SCALE);
    const fx = m.features(doc);
    expect(m.spans(doc, fx).some((s) => s.b - s.a > 1)).toBe(true);
    m.bShift = 1e9;
    const split = m.spans(doc, fx);
    expect(split.length).toBeGreaterThan(0);
    expect(split.every((s) => s.b - s.a === 1)).toBe(true);
    // The stage's default confidence floor follows the learner (older perceptron files keep 0.15).
    expect(defaultMinConfidence(new TechniquesModel(perc))).toBe(0.15);
    expect(defaultMinConfidence(new TechniquesModel(crf))).toBe(0.1);
    const { tagLearner: _omit, ...legacy } = perc;
    expect(defaultMinConfidence(new TechniquesModel(legacy))).toBe(0.15);
  });

  it("moves the O score with the article's propaganda density", () => {
    const json = tinyJson();
    expect(json.density?.beta).toBe(20);
    expect(json.density!.sd).toBeGreaterThan(0);
    const model = new TechniquesModel(json);
    const doc = Doc.create({ text: "The corrupt thugs ruined the town.\nIt was a shameful betrayal." });
    const fx = model.features(doc);
    const d = articleDensity(doc, fx.cues);
    const probs = Array.from(fx.cues.prob.subarray(0, doc.sentences.length));
    expect(d).toBeCloseTo(probs.reduce((x, y) => x + y, 0) / probs.length);
    const total = () => model.spans(doc, fx).reduce((x, s) => x + s.margin * (s.b - s.a), 0);
    model.densityBeta = 0;
    const flat = total();
    model.densityBeta = 40;
    const shifted = total();
    // A denser article than the training mean gets a lower O score (more, surer spans), a sparser one higher.
    expect(d).not.toBeCloseTo(json.density!.mean, 3);
    if (d > json.density!.mean) expect(shifted).toBeGreaterThan(flat);
    else expect(shifted).toBeLessThan(flat);
  });
});

describe("word-cluster features", () => {
  // Word classes as src/learn/word-clusters.ts gives them: "crooks" shares a class with "thugs" (a span word
  // of the training data), "tables" with the neutral "bridge"/"budget"; neither is in the training text.
  const CLASSES: Record<string, number> = { thugs: 1, crooks: 1, bridge: 2, budget: 2, tables: 2 };
  const clusters: ClusterSource = {
    granularities: [4, 4, 4],
    key: (w) => w,
    idsOf: (k) => (k in CLASSES ? Int32Array.of(CLASSES[k]!, CLASSES[k]!, 0) : null),
  };
  const sentences = [
    ["The corrupt thugs ruined the town.", "thugs", "Name_Calling,Labeling"],
    ["Officials opened a new bridge on Monday.", "", ""],
    ["The council met to discuss the budget.", "", ""],
  ] as const;
  const article = (id: string, k: number) => synthArticle(id, k, sentences);
  const TINY = { tagBits: 12, clsBits: 12, tagEpochs: 4, clsEpochs: 10, lexFolds: 2 };
  const articles = Array.from({ length: 8 }, (_, k) => article(String(k), k));
  let trained: ReturnType<typeof trainTechniques> | undefined;
  const withClusters = () =>
    (trained ??= trainTechniques(articles, {
      ...TINY,
      clusters: { src: clusters, cfg: DEFAULT_CLUSTER_CONFIG },
    }));

  it("adds the configured cluster features to every token and records the clusters in the model", () => {
    const json = withClusters();
    expect(json.clusters?.granularities).toEqual([4, 4, 4]);
    expect(json.clusters?.fingerprint).toBe(clusterFingerprint(clusters));
    // The cluster lexicon: "thugs"' class lies inside spans, the neutral class does not.
    expect(json.clusterScores![1]!).toBeGreaterThan(0);
    expect(json.clusterScores![2]!).toBeLessThan(0);
    const model = new TechniquesModel(json, clusters);
    const fx = model.features(Doc.create({ text: "The corrupt crooks ruined the town." }));
    // Token classes at 3 granularities, the neighbours' (2), the cluster-lexicon score alone and × the word's (2).
    expect(featuresPerToken(fx.info)).toBe(TOKEN_FEATURES + 7);
  });

  it("tags a word never seen in training through its class", () => {
    const model = new TechniquesModel(withClusters(), clusters);
    const margin = (word: string) => {
      const doc = Doc.create({ text: `The corrupt ${word} ruined the town.` });
      const fx = model.features(doc);
      model.setOBias(1000);
      const sp = model.spans(doc, fx).find((s) => doc.text.slice(s.start, s.end).includes(word));
      model.setOBias(model.json.oBias);
      return sp?.margin ?? -Infinity;
    };
    expect(margin("crooks")).toBeGreaterThan(margin("tables"));
  });

  it("refuses word clusters other than those it was trained with", () => {
    const other: ClusterSource = { ...clusters, idsOf: (k) => (k === "the" ? Int32Array.of(3, 3, 3) : null) };
    expect(() => new TechniquesModel(withClusters(), other)).toThrow(/word clusters differ/);
    expect(() => new TechniquesModel(withClusters(), clusters)).not.toThrow();
  });
});

describe("rule layer", () => {
  it("flags loaded idioms, epithets and fear of the inevitable", () => {
    const doc = Doc.create({
      text: "The minister was caught red-handed. Iran's puppets spoke. Now war is inevitable.",
    });
    const hits = ruleHits(doc).map((h) => [h.technique, doc.text.slice(h.start, h.end)]);
    expect(hits).toContainEqual(["Loaded_Language", "caught red-handed"]);
    expect(hits).toContainEqual(["Name_Calling,Labeling", "Iran's puppets"]);
    expect(hits).toContainEqual(["Appeal_to_fear-prejudice", "Now war is inevitable."]);
  });

  it("stays quiet on neutral wording", () => {
    const doc = Doc.create({ text: "The committee approved the budget on Tuesday after a short debate." });
    expect(ruleHits(doc)).toEqual([]);
  });
});

function analyze(file: string) {
  const doc = Doc.create({ text: readFileSync(sharedPath("examples", file), "utf8") });
  const techniques = findTechniques(loadTechniquesModel(), doc);
  for (const t of techniques) {
    expect(() => Technique.parse(t)).not.toThrow();
    expect(doc.text.slice(t.start, t.end)).toBe(t.text);
    expect(t.explanation).toContain(t.text.replace(/\s+/g, " ").trim().slice(0, 20));
  }
  const flagged = (phrase: string, technique?: string) => {
    const at = doc.text.indexOf(phrase);
    expect(at, phrase).toBeGreaterThanOrEqual(0);
    return techniques.some(
      (t) => t.start < at + phrase.length && at < t.end && (!technique || t.technique === technique),
    );
  };
  return { techniques, flagged };
}

describeShared(
  "techniques on the example articles",
  ["examples/putin-us-strike-syria.txt", "examples/lavrov-attack-staged.txt"],
  () => {
    it("putin-us-strike-syria: loaded sensational wording and the escalation sentence", () => {
      const { flagged } = analyze("putin-us-strike-syria.txt");
      const sensational = ["sensationally claimed", "astonishing claim", "outlandish claim"].filter((p) =>
        flagged(p, "Loaded_Language"),
      );
      expect(sensational.length).toBeGreaterThan(0);
      expect(flagged("Escalation is almost unavoidable at this point.")).toBe(true);
    });

    it("lavrov-attack-staged: the strongman label and the red-handed idiom", () => {
      const { flagged } = analyze("lavrov-attack-staged.txt");
      expect(flagged("Russia’s strongman")).toBe(true);
      expect(flagged("caught red handed")).toBe(true);
    });
  },
);

describeShared("PTC loading", ["data/ptc"], () => {
  it("puts label offsets onto the labelled text", () => {
    const [a] = loadPtc(dataPath("ptc", "articles"), dataPath("ptc", "techniques-TC.labels"), {
      filter: (id) => id === "111111112",
    });
    expect(a!.spans.length).toBeGreaterThan(3);
    const first = a!.spans.find((s) => s.technique === "Slogans")!;
    expect(a!.doc.text.slice(first.start, first.end)).toBe("Stop Islamization of America");
  });
});
