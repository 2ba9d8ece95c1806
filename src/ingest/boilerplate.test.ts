import { describe, expect, it } from "vitest";
import { residueReason, stripBoilerplate } from "./boilerplate.js";

describe("boilerplate: share-button rows", () => {
  it("removes a row of 'Share on <network>' buttons", () => {
    for (const row of [
      "Share on Facebook · Share on Twitter · Email",
      "Share on Facebook | Share on Twitter | Share via Email",
      "Share to WhatsApp • Share to Facebook",
    ])
      expect(residueReason(row), row).toBe("share");
    const text = "Officials said the road will open in June.\n\nShare on Facebook · Share on Twitter · Email";
    expect(stripBoilerplate(text)).toEqual({
      text: "Officials said the road will open in June.",
      removed: [{ text: "Share on Facebook · Share on Twitter · Email", reason: "share/follow buttons" }],
    });
  });

  it("keeps prose that merely mentions sharing on a network", () => {
    for (const line of [
      "She posted the photo on Facebook.",
      "Share on Facebook fell 3% after the report",
      "Users share on Facebook and Twitter more than ever",
      "Email on Monday",
    ])
      expect(residueReason(line), line).toBeNull();
  });
});
