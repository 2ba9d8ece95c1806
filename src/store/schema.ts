// Table types of the store, one interface per owner, merged into Database.
import type { FactCheckTables } from "./migrations/001-factchecks.js";
import type { CorpusTables } from "./migrations/002-corpus.js";

export type Database = FactCheckTables & CorpusTables;
