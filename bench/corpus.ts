// `npm run bench:corpus`: ingest + analyze all of ../shared/data/fakenewsnet into a fresh store with
// worker threads, then time story-page queries. Prints one JSON line (the last stdout line).
// Options (env): BENCH_CORPUS_LIMIT=N (first N records per file, for quick runs), BENCH_CORPUS_WORKERS,
// BENCH_CORPUS_STAGES=comma list (default all), BENCH_CORPUS_DB=path (default a temp file, removed after),
// BENCH_CORPUS_WORKER_HEAP_MB (each worker's V8 heap limit). peakRssMb is the kernel's high-water mark of
// the whole process (getrusage maxRSS: main thread, worker threads and native memory), not a sample.
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ingestCorpus } from "../src/corpus/ingest.js";
import { storyDetail } from "../src/corpus/views.js";
import type { StageName } from "../src/pipeline/pipeline.js";
import { CorpusStore } from "../src/store/corpus.js";
import { dataPath } from "../src/util/paths.js";

async function head(src: string, dst: string, n: number): Promise<void> {
  const out = createWriteStream(dst);
  const rl = createInterface({ input: createReadStream(src), crlfDelay: Infinity });
  let k = 0;
  for await (const line of rl) {
    if (k++ >= n) break;
    out.write(line + "\n");
  }
  rl.close();
  await new Promise<void>((r) => out.end(r));
}

async function main(): Promise<void> {
  const files = ["politifact_news.jsonl", "gossipcop_news.jsonl"].map((f) => dataPath("fakenewsnet", f));
  for (const f of files) if (!existsSync(f)) throw new Error(`missing ${f}`);
  const dir = mkdtempSync(join(tmpdir(), "claimscope-bench-"));
  const limit = Number(process.env.BENCH_CORPUS_LIMIT ?? 0);
  let targets = files;
  if (limit > 0) {
    targets = [];
    for (const f of files) {
      const dst = join(dir, f.split("/").pop()!);
      await head(f, dst, limit);
      targets.push(dst);
    }
  }
  const db = process.env.BENCH_CORPUS_DB ?? join(dir, "bench.db");
  const stages = process.env.BENCH_CORPUS_STAGES?.split(",").filter(Boolean) as StageName[] | undefined;
  let lastLog = 0;
  const summary = await ingestCorpus(targets, {
    db,
    ...(process.env.BENCH_CORPUS_WORKERS && { workers: Number(process.env.BENCH_CORPUS_WORKERS) }),
    ...(process.env.BENCH_CORPUS_WORKER_HEAP_MB && {
      workerHeapMb: Number(process.env.BENCH_CORPUS_WORKER_HEAP_MB),
    }),
    ...(stages && { pipeline: { stages } }),
    onProgress: (p) => {
      if (p.elapsedMs - lastLog < 10_000) return;
      lastLog = p.elapsedMs;
      process.stderr.write(`bench:corpus ${p.done}/${p.total} in ${(p.elapsedMs / 1000).toFixed(0)}s\n`);
    },
  });

  // Story pages: the 20 largest stories and 30 others spread over the id range, each timed cold-ish (once).
  const store = await CorpusStore.open(db);
  const largest = (await store.listStories({ limit: 20 })).map((s) => s.id);
  const { stories } = await store.counts();
  const spread = Array.from({ length: 30 }, (_, i) => 1 + Math.floor(((i + 0.5) * stories) / 30));
  const times: number[] = [];
  let maxArticles = 0;
  let claimsInLargest = 0;
  for (const id of [...largest, ...spread]) {
    const t0 = performance.now();
    const d = await storyDetail(store, id);
    times.push(performance.now() - t0);
    if (d && d.articles.length > maxArticles) {
      maxArticles = d.articles.length;
      claimsInLargest = d.claims.length;
    }
  }
  await store.close();
  times.sort((a, b) => a - b);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const result = {
    bench: "corpus",
    inputs: targets.map((t) => t.split("/").pop()),
    limitPerFile: limit || null,
    workers: summary.workers,
    stages: stages ?? "all",
    ingested: summary.ingested,
    duplicates: summary.duplicates,
    nearDuplicates: summary.nearDuplicates,
    failed: summary.failed,
    failureReasons: summary.failureReasons,
    stories: summary.stories,
    seconds: summary.seconds,
    analyzeSeconds: summary.analyzeSeconds,
    regroupSeconds: summary.regroupSeconds,
    articlesPerSecond: summary.articlesPerSecond,
    peakRssMb: summary.maxRssMb,
    memory: summary.memory,
    mainThread: summary.mainThread,
    workerSeconds: summary.workerSeconds,
    storyQueryMs: {
      median: r1(times[Math.floor(times.length / 2)] ?? 0),
      p95: r1(times[Math.floor(times.length * 0.95)] ?? 0),
      max: r1(times[times.length - 1] ?? 0),
    },
    largestStory: { articles: maxArticles, claims: claimsInLargest },
    targets: { seconds: 300, peakRssMb: 1024, storyQueryMs: 50 },
    pass: {
      seconds: summary.seconds <= 300,
      peakRssMb: summary.maxRssMb <= 1024,
      storyQueryMs: (times[times.length - 1] ?? 0) <= 50,
    },
  };
  if (!process.env.BENCH_CORPUS_DB) rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:corpus: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
