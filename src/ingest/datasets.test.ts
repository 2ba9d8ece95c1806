import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readDataset, type DatasetRecord } from "./datasets.js";

describe("readDataset: JSON Lines with malformed lines", () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-ds-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("skips each malformed line, reads the rest of the file, then names the skipped lines", async () => {
    const f = join(dir, "mixed.jsonl");
    writeFileSync(
      f,
      [
        JSON.stringify({ id: "a", text: "First body." }),
        '{"id": "broken", "text": ',
        "not json at all",
        "[1, 2]",
        JSON.stringify({ id: "no-text", title: "T" }),
        "",
        JSON.stringify({ id: "b", text: "Second body." }),
      ].join("\n") + "\n",
    );
    const got: DatasetRecord[] = [];
    let error = "";
    try {
      for await (const r of readDataset(f)) got.push(r);
    } catch (e) {
      error = (e as Error).message;
    }
    expect(got.map((r) => r.sourceKey)).toEqual(["mixed.jsonl#a", "mixed.jsonl#b"]);
    expect(error).toBe(
      "mixed.jsonl: 4 malformed lines skipped (line 2: not valid JSON; line 3: not valid JSON; " +
        "line 4: not a JSON object; line 5: no text field (looked for text, body, articlebody, article_body, " +
        "content, article, maintext, story)); the other lines were read",
    );
  });

  it("lists at most ten line numbers", async () => {
    const f = join(dir, "bad.jsonl");
    writeFileSync(f, Array.from({ length: 13 }, () => "x").join("\n") + "\n");
    await expect(async () => {
      for await (const r of readDataset(f)) void r;
    }).rejects.toThrow(
      /^bad\.jsonl: 13 malformed lines skipped \(line 1: .*line 10: not valid JSON; … 3 more\)/,
    );
  });
});

describe("readDataset: records are read as `claimscope analyze` reads a file", () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-ds-lang-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const RUSSIAN =
    "Министр иностранных дел России Сергей Лавров заявил во вторник, что химическая атака в Сирии была " +
    "инсценирована иностранными спецслужбами. По его словам, у Москвы есть неопровержимые доказательства этого.";

  it("identifies each record's language and tidies its text and title (was: every record English, raw)", async () => {
    const f = join(dir, "mixed-lang.jsonl");
    writeFileSync(
      f,
      [
        JSON.stringify({ id: "ru", title: "Лавров: атака была инсценирована", text: RUSSIAN }),
        JSON.stringify({
          id: "en",
          title: "\u001b[31mBridge\u001b[0m to close",
          text: "The mayor said on Tuesday\r\nthat the bridge will close in May.\u0007\r\nCafe\u0301 owners said it was a waste.",
        }),
      ].join("\n") + "\n",
    );
    const got: DatasetRecord[] = [];
    for await (const r of readDataset(f)) got.push(r);
    expect(got.map((r) => [r.sourceKey, r.input.language])).toEqual([
      ["mixed-lang.jsonl#ru", "rus"],
      ["mixed-lang.jsonl#en", "eng"],
    ]);
    expect(got[1]!.input.title).toBe("Bridge to close");
    expect(got[1]!.input.text).toBe(
      "The mayor said on Tuesday\nthat the bridge will close in May.\nCafé owners said it was a waste.",
    );
    expect(got[1]!.input.id).toBe("mixed-lang.jsonl#en");
  });
});
