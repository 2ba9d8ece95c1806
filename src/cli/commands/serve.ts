// `claimscope serve`: the HTTP API and web UI (src/server) on a local port.
import type { Command } from "commander";
import { buildServer } from "../../server/app.js";
import {
  DEFAULT_MAX_QUEUE,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_WORKER_HEAP_MB,
  defaultWorkers,
} from "../../server/pool.js";
import { DEFAULT_MAX_BYTES } from "../../ingest/index.js";
import { defaultDbPath } from "../../store/db.js";
import { UserError } from "../../util/errors.js";
import { assertStoreFile } from "./options.js";

interface ServeOptions {
  port: string;
  host: string;
  db: string;
  maxBytes: string;
  log: boolean;
  workers: string;
  queue: string;
  workerHeapMb: string;
  timeout: string;
}

/**
 * The Host names a server bound to `host` answers: on a loopback address only the loopback names (a page from
 * elsewhere, its name rebound to 127.0.0.1, is refused), otherwise any (undefined).
 */
export function loopbackHosts(host: string): string[] | undefined {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  const loopback = h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
  if (!loopback) return undefined;
  return [...new Set(["localhost", "127.0.0.1", "[::1]", h.includes(":") ? `[${h}]` : h])];
}

function wholeNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw new UserError(`${flag} must be a whole number >= 0, not "${value}"`);
  return n;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve the HTTP API (POST /api/analyze, stories, search, fact-checks) and the web UI")
    .option("--port <n>", "port to listen on", "8080")
    .option("--host <host>", "address to bind (use 0.0.0.0 to expose it beyond this machine)", "127.0.0.1")
    .option(
      "--db <path>",
      "store: fact-check memory and corpus (a file; a postgres:// URL holds the fact-check memory only)",
      defaultDbPath(),
    )
    .option("--max-bytes <n>", "largest request body", String(DEFAULT_MAX_BYTES))
    .option("--log", "log each request (JSON lines)", false)
    .option(
      "--workers <n>",
      "analysis worker threads (0 = analyze in the server's own thread, blocking other requests meanwhile)",
      String(defaultWorkers()),
    )
    .option(
      "--queue <n>",
      "requests that may wait for a busy worker; beyond that: 503",
      String(DEFAULT_MAX_QUEUE),
    )
    .option(
      "--worker-heap-mb <n>",
      "V8 heap limit of each worker in MB (0 = V8's default); a request needing more fails alone",
      String(DEFAULT_WORKER_HEAP_MB),
    )
    .option(
      "--timeout <seconds>",
      "longest one analysis may take in a worker; its worker is then replaced and the request fails (0 = no limit)",
      String(DEFAULT_TIMEOUT_MS / 1000),
    )
    .action(async (opts: ServeOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UserError(`--port must be an integer 0–65535, not "${opts.port}"`);
      const maxBytes = Number(opts.maxBytes);
      if (!Number.isInteger(maxBytes) || maxBytes <= 0)
        throw new UserError(`--max-bytes must be a positive integer, not "${opts.maxBytes}"`);
      const workers = wholeNumber(opts.workers, "--workers");
      const maxQueue = wholeNumber(opts.queue, "--queue");
      const workerHeapMb = wholeNumber(opts.workerHeapMb, "--worker-heap-mb");
      const timeout = Number(opts.timeout);
      if (!Number.isFinite(timeout) || timeout < 0)
        throw new UserError(`--timeout must be a number of seconds >= 0, not "${opts.timeout}"`);
      // The models load before the port opens: the first article does not wait for them, and a pipeline that
      // cannot load (missing models, too small a heap) stops the command with the reason.
      assertStoreFile(opts.db);
      const app = await buildServer({
        db: opts.db,
        maxBytes,
        logger: opts.log,
        workers,
        maxQueue,
        workerHeapMb,
        analysisTimeoutMs: timeout > 0 ? Math.max(1, Math.round(timeout * 1000)) : 0,
        warm: true,
        allowedHosts: loopbackHosts(opts.host),
      });
      try {
        await app.listen({ port, host: opts.host });
      } catch (e) {
        // The analysis workers already run: stop them, or the process would hang after the message.
        await app.close().catch(() => undefined);
        throw new UserError(`cannot listen on ${opts.host}:${port}: ${(e as Error).message}`);
      }
      const addr = app.server.address();
      const where = typeof addr === "object" && addr ? `http://${opts.host}:${addr.port}/` : String(addr);
      const analysis =
        workers > 0
          ? `${workers} analysis worker${workers > 1 ? "s" : ""}, queue ${maxQueue}`
          : "in-process analysis";
      process.stderr.write(`claimscope: serving ${where} with ${analysis} (Ctrl-C to stop)\n`);
      const stop = () => void app.close().then(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      await new Promise<never>(() => {});
    });
}
