// `claimscope stories`: the stories of the corpus (articles grouped by event).
import type { Command } from "commander";
import { listStories } from "../../corpus/views.js";
import { CorpusStore } from "../../store/corpus.js";
import { defaultDbPath } from "../../store/db.js";
import { UserError } from "../../util/errors.js";
import { openCorpusStore } from "./story.js";

export function registerStories(program: Command): void {
  program
    .command("stories")
    .description("list the stories (same-event clusters) of the corpus, largest first")
    .option("--db <path>", "corpus store (SQLite file)", defaultDbPath())
    .option("-f, --format <format>", "json|report", "json")
    .option("--min-articles <n>", "only stories with at least this many articles", "1")
    .option("--limit <n>", "at most this many stories")
    .action(async (opts: { db: string; format: string; minArticles: string; limit?: string }) => {
      if (opts.format !== "json" && opts.format !== "report")
        throw new UserError(`unknown format "${opts.format}" (use json, report)`);
      const store: CorpusStore = await openCorpusStore(opts.db);
      try {
        const stories = await listStories(store, {
          minArticles: Number(opts.minArticles),
          ...(opts.limit !== undefined && { limit: Number(opts.limit) }),
        });
        if (opts.format === "json") {
          process.stdout.write(JSON.stringify(stories, null, 2) + "\n");
          return;
        }
        const out: string[] = [];
        for (const s of stories) {
          out.push(
            `#${s.id} ${s.title}  (${s.articles.length} article${s.articles.length === 1 ? "" : "s"}, ${s.first ?? "?"} – ${s.last ?? "?"})`,
          );
          for (const a of s.articles)
            out.push(`    [${a.id}] ${a.published?.slice(0, 10) ?? "          "} ${a.source}: ${a.title}`);
        }
        process.stdout.write(out.join("\n") + "\n");
      } finally {
        await store.close();
      }
    });
}
