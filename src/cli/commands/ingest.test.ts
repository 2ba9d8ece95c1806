import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../../../test/capture-main.js";

describe("ingest: bad input", () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-ingest-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const args = ["--workers", "1", "--stages", "entities"];

  it("a missing target: one line, non-zero, and no store created", async () => {
    const db = join(dir, "missing.db");
    const r = await runMain("ingest", join(dir, "nope.jsonl"), "--db", db, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      `claimscope: no such file or directory: ${join(dir, "nope.jsonl")}`,
    ]);
    expect(existsSync(db)).toBe(false);
    const url = await runMain("ingest", "www.example.com/news", "--db", db, ...args);
    expect(url.stderr).toMatch(/include http:\/\/ or https:\/\//);
  });

  it("a malformed JSON Lines line loses nothing after it, and is reported by line number", async () => {
    const f = join(dir, "mixed.jsonl");
    writeFileSync(
      f,
      [
        JSON.stringify({ id: "a", title: "Bridge", text: "The mayor said the bridge will close in May." }),
        "this is not json",
        JSON.stringify({ id: "b", title: "Road", text: "Officials said the road will open in June." }),
      ].join("\n") + "\n",
    );
    const r = await runMain("ingest", f, "--db", join(dir, "mixed.db"), ...args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ingested 2 articles/);
    expect(r.stdout).toContain("mixed.jsonl: 1 malformed line skipped (line 2: not valid JSON)");
    // the closing progress line is written once
    expect(r.stderr.split("\n").filter((l) => /^ingest: 3\/3 /.test(l))).toHaveLength(1);
  });

  it("nothing ingested while inputs failed: non-zero exit", async () => {
    const f = join(dir, "junk.jsonl");
    writeFileSync(f, "junk\nmore junk\n");
    const r = await runMain("ingest", f, "--db", join(dir, "junk.db"), ...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("junk.jsonl: 2 malformed lines skipped");
    expect(r.stderr.trim().split("\n").pop()).toBe(
      "claimscope: nothing ingested: 1 input failed (listed above)",
    );
  });

  it("names the articles holding characters that could not be decoded (a Windows-1252 file); exit unaffected", async () => {
    const d = join(dir, "enc");
    mkdirSync(d);
    writeFileSync(
      join(d, "cp1252.txt"),
      Buffer.concat([
        Buffer.from("Bridge to close\n\nThe mayor said the bridge will close in May, "),
        Buffer.from([0x93]),
        Buffer.from("for good"),
        Buffer.from([0x94]),
        Buffer.from(".\n"),
      ]),
    );
    writeFileSync(
      join(d, "utf8.txt"),
      "Road to open\n\nOfficials said the road will open in June, “for good”.\n",
    );
    const r = await runMain("ingest", d, "--db", join(dir, "enc.db"), ...args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ingested 2 articles/);
    const line = r.stdout.split("\n").find((l) => l.startsWith("undecodable:"));
    expect(line).toBe(
      `undecodable: 1 article holds characters that could not be decoded (U+FFFD; not UTF-8?): ${join(d, "cp1252.txt")}`,
    );
    const json = await runMain("ingest", d, "--db", join(dir, "enc2.db"), "--json", ...args);
    expect(JSON.parse(json.stdout).undecodable).toEqual({ articles: 1, keys: [join(d, "cp1252.txt")] });
  });

  it("a directory holding the store itself: the store's files are not ingested as (failed) articles", async () => {
    const d = join(dir, "with-store");
    mkdirSync(d);
    writeFileSync(join(d, "a.txt"), "Bridge to close\n\nThe mayor said the bridge will close in May.\n");
    const db = join(d, "corpus.db");
    expect((await runMain("ingest", d, "--db", db, ...args)).code).toBe(0);
    writeFileSync(join(d, "b.txt"), "Road to open\n\nOfficials said the road will open in June.\n");
    const again = await runMain("ingest", d, "--db", db, "--json", ...args);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout) as { ingested: number; skipped: number; failed: number };
    expect(summary).toMatchObject({ ingested: 1, skipped: 1, failed: 0 });
  });
});
