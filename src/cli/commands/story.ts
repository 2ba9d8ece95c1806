// `claimscope story ID`: one story — its articles, the claims across sources (who makes, repeats,
// supports or disputes each), the disputes between claims, and a timeline.
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { storyDetail, type StoryDetail } from "../../corpus/views.js";
import { CORPUS_NEEDS_SQLITE, CorpusStore } from "../../store/corpus.js";
import { defaultDbPath, isPostgresUrl } from "../../store/db.js";
import { UserError } from "../../util/errors.js";
import { assertStoreFile } from "./options.js";
import { visible } from "../format/visible.js";

/** Opens an existing corpus store (a clear error when there is none). */
export async function openCorpusStore(path: string): Promise<CorpusStore> {
  if (isPostgresUrl(path)) throw new UserError(CORPUS_NEEDS_SQLITE);
  if (path !== ":memory:" && !existsSync(path))
    throw new UserError(`no corpus store at ${path} (run claimscope ingest first)`);
  assertStoreFile(path);
  return CorpusStore.open(path);
}

export function registerStory(program: Command): void {
  program
    .command("story")
    .description("show one story: articles, claims across sources, disputes, timeline")
    .argument("<id>", "story id (from `claimscope stories`)")
    .option("--db <path>", "corpus store (SQLite file)", defaultDbPath())
    .option("-f, --format <format>", "json|report", "json")
    .action(async (idArg: string, opts: { db: string; format: string }) => {
      if (opts.format !== "json" && opts.format !== "report")
        throw new UserError(`unknown format "${opts.format}" (use json, report)`);
      const id = Number(idArg);
      if (!Number.isInteger(id) || id < 1)
        throw new UserError(`story id must be a positive integer, not "${idArg}"`);
      const store = await openCorpusStore(opts.db);
      try {
        const story = await storyDetail(store, id);
        if (!story) throw new UserError(`no story ${id} in ${opts.db}`);
        process.stdout.write(
          (opts.format === "json" ? JSON.stringify(story, null, 2) : visible(storyReport(story))) + "\n",
        );
      } finally {
        await store.close();
      }
    });
}

export function storyReport(s: StoryDetail): string {
  const out: string[] = [];
  const art = new Map(s.articles.map((a) => [a.id, a]));
  out.push(`Story #${s.id}: ${s.title}`);
  out.push(
    `${s.articles.length} article${s.articles.length === 1 ? "" : "s"}, ${s.first?.slice(0, 10) ?? "?"} – ${s.last?.slice(0, 10) ?? "?"}`,
  );
  out.push("", "Articles");
  for (const a of s.articles) {
    const cred = a.credibility === null ? "" : `  credibility ${a.credibility}`;
    out.push(`  [${a.id}] ${a.published?.slice(0, 10) ?? "?"} ${a.source}: ${a.title}${cred}`);
    for (const d of a.duplicates)
      out.push(`        ${d.kind} duplicate (${d.similarity.toFixed(2)}): ${d.source} ${d.title}`);
  }
  out.push("", "Claims across sources");
  for (const c of s.claims) {
    out.push(`  C${c.id} ${c.speakers.length ? c.speakers.join(" / ") : "(unattributed)"}: "${c.text}"`);
    for (const x of c.sources) {
      const a = art.get(x.articleId);
      const where = x.start !== undefined ? ` @${x.start}-${x.end}` : "";
      const via = x.via === "claim" ? "" : ` (${x.via})`;
      out.push(`      ${x.relation.padEnd(8)} [${x.articleId}] ${a?.source ?? ""}${where}${via}`);
    }
  }
  out.push("", "Disputes");
  if (s.disputes.length === 0) out.push("  (none found)");
  for (const d of s.disputes) out.push(`  C${d.a} <-> C${d.b} (${d.score}): ${d.reason}`);
  out.push("", "Timeline");
  for (const t of s.timeline) {
    const parts = (["makes", "repeats", "supports", "disputes"] as const)
      .filter((r) => t[r].length)
      .map((r) => `${r} ${t[r].map((i) => "C" + i).join(",")}`);
    out.push(
      `  ${t.date?.slice(0, 10) ?? "?         "} [${t.articleId}] ${t.source}: ${t.title}${parts.length ? " — " + parts.join("; ") : ""}`,
    );
  }
  return out.join("\n");
}
