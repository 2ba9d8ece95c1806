// `claimscope ingest <files|dirs|feeds|dataset files…>`: bulk ingest into the corpus store.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import cliProgress from "cli-progress";
import { DEFAULT_WORKER_HEAP_MB, ingestCorpus, type IngestProgress } from "../../corpus/ingest.js";
import { STAGE_NAMES, type StageName } from "../../pipeline/pipeline.js";
import { CORPUS_NEEDS_SQLITE } from "../../store/corpus.js";
import { defaultDbPath, isPostgresUrl } from "../../store/db.js";
import { UserError } from "../../util/errors.js";
import { assertStoreFile } from "./options.js";
import { visible } from "../format/visible.js";

export function registerIngest(program: Command): void {
  program
    .command("ingest")
    .description(
      "analyze and store many articles: files, directories, URLs, feeds, FakeNewsNet/CSV/JSONL datasets",
    )
    .argument("<targets...>", "files, directories, URLs, feeds or dataset files (.jsonl, .csv, .tsv)")
    .option("--db <path>", "corpus store (SQLite file)", defaultDbPath())
    .option("--workers <n>", "worker threads", String(availableParallelism()))
    .option("--near <j>", "near-duplicate threshold (estimated Jaccard of word 5-shingles)", "0.8")
    .option(
      "--stages <list>",
      `pipeline stages to run, comma-separated (default all: ${STAGE_NAMES.join(",")})`,
    )
    .option(
      "--worker-heap-mb <mb>",
      "V8 heap limit of each worker thread in MB (a document needing more fails alone; 0 = no limit)",
      String(DEFAULT_WORKER_HEAP_MB),
    )
    .option("--json", "print the summary as JSON", false)
    .action(
      async (
        targets: string[],
        opts: {
          db: string;
          workers: string;
          near: string;
          json: boolean;
          stages?: string;
          workerHeapMb: string;
        },
      ) => {
        const workerHeapMb = Number(opts.workerHeapMb);
        if (!Number.isInteger(workerHeapMb) || workerHeapMb < 0)
          throw new UserError("--worker-heap-mb must be a whole number of MB (0 = no limit)");
        const workers = Number(opts.workers);
        if (!Number.isInteger(workers) || workers < 1)
          throw new UserError("--workers must be a positive integer");
        const near = Number(opts.near);
        if (!(near > 0 && near <= 1)) throw new UserError("--near must be in (0, 1]");
        const stages = opts.stages
          ?.split(",")
          .map((x) => x.trim())
          .filter(Boolean) as StageName[] | undefined;
        for (const st of stages ?? []) {
          if (!(STAGE_NAMES as string[]).includes(st))
            throw new UserError(`unknown stage "${st}" (known: ${STAGE_NAMES.join(", ")})`);
        }
        if (isPostgresUrl(opts.db)) throw new UserError(CORPUS_NEEDS_SQLITE);
        assertStoreFile(opts.db);
        // A target that does not exist is a typo: refuse before creating or touching the store.
        for (const t of targets) {
          if (/^https?:\/\//i.test(t) || existsSync(t)) continue;
          const hint = /^(?:www\.)?[\w-]+(?:\.[\w-]+)+\//i.test(t)
            ? " (for a URL, include http:// or https://)"
            : "";
          throw new UserError(`no such file or directory: ${t}${hint}`);
        }
        const tty = process.stderr.isTTY === true;
        let bar: cliProgress.SingleBar | null = null;
        let lastLine = 0;
        let lastDone = -1;
        const onProgress = (p: IngestProgress) => {
          if (tty) {
            if (!bar) {
              bar = new cliProgress.SingleBar(
                {
                  format:
                    "ingest [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted} | dup {dups} | failed {failed}",
                  hideCursor: true,
                  etaBuffer: 200,
                },
                cliProgress.Presets.shades_classic,
              );
              bar.start(p.total, 0, { rate: "0.0", dups: 0, failed: 0 });
            }
            bar.setTotal(p.total);
            bar.update(p.done, {
              rate: (p.done / Math.max(0.001, p.elapsedMs / 1000)).toFixed(1),
              dups: p.duplicates + p.nearDuplicates,
              failed: p.failed,
            });
          } else if (
            (p.elapsedMs - lastLine >= 5000 || p.done === p.total) &&
            !(p.done === p.total && p.done === lastDone) // the closing line once, not once per late report
          ) {
            lastLine = p.elapsedMs;
            lastDone = p.done;
            const rate = p.done / Math.max(0.001, p.elapsedMs / 1000);
            const eta = rate > 0 ? Math.round((p.total - p.done) / rate) : 0;
            process.stderr.write(
              `ingest: ${p.done}/${p.total} (${rate.toFixed(1)}/s, ETA ${eta}s) ingested ${p.ingested}, ` +
                `duplicates ${p.duplicates}, near-duplicates ${p.nearDuplicates}, skipped ${p.skipped}, failed ${p.failed}\n`,
            );
          }
        };
        const summary = await ingestCorpus(targets, {
          db: opts.db,
          workers,
          workerHeapMb,
          nearThreshold: near,
          onProgress,
          ...(stages && { pipeline: { stages } }),
        }).finally(() => (bar as cliProgress.SingleBar | null)?.stop());
        // Nothing stored at all while inputs failed: the run failed (a partial run keeps exit 0 and lists
        // its failures, since datasets routinely hold a few empty or broken records).
        const nothing =
          summary.failed > 0 &&
          summary.ingested + summary.duplicates + summary.nearDuplicates + summary.skipped === 0;
        const fail = () =>
          new UserError(
            `nothing ingested: ${summary.failed} input${summary.failed === 1 ? "" : "s"} failed (${
              opts.json ? "see failures" : "listed above"
            })`,
          );
        if (opts.json) {
          process.stdout.write(JSON.stringify(summary) + "\n");
          if (nothing) throw fail();
          return;
        }
        const lines = [
          `ingested ${summary.ingested} articles into ${opts.db} in ${summary.seconds}s (${summary.articlesPerSecond}/s, ${summary.workers} workers, peak RSS ${summary.maxRssMb} MB)`,
          `duplicates: ${summary.duplicates} exact, ${summary.nearDuplicates} near (linked, not analyzed again)`,
          `skipped as already done: ${summary.skipped}`,
          `memory: main-thread heap peak ${summary.memory.mainPeakHeapMb} MB, worker heap peaks ` +
            `${summary.memory.workers.map((w) => w.peakHeapMb).join(", ") || "-"} MB (limit ${summary.memory.workerHeapLimitMb ?? "none"})`,
          `stories: ${summary.stories} (${summary.storiesRegrouped} regrouped)`,
          ...(summary.undecodable.articles > 0
            ? [
                `undecodable: ${summary.undecodable.articles} article${summary.undecodable.articles === 1 ? " holds" : "s hold"} ` +
                  `characters that could not be decoded (U+FFFD; not UTF-8?): ${summary.undecodable.keys.join(", ")}` +
                  (summary.undecodable.articles > summary.undecodable.keys.length
                    ? `, … ${summary.undecodable.articles - summary.undecodable.keys.length} more`
                    : ""),
              ]
            : []),
          `failed: ${summary.failed}`,
          ...summary.failures.slice(0, 20).map((f) => `  ${f.key}: ${f.reason}`),
          ...(summary.failures.length > 20 ? [`  … ${summary.failed - 20} more`] : []),
        ];
        process.stdout.write(visible(lines.join("\n")) + "\n");
        if (nothing) throw fail();
      },
    );
}
