// The author's own checkable or predictive assertions: sentences with no attribution that carry a
// prediction ("will", "is set to", "unavoidable"), a quantity (number, percent, money) or a comparison.
import type { Doc } from "../../doc/doc.js";
import { POS } from "../../nlp/wink.js";
import type { Span } from "../../schema/analysis.js";
import { findSignals } from "./evidence.js";
import { lexicon } from "./lexicon.js";

export interface AuthorClaim {
  sentence: number;
  content: Span;
  /** What made the sentence a claim: prediction, quantity or comparison markers. */
  signals: { start: number; end: number; text: string; type: string }[];
}

const CHECKABLE_QUANTITY = new Set(["CARDINAL", "PERCENT", "MONEY", "QUANTITY"]);

/** Author claims among sentences not covered by any attribution (`covered[s]` true = skip). */
export function findAuthorClaims(doc: Doc, covered: boolean[]): AuthorClaim[] {
  const lex = lexicon();
  const out: AuthorClaim[] = [];
  const text = doc.text;
  const quantities = doc.layers.quantities;
  let qi = 0;
  for (let s = 0; s < doc.sentences.length; s++) {
    const sent = doc.sentences[s]!;
    if (covered[s] || doc.inHeadline(sent)) continue;
    const body = text.slice(sent.start, sent.end);
    const nTok = sent.tokEnd - sent.tokStart;
    if (nTok < 4 || nTok > 60) continue;
    if (/[?:…]\s*$/.test(body) || !/[.!]["”’)]?\s*$/.test(body)) continue;
    if (/^["“‘']/.test(body)) continue;
    const low = body.toLowerCase();
    if (
      lex.notClaimStarts.some(
        (w) => low.startsWith(w + " ") || low.startsWith(w + "’") || low.startsWith(w + "'"),
      )
    )
      continue;
    // First- and second-person sentences are opinion or address, not checkable assertions.
    let verb = false;
    let personal = false;
    for (let i = sent.tokStart; i < sent.tokEnd; i++) {
      const p = doc.tokens.pos[i];
      if (p === POS.VERB || p === POS.AUX) verb = true;
      const nm = doc.tokens.norm[i]!;
      if (p === POS.PRON && (nm === "i" || nm === "you" || nm === "we")) personal = true;
    }
    if (!verb || personal) continue;
    const signals: AuthorClaim["signals"] = [];
    signals.push(...findSignals(doc, sent.start, sent.end));
    while (qi < quantities.length && quantities[qi]!.end <= sent.start) qi++;
    for (let k = qi; k < quantities.length && quantities[k]!.start < sent.end; k++) {
      const q = quantities[k]!;
      if (CHECKABLE_QUANTITY.has(q.type))
        signals.push({ start: q.start, end: q.end, text: text.slice(q.start, q.end), type: "quantity" });
    }
    if (signals.length === 0) continue;
    let a = sent.start;
    let b = sent.end;
    while (b > a && /[\s.!]/.test(text[b - 1]!)) b--;
    while (a < b && /\s/.test(text[a]!)) a++;
    out.push({ sentence: s, content: { start: a, end: b }, signals });
  }
  return out;
}
