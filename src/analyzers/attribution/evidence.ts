// Evidence status, hedges and "unsupported" statements, all as spans into doc.text.
import type { Doc } from "../../doc/doc.js";
import { POS } from "../../nlp/wink.js";
import type { Claim, Span } from "../../schema/analysis.js";
import { lexicon, type PhraseMatcher } from "./lexicon.js";

export type Marker = Claim["evidence"]["markers"][number];

function matches(
  re: RegExp,
  text: string,
  from: number,
  to: number,
): { start: number; end: number; text: string }[] {
  const out: { start: number; end: number; text: string }[] = [];
  re.lastIndex = 0;
  const slice = text.slice(from, to);
  let m: RegExpExecArray | null;
  while ((m = re.exec(slice))) {
    out.push({ start: from + m.index, end: from + m.index + m[0].length, text: m[0] });
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

function tokenMatches(
  doc: Doc,
  m: PhraseMatcher,
  from: number,
  to: number,
): { start: number; end: number; text: string }[] {
  const a = doc.tokenAtOrAfter(from);
  let b = a;
  while (b < doc.tokens.count && doc.tokens.end[b]! <= to) b++;
  return m.match(doc.tokens.norm, a, b).map(([i, j]) => {
    const start = doc.tokens.start[i]!;
    const end = doc.tokens.end[j - 1]!;
    return { start, end, text: doc.text.slice(start, end) };
  });
}

/** Hedges in a range (longest match wins; "may have been" over "may"). */
export function findHedges(doc: Doc, from: number, to: number): Claim["hedges"] {
  return tokenMatches(doc, lexicon().hedges, from, to).filter((h) => !isMonthMay(doc, h));
}

const MODAL_NEXT = new Set([POS.VERB, POS.AUX, POS.ADV, POS.PART]);

/**
 * "close in May", "May 5": the month, not the modal. A capitalised "May" inside a sentence is the month; at
 * the start of one it is the modal only when a verb, "not" or an adverb follows.
 */
function isMonthMay(doc: Doc, h: { start: number; end: number; text: string }): boolean {
  if (h.text !== "May") return false;
  const at = doc.tokenAtOrAfter(h.start);
  const sentence = doc.sentences[doc.tokens.sentence[at]!];
  if (sentence && sentence.tokStart !== at) return true;
  const next = at + 1;
  return next >= doc.tokens.count || !MODAL_NEXT.has(doc.tokens.pos[next]!);
}

/**
 * Cited evidence inside a claim's content: an evidence noun (imagery, documents, data, a report, an
 * investigation) tied to an evidential verb or preposition ("satellite imagery proves", "citing a report").
 */
export function findCitedEvidence(doc: Doc, range: Span): Marker[] {
  const lex = lexicon();
  const nouns = tokenMatches(doc, lex.evidenceNouns, range.start, range.end);
  if (nouns.length === 0) return [];
  const verbs = tokenMatches(doc, lex.evidenceVerbs, range.start, range.end);
  const out: Marker[] = [];
  for (const nn of nouns) {
    // The verb follows the noun closely ("imagery proves") or the preposition precedes it ("citing … documents").
    const tied = verbs.find(
      (v) =>
        (v.start >= nn.end && v.start - nn.end <= 25) ||
        (v.end <= nn.start &&
          nn.start - v.end <= 30 &&
          /^(?:according to|citing|cited|cites|based on)$/i.test(v.text)),
    );
    if (!tied) continue;
    out.push({ ...nn, type: "evidence" });
    out.push({ ...tied, type: "evidential-verb" });
  }
  return out;
}

/** Vague evidence mentions ("new evidence", "information") that do not name what it is. */
export function findVagueEvidence(doc: Doc, from: number, to: number): Marker[] {
  return tokenMatches(doc, lexicon().vagueEvidence, from, to).map((m) => ({
    ...m,
    type: "unspecified-evidence",
  }));
}

/** Prediction and comparison markers in a range (for the author's own claims). */
export function findSignals(
  doc: Doc,
  from: number,
  to: number,
): (Marker & { type: "prediction" | "comparison" })[] {
  const lex = lexicon();
  return [
    ...tokenMatches(doc, lex.prediction, from, to).map((m) => ({ ...m, type: "prediction" as const })),
    ...tokenMatches(doc, lex.comparatives, from, to).map((m) => ({ ...m, type: "comparison" as const })),
  ];
}

/** Statements that a claim lacks support: "did not offer any proof", "without evidence", "failed to present proof". */
const UNSUPPORTED_HINT =
  /proof|evidence|substantiat|baseless|unfounded|corroborat|unproven|unsupported|documentation|back up/i;

export function findUnsupported(doc: Doc): Marker[] {
  // Every pattern holds one of these words: skip the long alternation on texts without any.
  if (!UNSUPPORTED_HINT.test(doc.text)) return [];
  return matches(lexicon().unsupportedRe, doc.text, 0, doc.text.length).map((m) => ({
    ...m,
    type: "no-evidence",
  }));
}
