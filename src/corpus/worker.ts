// Ingest worker thread: builds the pipeline once, then analyzes the documents the main thread sends
// and returns each article's store row (analysis JSON included) with its story-clustering features.
// The main thread does all writing. Memory of this thread's heap is reported for the ingest summary.
import { getHeapStatistics } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";
import { Doc, type DocInput } from "../doc/doc.js";
import { createPipeline, type PipelineOptions } from "../pipeline/pipeline.js";
import { toAnalysis } from "../pipeline/output.js";
import { docTerms, type TermCounts } from "./features.js";
import { analyzedRow, type AnalyzedRow } from "./row.js";

/** This thread's V8 heap (MB): used after the models loaded, and the largest size it reached. */
export interface WorkerMemory {
  /** Heap in use right after the pipeline (models, gazetteers, wink) was built. */
  loadedHeapMb: number;
  /** Typed-array memory held by this thread after the build (model weights). */
  loadedArrayBuffersMb: number;
  /** Largest committed heap seen after a document. */
  peakHeapMb: number;
}

export type ToWorker = { type: "job"; seq: number; input: DocInput } | { type: "stop" };
export type FromWorker =
  | { type: "ready"; memory: WorkerMemory }
  | { type: "result"; seq: number; row: AnalyzedRow; terms: TermCounts; ms: number }
  | { type: "error"; seq: number; message: string }
  | { type: "fatal"; message: string }
  | { type: "stopped"; maxRssKb: number; memory: WorkerMemory };

const MB = 1024 * 1024;
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

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
  const loaded = process.memoryUsage();
  const memory: WorkerMemory = {
    loadedHeapMb: mb(loaded.heapUsed),
    loadedArrayBuffersMb: mb(loaded.arrayBuffers),
    peakHeapMb: mb(loaded.heapTotal),
  };
  let peakHeap = loaded.heapTotal;
  port.on("message", (msg: ToWorker) => {
    if (msg.type === "stop") {
      memory.peakHeapMb = mb(peakHeap);
      port.postMessage({
        type: "stopped",
        maxRssKb: process.resourceUsage().maxRSS,
        memory,
      } satisfies FromWorker);
      port.close();
      return;
    }
    const t0 = performance.now();
    try {
      const doc = pipeline.run(Doc.create(msg.input));
      const analysis = toAnalysis(doc);
      const terms = docTerms(doc, analysis);
      // The analysis crosses the thread boundary as UTF-8 bytes (much faster than a deep object graph),
      // beside the few fields the store indexes: the main thread never parses it again.
      const row = analyzedRow(analysis, terms, JSON.stringify(analysis));
      port.postMessage(
        {
          type: "result",
          seq: msg.seq,
          row,
          terms,
          ms: performance.now() - t0,
        } satisfies FromWorker,
        // Moved, not copied: the main thread gets the bytes without a second copy.
        [row.analysis.buffer as ArrayBuffer, row.text.buffer as ArrayBuffer],
      );
    } catch (err) {
      port.postMessage({
        type: "error",
        seq: msg.seq,
        message: err instanceof Error ? err.message : String(err),
      } satisfies FromWorker);
    }
    const heap = getHeapStatistics().total_heap_size;
    if (heap > peakHeap) peakHeap = heap;
  });
  port.postMessage({ type: "ready", memory } satisfies FromWorker);
}

void main();
