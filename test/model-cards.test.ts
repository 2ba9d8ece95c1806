// Quality is guarded like code: every shipped model's card lists dev-set checks; each is re-run here
// and fails when a number falls more than one point below the card.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findTask } from "../src/tasks.js";
import { modelsDir, sharedDir } from "../src/util/paths.js";
import { describeShared } from "../src/testing/shared.js";

interface Card {
  task: string;
  checks: { eval: string; args: Record<string, string | boolean>; metrics: Record<string, number> }[];
}

const TOLERANCE = 0.01;

function cards(): { dir: string; card: Card }[] {
  const root = modelsDir();
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((d) => existsSync(join(root, d, "card.json")))
    .map((d) => ({ dir: d, card: JSON.parse(readFileSync(join(root, d, "card.json"), "utf8")) as Card }));
}

function at(obj: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined),
      obj,
    );
}

describe("model cards", () => {
  it("every shipped model directory has a card with at least one check and a MODEL_CARD.md", () => {
    const root = modelsDir();
    const dirs = existsSync(root) ? readdirSync(root).filter((d) => !d.startsWith(".")) : [];
    for (const d of dirs) {
      expect(existsSync(join(root, d, "MODEL_CARD.md")), `${d}/MODEL_CARD.md`).toBe(true);
    }
    for (const { dir, card } of cards()) {
      expect(Array.isArray(card.checks), `${dir}/card.json checks`).toBe(true);
      for (const c of card.checks) {
        expect(findTask(c.eval)?.eval, `${dir}: eval task "${c.eval}" exists`).toBeDefined();
        expect(Object.keys(c.metrics).length, `${dir}: metrics`).toBeGreaterThan(0);
      }
    }
  });
});

describeShared("model quality on dev data (within 1 point of each card)", ["data"], () => {
  for (const { dir, card } of cards()) {
    card.checks.forEach((check, k) => {
      it(`${dir} #${k + 1}: ${check.eval}`, async () => {
        const task = findTask(check.eval)!;
        const args = Object.fromEntries(
          Object.entries(check.args).map(([key, v]) => [
            key,
            typeof v === "string" ? v.replaceAll("${data}", join(sharedDir(), "data")) : v,
          ]),
        );
        const result = await task.eval!.run(args);
        for (const [metric, expected] of Object.entries(check.metrics)) {
          const got = at(result, metric);
          expect(typeof got, `${dir}: ${metric} in ${JSON.stringify(result)}`).toBe("number");
          expect(got as number, `${dir}: ${metric} (card ${expected})`).toBeGreaterThanOrEqual(
            expected - TOLERANCE,
          );
        }
      }, 600_000);
    });
  }
});
