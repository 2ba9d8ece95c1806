// `claimscope serve`: the HTTP API and web UI (src/server) on a local port.
import type { Command } from "commander";
import { buildServer } from "../../server/app.js";
import { DEFAULT_MAX_BYTES } from "../../ingest/index.js";
import { defaultDbPath } from "../../store/db.js";
import { UserError } from "../../util/errors.js";

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve the HTTP API (POST /api/analyze, stories, search, fact-checks) and the web UI")
    .option("--port <n>", "port to listen on", "8080")
    .option("--host <host>", "address to bind (use 0.0.0.0 to expose it beyond this machine)", "127.0.0.1")
    .option("--db <path>", "store: fact-check memory and corpus", defaultDbPath())
    .option("--max-bytes <n>", "largest request body", String(DEFAULT_MAX_BYTES))
    .option("--log", "log each request (JSON lines)", false)
    .action(async (opts: { port: string; host: string; db: string; maxBytes: string; log: boolean }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UserError(`--port must be an integer 0–65535, not "${opts.port}"`);
      const maxBytes = Number(opts.maxBytes);
      if (!Number.isInteger(maxBytes) || maxBytes <= 0)
        throw new UserError(`--max-bytes must be a positive integer, not "${opts.maxBytes}"`);
      const app = await buildServer({ db: opts.db, maxBytes, logger: opts.log });
      try {
        await app.listen({ port, host: opts.host });
      } catch (e) {
        throw new UserError(`cannot listen on ${opts.host}:${port}: ${(e as Error).message}`);
      }
      const addr = app.server.address();
      const where = typeof addr === "object" && addr ? `http://${opts.host}:${addr.port}/` : String(addr);
      process.stderr.write(`claimscope: serving ${where} (Ctrl-C to stop)\n`);
      const stop = () => void app.close().then(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      await new Promise<never>(() => {});
    });
}
