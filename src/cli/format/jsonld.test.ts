import { describe, expect, it } from "vitest";
import { createPipeline } from "../../pipeline/pipeline.js";
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
});
