import { execFileSync } from "node:child_process";
import {
  closeSync,
  constants,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../../../test/capture-main.js";
import { Analysis } from "../../schema/analysis.js";
import { AnalysisWriter } from "./analyze.js";

const doc = (id: string, text: string) =>
  Analysis.parse({
    schema: "claimscope/analysis@1",
    document: { id, title: id, text, language: "eng" },
    sentences: [{ start: 0, end: text.length }],
    entities: [],
    claims: [],
    techniques: [],
    timings: {},
  });

function written(format: "json" | "jsonld" | "report", docs: Analysis[]): string {
  let out = "";
  const w = new AnalysisWriter(format, false, (s) => (out += s));
  for (const d of docs) w.add(d);
  w.end();
  return out;
}

describe("analyze output of several documents", () => {
  const a = doc("a.txt", "The mayor said the bridge will close.");
  const b = doc("b.txt", "Officials said the road will open.");

  it("JSON-LD: one document pretty-printed, several as JSON Lines that each parse", () => {
    const one = written("jsonld", [a]);
    expect(JSON.parse(one)).toMatchObject({ "@context": "https://schema.org" });
    expect(one.trim().split("\n").length).toBeGreaterThan(3);
    const lines = written("jsonld", [a, b]).trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(
      lines.map((l) => (JSON.parse(l) as { "@graph": { identifier?: string }[] })["@graph"][0]!.identifier),
    ).toEqual(["a.txt", "b.txt"]);
  });

  it("JSON: JSON Lines; reports: separated by a rule", () => {
    expect(
      written("json", [a, b])
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as Analysis).document.id),
    ).toEqual(["a.txt", "b.txt"]);
    const reports = written("report", [a, b]);
    expect(reports.split("─".repeat(78))).toHaveLength(2);
    expect(written("report", [a])).not.toContain("─".repeat(78));
  });

  describe("the CLI on a directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "claimscope-analyze-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "1.txt"), "Bridge to close\n\nThe mayor said the bridge will close in May.\n");
    writeFileSync(join(dir, "2.txt"), "Road to open\n\nOfficials said the road will open in June.\n");

    it("prints parseable JSON-LD, one line per document", async () => {
      const r = await runMain("analyze", dir, "--stages", "entities", "-f", "jsonld");
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines).toHaveLength(2);
      for (const l of lines) expect(JSON.parse(l)).toHaveProperty("@graph");
    });
  });
});

describe("analyze --db", () => {
  it("a fact-check memory that does not exist is an error, not a silent 'no earlier fact-check'", async () => {
    const dir = mkdtempSync(join(tmpdir(), "claimscope-analyze-db-"));
    try {
      const file = join(dir, "a.txt");
      writeFileSync(file, "Bridge to close\n\nThe mayor said the bridge will close in May.\n");
      const db = join(dir, "typo.db");
      const r = await runMain("analyze", file, "--db", db, "--stages", "entities");
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toEqual([
        `claimscope: no fact-check memory at ${db}: run \`claimscope factchecks import FILE…\` first`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("analyze --format report colour", () => {
  it("colours a terminal, unless NO_COLOR is set", async () => {
    const dir = mkdtempSync(join(tmpdir(), "claimscope-color-"));
    const file = join(dir, "a.txt");
    writeFileSync(file, "Bridge to close\n\nThe mayor said the bridge will close in May.\n");
    const tty = Object.getOwnPropertyDescriptor(process.stdout, "isTTY");
    Object.defineProperty(process.stdout, "isTTY", { value: true, configurable: true });
    try {
      const coloured = await runMain("analyze", file, "--stages", "entities", "-f", "report");
      expect(coloured.stdout).toContain("\x1b[");
      process.env.NO_COLOR = "1";
      const plain = await runMain("analyze", file, "--stages", "entities", "-f", "report");
      expect(plain.code).toBe(0);
      expect(plain.stdout).not.toContain("\x1b[");
    } finally {
      delete process.env.NO_COLOR;
      if (tty) Object.defineProperty(process.stdout, "isTTY", tty);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("analyze: undecodable bytes", () => {
  it("analyzes the text but warns that characters were replaced", async () => {
    const dir = mkdtempSync(join(tmpdir(), "claimscope-cp1252-"));
    try {
      const file = join(dir, "cp1252.txt");
      // “Windows-1252” quotes and an apostrophe, read as UTF-8
      writeFileSync(
        file,
        Buffer.concat([
          Buffer.from("The mayor said "),
          Buffer.from([0x93]),
          Buffer.from("the bridge won"),
          Buffer.from([0x92]),
          Buffer.from("t close"),
          Buffer.from([0x94]),
          Buffer.from(" in May.\n"),
        ]),
      );
      const r = await runMain("analyze", file, "--stages", "entities");
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as Analysis).document.text).toContain(
        "\uFFFDthe bridge won\uFFFDt close\uFFFD",
      );
      expect(r.stderr.trim().split("\n")).toEqual([
        `claimscope: warning: ${file}: 3 characters could not be decoded and were replaced by U+FFFD (not UTF-8? check the file's encoding)`,
      ]);
      const clean = join(dir, "utf8.txt");
      writeFileSync(clean, "The mayor said “the bridge won’t close” in May.\n");
      expect((await runMain("analyze", clean, "--stages", "entities")).stderr).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("analyze: what a directory or a pipe holds", () => {
  const dir = mkdtempSync(join(tmpdir(), "claimscope-dir-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("names the entries of a directory it does not read (a PDF, a dataset, a subdirectory); exit unaffected", async () => {
    writeFileSync(join(dir, "a.txt"), "Bridge to close\n\nThe mayor said the bridge will close in May.\n");
    writeFileSync(join(dir, "report.pdf"), "%PDF-1.4\n");
    writeFileSync(join(dir, "items.jsonl"), '{"text": "x"}\n');
    writeFileSync(join(dir, "README.md"), "about these files\n");
    mkdirSync(join(dir, "more"));
    const r = await runMain("analyze", dir, "--stages", "entities");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).document.id).toBe(join(dir, "a.txt"));
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^claimscope: note: 3 entries of .* not read \(only \.txt \.html/);
    for (const n of ["items.jsonl", "more", "report.pdf"]) expect(lines[0]).toContain(join(dir, n));
    expect(lines[0]).not.toContain("README");
  });

  it("reads a named pipe (process substitution, /dev/stdin) instead of refusing it", async () => {
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const writer = new Promise<void>((resolve, reject) => {
      const w = createWriteStream(fifo);
      w.on("error", reject);
      w.end("Bridge to close\n\nThe mayor said the bridge will close in May.\n", () => resolve());
    });
    const r = await runMain("analyze", fifo, "--stages", "entities");
    // A writer nobody read from would wait forever: opening the read end without blocking releases it.
    closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
    await writer;
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).document.title).toBe("Bridge to close");
  });

  it("a dataset file (.jsonl, .csv) is analyzed record by record, not as one article made of JSON or CSV", async () => {
    const jsonl = join(dir, "records.jsonl");
    writeFileSync(
      jsonl,
      [
        JSON.stringify({
          id: "a",
          title: "Bridge to close",
          text: "The mayor said the bridge will close in May.",
        }),
        "not json",
        JSON.stringify({
          id: "b",
          title: "Road to open",
          text: "Officials said the road will open in June.",
        }),
      ].join("\n") + "\n",
    );
    const r = await runMain("analyze", jsonl, "--stages", "entities");
    const docs = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { document: { id: string; title: string; text: string } });
    expect(docs.map((d) => [d.document.id, d.document.title])).toEqual([
      ["records.jsonl#a", "Bridge to close"],
      ["records.jsonl#b", "Road to open"],
    ]);
    expect(docs[0]!.document.text).not.toContain('"text"');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("records.jsonl: 1 malformed line skipped (line 2: not valid JSON)");
    const csv = join(dir, "bodies.csv");
    writeFileSync(csv, 'id,body\n7,"The mayor said the bridge will close in May."\n');
    const c = await runMain("analyze", csv, "--stages", "entities");
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout).document).toMatchObject({
      id: "bodies.csv#7",
      text: "The mayor said the bridge will close in May.",
    });
  });
});
