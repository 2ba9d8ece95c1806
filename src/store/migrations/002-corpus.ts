// The corpus (issue 7): articles with their analysis@1 JSON, what was extracted from them (entities,
// claims, techniques), stories and their members, duplicate links, claim groups across sources and
// disputes between them. Portable DDL only (Kysely schema builder) so the same schema runs on
// PostgreSQL; the SQLite-only FTS5 index is created separately (src/store/corpus.ts, SqliteFts).
import type { ColumnType, Generated, Kysely } from "kysely";
import { autoKey, bytesType, type Dialect } from "./portable.js";

export interface ArticleTable {
  id: Generated<number>;
  /** Stable key of where the article came from (dataset file + record id, path, or URL): re-runs skip it. */
  source_key: string;
  /** sha256 of the normalised title + text: exact duplicates share it. */
  content_hash: string;
  title: string;
  url: string | null;
  /** Publishing domain ("people.com"), or the dataset's source name, or "unknown". */
  source: string;
  /** ISO date (YYYY-MM-DD…) when known. */
  published: string | null;
  language: string;
  text_length: number;
  /** The `claimscope/analysis@1` JSON. */
  analysis: string;
  credibility: number | null;
  n_claims: number;
  /** Claims with no evidence given (status "none-stated" or "unsupported"). */
  n_unsupported: number;
  n_techniques: number;
  /** MinHash signature (uint32 little-endian) for near-duplicate detection. */
  minhash: Uint8Array;
  /** Story-clustering features: JSON [[term, weight], …] (L2-normalised TF-IDF, top terms). */
  features: string;
  story_id: number | null;
  ingested_at: ColumnType<string, string, never>;
}

export interface ArticleDuplicateTable {
  id: Generated<number>;
  source_key: string;
  /** The stored article this one duplicates. */
  article_id: number;
  kind: "exact" | "near";
  /** Estimated Jaccard similarity of word shingles (1 for exact duplicates). */
  similarity: number;
  title: string;
  url: string | null;
  source: string;
  published: string | null;
  ingested_at: ColumnType<string, string, never>;
}

export interface ArticleEntityTable {
  id: Generated<number>;
  article_id: number;
  name: string;
  type: string;
  mentions: number;
}

export interface ClaimTable {
  id: Generated<number>;
  article_id: number;
  /** The claim's id inside its analysis. */
  claim_key: string;
  /** Speaker as written, and canonical (the entity's name when the speaker is a known entity). */
  speaker: string | null;
  speaker_canonical: string | null;
  speaker_type: string | null;
  kind: string;
  text: string;
  start: number;
  end: number;
  evidence: string;
  checkworthiness: number | null;
  group_id: number | null;
}

export interface TechniqueTable {
  id: Generated<number>;
  article_id: number;
  technique: string;
  start: number;
  end: number;
  confidence: number;
}

export interface StoryTable {
  id: Generated<number>;
  title: string;
  first: string | null;
  last: string | null;
  n_articles: number;
  /** Clustering state: JSON {centroid: [[term, weight], …]}. */
  state: string;
  /** 1 when members changed since claims were last grouped. */
  dirty: number;
}

export interface StoryMemberTable {
  article_id: number;
  story_id: number;
  similarity: number;
}

export interface ClaimGroupTable {
  id: Generated<number>;
  story_id: number;
  text: string;
  /** JSON array of speaker names. */
  speakers: string;
  first: string | null;
  n_sources: number;
}

export interface ClaimSourceTable {
  id: Generated<number>;
  group_id: number;
  article_id: number;
  /** The claim row, or null when the relation comes from the article as a whole (stance model). */
  claim_id: number | null;
  relation: "makes" | "repeats" | "supports" | "disputes";
}

export interface DisputeTable {
  id: Generated<number>;
  story_id: number;
  a: number;
  b: number;
  reason: string;
  score: number;
}

export interface CorpusTables {
  article: ArticleTable;
  article_duplicate: ArticleDuplicateTable;
  article_entity: ArticleEntityTable;
  claim: ClaimTable;
  technique: TechniqueTable;
  story: StoryTable;
  story_member: StoryMemberTable;
  claim_group: ClaimGroupTable;
  claim_source: ClaimSourceTable;
  dispute: DisputeTable;
}

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable("article")
    .addColumn("id", "integer", autoKey(dialect))
    .addColumn("source_key", "text", (c) => c.notNull().unique())
    .addColumn("content_hash", "varchar(64)", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("url", "text")
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("published", "varchar(40)")
    .addColumn("language", "varchar(8)", (c) => c.notNull())
    .addColumn("text_length", "integer", (c) => c.notNull())
    .addColumn("analysis", "text", (c) => c.notNull())
    .addColumn("credibility", "real")
    .addColumn("n_claims", "integer", (c) => c.notNull())
    .addColumn("n_unsupported", "integer", (c) => c.notNull())
    .addColumn("n_techniques", "integer", (c) => c.notNull())
    .addColumn("minhash", bytesType(dialect), (c) => c.notNull())
    .addColumn("features", "text", (c) => c.notNull())
    .addColumn("story_id", "integer")
    .addColumn("ingested_at", "varchar(40)", (c) => c.notNull())
    .execute();
  await s.createIndex("article_content_hash_idx").on("article").column("content_hash").execute();
  await s.createIndex("article_source_idx").on("article").column("source").execute();
  await s.createIndex("article_published_idx").on("article").column("published").execute();
  await s.createIndex("article_story_idx").on("article").column("story_id").execute();

  await s
    .createTable("article_duplicate")
    .addColumn("id", "integer", autoKey(dialect))
    .addColumn("source_key", "text", (c) => c.notNull().unique())
    .addColumn("article_id", "integer", (c) => c.notNull().references("article.id").onDelete("cascade"))
    .addColumn("kind", "varchar(8)", (c) => c.notNull())
    .addColumn("similarity", "real", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("url", "text")
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("published", "varchar(40)")
    .addColumn("ingested_at", "varchar(40)", (c) => c.notNull())
    .execute();
  await s.createIndex("article_duplicate_article_idx").on("article_duplicate").column("article_id").execute();

  await s
    .createTable("article_entity")
    .addColumn("id", "integer", autoKey(dialect))
    .addColumn("article_id", "integer", (c) => c.notNull().references("article.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("type", "varchar(8)", (c) => c.notNull())
    .addColumn("mentions", "integer", (c) => c.notNull())
    .execute();
  await s.createIndex("article_entity_article_idx").on("article_entity").column("article_id").execute();
  await s.createIndex("article_entity_name_idx").on("article_entity").column("name").execute();

  await s
    .createTable("claim")
    .addColumn("id", "integer", autoKey(dialect))
    .addColumn("article_id", "integer", (c) => c.notNull().references("article.id").onDelete("cascade"))
    .addColumn("claim_key", "varchar(40)", (c) => c.notNull())
    .addColumn("speaker", "text")
    .addColumn("speaker_canonical", "text")
    .addColumn("speaker_type", "varchar(12)")
    .addColumn("kind", "varchar(16)", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("start", "integer", (c) => c.notNull())
    .addColumn("end", "integer", (c) => c.notNull())
    .addColumn("evidence", "varchar(16)", (c) => c.notNull())
    .addColumn("checkworthiness", "real")
    .addColumn("group_id", "integer")
    .execute();
  await s.createIndex("claim_article_idx").on("claim").column("article_id").execute();
  await s.createIndex("claim_speaker_idx").on("claim").column("speaker_canonical").execute();
  await s.createIndex("claim_group_idx").on("claim").column("group_id").execute();

  await s
    .createTable("technique")
    .addColumn("id", "integer", autoKey(dialect))
    .addColumn("article_id", "integer", (c) => c.notNull().references("article.id").onDelete("cascade"))
    .addColumn("technique", "varchar(64)", (c) => c.notNull())
    .addColumn("start", "integer", (c) => c.notNull())
    .addColumn("end", "integer", (c) => c.notNull())
    .addColumn("confidence", "real", (c) => c.notNull())
    .execute();
  await s.createIndex("technique_article_idx").on("technique").column("article_id").execute();
  await s.createIndex("technique_name_idx").on("technique").column("technique").execute();

  await s
    .createTable("story")
    .addColumn("id", "integer", autoKey(dialect))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("first", "varchar(40)")
    .addColumn("last", "varchar(40)")
    .addColumn("n_articles", "integer", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("dirty", "integer", (c) => c.notNull())
    .execute();
  await s.createIndex("story_dirty_idx").on("story").column("dirty").execute();

  await s
    .createTable("story_member")
    .addColumn("article_id", "integer", (c) => c.primaryKey().references("article.id").onDelete("cascade"))
    .addColumn("story_id", "integer", (c) => c.notNull().references("story.id").onDelete("cascade"))
    .addColumn("similarity", "real", (c) => c.notNull())
    .execute();
  await s.createIndex("story_member_story_idx").on("story_member").column("story_id").execute();

  await s
    .createTable("claim_group")
    .addColumn("id", "integer", autoKey(dialect))
    .addColumn("story_id", "integer", (c) => c.notNull().references("story.id").onDelete("cascade"))
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("speakers", "text", (c) => c.notNull())
    .addColumn("first", "varchar(40)")
    .addColumn("n_sources", "integer", (c) => c.notNull())
    .execute();
  await s.createIndex("claim_group_story_idx").on("claim_group").column("story_id").execute();

  await s
    .createTable("claim_source")
    .addColumn("id", "integer", autoKey(dialect))
    .addColumn("group_id", "integer", (c) => c.notNull().references("claim_group.id").onDelete("cascade"))
    .addColumn("article_id", "integer", (c) => c.notNull().references("article.id").onDelete("cascade"))
    .addColumn("claim_id", "integer")
    .addColumn("relation", "varchar(10)", (c) => c.notNull())
    .execute();
  await s.createIndex("claim_source_group_idx").on("claim_source").column("group_id").execute();
  await s.createIndex("claim_source_claim_idx").on("claim_source").column("claim_id").execute();

  await s
    .createTable("dispute")
    .addColumn("id", "integer", autoKey(dialect))
    .addColumn("story_id", "integer", (c) => c.notNull().references("story.id").onDelete("cascade"))
    .addColumn("a", "integer", (c) => c.notNull().references("claim_group.id").onDelete("cascade"))
    .addColumn("b", "integer", (c) => c.notNull().references("claim_group.id").onDelete("cascade"))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("score", "real", (c) => c.notNull())
    .execute();
  await s.createIndex("dispute_story_idx").on("dispute").column("story_id").execute();
  await s.createIndex("dispute_a_idx").on("dispute").column("a").execute();
  await s.createIndex("dispute_b_idx").on("dispute").column("b").execute();
}
