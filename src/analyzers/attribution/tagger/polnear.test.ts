import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseBrat, readPolnear } from "./polnear.js";

// An invented article and two invented annotators' standoff files.
const TEXT =
  'Rain Due Tomorrow\n\nThe mayor said the bridge will close, and "it will reopen," she added. Nobody knows.\n';
const at = (s: string, from = 0) => TEXT.indexOf(s, from);
let base = 0;
const span = (s: string, from = 0) => `${base + at(s, from)} ${base + at(s, from) + s.length}`;
const annA = () =>
  [
    `T1\tSource ${span("The mayor")}\tThe mayor`,
    `T2\tCue ${span("said")}\tsaid`,
    `T3\tContent ${span("the bridge will close")}\tthe bridge will close`,
    `T4\tAttribution ${span("said")}\tsaid`,
    `E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1`,
    // discontinuous content, no-source relation, a Content2 role
    `T5\tContent ${span("it will")};${span("reopen")}\tit will reopen`,
    `T6\tCue ${span("added")}\tadded`,
    `T7\tAttribution-no-source ${span("added")}\tadded`,
    `T8\tContent ${span("Nobody")}\tNobody`,
    `E2\tAttribution-no-source:T7 Cue:T6 Content:T5 Content2:T8`,
    `T9\tDiscuss ${span("Nobody knows")}\tNobody knows`,
  ].join("\n");
const annB = () =>
  [
    `T1\tCue ${span("added")}\tadded`,
    `T2\tContent ${span("it will reopen")}\tx`,
    `E1\tAttribution:T1 Cue:T1 Content:T2`,
  ].join("\n");
const ANN_A = annA();
const PREFIX = "\n  ";
base = PREFIX.length;
const RAW_A = annA();
const RAW_B = annB();

describe("parseBrat", () => {
  const { relations, textBounds } = parseBrat(ANN_A);
  it("reads text-bound spans, including discontinuous ones", () => {
    expect(textBounds.get("T5")!.fragments).toEqual([
      { start: at("it will"), end: at("it will") + 7 },
      { start: at("reopen"), end: at("reopen") + 6 },
    ]);
    expect(textBounds.get("T9")!.type).toBe("Discuss");
  });
  it("builds relations from E lines (Attribution and Attribution-no-source), with Content2 merged into content", () => {
    expect(relations).toHaveLength(2);
    const [r1, r2] = relations;
    expect(TEXT.slice(r1!.source![0]!.start, r1!.source![0]!.end)).toBe("The mayor");
    expect(TEXT.slice(r1!.cue![0]!.start, r1!.cue![0]!.end)).toBe("said");
    expect(r2!.source).toBeNull();
    expect(r2!.content.map((f) => TEXT.slice(f.start, f.end))).toEqual(["it will", "reopen", "Nobody"]);
  });
  it("shifts offsets when leading whitespace is trimmed", () => {
    const shifted = parseBrat(ANN_A, 3).relations[0]!;
    expect(shifted.cue![0]!.start).toBe(at("said") - 3);
  });
});

describe("readPolnear", () => {
  const dir = mkdtempSync(join(tmpdir(), "polnear-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "text"));
  mkdirSync(join(dir, "attributions"));
  writeFileSync(join(dir, "text", "site_2016-01-01_rain.txt"), PREFIX + TEXT);
  writeFileSync(join(dir, "text", "site_2016-01-02_unannotated.txt"), "No annotations here.");
  // name order decides which annotator is scored against: "1abc" < "9xyz"
  writeFileSync(join(dir, "attributions", "site_2016-01-01_rain_9xyz.ann"), RAW_B);
  writeFileSync(join(dir, "attributions", "site_2016-01-01_rain_1abc.ann"), RAW_A);

  it("pairs texts with every annotator's file, first in name order, and skips unannotated texts", () => {
    const docs = readPolnear(dir);
    expect(docs.map((d) => d.id)).toEqual(["site_2016-01-01_rain"]);
    const d = docs[0]!;
    expect(d.annotations.map((a) => a.annotator)).toEqual(["1abc", "9xyz"]);
    expect(d.annotations[0]!.relations).toHaveLength(2);
    expect(d.annotations[1]!.relations).toHaveLength(1);
  });
  it("trims the text like Doc.create and shifts offsets to match", () => {
    const d = readPolnear(dir)[0]!;
    expect(d.text).toBe(TEXT.trim());
    const cue = d.annotations[0]!.relations[0]!.cue![0]!;
    expect(d.text.slice(cue.start, cue.end)).toBe("said");
  });
  it("rejects a folder without the PolNeAR layout", () => {
    expect(() => readPolnear(join(dir, "text"))).toThrow(/text\/ and attributions\//);
  });
});
