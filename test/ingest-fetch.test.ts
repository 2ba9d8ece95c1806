// URL and feed ingestion against a local HTTP server on 127.0.0.1 (allowed only with allowPrivate, or with a
// test address policy), plus the address classification that guards every fetch.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockedAddressReason, safeFetch } from "../src/ingest/fetch.js";
import { loadInputs, type IngestOptions } from "../src/ingest/index.js";
import type { DocInput } from "../src/doc/doc.js";
import { UserError } from "../src/util/errors.js";
import { packageRoot } from "../src/util/paths.js";

const ARTICLE = readFileSync(join(packageRoot(), "examples", "harbour-fire-report.html"));
const BRIDGE =
  "<html><head><title>Bridge closure extended</title></head><body><article><h1>Bridge closure extended</h1>" +
  "<p>The Old Mill bridge will stay closed until May because repairs to its foundations are taking longer than planned, the town's building office said on Tuesday.</p>" +
  "<p>Drivers should use the ring road, the office said.</p></article></body></html>";

let server: Server;
let base = "";
const hits: string[] = [];

function route(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? "/";
  hits.push(path);
  const send = (
    status: number,
    type: string,
    body: string | Buffer,
    extra: Record<string, string> = {},
  ): void => {
    res.writeHead(status, { "content-type": type, ...extra });
    res.end(body);
  };
  if (path === "/article") return send(200, "text/html; charset=utf-8", ARTICLE);
  if (path === "/bridge") return send(200, "text/html", BRIDGE);
  if (path === "/plain")
    return send(
      200,
      "text/plain",
      "Ferry fares rise\n\nThe ferry company raised fares by 5 percent, it said on Monday.",
    );
  if (path === "/gzip")
    return send(200, "text/plain", gzipSync("The harbour reopened on Friday, the port authority said."), {
      "content-encoding": "gzip",
    });
  if (path === "/redirect") return send(302, "text/plain", "", { location: "/article" });
  if (path === "/loop") return send(302, "text/plain", "", { location: "/loop" });
  if (path === "/to-other-host")
    return send(301, "text/plain", "", {
      location: `http://127.0.0.2:${(server.address() as AddressInfo).port}/article`,
    });
  if (path === "/to-ftp") return send(302, "text/plain", "", { location: "ftp://files.example/a.txt" });
  if (path === "/image") return send(200, "image/png", Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  if (path === "/big") return send(200, "text/plain", "a".repeat(5000), { "content-length": "5000" });
  if (path === "/big-chunked") {
    res.writeHead(200, { "content-type": "text/plain" });
    for (let i = 0; i < 10; i++) res.write("b".repeat(500));
    return void res.end();
  }
  if (path === "/slow") return; // never answers
  if (path === "/missing") return send(404, "text/plain", "not found");
  if (path === "/feed") {
    const rss = readFileSync(join(packageRoot(), "test", "fixtures", "feed.rss"), "utf8").replace(
      "ITEM_HOST",
      `127.0.0.1:${(server.address() as AddressInfo).port}`,
    );
    return send(200, "application/rss+xml", rss);
  }
  send(404, "text/plain", "no route");
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const local: IngestOptions = { allowPrivate: true, timeoutMs: 3000, maxBytes: 1_000_000 };
/** Allows 127.0.0.1 only, so that redirects to other loopback addresses and names can be tested. */
const onlyFirstLoopback = (ip: string): string | null =>
  ip === "127.0.0.1" ? null : (blockedAddressReason(ip) ?? "not allowed in this test");

async function collect(target: string, opts: IngestOptions = local): Promise<DocInput[]> {
  const out: DocInput[] = [];
  for await (const d of loadInputs(target, opts)) out.push(d);
  return out;
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).not.toContain("\n");
    return (e as Error).message;
  }
  throw new Error("expected a UserError");
}

describe("URL ingestion", () => {
  it("fetches an HTML page and extracts the article (allowPrivate)", async () => {
    const [d] = await collect(`${base}/article`);
    expect(d).toMatchObject({
      title: "Fire chief: cause of Northgate harbour blaze still unknown",
      source: "The Halden Courier",
    });
    expect(d!.url).toBe("https://courier.example/news/2024/03/northgate-harbour-fire-cause");
  });

  it("follows redirects and reports the final URL as id when there is no canonical link", async () => {
    const [d] = await collect(`${base}/redirect`);
    expect(d!.title).toBe("Fire chief: cause of Northgate harbour blaze still unknown");
    const [p] = await collect(`${base}/plain`);
    expect(p).toMatchObject({ title: "Ferry fares rise", id: `${base}/plain`, url: `${base}/plain` });
  });

  it("decompresses gzip bodies", async () => {
    const [d] = await collect(`${base}/gzip`);
    expect(d!.text).toBe("The harbour reopened on Friday, the port authority said.");
  });

  it("refuses loopback without allowPrivate, by IP and by name after DNS resolution", async () => {
    expect(await failure(collect(`${base}/article`, { timeoutMs: 3000 }))).toMatch(
      /^refusing to fetch http:\/\/127\.0\.0\.1:\d+\/article: 127\.0\.0\.1 is a loopback address/,
    );
    const port = (server.address() as AddressInfo).port;
    expect(await failure(collect(`http://localhost:${port}/article`, { timeoutMs: 3000 }))).toMatch(
      /refusing to fetch .*localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
    );
  });

  it("checks the address again on every redirect", async () => {
    const opts = {
      allowPrivate: false,
      timeoutMs: 3000,
      maxBytes: 1_000_000,
      addressPolicy: onlyFirstLoopback,
    };
    await expect(safeFetch(`${base}/plain`, opts)).resolves.toMatchObject({
      status: 200,
      mediaType: "text/plain",
    });
    expect(await failure(safeFetch(`${base}/to-other-host`, opts))).toMatch(
      /refusing to fetch http:\/\/127\.0\.0\.2:\d+\/article: 127\.0\.0\.2 is a/,
    );
    expect(await failure(safeFetch(`${base}/to-ftp`, opts))).toMatch(/unsupported URL scheme "ftp:"/);
  });

  it("caps redirects", async () => {
    expect(await failure(collect(`${base}/loop`))).toMatch(/too many redirects \(more than 5\)/);
  });

  it("enforces the size cap on declared and on streamed bodies", async () => {
    expect(await failure(collect(`${base}/big`, { ...local, maxBytes: 1000 }))).toMatch(
      /is 5\.0 KB, over the size cap of 1000 bytes/,
    );
    expect(await failure(collect(`${base}/big-chunked`, { ...local, maxBytes: 1000 }))).toMatch(
      /is larger than the size cap of 1000 bytes/,
    );
  });

  it("refuses a binary content type, HTTP errors, timeouts, refused connections and unknown hosts", async () => {
    expect(await failure(collect(`${base}/image`))).toMatch(/unsupported content type "image\/png"/);
    expect(await failure(collect(`${base}/missing`))).toMatch(/\/missing: HTTP 404 Not Found$/);
    expect(await failure(collect(`${base}/slow`, { ...local, timeoutMs: 300 }))).toMatch(
      /^timed out after 300 ms fetching/,
    );
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await failure(collect(`http://127.0.0.1:${port}/`))).toMatch(
      /^connection refused by 127\.0\.0\.1/,
    );
    expect(await failure(collect("http://no-such-host.invalid/news", { timeoutMs: 5000 }))).toMatch(
      /^cannot resolve host "no-such-host\.invalid"/,
    );
  });

  it("refuses unsupported schemes before any I/O", async () => {
    for (const u of [
      "ftp://files.example/a.txt",
      "file:///etc/passwd",
      "data:text/plain,hello",
      "javascript:alert(1)",
    ])
      expect(await failure(collect(u))).toMatch(/^unsupported URL scheme "(ftp|file|data|javascript):"/);
  });
});

describe("feeds over HTTP", () => {
  it("uses substantial item content and fetches the link of a teaser item", async () => {
    hits.length = 0;
    const docs = await collect(`${base}/feed`);
    expect(docs.map((d) => d.title)).toEqual([
      "Council approves river dam budget",
      "Bridge closure extended",
    ]);
    expect(docs[0]).toMatchObject({
      published: "2024-03-04T18:00:00.000Z",
      url: "https://herald.example/news/dam-budget",
      byline: "Tomas Weber",
      source: "Millbrook Herald",
    });
    expect(docs[0]!.text.split("\n\n")).toHaveLength(4);
    expect(docs[1]!.text).toBe(
      "The Old Mill bridge will stay closed until May because repairs to its foundations are taking longer than planned, the town's building office said on Tuesday.\n\nDrivers should use the ring road, the office said.",
    );
    expect(hits).toEqual(["/feed", "/bridge"]);
  });

  it("reports a failing item and goes on with the others", async () => {
    const errors: string[] = [];
    // without allowPrivate the item link on 127.0.0.1 is refused; the feed itself comes from a file
    const rss = join(packageRoot(), "test", "fixtures", "feed.rss");
    const docs: DocInput[] = [];
    for await (const d of loadInputs(rss, {
      timeoutMs: 3000,
      onError: (where, e) => errors.push(`${where}: ${e.message}`),
    }))
      docs.push(d);
    expect(docs.map((d) => d.title)).toEqual(["Council approves river dam budget"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /feed\.rss item 2 \("Bridge closure extended"\): (cannot resolve host "item_host"|refusing|not a valid URL)/i,
    );
  });
});

describe("address classification", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["169.254.1.1", "link-local"],
    ["169.254.169.254", "cloud metadata"],
    ["100.100.100.200", "cloud metadata"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fc00::1", "unique-local"],
    ["fd12:3456::1", "unique-local"],
    ["fd00:ec2::254", "cloud metadata"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:a9fe:a9fe", "cloud metadata"],
    ["64:ff9b::10.0.0.1", "private"],
    ["2002:c0a8:0101::1", "private"],
  ])("%s is %s", (ip, why) => {
    expect(blockedAddressReason(ip)).toBe(why);
  });

  it.each(["8.8.8.8", "172.32.0.1", "100.128.0.1", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8"])(
    "%s is public",
    (ip) => {
      expect(blockedAddressReason(ip)).toBeNull();
    },
  );
});
