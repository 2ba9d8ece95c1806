// Readers for the CLEF-2020 CheckThat! Task 2 files (verified claims, tweet queries, qrels).
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { UserError } from "../../util/errors.js";

export interface VerifiedClaim {
  id: string;
  claim: string;
  title: string;
}

function readLines(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UserError(`cannot read ${path}`);
  }
  return text.split(/\r?\n/).filter((l) => l.length > 0);
}

/** Rows of a tab-separated file whose fields may be double-quoted (and then span lines). */
export function readTsv(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UserError(`cannot read ${path}`);
  }
  return parse(text, {
    delimiter: "\t",
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as string[][];
}

/** verified_claims.docs.tsv: header "\tvclaim\ttitle", then id, claim, title. */
export function readVerifiedClaims(path: string): VerifiedClaim[] {
  const out: VerifiedClaim[] = [];
  for (const [i, c] of readTsv(path).entries()) {
    if (i === 0 && c[1] === "vclaim") continue;
    if (c.length < 2) continue;
    out.push({ id: c[0]!, claim: c[1]!, title: c[2] ?? "" });
  }
  return out;
}

/** tweets.queries.tsv: header "\ttweet_content", then id, text. */
export function readQueries(path: string): { id: string; text: string }[] {
  const out: { id: string; text: string }[] = [];
  for (const [i, c] of readTsv(path).entries()) {
    if (i === 0 && c[1] === "tweet_content") continue;
    if (c.length < 2) continue;
    out.push({ id: c[0]!, text: c.slice(1).join(" ") });
  }
  return out;
}

/** qrels: "query_id 0 vclaim_id 1" (tab or space separated) -> relevant vclaim ids per query. */
export function readQrels(path: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const line of readLines(path)) {
    const c = line.trim().split(/\s+/);
    if (c.length < 4 || c[3] === "0") continue;
    let s = out.get(c[0]!);
    if (!s) out.set(c[0]!, (s = new Set()));
    s.add(c[2]!);
  }
  return out;
}
