import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../../../test/capture-main.js";

describe("factchecks import: bad input", () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-fc-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, "fc.db");
  const file = (name: string, data: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    return p;
  };
  const oneLine = (s: string) => s.trim().split("\n");

  it("binary data: one line naming the file, without echoing the bytes", async () => {
    const bin = file(
      "checks.csv",
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0x3e, 0, 1, 0, 0, 0]),
    );
    const r = await runMain("factchecks", "import", bin, "--db", db);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([`claimscope: ${bin}: binary data (ELF executable), not text`]);
  });

  it("an empty file or a directory is refused, naming it", async () => {
    const empty = file("empty.csv", "\n  \n");
    const r = await runMain("factchecks", "import", empty, "--db", db);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([`claimscope: ${empty}: empty file, nothing to import`]);
    const d = await runMain("factchecks", "import", dir, "--db", db);
    expect(d.code).toBe(2);
    expect(oneLine(d.stderr)).toEqual([`claimscope: ${dir}: a directory, not a fact-check file`]);
  });

  it("a format problem names the file", async () => {
    const csv = file("nocols.csv", "a,b\n1,2\n");
    const r = await runMain("factchecks", "import", csv, "--db", db);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^claimscope: ${csv}: CSV header`));
  });

  it("an unclosed quote in a CSV names the file (was the parser's bare message) and nothing is imported", async () => {
    const csv = file(
      "quote.csv",
      'claim,rating,url\r\n"Taxes rose",False,https://c.example/1\r\nbroken,"False,https://c.example/2\r\n',
    );
    const r = await runMain("factchecks", "import", csv, "--db", db);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^claimscope: ${csv}: .*quote`, "i"));
    expect(r.stdout).toBe("");
  });

  it("skipped rows of a CRLF file carry their real line numbers, multi-line quoted fields included", async () => {
    const rows = [
      "claim,rating,url",
      '"A claim over',
      "three",
      'lines",False,https://c.example/1',
      ",True,https://c.example/2",
    ];
    for (const eol of ["\n", "\r\n"]) {
      const csv = file(`lines-${eol.length}.csv`, rows.join(eol) + eol);
      const r = await runMain("factchecks", "import", csv, "--db", db);
      expect(r.code).toBe(1);
      expect(r.stdout, JSON.stringify(eol)).toContain("  skipped line 5: missing claimReviewed");
    }
  });

  it("says when characters could not be decoded (a Windows-1252 CSV read as UTF-8); the import goes on", async () => {
    const csv = file(
      "cp1252.csv",
      Buffer.concat([
        Buffer.from("claim,rating,url\n"),
        Buffer.from([0x93]),
        Buffer.from("Taxes rose"),
        Buffer.from([0x94]),
        Buffer.from(",False,https://c.example/9\n"),
      ]),
    );
    const r = await runMain("factchecks", "import", csv, "--db", db);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("added 1");
    expect(oneLine(r.stderr)).toEqual([
      `claimscope: warning: ${csv}: 2 characters could not be decoded and were replaced by U+FFFD ` +
        "(not UTF-8? save the file as UTF-8 and import it again)",
    ]);
  });

  it("a partial import keeps the good rows, lists the skipped ones and exits non-zero", async () => {
    const json = file(
      "reviews.json",
      JSON.stringify([
        {
          "@type": "ClaimReview",
          url: "https://checks.example/bridge",
          claimReviewed: "The bridge will close in May",
          author: { "@type": "Organization", name: "Checks" },
          reviewRating: { "@type": "Rating", alternateName: "False" },
          // An imported field with a line break must not break the search listing's lines.
          itemReviewed: { "@type": "Claim", author: { "@type": "Person", name: "Mayor\nAnn Lee" } },
        },
        { "@type": "ClaimReview", url: "https://checks.example/none", claimReviewed: "No rating here" },
      ]),
    );
    const r = await runMain("factchecks", "import", json, "--db", db);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("read 2, added 1, already present 0, malformed 1");
    expect(r.stdout).toMatch(/ {2}skipped item 2: no reviewRating/);
    expect(oneLine(r.stderr)).toEqual([
      "claimscope: 1 malformed row skipped (listed above); 1 fact-check imported or already present",
    ]);
    const s = await runMain("factchecks", "search", "the bridge will close", "--db", db, "--format", "json");
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout).matches[0].url).toBe("https://checks.example/bridge");
    // The report says what its order and its number mean.
    const rep = await runMain("factchecks", "search", "the bridge will close in May", "--db", db);
    expect(rep.code).toBe(0);
    const lines = rep.stdout.split("\n");
    expect(lines[0]).toMatch(/^best first \(by the re-ranker\); p = calibrated probability .*p ≥ 0\.\d+/);
    expect(lines[1]).toMatch(/^1\. \[p \d\.\d{3}( match)?\] The bridge will close in May$/);
    expect(lines).toContain("   words in common: 100% of the fact-check's, 100% of yours");
    expect(lines).toContain("   rating: False — Checks; claimed by Mayor Ann Lee");
    // An empty claim is a mistake, not a search that found nothing.
    const empty = await runMain("factchecks", "search", "  ", "--db", db);
    expect(empty.code).toBe(2);
    expect(oneLine(empty.stderr)).toEqual([
      "claimscope: give the claim to search for (an empty text matches nothing)",
    ]);
  });
});
