import { describe, expect, it } from "vitest";
import { Bm25Index } from "./bm25.js";
import { Segmenter, stem, stripTrailer, terms } from "./text.js";
import { FactCheckMatcher, titleForm } from "./matcher.js";
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

  it("weighs idf as in a collection of at least statsDocs documents", () => {
    const docs = DOCS.map((d) => terms(d.claim));
    const own = new Bm25Index(docs);
    const floored = new Bm25Index(docs, 1.2, 0.75, 10_000);
    expect(own.idf("autism")).toBeCloseTo(Math.log(1 + 3.5 / 1.5), 6);
    expect(floored.idf("autism")).toBeCloseTo(Math.log(1 + 9999.5 / 1.5), 6);
    // A collection already larger than the floor keeps its own statistics.
    expect(new Bm25Index(docs, 1.2, 0.75, 2).idf("autism")).toBe(own.idf("autism"));
  });

  it("merges inflections", () => {
    expect(stem("vaccines")).toBe(stem("vaccine"));
    expect(terms("The cures")).toEqual(terms("cure"));
  });
});

describe("Segmenter", () => {
  const seg = new Segmenter([
    "Kellogg's Corn Flakes were created to discourage masturbation.",
    "George Soros was a Nazi collaborator.",
    "Instagram model Kristyna Martelli died in surgery.",
    "The Fyre Festival descended into chaos.",
  ]);

  it("splits glued hashtags and handles into the memory's words, keeping their case", () => {
    expect(seg.apply("Google why were #cornflakes invented")).toBe("Google why were #corn flakes invented");
    expect(seg.split("georgesoros")).toBe("george soros");
    expect(seg.split("Fyrefestival")).toBe("Fyre festival");
    // One unknown piece is allowed next to long known ones.
    expect(seg.split("krystinamartelli")).toBe("krystina martelli");
  });

  it("leaves known words, short words and words without a good split alone", () => {
    expect(seg.split("festival")).toBe("festival");
    expect(seg.split("corn")).toBe("corn");
    expect(seg.split("Giridharadas")).toBe("Giridharadas");
    const long = "corn".repeat(11);
    expect(seg.split(long)).toBe(long);
    // A short known piece next to an unknown one is not a split ("Tornillo" is not "Torn illo").
    expect(new Segmenter(["torn"]).split("Tornillo")).toBe("Tornillo");
  });

  it("lets BM25 find a fact-check through a glued hashtag", () => {
    const m = new FactCheckMatcher(
      [
        { claim: "The Fyre Festival descended into chaos.", title: null },
        { claim: "A festival in Ohio was cancelled.", title: null },
      ],
      null,
    );
    expect(m.queryTerms("#Fyrefestival is a disaster")).toEqual(terms("Fyre festival is a disaster"));
    expect(m.rank("#Fyrefestival is a disaster", 2)[0]?.doc).toBe(0);
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

describe("a small fact-check memory", () => {
  // Three fact-checks only: without the training collection's size as a floor every word is common there (idf
  // near 0) and an exact restatement scored 0.11, far under the threshold.
  const m = new FactCheckMatcher(
    [
      { claim: "Syria chemical attack was staged", title: null },
      { claim: "Vaccines cause autism in children", title: null },
      { claim: "The moon landing was faked by NASA in a studio", title: null },
    ],
    loadReranker(),
  );

  it("matches a restatement of one of its fact-checks, and not an unrelated claim", () => {
    expect(m.model!.collectionSize).toBeGreaterThan(1000);
    expect(m.matches("Syria Chemical Attack was Staged")[0]?.doc).toBe(0);
    expect(m.matches("NASA faked the moon landing in a studio")[0]?.doc).toBe(2);
    expect(m.matches("Obama was born in Kenya, officials said")).toEqual([]);
  });
});

describe("title form (ranker feature)", () => {
  it("tells question titles, statement titles and missing titles apart", () => {
    expect(titleForm("Did Trump Display an Altered Hurricane Dorian Map?")).toBe(1);
    expect(titleForm("Did Pope Francis Say ‘Exposing Pedophile Priests Is Satan’s Work?’")).toBe(1);
    expect(titleForm("School Buses")).toBe(0);
    expect(titleForm("Is it true? No.")).toBe(0);
    expect(titleForm("")).toBe(0.5);
    expect(titleForm(null)).toBe(0.5);
  });
});
