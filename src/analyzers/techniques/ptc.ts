// PTC corpus (SemEval-2020 Task 11) loading: articles as Docs, labels with offsets moved into doc.text.
// The label offsets count Unicode code points of the raw file (Python); JS strings count UTF-16 units,
// and Doc.create trims leading whitespace, so both shifts are applied here.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Doc } from "../../doc/doc.js";
import { TECHNIQUES, type TechniqueName } from "../../schema/analysis.js";
import { UserError } from "../../util/errors.js";

export interface LabeledSpan {
  technique: TechniqueName;
  start: number;
  end: number;
}

export interface PtcArticle {
  id: string;
  doc: Doc;
  spans: LabeledSpan[];
}

const TECH_SET = new Set<string>(TECHNIQUES);

/** Reads `id<TAB>technique<TAB>start<TAB>end` lines (technique may be absent, as in spans-SI.labels). */
export function readLabels(file: string): Map<string, { technique: string; start: number; end: number }[]> {
  if (!existsSync(file)) throw new UserError(`labels file not found: ${file}`);
  const out = new Map<string, { technique: string; start: number; end: number }[]>();
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    if (!line.trim()) continue;
    const f = line.split("\t");
    let id: string, technique: string, s: string, e: string;
    if (f.length >= 4) [id, technique, s, e] = f as [string, string, string, string];
    else if (f.length === 3) [id, s, e, technique] = [...(f as [string, string, string]), ""];
    else throw new UserError(`bad labels line in ${file}: ${line.slice(0, 80)}`);
    const list = out.get(id) ?? [];
    list.push({ technique, start: Number(s), end: Number(e) });
    out.set(id, list);
  }
  return out;
}

/** utf16[cp] = UTF-16 offset of code point offset cp (length = code points + 1). */
export function codePointToUtf16(text: string): Int32Array {
  const map: number[] = [];
  let u = 0;
  for (const ch of text) {
    map.push(u);
    u += ch.length;
  }
  map.push(u);
  return Int32Array.from(map);
}

export interface LoadOptions {
  /** Keep only articles for which this returns true (by article id). */
  filter?: (id: string) => boolean;
}

/** Loads every article<ID>.txt under `dir` that the labels file mentions (or all, when labels are absent). */
export function loadPtc(
  articlesDir: string,
  labelsFile: string | undefined,
  opts: LoadOptions = {},
): PtcArticle[] {
  if (!existsSync(articlesDir)) throw new UserError(`articles directory not found: ${articlesDir}`);
  const labels = labelsFile ? readLabels(labelsFile) : new Map();
  const files = readdirSync(articlesDir)
    .filter((f) => /^article\d+\.txt$/.test(f))
    .sort();
  const out: PtcArticle[] = [];
  for (const f of files) {
    const id = f.slice("article".length, -".txt".length);
    if (opts.filter && !opts.filter(id)) continue;
    let raw = readFileSync(join(articlesDir, f), "utf8");
    if (raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
    const cp = codePointToUtf16(raw);
    const lead = raw.length - raw.replace(/^\s+/, "").length;
    const doc = Doc.create({ text: raw, id });
    const n = doc.text.length;
    const spans: LabeledSpan[] = [];
    for (const l of (labels.get(id) ?? []) as { technique: string; start: number; end: number }[]) {
      const technique = (TECH_SET.has(l.technique) ? l.technique : "Loaded_Language") as TechniqueName;
      const s = Math.max(0, Math.min(n, cp[Math.min(l.start, cp.length - 1)]! - lead));
      const e = Math.max(0, Math.min(n, cp[Math.min(l.end, cp.length - 1)]! - lead));
      if (e > s) spans.push({ technique, start: s, end: e });
    }
    out.push({ id, doc, spans });
  }
  return out;
}

/** Character intervals merged where they overlap (techniques ignored), sorted. */
export function mergeSpans(
  spans: readonly { start: number; end: number }[],
): { start: number; end: number }[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: { start: number; end: number }[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}
