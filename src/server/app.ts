// The HTTP shell: the same analysis@1 JSON as the CLI, plus the corpus views and the web UI. No analysis logic
// lives here; every route calls the library (pipeline, corpus views, fact-check memory) and returns its result.
import { existsSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from "fastify";
import { z } from "zod";
import { loadFactCheckMemory } from "../analyzers/factchecks/memory.js";
import { listStories, search, storyDetail } from "../corpus/views.js";
import { Doc, type DocInput } from "../doc/doc.js";
import { DEFAULT_MAX_BYTES, fromBuffer } from "../ingest/index.js";
import { createPipeline, STAGE_NAMES, type Pipeline } from "../pipeline/pipeline.js";
import { toAnalysis } from "../pipeline/output.js";
import { Analysis, SCHEMA_ID } from "../schema/analysis.js";
import { CorpusStore } from "../store/corpus.js";
import { UserError } from "../util/errors.js";
import { packageRoot } from "../util/paths.js";

export interface ServerOptions {
  /** SQLite store: the fact-check memory claims are matched against, and the corpus the story routes read. */
  db?: string;
  /** Largest request body, in bytes (default: the CLI's --max-bytes default). */
  maxBytes?: number;
  /** Directory of the web UI's static files (default: web/ of the package). */
  webDir?: string;
  /** Log requests (pino, JSON lines on stdout). */
  logger?: boolean;
}

/** One article to analyze: plain text (title apart) or an HTML page to extract it from. */
export const AnalyzeRequest = z
  .object({
    text: z.string().optional(),
    html: z.string().optional(),
    title: z.string().optional(),
    url: z.string().optional(),
    source: z.string().optional(),
    published: z.string().optional(),
    id: z.string().optional(),
  })
  .strict()
  .refine((r) => (r.text ?? r.html ?? "").trim().length > 0, { message: "give `text` or `html`" });
export type AnalyzeRequest = z.infer<typeof AnalyzeRequest>;

const STATIC_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/** A client mistake: answered with its status and one line, never a stack trace. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new HttpError(400, `${name} must be a positive integer`);
  return n;
}

export async function buildServer(opts: ServerOptions = {}): Promise<FastifyInstance> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const webDir = opts.webDir ?? join(packageRoot(), "web");
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: maxBytes });
  // Raw article bodies: an HTML page or plain text, as `claimscope analyze -` would read them.
  app.addContentTypeParser(
    ["text/html", "application/xhtml+xml"],
    { parseAs: "buffer" },
    (_req, body, done) => done(null, body),
  );
  app.removeContentTypeParser("text/plain");
  app.addContentTypeParser("text/plain", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

  // Loaded once, on the first analysis: model loading takes a second or two.
  let pipeline: Promise<Pipeline> | null = null;
  const getPipeline = () => (pipeline ??= createPipeline({ db: opts.db }));

  let corpus: Promise<CorpusStore> | null = null;
  const getCorpus = async (): Promise<CorpusStore> => {
    if (!opts.db || !existsSync(opts.db))
      throw new HttpError(
        404,
        `no corpus store${opts.db ? ` at ${opts.db}` : ""} (run claimscope ingest first)`,
      );
    // Read-write like `claimscope story`: a story whose articles changed is regrouped when first shown.
    return (corpus ??= CorpusStore.open(opts.db));
  };
  app.addHook("onClose", async () => {
    if (corpus) await (await corpus).close();
  });

  app.setErrorHandler((err: FastifyError | Error, _req, reply: FastifyReply) => {
    const status =
      err instanceof HttpError
        ? err.status
        : err instanceof UserError
          ? 400
          : "statusCode" in err && typeof err.statusCode === "number" && err.statusCode < 500
            ? err.statusCode
            : 500;
    if (status >= 500) app.log.error(err);
    const message = status >= 500 ? `internal error: ${err.message}` : err.message;
    void reply.status(status).send({ error: message.split("\n")[0] });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: `no route ${req.method} ${req.url.split("?")[0]}` });
  });

  app.get("/api/health", async () => ({
    ok: true,
    schema: SCHEMA_ID,
    stages: STAGE_NAMES,
    db: opts.db ?? null,
  }));

  app.post("/api/analyze", async (req): Promise<Analysis> => {
    const ctype = String(req.headers["content-type"] ?? "").toLowerCase();
    let input: DocInput;
    if (Buffer.isBuffer(req.body)) {
      const q = req.query as { title?: string; url?: string };
      input = fromBuffer(new Uint8Array(req.body), { contentType: ctype, name: "request body", url: q.url });
      if (q.title && !input.title) input.title = q.title;
    } else {
      const parsed = AnalyzeRequest.safeParse(req.body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
        throw new HttpError(400, `bad request body: ${where}${issue.message}`);
      }
      const { html, text, url, ...meta } = parsed.data;
      // Title, id, source and date given with the request win over what the page says; the URL, as for a fetched
      // page, is the base unless the page names a canonical one.
      input =
        html === undefined
          ? { ...meta, ...(url !== undefined && { url }), text: text ?? "" }
          : { ...fromBuffer(Buffer.from(html), { contentType: "text/html", name: "html", url }), ...meta };
    }
    const p = await getPipeline();
    return toAnalysis(p.run(Doc.create(input)));
  });

  app.get("/api/factchecks", async (req) => {
    const q = req.query as { q?: string; limit?: string };
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
    const q = req.query as { minArticles?: string; limit?: string };
    const store = await getCorpus();
    return listStories(store, {
      minArticles: positiveInt(q.minArticles, "minArticles", 1),
      limit: positiveInt(q.limit, "limit", 50),
    });
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
    const q = req.query as { q?: string; what?: string; limit?: string; speaker?: string };
    if (!q.q?.trim()) throw new HttpError(400, "give the words to find as ?q=");
    const what = q.what ?? "all";
    if (what !== "articles" && what !== "claims" && what !== "all")
      throw new HttpError(400, "what must be articles, claims or all");
    return search(await getCorpus(), q.q, {
      what,
      limit: positiveInt(q.limit, "limit", 20),
      ...(q.speaker ? { speaker: q.speaker } : {}),
    });
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
