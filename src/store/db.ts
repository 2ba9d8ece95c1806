// The embedded store: one SQLite file (better-sqlite3) behind Kysely, so the same queries can run on
// PostgreSQL later. Migrations run on open, in name order.
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from "kysely";
import { UserError } from "../util/errors.js";
import { MIGRATIONS } from "./migrations/index.js";
import type { Database } from "./schema.js";

export type Db = Kysely<Database>;

/** Default store file: $CLAIMSCOPE_DB, else $XDG_DATA_HOME/claimscope/claimscope.db (~/.local/share/…). */
export function defaultDbPath(): string {
  if (process.env.CLAIMSCOPE_DB) return process.env.CLAIMSCOPE_DB;
  const base = process.env.XDG_DATA_HOME || join(homedir(), ".local", "share");
  return join(base, "claimscope", "claimscope.db");
}

export interface OpenedDb {
  db: Db;
  /** The raw connection, for FTS5 and bulk paths that Kysely does not cover. */
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/** Opens (creating if needed) the store and brings its schema up to date. */
export async function openDb(path = defaultDbPath(), opts: { readonly?: boolean } = {}): Promise<OpenedDb> {
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
  if (!opts.readonly) {
    const { error, results } = await new Migrator({ db, provider: new StaticProvider() }).migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === "Error")?.migrationName;
      await db.destroy();
      throw new Error(
        `store migration ${failed ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return { db, sqlite, close: () => db.destroy() };
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
  return rows.map((r) => r.name).find((n) => !(n in MIGRATIONS));
}
