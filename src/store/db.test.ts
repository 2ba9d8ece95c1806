// Opening a store: a store written by a newer claimscope (a migration this version does not know) is refused
// in one line that says so and leaves the file untouched, instead of Kysely's "corrupted migrations".
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { UserError } from "../util/errors.js";
import { displayLocation, isPostgresUrl, openDb } from "./db.js";

describe("openDb", () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-db-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a store from a newer version, naming the unknown migration, and does not write it", async () => {
    const path = join(dir, "newer.db");
    await (await openDb(path)).close();
    const raw = new SQLite(path);
    raw
      .prepare("INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)")
      .run("999-future", "2030-01-01");
    raw.close();
    const before = readFileSync(path);
    const err = await openDb(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      `${path}: written by a newer claimscope (its schema has 999-future, unknown to this version); ` +
        "open it with that version, or use another --db",
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("opens and upgrades a store of this version or an older one", async () => {
    const path = join(dir, "older.db");
    await (await openDb(path)).close();
    const raw = new SQLite(path);
    const names = raw.prepare("SELECT name FROM kysely_migration ORDER BY name").all() as { name: string }[];
    raw.close();
    expect(names.length).toBeGreaterThan(0);
    const { db, close } = await openDb(path);
    await close();
    expect(db).toBeDefined();
  });

  it("keeps the SQLite schema the migrations shipped with (AUTOINCREMENT keys, blob), whatever PostgreSQL needs", async () => {
    const path = join(dir, "schema.db");
    await (await openDb(path)).close();
    const raw = new SQLite(path, { readonly: true });
    const ddl = (name: string) =>
      (raw.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(name) as { sql: string }).sql;
    try {
      expect(ddl("fact_check")).toMatch(
        /^CREATE TABLE "fact_check" \("id" integer primary key autoincrement, /,
      );
      expect(ddl("article")).toMatch(/^CREATE TABLE "article" \("id" integer primary key autoincrement, /);
      expect(ddl("article")).toContain('"minhash" blob not null');
    } finally {
      raw.close();
    }
  });

  it("names a PostgreSQL store without its password", () => {
    expect(isPostgresUrl("postgres://u:pw@db.example:5432/cs")).toBe(true);
    expect(isPostgresUrl("postgresql://db.example/cs")).toBe(true);
    expect(isPostgresUrl("./postgres.db")).toBe(false);
    expect(displayLocation("postgres://u:pw@db.example:5432/cs")).toBe("postgres://u:***@db.example:5432/cs");
    expect(displayLocation("postgres://db.example/cs")).toBe("postgres://db.example/cs");
    expect(displayLocation("/tmp/a.db")).toBe("/tmp/a.db");
    expect(displayLocation("postgres://u:pw@/cs")).toBe("postgres://u:***@/cs");
    expect(displayLocation("postgres://u:pw@localhost:port/cs")).toBe("postgres://u:***@localhost:port/cs");
  });

  it("a store path under a regular file is one clear line naming both (was 'EEXIST: file already exists, mkdir')", async () => {
    const file = join(dir, "article.txt");
    writeFileSync(file, "not a directory");
    const path = join(file, "store.db");
    const err = await openDb(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(`cannot create the store ${path}: ${file} is not a directory`);
  });

  it("a store path that is a directory is one clear line (was SQLite's bare 'unable to open database file')", async () => {
    const err = await openDb(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(new RegExp(`^cannot open the store ${dir}: .*is it a directory`));
  });
});
