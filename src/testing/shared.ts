// Tests that need ../shared (examples or research data) skip with a message on a fresh clone,
// and fail when CI=true and ../shared is missing.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "vitest";
import { sharedDir } from "../util/paths.js";

export function sharedPath(...parts: string[]): string {
  return join(sharedDir(), ...parts);
}

/** describe() that runs only when every listed path under ../shared exists. */
export function describeShared(name: string, paths: string[], body: () => void): void {
  const missing = paths.filter((p) => !existsSync(sharedPath(p)));
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  if (process.env.CI === "true") {
    describe(name, () => {
      it(`needs ../shared/${missing.join(", ../shared/")}`, () => {
        throw new Error(`CI=true but ${missing.map((p) => sharedPath(p)).join(", ")} is missing`);
      });
    });
    return;
  }
  // The body is not collected: it may read the missing files at collection time.
  describe.skip(`${name} (skipped: ../shared/${missing[0]} not found)`, () => {
    it.skip(`needs ../shared/${missing.join(", ../shared/")}`, () => {});
  });
  process.stderr.write(`[claimscope tests] skipping "${name}": ${sharedPath(missing[0]!)} not found\n`);
}
