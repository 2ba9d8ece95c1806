import { describe, expect, it } from "vitest";

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;
import { fromBuffer } from "./index.js";

describe("page metadata is tidied like the text", () => {
  it("a <title> or author carrying terminal escapes and control characters loses them", () => {
    const html =
      "<html><head><title>Evil &#27;[2J&#27;]0;pwned&#7; title</title>" +
      '<meta name="author" content="Jane&#27;[31m Reporter"></head><body><article><h1>Headline</h1>' +
      "<p>The mayor said the bridge will close in May, officials confirmed on Monday in a statement.</p>" +
      "<p>Critics claimed the repairs were a waste of money, but they did not offer any proof for it.</p>" +
      "</article></body></html>";
    const doc = fromBuffer(Buffer.from(html), { filename: "evil.html" });
    for (const v of [doc.title, doc.byline, doc.source, doc.text])
      if (v !== undefined) expect(v).not.toMatch(CONTROL);
    expect(doc.title).toBe("Evil ]0;pwned title");
    expect(doc.byline).toBe("Jane Reporter");
  });
});
