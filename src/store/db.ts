// The store: one SQLite file (better-sqlite3) behind Kysely by default; a postgres:// URL opens a
// PostgreSQL database with the same migrations and queries (the fact-check memory; the corpus store
// still needs SQLite for its FTS5 index). Migrations run on open, in name order.
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import SQLite from "better-sqlite3";
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Migration,
  type MigrationProvider,
} from "kysely";
import { UserError } from "../util/errors.js";
import { MIGRATION_NAMES, migrationsFor } from "./migrations/index.js";
import type { Dialect } from "./migrations/portable.js";
import type { Database } from "./schema.js";

export type Db = Kysely<Database>;

/** Default store file: $CLAIMSCOPE_DB, else $XDG_DATA_HOME/claimscope/claimscope.db (~/.local/share/…). */
export function defaultDbPath(): string {
  if (process.env.CLAIMSCOPE_DB) return process.env.CLAIMSCOPE_DB;
  const base = process.env.XDG_DATA_HOME || join(homedir(), ".local", "share");
  return join(base, "claimscope", "claimscope.db");
}

export type OpenedDb =
  | {
      dialect: "sqlite";
      db: Db;
      /** The raw connection, for FTS5 and bulk paths that Kysely does not cover. */
      sqlite: SQLite.Database;
      close(): Promise<void>;
    }
  | { dialect: "postgres"; db: Db; close(): Promise<void> };

/** A store location that names a PostgreSQL database (postgres://user:password@host:port/database). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location);
}

/** The location as messages and JSON show it: a PostgreSQL URL loses its password. */
export function displayLocation(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    // pg also accepts URLs that WHATWG URL does not (no host: a local socket).
    return location.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/i, "$1:***@");
  }
}

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrationsFor(this.dialect);
  }
}

/** Opens (creating if needed) the store and brings its schema up to date. */
export async function openDb(path = defaultDbPath(), opts: { readonly?: boolean } = {}): Promise<OpenedDb> {
  if (isPostgresUrl(path)) return openPostgres(path, opts);
  if (path !== ":memory:" && !opts.readonly) makeDirFor(path);
  let sqlite: SQLite.Database | undefined;
  try {
    sqlite = new SQLite(path, {
      readonly: opts.readonly ?? false,
      fileMustExist: opts.readonly ?? false,
    });
    if (!opts.readonly) {
      const newer = unknownMigration(sqlite);
      if (newer)
        throw new UserError(
          `${path}: written by a newer claimscope (its schema has ${newer}, unknown to this version); ` +
            "open it with that version, or use another --db",
        );
      sqlite.pragma("journal_mode = WAL");
      sqlite.pragma("synchronous = NORMAL");
    }
  } catch (e) {
    sqlite?.close();
    // SQLite's own words ("unable to open database file") name neither the file nor the likely cause.
    const code = (e as { code?: string }).code ?? "";
    if (code === "SQLITE_CANTOPEN" || code.startsWith("SQLITE_READONLY") || code === "SQLITE_PERM")
      throw new UserError(
        `cannot open the store ${path}: ${(e as Error).message}` +
          (code === "SQLITE_CANTOPEN" ? " (is it a directory, or in one you cannot write?)" : ""),
      );
    throw e;
  }
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 10000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  if (!opts.readonly) await migrate(db, "sqlite");
  return { dialect: "sqlite", db, sqlite, close: () => db.destroy() };
}

async function migrate(db: Db, dialect: Dialect): Promise<void> {
  const { error, results } = await new Migrator({
    db,
    provider: new StaticProvider(dialect),
  }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    await db.destroy();
    throw new Error(
      `store migration ${failed ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** A PostgreSQL store: the database must exist; its tables are created by the same migrations. */
async function openPostgres(url: string, opts: { readonly?: boolean }): Promise<OpenedDb> {
  // Loaded only here: SQLite users never load the driver.
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle client's network error would otherwise be an unhandled 'error' event that kills the process.
  pool.on("error", () => undefined);
  try {
    (await pool.connect()).release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    // pg's own words name the cause (refused, unknown database, failed password) but never the server.
    throw new UserError(
      `cannot open the store ${displayLocation(url)}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  if (!opts.readonly) {
    const newer = await unknownPostgresMigration(db);
    if (newer) {
      await db.destroy();
      throw new UserError(
        `${displayLocation(url)}: written by a newer claimscope (its schema has ${newer}, unknown to this version); ` +
          "open it with that version, or use another --db",
      );
    }
    await migrate(db, "postgres");
  }
  return { dialect: "postgres", db, close: () => db.destroy() };
}

async function unknownPostgresMigration(db: Db): Promise<string | undefined> {
  const { rows } = await sql<{ t: string | null }>`SELECT to_regclass('kysely_migration')::text AS t`.execute(
    db,
  );
  if (!rows[0]?.t) return undefined;
  const names = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return names.rows.map((r) => r.name).find((n) => !MIGRATION_NAMES.includes(n));
}

/** Creates the store's directory; a path that cannot hold one is one clear line, not a bare EEXIST/EACCES. */
function makeDirFor(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const where = err.path ?? dirname(path);
    const why =
      err.code === "EEXIST" || err.code === "ENOTDIR"
        ? `${where} is not a directory`
        : err.code === "EACCES" || err.code === "EPERM"
          ? `no permission to create ${where}`
          : err.code === "EROFS"
            ? `${where} is on a read-only file system`
            : err.message;
    throw new UserError(`cannot create the store ${path}: ${why}`);
  }
}

/** A migration the store has run that this version does not ship (the store comes from a newer version). */
function unknownMigration(sqlite: SQLite.Database): string | undefined {
  const table = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'")
    .get();
  if (!table) return undefined;
  const rows = sqlite.prepare("SELECT name FROM kysely_migration ORDER BY name").all() as { name: string }[];
  return rows.map((r) => r.name).find((n) => !MIGRATION_NAMES.includes(n));
}
