// `claimscope eval entities`: what the entities layer does with the sources PolNeAR annotators marked.
// PolNeAR has no entity annotation, so this measures three things that its Source spans let us check:
//   names      Source spans that are proper names ("Donald Trump", "Mr. Obama", "The Charlotte Observer"):
//              recall = share overlapped by an entity mention; person = share of the
//              honorific/two-word personal names ("Mr. Obama", "Hillary Clinton") typed PERSON.
//   surnames   single-word Source spans ("Trump") in texts that also spell the full name ("Donald
//              Trump"): linked = share whose entity carries that full name (within-document aliasing).
//   descriptors definite role descriptors as Sources ("the president", "the Republican nominee"):
//              linked = share tied to some entity (coverage only: correctness is not annotated).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Doc } from "../../doc/doc.js";
import type { Entity } from "../../schema/analysis.js";
import { UserError } from "../../util/errors.js";
import { recognize, type GazIndex } from "./recognize.js";
import { HONORIFICS, ROLE_HEADS } from "./lexicon.js";

interface Span {
  start: number;
  end: number;
  text: string;
}

const NAME_SPAN =
  /^(?:(?:Mr|Mrs|Ms|Dr|Sen|Gov|Rep|Gen)\.\s)?(?:The\s)?(?:[A-Z][\p{L}'’.-]*\s){0,3}[A-Z][\p{L}'’-]*[\p{L}]$/u;
const PERSONAL =
  /^(?:(?:Mr|Mrs|Ms|Dr|Sen|Gov|Rep)\.\s[A-Z][\p{L}'’-]+|[A-Z][a-z]+\s[A-Z][a-z]+(?:-[A-Z][a-z]+)?)$/u;

function sources(annPath: string): Span[] {
  const out: Span[] = [];
  for (const line of readFileSync(annPath, "utf8").split("\n")) {
    const m = /^T\d+\tSource (\d+) (\d+)\t(.*)$/.exec(line);
    if (m) out.push({ start: Number(m[1]), end: Number(m[2]), text: m[3]! });
  }
  return out;
}

function overlapping(entities: Entity[], s: Span): Entity | undefined {
  let best: Entity | undefined;
  let bestOv = 0;
  for (const e of entities) {
    for (const m of e.mentions) {
      const ov = Math.min(s.end, m.end) - Math.max(s.start, m.start);
      if (ov > bestOv) {
        bestOv = ov;
        best = e;
      }
    }
  }
  return best;
}

export interface EntitiesEval extends Record<string, unknown> {
  task: "entities";
  texts: number;
  names: { n: number; recall: number; personal: number; person: number };
  surnames: { n: number; linked: number };
  descriptors: { n: number; linked: number };
  msPerText: number;
}

export function evaluateEntities(dataDir: string, gz: GazIndex): EntitiesEval {
  const textDir = join(dataDir, "text");
  const annDir = join(dataDir, "attributions");
  if (!existsSync(textDir) || !existsSync(annDir))
    throw new UserError(`expected text/ and attributions/ in ${dataDir}`);
  const anns = readdirSync(annDir).sort();
  let names = 0;
  let namesHit = 0;
  let personal = 0;
  let personalPerson = 0;
  let surn = 0;
  let surnLinked = 0;
  let desc = 0;
  let descLinked = 0;
  let texts = 0;
  let ms = 0;
  for (const f of readdirSync(textDir).sort()) {
    const stem = f.replace(/\.txt$/, "");
    const ann = anns.find((a) => a.startsWith(stem) && a.endsWith(".ann"));
    if (!ann) continue;
    const raw = readFileSync(join(textDir, f), "utf8");
    // Doc.create trims leading whitespace; keep annotation offsets aligned.
    const lead = raw.length - raw.trimStart().length;
    // The first line of a PolNeAR text is its headline.
    const doc = Doc.create({ title: raw.trimStart().split("\n")[0]!, text: raw });
    const t0 = performance.now();
    const entities = recognize(doc, gz);
    ms += performance.now() - t0;
    texts++;
    const seen = new Set<string>();
    for (const s0 of sources(join(annDir, ann))) {
      const s = { start: s0.start - lead, end: s0.end - lead, text: s0.text };
      const key = `${s.start}:${s.end}`;
      if (seen.has(key) || s.start < 0) continue;
      seen.add(key);
      const t = s.text.trim();
      const e = overlapping(entities, s);
      // A name has a word that is not a common lower-case word ("Lawmakers", "Many Democrats" are not names).
      const words = t.replace(/^The\s/, "").split(/\s+/);
      const isName =
        NAME_SPAN.test(t) && words.some((w) => !gz.common.has(w.toLowerCase().replace(/['’]s$/, "")));
      if (isName && !/^(?:The|He|She|They|I|We|It|His|You|This)$/.test(t)) {
        names++;
        if (e) namesHit++;
        if (PERSONAL.test(t) && !gz.common.has(words[0]!.toLowerCase())) {
          personal++;
          if (e?.type === "PERSON") personalPerson++;
        }
      }
      if (/^[A-Z][a-z]+$/.test(t)) {
        // a single surname, when the text also spells a full name ending with it
        const full = new RegExp(`\\b[A-Z][a-z]+ (?:[A-Z]\\. )?${t}\\b`).exec(doc.text);
        const given = full ? full[0].split(" ")[0]!.toLowerCase() : "";
        if (full && !gz.common.has(given) && !ROLE_HEADS.has(given) && !HONORIFICS.has(given + ".")) {
          surn++;
          if (e && e.type === "PERSON" && e.name.split(" ").length >= 2 && e.name.endsWith(t)) surnLinked++;
        }
      }
      const dm = /^the ((?:[\w-]+ ){0,3})([a-z]+)$/i.exec(t);
      if (dm && ROLE_HEADS.has(dm[2]!.toLowerCase())) {
        desc++;
        if (e) descLinked++;
      }
    }
  }
  const r = (a: number, b: number): number => (b > 0 ? Math.round((a / b) * 10000) / 10000 : 0);
  return {
    task: "entities",
    texts,
    names: { n: names, recall: r(namesHit, names), personal, person: r(personalPerson, personal) },
    surnames: { n: surn, linked: r(surnLinked, surn) },
    descriptors: { n: desc, linked: r(descLinked, desc) },
    msPerText: Math.round((ms / Math.max(1, texts)) * 100) / 100,
  };
}
