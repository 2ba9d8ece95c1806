// The command-line shell: parses arguments and prints; no analysis logic lives here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { UserError } from "../util/errors.js";
import { packageRoot } from "../util/paths.js";
import { visible } from "./format/visible.js";
import { registerAnalyze } from "./commands/analyze.js";
import { registerTasks } from "./commands/tasks.js";
import { registerFactChecks } from "./commands/factchecks.js";
import { registerIngest } from "./commands/ingest.js";
import { registerStories } from "./commands/stories.js";
import { registerStory } from "./commands/story.js";
import { registerSources } from "./commands/sources.js";
import { registerSearch } from "./commands/search.js";
import { registerExport } from "./commands/export.js";
import { registerServe } from "./commands/serve.js";

let pipeGuarded = false;

/**
 * `claimscope … | head`: when the reader closes the pipe, stop quietly (as `cat` does) instead of dying
 * with an unhandled EPIPE stack trace; any other stdout error is one line.
 */
export function guardStdout(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    process.stderr.write(`claimscope: cannot write the output: ${err.message}\n`);
    process.exit(1);
  });
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string })
    .version;
}

export async function main(argv: string[]): Promise<number> {
  guardStdout();
  const program = new Command();
  program
    .name("claimscope")
    .description("Map the claims in news articles: who claims what, on what evidence, and how it is told.")
    .version(packageVersion(), "-V, --version", "print the claimscope version")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerAnalyze(program);
  registerTasks(program);
  registerFactChecks(program);
  registerIngest(program);
  registerStories(program);
  registerStory(program);
  registerSources(program);
  registerSearch(program);
  registerExport(program);
  registerServe(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof UserError) {
      process.stderr.write(`claimscope: ${visible(err.message)}\n`);
      return err.exitCode;
    }
    if (process.env.CLAIMSCOPE_DEBUG) throw err;
    process.stderr.write(`claimscope: ${visible(err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
}
