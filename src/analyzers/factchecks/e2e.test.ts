// End to end: import LIAR's train.tsv into a temp store, analyze a text that repeats one of its
// statements, and find PolitiFact's fact-check with the rating as published on the matching claim.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { describeShared, sharedPath } from "../../testing/shared.js";
import { importFactCheckFiles } from "../../cli/commands/factchecks.js";
import { createPipeline } from "../../pipeline/pipeline.js";

describeShared("fact-check memory end to end (LIAR)", ["data/liar/train.tsv"], () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-e2e-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    "shows PolitiFact's rating on the claim that repeats a LIAR statement",
    { timeout: 60_000 },
    async () => {
      const file = sharedPath("data/liar/train.tsv");
      const db = join(dir, "store.db");
      const [report] = await importFactCheckFiles(db, [file]);
      expect(report!.added).toBeGreaterThan(10_000);
      // A plain declarative statement (no "Says", no quotes), so the text reads naturally.
      const rows = readFileSync(file, "utf8")
        .split("\n")
        .map((l) => l.split("\t"))
        .filter(
          (c) =>
            c.length >= 3 &&
            /^[A-Z][a-z]/.test(c[2]!) &&
            !/^Says\b|["“”?]/.test(c[2]!) &&
            /\.$/.test(c[2]!) &&
            c[2]!.length > 60 &&
            c[2]!.length < 140,
        );
      const [, label, statement, , speaker] = rows[0]!;
      const pipeline = await createPipeline({
        db,
        stages: ["entities", "attribution", "checkworthiness", "factchecks"],
      });
      const text = `Senator John Miller said that ${statement![0]!.toLowerCase()}${statement!.slice(1)}`;
      const analysis = pipeline.analyze({ title: "Senator speaks at town hall", text });
      const withChecks = analysis.claims.filter((c) => c.factChecks && c.factChecks.length > 0);
      expect(withChecks.length).toBeGreaterThan(0);
      const top = withChecks[0]!.factChecks![0]!;
      expect(top).toMatchObject({ claimReviewed: statement, rating: label, publisher: "PolitiFact" });
      // Who made the claim, as PolitiFact names them (LIAR's speaker slug).
      expect(top.claimant).toBe(speaker!.trim().replace(/-/g, " "));
      expect(top.claimant!.length).toBeGreaterThan(0);
      expect(withChecks[0]!.checkworthiness).toBeGreaterThanOrEqual(0);
      // The text repeats the whole statement, and the match points at its words inside the claim.
      expect(top.overlap!.factCheck).toBe(1);
      const { content } = withChecks[0]!;
      expect(top.matched!.length).toBeGreaterThan(3);
      for (const s of top.matched!) {
        expect(s.start).toBeGreaterThanOrEqual(content.start);
        expect(s.end).toBeLessThanOrEqual(content.end);
      }
    },
  );
});
