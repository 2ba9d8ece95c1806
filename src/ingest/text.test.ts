import { describe, expect, it } from "vitest";
import { decodeText } from "./text.js";
import { fromBuffer } from "./index.js";

describe("decodeText: windows-1252 (and the iso-8859-1 / latin1 labels that mean it on the web)", () => {
  const bytes = Buffer.concat([
    Buffer.from("Caf"),
    Buffer.from([0xe9, 0x20, 0x93]),
    Buffer.from("quoted"),
    Buffer.from([0x94, 0x20, 0x96, 0x20]),
    Buffer.from("it"),
    Buffer.from([0x92]),
    Buffer.from("s "),
    Buffer.from([0x80, 0x35, 0x85]),
  ]);

  it("maps 0x80–0x9F to quotes, dashes, the euro sign and the ellipsis, not to control characters", () => {
    for (const label of ["windows-1252", "ISO-8859-1", "latin1", "cp1252"])
      expect(decodeText(bytes, label), label).toBe("Café “quoted” – it’s €5…");
  });

  it("keeps them in an HTML page that declares the charset", () => {
    const html = Buffer.concat([
      Buffer.from('<html><head><meta charset="windows-1252"><title>Bridge</title></head><body><article><p>'),
      Buffer.from("The mayor said the caf"),
      Buffer.from([0xe9, 0x20, 0x93]),
      Buffer.from("will get relief"),
      Buffer.from([0x94]),
      Buffer.from(", officials confirmed on Monday in a statement to reporters at city hall.</p>"),
      Buffer.from(
        "<p>Critics claimed the plan was a waste of money but offered no figures.</p></article></body></html>",
      ),
    ]);
    expect(fromBuffer(html, { filename: "old.htm" }).text).toContain("the café “will get relief”, officials");
  });
});
