// Ranker inputs and candidates added in round 11: proximity window, title-in-query, character 4-gram neighbours, the
// reverse translation table's input slots.
import { describe, expect, it } from "vitest";
import {
  FactCheckMatcher,
  RANK_DIM,
  RANK_DIM_R9,
  RANK_MIN_GRAM_K,
  rankInput,
  titleInQuery,
  window,
  type RerankerJSON,
} from "./matcher.js";
import { terms } from "./text.js";
import { trainModel1 } from "./translation.js";

describe("proximity window", () => {
  it("divides the matched distinct words by the shortest run holding them all", () => {
    const q = new Set(["vaccin", "autism"]);
    expect(window(q, ["vaccin", "caus", "autism"])).toBeCloseTo(2 / 3, 6);
    // The shortest run is chosen, not the first.
    expect(window(q, ["vaccin", "x", "x", "x", "autism", "vaccin"])).toBeCloseTo(1, 6);
  });

  it("is 0 with fewer than two matched words or no query", () => {
    expect(window(new Set(["vaccin"]), ["vaccin", "autism"])).toBe(0);
    expect(window(new Set(["zebra", "lion"]), ["vaccin", "autism"])).toBe(0);
    expect(window(null, ["vaccin", "autism"])).toBe(0);
  });
});

describe("title in query", () => {
  it("is 1 only when the query holds every word of a title of 2+ words", () => {
    const q = new Set(terms("Breaking: vaccines cause autism, says a new study"));
    expect(titleInQuery(q, terms("Do Vaccines Cause Autism?"))).toBe(1);
    expect(titleInQuery(q, terms("Do Vaccines Cause Measles?"))).toBe(0);
    expect(titleInQuery(q, terms("Vaccines"))).toBe(0);
    expect(titleInQuery(q, [])).toBe(0);
  });
});

describe("ranker input", () => {
  const c = { x: { idx: new Int32Array(0), val: new Float32Array(66) }, tm: 0.5, form: 1, tw: [0.2, 0.3] };

  it("puts the round-11 values after the round-9 ones, zeros when absent", () => {
    const v = rankInput({ ...c, rv: [0.1, 0.2, 0.7, 1] }).val;
    expect(v).toHaveLength(RANK_DIM);
    expect(Array.from(v.slice(RANK_DIM_R9 - 4, RANK_DIM_R9))).toEqual([
      0.5,
      1,
      Math.fround(0.2),
      Math.fround(0.3),
    ]);
    expect(Array.from(v.slice(RANK_DIM_R9))).toEqual([0.1, 0.2, 0.7, 1].map(Math.fround));
    expect(Array.from(rankInput(c).val.slice(RANK_DIM_R9))).toEqual([0, 0, 0, 0]);
    // A round-9 ranker reads its 37 values only.
    expect(rankInput({ ...c, rv: [0.1, 0.2, 0.7, 1] }, RANK_DIM_R9).val).toHaveLength(RANK_DIM_R9);
  });
});

describe("character 4-gram candidates", () => {
  // BM25 cannot match "cornflakes" (one term) to "corn flakes" (two); their character 4-grams overlap. Sixty
  // other fact-checks share the query's "doctor" and fill BM25's list.
  const docs = [
    { claim: "Corn flakes were invented to stop sin.", title: "Were Corn Flakes Invented to Stop Sin?" },
    ...Array.from({ length: 60 }, (_, i) => ({
      claim: `A doctor said that cereal number ${i} was good for you.`,
      title: `Did a doctor recommend cereal ${i}?`,
    })),
  ];
  const query = "Cornflakes doctor";

  it("adds the nearest fact-checks by 4-gram cosine to long candidate lists only", () => {
    const plain = new FactCheckMatcher(docs, null);
    const grams = new FactCheckMatcher(docs, null, { gramCandidates: 3 });
    const base = plain.candidates(query, RANK_MIN_GRAM_K).map((h) => h.doc);
    const withGrams = grams.candidates(query, RANK_MIN_GRAM_K).map((h) => h.doc);
    expect(base).toHaveLength(RANK_MIN_GRAM_K);
    expect(base).not.toContain(0);
    expect(withGrams).toContain(0);
    expect(withGrams.length).toBeGreaterThan(base.length);
    expect(withGrams.length).toBeLessThanOrEqual(base.length + 3);
    for (const d of base) expect(withGrams).toContain(d);
    // Short lists (the threshold matching) are unchanged.
    expect(grams.candidates(query, 5).map((h) => h.doc)).toEqual(
      plain.candidates(query, 5).map((h) => h.doc),
    );
    // Excluded fact-checks stay out.
    expect(grams.candidates(query, RANK_MIN_GRAM_K, new Set([0])).map((h) => h.doc)).not.toContain(0);
  });

  it("keeps the list in BM25 order", () => {
    const grams = new FactCheckMatcher(docs, null, { gramCandidates: 3 });
    const s = grams.candidates(query, RANK_MIN_GRAM_K).map((h) => h.bm25);
    for (let i = 1; i < s.length; i++) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]!);
  });
});

describe("reverse translation inputs", () => {
  it("score a candidate whose title the query explains above one it does not", () => {
    const docs = [
      { claim: "Mothers of kids in cages were separated at the border.", title: "Were Kids Kept in Cages?" },
      { claim: "The governor signed a tax bill on Tuesday.", title: "Did the Governor Sign a Tax Bill?" },
    ];
    const reverse = trainModel1([
      { src: terms("children detained"), tgt: terms("kids cages") },
      { src: terms("children cages"), tgt: terms("kids cages") },
    ]);
    const model: RerankerJSON = {
      kind: "claim-retrieval-reranker",
      version: 1,
      candidates: 50,
      lr: { kind: "logistic", dim: 1, classes: 2, weights: new Float32Array(1), bias: new Float32Array(1) },
      platt: { a: 1, b: 0 },
      threshold: 0.5,
      reverse,
    };
    const withRev = new FactCheckMatcher(docs, model);
    const c = withRev.candidates("children detained in cages at the border", 5);
    const byDoc = new Map(c.map((x) => [x.doc, x.rv]));
    expect(byDoc.get(0)![0]!).toBeGreaterThan(0);
    expect(byDoc.get(0)![0]!).toBeGreaterThan(byDoc.get(1)?.[0] ?? 0);
  });
});
