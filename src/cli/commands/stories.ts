// `claimscope stories`: the stories of the corpus (articles grouped by event).
import type { Command } from "commander";
import { listStories } from "../../corpus/views.js";
import { CorpusStore } from "../../store/corpus.js";
import { defaultDbPath } from "../../store/db.js";
import { openCorpusStore } from "./story.js";
import { formatOption, wholeNumber } from "./options.js";
import { visible } from "../format/visible.js";

export function registerStories(program: Command): void {
  program
    .command("stories")
    .description("list the stories (same-event clusters) of the corpus, largest first")
    .option("--db <path>", "corpus store (SQLite file)", defaultDbPath())
    .option("-f, --format <format>", "json|report", "json")
    .option("--min-articles <n>", "only stories with at least this many articles", "1")
    .option("--limit <n>", "at most this many stories")
    .action(async (opts: { db: string; format: string; minArticles: string; limit?: string }) => {
      formatOption(opts.format, ["json", "report"] as const);
      const minArticles = wholeNumber(opts.minArticles, "--min-articles");
      const limit = opts.limit === undefined ? undefined : wholeNumber(opts.limit, "--limit");
      const store: CorpusStore = await openCorpusStore(opts.db);
      try {
        const stories = await listStories(store, {
          minArticles,
          ...(limit !== undefined && { limit }),
        });
        if (opts.format === "json") {
          process.stdout.write(JSON.stringify(stories, null, 2) + "\n");
          return;
        }
        const out: string[] = [];
        for (const s of stories) {
          out.push(
            `#${s.id} ${s.title}  (${s.articles.length} article${s.articles.length === 1 ? "" : "s"}, ${s.first?.slice(0, 10) ?? "?"} – ${s.last?.slice(0, 10) ?? "?"})`,
          );
          for (const a of s.articles)
            out.push(`    [${a.id}] ${a.published?.slice(0, 10) ?? "          "} ${a.source}: ${a.title}`);
        }
        process.stdout.write(visible(out.join("\n")) + "\n");
      } finally {
        await store.close();
      }
    });
}
