import { describe, expect, it } from "vitest";
import { createPipeline } from "../../pipeline/pipeline.js";
import { Analysis } from "../../schema/analysis.js";
import { toJsonLd } from "./jsonld.js";

describe("jsonld format", () => {
  it("emits schema.org Claim objects with author, appearance, interpreter and offsets; never a ClaimReview", async () => {
    const p = await createPipeline({ stages: ["entities", "attribution"], attributionTagger: false });
    const a = p.analyze({
      title: "Mayor: Bridge Will Open In May",
      text: "Mayor Linda Park said the bridge would open in May. Officials said it cost $40 million.",
      url: "https://example.org/bridge",
    });
    const ld = toJsonLd(a) as { "@context": string; "@graph": Record<string, unknown>[] };
    expect(ld["@context"]).toBe("https://schema.org");
    const types = ld["@graph"].map((n) => n["@type"]);
    expect(types).not.toContain("ClaimReview");
    const claims = ld["@graph"].filter((n) => n["@type"] === "Claim");
    expect(claims.length).toBe(a.claims.length);
    const park = claims.find((n) => (n.author as { name?: string } | undefined)?.name === "Linda Park")!;
    expect(park.author).toMatchObject({ "@type": "Person" });
    expect(park.appearance).toEqual({ "@id": "https://example.org/bridge" });
    expect(park.claimInterpreter).toMatchObject({ "@type": "SoftwareApplication", name: "claimscope" });
    const props = park.additionalProperty as { name: string; value: unknown }[];
    const start = props.find((x) => x.name === "contentStart")!.value as number;
    const end = props.find((x) => x.name === "contentEnd")!.value as number;
    expect(a.document.text.slice(start, end)).toBe(park.text);
    expect(ld["@graph"][0]).toMatchObject({ "@type": "NewsArticle", url: "https://example.org/bridge" });
  });

  it("says which offsets it gives: UTF-16 code units, which an emoji before a claim makes differ from code points", async () => {
    const p = await createPipeline({ stages: ["entities", "attribution"] });
    const a = p.analyze({ text: "🔥🔥 Mayor Linda Park said the bridge would open in May." });
    const ld = toJsonLd(a) as { "@graph": Record<string, unknown>[] };
    const claim = ld["@graph"].find((n) => n["@type"] === "Claim")!;
    expect((claim.claimInterpreter as { description: string }).description).toMatch(/UTF-16 code units/);
    const props = claim.additionalProperty as { name: string; value: unknown }[];
    const start = props.find((x) => x.name === "contentStart")!.value as number;
    const end = props.find((x) => x.name === "contentEnd")!.value as number;
    expect(a.document.text.slice(start, end)).toBe(claim.text);
    // Indexing by code points (as Python does) lands two characters off: the reason the unit is stated.
    expect([...a.document.text].slice(start, end).join("")).not.toBe(claim.text);
  });
});

const text =
  "Russia: Attack Was Staged\n\nRussia said the attack, it alleged, was staged. Officials, he added, may be wrong.";
const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length, text: s });
const staged = at("the attack");
const was = at("was staged");
const fixture = Analysis.parse({
  schema: "claimscope/analysis@1",
  document: {
    id: "/tmp/my articles/feed.jsonl#42?x",
    title: "Russia: Attack Was Staged",
    text,
    language: "eng",
  },
  sentences: [
    { start: 0, end: 25 },
    { start: 27, end: text.length },
  ],
  entities: [],
  claims: [
    {
      id: "c1",
      kind: "indirect",
      speaker: {
        name: "Russia",
        type: "GPE",
        entityId: "e1",
        start: at("Russia said").start,
        end: at("Russia said").start + 6,
      },
      cue: { ...at("said"), framing: "neutral" },
      content: {
        text: `${staged.text} … ${was.text}`,
        start: staged.start,
        end: was.end,
        parts: [
          { start: staged.start, end: staged.end },
          { start: was.start, end: was.end },
        ],
      },
      evidence: { status: "none-stated", markers: [{ ...at("Officials"), type: "anonymous" }] },
      hedges: [at("alleged")],
      sentence: 1,
    },
  ],
  techniques: [],
  timings: {},
});

describe("jsonld format: valid JSON-LD for auditing", () => {
  type PV = { "@type": string; name: string; value: unknown; minValue?: number; maxValue?: number };
  const ld = toJsonLd(fixture) as { "@graph": Record<string, unknown>[] };
  const article = ld["@graph"][0]!;
  const claim = ld["@graph"][1]!;
  const props = claim.additionalProperty as PV[];

  it("carries the text the offsets index (articleBody) and a well-formed node id without a URL", () => {
    expect(article.articleBody).toBe(text);
    const id = String(article["@id"]);
    expect(id).toMatch(/^urn:claimscope:/);
    expect(id).not.toMatch(/[\s#?]/); // an IRI cannot hold spaces; '#' and '?' would split it
    expect(claim["@id"]).toBe(`${id}#claim-c1`);
    expect(decodeURIComponent(id.slice("urn:claimscope:".length))).toBe(fixture.document.id);
  });

  it("a broken (lone-surrogate) file name still gives a well-formed id", () => {
    const broken = { ...fixture, document: { ...fixture.document, id: "/tmp/bad\uD800name.txt" } };
    expect(String((toJsonLd(broken)["@graph"] as Record<string, unknown>[])[0]!["@id"])).toBe(
      "urn:claimscope:/tmp/bad%EF%BF%BDname.txt",
    );
  });

  it("keeps an absolute article URL as the id, but not a relative one", () => {
    const withUrl = { ...fixture, document: { ...fixture.document, url: "https://news.example/a" } };
    expect((toJsonLd(withUrl)["@graph"] as Record<string, unknown>[])[0]!["@id"]).toBe(
      "https://news.example/a",
    );
    const relative = { ...fixture, document: { ...fixture.document, url: "news.example/a b" } };
    expect(String((toJsonLd(relative)["@graph"] as Record<string, unknown>[])[0]!["@id"])).toMatch(
      /^urn:claimscope:/,
    );
  });

  it("never nests arrays (JSON-LD flattens them) and gives every span its text and offsets", () => {
    const nested = (v: unknown): boolean =>
      Array.isArray(v)
        ? v.some((x) => Array.isArray(x) || nested(x))
        : typeof v === "object" && v !== null
          ? Object.values(v).some(nested)
          : false;
    expect(nested(ld)).toBe(false);
    const spans = props.filter((p) => p.minValue !== undefined);
    expect(spans.map((p) => p.name)).toEqual([
      "contentPart",
      "contentPart",
      "evidenceMarker:anonymous",
      "hedge",
    ]);
    for (const p of spans) expect(text.slice(p.minValue, p.maxValue)).toBe(p.value);
    for (const p of props) expect(typeof p.value === "object" && p.value !== null).toBe(false);
  });

  it("a country speaks as an Organization (Claim.author takes a Person or an Organization)", () => {
    expect(claim.author).toMatchObject({ "@type": "Organization", name: "Russia" });
  });
});
