// Every migration, in order. Never change what a shipped migration does on SQLite: add a new one. Each
// migration is told the dialect, because two column spellings differ (an auto-numbered key, binary data).
import type { Kysely, Migration } from "kysely";
import * as m001 from "./001-factchecks.js";
import * as m002 from "./002-corpus.js";
import type { Dialect } from "./portable.js";

const STEPS: Record<string, (db: Kysely<unknown>, dialect: Dialect) => Promise<void>> = {
  "001-factchecks": m001.up,
  "002-corpus": m002.up,
};

export const MIGRATION_NAMES: readonly string[] = Object.keys(STEPS);

/** The migrations as Kysely runs them on `dialect`. */
export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return Object.fromEntries(
    Object.entries(STEPS).map(([name, up]) => [name, { up: (db: Kysely<unknown>) => up(db, dialect) }]),
  );
}
