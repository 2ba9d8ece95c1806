// `claimscope factchecks import FILE…` and `claimscope factchecks search "TEXT"`: the fact-check memory.
import type { Command } from "commander";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import { defaultDbPath, displayLocation, openDb } from "../../store/db.js";
import { countFactChecks, insertFactChecks } from "../../store/factchecks.js";
import { parseFactCheckText, type ParsedFile } from "../../analyzers/factchecks/formats.js";
import { assertText, decodeText } from "../../ingest/text.js";
import { assertStoreFile } from "./options.js";
import { visible } from "../format/visible.js";
import { loadFactCheckMemory } from "../../analyzers/factchecks/memory.js";
import { UserError } from "../../util/errors.js";
import { pct } from "../format/report.js";

export interface ImportReport {
  file: string;
  format: string;
  read: number;
  added: number;
  alreadyPresent: number;
  malformed: number;
  malformedRows: { line: number | string; reason: string }[];
}

/** Imports files into the store at `dbPath`, one transaction per file. */
export async function importFactCheckFiles(
  dbPath: string,
  files: readonly string[],
): Promise<ImportReport[]> {
  const { db, close } = await openDb(dbPath);
  try {
    const reports: ImportReport[] = [];
    // Parse everything first: a file that cannot be read at all stops the import before anything is written.
    const parsedFiles = files.map((file) => ({ file, parsed: parseFile(file) }));
    for (const { file, parsed } of parsedFiles) {
      const { added, present } = await insertFactChecks(db, parsed.records);
      reports.push({
        file,
        format: parsed.format,
        read: parsed.read,
        added,
        alreadyPresent: present,
        malformed: parsed.malformed.length,
        malformedRows: parsed.malformed,
      });
    }
    return reports;
  } finally {
    await close();
  }
}

/**
 * Reads and parses one file; every refusal is one line naming the file: a directory, binary data (never
 * echoed), an empty file, or a format problem.
 */
function parseFile(file: string): ParsedFile {
  let buf: Buffer;
  try {
    if (statSync(file).isDirectory()) throw new UserError(`${file}: a directory, not a fact-check file`);
    buf = readFileSync(file);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read ${file}`);
  }
  assertText(buf, file);
  // One line ending: the CSV parser counts a CRLF inside a quoted field as two lines, so every skipped row
  // after a multi-line field was reported under the wrong line number.
  const text = decodeText(buf).replace(/\r\n?/g, "\n");
  if (!text.trim()) throw new UserError(`${file}: empty file, nothing to import`);
  // Bytes not valid in UTF-8 (often a Windows-1252 export) become U+FFFD: said, so no mangled claim is stored
  // and later matched unawares.
  const undecoded = (text.match(/\uFFFD/g) ?? []).length;
  if (undecoded > 0)
    process.stderr.write(
      visible(
        `claimscope: warning: ${file}: ${undecoded} character${undecoded === 1 ? "" : "s"} could not be decoded ` +
          `and ${undecoded === 1 ? "was" : "were"} replaced by U+FFFD (not UTF-8? save the file as UTF-8 and import it again)\n`,
      ),
    );
  try {
    return parseFactCheckText(text, extname(file).toLowerCase());
  } catch (e) {
    if (e instanceof UserError && !e.message.startsWith(file)) throw new UserError(`${file}: ${e.message}`);
    // The CSV parser's own refusals (an unclosed quote swallows the rest of the file): named, one line.
    const code = (e as { code?: unknown }).code;
    if (e instanceof Error && typeof code === "string" && code.startsWith("CSV_"))
      throw new UserError(`${file}: ${e.message.split("\n")[0]}`);
    throw e;
  }
}

/** "line 12" for a line number, the parser's own label ("item 2") otherwise. */
export function rowLabel(line: number | string): string {
  return typeof line === "number" ? `line ${line}` : line;
}

export function registerFactChecks(program: Command): void {
  const fc = program
    .command("factchecks")
    .description("the fact-check memory: import published fact-checks, search them");
  fc.command("import")
    .description(
      "import ClaimReview JSON-LD (JSON, JSON Lines, HTML pages), CSV, LIAR TSV or CLEF verified-claims TSV",
    )
    .argument("<files...>", "files to import")
    .option("--db <path>", `store file (default ${defaultDbPath()}) or postgres:// URL`)
    .option("--json", "print the report as JSON")
    .action(async (files: string[], opts: { db?: string; json?: boolean }) => {
      for (const f of files) if (!existsSync(f)) throw new UserError(`no such file: ${f}`);
      const dbPath = opts.db ?? defaultDbPath();
      assertStoreFile(dbPath);
      const reports = await importFactCheckFiles(dbPath, files);
      const { db, close } = await openDb(dbPath);
      const total = await countFactChecks(db).finally(close);
      if (opts.json) {
        process.stdout.write(JSON.stringify({ db: displayLocation(dbPath), files: reports, total }) + "\n");
      } else {
        for (const r of reports) {
          process.stdout.write(
            `${r.file} (${r.format}): read ${r.read}, added ${r.added}, already present ${r.alreadyPresent}, malformed ${r.malformed}\n`,
          );
          for (const m of r.malformedRows.slice(0, 20))
            process.stdout.write(visible(`  skipped ${rowLabel(m.line)}: ${m.reason}\n`));
          if (r.malformedRows.length > 20)
            process.stdout.write(`  … and ${r.malformedRows.length - 20} more malformed rows\n`);
        }
        process.stdout.write(`${displayLocation(dbPath)}: ${total} fact-checks\n`);
      }
      // A partial import keeps what was good, and says so with a non-zero exit.
      const skipped = reports.reduce((n, r) => n + r.malformed, 0);
      if (skipped > 0) {
        const imported = reports.reduce((n, r) => n + r.added + r.alreadyPresent, 0);
        throw new UserError(
          `${skipped} malformed row${skipped === 1 ? "" : "s"} skipped (listed${opts.json ? " in malformedRows" : " above"}); ` +
            `${imported} fact-check${imported === 1 ? "" : "s"} imported or already present`,
          1,
        );
      }
    });
  fc.command("search")
    .description("list the stored fact-checks that best match a claim")
    .argument("<text>", "the claim")
    .option("--db <path>", `store file (default ${defaultDbPath()}) or postgres:// URL`)
    .option("--limit <n>", "how many", "10")
    .option("-f, --format <format>", "json|report", "report")
    .action(async (text: string, opts: { db?: string; limit: string; format: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit <= 0) throw new UserError("--limit must be a positive integer");
      if (text.trim() === "")
        throw new UserError("give the claim to search for (an empty text matches nothing)");
      if (opts.format !== "json" && opts.format !== "report")
        throw new UserError(`unknown format "${opts.format}" (use json, report)`);
      const dbPath = opts.db ?? defaultDbPath();
      assertStoreFile(dbPath);
      const memory = await loadFactCheckMemory(dbPath);
      if (!memory)
        throw new UserError(
          `no fact-check memory at ${displayLocation(dbPath)}: run \`claimscope factchecks import FILE…\` first`,
        );
      const hits = memory.search(text, limit);
      if (opts.format === "json") {
        process.stdout.write(
          JSON.stringify({ query: text, threshold: memory.matcher.model?.threshold, matches: hits }) + "\n",
        );
        return;
      }
      const threshold = memory.matcher.model?.threshold;
      if (hits.length === 0) process.stdout.write("no fact-check shares a word with this claim\n");
      else {
        // The order is the re-ranker's; p is the match model's calibrated probability, which need not fall
        // with the rank: say so, so that a p above a better-ranked one does not read as a sorting error.
        process.stdout.write(
          `best first (by the re-ranker); p = calibrated probability that it checks this very claim` +
            (threshold !== undefined
              ? `; \`analyze\` attaches those with p ≥ ${threshold} that restate the claim (marked "match")`
              : "") +
            "\n",
        );
      }
      hits.forEach((h, i) => {
        // Imported fields may hold line breaks (a quoted CSV cell): each stays on its line of the listing.
        const one = (s: string) => s.replace(/\s+/g, " ").trim();
        process.stdout.write(
          visible(
            `${i + 1}. [p ${h.score.toFixed(3)}${h.match ? " match" : h.aboveThreshold ? ", not attached: does not restate it" : ""}] ${one(h.claimReviewed)}\n` +
              `   rating: ${h.rating === "" ? "(not published in this dataset)" : one(h.rating)} — ${one(h.publisher)}${h.date ? `, ${one(h.date)}` : ""}${h.claimant ? `; claimed by ${one(h.claimant)}` : ""}\n` +
              (h.overlap
                ? `   words in common: ${pct(h.overlap.factCheck)} of the fact-check's, ${pct(h.overlap.claim)} of yours\n`
                : "") +
              `   ${one(h.url)}\n`,
          ),
        );
      });
    });
}
