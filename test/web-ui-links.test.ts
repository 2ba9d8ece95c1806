// The web UI (web/app.js) shows imported fact-checks, whose URLs come from files anyone can write: only an
// http(s) address may become a link; anything else (javascript:, data:, a CLEF urn:) is shown as text.
import { beforeAll, describe, expect, it } from "vitest";
import { analyze, type Analysis } from "../src/index.js";
import { loadWebUi, ok, type UiDom } from "./web-ui-dom.js";

const URLS = [
  "javascript:alert(document.domain)",
  " JavaScript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "urn:clef2020-checkthat-task2:vclaim:42",
  "https://factcheck.example/review/1",
];

describe("web UI: fact-check links", () => {
  let analysis: Analysis;
  let document: UiDom;

  beforeAll(async () => {
    analysis = await analyze({
      text: "Opposition leader Tom Hale claimed the repairs were a waste of money. He did not offer any proof.",
    });
    expect(analysis.claims.length).toBeGreaterThan(0);
    analysis.claims[0]!.factChecks = URLS.map((url, i) => ({
      claimReviewed: `reviewed claim ${i}`,
      rating: "False",
      publisher: `Publisher ${i}`,
      url,
      score: 0.95,
    }));
    const ui = await loadWebUi(async () => ok(analysis));
    document = ui.document;
    await ui.submit();
    const card = [...document.querySelectorAll("#claims .card")][0]!;
    card.dispatchEvent(ui.event("click"));
  });

  it("links only http(s) fact-check addresses and shows the others as text", () => {
    const hrefs = [...document.querySelectorAll("#detail .factcheck a")].map((a) => a.getAttribute("href"));
    expect(hrefs).toEqual(["https://factcheck.example/review/1"]);
    const detail = document.querySelector("#detail")!.textContent!;
    // Nothing the file gave is hidden: every publisher is on the page, and every address not linked is shown.
    for (const [i, url] of URLS.entries()) {
      expect(detail).toContain(`Publisher ${i}`);
      if (!url.startsWith("https:")) expect(detail).toContain(`(${url.trim()})`);
    }
  });
});
