// Done-when of issue 7, on the two example articles: `ingest` then `stories` shows them in one story, and
// `story ID --format json` lists claims by Putin and by Lavrov and a dispute over what the strike hit, with
// offsets that point at the claim text in each article.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runMain } from "./capture-main.js";
import { sameSpeaker } from "../src/corpus/claims.js";
import type { StoryDetail, StorySummary } from "../src/corpus/views.js";
import type { Analysis } from "../src/schema/analysis.js";
import { describeShared, sharedPath } from "../src/testing/shared.js";

const EXAMPLES = ["examples/putin-us-strike-syria.txt", "examples/lavrov-attack-staged.txt"];

const run = runMain;

describeShared("corpus: the two example articles", EXAMPLES, () => {
  let dir = "";
  let db = "";
  let stories: StorySummary[] = [];
  let story: StoryDetail;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "claimscope-corpus-"));
    db = join(dir, "corpus.db");
    const ing = await run("ingest", ...EXAMPLES.map((p) => sharedPath(p)), "--db", db, "--workers", "2");
    expect(ing.stderr).not.toMatch(/claimscope:/);
    expect(ing.code).toBe(0);
    expect(ing.stdout).toMatch(/ingested 2 articles/);
    const st = await run("stories", "--db", db, "--format", "json");
    expect(st.code).toBe(0);
    stories = JSON.parse(st.stdout) as StorySummary[];
    const one = await run("story", String(stories[0]!.id), "--db", db, "--format", "json");
    expect(one.code).toBe(0);
    story = JSON.parse(one.stdout) as StoryDetail;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("puts both articles in one story", () => {
    expect(stories).toHaveLength(1);
    expect(stories[0]!.articles.map((a) => a.title).sort()).toEqual([
      "Putin: U.S. Will Strike Syrian Capital, Fake Gas Attacks",
      "Russian Foreign Minister: Syria Chemical Attack was Staged",
    ]);
  });

  it("lists claims by Putin and by Lavrov", () => {
    const speakers = story.claims.flatMap((c) => c.speakers);
    expect(speakers.some((s) => sameSpeaker(s, "Putin"))).toBe(true);
    expect(speakers.some((s) => sameSpeaker(s, "Lavrov"))).toBe(true);
    for (const c of story.claims) expect(c.sources.some((s) => s.relation === "makes")).toBe(true);
  });

  it("finds the dispute over what the strike hit", () => {
    const byId = new Map(story.claims.map((c) => [c.id, c]));
    const hit = story.disputes.find((d) => {
      const texts = [byId.get(d.a)!.text, byId.get(d.b)!.text];
      return texts.some((t) => /struck .*building/.test(t)) && texts.some((t) => /crater/.test(t));
    });
    expect(hit).toBeDefined();
    expect(hit!.reason).toMatch(/building/);
  });

  it("sees no dispute among the Russian officials, who all deny the attack", () => {
    const byId = new Map(story.claims.map((c) => [c.id, c]));
    const russian = (id: number) =>
      byId.get(id)!.speakers.some((s) => ["Putin", "Lavrov", "Peskov"].some((r) => sameSpeaker(s, r)));
    expect(story.disputes.length).toBeGreaterThan(0);
    expect(story.disputes.filter((d) => russian(d.a) && russian(d.b)).map((d) => d.reason)).toEqual([]);
  });

  it("reads the other article's headline and body: Lavrov's supports Putin's claim of faked attacks", () => {
    const lavrov = story.articles.find((a) => /Staged/.test(a.title))!;
    const fake = story.claims.find((c) => /FAKE chemicals? weapons attacks/.test(c.text))!;
    const rel = fake.sources.find((s) => s.articleId === lavrov.id);
    expect(rel?.relation).toBe("supports");
  });

  it("points every claim source at the exact claim text in its article", async () => {
    const ex = await run("export", "--db", db, "--format", "jsonl", "--what", "articles");
    expect(ex.code).toBe(0);
    const texts = new Map(
      ex.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { id: number; analysis: Analysis })
        .map((r) => [r.id, r.analysis.document.text]),
    );
    let checked = 0;
    for (const c of story.claims) {
      for (const s of c.sources) {
        if (s.relation !== "makes" || s.start === undefined) continue;
        const t = texts.get(s.articleId)!;
        // A claim with discontinuous parts is shown as "part … part": each part lies in the span.
        const span = t.slice(s.start, s.end!);
        for (const part of c.text.split(" … ")) expect(span).toContain(part);
        expect(span.startsWith(c.text.split(" … ")[0]!)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(story.claims.length);
  });

  it("exports JSON-LD whose stories, articles and claims name the same article nodes", async () => {
    const graph = async (what: string) => {
      const ex = await run("export", "--db", db, "--format", "jsonld", "--what", what);
      expect(ex.code).toBe(0);
      type Node = {
        "@id": string;
        inLanguage?: string;
        hasPart: { "@id": string }[];
        appearance: { "@id": string };
        claimInterpreter: { name: string };
        additionalProperty: { name: string }[];
      };
      return (JSON.parse(ex.stdout) as { "@graph": Node[] })["@graph"];
    };
    const articles = await graph("articles");
    const ids = new Set(articles.map((a) => a["@id"]));
    for (const a of articles) {
      expect(a["@id"]).toMatch(/^claimscope:article\/\d+$/);
      expect(a.inLanguage).toBe("en");
    }
    for (const s of await graph("stories")) for (const p of s.hasPart) expect(ids.has(p["@id"])).toBe(true);
    const claims = await graph("claims");
    expect(claims.length).toBeGreaterThan(0);
    for (const c of claims) {
      expect(ids.has(c.appearance["@id"])).toBe(true);
      expect(c.claimInterpreter.name).toBe("claimscope");
      expect(c.additionalProperty.map((p) => p.name)).toEqual(["start", "end", "kind", "evidence"]);
    }
  });

  it("re-running the ingest skips what is done and finds what it holds", async () => {
    const again = await run("ingest", ...EXAMPLES.map((p) => sharedPath(p)), "--db", db, "--json");
    expect(again.code).toBe(0);
    const s = JSON.parse(again.stdout) as { ingested: number; skipped: number };
    expect(s).toMatchObject({ ingested: 0, skipped: 2 });
    const found = await run("search", "satellite imagery crater", "--db", db, "--what", "claims");
    const hits = JSON.parse(found.stdout) as { text: string; speaker: string }[];
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.text).toMatch(/crater in a road/);
    const byPutin = JSON.parse((await run("search", "Syria", "--db", db, "--speaker", "Putin")).stdout) as {
      type: string;
      speaker: string;
    }[];
    expect(byPutin.length).toBeGreaterThan(0);
    for (const h of byPutin) expect(sameSpeaker(h.speaker, "Putin")).toBe(true);
  });
});
