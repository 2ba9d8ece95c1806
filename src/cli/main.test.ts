import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

describe("CLI output into a pipe the reader closes (`claimscope … | head`)", () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-pipe-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // More output than a pipe buffer holds, so the CLI is still writing when the reader goes away.
  const para = "The mayor said the bridge over the river will close in May for repairs. ".repeat(40);
  for (let i = 0; i < 40; i++)
    writeFileSync(join(dir, `${String(i).padStart(2, "0")}.txt`), `Title ${i}\n\n${para}\n`);

  it("stops quietly: no stack trace, exit 0", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "test", "run-cli.ts"), "analyze", dir, "--stages", "entities"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    await new Promise<void>((r) => child.stdout.once("data", () => r()));
    child.stdout.destroy(); // the reader (head) has what it wanted
    const code = await new Promise<number | null>((r) => child.on("close", (c) => r(c)));
    expect(err).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  });
});

describe("claimscope --version", () => {
  it("prints the package version (for bug reports and for recording what produced an analysis)", async () => {
    const { runMain } = await import("../../test/capture-main.js");
    const { readFileSync } = await import("node:fs");
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) {
      const r = await runMain(flag);
      expect(r.code, flag).toBe(0);
      expect(r.stdout.trim()).toBe(pkg.version);
    }
  });
});
