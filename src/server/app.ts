// The HTTP shell: the same analysis@1 JSON as the CLI, plus the corpus views and the web UI. No analysis logic
// lives here; every route calls the library (pipeline, corpus views, fact-check memory) and returns its result.
import { existsSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import { loadFactCheckMemory } from "../analyzers/factchecks/memory.js";
import { listStories, search, storyDetail } from "../corpus/views.js";
import { DEFAULT_MAX_BYTES } from "../ingest/index.js";
import { createPipeline, STAGE_NAMES, type Pipeline } from "../pipeline/pipeline.js";
import { type Analysis, SCHEMA_ID } from "../schema/analysis.js";
import { CORPUS_NEEDS_SQLITE, CorpusStore } from "../store/corpus.js";
import { displayLocation, isPostgresUrl } from "../store/db.js";
import { UserError } from "../util/errors.js";
import { packageRoot } from "../util/paths.js";
import { HttpError } from "./http-error.js";
import { AnalyzePool, defaultWorkers, type PoolStats } from "./pool.js";
import { AnalyzeRequest, analyzeJob, type AnalyzeJob } from "./request.js";

export { AnalyzeRequest } from "./request.js";

export interface ServerOptions {
  /** SQLite store: the fact-check memory claims are matched against, and the corpus the story routes read. */
  db?: string;
  /** Largest request body, in bytes (default: the CLI's --max-bytes default). */
  maxBytes?: number;
  /** Directory of the web UI's static files (default: web/ of the package). */
  webDir?: string;
  /** Log requests (pino, JSON lines on stdout). */
  logger?: boolean;
  /**
   * Analysis worker threads (default: defaultWorkers(), the cores but one, 1–4). 0 analyzes in the server's
   * own thread, which then answers nothing else while an article is analyzed.
   */
  workers?: number;
  /** Requests allowed to wait for a busy worker before the server answers 503 (default DEFAULT_MAX_QUEUE). */
  maxQueue?: number;
  /** Old-generation heap limit of each worker in MB (default DEFAULT_WORKER_HEAP_MB; 0 = V8's own). */
  workerHeapMb?: number;
  /** Longest one analysis may run in a worker, in ms (default DEFAULT_TIMEOUT_MS; 0 = no limit). */
  analysisTimeoutMs?: number;
  /**
   * Load the models now (every worker, or the in-process pipeline) and wait for them, rather than on the first
   * analysis: a pipeline that cannot load fails here.
   */
  warm?: boolean;
  /**
   * Host names (no port) requests may be addressed to; others get 403. A server on a loopback address sets
   * the loopback names, so that a web page the user visits cannot read the corpus through DNS rebinding (its
   * own name resolving to 127.0.0.1). Default: any.
   */
  allowedHosts?: readonly string[];
}

/** The host name of a Host header, without its port, lower-cased ("[::1]" keeps its brackets). */
export function hostName(header: string | undefined): string {
  const h = (header ?? "").trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  return h.split(":")[0]!;
}

const STATIC_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/**
 * One query parameter as a string (undefined when absent). Given twice, the parser makes it an array, which
 * would reach the analysis as document.id/url arrays or crash a route: a 400 instead.
 */
function param(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(v)) throw new HttpError(400, `${name} given more than once`);
  return v === undefined ? undefined : String(v);
}

/**
 * Every answer: the UI page runs only its own script (no inline script, no javascript: URL, no plugin), is
 * never framed, and no response is content-sniffed into something else (an article body sent back as HTML).
 */
const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new HttpError(400, `${name} must be a positive integer`);
  return n;
}

/** The analysis a request asks for (validated here; extraction and analysis run in a worker). */
function requestJob(req: FastifyRequest): AnalyzeJob {
  if (Buffer.isBuffer(req.body)) {
    const q = { title: param(req, "title"), url: param(req, "url") };
    return {
      kind: "body",
      // A copy the size of the body, moved (not copied again) to the worker.
      bytes: new Uint8Array(req.body),
      contentType: String(req.headers["content-type"] ?? "").toLowerCase(),
      ...(q.title !== undefined && { title: q.title }),
      ...(q.url !== undefined && { url: q.url }),
    };
  }
  const parsed = AnalyzeRequest.safeParse(req.body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    throw new HttpError(400, `bad request body: ${where}${issue.message}`);
  }
  return { kind: "json", request: parsed.data };
}

export async function buildServer(opts: ServerOptions = {}): Promise<FastifyInstance> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const webDir = opts.webDir ?? join(packageRoot(), "web");
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: maxBytes });
  // Raw article bodies: an HTML page or plain text, as `claimscope analyze -` would read them.
  app.addContentTypeParser(
    ["text/html", "application/xhtml+xml", "text/markdown", "text/x-markdown"],
    { parseAs: "buffer" },
    (_req, body, done) => done(null, body),
  );
  app.removeContentTypeParser("text/plain");
  app.addContentTypeParser("text/plain", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

  // Analysis runs in worker threads, each loading the models (a second or two) once, when the first article
  // arrives or (warm) now. With workers: 0 the pipeline is loaded here, on the first analysis.
  const workers = opts.workers ?? defaultWorkers();
  if (!Number.isInteger(workers) || workers < 0) throw new UserError("workers must be a whole number >= 0");
  const pool =
    workers > 0
      ? new AnalyzePool({
          size: workers,
          maxQueue: opts.maxQueue,
          heapMb: opts.workerHeapMb,
          timeoutMs: opts.analysisTimeoutMs,
          pipeline: { db: opts.db },
        })
      : null;
  let pipeline: Promise<Pipeline> | null = null;
  const getPipeline = () => (pipeline ??= createPipeline({ db: opts.db }));
  if (opts.warm) {
    try {
      await (pool ? pool.start() : getPipeline());
    } catch (err) {
      await pool?.close();
      throw new UserError((err as Error).message);
    }
  }
  const poolStats = (): PoolStats =>
    pool?.stats() ?? {
      size: 0,
      started: 0,
      ready: 0,
      busy: 0,
      queued: 0,
      maxQueue: 0,
      restarts: 0,
      rejected: 0,
    };

  let corpus: Promise<CorpusStore> | null = null;
  const getCorpus = async (): Promise<CorpusStore> => {
    if (opts.db && isPostgresUrl(opts.db)) throw new HttpError(404, CORPUS_NEEDS_SQLITE);
    if (!opts.db || !existsSync(opts.db))
      throw new HttpError(
        404,
        `no corpus store${opts.db ? ` at ${opts.db}` : ""} (run claimscope ingest first)`,
      );
    // Read-write like `claimscope story`: a story whose articles changed is regrouped when first shown.
    return (corpus ??= CorpusStore.open(opts.db));
  };
  app.addHook("onClose", async () => {
    await pool?.close();
    if (corpus) await (await corpus).close();
  });

  app.setErrorHandler((err: FastifyError | Error, req, reply: FastifyReply) => {
    const status =
      err instanceof HttpError
        ? err.status
        : err instanceof UserError
          ? 400
          : "statusCode" in err && typeof err.statusCode === "number" && err.statusCode < 500
            ? err.statusCode
            : 500;
    if (status >= 500 && status !== 503) app.log.error(err);
    const message =
      status === 415
        ? `unsupported content type "${String(req.headers["content-type"] ?? "")
            .split(";")[0]!
            .trim()}": ` +
          'send application/json ({"text": …} or {"html": …}), text/plain, text/markdown or text/html'
        : status >= 500 && !(err instanceof HttpError)
          ? `internal error: ${err.message}`
          : err.message;
    if (err instanceof HttpError) void reply.headers(err.headers);
    void reply.status(status).send({ error: message.split("\n")[0] });
  });
  const allowed = opts.allowedHosts ? new Set(opts.allowedHosts.map((h) => h.toLowerCase())) : null;
  app.addHook("onRequest", async (req, reply) => {
    void reply.headers(SECURITY_HEADERS);
    if (allowed && !allowed.has(hostName(req.headers.host)))
      throw new HttpError(403, `this server answers requests to ${[...allowed].join(", ")} only`);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: `no route ${req.method} ${req.url.split("?")[0]}` });
  });

  app.get("/api/health", async () => ({
    ok: true,
    schema: SCHEMA_ID,
    stages: STAGE_NAMES,
    db: opts.db ? displayLocation(opts.db) : null,
    pool: poolStats(),
  }));

  app.post("/api/analyze", async (req, reply): Promise<Analysis | FastifyReply> => {
    const job = requestJob(req);
    if (!pool) return analyzeJob(await getPipeline(), job);
    // A request still waiting for a worker when its client goes away is dropped from the queue.
    const gone = new AbortController();
    reply.raw.once("close", () => {
      if (!reply.raw.writableFinished) gone.abort();
    });
    const json = await pool.analyze(job, gone.signal);
    // The worker's analysis@1 JSON, sent as it is.
    return reply.type("application/json; charset=utf-8").send(json);
  });

  app.get("/api/factchecks", async (req) => {
    const q = { q: param(req, "q"), limit: param(req, "limit") };
    if (!q.q?.trim()) throw new HttpError(400, "give the claim as ?q=");
    const limit = positiveInt(q.limit, "limit", 10);
    const memory = opts.db ? await loadFactCheckMemory(opts.db) : null;
    if (!memory)
      throw new HttpError(404, "no fact-check memory (start the server with --db after `factchecks import`)");
    return {
      query: q.q,
      threshold: memory.matcher.model?.threshold ?? null,
      matches: memory.search(q.q, limit),
    };
  });

  app.get("/api/stories", async (req) => {
    const filters = {
      minArticles: positiveInt(param(req, "minArticles"), "minArticles", 1),
      limit: positiveInt(param(req, "limit"), "limit", 50),
    };
    return listStories(await getCorpus(), filters);
  });

  app.get("/api/stories/:id", async (req) => {
    const id = positiveInt((req.params as { id: string }).id, "story id", 0);
    const story = await storyDetail(await getCorpus(), id);
    if (!story) throw new HttpError(404, `no story ${id}`);
    return story;
  });

  app.get("/api/articles/:id", async (req, reply) => {
    const id = positiveInt((req.params as { id: string }).id, "article id", 0);
    const [row] = await (await getCorpus()).articlesByIds([id]);
    if (!row) throw new HttpError(404, `no article ${id}`);
    const json = typeof row.analysis === "string" ? row.analysis : Buffer.from(row.analysis).toString("utf8");
    // Stored as analysis@1 JSON text: sent as is.
    return reply.type("application/json; charset=utf-8").send(json);
  });

  app.get("/api/search", async (req) => {
    const q = { q: param(req, "q"), what: param(req, "what"), speaker: param(req, "speaker") };
    if (!q.q?.trim()) throw new HttpError(400, "give the words to find as ?q=");
    const what = q.what ?? "all";
    if (what !== "articles" && what !== "claims" && what !== "all")
      throw new HttpError(400, "what must be articles, claims or all");
    if (q.speaker && what === "articles")
      throw new HttpError(400, "speaker selects claims: it cannot go with what=articles");
    const limit = positiveInt(param(req, "limit"), "limit", 20);
    return search(await getCorpus(), q.q, { what, limit, ...(q.speaker ? { speaker: q.speaker } : {}) });
  });

  // The web UI: a few static files, no build step. Only files directly in webDir are served.
  const sendStatic = (file: string, reply: FastifyReply) => {
    const type = STATIC_TYPES[extname(file)];
    const path = join(webDir, file);
    if (!type || !/^[\w.-]+$/.test(file) || !existsSync(path)) throw new HttpError(404, `no file ${file}`);
    return reply.type(type).send(readFileSync(path));
  };
  app.get("/", async (_req, reply) => sendStatic("index.html", reply));
  app.get("/ui/:file", async (req, reply) => sendStatic((req.params as { file: string }).file, reply));

  return app;
}
