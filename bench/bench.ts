// `npm run bench`: the whole analyze pipeline vs wink-nlp's own tokenize+sentence+POS pass over the
// same FakeNewsNet texts on one core. The last stdout line is one JSON object.
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { Doc, type DocInput } from "../src/doc/doc.js";
import { wink } from "../src/nlp/wink.js";
import { createPipeline } from "../src/pipeline/pipeline.js";
import { toAnalysis } from "../src/pipeline/output.js";
import { dataPath } from "../src/util/paths.js";

const PER_SOURCE = Number(process.env.BENCH_ARTICLES_PER_SOURCE ?? 300);

async function readArticles(file: string, limit: number): Promise<DocInput[]> {
  const out: DocInput[] = [];
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { id: string; title?: string; text?: string };
    if (!r.text || r.text.length < 200) continue;
    out.push({ id: r.id, title: r.title ?? "", text: r.text });
    if (out.length >= limit) break;
  }
  rl.close();
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const files = ["politifact_news.jsonl", "gossipcop_news.jsonl"].map((f) => dataPath("fakenewsnet", f));
  if (!files.every(existsSync)) {
    process.stderr.write(`bench: needs ${files.join(" and ")} (../shared/data)\n`);
    process.exit(1);
  }
  const articles = (await Promise.all(files.map((f) => readArticles(f, PER_SOURCE)))).flat();
  const texts = articles.map((a) => (a.title ? `${a.title}\n\n${a.text}` : a.text));
  const pipeline = await createPipeline({ db: "" });
  const nlp = wink();
  const its = nlp.its;

  // The machine's speed drifts (shared hosts), so each article is timed through wink alone and through
  // the whole pipeline back to back: both totals see the same conditions, and the ratio is stable.
  const latencies: number[] = [];
  const stageTotals: Record<string, number> = {};
  const pass = (): { nlpMs: number; pipelineMs: number } => {
    latencies.length = 0;
    for (const k of Object.keys(stageTotals)) delete stageTotals[k];
    let nlpMs = 0;
    let pipelineMs = 0;
    for (let i = 0; i < articles.length; i++) {
      // Alternate which goes first, so neither side profits from the other having just read the text.
      let nlpTime = 0;
      let pipeTime = 0;
      let doc: Doc | null = null;
      for (const which of i % 2 === 0 ? ["nlp", "pipeline"] : ["pipeline", "nlp"]) {
        const t = performance.now();
        if (which === "nlp") {
          const d = nlp.readDoc(texts[i]!);
          d.tokens().out(its.pos);
          d.sentences().out();
          nlpTime = performance.now() - t;
        } else {
          doc = pipeline.run(Doc.create(articles[i]!));
          toAnalysis(doc);
          pipeTime = performance.now() - t;
        }
      }
      nlpMs += nlpTime;
      pipelineMs += pipeTime;
      latencies.push(pipeTime);
      for (const [k, v] of Object.entries(doc!.timings)) stageTotals[k] = (stageTotals[k] ?? 0) + v;
    }
    return { nlpMs, pipelineMs };
  };

  // Warm up both paths (JIT, model loading), then keep the faster of two full passes.
  for (const a of articles.slice(0, 30)) pipeline.run(Doc.create(a));
  for (const t of texts.slice(0, 30)) nlp.readDoc(t).tokens().out(its.pos);
  let best = pass();
  let bestLatencies = [...latencies];
  let bestStages = { ...stageTotals };
  const second = pass();
  if (second.pipelineMs < best.pipelineMs) {
    best = second;
    bestLatencies = [...latencies];
    bestStages = { ...stageTotals };
  }
  const n = articles.length;
  const sorted = bestLatencies.sort((a, b) => a - b);
  const result: Record<string, unknown> = {
    articles: n,
    articlesPerSec: round(n / (best.pipelineMs / 1000)),
    nlpOnlyArticlesPerSec: round(n / (best.nlpMs / 1000)),
    ratio: round(best.nlpMs / best.pipelineMs, 3),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    stageMsPerArticle: Object.fromEntries(Object.entries(bestStages).map(([k, v]) => [k, round(v / n, 3)])),
  };
  const fc = await import("./factchecks.js").catch(() => null);
  if (fc && typeof fc.benchFactChecks === "function") Object.assign(result, await fc.benchFactChecks());
  result.peakRssMb = round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(JSON.stringify(result) + "\n");
}

function round(x: number, d = 2): number {
  return Math.round(x * 10 ** d) / 10 ** d;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
