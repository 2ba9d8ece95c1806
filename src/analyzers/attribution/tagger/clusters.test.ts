// Word-cluster templates (49–61) of the attribution tagger, with a small hand-made cluster lookup.
import { describe, expect, it } from "vitest";
import { Doc } from "../../../doc/doc.js";
import { clusterGranularities, clusterLevels, docFeatures, TEMPLATE_SETS, usesClusters } from "./features.js";
import { clusterFingerprint, type ClusterSource } from "../../../learn/word-clusters.js";
import { AttributionTagger } from "./model.js";
import { goldTags, trainAttributionTagger } from "./train.js";

/** Levels finest first, as src/learn/word-clusters.ts stores them. */
function lookup(classes: Record<string, [number, number, number]>): ClusterSource {
  return {
    granularities: [1000, 250, 50],
    key: (w) => w.replace(/\d/g, "0"),
    idsOf: (k) => (classes[k] ? Int32Array.from(classes[k]) : null),
  };
}

const CLU = [49, 50, 51, 52, 53];
const tok = (doc: Doc, w: string) => {
  for (let i = 0; i < doc.tokens.count; i++) if (doc.tokenText(i) === w) return i;
  throw new Error(`no token ${w}`);
};

describe("word-cluster templates", () => {
  const wc = lookup({ said: [11, 3, 1], stated: [11, 3, 1], hinted: [12, 3, 1], it: [40, 9, 2] });

  it("reads the three coarsest levels, coarse to fine", () => {
    expect(clusterLevels(wc)).toEqual([2, 1, 0]);
    expect(clusterGranularities(wc)).toEqual([50, 250, 1000]);
    expect(usesClusters(TEMPLATE_SETS["all+lemma+comp"])).toBe(false);
    expect(usesClusters(TEMPLATE_SETS["all+lemma+comp+clu"])).toBe(true);
  });

  it("gives words of one class the same feature and leaves the other templates alone", () => {
    const a = Doc.create({ text: "Smith stated it." });
    const b = Doc.create({ text: "Smith hinted it." });
    const fa = docFeatures(a, {}, 16, CLU, undefined, undefined, wc);
    const fb = docFeatures(b, {}, 16, CLU, undefined, undefined, wc);
    const F = CLU.length;
    const ia = tok(a, "stated") * F;
    const ib = tok(b, "hinted") * F;
    // finest level (template 51) differs, the two coarser ones (49, 50) agree
    expect(fa.flat[ia]).toBe(fb.flat[ib]);
    expect(fa.flat[ia + 1]).toBe(fb.flat[ib + 1]);
    expect(fa.flat[ia + 2]).not.toBe(fb.flat[ib + 2]);
    // "it" after either verb: its left neighbour's class (template 52, level 250) is the same
    expect(fa.flat[tok(a, "it") * F + 3]).toBe(fb.flat[tok(b, "it") * F + 3]);
    // unknown words share the "unknown" class; templates 0–48 do not read the clusters
    const u = docFeatures(Doc.create({ text: "Zorblax quixed it." }), {}, 16, [49], undefined, undefined, wc);
    expect(u.flat[0]).toBe(u.flat[1]);
    const base = TEMPLATE_SETS["all+lemma+comp"];
    const x = docFeatures(a, {}, 16, base, {}, undefined, wc);
    const y = docFeatures(a, {}, 16, base, {});
    expect([...x.flat]).toEqual([...y.flat]);
  });

  it("stores the granularities with a model and refuses to run without matching clusters", () => {
    const names = ["Smith", "Jones", "Garcia", "Chen"];
    const train = names.map((n) => {
      const text = `${n} said that taxes will rise.`;
      const doc = Doc.create({ text });
      const sp = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
      const rel = { id: "E1", source: [sp(n)], cue: [sp("said")], content: [sp("that taxes will rise")] };
      return { id: text, doc, tags: [goldTags(doc, [rel])] };
    });
    const opts = { epochs: 3, bits: 12, unit: "sentence" as const, features: "all+lemma+comp+clu" as const };
    expect(() => trainAttributionTagger(train, opts)).toThrow(/needs word clusters/);
    const model = trainAttributionTagger(train, { ...opts, clusters: wc });
    expect(model.model.clusters).toEqual({
      granularities: [50, 250, 1000],
      fingerprint: clusterFingerprint(wc),
    });
    const json = model.model;
    expect(() => new AttributionTagger(json)).toThrow(/needs the word clusters/);
    const other = { ...wc, granularities: [512, 128, 32] };
    expect(() => new AttributionTagger(json, other)).toThrow(/trained with word clusters/);
    // Same sizes, other classes (a retrained classes file): refused too.
    const renumbered = { ...wc, idsOf: (k: string) => (k === "the" ? Int32Array.of(1, 2, 3) : wc.idsOf(k)) };
    expect(() => new AttributionTagger(json, renumbered)).toThrow(/word classes differ/);
    const doc = Doc.create({ text: "Okafor said that the bridge is safe." });
    expect([...new AttributionTagger(json, wc).tagTokens(doc)]).toEqual([...model.tagTokens(doc)]);
  });
});
