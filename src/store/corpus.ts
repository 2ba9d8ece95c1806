// Corpus queries over the store (issue 7). A thin shell: rows in, rows out; the analysis (dedup,
// clustering, claim grouping, disputes) lives in src/corpus. Portable Kysely queries, except the
// SQLite FTS5 index, isolated in the SqliteFts section at the end of this file.
import { sql, type Transaction } from "kysely";
import type { Database } from "./schema.js";
import { isPostgresUrl, openDb, type Db, type OpenedDb } from "./db.js";
import type SQLite from "better-sqlite3";
import { UserError } from "../util/errors.js";

export interface ArticleInsert {
  sourceKey: string;
  contentHash: string;
  title: string;
  url: string | null;
  source: string;
  published: string | null;
  language: string;
  textLength: number;
  /** The analysis JSON: a string, or its UTF-8 bytes (stored as the same TEXT, never parsed here). */
  analysis: string | Uint8Array;
  credibility: number | null;
  nUnsupported: number;
  minhash: Uint8Array;
  features: string;
  entities: { name: string; type: string; mentions: number }[];
  claims: {
    claimKey: string;
    speaker: string | null;
    speakerCanonical: string | null;
    speakerType: string | null;
    kind: string;
    text: string;
    start: number;
    end: number;
    evidence: string;
    checkworthiness: number | null;
  }[];
  techniques: { technique: string; start: number; end: number; confidence: number }[];
  /** Full text for the full-text index (a string or its UTF-8 bytes). */
  text: string | Uint8Array;
}

/**
 * A text value for SQL: UTF-8 bytes are bound as a blob and cast to TEXT by SQLite, so large texts
 * handed over as bytes (from ingest workers) never become strings on the writing thread.
 */
function textValue(v: string | Uint8Array) {
  if (typeof v === "string") return sql<string>`${v}`;
  return sql<string>`CAST(${Buffer.from(v.buffer, v.byteOffset, v.byteLength)} AS TEXT)`;
}

export interface StoryWrite {
  /** Existing story, or null to create one with `title`. */
  id: number | null;
  title: string;
  first: string | null;
  last: string | null;
  nArticles: number;
  state: string;
  similarity: number;
}

export interface DuplicateInsert {
  sourceKey: string;
  articleId: number;
  kind: "exact" | "near";
  similarity: number;
  title: string;
  url: string | null;
  source: string;
  published: string | null;
}

export interface GroupWrite {
  text: string;
  speakers: string[];
  first: string | null;
  sources: { articleId: number; relation: string; claimId: number | null }[];
}

export interface SearchFilters {
  speaker?: string;
  source?: string;
  since?: string;
  until?: string;
  technique?: string;
  limit?: number;
}

const CHUNK = 200;

export const CORPUS_NEEDS_SQLITE =
  "the corpus store needs a SQLite file (--db PATH): its search index is SQLite's FTS5; " +
  "a PostgreSQL --db holds the fact-check memory only";

export class CorpusStore {
  private constructor(
    readonly opened: OpenedDb,
    readonly db: Db,
  ) {}

  static async open(path?: string, opts: { readonly?: boolean } = {}): Promise<CorpusStore> {
    // Refused before connecting, so nothing is created in the PostgreSQL database.
    if (path !== undefined && isPostgresUrl(path)) throw new UserError(CORPUS_NEEDS_SQLITE);
    const opened = await openDb(path, opts);
    if (opened.dialect !== "sqlite") {
      await opened.close();
      throw new UserError(CORPUS_NEEDS_SQLITE);
    }
    if (!opts.readonly) SqliteFts.ensure(opened.sqlite);
    return new CorpusStore(opened, opened.db);
  }

  close(): Promise<void> {
    return this.opened.close();
  }

  // ---- ingest state ---------------------------------------------------------------------------

  /** Source keys already stored (as articles or duplicates). */
  async doneKeys(): Promise<Set<string>> {
    const a = await this.db.selectFrom("article").select("source_key").execute();
    const d = await this.db.selectFrom("article_duplicate").select("source_key").execute();
    return new Set([...a.map((r) => r.source_key), ...d.map((r) => r.source_key)]);
  }

  async dedupState(): Promise<{ id: number; content_hash: string; minhash: Uint8Array }[]> {
    return this.db.selectFrom("article").select(["id", "content_hash", "minhash"]).orderBy("id").execute();
  }

  async clusterState(): Promise<{
    articles: { id: number; features: string }[];
    stories: {
      id: number;
      title: string;
      first: string | null;
      last: string | null;
      n_articles: number;
      state: string;
    }[];
  }> {
    const articles = await this.db.selectFrom("article").select(["id", "features"]).orderBy("id").execute();
    const stories = await this.db
      .selectFrom("story")
      .select(["id", "title", "first", "last", "n_articles", "state"])
      .orderBy("id")
      .execute();
    return { articles, stories };
  }

  /** Stores one article with everything extracted from it and its story membership, in ONE transaction. */
  async commitArticle(a: ArticleInsert, story: StoryWrite): Promise<{ articleId: number; storyId: number }> {
    return this.db.transaction().execute((trx) => writeArticle(trx, a, story));
  }

  /** Runs `fn` in one transaction: everything it writes through the writer is committed together, or not at all. */
  async transaction<T>(fn: (w: CorpusWriter) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) =>
      fn({
        article: (a, story) => writeArticle(trx, a, story),
        duplicate: (d) => writeDuplicate(trx, d),
      }),
    );
  }

  async commitDuplicate(d: DuplicateInsert): Promise<void> {
    await writeDuplicate(this.db, d);
  }

  // ---- claim groups ---------------------------------------------------------------------------

  async dirtyStories(minArticles = 1): Promise<number[]> {
    const rows = await this.db
      .selectFrom("story")
      .select("id")
      .where("dirty", "=", 1)
      .where("n_articles", ">=", minArticles)
      .orderBy("id")
      .execute();
    return rows.map((r) => r.id);
  }

  async isDirty(storyId: number): Promise<boolean> {
    const r = await this.db.selectFrom("story").select("dirty").where("id", "=", storyId).executeTakeFirst();
    return r?.dirty === 1;
  }

  async storyClaims(storyId: number) {
    return this.db
      .selectFrom("claim")
      .innerJoin("article", "article.id", "claim.article_id")
      .select([
        "claim.id",
        "claim.article_id",
        "article.published",
        "claim.speaker",
        "claim.speaker_canonical",
        "claim.speaker_type",
        "claim.text",
      ])
      .where("article.story_id", "=", storyId)
      .orderBy("claim.id")
      .execute();
  }

  /** Titles of a story's articles (for the claim–article stance model). */
  /** Each article's title and the first `headChars` characters of its analyzed text (title paragraph included). */
  async storyArticleTexts(
    storyId: number,
    headChars = 3000,
  ): Promise<{ id: number; title: string; head: string | null }[]> {
    return this.db
      .selectFrom("article")
      .select([
        "id",
        "title",
        sql<string | null>`substr(json_extract(analysis, '$.document.text'), 1, ${headChars})`.as("head"),
      ])
      .where("story_id", "=", storyId)
      .orderBy("id")
      .execute();
  }

  /** Replaces the claim groups and disputes of several stories (one transaction) and clears their dirty flags. */
  async replaceGroups(
    stories: {
      storyId: number;
      groups: GroupWrite[];
      disputes: { a: number; b: number; reason: string; score: number }[];
    }[],
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const { storyId, groups, disputes } of stories) {
        await trx.deleteFrom("dispute").where("story_id", "=", storyId).execute();
        const old = trx.selectFrom("claim_group").select("id").where("story_id", "=", storyId);
        await trx.deleteFrom("claim_source").where("group_id", "in", old).execute();
        await trx.deleteFrom("claim_group").where("story_id", "=", storyId).execute();
        const ids: number[] = [];
        for (let i = 0; i < groups.length; i += CHUNK) {
          const rows = await trx
            .insertInto("claim_group")
            .values(
              groups.slice(i, i + CHUNK).map((g) => ({
                story_id: storyId,
                text: g.text,
                speakers: JSON.stringify(g.speakers),
                first: g.first,
                n_sources: new Set(g.sources.map((x) => x.articleId)).size,
              })),
            )
            .returning("id")
            .execute();
          for (const r of rows) ids.push(r.id);
        }
        const sources = groups.flatMap((g, k) =>
          g.sources.map((x) => ({
            group_id: ids[k]!,
            article_id: x.articleId,
            claim_id: x.claimId,
            relation: x.relation as "makes" | "repeats" | "supports" | "disputes",
          })),
        );
        for (let i = 0; i < sources.length; i += CHUNK) {
          await trx
            .insertInto("claim_source")
            .values(sources.slice(i, i + CHUNK))
            .execute();
        }
        for (let i = 0; i < disputes.length; i += CHUNK) {
          await trx
            .insertInto("dispute")
            .values(
              disputes.slice(i, i + CHUNK).map((d) => ({
                story_id: storyId,
                a: ids[d.a]!,
                b: ids[d.b]!,
                reason: d.reason,
                score: d.score,
              })),
            )
            .execute();
        }
        // Each claim's own group: the group in which it is a member (not merely a disputing claim).
        await trx
          .updateTable("claim")
          .set((eb) => ({
            group_id: eb
              .selectFrom("claim_source")
              .select("claim_source.group_id")
              .whereRef("claim_source.claim_id", "=", "claim.id")
              .where("claim_source.relation", "!=", "disputes")
              .limit(1),
          }))
          .where(
            "claim.article_id",
            "in",
            trx.selectFrom("article").select("article.id").where("article.story_id", "=", storyId),
          )
          .execute();
        await trx.updateTable("story").set({ dirty: 0 }).where("id", "=", storyId).execute();
      }
    });
  }

  // ---- reading --------------------------------------------------------------------------------

  async counts(): Promise<{ articles: number; duplicates: number; stories: number; claims: number }> {
    const one = async (t: "article" | "article_duplicate" | "story" | "claim") =>
      Number(
        (
          await this.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      articles: await one("article"),
      duplicates: await one("article_duplicate"),
      stories: await one("story"),
      claims: await one("claim"),
    };
  }

  async listStories(opts: { minArticles?: number; limit?: number; offset?: number } = {}) {
    let q = this.db
      .selectFrom("story")
      .select(["id", "title", "first", "last", "n_articles"])
      .where("n_articles", ">=", opts.minArticles ?? 1)
      .orderBy("n_articles", "desc")
      .orderBy("id");
    if (opts.limit !== undefined) q = q.limit(opts.limit);
    if (opts.offset !== undefined) q = q.offset(opts.offset);
    return q.execute();
  }

  async story(id: number) {
    return this.db
      .selectFrom("story")
      .select(["id", "title", "first", "last", "n_articles"])
      .where("id", "=", id)
      .executeTakeFirst();
  }

  async storyArticles(storyIds: number[]) {
    if (storyIds.length === 0) return [];
    return this.db
      .selectFrom("article")
      .select([
        "id",
        "story_id",
        "title",
        "source",
        "url",
        "published",
        "credibility",
        "n_claims",
        "n_techniques",
      ])
      .where("story_id", "in", storyIds)
      .orderBy("published")
      .orderBy("id")
      .execute();
  }

  async storyGroups(storyId: number) {
    const groups = await this.db
      .selectFrom("claim_group")
      .select(["id", "text", "speakers", "first", "n_sources"])
      .where("story_id", "=", storyId)
      .orderBy("id")
      .execute();
    const sources = await this.db
      .selectFrom("claim_source")
      .innerJoin("claim_group", "claim_group.id", "claim_source.group_id")
      .select([
        "claim_source.group_id",
        "claim_source.article_id",
        "claim_source.claim_id",
        "claim_source.relation",
      ])
      .where("claim_group.story_id", "=", storyId)
      .orderBy("claim_source.id")
      .execute();
    const disputes = await this.db
      .selectFrom("dispute")
      .select(["a", "b", "reason", "score"])
      .where("story_id", "=", storyId)
      .orderBy("score", "desc")
      .orderBy("id")
      .execute();
    return { groups, sources, disputes };
  }

  async claimsByIds(ids: number[]) {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom("claim")
      .select([
        "id",
        "article_id",
        "speaker",
        "speaker_canonical",
        "text",
        "start",
        "end",
        "evidence",
        "checkworthiness",
      ])
      .where("id", "in", ids)
      .execute();
  }

  async duplicatesOf(articleIds: number[]) {
    if (articleIds.length === 0) return [];
    return this.db
      .selectFrom("article_duplicate")
      .select(["article_id", "kind", "similarity", "title", "url", "source", "published"])
      .where("article_id", "in", articleIds)
      .orderBy("id")
      .execute();
  }

  /** Per publishing domain: articles, mean credibility, techniques, claims and unsupported claims. */
  async sourceStats() {
    const articles = await this.db
      .selectFrom("article")
      .select((eb) => [
        "source",
        eb.fn.countAll<number>().as("articles"),
        eb.fn.avg<number | null>("credibility").as("mean_credibility"),
        eb.fn.sum<number>("n_techniques").as("techniques"),
        eb.fn.sum<number>("n_claims").as("claims"),
        eb.fn.sum<number>("n_unsupported").as("unsupported"),
        eb.fn.sum<number>("text_length").as("chars"),
        eb.fn.min<string | null>("published").as("first"),
        eb.fn.max<string | null>("published").as("last"),
      ])
      .groupBy("source")
      .execute();
    const withTechniques = await this.db
      .selectFrom("article")
      .select((eb) => ["source", eb.fn.countAll<number>().as("n")])
      .where("n_techniques", ">", 0)
      .groupBy("source")
      .execute();
    const duplicates = await this.db
      .selectFrom("article_duplicate")
      .select((eb) => ["source", eb.fn.countAll<number>().as("n")])
      .groupBy("source")
      .execute();
    const flagged = await this.db
      .selectFrom("claim")
      .innerJoin("article", "article.id", "claim.article_id")
      .select((eb) => ["article.source", eb.fn.countAll<number>().as("n")])
      .where("claim.evidence", "=", "unsupported")
      .groupBy("article.source")
      .execute();
    return { articles, withTechniques, duplicates, flagged };
  }

  /** Article ids carrying a technique / from a source / in a date range, for search filters. */
  async filterArticles(f: SearchFilters, ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    let q = this.db.selectFrom("article").select("article.id").where("article.id", "in", ids);
    if (f.source) q = q.where("article.source", "=", f.source);
    if (f.since) q = q.where("article.published", ">=", f.since);
    if (f.until) q = q.where("article.published", "<=", f.until + "\uffff");
    if (f.technique) {
      const tech = f.technique;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom("technique")
            .select("technique.id")
            .whereRef("technique.article_id", "=", "article.id")
            .where("technique.technique", "=", tech),
        ),
      );
    }
    return new Set((await q.execute()).map((r) => r.id));
  }

  async articlesByIds(ids: number[]) {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom("article")
      .select(["id", "title", "source", "url", "published", "story_id", "analysis"])
      .where("id", "in", ids)
      .execute();
  }

  async claimRows(ids: number[]) {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom("claim")
      .innerJoin("article", "article.id", "claim.article_id")
      .select([
        "claim.id",
        "claim.article_id",
        "claim.speaker",
        "claim.speaker_canonical",
        "claim.text",
        "claim.evidence",
        "article.title",
        "article.source",
        "article.published",
        "article.story_id",
      ])
      .where("claim.id", "in", ids)
      .execute();
  }

  // ---- export (streamed in pages) -------------------------------------------------------------

  async *iterateArticles(page = 500) {
    let last = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom("article")
        .select([
          "id",
          "source_key",
          "title",
          "url",
          "source",
          "published",
          "language",
          "story_id",
          "credibility",
          "n_claims",
          "n_techniques",
          "n_unsupported",
          "analysis",
        ])
        .where("id", ">", last)
        .orderBy("id")
        .limit(page)
        .execute();
      if (rows.length === 0) return;
      yield* rows;
      last = rows[rows.length - 1]!.id;
    }
  }

  async *iterateClaims(page = 2000) {
    let last = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom("claim")
        .innerJoin("article", "article.id", "claim.article_id")
        .select([
          "claim.id",
          "claim.article_id",
          "claim.claim_key",
          "claim.speaker",
          "claim.speaker_canonical",
          "claim.speaker_type",
          "claim.kind",
          "claim.text",
          "claim.start",
          "claim.end",
          "claim.evidence",
          "claim.checkworthiness",
          "claim.group_id",
          "article.title",
          "article.url",
          "article.source",
          "article.published",
          "article.story_id",
        ])
        .where("claim.id", ">", last)
        .orderBy("claim.id")
        .limit(page)
        .execute();
      if (rows.length === 0) return;
      yield* rows;
      last = rows[rows.length - 1]!.id;
    }
  }
}

export interface CorpusWriter {
  article(a: ArticleInsert, story: StoryWrite): Promise<{ articleId: number; storyId: number }>;
  duplicate(d: DuplicateInsert): Promise<void>;
}

async function writeDuplicate(db: Db | Transaction<Database>, d: DuplicateInsert): Promise<void> {
  await db
    .insertInto("article_duplicate")
    .values({
      source_key: d.sourceKey,
      article_id: d.articleId,
      kind: d.kind,
      similarity: d.similarity,
      title: d.title,
      url: d.url,
      source: d.source,
      published: d.published,
      ingested_at: new Date().toISOString(),
    })
    .execute();
}

/** One article with its entities, claims, techniques, story membership and full-text entries. */
async function writeArticle(
  trx: Transaction<Database>,
  a: ArticleInsert,
  story: StoryWrite,
): Promise<{ articleId: number; storyId: number }> {
  let storyId = story.id;
  if (storyId === null) {
    storyId = (
      await trx
        .insertInto("story")
        .values({
          title: story.title,
          first: story.first,
          last: story.last,
          n_articles: story.nArticles,
          state: story.state,
          dirty: 1,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  } else {
    await trx
      .updateTable("story")
      .set({
        first: story.first,
        last: story.last,
        n_articles: story.nArticles,
        state: story.state,
        dirty: 1,
      })
      .where("id", "=", storyId)
      .execute();
  }
  const { id: articleId } = await trx
    .insertInto("article")
    .values({
      source_key: a.sourceKey,
      content_hash: a.contentHash,
      title: a.title,
      url: a.url,
      source: a.source,
      published: a.published,
      language: a.language,
      text_length: a.textLength,
      analysis: textValue(a.analysis),
      credibility: a.credibility,
      n_claims: a.claims.length,
      n_unsupported: a.nUnsupported,
      n_techniques: a.techniques.length,
      minhash: a.minhash,
      features: a.features,
      story_id: storyId,
      ingested_at: new Date().toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("story_member")
    .values({ article_id: articleId, story_id: storyId, similarity: story.similarity })
    .execute();
  for (let i = 0; i < a.entities.length; i += CHUNK) {
    await trx
      .insertInto("article_entity")
      .values(a.entities.slice(i, i + CHUNK).map((e) => ({ article_id: articleId, ...e })))
      .execute();
  }
  const claimIds: number[] = [];
  for (let i = 0; i < a.claims.length; i += CHUNK) {
    const rows = await trx
      .insertInto("claim")
      .values(
        a.claims.slice(i, i + CHUNK).map((c) => ({
          article_id: articleId,
          claim_key: c.claimKey,
          speaker: c.speaker,
          speaker_canonical: c.speakerCanonical,
          speaker_type: c.speakerType,
          kind: c.kind,
          text: c.text,
          start: c.start,
          end: c.end,
          evidence: c.evidence,
          checkworthiness: c.checkworthiness,
          group_id: null,
        })),
      )
      .returning("id")
      .execute();
    for (const r of rows) claimIds.push(r.id);
  }
  for (let i = 0; i < a.techniques.length; i += CHUNK) {
    await trx
      .insertInto("technique")
      .values(a.techniques.slice(i, i + CHUNK).map((t) => ({ article_id: articleId, ...t })))
      .execute();
  }
  await SqliteFts.indexArticle(trx, articleId, a.title, a.text);
  await SqliteFts.indexClaims(
    trx,
    a.claims.map((c, i) => ({
      id: claimIds[i]!,
      text: c.text,
      speaker: c.speakerCanonical ?? c.speaker ?? "",
    })),
  );
  return { articleId, storyId };
}

// ---- SqliteFts: the SQLite-only full-text index (FTS5). PostgreSQL would use tsvector here. -------

export const SqliteFts = {
  ensure(sqlite: SQLite.Database): void {
    sqlite.exec(
      "CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5(title, body, content='', tokenize='porter unicode61');" +
        "CREATE VIRTUAL TABLE IF NOT EXISTS claim_fts USING fts5(text, speaker, content='', tokenize='porter unicode61');",
    );
  },

  async indexArticle(
    trx: Transaction<Database>,
    id: number,
    title: string,
    body: string | Uint8Array,
  ): Promise<void> {
    await sql`INSERT INTO article_fts(rowid, title, body) VALUES (${id}, ${title}, ${textValue(body)})`.execute(
      trx,
    );
  },

  async indexClaims(
    trx: Transaction<Database>,
    claims: { id: number; text: string; speaker: string }[],
  ): Promise<void> {
    for (let i = 0; i < claims.length; i += CHUNK) {
      const values = sql.join(claims.slice(i, i + CHUNK).map((c) => sql`(${c.id}, ${c.text}, ${c.speaker})`));
      await sql`INSERT INTO claim_fts(rowid, text, speaker) VALUES ${values}`.execute(trx);
    }
  },

  /** Matching article ids, best first (bm25, title weighted). */
  async searchArticles(db: Db, match: string, limit: number): Promise<{ id: number; score: number }[]> {
    const r = await sql<{ id: number; score: number }>`
      SELECT rowid AS id, bm25(article_fts, 3.0, 1.0) AS score FROM article_fts
      WHERE article_fts MATCH ${match} ORDER BY score LIMIT ${limit}`.execute(db);
    return r.rows;
  },

  async searchClaims(db: Db, match: string, limit: number): Promise<{ id: number; score: number }[]> {
    const r = await sql<{ id: number; score: number }>`
      SELECT rowid AS id, bm25(claim_fts, 1.0, 0.5) AS score FROM claim_fts
      WHERE claim_fts MATCH ${match} ORDER BY score LIMIT ${limit}`.execute(db);
    return r.rows;
  },
};
