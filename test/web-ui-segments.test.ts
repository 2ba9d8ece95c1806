// The web UI (web/app.js) cuts document.text into segments at every span's ends and marks each segment with
// the layers whose spans cover it. Checked against the analysis itself on a real article (many overlapping
// claims, cues, entities, techniques): the segments spell the text, and a segment carries a layer's class
// exactly when one of that layer's spans covers it.
import { readFileSync } from "node:fs";
import { beforeAll, expect, it } from "vitest";
import { analyze, type Analysis } from "../src/index.js";
import { describeShared, sharedPath } from "../src/testing/shared.js";
import { loadWebUi, ok, type UiNode } from "./web-ui-dom.js";

type Span = { start: number; end: number };

describeShared("web UI segments", ["examples/putin-us-strike-syria.txt"], () => {
  let analysis: Analysis;
  let segs: UiNode[];

  beforeAll(async () => {
    const raw = readFileSync(sharedPath("examples", "putin-us-strike-syria.txt"), "utf8");
    const [title, ...rest] = raw.split("\n");
    analysis = await analyze({ title, text: rest.join("\n") });
    const ui = await loadWebUi(async () => ok(analysis));
    await ui.submit("x", 50);
    segs = [...ui.document.querySelector("#doc")!.querySelectorAll("span[data-start]")];
  });

  it("spells document.text and marks each segment exactly with the layers covering it", () => {
    expect(segs.map((s) => s.textContent).join("")).toBe(analysis.document.text);
    const layers: Record<string, Span[]> = {
      "m-claim": analysis.claims.flatMap((c) => (c.content.parts?.length ? c.content.parts : [c.content])),
      "m-cue": analysis.claims.flatMap((c) => (c.cue ? [c.cue] : [])),
      "m-evidence": analysis.claims.flatMap((c) => c.evidence.markers),
      "m-hedge": analysis.claims.flatMap((c) => c.hedges),
      "m-technique": analysis.techniques,
      "m-entity": analysis.entities.flatMap((e) => e.mentions),
    };
    expect(layers["m-claim"]!.length).toBeGreaterThan(5);
    expect(layers["m-entity"]!.length).toBeGreaterThan(5);
    let marked = 0;
    for (const seg of segs) {
      const s = Number(seg.dataset.start);
      const e = Number(seg.dataset.end);
      for (const [cls, spans] of Object.entries(layers)) {
        const covered = spans.some((x) => x.end > x.start && x.start <= s && x.end >= e);
        expect(seg.classList.contains(cls), `${cls} @${s}-${e}`).toBe(covered);
        if (covered) marked++;
      }
    }
    expect(marked).toBeGreaterThan(50);
  });
});
