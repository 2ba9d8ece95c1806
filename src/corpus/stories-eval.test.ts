// The story-clustering evaluation: gold stories from FNC-1 related pairs (synthetic CSVs), the ingest
// order, and the measured quality on a fixed subset of the FNC-1 training bodies.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeShared } from "../testing/shared.js";
import { clusterTerms, groupSizes, ingestOrder, loadFncStories, scoreClustering } from "./stories-eval.js";
import { tasks } from "./task.js";

describe("FNC-1 gold stories", () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-stories-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bodies = join(dir, "train_bodies.csv");
  const stances = join(dir, "train_stances.csv");
  writeFileSync(bodies, 'Body ID,articleBody\n10,"ten"\n2,"two"\n7,"seven"\n3,"three"\n30,"thirty"\n');
  // Headline A links bodies 2 and 7, headline B links 7 and 10 (so 2, 7, 10 are one claim); headline C
  // holds body 3 only; the unrelated pairs (A-3, C-30) join nothing, so body 30 stands alone.
  writeFileSync(
    stances,
    [
      "Headline,Body ID,Stance",
      "A,2,agree",
      "A,7,discuss",
      "B,7,disagree",
      "B,10,agree",
      "A,3,unrelated",
      '"C, with a comma",3,discuss',
      '"C, with a comma",30,unrelated',
    ].join("\n") + "\n",
  );
  writeFileSync(join(dir, "baseline_training_body_ids.txt"), "10\n3\n2\n");
  writeFileSync(join(dir, "baseline_hold_out_body_ids.txt"), "7\n30");

  it("groups bodies by connected related pairs, in numeric body-id order", () => {
    const all = loadFncStories(bodies, stances, "all");
    expect(all.ids).toEqual(["2", "3", "7", "10", "30"]);
    expect(all.texts).toEqual(["two", "three", "seven", "ten", "thirty"]);
    expect(all.gold).toEqual([0, 1, 0, 0, 2]);
    expect(groupSizes(all.gold)).toEqual([3, 1, 1]);
  });

  it("keeps the groups when a split drops the body that linked them", () => {
    // Bodies 2 and 10 are linked only through body 7 (holdout): still one claim.
    expect(loadFncStories(bodies, stances, "train")).toMatchObject({
      ids: ["2", "3", "10"],
      gold: [0, 1, 0],
    });
    expect(loadFncStories(bodies, stances, "holdout").ids).toEqual(["7", "30"]);
  });

  it("clusters in the given order and scores against the gold", () => {
    const sport = { football: 3, goal: 2, madrid: 2, coach: 2 };
    const quake = { earthquake: 3, tsunami: 2, japan: 2, coast: 2 };
    const terms = [sport, quake, { ...sport, league: 1 }, { ...quake, warning: 1 }];
    for (const order of [ingestOrder(4), ingestOrder(4, 7)]) {
      const pred = clusterTerms(terms, order, {});
      expect(pred[0]).toBe(pred[2]);
      expect(pred[1]).toBe(pred[3]);
      expect(pred[0]).not.toBe(pred[1]);
      const s = scoreClustering([0, 1, 0, 1], pred);
      expect(s).toMatchObject({ ari: 1, stories: 2, gold: 2, n: 4 });
      expect(s.bcubed.f1).toBe(1);
    }
    expect([...ingestOrder(50, 3)].sort((a, b) => a - b)).toEqual(ingestOrder(50));
    expect(ingestOrder(50, 3)).not.toEqual(ingestOrder(50));
  });
});

describeShared("story clustering on FNC-1 (first 300 training bodies)", ["data/fnc1"], () => {
  it("keeps the measured B-cubed F1", async () => {
    const run = tasks.find((t) => t.name === "stories")!.eval!.run;
    const r = (await run({ split: "train", limit: "300" })) as unknown as {
      bcubed: { f1: number };
      gold: number;
      n: number;
    };
    expect(r.n).toBe(300);
    expect(r.gold).toBe(138);
    // Measured with the shipped defaults (threshold 0.3, 60 vector terms, entity weight 0.5): 0.9332.
    expect(Math.abs(r.bcubed.f1 - 0.9332)).toBeLessThanOrEqual(0.01);
  }, 60_000);
});
