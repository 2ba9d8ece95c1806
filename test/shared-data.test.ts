// Under CI the research data must be beside the repository: a missing ../shared is a failure, not a skip.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sharedDir } from "../src/util/paths.js";

describe("../shared", () => {
  it.runIf(process.env.CI === "true")("is present when CI=true", () => {
    expect(existsSync(join(sharedDir(), "data")), `${sharedDir()}/data`).toBe(true);
    expect(existsSync(join(sharedDir(), "examples")), `${sharedDir()}/examples`).toBe(true);
  });
});
