// Analysis in worker threads: the same analysis@1 JSON as in-process analysis (fact-check matches included),
// an event loop that answers while a worker is busy, a bounded queue, and workers replaced when they die.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importFactCheckFiles } from "../cli/commands/factchecks.js";
import { Analysis } from "../schema/analysis.js";
import { describeShared, sharedPath } from "../testing/shared.js";
import { buildServer } from "./app.js";
import { AnalyzePool, type PoolStats } from "./pool.js";

const TITLE = "Minister says bridge will close";
const BODY = [
  "The bridge over the Elm river will close for repairs in May, Transport Minister Anna Berg said.",
  "Opposition leader Tom Hale claimed the repairs were a waste of money. He did not offer any proof.",
].join("\n");
const ARTICLE = `${TITLE}\n\n${BODY}`;
const review = (claimReviewed: string, url: string) => ({
  "@type": "ClaimReview",
  claimReviewed,
  url,
  author: { name: "Example Checks" },
  reviewRating: { alternateName: "True" },
});
/** An earlier fact-check of the minister's claim, so the worker's pipeline has a match to find. */
const REVIEW = review(
  "The bridge over the Elm river will close for repairs in May.",
  "https://checks.example/elm",
);
/** 640 unrelated fact-checks: the matcher's scores need a memory of some size to be confident. */
function otherReviews(): ReturnType<typeof review>[] {
  const who = ["The governor", "The senator", "The mayor", "A union leader", "The health minister", "A bank"];
  const what = [
    "raised taxes on",
    "cut funding for",
    "doubled spending on",
    "banned",
    "closed",
    "opened new",
  ];
  const obj = [
    "rural hospitals",
    "public schools",
    "wind farms",
    "steel mills",
    "police stations",
    "city parks",
  ];
  const when = ["last year", "in 2019", "since 2015", "this spring"];
  const out: ReturnType<typeof review>[] = [];
  for (const a of who)
    for (const b of what)
      for (const c of obj)
        for (const d of when.slice(0, 3))
          out.push(review(`${a} ${b} ${c} ${d}.`, `https://checks.example/${out.length}`));
  return out;
}

/** The analysis JSON without its timings (the only part that differs between two runs). */
function withoutTimings(res: LightMyRequestResponse): string {
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  const { timings, ...rest } = JSON.parse(res.body) as Analysis;
  expect(Object.keys(timings)).toContain("nlp");
  return JSON.stringify(rest);
}

const health = async (app: FastifyInstance): Promise<PoolStats> =>
  ((await app.inject({ method: "GET", url: "/api/health" })).json() as { pool: PoolStats }).pool;

/** Waits (polling, not timing) until the pool reaches a state. */
async function until(app: FastifyInstance, ok: (s: PoolStats) => boolean): Promise<PoolStats> {
  for (;;) {
    const s = await health(app);
    if (ok(s)) return s;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Starts a request without waiting for it (inject only runs once its result is asked for). */
const send = (app: FastifyInstance, opts: InjectOptions): Promise<LightMyRequestResponse> =>
  new Promise((res, rej) => {
    app.inject(opts).then(res, rej);
  });

/** A long article (~160 KB): a second or more of analysis, so a worker is busy while the test talks to the server. */
const LONG = { title: TITLE, text: Array.from({ length: 800 }, () => BODY).join("\n\n") };
const EXAMPLES = ["examples/putin-us-strike-syria.txt", "examples/lavrov-attack-staged.txt"];
/** A pathological page: 500,000 tiny elements in 4 MB, far beyond any sane heap in the HTML parser. */
const HUGE_PAGE = `<html><body><article><p>${"<i>w</i>".repeat(500_000)}</p></article></body></html>`;

describe("analysis worker pool", () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-pool-"));
  const db = join(dir, "store.db");
  let inProcess: FastifyInstance;
  let pooled: FastifyInstance;
  let pooledClosed = false;
  beforeAll(async () => {
    const reviews = join(dir, "reviews.jsonl");
    writeFileSync(reviews, [REVIEW, ...otherReviews()].map((r) => JSON.stringify(r)).join("\n") + "\n");
    await importFactCheckFiles(db, [reviews]);
    inProcess = await buildServer({ db, workers: 0 });
    pooled = await buildServer({ db, workers: 1, maxQueue: 1, warm: true });
  });
  afterAll(async () => {
    await inProcess?.close();
    if (!pooledClosed) await pooled?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers with the in-process analysis@1 JSON, fact-check matches included", async () => {
    const requests: InjectOptions[] = [
      { method: "POST", url: "/api/analyze", payload: { title: TITLE, text: BODY, source: "example.org" } },
      {
        method: "POST",
        url: "/api/analyze?url=https://news.example/bridge",
        headers: { "content-type": "text/plain" },
        payload: ARTICLE,
      },
      {
        method: "POST",
        url: "/api/analyze",
        payload: {
          html: `<html><head><title>Bridge</title></head><body><article><h1>${TITLE}</h1>
            <p>${BODY.split("\n").join("</p><p>")}</p></article></body></html>`,
          url: "https://news.example/bridge",
        },
      },
    ];
    for (const req of requests) {
      const local = await inProcess.inject(req);
      const worker = await pooled.inject(req);
      expect(withoutTimings(worker)).toBe(withoutTimings(local));
      // The worker matched the claim against the fact-check memory of --db, as the server's own thread does.
      const claims = Analysis.parse(worker.json()).claims;
      expect(claims.some((c) => c.factChecks?.some((f) => f.url === REVIEW.url))).toBe(true);
    }
    // The same one-line 400 for a body without an article, from either.
    const empty = {
      method: "POST" as const,
      url: "/api/analyze",
      payload: { html: "<html><body></body></html>" },
    };
    const [a, b] = [await inProcess.inject(empty), await pooled.inject(empty)];
    expect(b.statusCode).toBe(400);
    expect(b.json()).toEqual(a.json());
    expect((await health(inProcess)).size).toBe(0);
  });

  it("answers health while the worker analyzes a long article, and refuses a full queue with 503", async () => {
    const long = send(pooled, { method: "POST", url: "/api/analyze", payload: LONG });
    // Health answers while the one worker is busy: the event loop is free during an analysis.
    expect(await until(pooled, (s) => s.busy === 1)).toMatchObject({ size: 1, ready: 1, busy: 1, queued: 0 });
    const queued = send(pooled, { method: "POST", url: "/api/analyze", payload: { text: ARTICLE } });
    await until(pooled, (s) => s.queued === 1);
    // The queue (1) is full: refused at once, with when to come back.
    const refused = await pooled.inject({ method: "POST", url: "/api/analyze", payload: { text: ARTICLE } });
    expect(refused.statusCode).toBe(503);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(refused.json().error).toMatch(/^the server is busy \(1 analyzing, 1 waiting\); retry in \d+ s$/);
    // Nothing was lost: both accepted requests are answered in full.
    const [first, second] = await Promise.all([long, queued]);
    expect(Analysis.parse(first.json()).document.text).toBe(`${TITLE}\n\n${LONG.text}`);
    expect(Analysis.parse(second.json()).document.text).toBe(ARTICLE);
    expect(await health(pooled)).toMatchObject({ busy: 0, queued: 0, rejected: 1, restarts: 0 });
  });

  describeShared("on the example articles", EXAMPLES, () => {
    it("gives the in-process analysis@1 JSON for each example", async () => {
      for (const file of EXAMPLES) {
        const req: InjectOptions = {
          method: "POST",
          url: "/api/analyze",
          headers: { "content-type": "text/plain" },
          payload: readFileSync(sharedPath(file)),
        };
        const worker = await pooled.inject(req);
        expect(withoutTimings(worker)).toBe(withoutTimings(await inProcess.inject(req)));
        expect(Analysis.parse(worker.json()).claims.length).toBeGreaterThan(0);
      }
    });
  });

  it("closing the server fails what is running with 503 and ends the workers", async () => {
    const long = send(pooled, { method: "POST", url: "/api/analyze", payload: LONG });
    await until(pooled, (s) => s.busy === 1);
    pooledClosed = true;
    await pooled.close();
    const res = await long;
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: "the server is shutting down" });
  });
});

describe("analysis worker pool sizing", () => {
  it("starts workers as requests need them (without start(): one for one request)", async () => {
    const pool = new AnalyzePool({ size: 2 });
    try {
      const json = await pool.analyze({ kind: "json", request: { text: ARTICLE } });
      expect(Analysis.parse(JSON.parse(json.toString("utf8"))).document.text).toBe(ARTICLE);
      expect(pool.stats()).toMatchObject({ size: 2, started: 1, ready: 1, busy: 0, queued: 0 });
    } finally {
      await pool.close();
    }
    await expect(pool.analyze({ kind: "json", request: { text: ARTICLE } })).rejects.toThrow(
      "the server is shutting down",
    );
  });
});

describe("analysis worker failures", () => {
  it("a worker out of heap fails only its request (500, one line) and is replaced", async () => {
    const app = await buildServer({ workers: 1, workerHeapMb: 128, analysisTimeoutMs: 0, warm: true });
    try {
      const huge = send(app, {
        method: "POST",
        url: "/api/analyze",
        headers: { "content-type": "text/html" },
        payload: HUGE_PAGE,
      });
      await until(app, (s) => s.busy === 1);
      const behind = send(app, { method: "POST", url: "/api/analyze", payload: { text: ARTICLE } });
      const failed = await huge;
      expect(failed.statusCode).toBe(500);
      expect(failed.json()).toEqual({
        error:
          "analysis failed: this document needs more memory than a worker's heap limit (128 MB); the worker was replaced",
      });
      // The request queued behind it goes to the new worker.
      const ok = await behind;
      expect(ok.statusCode).toBe(200);
      expect(Analysis.parse(ok.json()).document.text).toBe(ARTICLE);
      expect(await health(app)).toMatchObject({ size: 1, ready: 1, busy: 0, restarts: 1 });
    } finally {
      await app.close();
    }
  });

  it("an analysis over the time limit fails with 500 and its worker is replaced", async () => {
    // 100,000 tiny elements take many seconds to extract; the limit is a fraction of a second.
    const page = `<html><body><article><p>${"<i>w</i>".repeat(100_000)}</p></article></body></html>`;
    const app = await buildServer({ workers: 1, analysisTimeoutMs: 200, warm: true });
    try {
      const res = await app.inject({
        method: "POST",
        url: "/api/analyze",
        headers: { "content-type": "text/html" },
        payload: page,
      });
      expect(res.statusCode).toBe(500);
      expect(res.json().error).toBe(
        "analysis failed: this document took longer than the time limit (0.2 s); the worker was replaced",
      );
      // Replaced at once (the new worker loads its pipeline in the background).
      expect(await health(app)).toMatchObject({ size: 1, busy: 0, restarts: 1 });
    } finally {
      await app.close();
    }
  });

  it("a pipeline that cannot load in a worker is a clear error when the server starts", async () => {
    await expect(buildServer({ workers: 1, workerHeapMb: 8, warm: true })).rejects.toThrow(
      /^cannot load the analysis pipeline in a worker: the worker ran out of memory \(heap limit 8 MB\)$/,
    );
  });
});
