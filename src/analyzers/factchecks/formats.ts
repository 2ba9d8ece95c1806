// Readers for the fact-check formats `claimscope factchecks import` accepts. Each yields records or
// malformed-row reports (with their line), never a guessed rating: the rating is kept as published.
import { readUserText } from "../../util/files.js";
import { extname } from "node:path";
import { parse } from "csv-parse/sync";
import { UserError } from "../../util/errors.js";
import type { FactCheckRecord } from "../../store/factchecks.js";

export type { FactCheckRecord };

export interface Malformed {
  /** 1-based line of the row (or item number in a JSON array, "item N"). */
  line: number | string;
  reason: string;
}

export interface ParsedFile {
  format: string;
  records: FactCheckRecord[];
  malformed: Malformed[];
  /** Rows read, valid or not. */
  read: number;
}

type Json = Record<string, unknown>;

function s(v: unknown): string | undefined {
  if (typeof v === "string") return v.trim() || undefined;
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return s(v[0]);
  if (v && typeof v === "object") return s((v as Json).name);
  return undefined;
}

function isType(o: Json, type: string): boolean {
  const t = o["@type"];
  return t === type || (Array.isArray(t) && t.includes(type));
}

/** The rating as published: alternateName; else ratingValue (with /bestRating when given). */
function ratingOf(r: unknown): string | undefined {
  if (!r || typeof r !== "object") return s(r);
  const o = (Array.isArray(r) ? r[0] : r) as Json;
  const name = s(o.alternateName) ?? s(o.name);
  if (name) return name;
  const v = s(o.ratingValue);
  if (!v) return undefined;
  const best = s(o.bestRating);
  return best ? `${v}/${best}` : v;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return undefined;
  }
}

/** One ClaimReview object -> a record, or the reason it cannot be one. */
function fromClaimReview(o: Json): FactCheckRecord | string {
  const claim = s(o.claimReviewed) ?? s((o.itemReviewed as Json | undefined)?.name);
  const rating = ratingOf(o.reviewRating);
  const url = s(o.url) ?? s(o["@id"]);
  const item = (o.itemReviewed ?? {}) as Json;
  const publisher = s(o.author) ?? s(o.publisher) ?? (url ? hostOf(url) : undefined);
  if (!claim) return "no claimReviewed";
  if (!rating) return "no reviewRating (alternateName or ratingValue)";
  if (!url) return "no url";
  if (!publisher) return "no author/publisher";
  return {
    claimReviewed: claim,
    rating,
    publisher,
    url,
    date: s(o.datePublished) ?? s(o.dateCreated),
    title: s(o.headline) ?? s(o.name),
    claimant: s(item.author),
    context: s((item.appearance as Json | undefined)?.url) ?? s(item.appearance) ?? s(item.datePublished),
    origin: "claimreview",
  };
}

/** Google Fact Check Tools API shape: {text, claimant, claimReview: [{publisher, url, title, reviewDate, textualRating}]}. */
function fromFactCheckTools(o: Json): (FactCheckRecord | string)[] {
  const reviews = Array.isArray(o.claimReview) ? (o.claimReview as Json[]) : [];
  return reviews.map((r) => {
    const claim = s(o.text);
    const rating = s(r.textualRating);
    const url = s(r.url);
    const publisher =
      s((r.publisher as Json | undefined)?.name) ?? s((r.publisher as Json | undefined)?.site);
    if (!claim) return "no text";
    if (!rating) return "no textualRating";
    if (!url) return "no url";
    if (!publisher) return "no publisher";
    return {
      claimReviewed: claim,
      rating,
      publisher,
      url,
      date: s(r.reviewDate),
      title: s(r.title),
      claimant: s(o.claimant),
      context: s(o.claimDate),
      origin: "claimreview" as const,
    };
  });
}

/** Every ClaimReview found in a JSON value (object, array, @graph, nested review/mainEntity, FCT API). */
export function claimReviewsIn(
  v: unknown,
  out: (FactCheckRecord | string)[] = [],
): (FactCheckRecord | string)[] {
  if (Array.isArray(v)) {
    for (const x of v) claimReviewsIn(x, out);
    return out;
  }
  if (!v || typeof v !== "object") return out;
  const o = v as Json;
  if (isType(o, "ClaimReview")) {
    out.push(fromClaimReview(o));
    return out;
  }
  if (Array.isArray(o.claimReview) && typeof o.text === "string") {
    out.push(...fromFactCheckTools(o));
    return out;
  }
  for (const key of [
    "@graph",
    "claims",
    "review",
    "mainEntity",
    "hasPart",
    "itemListElement",
    "item",
    "dataFeedElement",
  ]) {
    if (o[key] !== undefined) claimReviewsIn(o[key], out);
  }
  return out;
}

const LD_SCRIPT = /<script[^>]*type\s*=\s*["']application\/ld\+json["'][^>]*>([\s\S]*?)<\/script>/gi;

function parseJsonLd(text: string, isHtml: boolean): ParsedFile {
  const records: FactCheckRecord[] = [];
  const malformed: Malformed[] = [];
  let read = 0;
  const take = (value: unknown, line: number | string) => {
    const found = claimReviewsIn(value);
    if (found.length === 0) {
      read++;
      malformed.push({ line, reason: "no ClaimReview in this JSON" });
    }
    found.forEach((r, k) => {
      read++;
      if (typeof r === "string")
        malformed.push({ line: found.length > 1 ? `${line}, review ${k + 1}` : line, reason: r });
      else records.push(r);
    });
  };
  if (isHtml) {
    for (const m of text.matchAll(LD_SCRIPT)) {
      const line = text.slice(0, m.index).split("\n").length;
      try {
        take(JSON.parse(m[1]!), line);
      } catch {
        read++;
        malformed.push({ line, reason: "invalid JSON in ld+json script" });
      }
    }
    return { format: "html+json-ld", records, malformed, read };
  }
  const trimmed = text.trim();
  try {
    const whole: unknown = JSON.parse(trimmed);
    if (Array.isArray(whole)) {
      whole.forEach((item, i) => {
        const found = claimReviewsIn(item);
        if (found.length === 0) {
          read++;
          malformed.push({ line: `item ${i + 1}`, reason: "not a ClaimReview" });
        }
        for (const r of found) {
          read++;
          if (typeof r === "string") malformed.push({ line: `item ${i + 1}`, reason: r });
          else records.push(r);
        }
      });
    } else take(whole, 1);
    return { format: "json-ld", records, malformed, read };
  } catch {
    // JSON Lines
  }
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      take(JSON.parse(line), i + 1);
    } catch {
      read++;
      malformed.push({ line: i + 1, reason: "invalid JSON" });
    }
  });
  return { format: "jsonl", records, malformed, read };
}

const CSV_COLUMNS: Record<keyof Omit<FactCheckRecord, "origin">, string[]> = {
  claimReviewed: ["claimreviewed", "claim_reviewed", "claim", "statement", "claim_text", "text"],
  rating: [
    "rating",
    "textualrating",
    "textual_rating",
    "verdict",
    "alternatename",
    "label",
    "truth_rating",
    "ruling",
  ],
  url: ["url", "review_url", "reviewurl", "fact_check_url", "link"],
  publisher: ["publisher", "publisher_name", "author", "fact_checker", "factchecker", "source", "site"],
  date: ["date", "review_date", "reviewdate", "datepublished", "date_published", "published"],
  title: ["title", "headline"],
  claimant: ["claimant", "speaker", "claim_author"],
  context: ["context", "claim_date", "venue"],
};

function parseCsv(text: string, delimiter: string): ParsedFile {
  const rows = parse(text, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  if (rows.length === 0) return { format: "csv", records: [], malformed: [], read: 0 };
  const header = rows[0]!.record.map((h) =>
    h
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, "_"),
  );
  const col: Partial<Record<keyof typeof CSV_COLUMNS, number>> = {};
  for (const [field, names] of Object.entries(CSV_COLUMNS) as [keyof typeof CSV_COLUMNS, string[]][]) {
    const i = names.map((n) => header.indexOf(n)).find((i) => i >= 0);
    if (i !== undefined) col[field] = i;
  }
  if (col.claimReviewed === undefined || col.rating === undefined)
    throw new UserError(`CSV header names no claim and/or rating column (found: ${header.join(", ")})`);
  const records: FactCheckRecord[] = [];
  const malformed: Malformed[] = [];
  for (const { record, info } of rows.slice(1)) {
    const get = (f: keyof typeof CSV_COLUMNS) =>
      col[f] === undefined ? undefined : record[col[f]!]?.trim() || undefined;
    const url = get("url");
    const r = {
      claimReviewed: get("claimReviewed"),
      rating: get("rating"),
      url,
      publisher: get("publisher") ?? (url ? hostOf(url) : undefined),
    };
    const missing = Object.entries(r)
      .filter(([, v]) => !v)
      .map(([k]) => k);
    if (missing.length > 0) {
      malformed.push({ line: info.lines, reason: `missing ${missing.join(", ")}` });
      continue;
    }
    records.push({
      claimReviewed: r.claimReviewed!,
      rating: r.rating!,
      url: r.url!,
      publisher: r.publisher!,
      date: get("date"),
      title: get("title"),
      claimant: get("claimant"),
      context: get("context"),
      origin: "csv",
    });
  }
  return { format: delimiter === "\t" ? "tsv" : "csv", records, malformed, read: rows.length - 1 };
}

/**
 * LIAR (Wang 2017): 14 tab-separated columns, no header, no quoting: id.json, label, statement,
 * subjects, speaker, job, state, party, five counts, context. LIAR gives no URL and no review date: the
 * url is PolitiFact's statement API address derived from the json id (the source LIAR was built from).
 */
function parseLiar(text: string): ParsedFile {
  const records: FactCheckRecord[] = [];
  const malformed: Malformed[] = [];
  let read = 0;
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    read++;
    const c = line.replace(/\r$/, "").split("\t");
    const id = /^(\d+)\.json$/.exec(c[0] ?? "");
    if (!id || c.length < 3 || !c[1] || !c[2]?.trim()) {
      malformed.push({
        line: i + 1,
        reason: !id ? "first column is not <id>.json" : "missing label or statement",
      });
      return;
    }
    records.push({
      claimReviewed: c[2].trim(),
      rating: c[1],
      publisher: "PolitiFact",
      url: `https://www.politifact.com/api/v/2/statement/${id[1]}/?format=json`,
      claimant: c[4]?.trim() ? c[4].trim().replace(/-/g, " ") : undefined,
      context: c[13]?.trim() || undefined,
      origin: "liar",
    });
  });
  return { format: "liar", records, malformed, read };
}

/**
 * CLEF-2020 CheckThat! Task 2 verified claims (Snopes): id, vclaim, title. The dataset publishes no
 * rating and no URL: rating is "" (not published in this dataset) and url a stable URN of the id.
 */
function parseClefVerified(text: string): ParsedFile {
  const rows = parse(text, {
    delimiter: "\t",
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  const records: FactCheckRecord[] = [];
  const malformed: Malformed[] = [];
  for (const { record, info } of rows.slice(1)) {
    const [id, claim, title] = record;
    if (!id || !claim?.trim()) {
      malformed.push({ line: info.lines, reason: "missing id or vclaim" });
      continue;
    }
    // CLEF numbers its verified claims: a row whose id is not a number is not one of them ("broken<TAB>row").
    if (!/^\d+$/.test(id.trim()) || record.length > 3) {
      malformed.push({
        line: info.lines,
        reason: "not a verified claim: id is not a number, or more than 3 columns",
      });
      continue;
    }
    records.push({
      claimReviewed: claim.trim(),
      rating: "",
      publisher: "Snopes",
      url: `urn:clef2020-checkthat-task2:vclaim:${id}`,
      title: title?.trim() || undefined,
      origin: "clef",
    });
  }
  return { format: "clef-verified-claims", records, malformed, read: rows.length - 1 };
}

/** Sniffs the format from extension and content and parses the file. */
export function parseFactCheckFile(path: string): ParsedFile {
  const text = readUserText(path);
  return parseFactCheckText(text, extname(path).toLowerCase());
}

export function parseFactCheckText(text: string, ext: string): ParsedFile {
  const head = text.slice(0, 2000).trimStart();
  if (ext === ".html" || ext === ".htm" || /^<(!doctype|html|head|body|script)/i.test(head))
    return parseJsonLd(text, true);
  if (
    ext === ".json" ||
    ext === ".jsonl" ||
    ext === ".jsonld" ||
    ext === ".ndjson" ||
    head.startsWith("{") ||
    head.startsWith("[")
  )
    return parseJsonLd(text, false);
  const first = text.slice(0, 2000).split("\n")[0] ?? "";
  if (/^\d+\.json\t/.test(first)) return parseLiar(text);
  if (/^[^\t]*\tvclaim\ttitle\s*$/.test(first)) return parseClefVerified(text);
  if (ext === ".tsv" || (first.includes("\t") && !first.includes(","))) return parseCsv(text, "\t");
  return parseCsv(text, ",");
}
