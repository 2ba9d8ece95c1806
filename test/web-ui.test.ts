// The web UI (web/app.js) in a DOM emulation: it renders an analysis from the server with every highlight at
// the analysis's own character offsets, and focusing a claim marks exactly that claim's spans.
import { beforeAll, describe, expect, it } from "vitest";
import { analyze, type Analysis } from "../src/index.js";
import { loadWebUi, ok, type UiDom, type WebUi } from "./web-ui-dom.js";

describe("web UI", () => {
  let analysis: Analysis;
  let ui: WebUi;
  let document: UiDom;
  const requests: { path: string; body: string | undefined }[] = [];

  beforeAll(async () => {
    analysis = await analyze({
      title: "Minister says bridge will close",
      text:
        "The bridge over the Elm river will close for repairs in May, Transport Minister Anna Berg said.\n" +
        "Opposition leader Tom Hale claimed the repairs were a waste of money. He did not offer any proof.",
    });
    ui = await loadWebUi(async (path, init) => {
      requests.push({ path, body: init?.body });
      return ok(analysis);
    });
    document = ui.document;
  });

  it("sends the pasted article and renders document.text with highlights at the analysis offsets", async () => {
    document.querySelector("#title")!.value = "Minister says bridge will close";
    await ui.submit("The bridge … proof.");
    expect(requests[0]).toEqual({
      path: "/api/analyze",
      body: JSON.stringify({ title: "Minister says bridge will close", text: "The bridge … proof." }),
    });
    const doc = document.querySelector("#doc")!;
    expect(doc.textContent).toBe(analysis.document.text);
    // Each segment carries its offsets; a claim's content is exactly the segments it covers.
    const segs = [...doc.querySelectorAll("span[data-start]")];
    const hale = analysis.claims.findIndex((c) => c.speaker?.name.includes("Hale"));
    expect(hale).toBeGreaterThanOrEqual(0);
    const c = analysis.claims[hale]!;
    const inside = segs.filter(
      (s) => Number(s.dataset.start) >= c.content.start && Number(s.dataset.end) <= c.content.end,
    );
    expect(inside.map((s) => s.textContent).join("")).toBe(c.content.text);
    expect(inside.every((s) => s.classList.contains("m-claim"))).toBe(true);
    expect(inside.every((s) => s.classList.contains("ev-unsupported"))).toBe(true);
  });

  it("lists the claims by speaker and focuses one claim's spans when it is clicked", async () => {
    const cards = [...document.querySelectorAll("#claims .card")];
    expect(cards).toHaveLength(analysis.claims.length);
    const card = cards.find((k) => k.textContent!.includes("waste of money"))!;
    card.dispatchEvent(ui.event("click"));
    const focused = [...document.querySelectorAll("#doc .focus")].map((s) => s.textContent).join("");
    expect(focused).toContain("the repairs were a waste of money");
    expect(focused).toContain("claimed");
    expect(focused).not.toContain("Elm river");
    expect(document.querySelector("#detail")!.textContent).toMatch(/unsupported/);
  });

  it("says why an article has no credibility score, in the analysis's own words", async () => {
    analysis = await analyze({
      title: "Bridge to close",
      text: "The bridge will close in May, the minister said.",
    });
    expect(analysis.credibility).toBeUndefined();
    await ui.submit("The bridge will close in May, the minister said.");
    expect(document.querySelector("#credibility")!.textContent).toContain(
      `Not assessed: ${analysis.skipped!.credibility!}.`,
    );
  });
});
