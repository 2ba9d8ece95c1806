// The fact-check memory on PostgreSQL: the same migrations, imports and queries as on SQLite, run against a
// real server. CLAIMSCOPE_TEST_PG names a role that may create databases (.ci/postgres sets one up); each run
// works in a database of its own and drops it. Without it the suite skips with a message.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importFactCheckFiles } from "../cli/commands/factchecks.js";
import { loadFactCheckMemory } from "../analyzers/factchecks/memory.js";
import { createPipeline } from "../pipeline/pipeline.js";
import { UserError } from "../util/errors.js";
import { CorpusStore } from "./corpus.js";
import { displayLocation, openDb } from "./db.js";
import { countFactChecks, insertFactChecks, type FactCheckRecord } from "./factchecks.js";

const ADMIN_URL = process.env.CLAIMSCOPE_TEST_PG;

if (!ADMIN_URL) {
  describe.skip("fact-check memory on PostgreSQL (skipped: CLAIMSCOPE_TEST_PG not set)", () => {
    it.skip("needs a PostgreSQL role that may create databases", () => {});
  });
  process.stderr.write(
    "[claimscope tests] skipping the PostgreSQL store tests: set CLAIMSCOPE_TEST_PG=postgres://user:pass@host/db " +
      "(bash .ci/postgres starts the local cluster and prints one)\n",
  );
} else {
  describe("fact-check memory on PostgreSQL", () => {
    const admin = ADMIN_URL;
    const name = `claimscope_test_${process.pid}_${Date.now()}`;
    const url = withDatabase(admin, name);
    const dir = mkdtempSync(join(tmpdir(), "claimscope-pg-"));

    beforeAll(async () => {
      await adminQuery(admin, `CREATE DATABASE ${name}`);
    });
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });

    it("creates both tables' schema by the shipped migrations, once", async () => {
      for (let round = 0; round < 2; round++) {
        const { db, dialect, close } = await openDb(url);
        try {
          expect(dialect).toBe("postgres");
          const tables = (await db.introspection.getTables()).map((t) => t.name);
          expect(tables).toEqual(expect.arrayContaining(["fact_check", "article", "story", "dispute"]));
          const applied = await db
            .selectFrom("kysely_migration" as never)
            .select("name" as never)
            .execute();
          expect(applied.map((r) => (r as { name: string }).name)).toEqual(["001-factchecks", "002-corpus"]);
        } finally {
          await close();
        }
      }
    });

    it("imports idempotently and matches with the rating as published", async () => {
      const liar = join(dir, "liar.tsv");
      writeFileSync(
        liar,
        [
          "1.json\tpants-fire\tCrime in Springfield doubled last year under the mayor.\tcrime\tjane-doe\tMayor\tIllinois\tdemocrat\t0\t0\t0\t0\t0\ta speech",
          "2.json\tmostly-true\tThe state budget grew by 40 percent in four years.\tbudget\tjohn-roe\tGovernor\tOhio\trepublican\t0\t0\t0\t0\t0\ta debate",
          "3.json\tfalse",
        ].join("\n"),
      );
      const [first] = await importFactCheckFiles(url, [liar]);
      expect(first).toMatchObject({ format: "liar", read: 3, added: 2, alreadyPresent: 0, malformed: 1 });
      const [again] = await importFactCheckFiles(url, [liar]);
      expect(again).toMatchObject({ added: 0, alreadyPresent: 2, malformed: 1 });

      const memory = await loadFactCheckMemory(url);
      expect(memory!.rows).toHaveLength(2);
      expect(memory!.search("Crime doubled in Springfield last year", 1)[0]).toMatchObject({
        claimReviewed: "Crime in Springfield doubled last year under the mayor.",
        rating: "pants-fire",
        publisher: "PolitiFact",
      });
      // Unchanged rows: the same memory object; a new row: rebuilt.
      expect(await loadFactCheckMemory(url)).toBe(memory);
      const { db, close } = await openDb(url);
      await insertFactChecks(db, [record(99)]).finally(close);
      const rebuilt = await loadFactCheckMemory(url);
      expect(rebuilt).not.toBe(memory);
      expect(rebuilt!.rows).toHaveLength(3);
    });

    it("analyze matches a claim against the memory at the URL", { timeout: 60_000 }, async () => {
      const pipeline = await createPipeline({ db: url, stages: ["entities", "attribution", "factchecks"] });
      const analysis = pipeline.analyze({
        title: "Mayor under fire",
        text: "Senator John Miller said that crime in Springfield doubled last year under the mayor.",
      });
      const checked = analysis.claims.find((c) => (c.factChecks ?? []).length > 0);
      expect(checked?.factChecks?.[0]).toMatchObject({ rating: "pants-fire", publisher: "PolitiFact" });
    });

    it("rolls a file back entirely when a later batch fails (never half-imported)", async () => {
      const { db, close } = await openDb(url);
      try {
        const before = await countFactChecks(db);
        const records = Array.from({ length: 600 }, (_, i) => record(1000 + i));
        (records[550] as unknown as { rating: null }).rating = null;
        await expect(insertFactChecks(db, records)).rejects.toThrow();
        expect(await countFactChecks(db)).toBe(before);
      } finally {
        await close();
      }
    });

    it("refuses a database written by a newer claimscope, and the corpus store, in one line", async () => {
      const { db, close } = await openDb(url);
      await db
        .insertInto("kysely_migration" as never)
        .values({ name: "999-future", timestamp: "2030-01-01" } as never)
        .execute()
        .finally(close);
      const err = await openDb(url).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toContain("written by a newer claimscope (its schema has 999-future");
      await expect(CorpusStore.open(url)).rejects.toThrow(/corpus store needs a SQLite file/);
    });

    it("never shows the password of a URL it cannot open", async () => {
      const wrong = withDatabase(admin, `${name}_missing`).replace(
        /:\/\/([^:@/]+)(:[^@/]*)?@/,
        "://$1:s3cret@",
      );
      const err = await openDb(wrong).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(/^cannot open the store postgres:\/\/[^ ]*:\*\*\*@/);
      expect((err as Error).message).not.toContain("s3cret");
      expect(displayLocation(wrong)).not.toContain("s3cret");
    });
  });
}

function record(i: number): FactCheckRecord {
  return {
    claimReviewed: `Claim number ${i} about the harbour tax.`,
    rating: "False",
    publisher: "Checker",
    url: `https://c.example/${i}`,
    origin: "csv",
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(url: string, text: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
