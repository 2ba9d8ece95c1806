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

describe("boilerplate: image captions, embedded posts, ad labels", () => {
  it("removes an image widget's caption line, an embedded Instagram post and counted ad labels", () => {
    expect(residueReason("Image zoom Blake Lively and Ryan Reynolds Jason Mendez/startraks")).toBe("caption");
    expect(
      residueReason(
        "Image zoom Ryan Reynolds, Blake Lively and their daughters Xavier Collin/Image Press/Splash",
      ),
    ).toBe("caption");
    expect(
      residueReason(
        "View this post on Instagram OGs A post shared by Khloé (@khloekardashian) on Mar 9, 2018 at 7:00am PST",
      ),
    ).toBe("embed");
    for (const ad of ["Advertisement 1 / 7", "Advertisement:", "Advertisement - Continue Reading Below"])
      expect(residueReason(ad), ad).toBe("layout");
    const text =
      "The actor joked that he was very sad about that.\n\nImage zoom Blake Lively and Ryan Reynolds Jason Mendez/startraks\n\n“Definitely stings,” he continued.";
    const out = stripBoilerplate(text);
    expect(out.text).toBe(
      "The actor joked that he was very sad about that.\n\n“Definitely stings,” he continued.",
    );
    expect(out.removed).toEqual([
      { text: "Image zoom Blake Lively and Ryan Reynolds Jason Mendez/startraks", reason: "image caption" },
    ]);
  });

  it("keeps lines where article prose follows the residue", () => {
    for (const line of [
      "Advertisement Drifting Apart For now, it seems that many of the Teen Mom cast members are safe from the looming threat.",
      "The advertisement 1 / 7 was pulled.",
      "View this post on Instagram, she told fans, was her favourite phrase.",
      "Image zoom was the name of the feature, the company said." +
        " It launched in 2015 and was widely copied by other sites, according to analysts who follow the industry closely.".repeat(
          3,
        ),
    ])
      expect(residueReason(line), line).toBeNull();
  });
});
