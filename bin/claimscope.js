#!/usr/bin/env node
// Thin launcher: the CLI lives in src/cli (compiled to dist by `npm install`'s prepare step).
import { main } from "../dist/src/cli/main.js";

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // Last line of defence: one clear line, never a stack trace.
    process.stderr.write(`claimscope: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
