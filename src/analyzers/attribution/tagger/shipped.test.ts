// The shipped tagger's dev numbers in models/attribution/card.json are what `claimscope eval attribution --raw`
// produces (to ±0.005, the reproducibility bound), and the eval prints the promised JSON shape.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { describeShared } from "../../../testing/shared.js";
import { modelsDir, sharedDir } from "../../../util/paths.js";
import { tasks } from "../task.js";

interface Check {
  eval: string;
  args: Record<string, string | boolean>;
  metrics: Record<string, number>;
}

const at = (o: unknown, path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>(
      (x, k) => (x && typeof x === "object" ? (x as Record<string, unknown>)[k] : undefined),
      o,
    );

describeShared("attribution: shipped tagger on PolNeAR dev", ["data/polnear/dev"], () => {
  const cardPath = join(modelsDir(), "attribution", "card.json");

  it("reproduces the card's raw-tagger numbers and prints every span type, exact and overlap", async () => {
    expect(existsSync(cardPath), cardPath).toBe(true);
    const card = JSON.parse(readFileSync(cardPath, "utf8")) as { checks: Check[] };
    const check = card.checks.find((c) => c.eval === "attribution" && c.args.raw === true);
    expect(check, "card has a --raw check").toBeDefined();
    const args = Object.fromEntries(
      Object.entries(check!.args).map(([k, v]) => [
        k,
        typeof v === "string" ? v.replaceAll("${data}", join(sharedDir(), "data")) : v,
      ]),
    );
    const result = await tasks[0]!.eval!.run(args);
    expect(result.task).toBe("attribution");
    for (const role of ["cue", "source", "content"]) {
      for (const kind of ["exact", "overlap"])
        for (const m of ["p", "r", "f1"])
          expect(typeof at(result, `${role}.${kind}.${m}`), `${role}.${kind}.${m}`).toBe("number");
    }
    for (const [metric, expected] of Object.entries(check!.metrics)) {
      expect(
        Math.abs((at(result, metric) as number) - expected),
        `${metric}: card ${expected}`,
      ).toBeLessThanOrEqual(0.005);
    }
  }, 300_000);
});
