import { describe, expect, it } from "vitest";
import { csvCell } from "./export.js";

describe("csvCell", () => {
  it("quotes separators and quotes, and keeps a text that looks like a formula as text", () => {
    expect(csvCell('He said "no", twice')).toBe('"He said ""no"", twice"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+1 202 555 0100")).toBe("'+1 202 555 0100");
    expect(csvCell("@handle")).toBe("'@handle");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(null)).toBe("");
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });
});
