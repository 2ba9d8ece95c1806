import { describe, expect, it } from "vitest";
import { parseHTML } from "linkedom";
import { blockText } from "./html.js";
import { fromBuffer } from "./index.js";

const P = "The mayor said the bridge will close in May, officials confirmed on Monday in a statement.";

describe("HTML nested thousands of levels deep (div soup)", () => {
  it("is read without overflowing the call stack", () => {
    const depth = 12000;
    const html = `<html><body>${"<div>".repeat(depth)}<p>${P}</p><p>${P}</p>${"</div>".repeat(depth)}</body></html>`;
    const doc = fromBuffer(Buffer.from(html), { filename: "deep.html" });
    expect(doc.text).toBe(`${P}\n\n${P}`);
  });

  it("blockText keeps document order, block breaks and skipped elements as before", () => {
    const { document } = parse(
      "<body><div>One <b>two</b><br>three<p>four</p><script>x()</script>five</div><ul><li>six</li><li>seven</li></ul></body>",
    );
    expect(blockText(document.body)).toBe("One two\n\nthree\n\nfour\n\nfive\n\nsix\n\nseven");
  });
});

function parse(html: string) {
  return parseHTML(`<!doctype html><html>${html}</html>`) as unknown as {
    document: { body: Parameters<typeof blockText>[0] };
  };
}
