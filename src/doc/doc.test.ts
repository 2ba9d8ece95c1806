import { describe, expect, it } from "vitest";
import { breakLongRuns, Doc, LONG_RUN } from "./doc.js";
import { normalizeText, OffsetMap } from "./normalize.js";

describe("normalizeText", () => {
  it("unifies quotes, dashes and spaces and maps offsets back", () => {
    const original = "He said \u201Cyes\u201D \u2014 then\u2026 left\u00A0now.";
    const { text, map } = normalizeText(original);
    expect(text).toBe('He said "yes" - then... left now.');
    const thenAt = text.indexOf("then");
    expect(original.slice(map.start(thenAt), map.end(thenAt + 4))).toBe("then");
    // The expanded ellipsis maps back to the single original character.
    const dots = text.indexOf("...");
    expect(original.slice(map.start(dots), map.end(dots + 3))).toBe("\u2026");
    const left = text.indexOf("left");
    expect(original.slice(map.start(left), map.end(left + 4))).toBe("left");
  });

  it("removes zero-width characters without shifting later offsets", () => {
    const original = "a\u200Bb c";
    const { text, map } = normalizeText(original);
    expect(text).toBe("ab c");
    expect(original.slice(map.start(3), map.end(4))).toBe("c");
  });

  it("is the identity when nothing needs normalising", () => {
    const m = OffsetMap.identity(5);
    expect(m.start(3)).toBe(3);
    expect(m.end(5)).toBe(5);
  });
});

describe("Doc", () => {
  const body =
    "Vladimir Putin\u2019s aide said \u201Cwe will go\u201D \u2014 without proof\u2026 The U.S. disagreed.\n\nA second paragraph follows here.";
  const doc = Doc.create({ title: "Putin: U.S. Will Strike Syrian Capital", text: body });

  it("puts the headline first and records its span", () => {
    expect(doc.meta.headline).toEqual({ start: 0, end: 38 });
    expect(doc.slice(doc.meta.headline!)).toBe("Putin: U.S. Will Strike Syrian Capital");
    expect(doc.text.endsWith("A second paragraph follows here.")).toBe(true);
  });

  it("prepends a title unless the body already opens with it, ending on a word boundary", () => {
    const prefix = Doc.create({ title: "T", text: "The mayor said the bridge will close." });
    expect(prefix.text).toBe("T\n\nThe mayor said the bridge will close.");
    expect(prefix.slice(prefix.meta.headline!)).toBe("T");
    const repeated = Doc.create({ title: "Bridge to close", text: "Bridge to close\n\nThe mayor said so." });
    expect(repeated.text).toBe("Bridge to close\n\nThe mayor said so.");
    expect(repeated.meta.headline).toEqual({ start: 0, end: 15 });
  });

  it("keeps every token offset pointing into the original text", () => {
    for (let i = 0; i < doc.tokens.count; i++) {
      const t = doc.tokenText(i);
      expect(t.length).toBeGreaterThan(0);
      expect(t.trim()).toBe(t);
    }
    const quoteTok = Array.from({ length: doc.tokens.count }, (_, i) => i).find(
      (i) => doc.tokenText(i) === "\u201C",
    );
    expect(quoteTok).toBeDefined();
    expect(doc.tokens.norm[quoteTok!]).toBe('"');
    const ell = Array.from({ length: doc.tokens.count }, (_, i) => i).find((i) =>
      doc.tokenText(i).includes("\u2026"),
    );
    expect(ell).toBeDefined();
  });

  it("treats the headline as one sentence and breaks sentences at paragraphs", () => {
    expect(doc.slice(doc.sentences[0]!)).toBe("Putin: U.S. Will Strike Syrian Capital");
    const texts = doc.sentences.map((s) => doc.slice(s));
    expect(texts).toContain("The U.S. disagreed.");
    expect(texts[texts.length - 1]).toBe("A second paragraph follows here.");
    for (const s of doc.sentences) {
      expect(doc.tokens.sentence[s.tokStart]).toBe(doc.sentences.indexOf(s));
      expect(s.start).toBe(doc.tokens.start[s.tokStart]);
      expect(s.end).toBe(doc.tokens.end[s.tokEnd - 1]);
    }
    expect(doc.paragraphs.length).toBe(3);
  });

  it("does not end a sentence after an abbreviation followed by a lower-case word", () => {
    const d = Doc.create({
      text: "Sen. Claire McCaskill (D-Mo.) said the bill failed. She left. Gov. Jerry Brown (D-Calif.) told reporters so.",
    });
    expect(d.sentences.map((s) => d.slice(s))).toEqual([
      "Sen. Claire McCaskill (D-Mo.) said the bill failed.",
      "She left.",
      "Gov. Jerry Brown (D-Calif.) told reporters so.",
    ]);
  });

  it("splits a short paragraph whose next sentence opens with a quote", () => {
    const d = Doc.create({
      text: "“We have balanced the books,” Chen told reporters. “Nobody will lose their job.”\n\nPutin: U.S. Will Strike",
    });
    expect(d.sentences.map((s) => d.slice(s))).toEqual([
      "“We have balanced the books,” Chen told reporters.",
      "“Nobody will lose their job.”",
      "Putin: U.S. Will Strike",
    ]);
  });

  it("does not end a sentence inside a domain name", () => {
    const d = Doc.create({
      text: "The disclosures on sites like DCLeaks.com and WikiLeaks are consistent. He wrote on Breitbart.com that it was true.",
    });
    expect(d.sentences.map((s) => d.slice(s))).toEqual([
      "The disclosures on sites like DCLeaks.com and WikiLeaks are consistent.",
      "He wrote on Breitbart.com that it was true.",
    ]);
  });

  it("finds tokens and sentences by offset", () => {
    const off = doc.text.indexOf("disagreed");
    const i = doc.tokenAtOrAfter(off);
    expect(doc.tokenText(i)).toBe("disagreed");
    expect(doc.slice(doc.sentences[doc.sentenceAt(off)]!)).toBe("The U.S. disagreed.");
    expect(doc.posOf(doc.tokenAtOrAfter(doc.text.indexOf("Putin", 40)))).toBe("PROPN");
  });

  it("finds dates and numbers", () => {
    const d = Doc.create({ text: "On 14 April 2017, 3.5 million people voted." });
    const types = d.layers.quantities.map((q) => `${q.type}:${d.slice(q)}`);
    expect(types).toContain("DATE:14 April 2017");
    expect(types).toContain("CARDINAL:3.5 million");
  });

  it("handles empty text", () => {
    const d = Doc.create({ text: "" });
    expect(d.tokens.count).toBe(0);
    expect(d.sentences).toEqual([]);
  });
});

describe("very long tokens", () => {
  it("are cut for wink every LONG_RUN characters, keeping the length and the text", () => {
    const blob = "a".repeat(2 * LONG_RUN + 10);
    const cut = breakLongRuns(`x ${blob} y`);
    expect(cut.length).toBe(blob.length + 4);
    expect(cut.split(" ").map((w) => w.length)).toEqual([1, LONG_RUN - 1, LONG_RUN - 1, 10, 1]);
    expect(breakLongRuns("short words only")).toBe("short words only");
  });

  it("keep the document's text and offsets: every token lies inside the run it came from", () => {
    const text = `Intro sentence here. ${"Zq".repeat(50_000)} The end came.`;
    const doc = Doc.create({ text });
    expect(doc.text).toBe(text);
    expect(doc.tokens.count).toBeGreaterThan(50);
    for (let i = 0; i < doc.tokens.count; i++) expect(doc.tokenText(i)).not.toMatch(/\s/);
    expect(doc.tokenText(doc.tokens.count - 2)).toBe("came");
  });
});
