// Queries of the fact-check memory. Portable SQL through Kysely (ON CONFLICT DO NOTHING works on
// SQLite and PostgreSQL alike); each import runs in one transaction.
import { createHash } from "node:crypto";
import type { Db } from "./db.js";

/** One published fact-check as read from an input file (the rating exactly as published). */
export interface FactCheckRecord {
  claimReviewed: string;
  rating: string;
  publisher: string;
  url: string;
  date?: string;
  title?: string;
  claimant?: string;
  context?: string;
  origin: "claimreview" | "csv" | "liar" | "clef";
}

export interface StoredFactCheck {
  id: number;
  claimReviewed: string;
  rating: string;
  publisher: string;
  url: string;
  date: string | null;
  title: string | null;
  claimant: string | null;
  context: string | null;
}

/** Normalises for content keys: case, whitespace, quotes and dashes unified. */
function normKey(s: string): string {
  return s
    .toLowerCase()
    .replace(/[‘’`]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
}

/** The identity of a fact-check: same claim, rating, publisher and url = same fact-check. */
export function contentKey(
  r: Pick<FactCheckRecord, "claimReviewed" | "rating" | "publisher" | "url">,
): string {
  return createHash("sha1")
    .update([normKey(r.claimReviewed), normKey(r.rating), normKey(r.publisher), r.url.trim()].join("\u0001"))
    .digest("hex");
}

/** A fact-check across revisions of its rating: the same publisher, url and claim. */
function revisionKey(r: Pick<FactCheckRecord, "claimReviewed" | "publisher" | "url">): string {
  return [normKey(r.publisher), r.url.trim(), normKey(r.claimReviewed)].join("\u0001");
}

/**
 * The stored fact-checks with each one whose rating the publisher revised only in its latest rating: the later
 * review date when both dates parse and differ, else the later import. Both stay in the store (an import never
 * deletes); matching shows the one a reader would find on the publisher's page today.
 */
export function latestRatings(rows: readonly StoredFactCheck[]): readonly StoredFactCheck[] {
  // Only rows sharing a url can be revisions of one another: the (costlier) full key is built for those alone.
  const byUrl = new Map<string, StoredFactCheck[]>();
  for (const r of rows) {
    const url = r.url.trim();
    const group = byUrl.get(url);
    if (group) group.push(r);
    else byUrl.set(url, [r]);
  }
  const superseded = new Set<StoredFactCheck>();
  for (const group of byUrl.values()) {
    if (group.length === 1) continue;
    const latest = new Map<string, StoredFactCheck>();
    for (const r of group) {
      const key = revisionKey(r);
      const seen = latest.get(key);
      if (!seen) latest.set(key, r);
      else if (isLater(r, seen)) {
        superseded.add(seen);
        latest.set(key, r);
      } else superseded.add(r);
    }
  }
  return superseded.size === 0 ? rows : rows.filter((r) => !superseded.has(r));
}

function isLater(a: StoredFactCheck, b: StoredFactCheck): boolean {
  const ta = a.date ? Date.parse(a.date) : NaN;
  const tb = b.date ? Date.parse(b.date) : NaN;
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta > tb;
  return a.id > b.id;
}

const BATCH = 500;

/** Inserts records in one transaction; returns how many were new and how many were already present. */
export async function insertFactChecks(
  db: Db,
  records: readonly FactCheckRecord[],
): Promise<{ added: number; present: number }> {
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    let added = 0;
    for (let i = 0; i < records.length; i += BATCH) {
      const rows = records.slice(i, i + BATCH).map((r) => ({
        content_key: contentKey(r),
        claim_reviewed: r.claimReviewed,
        rating: r.rating,
        publisher: r.publisher,
        url: r.url,
        date: r.date ?? null,
        title: r.title ?? null,
        claimant: r.claimant ?? null,
        context: r.context ?? null,
        origin: r.origin,
        imported_at: now,
      }));
      const res = await trx
        .insertInto("fact_check")
        .values(rows)
        .onConflict((oc) => oc.column("content_key").doNothing())
        .executeTakeFirst();
      added += Number(res.numInsertedOrUpdatedRows ?? 0n);
    }
    return { added, present: records.length - added };
  });
}

export async function countFactChecks(db: Db): Promise<number> {
  const r = await db
    .selectFrom("fact_check")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Every fact-check (for building the in-memory index), in id order. */
export async function allFactChecks(db: Db): Promise<StoredFactCheck[]> {
  const rows = await db
    .selectFrom("fact_check")
    .select(["id", "claim_reviewed", "rating", "publisher", "url", "date", "title", "claimant", "context"])
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    claimReviewed: r.claim_reviewed,
    rating: r.rating,
    publisher: r.publisher,
    url: r.url,
    date: r.date,
    title: r.title,
    claimant: r.claimant,
    context: r.context,
  }));
}
