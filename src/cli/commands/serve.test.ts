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

describe("serve on a loopback address", () => {
  it("answers only requests addressed to a loopback name (DNS rebinding cannot read the corpus)", async () => {
    const { loopbackHosts } = await import("./serve.js");
    const { buildServer } = await import("../../server/app.js");
    expect(loopbackHosts("127.0.0.1")).toEqual(["localhost", "127.0.0.1", "[::1]"]);
    expect(loopbackHosts("::1")).toEqual(["localhost", "127.0.0.1", "[::1]"]);
    expect(loopbackHosts("127.0.0.2")).toEqual(["localhost", "127.0.0.1", "[::1]", "127.0.0.2"]);
    expect(loopbackHosts("0.0.0.0")).toBeUndefined();
    expect(loopbackHosts("192.168.1.20")).toBeUndefined();
    const app = await buildServer({ workers: 0, allowedHosts: loopbackHosts("127.0.0.1") });
    try {
      for (const host of ["localhost:8080", "127.0.0.1:8080", "[::1]:8080", "LOCALHOST"]) {
        const res = await app.inject({ method: "GET", url: "/api/health", headers: { host } });
        expect(res.statusCode, host).toBe(200);
      }
      for (const host of ["evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example:80"]) {
        const res = await app.inject({ method: "GET", url: "/api/health", headers: { host } });
        expect(res.statusCode, host).toBe(403);
        expect(res.json().error).toMatch(/^this server answers requests to localhost/);
      }
    } finally {
      await app.close();
    }
  });
});
