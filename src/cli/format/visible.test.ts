import { describe, expect, it } from "vitest";

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;
import { Analysis } from "../../schema/analysis.js";
import { renderReport } from "./report.js";
import { visible, visibleDeep } from "./visible.js";

describe("control characters in terminal output", () => {
  it("are replaced one for one by visible stand-ins (offsets stay valid); tab and newline stay", () => {
    const s = "a\x1b[2Jb\x07c\td\ne\x7f\u009b";
    expect(visible(s)).toBe("a\u241b[2Jb\u2407c\td\ne\u2421\uFFFD");
    expect(visible(s)).toHaveLength(s.length);
    expect(visibleDeep({ x: ["\x1b", 3, null], y: { z: "\x00" } })).toEqual({
      x: ["\u241b", 3, null],
      y: { z: "\u2400" },
    });
  });

  it("bidirectional overrides and isolates are shown too: they would make the terminal show text reordered", () => {
    // "the vote was \u202Ediggir\u202C" displays as "the vote was rigged" while the text says otherwise.
    const s = "the vote was \u202Ediggir\u202C, \u2067x\u2069 \u202Ay\u202B";
    const v = visible(s);
    expect(v).toHaveLength(s.length);
    expect(v).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(v).toBe("the vote was \uFFFDdiggir\uFFFD, \uFFFDx\uFFFD \uFFFDy\uFFFD");
    // Marks that only set a direction (Arabic and Hebrew text uses them) reorder nothing: kept.
    expect(visible("\u200Fשלום\u200E")).toBe("\u200Fשלום\u200E");
  });

  it("never reach the terminal from a report, whatever the article or an imported fact-check holds", () => {
    const text = "Evil \x1b]0;pwned\x07 title\n\nThe mayor said the bridge will \x1b[2Jclose.";
    const start = text.indexOf("the bridge");
    const a = Analysis.parse({
      schema: "claimscope/analysis@1",
      document: { id: "evil.html", title: "Evil \x1b]0;pwned\x07 title", text, language: "eng" },
      sentences: [{ start: 0, end: text.length }],
      entities: [],
      claims: [
        {
          id: "c1",
          kind: "indirect",
          speaker: { name: "The mayor", type: "PERSON" },
          cue: null,
          content: { text: text.slice(start, text.length - 1), start, end: text.length - 1 },
          evidence: { status: "none-stated", markers: [] },
          hedges: [],
          sentence: 0,
          factChecks: [
            {
              claimReviewed: "x",
              rating: "False\x1b[8m",
              publisher: "P\x07",
              url: "https://c.example",
              score: 0.9,
            },
          ],
        },
      ],
      techniques: [],
      timings: {},
    });
    const plain = renderReport(a, { color: false });
    expect(plain).not.toMatch(CONTROL);
    expect(plain).toContain("Evil \u241b]0;pwned\u2407 title");
    expect(plain).toContain("the bridge will \u241b[2Jclose");
    const coloured = renderReport(a, { color: true });
    // only the report's own styling codes remain
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[[\d;]*m/g, "")).not.toMatch(CONTROL);
  });
});
