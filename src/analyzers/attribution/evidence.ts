// Evidence status, hedges and "unsupported" statements, all as spans into doc.text.
import type { Doc } from "../../doc/doc.js";
import type { Claim, Span } from "../../schema/analysis.js";
import { lexicon } from "./lexicon.js";

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

/** Hedges in a range (longest match wins; "may have been" over "may"). */
export function findHedges(doc: Doc, from: number, to: number): Claim["hedges"] {
  const lex = lexicon();
  return matches(lex.hedgeRe, doc.text, from, to);
}

/**
 * Cited evidence inside a claim's sentence: an evidence noun (imagery, documents, data, a report, an
 * investigation) tied to an evidential verb or preposition ("satellite imagery proves", "citing a report").
 */
export function findCitedEvidence(doc: Doc, sentence: Span): Marker[] {
  const lex = lexicon();
  const text = doc.text;
  const nouns = matches(lex.evidenceNounRe, text, sentence.start, sentence.end);
  if (nouns.length === 0) return [];
  const verbs = matches(lex.evidenceVerbRe, text, sentence.start, sentence.end);
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
  return matches(lexicon().vagueEvidenceRe, doc.text, from, to).map((m) => ({
    ...m,
    type: "unspecified-evidence",
  }));
}

/** Statements that a claim lacks support: "did not offer any proof", "without evidence", "failed to present proof". */
export function findUnsupported(doc: Doc): Marker[] {
  return matches(lexicon().unsupportedRe, doc.text, 0, doc.text.length).map((m) => ({
    ...m,
    type: "no-evidence",
  }));
}
