import { describe, expect, it } from "vitest";
import { Bm25Index } from "./bm25.js";
import { stem, stripTrailer, terms } from "./text.js";
import { FactCheckMatcher } from "./matcher.js";
import { loadReranker } from "./memory.js";

const DOCS = [
  { claim: "The unemployment rate fell to 3.5 percent in 2019.", title: "Did Unemployment Fall to 3.5%?" },
  { claim: "Vaccines cause autism in children.", title: "Do Vaccines Cause Autism?" },
  { claim: "Drinking hot water cures the coronavirus.", title: "Hot Water and COVID-19" },
  { claim: "The Eiffel Tower was sold twice by a con man.", title: null },
];

describe("BM25 index", () => {
  it("ranks the document sharing the rare terms first and scores unrelated docs zero", () => {
    const idx = Bm25Index.fromTexts(DOCS.map((d) => d.claim));
    const hits = idx.search(terms("children autism vaccines"), 10);
    expect(hits[0]!.doc).toBe(1);
    expect(hits.map((h) => h.doc)).not.toContain(3);
    expect(idx.search(terms("zebra"), 5)).toEqual([]);
  });

  it("merges inflections", () => {
    expect(stem("vaccines")).toBe(stem("vaccine"));
    expect(terms("The cures")).toEqual(terms("cure"));
  });
});

describe("FactCheckMatcher with the shipped re-ranker", () => {
  // A memory of realistic size gives realistic idf: pad with distinct unrelated fact-checks.
  const topics = [
    "senator",
    "governor",
    "mayor",
    "budget",
    "school",
    "bridge",
    "river",
    "factory",
    "tariff",
    "election",
  ];
  const filler = Array.from({ length: 400 }, (_, i) => ({
    claim: `The ${topics[i % 10]} of district ${i} spent ${i * 3} dollars on ${topics[(i * 7) % 10]} projects.`,
    title: null,
  }));
  const m = new FactCheckMatcher([...DOCS, ...filler], loadReranker());

  it("matches a reworded claim above the threshold and nothing for an unrelated one", () => {
    const hit = m.matches("He said that vaccines cause autism in children");
    expect(hit[0]?.doc).toBe(1);
    expect(hit[0]!.score).toBeGreaterThanOrEqual(m.model!.threshold);
    expect(m.matches("The weather in Lisbon was pleasant on Sunday")).toEqual([]);
  });

  it("orders candidates with the pairwise ranker and reads a tweet without its signature line", () => {
    expect(m.model!.ranker).toBeDefined();
    const tweet = "Hot water kills the coronavirus, drink it! — Jane Doe (@janedoe) March 3, 2020";
    expect(stripTrailer(tweet).trim()).toBe("Hot water kills the coronavirus, drink it!");
    expect(stripTrailer("No signature here (@x)")).toBe("No signature here (@x)");
    const ranked = m.rank(tweet, 5);
    expect(ranked[0]?.doc).toBe(2);
    // Probabilities stay the calibrated re-ranker's, within [0, 1].
    for (const r of ranked) {
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
    }
  });
});
