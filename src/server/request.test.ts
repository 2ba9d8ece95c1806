// What POST /api/analyze makes of its input: a JSON `text` is read as `claimscope analyze FILE` reads a plain-text
// file (the web UI sends pasted articles this way), so the same article gets the same document either way.
import { describe, expect, it } from "vitest";
import type { DocInput } from "../doc/doc.js";
import { AnalyzeRequest, jobInput } from "./request.js";

const RUSSIAN =
  "Министр иностранных дел России Сергей Лавров заявил во вторник, что химическая атака в Сирии была " +
  "инсценирована иностранными спецслужбами. По его словам, у Москвы есть неопровержимые доказательства этого. " +
  "Он также добавил, что Россия не допустит повторения подобных провокаций.";

const asFile = (text: string): DocInput =>
  jobInput({ kind: "body", bytes: new TextEncoder().encode(text), contentType: "text/plain" });
const asJson = (request: { text: string; title?: string; id?: string; url?: string }): DocInput =>
  jobInput({ kind: "json", request });

describe("POST /api/analyze input", () => {
  it("identifies the language of JSON text as it does for a file (non-English is never analyzed as English)", () => {
    expect(asFile(RUSSIAN).language).toBe("rus");
    expect(asJson({ text: RUSSIAN }).language).toBe("rus");
    expect(asJson({ title: "Лавров: атака была инсценирована", text: RUSSIAN }).language).toBe("rus");
    expect(
      asJson({ text: "The minister said on Tuesday that taxes rose by five percent last year." }).language,
    ).toBe("eng");
  });

  it("tidies JSON text as a file's: line endings, composed characters, control characters", () => {
    const raw = "Cafe\u0301 owner said the rent rose.\r\nHe said it again\u001b[31m loudly.\r\n";
    const doc = asJson({ text: raw });
    expect(doc.text).toBe("Café owner said the rent rose.\nHe said it again loudly.");
    expect(doc.text).toBe(asFile(raw).text);
  });

  it("takes the title from the text only when none is given, and never drops the text's first line", () => {
    const article = "Minister says bridge will close\n\nThe bridge will close in May, the minister said.";
    const file = asFile(article);
    const json = asJson({ text: article });
    expect([json.title, json.text]).toEqual([file.title, file.text]);
    const titled = asJson({ title: "Bridge to close", text: article });
    expect(titled.title).toBe("Bridge to close");
    expect(titled.text).toBe(article);
  });

  it("removes terminal escapes and control characters from a given title, in JSON and in ?title=", () => {
    expect(asJson({ title: "\u001b[31mRED\u0007 alert", text: "The minister said taxes rose." }).title).toBe(
      "RED alert",
    );
    const body = jobInput({
      kind: "body",
      bytes: new TextEncoder().encode("The minister said that taxes rose."),
      contentType: "text/plain",
      title: "\u001b]0;owned\u0007Headline",
    });
    expect([...(body.title ?? "")].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    const html = jobInput({
      kind: "json",
      request: { html: "<p>The minister said that taxes rose.</p>", title: "Given\u001b[0m title" },
    });
    expect(html.title).toBe("Given title");
  });

  it("keeps an id and URL given with the request", () => {
    const doc = asJson({
      text: "The minister said taxes rose.",
      id: "case-17",
      url: "https://example.org/a",
    });
    expect(doc.id).toBe("case-17");
    expect(doc.url).toBe("https://example.org/a");
  });

  it("refuses a request with both `text` and `html` (one of them would be dropped unread)", () => {
    const r = AnalyzeRequest.safeParse({ text: "The minister said taxes rose.", html: "<p>Other text.</p>" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe("give `text` or `html`, not both");
    expect(AnalyzeRequest.safeParse({ html: "<p>The minister said taxes rose.</p>" }).success).toBe(true);
  });

  it("text that is nothing but residue says so (was 'empty document (no text)')", () => {
    expect(() => asJson({ text: "Share this article" })).toThrow(
      /^text: nothing left after removing boilerplate/,
    );
    expect(() => asFile("Share this article")).toThrow(
      /^request body: nothing left after removing boilerplate/,
    );
  });
});
