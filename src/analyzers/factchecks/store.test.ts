import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importFactCheckFiles } from "../../cli/commands/factchecks.js";
import { openDb } from "../../store/db.js";
import { countFactChecks, insertFactChecks } from "../../store/factchecks.js";
import type { FactCheckRecord } from "./formats.js";
import { createFactCheckStage } from "./index.js";
import { loadFactCheckMemory } from "./memory.js";

const dir = mkdtempSync(join(tmpdir(), "claimscope-fc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("fact-check store", () => {
  it("imports idempotently, counting added / present / malformed", async () => {
    const db = join(dir, "a.db");
    const f = join(dir, "reviews.jsonl");
    const row = (claim: string, rating: string, url: string) =>
      JSON.stringify({
        "@type": "ClaimReview",
        claimReviewed: claim,
        url,
        author: { name: "Checker" },
        reviewRating: { alternateName: rating },
      });
    writeFileSync(
      f,
      [
        row("Crime doubled in Springfield last year.", "False", "https://c.example/1"),
        "oops",
        row("Taxes went up 40%.", "Half True", "https://c.example/2"),
      ].join("\n"),
    );
    const [first] = await importFactCheckFiles(db, [f]);
    expect(first).toMatchObject({ read: 3, added: 2, alreadyPresent: 0, malformed: 1 });
    const [second] = await importFactCheckFiles(db, [f]);
    expect(second).toMatchObject({ read: 3, added: 0, alreadyPresent: 2, malformed: 1 });
    const memory = await loadFactCheckMemory(db);
    expect(memory!.rows).toHaveLength(2);
    expect(memory!.search("crime doubled in Springfield", 1)[0]).toMatchObject({
      rating: "False",
      publisher: "Checker",
    });
  });

  it("keeps every rating a publisher gave a fact-check, and matches only the latest", async () => {
    const db = join(dir, "revised.db");
    const review = (rating: string, date: string, url = "https://c.example/bridge") =>
      JSON.stringify({
        "@type": "ClaimReview",
        claimReviewed: "The Elm Street bridge will close for two years.",
        url,
        datePublished: date,
        author: { name: "Checker" },
        reviewRating: { alternateName: rating },
      });
    const write = (name: string, lines: string[]) => {
      writeFileSync(join(dir, name), lines.join("\n"));
      return join(dir, name);
    };
    // The revision is imported first and the first rating later: the later review date still wins.
    await importFactCheckFiles(db, [write("new.jsonl", [review("False", "2024-05-02")])]);
    const [old] = await importFactCheckFiles(db, [
      write("old.jsonl", [
        review("Half True", "2024-03-01"),
        review("True", "2023-01-01", "https://other.example/1"),
      ]),
    ]);
    expect(old).toMatchObject({ added: 2 });
    const memory = await loadFactCheckMemory(db);
    const ratings = memory!
      .search("the Elm Street bridge will close for two years", 5)
      .map((h) => `${h.url} ${h.rating}`);
    // Another page on the same claim is another fact-check: it stays.
    expect(ratings.sort()).toEqual(["https://c.example/bridge False", "https://other.example/1 True"]);
    const { db: kdb, close } = await openDb(db);
    try {
      expect(await countFactChecks(kdb)).toBe(3); // nothing imported is deleted
    } finally {
      await close();
    }
  });

  it("a damaged store is an error for library callers, not an empty memory", async () => {
    const bad = join(dir, "damaged.db");
    writeFileSync(bad, Buffer.concat([Buffer.from("SQLite format 3\0"), Buffer.alloc(4096, 7)]));
    await expect(loadFactCheckMemory(bad)).rejects.toThrow();
    // A store that simply has no fact-check table yet reads as no memory.
    const { close } = await openDb(join(dir, "fresh.db"));
    await close();
    await expect(loadFactCheckMemory(join(dir, "fresh.db"))).resolves.toBeDefined();
  });

  it("rolls a file back entirely when a row fails in a later batch (never half-imported)", async () => {
    const { db, close } = await openDb(join(dir, "b.db"));
    try {
      const records: FactCheckRecord[] = Array.from({ length: 600 }, (_, i) => ({
        claimReviewed: `Claim number ${i}`,
        rating: "False",
        publisher: "Checker",
        url: `https://c.example/${i}`,
        origin: "csv",
      }));
      // Row 551 is invalid (no rating): it fails after the first batch of 500 rows has been written.
      (records[550] as unknown as { rating: null }).rating = null;
      await expect(insertFactChecks(db, records)).rejects.toThrow();
      expect(await countFactChecks(db)).toBe(0);
    } finally {
      await close();
    }
  });

  it("does not create a store when analyzing without one", async () => {
    const missing = join(dir, "none", "x.db");
    const stage = await createFactCheckStage({ db: missing });
    expect(stage.name).toBe("factchecks");
    expect(existsSync(missing)).toBe(false);
  });
});
