// The web UI lists claims by speaker, or as one list with the most check-worthy first: a fact-checker's first pass.
import { readFileSync } from "node:fs";
import { beforeAll, expect, it } from "vitest";
import { analyze, type Analysis } from "../src/index.js";
import { describeShared, sharedPath } from "../src/testing/shared.js";
import { loadWebUi, ok, type UiDom, type WebUi } from "./web-ui-dom.js";

describeShared("web UI: claim order", ["examples/putin-us-strike-syria.txt"], () => {
  let analysis: Analysis;
  let ui: WebUi;
  let document: UiDom;
  const worth = () =>
    [...document.querySelectorAll("#claims .card .worth")].map((t) =>
      Number(/(\d+)%/.exec(t.textContent!)![1]),
    );

  beforeAll(async () => {
    analysis = await analyze(readFileSync(sharedPath("examples/putin-us-strike-syria.txt"), "utf8"));
    ui = await loadWebUi(async () => ok(analysis));
    document = ui.document;
    await ui.submit();
  });

  it("shows every claim's check-worthiness, and orders them by it on request", () => {
    expect(worth()).toHaveLength(analysis.claims.length);
    const bySpeaker = worth();
    const button = [...document.querySelectorAll("#claims .orders button")].find((b) =>
      b.textContent!.includes("check-worthy"),
    )!;
    button.dispatchEvent(ui.event("click"));
    const ordered = worth();
    expect(ordered).toEqual([...bySpeaker].sort((x, y) => y - x));
    expect(ordered).not.toEqual(bySpeaker); // the example's speakers do not come in that order
    const top = Math.max(...analysis.claims.map((c) => c.checkworthiness!));
    expect(ordered[0]).toBe(Math.round(top * 100));
    // Each card of the flat list names its speaker.
    expect(document.querySelector("#claims .card strong")!.textContent).toMatch(/\S/);
  });
});
