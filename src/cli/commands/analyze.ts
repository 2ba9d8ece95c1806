// `claimscope analyze <file|url|dir|feed|->`: prints `claimscope/analysis@1` JSON (JSON Lines for several
// documents), JSON-LD or a report. One failing document of a directory or feed is reported on stderr with its
// name, the others are still analyzed, and the exit code is non-zero at the end.
import { existsSync, statSync } from "node:fs";
import type { Command } from "commander";
import { Doc } from "../../doc/doc.js";
import { loadInputs, DEFAULT_TIMEOUT_MS, DIR_EXTENSIONS, type IngestOptions } from "../../ingest/index.js";
import { isDatasetFile, readDataset } from "../../ingest/datasets.js";
import type { DocInput } from "../../doc/doc.js";
import { createPipeline, STAGE_NAMES, type Pipeline, type StageName } from "../../pipeline/pipeline.js";
import { toAnalysis } from "../../pipeline/output.js";
import type { Analysis } from "../../schema/analysis.js";
import { defaultDbPath, displayLocation, isPostgresUrl } from "../../store/db.js";
import { loadFactCheckMemory } from "../../analyzers/factchecks/memory.js";
import { UserError } from "../../util/errors.js";
import { formatAnalysis, FORMATS, type Format } from "../format/index.js";
import { toJsonLd } from "../format/jsonld.js";
import { assertStoreFile } from "./options.js";
import { visible } from "../format/visible.js";

interface AnalyzeOptions {
  format: string;
  maxBytes: string;
  allowPrivate: boolean;
  timeout: string;
  stages?: string;
  db?: string;
}

function positiveNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\s*\d+(?:\.\d+)?(?:e\d+)?\s*$/i.test(value) || !Number.isFinite(n) || n <= 0)
    throw new UserError(`${flag} must be a positive number, not "${value}"`);
  return n;
}

export function registerAnalyze(program: Command): void {
  program
    .command("analyze")
    .description("analyze an article (file, URL, directory, RSS/Atom feed, or - for stdin)")
    .argument(
      "<target>",
      "file, URL, directory, feed, dataset (.jsonl/.csv/.tsv: one analysis per record), or - for stdin",
    )
    .option("-f, --format <format>", `output format: ${FORMATS.join("|")}`, "json")
    .option("--max-bytes <n>", "refuse documents (files, stdin, downloads) larger than this", "5000000")
    .option("--allow-private", "allow fetching loopback/private/link-local/metadata addresses", false)
    .option("--timeout <ms>", "deadline for fetching one URL, redirects included", String(DEFAULT_TIMEOUT_MS))
    .option("--stages <list>", `comma-separated stages to run (default all: ${STAGE_NAMES.join(",")})`)
    .option(
      "--db <path>",
      `fact-check memory to match claims against: a store file (default ${defaultDbPath()}, used when it exists) or a postgres:// URL`,
    )
    .action(async (target: string, opts: AnalyzeOptions) => {
      if (!(FORMATS as readonly string[]).includes(opts.format))
        throw new UserError(`unknown format "${opts.format}" (use ${FORMATS.join(", ")})`);
      const format = opts.format as Format;
      const maxBytes = positiveNumber(opts.maxBytes, "--max-bytes");
      const timeoutMs = positiveNumber(opts.timeout, "--timeout");
      const stages = opts.stages === undefined ? undefined : parseStages(opts.stages);
      // A mistyped --db would otherwise match nothing, silently: "no earlier fact-check" must mean that.
      if (
        opts.db !== undefined &&
        opts.db !== ":memory:" &&
        (isPostgresUrl(opts.db) ? !(await loadFactCheckMemory(opts.db)) : !existsSync(opts.db))
      )
        throw new UserError(
          `no fact-check memory at ${displayLocation(opts.db)}: run \`claimscope factchecks import FILE…\` first`,
        );
      // The default store is read when it exists: damaged, it would silently match nothing too.
      assertStoreFile(opts.db ?? defaultDbPath(), opts.db === undefined ? "store" : "--db");
      let pipeline: Pipeline | null = null; // built on the first document, so bad input fails fast
      let ok = 0;
      let failed = 0;
      // Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
      const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
      const out = new AnalysisWriter(format, color, (s) => process.stdout.write(s));
      const onError = (where: string, err: Error): void => {
        failed++;
        const msg = err.message.startsWith(where) ? err.message : `${where}: ${err.message}`;
        process.stderr.write(`claimscope: ${visible(msg.split("\n")[0]!)}\n`);
      };
      // Files of a directory that are not read (a PDF, a dataset, a subdirectory) are named, not passed over.
      const skipped: string[] = [];
      const onSkip = (path: string) => void skipped.push(path);
      try {
        for await (const input of inputsOf(target, {
          maxBytes,
          allowPrivate: opts.allowPrivate,
          timeoutMs,
          onError,
          onSkip,
        })) {
          pipeline ??= await buildPipeline(opts.db, stages);
          let analysis: Analysis;
          try {
            analysis = toAnalysis(pipeline.run(Doc.create(input)));
          } catch (e) {
            if (e instanceof UserError || !(e instanceof Error)) throw e;
            // an analyzer bug on one document must not lose the others
            if (process.env.CLAIMSCOPE_DEBUG) throw e;
            onError(input.id ?? input.title ?? "document", new Error(`analysis failed: ${e.message}`));
            continue;
          }
          warnUndecodable(analysis);
          out.add(analysis);
          ok++;
        }
      } finally {
        out.end(); // what was analyzed is never lost, even when a later input stops the run
        if (skipped.length > 0) {
          const names =
            skipped.slice(0, 5).join(", ") + (skipped.length > 5 ? `, … ${skipped.length - 5} more` : "");
          process.stderr.write(
            visible(
              `claimscope: note: ${skipped.length} entr${skipped.length === 1 ? "y" : "ies"} of ${target} not read ` +
                `(only ${DIR_EXTENSIONS.join(" ")} files, no subdirectories; name a .jsonl/.csv/.tsv dataset to analyze its records): ${names}\n`,
            ),
          );
        }
      }
      if (failed > 0)
        throw new UserError(`${failed} of ${failed + ok} documents could not be analyzed (see above)`);
      if (ok === 0) throw new UserError(`no documents found in ${target}`);
    });
}

/**
 * The documents of a target: a dataset file (JSON Lines, CSV, TSV with a text column) record by record, as
 * `ingest` reads it (it was analyzed as one article made of JSON or CSV); anything else as loadInputs reads it.
 * A malformed line or an empty record fails alone, through onError.
 */
async function* inputsOf(
  target: string,
  opts: IngestOptions & { onError: (where: string, err: Error) => void },
): AsyncGenerator<DocInput> {
  if (!(isDatasetFile(target) && existsSync(target) && statSync(target).isFile())) {
    yield* loadInputs(target, opts);
    return;
  }
  try {
    for await (const r of readDataset(target)) {
      const bytes = Buffer.byteLength(r.input.text);
      if (!r.input.text.trim()) opts.onError(r.sourceKey, new UserError(`${r.sourceKey}: empty text`));
      else if (opts.maxBytes !== undefined && bytes > opts.maxBytes)
        opts.onError(r.sourceKey, new UserError(`${r.sourceKey}: ${bytes} bytes of text, over --max-bytes`));
      else yield r.input;
    }
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    opts.onError(target, e);
  }
}

/**
 * Bytes that were not valid in the file's encoding (often a Windows-1252 file read as UTF-8) are analyzed
 * as U+FFFD: say so on stderr, so nobody quotes the mangled text unawares. The exit code is unaffected.
 */
function warnUndecodable(a: Analysis): void {
  let n = 0;
  for (let i = a.document.text.indexOf("\uFFFD"); i >= 0; i = a.document.text.indexOf("\uFFFD", i + 1)) n++;
  if (n > 0)
    process.stderr.write(
      `claimscope: warning: ${visible(a.document.id)}: ${n} character${n === 1 ? "" : "s"} could not be decoded ` +
        `and ${n === 1 ? "was" : "were"} replaced by U+FFFD (not UTF-8? check the file's encoding)\n`,
    );
}

/**
 * Writes analyses to stdout. One document: the format as is (JSON-LD pretty-printed). Several documents:
 * JSON and JSON-LD as JSON Lines (one compact document per line, so the stream stays parseable), reports
 * separated by a rule. The first document is held back until the second arrives (or the input ends).
 */
export class AnalysisWriter {
  private held: Analysis | null = null;
  private emitted = 0;

  constructor(
    private readonly format: Format,
    private readonly color: boolean,
    private readonly write: (s: string) => void,
  ) {}

  add(a: Analysis): void {
    if (this.emitted === 0 && this.held === null) {
      this.held = a;
      return;
    }
    if (this.held) this.emit(this.held, true);
    this.held = null;
    this.emit(a, true);
  }

  end(): void {
    if (this.held) this.emit(this.held, false);
    this.held = null;
  }

  private emit(a: Analysis, several: boolean): void {
    let out: string;
    if (several && this.format === "jsonld") out = JSON.stringify(toJsonLd(a));
    else out = formatAnalysis(a, this.format, { color: this.color });
    if (several && this.format === "report" && this.emitted > 0) out = `\n${"─".repeat(78)}\n\n${out}`;
    this.emitted++;
    this.write(out + "\n");
  }
}

async function buildPipeline(db: string | undefined, stages: StageName[] | undefined): Promise<Pipeline> {
  if (!stages) return createPipeline({ db });
  try {
    return await createPipeline({ db, stages });
  } catch (e) {
    // a chosen stage whose input layer is not produced by the chosen stages before it
    if (e instanceof Error && / reads "/.test(e.message)) throw new UserError(`--stages: ${e.message}`);
    throw e;
  }
}

function parseStages(list: string): StageName[] {
  const names = list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!(STAGE_NAMES as string[]).includes(n))
      throw new UserError(`unknown stage "${n}" (known: ${STAGE_NAMES.join(", ")})`);
  return names as StageName[];
}
