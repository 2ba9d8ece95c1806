import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain } from "../../../test/capture-main.js";
import { CorpusStore } from "../../store/corpus.js";
import { calendarDate, wholeNumber } from "./options.js";

describe("option values", () => {
  it("whole numbers and calendar dates", () => {
    expect(wholeNumber("20", "--limit")).toBe(20);
    for (const bad of ["abc", "-1", "0", "2.5", "", "1e3"])
      expect(() => wholeNumber(bad, "--limit")).toThrow(/^--limit must be a whole number ≥ 1, not/);
    expect(wholeNumber("0", "--n", 0)).toBe(0);
    for (const ok of ["2017", "2017-04", "2017-04-14", "2016-02-29"])
      expect(calendarDate(ok, "--since")).toBe(ok);
    for (const bad of ["2017-13-45", "2017foo", "2017-02-30", "14/04/2017", "2017-4-1"])
      expect(() => calendarDate(bad, "--since")).toThrow(/^--since must be a date like YYYY-MM-DD/);
  });

  describe("corpus commands refuse bad values in one line (no SQLite error, no silently ignored filter)", () => {
    const dir = mkdtempSync(join(tmpdir(), "claimscope-opts-"));
    const db = join(dir, "corpus.db");
    beforeAll(async () => (await CorpusStore.open(db)).close());
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each([
      [["stories", "--limit", "abc"], '--limit must be a whole number ≥ 1, not "abc"'],
      [["stories", "--min-articles", "-3"], '--min-articles must be a whole number ≥ 1, not "-3"'],
      [["sources", "--min-articles", "abc"], '--min-articles must be a whole number ≥ 1, not "abc"'],
      [["search", "bridge", "--limit", "abc"], '--limit must be a whole number ≥ 1, not "abc"'],
      [["search", "bridge", "--limit", "-1"], '--limit must be a whole number ≥ 1, not "-1"'],
      [["search", "bridge", "-f", "xml"], 'unknown format "xml" (use json, report)'],
      [["search", "bridge", "--since", "2017-13-45"], "--since must be a date like YYYY-MM-DD"],
      [["search", "bridge", "--until", "2017foo"], "--until must be a date like YYYY-MM-DD"],
      [
        ["search", "bridge", "--what", "articles", "--speaker", "mayor"],
        "--speaker selects claims: it cannot go with --what articles (it found nothing, silently)",
      ],
    ])("%j", async (args, message) => {
      const r = await runMain(...args, "--db", db);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`claimscope: ${message}`);
    });

    it("good values still work", async () => {
      const r = await runMain("search", "bridge", "--since", "2017-04", "--limit", "5", "--db", db);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual([]);
    });
  });
});

describe("--db that is not a store", () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-notdb-"));
  const article = join(dir, "article.txt");
  const body = "Bridge to close\n\nThe mayor said the bridge will close in May.\n";
  writeFileSync(article, body);
  writeFileSync(
    join(dir, "checks.csv"),
    "claim,rating,url\nThe bridge will close,False,https://c.example/1\n",
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["analyze", article, "--stages", "entities"],
    ["factchecks", "import", join(dir, "checks.csv")],
    ["factchecks", "search", "bridge"],
    ["ingest", article, "--workers", "1", "--stages", "entities"],
    ["stories"],
    ["story", "1"],
    ["search", "bridge"],
    ["sources"],
    ["export"],
    ["serve", "--port", "0"],
  ])("%s %s: one line naming the file, which is left untouched", async (...args) => {
    const r = await runMain(...args, "--db", article);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      `claimscope: --db ${article}: not a claimscope store (not an SQLite database)`,
    ]);
    expect(readFileSync(article, "utf8")).toBe(body);
  });
});

describe("help and messages that list technique names", () => {
  it("separates names that contain commas unambiguously; factchecks search takes -f like the others", async () => {
    const dir = mkdtempSync(join(tmpdir(), "claimscope-tech-"));
    try {
      const db = join(dir, "c.db");
      await (await CorpusStore.open(db)).close();
      const r = await runMain("search", "x", "--technique", "Name_Calling", "--db", db);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("Loaded_Language | Name_Calling,Labeling | Repetition | Doubt");
      const f = await runMain("factchecks", "search", "bridge", "-f", "xml", "--db", db);
      expect(f.stderr.trim()).toBe('claimscope: unknown format "xml" (use json, report)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("--db that is a damaged store", () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-damaged-"));
  const article = join(dir, "article.txt");
  writeFileSync(article, "Bridge to close\n\nThe mayor said the bridge will close in May.\n");
  const checks = join(dir, "checks.csv");
  writeFileSync(checks, "claim,rating,url\nThe bridge will close in May,False,https://c.example/1\n");
  // An SQLite header followed by garbage, and a real store cut short (a copy interrupted, a full disk).
  const garbage = join(dir, "garbage.db");
  writeFileSync(
    garbage,
    Buffer.concat([Buffer.from("SQLite format 3\u0000", "latin1"), Buffer.alloc(200, 7)]),
  );
  const truncated = join(dir, "truncated.db");
  beforeAll(async () => {
    const store = await CorpusStore.open(truncated);
    await store.close();
    expect((await runMain("factchecks", "import", checks, "--db", truncated)).code).toBe(0);
    const full = readFileSync(truncated);
    expect(full.length).toBeGreaterThan(8192);
    writeFileSync(truncated, full.subarray(0, 4096));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["analyze", article, "--stages", "entities,attribution,factchecks"],
    ["factchecks", "search", "the bridge will close in May"],
    ["factchecks", "import", checks],
    ["stories"],
    ["search", "bridge"],
    ["export"],
  ])("%s %s: one line saying the store is damaged, not 'no memory' or a silent no-match", async (...args) => {
    for (const db of [garbage, truncated]) {
      const before = readFileSync(db);
      const r = await runMain(...args, "--db", db);
      expect(r.code, db).toBe(2);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^claimscope: --db ${db.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: damaged store`),
      );
      expect(readFileSync(db).equals(before)).toBe(true);
    }
  });

  it("analyze checks the default store too (it is read when it exists)", async () => {
    const saved = process.env.CLAIMSCOPE_DB;
    process.env.CLAIMSCOPE_DB = garbage;
    try {
      const r = await runMain("analyze", article, "--stages", "entities");
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(/^claimscope: store .*garbage\.db: damaged store/);
    } finally {
      if (saved === undefined) delete process.env.CLAIMSCOPE_DB;
      else process.env.CLAIMSCOPE_DB = saved;
    }
  });
});
