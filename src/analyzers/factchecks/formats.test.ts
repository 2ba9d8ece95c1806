import { describe, expect, it } from "vitest";
import { parseFactCheckText } from "./formats.js";

const review = (claim: string, rating: string | null, url = "https://fc.example/1") => ({
  "@context": "https://schema.org",
  "@type": "ClaimReview",
  url,
  claimReviewed: claim,
  datePublished: "2020-03-01",
  author: { "@type": "Organization", name: "Example Fact Check" },
  ...(rating === null
    ? {}
    : { reviewRating: { "@type": "Rating", alternateName: rating, ratingValue: 2, bestRating: 5 } }),
});

describe("fact-check formats", () => {
  it("reads ClaimReview from an HTML page's ld+json, keeping the rating as published", () => {
    const html = `<!doctype html><html><head>\n<script type="application/ld+json">${JSON.stringify(review("The moon is cheese.", "Pants on Fire!"))}</script></head></html>`;
    const p = parseFactCheckText(html, ".html");
    expect(p.records).toHaveLength(1);
    expect(p.records[0]).toMatchObject({
      claimReviewed: "The moon is cheese.",
      rating: "Pants on Fire!",
      publisher: "Example Fact Check",
      date: "2020-03-01",
    });
  });

  it("reads arrays and @graph, and reports items without a rating", () => {
    const arr = JSON.stringify([review("A.", "False"), review("B.", null, "https://fc.example/2")]);
    const p = parseFactCheckText(arr, ".json");
    expect(p.records.map((r) => r.claimReviewed)).toEqual(["A."]);
    expect(p.malformed).toEqual([{ line: "item 2", reason: expect.stringContaining("reviewRating") }]);
    const graph = JSON.stringify({
      "@context": "https://schema.org",
      "@graph": [{ "@type": "WebPage" }, review("C.", "True")],
    });
    expect(parseFactCheckText(graph, ".jsonld").records.map((r) => r.rating)).toEqual(["True"]);
  });

  it("reads JSON Lines and reports the line of a broken row", () => {
    const jsonl = [
      JSON.stringify(review("A.", "False")),
      "{not json",
      JSON.stringify(review("B.", "Mostly True")),
    ].join("\n");
    const p = parseFactCheckText(jsonl, ".jsonl");
    expect(p.records.map((r) => r.rating)).toEqual(["False", "Mostly True"]);
    expect(p.malformed).toEqual([{ line: 2, reason: "invalid JSON" }]);
    expect(p.read).toBe(3);
  });

  it("uses ratingValue/bestRating only when no rating name is published", () => {
    const r = { ...review("A.", null), reviewRating: { ratingValue: 1, bestRating: 5 } };
    expect(parseFactCheckText(JSON.stringify(r), ".json").records[0]!.rating).toBe("1/5");
  });

  it("reads a CSV by its header and skips rows missing required fields, with their line", () => {
    const csv =
      'Claim,Verdict,URL,Publisher,Date\n"Crime rose 50%, he said",Misleading,https://a.example/1,A Check,2021-01-02\nNo rating here,,https://a.example/2,A Check,\n';
    const p = parseFactCheckText(csv, ".csv");
    expect(p.records).toEqual([
      expect.objectContaining({
        claimReviewed: "Crime rose 50%, he said",
        rating: "Misleading",
        url: "https://a.example/1",
        publisher: "A Check",
        date: "2021-01-02",
      }),
    ]);
    expect(p.malformed).toEqual([{ line: 3, reason: "missing rating" }]);
  });

  it("reads LIAR rows as PolitiFact fact-checks with the label as published", () => {
    const liar =
      "2635.json\tpants-fire\tSays X did Y.\tabortion\tdwayne-bohac\tRep\tTexas\trepublican\t0\t1\t0\t0\t0\ta mailer\nbad line\n";
    const p = parseFactCheckText(liar, ".tsv");
    expect(p.format).toBe("liar");
    expect(p.records[0]).toMatchObject({
      claimReviewed: "Says X did Y.",
      rating: "pants-fire",
      publisher: "PolitiFact",
      claimant: "dwayne bohac",
      context: "a mailer",
    });
    expect(p.records[0]!.url).toContain("2635");
    expect(p.malformed).toEqual([{ line: 2, reason: expect.any(String) }]);
  });

  it("reads the CLEF verified claims, with no invented rating", () => {
    const tsv =
      '\tvclaim\ttitle\n0\tA claim.\tA title\n1\t"Two\nlines."\tT2\nbroken\trow\n2\ta\tb\tc\n3\tNo title.\n';
    const p = parseFactCheckText(tsv, ".tsv");
    expect(p.format).toBe("clef-verified-claims");
    expect(p.records.map((r) => [r.claimReviewed, r.rating, r.title])).toEqual([
      ["A claim.", "", "A title"],
      ["Two\nlines.", "", "T2"],
      ["No title.", "", undefined],
    ]);
    expect(p.malformed.map((m) => m.line)).toEqual([5, 6]);
  });
});
