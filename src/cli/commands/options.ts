// Option values checked before any store is opened: a bad value is one clear line (never a SQLite error
// or a silently ignored filter).
import { closeSync, openSync, readSync, statSync } from "node:fs";
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
  if (path === ":memory:") return;
  let st;
  try {
    st = statSync(path);
  } catch {
    return;
  }
  if (st.isDirectory()) throw new UserError(`${flag} ${path}: a directory, not a claimscope store`);
  if (st.size === 0) return;
  const head = Buffer.alloc(16);
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    readSync(fd, head, 0, 16, 0);
  } catch {
    throw new UserError(`${flag} ${path}: cannot read it`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (head.toString("latin1") !== SQLITE_MAGIC)
    throw new UserError(`${flag} ${path}: not a claimscope store (not an SQLite database)`);
}
