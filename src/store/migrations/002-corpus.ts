// SKELETON: owned by the corpus work (issue 7).
import type { Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CorpusTables {}

export async function up(_db: Kysely<unknown>): Promise<void> {}
