import { describe, expect, it } from "vitest";
import { Bm25Index } from "./bm25.js";
import { FactCheckMatcher } from "./matcher.js";
import { loadReranker } from "./memory.js";
import { cleanText, terms } from "./text.js";
import {
  queryTermFeatures,
  TERM_FEATURES,
  TermWeighter,
  trainTermWeights,
  type TermExample,
} from "./termweights.js";

const DOCS = [
  { claim: "Vaccines cause autism in children.", title: "Do Vaccines Cause Autism?" },
  { claim: "Trump said vaccines cause autism.", title: "Did Trump Say Vaccines Cause Autism?" },
  { claim: "The Eiffel Tower was sold twice by a con man.", title: "" },
];

describe("BM25 query term frequency and per-term scores", () => {
  const docs = DOCS.map((d) => terms(d.claim + " " + d.title));
  const counted = new Bm25Index(docs, 1.2, 0.5);
  const binary = new Bm25Index(docs, 1.2, 0.5, 0, true);

  it("counts a repeated query term once when binaryQueryTf is set", () => {
    const q = terms("trump trump trump autism");
    const score = (idx: Bm25Index, d: number) => idx.search(q, 3).find((h) => h.doc === d)!.score;
    const once = binary.termScore("trump", 1) + binary.termScore("autism", 1);
    expect(score(binary, 1)).toBeCloseTo(once, 5);
    expect(score(counted, 1)).toBeCloseTo(
      3 * counted.termScore("trump", 1) + counted.termScore("autism", 1),
      5,
    );
    // The repeated name no longer outweighs the claim's words: both vaccine documents share "autism".
    expect(score(binary, 1) - score(binary, 0)).toBeLessThan(score(counted, 1) - score(counted, 0));
  });

  it("termScore is the term's contribution to search and 0 when the term or the posting is absent", () => {
    for (const d of [0, 1, 2]) {
      const hit = binary.search(["eiffel"], 3).find((h) => h.doc === d);
      expect(binary.termScore("eiffel", d)).toBeCloseTo(hit?.score ?? 0, 6);
    }
    expect(binary.termScore("zebra", 0)).toBe(0);
    expect(binary.termScore("autism", 2)).toBe(0);
  });
});

describe("query-term features", () => {
  const ctx = {
    clean: (t: string) => cleanText(t),
    idf: (w: string) => (w === "trump" ? 2 : w === "autism" ? 6 : 4),
    titleShare: (w: string) => (w === "autism" ? 1 : 0),
  };
  const text = "VACCINES cause autism, says Trump #Autism — Donald J. Trump (@realDonaldTrump) March 3, 2014";
  const qt = terms(cleanText(text));
  const { terms: ts, features } = queryTermFeatures(text, qt, ctx);
  const f = (w: string) => features[ts.indexOf(w)]!;

  it("gives every distinct query term one row of TERM_FEATURES values", () => {
    expect(ts).toEqual([...new Set(qt)]);
    expect(features.every((r) => r.length === TERM_FEATURES)).toBe(true);
  });

  it("sees capitals, tags, the tweet trailer, years, months and the idf", () => {
    expect(f("vaccin")[0]).toBeCloseTo(0.4, 6);
    expect(f("vaccin")[3]).toBe(1); // all caps
    expect(f("caus")[2]).toBe(0);
    expect(f("trump")[2]).toBe(1); // capitalised
    expect(f("autism")[4]).toBe(1); // from a hashtag
    expect(f("real")[5]).toBe(1); // from a handle
    expect(f("trump")[12]).toBe(1); // repeated
    expect(f("donald")[6]).toBe(1); // only in the trailer
    expect(f("trump")[7]).toBe(1); // in the trailer and the body
    expect(f("2014")[10]).toBe(1);
    expect(f("2014")[9]).toBe(1);
    expect(f("march")[15]).toBe(1);
    expect(f("trump")[15]).toBe(0);
    expect(f("vaccin")[8]).toBe(0); // first position
    expect(f("march")[8]).toBeGreaterThan(0.7);
    expect(f("autism")[16]).toBe(1);
    expect(f("autism")[14]).toBe(0); // the rarest term of the query
  });
});

describe("term-weight model", () => {
  // Synthetic: terms only in the trailer are never in the fact-check, capitalised body terms always are.
  const examples: TermExample[] = [];
  for (let i = 0; i < 200; i++) {
    const trailer = i % 2 === 0;
    const features = new Array(TERM_FEATURES).fill(0);
    features[0] = 0.3 + (i % 7) / 20;
    features[2] = trailer ? 1 : i % 3 === 0 ? 1 : 0;
    features[6] = trailer ? 1 : 0;
    examples.push({ term: `w${i % 13}`, features, y: trailer ? 0 : features[2] });
  }

  it("learns weights that separate what the gold fact-check holds from what it does not", () => {
    const w = new TermWeighter(trainTermWeights(examples));
    const p = w.weights(
      examples.map((e) => e.term),
      examples.map((e) => e.features),
    );
    let good = 0;
    for (let i = 0; i < examples.length; i++) if (p[i]! > 0.5 === (examples[i]!.y === 1)) good++;
    expect(good / examples.length).toBeGreaterThan(0.9);
    for (const x of p) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
    }
  });
});

describe("the shipped model's term weights", () => {
  const model = loadReranker();
  const m = new FactCheckMatcher(
    [
      { claim: "Vaccines cause autism in children.", title: "Do Vaccines Cause Autism?" },
      {
        claim: "Jane Doe said the moon landing was faked.",
        title: "Did Jane Doe Say the Moon Landing Was Faked?",
      },
      { claim: "Drinking hot water cures the coronavirus.", title: "Hot Water and COVID-19" },
    ],
    model,
  );
  const tweet = "Vaccines cause autism in children, the doctors lied. — Jane Doe (@janedoe) March 3, 2020";

  it("counts query terms once and weighs the claim's topic above the author's name and the date", () => {
    expect(model.queryTf).toBe("binary");
    expect(m.index.binaryQueryTf).toBe(true);
    const tf = m.termFeatures(tweet);
    const w = new TermWeighter(model.termWeights!).weights(tf.terms, tf.features);
    const at = (t: string) => w[tf.terms.indexOf(t)]!;
    for (const topic of ["vaccin", "autism"])
      for (const other of ["doe", "march", "2020"]) expect(at(topic)).toBeGreaterThan(at(other));
  });

  it("gives the ranker the term-weighted BM25 relative to the best candidate", () => {
    const c = m.candidates(tweet, 3);
    expect(c[0]!.doc).toBe(0);
    expect(c[0]!.tw[0]).toBeCloseTo(1, 6);
    const other = c.find((x) => x.doc === 1)!;
    expect(other.tw[0]).toBeLessThan(1);
    expect(other.tw[1]).toBeLessThan(c[0]!.tw[1]!);
  });
});
