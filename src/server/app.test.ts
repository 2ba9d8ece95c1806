// The HTTP shell: the same analysis@1 JSON as the library, one-line errors, the corpus routes, the UI files.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestCorpus } from "../corpus/ingest.js";
import { Analysis } from "../schema/analysis.js";
import { buildServer } from "./app.js";

const ARTICLE = [
  "Minister says bridge will close",
  "",
  "The bridge over the Elm river will close for repairs in May, Transport Minister Anna Berg said.",
  "Opposition leader Tom Hale claimed the repairs were a waste of money. He did not offer any proof.",
].join("\n");

describe("server", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildServer({ db: join(tmpdir(), "claimscope-no-such-store.db") });
  });
  afterAll(() => app.close());

  it("reports its health and schema", async () => {
    const res = await app.inject({ method: "GET", url: "/api/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, schema: "claimscope/analysis@1" });
  });

  it("analyzes JSON input into analysis@1 whose spans point into document.text", async () => {
    const [title, , ...body] = ARTICLE.split("\n");
    const res = await app.inject({
      method: "POST",
      url: "/api/analyze",
      payload: { title, text: body.join("\n"), source: "example.org" },
    });
    expect(res.statusCode).toBe(200);
    const a = Analysis.parse(res.json());
    expect(a.document.source).toBe("example.org");
    expect(a.document.text.startsWith(title!)).toBe(true);
    const hale = a.claims.find((c) => c.speaker?.name.includes("Hale"));
    expect(hale?.evidence.status).toBe("unsupported");
    for (const c of a.claims)
      expect(a.document.text.slice(c.content.start, c.content.end)).toBe(c.content.text);
  });

  it("reads a raw text or HTML body as the CLI reads a file", async () => {
    const txt = await app.inject({
      method: "POST",
      url: "/api/analyze",
      headers: { "content-type": "text/plain" },
      payload: ARTICLE,
    });
    expect(txt.statusCode).toBe(200);
    expect(txt.json().document.title).toBe("Minister says bridge will close");
    const html = `<html><head><title>Bridge</title></head><body><article><h1>Minister says bridge will close</h1>
      <p>${ARTICLE.split("\n").slice(2).join("</p><p>")}</p></article></body></html>`;
    const res = await app.inject({
      method: "POST",
      url: "/api/analyze",
      headers: { "content-type": "text/html" },
      payload: html,
    });
    expect(res.statusCode).toBe(200);
    const a = Analysis.parse(res.json());
    expect(a.document.text).toContain("Transport Minister Anna Berg");
    expect(a.document.text).not.toContain("<p>");
  });

  it("answers bad input with 400 and one line, never a stack trace", async () => {
    const cases = [
      { payload: { text: "   " }, re: /give `text` or `html`/ },
      { payload: { text: 42 }, re: /^bad request body: text: / },
      { payload: { text: "x", colour: "red" }, re: /^bad request body: .*colour/ },
    ];
    for (const c of cases) {
      const res = await app.inject({ method: "POST", url: "/api/analyze", payload: c.payload });
      expect(res.statusCode).toBe(400);
      const { error } = res.json() as { error: string };
      expect(error).toMatch(c.re);
      expect(error).not.toMatch(/\n| {4}at /);
    }
    const broken = await app.inject({
      method: "POST",
      url: "/api/analyze",
      headers: { "content-type": "application/json" },
      payload: "{ not json",
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).not.toMatch(/\n/);
  });

  it("refuses bodies over the size limit", async () => {
    const small = await buildServer({ maxBytes: 1000 });
    try {
      const res = await small.inject({
        method: "POST",
        url: "/api/analyze",
        payload: { text: "word ".repeat(1000) },
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toMatch(/too large/i);
    } finally {
      await small.close();
    }
  });

  it("says clearly when there is no corpus store or fact-check memory", async () => {
    const stories = await app.inject({ method: "GET", url: "/api/stories" });
    expect(stories.statusCode).toBe(404);
    expect(stories.json().error).toMatch(/^no corpus store at .*claimscope-no-such-store\.db/);
    const fc = await app.inject({ method: "GET", url: "/api/factchecks?q=the+bridge+will+close+in+May" });
    expect(fc.statusCode).toBe(404);
    expect(fc.json().error).toMatch(/no fact-check memory/);
    const bad = await app.inject({ method: "GET", url: "/api/stories/abc" });
    expect(bad.statusCode).toBe(400);
    const speaker = await app.inject({
      method: "GET",
      url: "/api/search?q=bridge&what=articles&speaker=mayor",
    });
    expect(speaker.statusCode).toBe(400);
    expect(speaker.json().error).toBe("speaker selects claims: it cannot go with what=articles");
  });

  it("answers a query parameter given twice with 400 and one line (was 500, or arrays in document.id/url)", async () => {
    const text = { "content-type": "text/plain" };
    const cases = [
      { method: "POST" as const, url: "/api/analyze?title=a&title=b", headers: text },
      {
        method: "POST" as const,
        url: "/api/analyze?url=https://a.example/&url=https://b.example/",
        headers: text,
      },
      { method: "GET" as const, url: "/api/factchecks?q=taxes&q=rose" },
      { method: "GET" as const, url: "/api/search?q=bridge&q=close" },
      { method: "GET" as const, url: "/api/stories?limit=5&limit=6" },
    ];
    for (const c of cases) {
      const res = await app.inject({
        ...c,
        payload: c.method === "POST" ? "The minister said taxes rose." : undefined,
      });
      expect(res.statusCode, c.url).toBe(400);
      expect(res.json().error, c.url).toMatch(/^(\w+) given more than once/);
    }
  });

  it("reads a Markdown body as the CLI reads a .md file, and says which types it takes otherwise", async () => {
    const md = await app.inject({
      method: "POST",
      url: "/api/analyze",
      headers: { "content-type": "text/markdown; charset=utf-8" },
      payload:
        "# Minister says bridge will close\n\nThe bridge will **close** in May, [the minister](https://x.example) said.",
    });
    expect(md.statusCode).toBe(200);
    expect(md.json().document.title).toBe("Minister says bridge will close");
    expect(md.json().document.text).not.toMatch(/\*\*|\]\(/);
    const other = await app.inject({
      method: "POST",
      url: "/api/analyze",
      headers: { "content-type": "application/pdf" },
      payload: "%PDF-1.4",
    });
    expect(other.statusCode).toBe(415);
    expect(other.json().error).toBe(
      'unsupported content type "application/pdf": send application/json ({"text": …} or {"html": …}), ' +
        "text/plain, text/markdown or text/html",
    );
  });

  it("serves the UI with headers that keep page content from running as script", async () => {
    for (const url of ["/", "/ui/app.js"]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.headers["content-security-policy"], url).toMatch(/script-src 'self'/);
      expect(res.headers["x-content-type-options"], url).toBe("nosniff");
    }
  });

  it("serves the web UI files and nothing outside them", async () => {
    const index = await app.inject({ method: "GET", url: "/" });
    expect(index.statusCode).toBe(200);
    expect(index.headers["content-type"]).toMatch(/text\/html/);
    expect(index.body).toContain('src="/ui/app.js"');
    const js = await app.inject({ method: "GET", url: "/ui/app.js" });
    expect(js.statusCode).toBe(200);
    expect(js.body).toContain("/api/analyze");
    for (const url of [
      "/ui/..%2Fpackage.json",
      "/ui/%2E%2E%2Fpackage.json",
      "/ui/nope.js",
      "/package.json",
    ]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(404);
    }
  });
});

describe("server corpus routes", () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-server-"));
  const db = join(dir, "corpus.db");
  let app: FastifyInstance;
  beforeAll(async () => {
    const input = join(dir, "articles.jsonl");
    const rows = [
      { id: "a", title: "Minister says bridge will close", text: ARTICLE.split("\n").slice(2).join("\n") },
      {
        id: "b",
        title: "Elm river bridge to close in May",
        text: "Transport Minister Anna Berg said the bridge over the Elm river will close for repairs in May. Tom Hale called the repairs a waste of money.",
      },
    ];
    writeFileSync(input, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    // Without the final regrouping, so the story route has to regroup a changed story when it is shown.
    await ingestCorpus([input], { db, workers: 1, regroup: false });
    app = await buildServer({ db });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists stories, shows one with its claims across sources, and returns stored analyses", async () => {
    const list = await app.inject({ method: "GET", url: "/api/stories" });
    expect(list.statusCode).toBe(200);
    const stories = list.json() as { id: number; articles: { id: number }[] }[];
    const articles = stories.flatMap((s) => s.articles.map((a) => a.id));
    expect(articles).toHaveLength(2);
    const story = await app.inject({ method: "GET", url: `/api/stories/${stories[0]!.id}` });
    expect(story.statusCode).toBe(200);
    expect(story.json()).toHaveProperty("claims");
    const art = await app.inject({ method: "GET", url: `/api/articles/${articles[0]}` });
    expect(art.statusCode).toBe(200);
    Analysis.parse(art.json());
    expect((await app.inject({ method: "GET", url: "/api/articles/999" })).statusCode).toBe(404);
    const hits = await app.inject({ method: "GET", url: "/api/search?q=bridge&what=claims" });
    expect(hits.statusCode).toBe(200);
    expect((hits.json() as unknown[]).length).toBeGreaterThan(0);
  });
});

describe("server with a PostgreSQL fact-check memory", () => {
  it("never shows the URL's password, and says the corpus needs a SQLite file", async () => {
    const app = await buildServer({ db: "postgres://cs:s3cret@127.0.0.1:1/claims" });
    try {
      const health = await app.inject({ method: "GET", url: "/api/health" });
      expect(health.json()).toMatchObject({ db: "postgres://cs:***@127.0.0.1:1/claims" });
      expect(health.body).not.toContain("s3cret");
      const stories = await app.inject({ method: "GET", url: "/api/stories" });
      expect(stories.statusCode).toBe(404);
      expect(stories.json().error).toMatch(/corpus store needs a SQLite file/);
    } finally {
      await app.close();
    }
  });
});
