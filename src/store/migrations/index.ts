// Every migration, in order. Never edit a shipped migration: add a new one.
import type { Migration } from "kysely";
import * as m001 from "./001-factchecks.js";
import * as m002 from "./002-corpus.js";

export const MIGRATIONS: Record<string, Migration> = {
  "001-factchecks": m001,
  "002-corpus": m002,
};
