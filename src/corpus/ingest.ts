// Bulk ingest into the corpus store. The main thread reads inputs, recognises exact duplicates
// (content hash) and near-duplicates (MinHash + LSH) before any analysis, hands the rest to worker
// threads (each builds the pipeline once), and commits results strictly in input order, each
// article with its analysis, entities, claims, techniques and story membership in ONE transaction.
// An interrupted run loses nothing committed; re-running skips every stored source key.
import { existsSync, readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { getHeapStatistics } from "node:v8";
import type { Worker } from "node:worker_threads";
import type { DocInput } from "../doc/doc.js";
import { loadInputs } from "../ingest/index.js";
import { countRecords, isDatasetFile, readDataset } from "../ingest/datasets.js";
import type { PipelineOptions } from "../pipeline/pipeline.js";
import { CorpusStore } from "../store/corpus.js";
import { spawnModuleWorker } from "../util/worker.js";
import { LshIndex, minhash, signatureFromBytes, signatureToBytes } from "./minhash.js";
import { StoryClusterer, parseState, serializeCentroid } from "./stories.js";
import { contentHash, domainOf } from "./text.js";
import { regroupStories } from "./regroup.js";
import type { TermCounts } from "./features.js";
import type { AnalyzedRow } from "./row.js";
import type { FromWorker, ToWorker, WorkerMemory } from "./worker.js";

export interface IngestProgress {
  done: number;
  total: number;
  ingested: number;
  duplicates: number;
  nearDuplicates: number;
  skipped: number;
  failed: number;
  elapsedMs: number;
}

export interface CorpusIngestOptions {
  db: string;
  /** Worker threads (default: available cores). */
  workers?: number;
  /** Options for each worker's pipeline (stages …); `db` defaults to the store, for fact-check matching. */
  pipeline?: PipelineOptions;
  /** Minimum estimated Jaccard of word 5-shingles for a near-duplicate (default 0.8). */
  nearThreshold?: number;
  /** Story clustering threshold (default DEFAULT_THRESHOLD). */
  storyThreshold?: number;
  /** Refuse documents larger than this many characters (default 5,000,000). */
  maxChars?: number;
  onProgress?: (p: IngestProgress) => void;
  /**
   * V8 old-generation limit of each worker thread in MB (default DEFAULT_WORKER_HEAP_MB; 0 = V8's own).
   * A document needing more fails with a clear reason; the others go on in a fresh worker.
   */
  workerHeapMb?: number;
  /** Regroup claims of changed multi-article stories at the end (default true; the rest are grouped when shown). */
  regroup?: boolean;
}

export interface IngestSummary {
  ingested: number;
  duplicates: number;
  nearDuplicates: number;
  skipped: number;
  failed: number;
  /** The first MAX_FAILURE_DETAILS failures with their keys. */
  failures: { key: string; reason: string }[];
  /** Every failure counted by reason (numbers masked). */
  failureReasons: Record<string, number>;
  /**
   * Documents whose text holds U+FFFD, i.e. bytes that were not valid in their encoding (often a Windows-1252
   * file read as UTF-8): counted, with the first 10 keys, so nobody quotes the mangled text unawares.
   */
  undecodable: { articles: number; keys: string[] };
  stories: number;
  storiesRegrouped: number;
  seconds: number;
  analyzeSeconds: number;
  regroupSeconds: number;
  articlesPerSecond: number;
  maxRssMb: number;
  workers: number;
  /** Main-thread time: reading + hashing + MinHash/LSH before dispatch, and committing (seconds). */
  mainThread: { dispatchSeconds: number; commitSeconds: number };
  /** Sum over articles of the worker's analysis time (seconds of worker CPU). */
  workerSeconds: number;
  /**
   * Where the memory is (MB): the main thread's largest committed V8 heap, and each worker's heap after
   * its models loaded and at its largest. `maxRssMb` is the whole process (all threads, native memory).
   */
  memory: { mainPeakHeapMb: number; workerHeapLimitMb: number | null; workers: WorkerMemory[] };
}

interface Item {
  sourceKey: string;
  input?: DocInput;
  error?: string;
}

type Outcome =
  | {
      kind: "article";
      item: Item & { input: DocInput };
      hash: string;
      sig: Uint32Array;
      row: AnalyzedRow;
      terms: TermCounts;
    }
  | { kind: "dup"; item: Item & { input: DocInput }; of: number; exact: boolean; similarity: number }
  | { kind: "failed"; item: Item; reason: string; hash?: string; lshKey?: number };

const MAX_FAILURE_DETAILS = 200;
/** Most outcomes committed in one transaction. */
const BATCH = 32;
/**
 * Default V8 old-generation limit of a worker thread (MB). The models take ~60 MB of heap; the largest
 * FakeNewsNet documents (100,000 characters) were analyzed within 64 MB, so a limit well above that leaves
 * room while V8 can no longer let dead objects pile up to 200+ MB per worker before collecting them. 128 MB
 * was enough until the word-class features (round 4) grew the per-word caches: two FakeNewsNet articles
 * then ran a worker out of heap, so the limit is 160 MB (peak RSS of the whole 2-worker ingest stays < 1 GB).
 */
export const DEFAULT_WORKER_HEAP_MB = 160;
/** Young generation of a worker (MB): most of what an analysis allocates dies young. */
const WORKER_YOUNG_MB = 16;
/** Out-of-memory worker replacements before the ingest gives up (something is wrong, not one document). */
const MAX_RESTARTS = 20;
/** Uncommitted outcomes allowed per in-flight slot (bounds what waits behind a slow document). */
const WINDOW_PER_SLOT = 4;

/**
 * How to start a worker: the compiled worker.js beside this file, or (under tsx/vitest) the .ts source
 * through tsx's loader, registered inside the worker before it imports the source.
 */
function spawnWorker(workerData: unknown, heapLimitMb: number): Worker {
  const resourceLimits =
    heapLimitMb > 0
      ? { maxOldGenerationSizeMb: heapLimitMb, maxYoungGenerationSizeMb: WORKER_YOUNG_MB }
      : undefined;
  return spawnModuleWorker(import.meta.url, "worker", workerData, resourceLimits);
}

/** The store's own files (the database and SQLite's companions): never inputs, even in a directory ingested. */
export function storeFiles(db: string): Set<string> {
  const p = resolve(db);
  return new Set([p, `${p}-wal`, `${p}-shm`, `${p}-journal`]);
}

/** Every input of every target, in a deterministic order (`exclude`: resolved paths passed over). */
export async function* enumerateInputs(
  targets: string[],
  exclude: ReadonlySet<string> = new Set(),
): AsyncGenerator<Item> {
  for (const target of targets) {
    if (/^https?:\/\//i.test(target)) {
      yield* fromLoader(target, target);
      continue;
    }
    if (!existsSync(target)) {
      yield { sourceKey: resolve(target), error: "no such file or directory" };
      continue;
    }
    if (statSync(target).isDirectory()) {
      for (const f of walk(target, exclude)) yield* fromFile(f);
    } else yield* fromFile(target);
  }
}

async function* fromFile(path: string): AsyncGenerator<Item> {
  if (isDatasetFile(path)) {
    try {
      for await (const r of readDataset(path)) yield r;
    } catch (err) {
      yield { sourceKey: resolve(path), error: err instanceof Error ? err.message : String(err) };
    }
    return;
  }
  yield* fromLoader(path, resolve(path));
}

async function* fromLoader(target: string, key: string): AsyncGenerator<Item> {
  let n = 0;
  try {
    for await (const input of loadInputs(target)) {
      n++;
      // A feed or page yields documents with URLs; a plain file yields one document.
      const k = input.url && input.url !== target ? input.url : n === 1 ? key : `${key}#${n}`;
      yield { sourceKey: k, input };
    }
  } catch (err) {
    yield { sourceKey: key, error: err instanceof Error ? err.message : String(err) };
  }
}

function walk(dir: string, exclude: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    // Hidden files and repository paperwork are not articles.
    if (
      name.startsWith(".") ||
      /^(?:readme|license|licence|changelog|copying|notice)(?:\.[a-z]+)?$/i.test(name)
    )
      continue;
    const p = join(dir, name);
    if (exclude.has(resolve(p))) continue;
    if (statSync(p).isDirectory()) out.push(...walk(p, exclude));
    else out.push(p);
  }
  return out;
}

/** Best-effort count of inputs for the progress total. */
export function estimateTotal(targets: string[], exclude: ReadonlySet<string> = new Set()): number {
  let total = 0;
  const count = (p: string) => {
    total += isDatasetFile(p) ? countRecords(p) : 1;
  };
  for (const t of targets) {
    if (/^https?:\/\//i.test(t) || !existsSync(t)) total++;
    else if (statSync(t).isDirectory()) walk(t, exclude).forEach(count);
    else count(t);
  }
  return total;
}

export async function ingestCorpus(targets: string[], opts: CorpusIngestOptions): Promise<IngestSummary> {
  const t0 = performance.now();
  const store = await CorpusStore.open(opts.db);
  const nearThreshold = opts.nearThreshold ?? 0.8;
  const maxChars = opts.maxChars ?? 5_000_000;
  const summary: IngestSummary = {
    ingested: 0,
    duplicates: 0,
    nearDuplicates: 0,
    skipped: 0,
    failed: 0,
    failures: [],
    failureReasons: {},
    undecodable: { articles: 0, keys: [] },
    stories: 0,
    storiesRegrouped: 0,
    seconds: 0,
    analyzeSeconds: 0,
    regroupSeconds: 0,
    articlesPerSecond: 0,
    maxRssMb: 0,
    workers: 0,
    mainThread: { dispatchSeconds: 0, commitSeconds: 0 },
    workerSeconds: 0,
    memory: { mainPeakHeapMb: 0, workerHeapLimitMb: null, workers: [] },
  };
  let mainPeakHeap = 0;
  let dispatchMs = 0;
  let commitMs = 0;
  let workerMs = 0;
  const fail = (key: string, reason: string) => {
    summary.failed++;
    const k = reason.replace(/\d+/g, "N").slice(0, 80);
    summary.failureReasons[k] = (summary.failureReasons[k] ?? 0) + 1;
    if (summary.failures.length < MAX_FAILURE_DETAILS) summary.failures.push({ key, reason });
  };

  // ---- state from the store --------------------------------------------------------------------
  const done = await store.doneKeys();
  // content hash -> article id (>0) or pending key (<0, -(seq+1))
  const hashes = new Map<string, number>();
  const lsh = new LshIndex<number>();
  for (const r of await store.dedupState()) {
    hashes.set(r.content_hash, r.id);
    lsh.add(r.id, signatureFromBytes(r.minhash));
  }
  const clusterer = new StoryClusterer({ threshold: opts.storyThreshold });
  {
    const st = await store.clusterState();
    for (const a of st.articles) clusterer.observe(JSON.parse(a.features) as Record<string, number>);
    for (const s of st.stories) {
      clusterer.restore({
        id: s.id,
        title: s.title,
        first: s.first,
        last: s.last,
        n: s.n_articles,
        ...parseState(s.state),
      });
    }
  }
  const resolved = new Map<number, number>(); // pending key -> article id
  const failedPending = new Map<number, string>();

  // ---- workers ---------------------------------------------------------------------------------
  const nWorkers = Math.max(1, opts.workers ?? availableParallelism());
  summary.workers = nWorkers;
  const pipelineOptions: PipelineOptions = { db: opts.db, ...opts.pipeline };
  const workers: {
    w: Worker;
    /** Resolves when the current worker has exited (whatever the reason). */
    exited: Promise<void>;
    busy: number;
    rssKb: number;
    memory: WorkerMemory | null;
  }[] = [];
  const jobs = new Map<number, Item & { input: DocInput; hash: string; sig: Uint32Array; worker: number }>();
  const ready = new Map<number, Outcome>();
  let nextSeq = 0;
  let seq = 0;
  let wake: (() => void) | null = null;
  let fatal: Error | null = null;
  let stopping = false;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  // Workers start on the first document that needs analysis (a re-run that skips everything starts none).
  // Each runs under a V8 heap limit: a document that would need more fails alone (its worker is replaced
  // and the documents queued behind it go to the new one) instead of growing the process without bound.
  const heapLimitMb = opts.workerHeapMb ?? DEFAULT_WORKER_HEAP_MB;
  summary.memory.workerHeapLimitMb = heapLimitMb > 0 ? heapLimitMb : null;
  let restarts = 0;
  const startSlot = (i: number): Promise<void> =>
    new Promise<void>((res, rej) => {
      const w = spawnWorker({ pipeline: pipelineOptions }, heapLimitMb);
      const exited = new Promise<void>((r) => w.once("exit", () => r()));
      const slot = workers[i] ?? { w, exited, busy: 0, rssKb: 0, memory: null };
      slot.w = w;
      slot.exited = exited;
      workers[i] = slot;
      let isReady = false;
      w.on("message", (m: FromWorker) => {
        if (m.type === "ready") {
          isReady = true;
          slot.memory = m.memory;
          return res();
        }
        if (m.type === "fatal") {
          fatal = new Error(`worker ${i}: ${m.message}`);
          rej(fatal);
          return;
        }
        if (m.type === "stopped") {
          slot.rssKb = m.maxRssKb;
          slot.memory = m.memory;
          return;
        }
        const job = jobs.get(m.seq);
        if (!job) return;
        jobs.delete(m.seq);
        slot.busy--;
        if (m.type === "result") {
          workerMs += m.ms;
          ready.set(m.seq, {
            kind: "article",
            item: job,
            hash: job.hash,
            sig: job.sig,
            row: m.row,
            terms: m.terms,
          });
        } else {
          ready.set(m.seq, {
            kind: "failed",
            item: job,
            reason: `analysis failed: ${m.message}`,
            hash: job.hash,
            lshKey: -(m.seq + 1),
          });
        }
        notify();
      });
      w.on("error", (err) => {
        if (slot.w !== w) return;
        if ((err as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY") {
          if (!isReady) {
            err = new Error(
              `worker ${i} ran out of memory loading the models (heap limit ${heapLimitMb} MB): raise it (--worker-heap-mb)`,
            );
          } else if (!stopping && restarts < MAX_RESTARTS) {
            replace(i, w);
            return;
          }
        }
        fatal = err;
        rej(err);
        notify();
      });
      w.on("exit", (code) => {
        if (code !== 0 && !fatal && !stopping && slot.w === w) {
          fatal = new Error(`worker ${i} exited with code ${code}`);
          notify();
        }
      });
    });
  // A worker ran out of heap: the document it was analyzing (its oldest) fails, the rest are re-sent.
  const replace = (i: number, dead: Worker) => {
    restarts++;
    const slot = workers[i]!;
    const mine = [...jobs.entries()].filter(([, j]) => j.worker === i).sort((x, y) => x[0] - y[0]);
    const [culprit, ...rest] = mine;
    if (culprit) {
      const [s, job] = culprit;
      jobs.delete(s);
      ready.set(s, {
        kind: "failed",
        item: job,
        reason: `analysis ran out of memory (worker heap limit ${heapLimitMb} MB)`,
        hash: job.hash,
        lshKey: -(s + 1),
      });
    }
    void dead.terminate();
    slot.busy = rest.length;
    startSlot(i).catch((err: unknown) => {
      fatal ??= err instanceof Error ? err : new Error(String(err));
      notify();
    });
    // Messages wait in the new worker's port until it has loaded its pipeline.
    for (const [s, job] of rest)
      slot.w.postMessage({ type: "job", seq: s, input: job.input } satisfies ToWorker);
    notify();
  };
  let started: Promise<unknown> | null = null;
  const startWorkers = () =>
    (started ??= Promise.all(Array.from({ length: nWorkers }, (_, i) => startSlot(i))));

  const total = opts.onProgress ? estimateTotal(targets, storeFiles(opts.db)) : 0;
  let processed = 0;
  let lastProgress = 0;
  const progress = (force = false) => {
    if (!opts.onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgress < 200) return;
    lastProgress = now;
    opts.onProgress({
      done: processed,
      total: Math.max(total, processed),
      ingested: summary.ingested,
      duplicates: summary.duplicates,
      nearDuplicates: summary.nearDuplicates,
      skipped: summary.skipped,
      failed: summary.failed,
      elapsedMs: now - t0,
    });
  };

  // ---- committing, strictly in input order -------------------------------------------------------
  let draining: Promise<void> = Promise.resolve();
  // Consecutive ready outcomes are committed together (group commit): each article still lands with
  // its whole analysis in one transaction, and a kill loses at most the batch being written.
  const drain = async () => {
    while (ready.has(nextSeq)) {
      const tc = performance.now();
      const batch: { seq: number; o: Outcome }[] = [];
      while (ready.has(nextSeq) && batch.length < BATCH) {
        batch.push({ seq: nextSeq, o: ready.get(nextSeq)! });
        ready.delete(nextSeq);
        nextSeq++;
      }
      const after: (() => void)[] = [];
      await store.transaction(async (w) => {
        for (const { seq: sq, o } of batch) {
          const pendingKey = -(sq + 1);
          if (o.kind === "article") {
            const row = {
              ...o.row,
              sourceKey: o.item.sourceKey,
              contentHash: o.hash,
              minhash: signatureToBytes(o.sig),
            };
            clusterer.observe(o.terms);
            const vec = clusterer.vector(o.terms);
            // The same-site rule needs a known site ("unknown" is no site).
            const site = row.source === "unknown" ? null : row.source;
            const asg = clusterer.assign(vec, row.published, site);
            let storyWrite;
            if (asg.storyId !== null) {
              const st = clusterer.join(asg.storyId, vec, row.published, site);
              storyWrite = {
                id: st.id,
                title: st.title,
                first: st.first,
                last: st.last,
                nArticles: st.n,
                state: serializeCentroid(st),
                similarity: asg.similarity,
              };
            } else {
              const title = row.title || o.row.head;
              storyWrite = {
                id: null,
                title,
                first: row.published,
                last: row.published,
                nArticles: 1,
                state: serializeCentroid({ centroid: vec, sources: new Set(site ? [site] : []) }),
                similarity: 1,
              };
            }
            const { articleId, storyId } = await w.article(row, storyWrite);
            if (asg.storyId === null) clusterer.open(storyId, storyWrite.title, vec, row.published, site);
            resolved.set(pendingKey, articleId);
            after.push(() => {
              hashes.set(o.hash, articleId);
              lsh.remove(pendingKey);
              lsh.add(articleId, o.sig);
              done.add(o.item.sourceKey);
              summary.ingested++;
            });
          } else if (o.kind === "dup") {
            const target = o.of > 0 ? o.of : resolved.get(o.of);
            if (target === undefined) {
              const why = failedPending.get(o.of) ?? "unknown reason";
              after.push(() => fail(o.item.sourceKey, `duplicate of an article that failed (${why})`));
            } else {
              const inp = o.item.input;
              await w.duplicate({
                sourceKey: o.item.sourceKey,
                articleId: target,
                kind: o.exact ? "exact" : "near",
                similarity: o.similarity,
                title: inp.title ?? "",
                url: inp.url ?? null,
                source: domainOf(inp.url) ?? inp.source ?? "unknown",
                published: inp.published ?? null,
              });
              after.push(() => {
                done.add(o.item.sourceKey);
                if (o.exact) summary.duplicates++;
                else summary.nearDuplicates++;
              });
            }
          } else {
            if (o.lshKey !== undefined) {
              lsh.remove(o.lshKey);
              failedPending.set(o.lshKey, o.reason);
              if (o.hash && hashes.get(o.hash) === o.lshKey) hashes.delete(o.hash);
            }
            after.push(() => fail(o.item.sourceKey, o.reason));
          }
        }
      });
      for (const f of after) f();
      const heap = getHeapStatistics().total_heap_size;
      if (heap > mainPeakHeap) mainPeakHeap = heap;
      processed += batch.length;
      commitMs += performance.now() - tc;
      progress();
    }
  };
  const kick = () => {
    draining = draining.then(drain);
    return draining;
  };

  const inflightLimit = nWorkers * 4;
  const maxPending = inflightLimit * WINDOW_PER_SLOT;
  // Back-pressure: at most `limit` documents at the workers and WINDOW outcomes not yet committed (results
  // that finished behind a slow document wait in order; the reader stops until they are written).
  const waitForSlot = async (limit: number) => {
    for (;;) {
      if (fatal) throw fatal;
      await kick();
      if (jobs.size < limit && seq - nextSeq < maxPending) return;
      await new Promise<void>((r) => (wake = r));
    }
  };

  // ---- reading and dispatching -----------------------------------------------------------------
  const seenThisRun = new Set<string>();
  let rr = 0;
  try {
    for await (const item of enumerateInputs(targets, storeFiles(opts.db))) {
      if (fatal) throw fatal;
      if (seq - nextSeq >= maxPending) await waitForSlot(Infinity);
      if (done.has(item.sourceKey) || seenThisRun.has(item.sourceKey)) {
        summary.skipped++;
        processed++;
        progress();
        continue;
      }
      seenThisRun.add(item.sourceKey);
      const s = seq++;
      if (item.error || !item.input) {
        ready.set(s, { kind: "failed", item, reason: item.error ?? "no document" });
        continue;
      }
      const input = item.input;
      const text = input.text ?? "";
      if (!text.trim()) {
        ready.set(s, { kind: "failed", item, reason: "empty text" });
        continue;
      }
      if (text.length > maxChars) {
        ready.set(s, { kind: "failed", item, reason: `larger than ${maxChars} characters` });
        continue;
      }
      if (text.includes("\uFFFD") && summary.undecodable.articles++ < 10)
        summary.undecodable.keys.push(item.sourceKey);
      const withInput = item as Item & { input: DocInput };
      const td = performance.now();
      const hash = contentHash(input.title ?? "", text);
      const exact = hashes.get(hash);
      if (exact !== undefined) {
        ready.set(s, { kind: "dup", item: withInput, of: exact, exact: true, similarity: 1 });
        continue;
      }
      const sig = minhash(`${input.title ?? ""}\n${text}`);
      const near = lsh.best(sig, nearThreshold);
      if (near) {
        ready.set(s, {
          kind: "dup",
          item: withInput,
          of: near.key,
          exact: false,
          similarity: near.similarity,
        });
        continue;
      }
      hashes.set(hash, -(s + 1));
      lsh.add(-(s + 1), sig);
      dispatchMs += performance.now() - td;
      await startWorkers();
      await waitForSlot(inflightLimit);
      // Least busy worker, round-robin among equals.
      let wi = rr++ % nWorkers;
      for (let k = 0; k < nWorkers; k++) if (workers[k]!.busy < workers[wi]!.busy) wi = k;
      workers[wi]!.busy++;
      jobs.set(s, { ...withInput, hash, sig, worker: wi });
      workers[wi]!.w.postMessage({ type: "job", seq: s, input } satisfies ToWorker);
    }
    await waitForSlot(1);
    while (nextSeq < seq) {
      if (fatal) throw fatal;
      await kick();
      if (nextSeq < seq) await new Promise<void>((r) => (wake = r));
    }
  } finally {
    stopping = true;
    await Promise.all(
      workers.map(
        (slot) =>
          new Promise<void>((res) => {
            // A worker that already died (fatal error, out of memory) has exited: no waiting on it.
            void slot.exited.then(res);
            slot.w.postMessage({ type: "stop" } satisfies ToWorker);
            setTimeout(() => void slot.w.terminate(), 2000).unref();
          }),
      ),
    );
  }
  progress(true);
  const tAnalyzed = performance.now();
  summary.analyzeSeconds = (tAnalyzed - t0) / 1000;
  if (opts.regroup !== false) summary.storiesRegrouped = await regroupStories(store, 2);
  summary.regroupSeconds = (performance.now() - tAnalyzed) / 1000;
  summary.stories = (await store.counts()).stories;
  await store.close();
  summary.seconds = (performance.now() - t0) / 1000;
  summary.articlesPerSecond = summary.ingested / Math.max(1e-9, summary.analyzeSeconds);
  summary.maxRssMb = Math.round(
    Math.max(process.resourceUsage().maxRSS, ...workers.map((w) => w.rssKb)) / 1024,
  );
  summary.seconds = Math.round(summary.seconds * 100) / 100;
  summary.analyzeSeconds = Math.round(summary.analyzeSeconds * 100) / 100;
  summary.regroupSeconds = Math.round(summary.regroupSeconds * 100) / 100;
  summary.articlesPerSecond = Math.round(summary.articlesPerSecond * 10) / 10;
  summary.mainThread = {
    dispatchSeconds: Math.round(dispatchMs) / 1000,
    commitSeconds: Math.round(commitMs) / 1000,
  };
  summary.workerSeconds = Math.round(workerMs) / 1000;
  summary.memory.mainPeakHeapMb = Math.round(mainPeakHeap / 1024 / 1024);
  summary.memory.workers = workers.flatMap((w) => (w.memory ? [w.memory] : []));
  return summary;
}
