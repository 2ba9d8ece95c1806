// `claimscope export`: the corpus as JSONL, CSV or JSON-LD on stdout.
import type { Command } from "commander";
import {
  EXPORT_FORMATS,
  EXPORT_WHAT,
  exportCorpus,
  type ExportFormat,
  type ExportWhat,
} from "../../corpus/export.js";
import { defaultDbPath } from "../../store/db.js";
import { UserError } from "../../util/errors.js";
import { openCorpusStore } from "./story.js";

export function registerExport(program: Command): void {
  program
    .command("export")
    .description("export stored articles, claims or stories (stdout)")
    .option("--db <path>", "corpus store (SQLite file)", defaultDbPath())
    .option("-f, --format <format>", EXPORT_FORMATS.join("|"), "jsonl")
    .option("--what <what>", EXPORT_WHAT.join("|"), "articles")
    .action(async (opts: { db: string; format: string; what: string }) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format))
        throw new UserError(`unknown format "${opts.format}" (use ${EXPORT_FORMATS.join(", ")})`);
      if (!(EXPORT_WHAT as readonly string[]).includes(opts.what))
        throw new UserError(`--what must be one of ${EXPORT_WHAT.join(", ")}`);
      const store = await openCorpusStore(opts.db);
      try {
        const write = (chunk: string) =>
          process.stdout.write(chunk)
            ? undefined
            : new Promise<void>((r) => process.stdout.once("drain", () => r()));
        const n = await exportCorpus(store, opts.format as ExportFormat, opts.what as ExportWhat, write);
        process.stderr.write(`exported ${n} ${opts.what}\n`);
      } finally {
        await store.close();
      }
    });
}
