// Done-when of issue 7: interrupting an ingest with kill -9 and re-running it ends with every article stored
// once. 300 FakeNewsNet records go to a temp JSONL; a real `claimscope ingest` process is killed (SIGKILL)
// once part of them is committed, then the ingest is re-run to the end and the store is checked row by row.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { describeShared, sharedPath } from "../src/testing/shared.js";
import { packageRoot } from "../src/util/paths.js";

const N = 300;
const FILE = "data/fakenewsnet/gossipcop_news.jsonl";

function cli(args: string[]) {
  return spawn(process.execPath, ["--import", "tsx", join(packageRoot(), "test", "run-cli.ts"), ...args], {
    cwd: packageRoot(),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function count(db: string, table: string): number {
  try {
    const s = new SQLite(db, { readonly: true, fileMustExist: true });
    try {
      return (s.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    } finally {
      s.close();
    }
  } catch {
    return 0; // not created yet
  }
}

describeShared("corpus: kill -9 during ingest, then re-run", [FILE], () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-kill-"));
  const db = join(dir, "corpus.db");
  const input = join(dir, "sample.jsonl");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("stores every article exactly once", async () => {
    const lines = readFileSync(sharedPath(FILE), "utf8").split("\n").filter(Boolean).slice(0, N);
    writeFileSync(input, lines.join("\n") + "\n");
    const records = lines.map((l) => JSON.parse(l) as { id: string; text: string | null });
    const expected = new Set(records.filter((r) => (r.text ?? "").trim()).map((r) => `sample.jsonl#${r.id}`));
    const args = ["ingest", input, "--db", db, "--workers", "2", "--stages", "entities", "--json"];

    // First run: killed with SIGKILL once some articles are committed.
    const first = cli(args);
    let firstErr = "";
    first.stderr.on("data", (d: Buffer) => (firstErr += d.toString()));
    const exited = new Promise<number | null>((r) => first.on("exit", (code) => r(code)));
    let before = 0;
    for (let i = 0; i < 600 && first.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
      before = count(db, "article");
      if (before >= 40) break;
    }
    expect(first.exitCode, `the first run ended before it could be killed: ${firstErr}`).toBeNull();
    first.kill("SIGKILL");
    await exited;
    const afterKill = count(db, "article") + count(db, "article_duplicate");
    expect(afterKill).toBeGreaterThanOrEqual(40);
    expect(afterKill).toBeLessThan(expected.size);

    // Second run: completes, skipping what the first committed.
    const second = cli(args);
    let out = "";
    let err = "";
    second.stdout.on("data", (d: Buffer) => (out += d.toString()));
    second.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => second.on("exit", (c) => r(c)));
    expect(code, err).toBe(0);
    const summary = JSON.parse(out.trim().split("\n").pop()!) as {
      skipped: number;
      ingested: number;
      failed: number;
    };
    expect(summary.skipped).toBe(afterKill);
    expect(summary.failed).toBe(N - expected.size); // the records with empty text, reported each time

    const s = new SQLite(db, { readonly: true });
    try {
      const keys = [
        ...(s.prepare("SELECT source_key AS k FROM article").all() as { k: string }[]),
        ...(s.prepare("SELECT source_key AS k FROM article_duplicate").all() as { k: string }[]),
      ].map((r) => r.k);
      expect(keys.length).toBe(expected.size);
      expect(new Set(keys)).toEqual(expected);
      // Every stored article is whole: its story membership and its entities were committed with it.
      const orphans = s
        .prepare(
          "SELECT count(*) AS n FROM article a WHERE a.story_id IS NULL OR NOT EXISTS (SELECT 1 FROM story_member m WHERE m.article_id = a.id)",
        )
        .get() as { n: number };
      expect(orphans.n).toBe(0);
      const entityless = s
        .prepare(
          "SELECT count(*) AS n FROM article a WHERE a.analysis LIKE '%\"entities\":[{%' AND NOT EXISTS (SELECT 1 FROM article_entity e WHERE e.article_id = a.id)",
        )
        .get() as { n: number };
      expect(entityless.n).toBe(0);
      const stories = s.prepare("SELECT sum(n_articles) AS n FROM story").get() as { n: number };
      expect(stories.n).toBe(count(db, "article"));
    } finally {
      s.close();
    }
  });
});
