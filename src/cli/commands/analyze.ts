// `claimscope analyze <file|url|dir|feed|->`: prints `claimscope/analysis@1` JSON, JSON-LD or a report.
import type { Command } from "commander";
import { Doc } from "../../doc/doc.js";
import { loadInputs } from "../../ingest/index.js";
import { createPipeline } from "../../pipeline/pipeline.js";
import { toAnalysis } from "../../pipeline/output.js";
import { UserError } from "../../util/errors.js";
import { formatAnalysis, FORMATS, type Format } from "../format/index.js";

export function registerAnalyze(program: Command): void {
  program
    .command("analyze")
    .description("analyze an article (file, URL, directory, RSS/Atom feed, or - for stdin)")
    .argument("<target>", "file, URL, directory, feed, or - for stdin")
    .option("-f, --format <format>", `output format: ${FORMATS.join("|")}`, "json")
    .option("--max-bytes <n>", "refuse documents larger than this", "5000000")
    .option("--allow-private", "allow fetching loopback/private addresses", false)
    .option("--db <path>", "fact-check memory to match claims against")
    .action(async (target: string, opts: { format: string; maxBytes: string; allowPrivate: boolean; db?: string }) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) throw new UserError(`unknown format "${opts.format}" (use ${FORMATS.join(", ")})`);
      const maxBytes = Number(opts.maxBytes);
      if (!Number.isFinite(maxBytes) || maxBytes <= 0) throw new UserError(`--max-bytes must be a positive number`);
      const pipeline = await createPipeline({ db: opts.db });
      let n = 0;
      for await (const input of loadInputs(target, { maxBytes, allowPrivate: opts.allowPrivate })) {
        const analysis = toAnalysis(pipeline.run(Doc.create(input)));
        process.stdout.write(formatAnalysis(analysis, opts.format as Format, { color: process.stdout.isTTY === true }) + "\n");
        n++;
      }
      if (n === 0) throw new UserError(`no documents found in ${target}`);
    });
}
