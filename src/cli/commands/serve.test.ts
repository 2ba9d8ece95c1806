import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..", "..");

describe("serve on a port that is taken", () => {
  it("says so in one line and exits (its analysis workers stopped)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "claimscope-serve-"));
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", () => r()));
    const port = (taken.address() as AddressInfo).port;
    try {
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          join(ROOT, "test", "run-cli.ts"),
          "serve",
          "--port",
          String(port),
          "--workers",
          "1",
        ].concat(["--db", join(dir, "store.db")]),
        { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
      );
      let err = "";
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      // Before the fix the process printed the message and then never exited.
      const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
      expect(code).toBe(2);
      expect(err.trim().split("\n")).toEqual([
        expect.stringMatching(
          new RegExp(`^claimscope: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`),
        ),
      ]);
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
