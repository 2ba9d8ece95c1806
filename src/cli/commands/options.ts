// Option values checked before any store is opened: a bad value is one clear line (never a SQLite error
// or a silently ignored filter).
import { closeSync, openSync, readSync, statSync } from "node:fs";
import SQLite from "better-sqlite3";
import { isPostgresUrl } from "../../store/db.js";
import { UserError } from "../../util/errors.js";

/** A whole number ≥ `min` given as a flag's value. */
export function wholeNumber(value: string, flag: string, min = 1): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min)
    throw new UserError(`${flag} must be a whole number${min > 0 ? ` ≥ ${min}` : ""}, not "${value}"`);
  return n;
}

/** YYYY, YYYY-MM or YYYY-MM-DD naming a real calendar date. */
export function calendarDate(value: string, flag: string): string {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value.trim());
  const ok =
    m !== null &&
    (m[2] === undefined || (Number(m[2]) >= 1 && Number(m[2]) <= 12)) &&
    (m[3] === undefined ||
      new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDate() === Number(m[3]));
  if (!ok) throw new UserError(`${flag} must be a date like YYYY-MM-DD (or YYYY-MM, YYYY), not "${value}"`);
  return value.trim();
}

/** One of the allowed output formats. */
export function formatOption<T extends string>(value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UserError(`unknown format "${value}" (use ${allowed.join(", ")})`);
  return value as T;
}

const SQLITE_MAGIC = "SQLite format 3\u0000";

/**
 * Refuses a --db path that exists but is no SQLite file (a mistyped argument such as an article or a
 * CSV), naming it, before anything opens, creates or writes it. A missing or empty file passes: callers
 * decide whether to create one.
 */
export function assertStoreFile(path: string, flag = "--db"): void {
  if (path === ":memory:" || isPostgresUrl(path)) return;
  let st;
  try {
    st = statSync(path);
  } catch {
    return;
  }
  if (st.isDirectory()) throw new UserError(`${flag} ${path}: a directory, not a claimscope store`);
  if (st.size === 0) return;
  const head = Buffer.alloc(100);
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    readSync(fd, head, 0, 100, 0);
  } catch {
    throw new UserError(`${flag} ${path}: cannot read it`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (head.toString("latin1", 0, 16) !== SQLITE_MAGIC)
    throw new UserError(`${flag} ${path}: not a claimscope store (not an SQLite database)`);
  const damaged = damage(path, head, st.size);
  if (damaged)
    throw new UserError(
      `${flag} ${path}: damaged store (${damaged}); restore it from a backup or remove it and import/ingest again`,
    );
}

/**
 * Why an SQLite file is unusable, or null: shorter than its header says (a copy cut short, a full disk), or
 * a header and schema SQLite cannot read. Read-only and cheap (header and schema page only). Without this, the
 * fact-check memory of a damaged store read as "none" and `analyze` silently matched nothing.
 */
function damage(path: string, head: Buffer, size: number): string | null {
  const raw = head.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const validPageSize = pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0;
  if (!validPageSize) return "its header is not valid";
  // The page count in the header is reliable when its "valid-for" counter matches the change counter, and
  // when no write-ahead log is live (a checkpoint in progress writes page 1 before it extends the file).
  const pages = head.readUInt32BE(28);
  const walLive = (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0;
  if (!walLive && head.readUInt32BE(92) === head.readUInt32BE(24) && pages > 0 && size < pages * pageSize)
    return `the file is ${size} bytes, its header says ${pages * pageSize}`;
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(path, { readonly: true, fileMustExist: true });
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    return null;
  } catch (e) {
    const code = (e as { code?: string }).code ?? "";
    // Only a damaged file is refused here; a busy or locked store is left to the command.
    return code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")
      ? `SQLite: ${(e as Error).message}`
      : null;
  } finally {
    db?.close();
  }
}
