// `claimscope sources`: a profile per publishing domain.
import type { Command } from "commander";
import { sourceProfiles } from "../../corpus/views.js";
import { defaultDbPath } from "../../store/db.js";
import { openCorpusStore } from "./story.js";
import { formatOption, wholeNumber } from "./options.js";
import { visible } from "../format/visible.js";

export function registerSources(program: Command): void {
  program
    .command("sources")
    .description("per source domain: articles, mean credibility, technique rate, share of unsupported claims")
    .option("--db <path>", "corpus store (SQLite file)", defaultDbPath())
    .option("-f, --format <format>", "json|report", "json")
    .option("--min-articles <n>", "only sources with at least this many articles", "1")
    .action(async (opts: { db: string; format: string; minArticles: string }) => {
      formatOption(opts.format, ["json", "report"] as const);
      const minArticles = wholeNumber(opts.minArticles, "--min-articles");
      const store = await openCorpusStore(opts.db);
      try {
        const profiles = await sourceProfiles(store, { minArticles });
        if (opts.format === "json") {
          process.stdout.write(JSON.stringify(profiles, null, 2) + "\n");
          return;
        }
        const fmt = (x: number | null, d = 2) => (x === null ? "–" : x.toFixed(d));
        const out = [
          "source                              articles  dups  credibility  techniques/article  with-techniques  claims  unsupported  flagged",
        ];
        for (const p of profiles) {
          out.push(
            `${p.source.padEnd(36).slice(0, 36)}${String(p.articles).padStart(8)}${String(p.duplicates).padStart(6)}` +
              `${fmt(p.meanCredibility, 1).padStart(13)}${fmt(p.techniqueRate).padStart(20)}${fmt(p.articlesWithTechniques).padStart(17)}` +
              `${String(p.claims).padStart(8)}${fmt(p.unsupportedShare).padStart(13)}` +
              `${fmt(p.flaggedUnsupportedShare).padStart(9)}`,
          );
        }
        process.stdout.write(visible(out.join("\n")) + "\n");
      } finally {
        await store.close();
      }
    });
}
