// Option values checked before any store is opened: a bad value is one clear line (never a SQLite error
// or a silently ignored filter).
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
