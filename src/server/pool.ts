// A small pool of analysis worker threads for the HTTP server, so a long article never blocks the event loop
// (health, corpus and story routes answer while a worker is busy). Each worker builds the pipeline once and
// analyzes one request at a time; requests beyond the free workers wait in a bounded FIFO queue, and a full
// queue is refused at once (503 with Retry-After) rather than held without bound. A worker that dies (out of
// heap on a pathological input, or terminated past the time limit) fails only the request it was analyzing, with
// a clear 500 line, and is replaced. The main thread only validates, queues and forwards bytes: the HTML
// extraction, the analysis and the JSON serialization all happen in the worker.
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { PipelineOptions } from "../pipeline/pipeline.js";
import { UserError } from "../util/errors.js";
import { spawnModuleWorker } from "../util/worker.js";
import type { AnalyzeWorkerData, FromAnalyzeWorker, ToAnalyzeWorker } from "./analyze-worker.js";
import { HttpError } from "./http-error.js";
import type { AnalyzeJob } from "./request.js";

/** Most workers by default: beyond that, memory (a pipeline each) grows faster than throughput. */
const MAX_DEFAULT_WORKERS = 4;
/** Default bound of the queue of requests waiting for a worker. */
export const DEFAULT_MAX_QUEUE = 32;
/**
 * Default V8 old-generation limit of a worker (MB). The pipeline takes ~110 MB of heap once loaded; a plain
 * text at the default body limit (5 MB, ~1 million tokens) peaked at ~330 MB. A document needing more than the
 * limit fails alone (500) and its worker is replaced, instead of growing the process without bound.
 */
export const DEFAULT_WORKER_HEAP_MB = 1024;
/**
 * Default limit of one analysis (ms). A plain text at the default body limit took ~65 s on a busy 2-core
 * machine; a pathological page (4 MB of 500,000 tiny elements) took 280 s and 1 GB. A worker still analyzing
 * after the limit is terminated and replaced, so one request cannot hold a worker for minutes.
 */
export const DEFAULT_TIMEOUT_MS = 120_000;
/** Young generation of a worker (MB): most of what an analysis allocates dies young. */
const WORKER_YOUNG_MB = 16;

/** One worker per core but one for the event loop: at least 1, at most 4. */
export function defaultWorkers(): number {
  return Math.min(MAX_DEFAULT_WORKERS, Math.max(1, availableParallelism() - 1));
}

export interface PoolOptions {
  /** Worker threads (>= 1). */
  size: number;
  /** Requests allowed to wait for a free worker (>= 0; default DEFAULT_MAX_QUEUE). */
  maxQueue?: number;
  /** Old-generation heap limit of each worker in MB (default DEFAULT_WORKER_HEAP_MB; 0 = V8's own). */
  heapMb?: number;
  /** Longest one analysis may run in its worker, in ms (default DEFAULT_TIMEOUT_MS; 0 = no limit). */
  timeoutMs?: number;
  /** Options of each worker's pipeline (`db`: the fact-check memory claims are matched against). */
  pipeline?: PipelineOptions;
}

/** What /api/health reports. */
export interface PoolStats {
  /** Worker threads (0: analysis runs in the server's own thread). */
  size: number;
  /** Worker threads running (loading their pipeline or ready); without start() they start as needed. */
  started: number;
  /** Workers with their pipeline loaded. */
  ready: number;
  /** Requests being analyzed. */
  busy: number;
  /** Requests waiting for a worker, and how many may. */
  queued: number;
  maxQueue: number;
  /** Workers replaced after dying (out of heap or a crash) while the server ran. */
  restarts: number;
  /** Requests refused because the queue was full. */
  rejected: number;
}

interface Pending {
  id: number;
  job: AnalyzeJob;
  resolve: (json: Buffer) => void;
  reject: (err: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker | null;
  ready: boolean;
  job: Pending | null;
  /** Why the current worker failed, from its "error" event or its own "fatal" message. */
  failure: Error | null;
  /** Terminates the worker when its analysis runs past the time limit. */
  timer: NodeJS.Timeout | null;
  timedOut: boolean;
  /** When the current request was sent to the worker (performance.now()). */
  since: number;
  /** Settles when the current worker has exited. */
  exited: Promise<void>;
  /** Resolves when the current worker has loaded its pipeline; rejects when it died before. */
  loaded: Promise<void>;
  loadFailed: (err: Error) => void;
}

export class AnalyzePool {
  readonly size: number;
  readonly maxQueue: number;
  private readonly heapMb: number;
  private readonly timeoutMs: number;
  private readonly pipeline: PipelineOptions;
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private closed = false;
  private restarts = 0;
  private rejected = 0;
  /** Running mean of analysis time (ms), for Retry-After. */
  private meanMs = 100;

  constructor(opts: PoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new Error("a pool needs at least one worker");
    this.size = opts.size;
    this.maxQueue = Math.max(0, opts.maxQueue ?? DEFAULT_MAX_QUEUE);
    this.heapMb = opts.heapMb ?? DEFAULT_WORKER_HEAP_MB;
    // setTimeout fires at once beyond 2^31 - 1 ms (~24 days): longer limits are that long.
    this.timeoutMs = Math.min(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, 2 ** 31 - 1);
    this.pipeline = opts.pipeline ?? {};
    this.slots = Array.from({ length: this.size }, () => ({
      worker: null,
      ready: false,
      job: null,
      failure: null,
      timer: null,
      timedOut: false,
      since: 0,
      exited: Promise.resolve(),
      loaded: Promise.resolve(),
      loadFailed: () => {},
    }));
  }

  /**
   * Starts every worker that is not running; resolves when all have loaded their pipeline, and rejects (with
   * the reason) when one could not.
   */
  async start(): Promise<void> {
    if (this.closed) throw new HttpError(503, "the server is shutting down");
    this.spawnMissing();
    await Promise.all(this.slots.map((s) => s.loaded));
  }

  /** Without start(), workers start as requests need them: as many as are analyzing or waiting, up to size. */
  private grow(): void {
    let alive = this.slots.filter((s) => s.worker).length;
    const need = Math.min(this.size, this.slots.filter((s) => s.job).length + this.queue.length);
    for (let i = 0; i < this.size && alive < need; i++)
      if (!this.slots[i]!.worker) {
        this.spawn(i);
        alive++;
      }
  }

  private spawnMissing(): void {
    this.slots.forEach((slot, i) => {
      if (!slot.worker) this.spawn(i);
    });
  }

  stats(): PoolStats {
    return {
      size: this.size,
      started: this.slots.filter((s) => s.worker).length,
      ready: this.slots.filter((s) => s.ready).length,
      busy: this.slots.filter((s) => s.job).length,
      queued: this.queue.length,
      maxQueue: this.maxQueue,
      restarts: this.restarts,
      rejected: this.rejected,
    };
  }

  /**
   * Analyzes one request in a worker: resolves with the analysis@1 JSON (UTF-8). Rejects with UserError (400)
   * for a body without an article, HttpError 503 when the queue is full or the pool is closing, HttpError 500
   * when the worker died on it, and a plain Error (500) for any other analysis failure. A request still waiting
   * when `signal` aborts (its client went away) leaves the queue without being analyzed.
   */
  analyze(job: AnalyzeJob, signal?: AbortSignal): Promise<Buffer> {
    if (this.closed) return Promise.reject(new HttpError(503, "the server is shutting down"));
    if (signal?.aborted) return Promise.reject(new HttpError(499, "the client went away"));
    const free = this.slots.findIndex((s) => s.ready && !s.job);
    if (free < 0 && this.queue.length >= this.maxQueue) {
      this.rejected++;
      const retryAfter = this.retryAfterSeconds();
      return Promise.reject(
        new HttpError(
          503,
          `the server is busy (${this.slots.filter((s) => s.job).length} analyzing, ${this.queue.length} waiting); retry in ${retryAfter} s`,
          { "retry-after": String(retryAfter) },
        ),
      );
    }
    return new Promise<Buffer>((resolve, reject) => {
      const pending: Pending = { id: this.nextId++, job, resolve, reject, signal };
      if (signal) {
        pending.onAbort = () => {
          const at = this.queue.indexOf(pending);
          if (at < 0) return; // already being analyzed: it finishes, the answer is dropped
          this.queue.splice(at, 1);
          reject(new HttpError(499, "the client went away"));
        };
        signal.addEventListener("abort", pending.onAbort, { once: true });
      }
      this.queue.push(pending);
      this.grow();
      this.dispatch();
    });
  }

  /** Refuses what is waiting or running (503) and terminates the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const shutting = () => new HttpError(503, "the server is shutting down");
    for (const p of this.queue.splice(0)) this.settle(p, shutting());
    const exits: Promise<void>[] = [];
    for (const slot of this.slots) {
      if (slot.job) this.settle(slot.job, shutting());
      this.finish(slot);
      slot.ready = false;
      if (slot.worker) {
        exits.push(slot.exited);
        void slot.worker.terminate();
      }
    }
    await Promise.all(exits);
  }

  private retryAfterSeconds(): number {
    // Each waiting request and each running one takes about the mean time, or at least as long as the
    // longest running one has taken so far (a server that just started has no mean yet).
    const now = performance.now();
    const running = this.slots.reduce((m, s) => (s.job ? Math.max(m, now - s.since) : m), 0);
    const waitMs = ((this.queue.length + this.size) * Math.max(this.meanMs, running)) / this.size;
    return Math.min(60, Math.max(1, Math.ceil(waitMs / 1000)));
  }

  private settle(p: Pending, result: Buffer | Error): void {
    if (p.onAbort) p.signal?.removeEventListener("abort", p.onAbort);
    if (result instanceof Error) p.reject(result);
    else p.resolve(result);
  }

  /** The slot's request is over (answered, failed or abandoned): its timer stops. */
  private finish(slot: Slot): Pending | null {
    const p = slot.job;
    slot.job = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    return p;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.worker || !slot.ready || slot.job) continue;
      const p = this.queue.shift()!;
      slot.job = p;
      slot.since = performance.now();
      if (this.timeoutMs > 0) {
        const w = slot.worker;
        slot.timer = setTimeout(() => {
          if (slot.job !== p || slot.worker !== w) return;
          slot.timedOut = true;
          void w.terminate();
        }, this.timeoutMs);
      }
      // A body that owns its whole buffer is moved to the worker; a view into a larger one is copied.
      const bytes = p.job.kind === "body" ? p.job.bytes : null;
      const transfer =
        bytes?.buffer instanceof ArrayBuffer &&
        bytes.byteOffset === 0 &&
        bytes.byteLength === bytes.buffer.byteLength
          ? [bytes.buffer]
          : [];
      slot.worker.postMessage({ type: "job", id: p.id, job: p.job } satisfies ToAnalyzeWorker, transfer);
    }
  }

  private spawn(i: number): void {
    const slot = this.slots[i]!;
    const resourceLimits =
      this.heapMb > 0
        ? { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_MB }
        : undefined;
    const w = spawnModuleWorker(
      import.meta.url,
      "analyze-worker",
      { pipeline: this.pipeline } satisfies AnalyzeWorkerData,
      resourceLimits,
    );
    slot.worker = w;
    slot.ready = false;
    slot.failure = null;
    slot.timedOut = false;
    slot.exited = new Promise<void>((res) => w.once("exit", () => res()));
    let loaded = () => {};
    slot.loaded = new Promise<void>((res, rej) => {
      loaded = res;
      slot.loadFailed = rej;
    });
    // Awaited by start() only: nobody else needs to hear that a load failed (its requests get a 500).
    slot.loaded.catch(() => {});
    w.on("message", (m: FromAnalyzeWorker) => {
      if (m.type === "ready") {
        slot.ready = true;
        loaded();
        this.dispatch();
        return;
      }
      if (m.type === "fatal") {
        slot.failure = new Error(m.message);
        return;
      }
      const p = slot.job;
      if (!p || p.id !== m.id) return;
      this.finish(slot);
      if (m.type === "result") {
        this.meanMs += (m.ms - this.meanMs) * 0.2;
        this.settle(p, Buffer.from(m.json.buffer, m.json.byteOffset, m.json.byteLength));
      } else this.settle(p, m.status === 400 ? new UserError(m.message) : new Error(m.message));
      this.dispatch();
    });
    w.on("error", (err) => {
      slot.failure = err;
    });
    w.on("exit", (code) => {
      if (slot.worker !== w) return;
      slot.worker = null;
      const wasReady = slot.ready;
      slot.ready = false;
      if (this.closed) {
        slot.loadFailed(new HttpError(503, "the server is shutting down"));
        return;
      }
      const err = slot.failure;
      const oom = (err as { code?: string } | null)?.code === "ERR_WORKER_OUT_OF_MEMORY";
      const why = slot.timedOut
        ? `took longer than the time limit (${this.timeoutMs / 1000} s)`
        : oom
          ? `needs more memory than a worker's heap limit (${this.heapMb} MB)`
          : `stopped its worker (${err?.message ?? `exit code ${code}`})`;
      const p = this.finish(slot);
      if (p)
        this.settle(p, new HttpError(500, `analysis failed: this document ${why}; the worker was replaced`));
      if (wasReady) {
        // It died on one request: a fresh worker takes the queue over once it has loaded.
        this.restarts++;
        this.spawn(i);
        return;
      }
      // It never loaded the pipeline (missing models, a heap limit below what they need …): restarting would
      // fail the same way, so what waits fails now with the reason and the next request tries again.
      const cause = oom
        ? `ran out of memory (heap limit ${this.heapMb} MB)`
        : `stopped: ${err?.message ?? `exit code ${code}`}`;
      const reason = new HttpError(500, `cannot load the analysis pipeline in a worker: the worker ${cause}`);
      slot.loadFailed(reason);
      if (this.slots.some((s) => s.worker)) return;
      for (const p of this.queue.splice(0)) this.settle(p, reason);
    });
  }
}
