// Analysis worker thread of the HTTP server: builds the pipeline once (fact-check memory included), then
// analyzes one request at a time and returns its analysis@1 JSON as UTF-8 bytes (moved, not copied), so the
// main thread sends them as they are. Errors come back as a status and one line; the thread itself only dies
// when V8 does (out of heap), and the pool replaces it.
import { parentPort, workerData } from "node:worker_threads";
import { createPipeline, type Pipeline, type PipelineOptions } from "../pipeline/pipeline.js";
import { UserError } from "../util/errors.js";
import { analyzeJob, type AnalyzeJob } from "./request.js";

export interface AnalyzeWorkerData {
  pipeline: PipelineOptions;
}

export type ToAnalyzeWorker = { type: "job"; id: number; job: AnalyzeJob };
export type FromAnalyzeWorker =
  | { type: "ready" }
  | { type: "fatal"; message: string }
  | { type: "result"; id: number; json: Uint8Array; ms: number }
  | { type: "error"; id: number; status: number; message: string };

const encoder = new TextEncoder();

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("the analysis worker must run in a worker thread");
  let pipeline: Pipeline;
  try {
    pipeline = await createPipeline((workerData as AnalyzeWorkerData).pipeline);
  } catch (err) {
    // Nothing listens on the port afterwards: the thread ends by itself.
    port.postMessage({
      type: "fatal",
      message: err instanceof Error ? err.message : String(err),
    } satisfies FromAnalyzeWorker);
    return;
  }
  port.on("message", (msg: ToAnalyzeWorker) => {
    const t0 = performance.now();
    try {
      const json = encoder.encode(JSON.stringify(analyzeJob(pipeline, msg.job)));
      port.postMessage(
        { type: "result", id: msg.id, json, ms: performance.now() - t0 } satisfies FromAnalyzeWorker,
        [json.buffer as ArrayBuffer],
      );
    } catch (err) {
      port.postMessage({
        type: "error",
        id: msg.id,
        status: err instanceof UserError ? 400 : 500,
        message: err instanceof Error ? err.message : String(err),
      } satisfies FromAnalyzeWorker);
    }
  });
  port.postMessage({ type: "ready" } satisfies FromAnalyzeWorker);
}

void main();
