// Reader for PolNeAR (Newell et al., LREC 2018): text/*.txt + attributions/*_<annotator>.ann in brat standoff.
// T lines: `T1<TAB>Source 178 196<TAB>text` (discontinuous: `Content 10 20;25 40`);
// E lines: `E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1` (also Attribution-no-source, Content2).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../../../util/errors.js";

export interface CharSpan {
  start: number;
  end: number;
}

export interface TextBound {
  id: string;
  type: string;
  fragments: CharSpan[];
}

/** One gold attribution relation; spans are lists of fragments, in text order. */
export interface GoldRelation {
  id: string;
  source: CharSpan[] | null;
  cue: CharSpan[] | null;
  content: CharSpan[];
}

export interface BratAnnotation {
  textBounds: Map<string, TextBound>;
  relations: GoldRelation[];
}

const RELATION_TYPES = new Set(["Attribution", "Attribution-no-source"]);

function sortFragments(f: CharSpan[]): CharSpan[] {
  return f.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Parses one brat standoff file. Offsets are shifted by `-shift` (for texts whose leading whitespace is trimmed). */
export function parseBrat(ann: string, shift = 0): BratAnnotation {
  const textBounds = new Map<string, TextBound>();
  const events: { id: string; type: string; args: [string, string][] }[] = [];
  for (const line of ann.split(/\r?\n/)) {
    if (!line) continue;
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const id = line.slice(0, tab);
    const rest = line.slice(tab + 1);
    if (id[0] === "T") {
      const body = rest.split("\t")[0]!;
      const sp = body.indexOf(" ");
      const type = body.slice(0, sp);
      const fragments: CharSpan[] = [];
      for (const part of body.slice(sp + 1).split(";")) {
        const [a, b] = part.trim().split(/\s+/);
        const start = Number(a) - shift;
        const end = Number(b) - shift;
        if (Number.isFinite(start) && Number.isFinite(end) && end > start) fragments.push({ start, end });
      }
      textBounds.set(id, { id, type, fragments: sortFragments(fragments) });
    } else if (id[0] === "E") {
      const parts = rest.split("\t")[0]!.trim().split(/\s+/);
      const [type] = parts[0]!.split(":");
      const args = parts.slice(1).map((p) => {
        const c = p.indexOf(":");
        return [p.slice(0, c), p.slice(c + 1)] as [string, string];
      });
      events.push({ id, type: type!, args });
    }
  }
  const relations: GoldRelation[] = [];
  for (const ev of events) {
    if (!RELATION_TYPES.has(ev.type)) continue;
    let source: CharSpan[] | null = null;
    let cue: CharSpan[] | null = null;
    const content: CharSpan[] = [];
    for (const [role, ref] of ev.args) {
      const tb = textBounds.get(ref);
      if (!tb || tb.fragments.length === 0) continue;
      const r = role.replace(/\d+$/, "");
      if (r === "Source") source = [...(source ?? []), ...tb.fragments];
      else if (r === "Cue") cue = [...(cue ?? []), ...tb.fragments];
      else if (r === "Content") content.push(...tb.fragments);
    }
    if (!cue && content.length === 0) continue;
    relations.push({
      id: ev.id,
      source: source ? sortFragments(source) : null,
      cue: cue ? sortFragments(cue) : null,
      content: sortFragments(content),
    });
  }
  return { textBounds, relations };
}

export interface PolnearDoc {
  /** File name without .txt. */
  id: string;
  /** The text as Doc.create({text}) keeps it (leading/trailing whitespace trimmed); gold offsets are into it. */
  text: string;
  /** One entry per .ann file, in name order: the first is the one scored against. */
  annotations: { annotator: string; relations: GoldRelation[] }[];
}

/** Reads a PolNeAR compartment: `dir` holds text/ and attributions/. Texts without annotations are skipped. */
export function readPolnear(dir: string, opts: { limit?: number } = {}): PolnearDoc[] {
  const textDir = join(dir, "text");
  const annDir = join(dir, "attributions");
  if (!existsSync(textDir) || !existsSync(annDir)) {
    throw new UserError(`${dir} must contain text/ and attributions/ (PolNeAR layout)`);
  }
  const annFiles = readdirSync(annDir)
    .filter((f) => f.endsWith(".ann"))
    .sort();
  const byText = new Map<string, string[]>();
  const texts = readdirSync(textDir)
    .filter((f) => f.endsWith(".txt"))
    .map((f) => f.slice(0, -4))
    .sort();
  const textSet = new Set(texts);
  for (const f of annFiles) {
    const base = f.slice(0, -4);
    // <text id>_<annotator>.ann, or <text id>.ann
    let id = base;
    if (!textSet.has(id)) {
      const us = base.lastIndexOf("_");
      id = us > 0 ? base.slice(0, us) : base;
    }
    if (!textSet.has(id)) continue;
    const list = byText.get(id) ?? [];
    list.push(f);
    byText.set(id, list);
  }
  const out: PolnearDoc[] = [];
  for (const id of texts) {
    const files = byText.get(id);
    if (!files) continue;
    const raw = readFileSync(join(textDir, id + ".txt"), "utf8");
    const shift = raw.length - raw.trimStart().length;
    const text = raw.trim();
    const annotations = files.map((f) => {
      const base = f.slice(0, -4);
      const annotator = base.length > id.length ? base.slice(id.length + 1) : "";
      const { relations } = parseBrat(readFileSync(join(annDir, f), "utf8"), shift);
      return { annotator, relations };
    });
    out.push({ id, text, annotations });
    if (opts.limit && out.length >= opts.limit) break;
  }
  return out;
}
