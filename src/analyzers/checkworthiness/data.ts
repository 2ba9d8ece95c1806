// Readers for the check-worthiness data: ClaimBuster JSON, CLEF-2019 CSV, CLEF-2020 TSV (sniffed).
import { readUserText } from "../../util/files.js";
import { parse } from "csv-parse/sync";
import { UserError } from "../../util/errors.js";
import { inFold } from "../../learn/rng.js";

export interface CwItem {
  text: string;
  label: number;
  /** Debate (CLEF-2019 file_name) or "" when the format names none. */
  group: string;
  /** Order within the group (line number), for context. */
  order: number;
  /** Stable id for the dev split. */
  key: string;
  /** Who speaks the line (CLEF-2019 debates), "" when the format names nobody. */
  speaker: string;
}

export interface CwData {
  format: "claimbuster" | "clef2019" | "clef2020";
  items: CwItem[];
}

export const DEV_FRACTION = 0.2;

export function readCheckworthiness(path: string): CwData {
  const text = readUserText(path);
  const head = text.trimStart();
  if (head.startsWith("[")) {
    const rows = JSON.parse(text) as { sentence_id: number | string; label: number | string; text: string }[];
    return {
      format: "claimbuster",
      items: rows.map((r, i) => ({
        text: String(r.text),
        label: Number(r.label) === 1 ? 1 : 0,
        group: "",
        order: i,
        key: String(r.sentence_id),
        speaker: "",
      })),
    };
  }
  const first = text.split("\n", 1)[0]!;
  if (/^line_number,speaker,text,label/.test(first)) {
    const rows = parse(text, { columns: true, skip_empty_lines: true, relax_quotes: true }) as Record<
      string,
      string
    >[];
    return {
      format: "clef2019",
      items: rows.map((r) => ({
        text: r.text ?? "",
        label: r.label === "1" ? 1 : 0,
        group: r.file_name ?? "",
        order: Number(r.line_number),
        key: `${r.file_name}:${r.line_number}`,
        speaker: (r.speaker ?? "").trim(),
      })),
    };
  }
  if (/^text\tlabel/.test(first)) {
    const items: CwItem[] = [];
    text.split("\n").forEach((line, i) => {
      if (i === 0 || !line.trim()) return;
      const c = line.replace(/\r$/, "").split("\t");
      items.push({
        text: c[0] ?? "",
        label: c[c.length - 1] === "1" ? 1 : 0,
        group: "",
        order: i,
        key: String(i),
        speaker: "",
      });
    });
    return { format: "clef2020", items };
  }
  throw new UserError(
    `${path}: not a check-worthiness file (ClaimBuster JSON, CLEF-2019 CSV or CLEF-2020 TSV \`text\\tlabel\`)`,
  );
}

/** Deterministic dev split: by debate for CLEF-2019, by sentence id (or line) otherwise. */
export function isDev(format: CwData["format"], item: CwItem): boolean {
  return inFold(format === "clef2019" ? item.group : item.key, DEV_FRACTION, "checkworthiness");
}

/**
 * Fact-checked statements from LIAR (PolitiFact) as weak positives for the debate head: every statement was
 * judged worth checking by a fact-checker. "Says (that)" is dropped (PolitiFact's paraphrase, not the speaker's
 * words), and statements whose venue (column 14) names a debate are left out: some CLEF-2019 test debates
 * (2015–16 primaries) were fact-checked by PolitiFact, so their claims could be in LIAR.
 */
export function readLiarPositives(path: string): CwItem[] {
  const items: CwItem[] = [];
  readUserText(path)
    .split("\n")
    .forEach((line, i) => {
      const c = line.replace(/\r$/, "").split("\t");
      if (c.length < 3 || !c[2]!.trim()) return;
      if (/debate/i.test(c[13] ?? "")) return;
      const text = c[2]!.trim().replace(/^Says (that )?/, "");
      items.push({ text, label: 1, group: "", order: i, key: c[0] ?? String(i), speaker: "" });
    });
  return items;
}
