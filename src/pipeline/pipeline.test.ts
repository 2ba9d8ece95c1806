import { describe, expect, it } from "vitest";
import { Doc } from "../doc/doc.js";
import { Analysis } from "../schema/analysis.js";
import { createPipeline, Pipeline } from "./pipeline.js";
import { defineStage, Skip } from "./stage.js";
import { toAnalysis } from "./output.js";

describe("pipeline", () => {
  it("refuses a stage that reads a layer no earlier stage adds", () => {
    const needsClaims = defineStage({ name: "x", reads: ["claims"], adds: "techniques", run: () => [] });
    expect(() => new Pipeline([needsClaims])).toThrow(/reads "claims"/);
  });

  it("runs stages in order, times each, and skips language-dependent stages for non-English", () => {
    const seen: string[] = [];
    const a = defineStage({
      name: "a",
      reads: ["tokens"],
      adds: "entities",
      run: () => {
        seen.push("a");
        return [];
      },
    });
    const b = defineStage({
      name: "b",
      reads: ["entities"],
      adds: "techniques",
      languageIndependent: true,
      run: (doc) => {
        seen.push("b");
        return doc.layers.entities ? [] : [];
      },
    });
    const p = new Pipeline([a, b]);
    const doc = p.run(Doc.create({ text: "Hello there. General Kenobi." }));
    expect(seen).toEqual(["a", "b"]);
    expect(Object.keys(doc.timings)).toEqual(["nlp", "a", "b"]);
    seen.length = 0;
    const spa = p.run(Doc.create({ text: "Hola amigos.", language: "spa" }));
    expect(seen).toEqual(["b"]);
    expect(spa.skipped).toEqual({
      a: 'not run: the text reads as language "spa" and this stage is English-only',
    });
  });

  it("keeps a declining stage's layer absent and reports its reason in the analysis", () => {
    const decline = defineStage({
      name: "techniques",
      reads: ["tokens"],
      adds: "techniques",
      run: (doc) => (doc.text.length < 20 ? new Skip("too short") : []),
    });
    const p = new Pipeline([decline]);
    const short = p.analyze("Too short.");
    expect(short.skipped).toEqual({ techniques: "too short" });
    expect(short.techniques).toEqual([]);
    expect(() => Analysis.parse(short)).not.toThrow();
    expect(short.timings.techniques).toBeGreaterThanOrEqual(0);
    const long = p.analyze("This one is long enough to be judged.");
    expect(long.skipped).toBeUndefined();
  });

  it("rejects unknown stage names", async () => {
    await expect(createPipeline({ stages: ["nope" as never] })).rejects.toThrow(/unknown stage/);
  });

  it("produces output valid against claimscope/analysis@1", async () => {
    const p = await createPipeline();
    const a = p.analyze({
      title: "Minister: Talks Will Resume",
      text: "The minister said talks would resume on Monday.",
    });
    expect(() => Analysis.parse(a)).not.toThrow();
    expect(a.schema).toBe("claimscope/analysis@1");
    for (const s of a.sentences) expect(s.end).toBeLessThanOrEqual(a.document.text.length);
    expect(toAnalysis(Doc.create({ text: "x" })).sentences.length).toBe(1);
  });
});
