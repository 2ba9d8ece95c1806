// Ingest worker thread: builds the pipeline once, then analyzes the documents the main thread sends
// and returns each analysis with its story-clustering features. The main thread does all writing.
import { parentPort, workerData } from "node:worker_threads";
import { Doc, type DocInput } from "../doc/doc.js";
import { createPipeline, type PipelineOptions } from "../pipeline/pipeline.js";
import { toAnalysis } from "../pipeline/output.js";
import { docTerms } from "./features.js";

export type ToWorker = { type: "job"; seq: number; input: DocInput } | { type: "stop" };
export type FromWorker =
  | { type: "ready" }
  | { type: "result"; seq: number; analysis: string; terms: Record<string, number>; ms: number }
  | { type: "error"; seq: number; message: string }
  | { type: "fatal"; message: string }
  | { type: "stopped"; maxRssKb: number };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("ingest worker must run in a worker thread");
  let pipeline;
  try {
    pipeline = await createPipeline((workerData as { pipeline?: PipelineOptions })?.pipeline ?? {});
  } catch (err) {
    port.postMessage({
      type: "fatal",
      message: err instanceof Error ? err.message : String(err),
    } satisfies FromWorker);
    return;
  }
  port.on("message", (msg: ToWorker) => {
    if (msg.type === "stop") {
      port.postMessage({ type: "stopped", maxRssKb: process.resourceUsage().maxRSS } satisfies FromWorker);
      port.close();
      return;
    }
    const t0 = performance.now();
    try {
      const doc = pipeline.run(Doc.create(msg.input));
      const analysis = toAnalysis(doc);
      const terms = docTerms(doc, analysis);
      port.postMessage({
        type: "result",
        seq: msg.seq,
        // A string crosses the thread boundary much faster than a deep object graph.
        analysis: JSON.stringify(analysis),
        terms,
        ms: performance.now() - t0,
      } satisfies FromWorker);
    } catch (err) {
      port.postMessage({
        type: "error",
        seq: msg.seq,
        message: err instanceof Error ? err.message : String(err),
      } satisfies FromWorker);
    }
  });
  port.postMessage({ type: "ready" } satisfies FromWorker);
}

void main();
