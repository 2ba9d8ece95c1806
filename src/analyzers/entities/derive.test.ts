import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveGazetteer, type Gazetteer } from "./derive.js";

// A tiny invented corpus laid out like ../shared/data, to test the derivation rules.
let dir: string;
let g: Gazetteer;

function liarRow(id: number, speaker: string, job: string, party: string): string {
  return [
    `${id}.json`,
    "true",
    "A statement.",
    "topic",
    speaker,
    job,
    "Texas",
    party,
    "0",
    "0",
    "0",
    "0",
    "0",
    "ctx",
  ].join("\t");
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "claimscope-entities-"));
  mkdirSync(join(dir, "liar"));
  mkdirSync(join(dir, "fakenewsnet"));
  mkdirSync(join(dir, "polnear", "train", "text"), { recursive: true });
  mkdirSync(join(dir, "polnear", "train", "attributions"), { recursive: true });
  const rows: string[] = [];
  let id = 1;
  for (let k = 0; k < 6; k++) rows.push(liarRow(id++, "zorana-quell", "State senator", "democrat"));
  rows.push(liarRow(id++, "zorana-brix", "Governor", "republican"));
  rows.push(liarRow(id++, "tobin-quell", "Governor", "republican"));
  rows.push(liarRow(id++, "tobin-marsh", "Governor", "republican"));
  rows.push(liarRow(id++, "acme-posts", "", "organization"));
  for (const speaker of ["ivo-quell", "ivo-brix", "kim-quell", "kim-vance"])
    rows.push(liarRow(id++, speaker, "Mayor", "democrat"));
  writeFileSync(join(dir, "liar", "train.tsv"), rows.join("\n") + "\n");
  // Running text: "harbor" is mostly lower-case, "Velmont" mostly capitalised; "the Velmont Trust" takes "the".
  const body =
    "Officials said the harbor was closed. The harbor reopened on time and the harbor grew. " +
    "Reporters in Velmont met the Velmont Trust. Later the Velmont Trust spoke and the Velmont Trust agreed. " +
    "A boat left the harbor for Velmont. The treasurer spoke. Everyone in Velmont cheered the Velmont Trust, the Velmont Trust said. " +
    // "Wrenna" stands before two known surnames; "Velmont" before a surname too, but it is mostly a place
    "Then Wrenna Quell arrived, and later Wrenna Marsh spoke. Later Velmont Quell opened. " +
    // pronoun agreement: the first name of a speaker who refers to herself / himself
    "Wrenna Quell said she would run. Tobin Quell, the governor, said he would not. " +
    // honorifics: "Ms. Pell" where Zorana Pell is the only Pell; "Mrs. Brix" may be Ivo Brix's wife (no vote);
    // "Ms. Arkwright" does not outvote the pronouns that make Tobin male; Kim is a name of either gender
    "Zorana Pell spoke first, and Ms. Pell left. Ivo Brix wed, and Mrs. Brix smiled. " +
    "Tobin Arkwright waved, and Ms. Arkwright smiled. Kim Vance said she would stay. ";
  const lines = [0, 1, 2, 3].map((i) =>
    JSON.stringify({
      id: `x${i}`,
      label: "real",
      authors: ["Zorana Pell", "Tobin Arkwright"],
      text: body.repeat(2),
      title: "t",
    }),
  );
  writeFileSync(join(dir, "fakenewsnet", "politifact_news.jsonl"), lines.join("\n") + "\n");
  writeFileSync(join(dir, "fakenewsnet", "gossipcop_news.jsonl"), "");
  writeFileSync(join(dir, "polnear", "train", "text", "a.txt"), "Title\n\nSome text.");
  writeFileSync(
    join(dir, "polnear", "train", "attributions", "a.ann"),
    [
      "T1\tSource 0 5\tcouncil treasurer Zorana Olsen",
      "T2\tSource 0 5\tcouncil treasurer Ivo Stann",
      "T3\tSource 0 5\tcity treasurer Ada Pim",
      "T4\tSource 0 5\tVelmont Daily Ledger",
    ].join("\n"),
  );
  g = deriveGazetteer({ data: dir });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("deriveGazetteer", () => {
  it("derives person names, first names and surnames from speakers and authors", () => {
    expect(g.persons).toContain("zorana quell");
    // source spans count as people only with a known first name ("Zorana"), not outlets or unknowns
    expect(g.persons).toContain("zorana olsen");
    expect(g.persons).not.toContain("ada pim");
    expect(g.persons).not.toContain("velmont daily ledger");
    // first names need two distinct full names
    expect(g.firstNames).toContain("zorana");
    expect(g.firstNames).toContain("tobin");
    expect(g.firstNames).not.toContain("ada");
    // ... or, from running text, a capitalised word seen before two known surnames and seldom elsewhere
    expect(g.firstNames).toContain("wrenna");
    expect(g.firstNames).not.toContain("velmont");
    expect(g.surnames).toContain("quell");
    // organisation speakers are not people
    expect(g.persons.some((p) => p.includes("acme"))).toBe(false);
  });

  it("genders first names by the pronoun their bearers are referred back to with, then by Ms. / Mr.", () => {
    expect(g.firstNames).toEqual(expect.arrayContaining(["ivo", "kim"]));
    expect(g.female).toEqual(["wrenna", "zorana"]);
    expect(g.male).toEqual(["tobin"]);
  });

  it("keeps frequently quoted last names as famous", () => {
    expect(g.famous).toContain("quell");
    expect(g.famous).not.toContain("marsh");
  });

  it("derives role heads from job titles and source spans", () => {
    expect(g.roleHeads).toContain("treasurer");
  });

  it("splits common and proper words by their capitalisation", () => {
    expect(g.common).toContain("harbor");
    expect(g.proper).toContain("velmont");
    expect(g.common).not.toContain("velmont");
  });

  it("types capitalised sequences by their left context", () => {
    expect(g.orgs).toContain("velmont trust");
    expect(g.gpes).not.toContain("velmont trust");
  });

  it("is deterministic", () => {
    expect(JSON.stringify(deriveGazetteer({ data: dir }))).toBe(JSON.stringify(g));
  });
});
