// `claimscope search "QUERY"`: full-text search over the corpus's articles and claims.
import type { Command } from "commander";
import { TECHNIQUES } from "../../schema/analysis.js";
import { search } from "../../corpus/views.js";
import { defaultDbPath } from "../../store/db.js";
import { UserError } from "../../util/errors.js";
import { openCorpusStore } from "./story.js";
import { calendarDate, formatOption, wholeNumber } from "./options.js";
import { visible } from "../format/visible.js";

export function registerSearch(program: Command): void {
  program
    .command("search")
    .description("full-text search over stored articles and claims")
    .argument("<query>", "words to find (all must occur)")
    .option("--db <path>", "corpus store (SQLite file)", defaultDbPath())
    .option("--speaker <name>", "claims by this speaker (aliases match: Putin = Vladimir Putin)")
    .option("--source <domain>", "only articles from this domain")
    .option("--since <date>", "published on or after (YYYY-MM-DD)")
    .option("--until <date>", "published on or before (YYYY-MM-DD)")
    .option("--technique <name>", `only articles with this technique (${TECHNIQUES.join(" | ")})`)
    .option("--what <what>", "articles|claims|all", "all")
    .option("--limit <n>", "results per kind", "20")
    .option("-f, --format <format>", "json|report", "json")
    .action(
      async (
        query: string,
        opts: {
          db: string;
          speaker?: string;
          source?: string;
          since?: string;
          until?: string;
          technique?: string;
          what: string;
          limit: string;
          format: string;
        },
      ) => {
        if (opts.technique && !(TECHNIQUES as readonly string[]).includes(opts.technique)) {
          throw new UserError(`unknown technique "${opts.technique}" (use one of ${TECHNIQUES.join(" | ")})`);
        }
        if (!["articles", "claims", "all"].includes(opts.what))
          throw new UserError(`--what must be articles, claims or all`);
        if (opts.speaker !== undefined && opts.what === "articles")
          throw new UserError(
            "--speaker selects claims: it cannot go with --what articles (it found nothing, silently)",
          );
        formatOption(opts.format, ["json", "report"] as const);
        const limit = wholeNumber(opts.limit, "--limit");
        const since = opts.since === undefined ? undefined : calendarDate(opts.since, "--since");
        const until = opts.until === undefined ? undefined : calendarDate(opts.until, "--until");
        const store = await openCorpusStore(opts.db);
        try {
          const hits = await search(store, query, {
            speaker: opts.speaker,
            source: opts.source,
            since,
            until,
            technique: opts.technique,
            limit,
            what: opts.what as "articles" | "claims" | "all",
          });
          if (opts.format === "json") {
            process.stdout.write(JSON.stringify(hits, null, 2) + "\n");
            return;
          }
          const out = hits.map(
            (h) =>
              `${h.type === "claim" ? "claim  " : "article"} [${h.articleId}] story ${h.storyId ?? "-"} ${h.published?.slice(0, 10) ?? "?"} ${h.source}` +
              `${h.speaker ? ` — ${h.speaker}` : ""}\n    ${h.type === "article" ? h.title + "\n    … " : ""}${h.text.replace(/\s+/g, " ")}`,
          );
          process.stdout.write(visible(out.length ? out.join("\n") : "no results") + "\n");
        } finally {
          await store.close();
        }
      },
    );
}
