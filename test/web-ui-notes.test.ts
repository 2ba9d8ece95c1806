// The web UI's notes panel (web/app.js) says what the reader must know before quoting the text: here, that
// characters of an uploaded file could not be decoded (a Windows-1252 .txt sent as UTF-8 shows U+FFFD), which
// `claimscope analyze` says on stderr.
import { beforeAll, describe, expect, it } from "vitest";
import { analyze, type Analysis } from "../src/index.js";
import { loadWebUi, ok, type FetchInit, type UiDom, type WebUi } from "./web-ui-dom.js";

describe("web UI notes: undecodable characters", () => {
  let document: UiDom;
  let ui: WebUi;
  let next: Analysis;
  const sent: FetchInit[] = [];

  const show = async (a: Analysis) => {
    next = a;
    await ui.submit();
  };

  beforeAll(async () => {
    ui = await loadWebUi(async (_path, init) => {
      sent.push(init);
      return ok(next);
    });
    document = ui.document;
  });

  it("counts the U+FFFD characters and says the file was probably not UTF-8", async () => {
    await show(await analyze({ text: "The caf\uFFFD owner said the rent rose by 40\uFFFD last year." }));
    const notes = document.querySelector("#notes")!;
    expect(notes.hidden).toBe(false);
    expect(notes.textContent).toMatch(/2 characters could not be decoded/);
    expect(notes.textContent).toMatch(/not UTF-8/);
  });

  it("says nothing when every character was decoded", async () => {
    await show(await analyze({ text: "The café owner said the rent rose by 40% last year." }));
    expect(document.querySelector("#notes")!.hidden).toBe(true);
  });

  it("sends an uploaded file with the type the CLI would read it as (Markdown included)", async () => {
    next = await analyze({ text: "The mayor said the bridge will close." });
    const types: string[] = [];
    for (const [name, type] of [
      ["notes.md", ""],
      ["page.htm", ""],
      ["article.txt", "text/plain"],
      ["post.markdown", "text/markdown"],
    ] as const) {
      const input = document.querySelector("#file")!;
      input.files = [{ name, type, arrayBuffer: async () => new ArrayBuffer(4) }];
      sent.length = 0;
      input.dispatchEvent(ui.event("change"));
      await new Promise((r) => setTimeout(r, 20));
      types.push(sent[0]!.headers!["content-type"]!);
    }
    expect(types).toEqual(["text/markdown", "text/html", "text/plain", "text/markdown"]);
  });

  it("shortens a long claim in the claims panel without cutting an emoji in half", async () => {
    const a = await analyze({ text: "The mayor said the bridge will close in May." });
    const c = a.claims[0]!;
    c.content.text = "x".repeat(199) + "🔥".repeat(20);
    await show(a);
    const card = document.querySelector("#claims .card")!;
    expect(card.textContent).toContain("x".repeat(199) + "…");
    expect(card.textContent).not.toMatch(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
    );
  });
});
