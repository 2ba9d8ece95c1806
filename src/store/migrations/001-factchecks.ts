// The fact-check memory (issue 5): one row per published fact-check (a ClaimReview or an equivalent
// row of a dataset). Portable DDL only (Kysely schema builder; the key's spelling from ./portable.ts), so the
// same schema runs on PostgreSQL (tested in src/store/postgres.test.ts).
import type { ColumnType, Generated, Kysely } from "kysely";
import { autoKey, type Dialect } from "./portable.js";

export interface FactCheckTable {
  id: Generated<number>;
  /** sha1 of the normalised claim, rating, publisher and url: re-importing the same fact-check adds nothing. */
  content_key: string;
  claim_reviewed: string;
  /** The rating exactly as the publisher published it (alternateName, or ratingValue/bestRating when unnamed). */
  rating: string;
  publisher: string;
  url: string;
  /** ISO date (or the date as given) of the review, when known. */
  date: string | null;
  /** Headline of the fact-check article, when known (matched together with the claim). */
  title: string | null;
  /** Who made the claim, as the fact-check names them. */
  claimant: string | null;
  /** Where/when the claim was made, as given ("a floor speech"). */
  context: string | null;
  /** Input format the row came from: claimreview | csv | liar | clef. */
  origin: string;
  imported_at: ColumnType<string, string, never>;
}

export interface FactCheckTables {
  fact_check: FactCheckTable;
}

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("fact_check")
    .addColumn("id", "integer", autoKey(dialect))
    .addColumn("content_key", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("claim_reviewed", "text", (c) => c.notNull())
    .addColumn("rating", "text", (c) => c.notNull())
    .addColumn("publisher", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("date", "varchar(40)")
    .addColumn("title", "text")
    .addColumn("claimant", "text")
    .addColumn("context", "text")
    .addColumn("origin", "varchar(20)", (c) => c.notNull())
    .addColumn("imported_at", "varchar(40)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("fact_check_publisher_idx").on("fact_check").column("publisher").execute();
  await db.schema.createIndex("fact_check_url_idx").on("fact_check").column("url").execute();
}
