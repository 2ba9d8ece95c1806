// `claimscope analyze` end to end: every bad input gets one clear line on stderr (prefixed "claimscope: ") and a
// non-zero exit code, never a stack trace; good input prints `claimscope/analysis@1`. Most cases call main()
// in-process (its return value is the process exit code bin/claimscope.js sets); stdin and the exit code of a
// real process are checked by spawning `node --import tsx test/run-cli.ts`.
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain, type Run } from "./capture-main.js";
import { Analysis } from "../src/schema/analysis.js";
import { packageRoot } from "../src/util/paths.js";

const root = packageRoot();
const examples = join(root, "examples");
let tmp = "";
let server: Server;
let port = 0;

const run = runMain;

/** Runs the CLI as a real process (from source), optionally feeding stdin. */
function spawnCli(args: string[], stdin?: Buffer): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "test", "run-cli.ts"), ...args], {
      cwd: root,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      }),
    );
    child.stdin.end(stdin ?? Buffer.alloc(0));
  });
}

/** The failure contract: non-zero exit, nothing on stdout, exactly one "claimscope: …" line, no stack trace. */
function expectOneLineError(r: Run, pattern: RegExp): void {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe("");
  const lines = r.stderr.split("\n").filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^claimscope: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toContain("    at ");
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "claimscope-cli-"));
  server = createServer((req, res) => {
    if (req.url === "/slow") return; // never answers
    if (req.url === "/photo") {
      res.writeHead(200, { "content-type": "image/jpeg" });
      return void res.end(Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("Ferry fares rise\n\nThe ferry company raised fares by 5 percent, it said on Monday.");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

function tmpFile(name: string, content: string | Buffer): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

describe("bad input: one clear line, non-zero exit", () => {
  it("missing file", async () => {
    expectOneLineError(
      await run("analyze", join(tmp, "nope.txt")),
      /no such file or directory: .*nope\.txt$/,
    );
  });

  it("a directory without articles", async () => {
    const dir = join(tmp, "nothing-here");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "data.json"), "{}");
    expectOneLineError(
      await run("analyze", dir),
      /no \.txt\/\.html\/\.htm\/\.md\/\.xml files in .*nothing-here$/,
    );
  });

  it("empty text", async () => {
    expectOneLineError(
      await run("analyze", tmpFile("empty.txt", "")),
      /empty\.txt: empty document \(no text\)$/,
    );
    expectOneLineError(
      await run("analyze", tmpFile("blank.txt", "\n   \n\t\n")),
      /blank\.txt: empty document/,
    );
  });

  it("binary data", async () => {
    expectOneLineError(
      await run("analyze", tmpFile("nul.txt", Buffer.from([0x68, 0x69, 0x00, 0x01, 0x02]))),
      /nul\.txt: binary data \(NUL bytes\), not text$/,
    );
    expectOneLineError(
      await run("analyze", tmpFile("doc.html", Buffer.from("%PDF-1.4\n1 0 obj"))),
      /doc\.html: binary data \(PDF\)/,
    );
  });

  it("a binary content type from a URL", async () => {
    expectOneLineError(
      await run("analyze", `http://127.0.0.1:${port}/photo`, "--allow-private"),
      /\/photo: unsupported content type "image\/jpeg" \(expected HTML, text or an RSS\/Atom feed\)$/,
    );
  });

  it("a document over the size cap", async () => {
    expectOneLineError(
      await run("analyze", join(examples, "harbour-fire-claim.txt"), "--max-bytes", "100"),
      /harbour-fire-claim\.txt is [\d.]+ KB, over the size cap of 100 bytes \(raise it with --max-bytes\)$/,
    );
  });

  it("malformed HTML with no article text", async () => {
    expectOneLineError(
      await run("analyze", join(root, "test", "fixtures", "no-article.html")),
      /no-article\.html: no article text could be extracted from the HTML$/,
    );
  });

  it("an unreachable URL: DNS failure, connection refused, timeout", async () => {
    expectOneLineError(
      await run("analyze", "http://no-such-host.invalid/story"),
      /cannot resolve host "no-such-host\.invalid"/,
    );
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expectOneLineError(
      await run("analyze", `http://127.0.0.1:${closedPort}/`, "--allow-private"),
      /connection refused by 127\.0\.0\.1:\d+/,
    );
    expectOneLineError(
      await run("analyze", `http://127.0.0.1:${port}/slow`, "--allow-private", "--timeout", "300"),
      /timed out after 300 ms fetching/,
    );
  });

  it("a private address is refused unless --allow-private", async () => {
    expectOneLineError(
      await run("analyze", `http://127.0.0.1:${port}/`),
      /refusing to fetch .*127\.0\.0\.1 is a loopback address \(use --allow-private to override\)$/,
    );
    expectOneLineError(
      await run("analyze", "http://169.254.169.254/latest/meta-data/"),
      /169\.254\.169\.254 is a cloud metadata address/,
    );
    expectOneLineError(await run("analyze", "http://[::1]/"), /is a loopback address/);
  });

  it("unsupported schemes", async () => {
    for (const u of [
      "ftp://files.example/a.txt",
      "file:///etc/hostname",
      "data:text/plain,Hello%20world",
      "javascript:alert(1)",
    ])
      expectOneLineError(await run("analyze", u), /unsupported URL scheme "(ftp|file|data|javascript):"/);
  });

  it("a bad --format, --max-bytes or --timeout", async () => {
    expectOneLineError(
      await run("analyze", join(examples, "harbour-fire-claim.txt"), "--format", "xml"),
      /unknown format "xml" \(use json, report/,
    );
    expectOneLineError(
      await run("analyze", join(examples, "harbour-fire-claim.txt"), "--max-bytes", "lots"),
      /--max-bytes must be a positive number/,
    );
    expectOneLineError(
      await run("analyze", join(examples, "harbour-fire-claim.txt"), "--timeout", "-5"),
      /--timeout must be a positive number/,
    );
  });
});

describe("good input", () => {
  it("analyzes the quick-start example with the full pipeline into valid claimscope/analysis@1", async () => {
    const r = await run("analyze", join(examples, "harbour-fire-claim.txt"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const a = Analysis.parse(JSON.parse(r.stdout));
    expect(a.document.language).toBe("eng");
    expect(a.document.text).not.toContain("You Might Also Like");
    expect(a.document.removed?.map((x) => x.reason)).toEqual([
      "hand-over to another outlet",
      "related-links block",
    ]);
    expect(a.claims.length).toBeGreaterThan(0);
  });

  it("says in the report when a document is not English", async () => {
    const r = await run(
      "analyze",
      join(examples, "hafenbrand-kurzmeldung-de.txt"),
      "--format",
      "report",
      "--stages",
      "entities",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Not English \(deu\)/);
  });

  it("decodes invalid UTF-8 with replacement characters and analyzes it", async () => {
    const bad = Buffer.concat([
      Buffer.from("Mayor says caf"),
      Buffer.from([0xe9, 0xff]),
      Buffer.from(" owners will get relief, officials said on Monday."),
    ]);
    const r = await run("analyze", tmpFile("bad-utf8.txt", bad), "--stages", "entities");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).document.text).toBe(
      "Mayor says caf\uFFFD\uFFFD owners will get relief, officials said on Monday.",
    );
  });

  it("fetches a URL when allowed", async () => {
    const r = await run("analyze", `http://127.0.0.1:${port}/`, "--allow-private", "--stages", "entities");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).document).toMatchObject({
      title: "Ferry fares rise",
      url: `http://127.0.0.1:${port}/`,
    });
  });

  it("a directory: sorted JSON Lines; a failing file is named, the others analyzed, the exit is non-zero", async () => {
    const dir = join(tmp, "batch");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    copyFileSync(join(examples, "harbour-fire-claim.txt"), join(dir, "b.txt"));
    copyFileSync(join(examples, "harbour-fire-report.html"), join(dir, "a.html"));
    writeFileSync(join(dir, "c.md"), Buffer.from([0, 1, 2, 3]));
    writeFileSync(join(dir, "ignored.json"), "{}");
    writeFileSync(join(dir, "README.md"), "# About this folder\n\nArticles collected for the test.\n");
    const r = await run("analyze", dir, "--stages", "entities");
    expect(r.code).not.toBe(0);
    const docs = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { document: { id: string } });
    expect(docs.map((d) => d.document.id)).toEqual([join(dir, "a.html"), join(dir, "b.txt")]);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toEqual([
      `claimscope: ${join(dir, "c.md")}: binary data (NUL bytes), not text`,
      // Entries not read are named (README-style paperwork is passed over silently).
      `claimscope: note: 1 entry of ${dir} not read (only .txt .html .htm .md .xml files, no subdirectories; ` +
        `name a .jsonl/.csv/.tsv dataset to analyze its records): ${join(dir, "ignored.json")}`,
      "claimscope: 1 of 3 documents could not be analyzed (see above)",
    ]);
    expect(r.stderr).not.toContain("    at ");
  });
});

describe("as a real process", () => {
  it.concurrent("reads stdin and exits 0", async () => {
    const r = await spawnCli(
      ["analyze", "-", "--stages", "entities"],
      Buffer.from("Dam vote delayed\n\nThe council will vote on Friday, the mayor said."),
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout).document as { id: string };
    expect(doc).toMatchObject({ title: "Dam vote delayed", language: "eng" });
    expect(doc.id).toMatch(/^sha256:[0-9a-f]{16}$/); // a content hash, not the name "stdin"
  });

  it.concurrent("caps stdin and exits non-zero with one line", async () => {
    const r = await spawnCli(["analyze", "-", "--max-bytes", "50"], Buffer.alloc(4000, "word "));
    expectOneLineError(r, /^claimscope: stdin is larger than the size cap of 50 bytes/);
  });
});
