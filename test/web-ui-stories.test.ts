// The web UI's story view (web/app.js in a DOM emulation): claims carry the ids the Disputes section
// names, and a claim's source opens that article with the passage marked at the story's offsets.
import { beforeAll, describe, expect, it } from "vitest";
import { Analysis } from "../src/schema/analysis.js";
import { loadWebUi, ok, type UiDom, type UiNode, type WebUi } from "./web-ui-dom.js";

const text =
  "Bridge to close\n\nThe mayor said the bridge will close in May. A rival said it will not close.";
const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
const article = Analysis.parse({
  schema: "claimscope/analysis@1",
  document: {
    id: "a1",
    title: "Bridge to close",
    text,
    language: "eng",
    headline: { start: 0, end: 15 },
    removed: [{ text: "Share on Facebook · Email", reason: "share/follow buttons" }],
  },
  sentences: [at("Bridge to close"), at("The mayor said the bridge will close in May.")],
  entities: [],
  claims: [
    {
      id: "c1",
      kind: "indirect",
      speaker: { name: "the mayor", type: "PERSON", ...at("The mayor") },
      cue: { text: "said", ...at("said"), framing: "neutral" },
      content: { text: "the bridge will close in May", ...at("the bridge will close in May") },
      evidence: { status: "none-stated", markers: [] },
      hedges: [],
      sentence: 1,
      factChecks: [
        {
          claimReviewed: "The bridge will close in May",
          rating: "True",
          publisher: "Checks",
          url: "https://checks.example/1",
          score: 0.9,
        },
      ],
    },
  ],
  techniques: [],
  credibility: {
    score: 1,
    band: "low",
    probability: 0.01,
    factors: [
      { name: "wording", effect: -40.5, detail: "Wording resembles low-credibility articles", spans: [] },
      {
        name: "persuasion-techniques",
        effect: 0,
        detail: "2 technique spans: a signal of lower credibility",
        spans: [],
      },
    ],
  },
  timings: {},
});
const rival = at("it will not close");
const story = {
  id: 7,
  title: "Bridge to close",
  first: "2024-05-01T08:00:00.000Z",
  last: "2024-05-02T08:00:00.000Z",
  articles: [
    {
      id: 3,
      title: "Bridge to close",
      source: "news.example",
      published: "2024-05-01T08:00:00.000Z",
      credibility: 80,
      duplicates: [],
    },
  ],
  claims: [
    {
      id: 1,
      text: "the bridge will close in May",
      speakers: ["the mayor"],
      sources: [{ articleId: 3, relation: "makes", via: "claim", ...at("the bridge will close in May") }],
    },
    {
      id: 2,
      text: "it will not close",
      speakers: ["a rival"],
      sources: [{ articleId: 3, relation: "disputes", via: "contradiction", ...rival }],
    },
  ],
  disputes: [{ a: 1, b: 2, score: 0.9, reason: "opposite polarity" }],
  timeline: [],
};

const routes: Record<string, unknown> = {};

describe("web UI: stories", () => {
  let document: UiDom;
  let ui: WebUi;
  const click = (n: UiNode) => n.dispatchEvent(ui.event("click"));
  const settle = () => new Promise((r) => setTimeout(r, 20));

  beforeAll(async () => {
    Object.assign(routes, {
      "/api/stories?limit=100": [
        { id: 7, title: story.title, articles: story.articles, first: story.first, last: story.last },
      ],
      "/api/stories/7": story,
      "/api/articles/3": article,
    });
    ui = await loadWebUi(async (path) =>
      path in routes ? ok(routes[path]) : { ok: false, status: 404, json: async () => ({ error: "no" }) },
    );
    document = ui.document;
  });

  it("lists stories with day dates and a correct plural", async () => {
    click(document.querySelector('nav button[data-view="stories"]')!);
    await settle();
    const card = [...document.querySelectorAll("#story-list .card")][0]!;
    expect(card.textContent).toContain("1 article, 2024-05-01 – 2024-05-02");
  });

  it("labels each claim with the id the disputes name", async () => {
    click([...document.querySelectorAll("#story-list .card")][0]!);
    await settle();
    const box = document.querySelector("#story")!;
    expect(box.textContent).toContain("C1 ↔ C2");
    const cards = [...box.querySelectorAll(".card")].filter((c) => c.textContent!.includes("“"));
    expect(cards.map((c) => c.textContent!.slice(0, 2))).toEqual(["C1", "C2"]);
  });

  it("opens a claim's source article with the story's passage marked; a fact-check is not painted as a verdict", async () => {
    const source = [...document.querySelectorAll("#story li.source")].find((l) =>
      l.textContent!.includes("disputes"),
    )!;
    expect(source.textContent).toContain("(contradiction)");
    click(source);
    await settle();
    const focused = [...document.querySelectorAll("#doc .focus")].map((s) => s.textContent).join("");
    expect(focused).toBe("it will not close");
    const tags = [...document.querySelectorAll("#claims .card .tag")].filter(
      (t) => t.textContent === "fact-checked",
    );
    expect(tags).toHaveLength(1);
    expect(tags[0]!.classList.contains("bad")).toBe(false);
  });

  it("says when the text is not English and what was removed as boilerplate", async () => {
    const notes = document.querySelector("#notes")!;
    expect(notes.textContent).toContain(
      "Removed as boilerplate, not analyzed:“Share on Facebook · Email” (share/follow buttons)",
    );
    expect(notes.textContent).not.toContain("Not English");
    const spanish = { ...article, document: { ...article.document, id: "a2", language: "spa" } };
    routes["/api/articles/4"] = spanish;
    const other = { ...story, id: 8, articles: [{ ...story.articles[0]!, id: 4 }], claims: [], disputes: [] };
    routes["/api/stories/8"] = other;
    routes["/api/stories?limit=100"] = [
      { id: 8, title: "Otra", articles: other.articles, first: null, last: null },
    ];
    click(document.querySelector('nav button[data-view="stories"]')!);
    await settle();
    click([...document.querySelectorAll("#story-list .card")][0]!);
    await settle();
    click([...document.querySelectorAll("#story .card")][0]!);
    await settle();
    expect(document.querySelector("#notes")!.textContent).toMatch(
      /^Not English \(spa\): only language-independent/,
    );
  });

  it("signs a credibility factor by its effect: none is '·', neither '+' nor green", () => {
    const tags = [...document.querySelectorAll("#credibility .tag")];
    expect(tags.map((t) => t.textContent)).toEqual(["− wording (−40.5)", "· persuasion-techniques (0)"]);
    expect(tags[1]!.classList.contains("good")).toBe(false);
  });

  it("says when the list shows only the largest stories (it asks for 100)", async () => {
    const many = Array.from({ length: 100 }, (_, i) => ({
      id: 100 + i,
      title: `Story ${i}`,
      articles: story.articles,
      first: null,
      last: null,
    }));
    routes["/api/stories?limit=100"] = many;
    click(document.querySelector('nav button[data-view="stories"]')!);
    await settle();
    const list = document.querySelector("#story-list")!;
    expect([...list.querySelectorAll(".card")]).toHaveLength(100);
    expect(list.textContent).toContain("The 100 largest stories are shown");
    routes["/api/stories?limit=100"] = many.slice(0, 3);
    click(document.querySelector('nav button[data-view="stories"]')!);
    await settle();
    expect(document.querySelector("#story-list")!.textContent).not.toContain("largest stories are shown");
  });
});
