// Runs the CLI from source (no build needed) with the real process exit code: `node --import tsx test/run-cli.ts …`.
import { main } from "../src/cli/main.js";

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`claimscope: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
