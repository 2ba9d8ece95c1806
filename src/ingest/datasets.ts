// Dataset readers for bulk ingest: FakeNewsNet JSONL, FNC-1 bodies CSV, and any CSV/TSV/JSONL with
// text/title/url/date columns. Each record becomes a DocInput with a stable source key
// ("<file name>#<record id or row number>"), streamed so huge files never sit in memory.
import { createReadStream, openSync, readSync, closeSync } from "node:fs";
import { basename, extname } from "node:path";
import { createInterface } from "node:readline";
import { parse } from "csv-parse";
import type { DocInput } from "../doc/doc.js";
import { UserError } from "../util/errors.js";
import { fromText } from "./index.js";

export interface DatasetRecord {
  /** Stable across runs: file name + record id (or row number). */
  sourceKey: string;
  input: DocInput;
}

const TEXT = ["text", "body", "articlebody", "article_body", "content", "article", "maintext", "story"];
const TITLE = ["title", "headline", "head"];
const URL_ = ["url", "link", "source_url", "news_url", "href"];
const DATE = [
  "date",
  "published",
  "publish_date",
  "published_at",
  "pubdate",
  "datetime",
  "timestamp",
  "time",
];
const ID = ["id", "body id", "body_id", "article_id", "uid", "guid"];
const SOURCE = ["source", "domain", "outlet", "site", "publisher"];
const AUTHORS = ["authors", "author", "byline"];

/** Whether a path is a dataset file this module reads (by extension). */
export function isDatasetFile(path: string): boolean {
  return /\.(?:jsonl|ndjson|csv|tsv)$/i.test(path);
}

/** Records in a dataset file, in file order. */
export async function* readDataset(path: string): AsyncGenerator<DatasetRecord> {
  const ext = extname(path).toLowerCase();
  if (ext === ".jsonl" || ext === ".ndjson") yield* readJsonl(path);
  else if (ext === ".csv" || ext === ".tsv") yield* readCsv(path, ext === ".tsv" ? "\t" : ",");
  else throw new UserError(`not a dataset file (expected .jsonl, .csv or .tsv): ${path}`);
}

/** Number of records without parsing them (newlines outside CSV quotes, minus the header): for progress totals. */
export function countRecords(path: string): number {
  const csv = /\.(?:csv|tsv)$/i.test(path);
  const fd = openSync(path, "r");
  const buf = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  let last = 10;
  let quoted = false;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      for (let i = 0; i < n; i++) {
        const c = buf[i]!;
        if (csv && c === 34) quoted = !quoted;
        else if (c === 10 && !quoted) lines++;
      }
      last = buf[n - 1]!;
    }
  } finally {
    closeSync(fd);
  }
  if (last !== 10) lines++;
  return csv ? Math.max(0, lines - 1) : lines;
}

/**
 * JSON Lines: each line stands alone, so a malformed line (not JSON, not an object, no text field) is
 * skipped and the rest of the file is still read; the skipped lines are reported at the end, by number,
 * as one error.
 */
async function* readJsonl(path: string): AsyncGenerator<DatasetRecord> {
  const name = basename(path);
  const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let line = 0;
  const bad: string[] = [];
  let nBad = 0;
  const skip = (why: string) => {
    if (nBad++ < MAX_LISTED) bad.push(`line ${line}: ${why}`);
  };
  for await (const raw of rl) {
    line++;
    const s = raw.trim();
    if (!s) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(s);
    } catch {
      skip("not valid JSON");
      continue;
    }
    if (!obj || typeof obj !== "object" || Array.isArray(obj)) {
      skip("not a JSON object");
      continue;
    }
    if (pick(obj as Record<string, unknown>, TEXT) === undefined) {
      skip(`no text field (looked for ${TEXT.join(", ")})`);
      continue;
    }
    const rec = toRecord(obj as Record<string, unknown>, name, line, path);
    if (rec) yield rec;
  }
  if (nBad > 0) {
    const more = nBad > MAX_LISTED ? `; … ${nBad - MAX_LISTED} more` : "";
    throw new UserError(
      `${name}: ${nBad} malformed line${nBad === 1 ? "" : "s"} skipped (${bad.join("; ")}${more}); the other lines were read`,
    );
  }
}

/** How many skipped lines a dataset error lists by number. */
const MAX_LISTED = 10;

async function* readCsv(path: string, delimiter: string): AsyncGenerator<DatasetRecord> {
  const name = basename(path);
  const parser = createReadStream(path).pipe(
    parse({
      columns: true,
      delimiter,
      bom: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }),
  );
  let row = 0;
  for await (const obj of parser as AsyncIterable<Record<string, unknown>>) {
    row++;
    const rec = toRecord(obj, name, row, path);
    if (rec) yield rec;
  }
}

function pick(obj: Record<string, unknown>, names: string[]): unknown {
  for (const k of Object.keys(obj)) if (names.includes(k.toLowerCase().trim())) return obj[k];
  return undefined;
}

function str(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v.map(String).join(", ") || undefined;
  const s = String(v).trim();
  return s ? s : undefined;
}

/** ISO date from epoch seconds/milliseconds or a parseable date string. */
export function toIsoDate(v: unknown): string | undefined {
  if (v === null || v === undefined || v === "") return undefined;
  if (typeof v === "number" || /^\d{9,13}(?:\.\d+)?$/.test(String(v))) {
    const n = Number(v);
    const ms = n < 1e11 ? n * 1000 : n;
    const d = new Date(ms);
    return Number.isFinite(d.getTime()) ? d.toISOString() : undefined;
  }
  const t = Date.parse(String(v));
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

function toRecord(obj: Record<string, unknown>, name: string, n: number, path: string): DatasetRecord | null {
  const textRaw = pick(obj, TEXT);
  if (textRaw === undefined) {
    throw new UserError(`${path}: record ${n} has no text column (looked for ${TEXT.join(", ")})`);
  }
  const id = str(pick(obj, ID)) ?? String(n);
  const input: DocInput = {
    text: typeof textRaw === "string" ? textRaw : (str(textRaw) ?? ""),
    id: `${name}#${id}`,
  };
  const title = str(pick(obj, TITLE));
  if (title) input.title = title;
  const url = str(pick(obj, URL_));
  if (url) input.url = url;
  const published = toIsoDate(pick(obj, DATE));
  if (published) input.published = published;
  const source = str(pick(obj, SOURCE));
  if (source) input.source = source;
  const byline = str(pick(obj, AUTHORS));
  if (byline) input.byline = byline;
  return { sourceKey: `${name}#${id}`, input: asAnalyzed(input) };
}

/**
 * A record's text gets a file's treatment (tidied, residue removed and listed, language identified), so a
 * non-English record is not analyzed as English; its title is the title column's, never the body's first line.
 * A record this refuses is left as read (no text: it then fails alone as "empty text"; nothing but residue: it
 * is analyzed as read).
 */
function asAnalyzed(record: DocInput): DocInput {
  const { text, ...meta } = record;
  try {
    return fromText(text, meta, { name: record.id }, { titleFromText: false });
  } catch (e) {
    if (e instanceof UserError) return record;
    throw e;
  }
}
