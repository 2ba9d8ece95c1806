// safeFetch's deadline: a --timeout longer than setTimeout can hold (2^31 - 1 ms, ~24.8 days) is that long, not
// 1 ms (Node fires an overflowing timer at once, so every fetch "timed out after 3000000000 ms").
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { safeFetch } from "./fetch.js";

describe("safeFetch deadline", () => {
  let server: Server;
  let base = "";
  beforeAll(async () => {
    server = createServer((_req, res) => {
      // Answers after a moment, so a timer firing at once would win.
      setTimeout(() => {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("The minister said taxes rose.");
      }, 30);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("a very long timeout does not fire at once", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const res = await safeFetch(`${base}/a`, { maxBytes: 1000, allowPrivate: true, timeoutMs: 3e9 });
      expect(res.status).toBe(200);
      expect(res.body?.toString()).toBe("The minister said taxes rose.");
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("TimeoutOverflowWarning");
  });

  it("a short one still stops the fetch", async () => {
    await expect(
      safeFetch(`${base}/b`, { maxBytes: 1000, allowPrivate: true, timeoutMs: 5 }),
    ).rejects.toThrow(/timed out after 5 ms/);
  });
});
