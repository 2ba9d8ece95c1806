// SKELETON: owned by the fact-check memory work (issue 5).
import type { Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FactCheckTables {}

export async function up(_db: Kysely<unknown>): Promise<void> {}
