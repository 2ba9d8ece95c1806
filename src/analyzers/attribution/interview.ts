// Interview transcripts: paragraphs opening with "Q:" / "A:" (or "Question:" / "Answer:"). An answer is the
// interviewee's own words: one direct claim per answer paragraph, its speaker the person the introduction names
// ("the interviewee" when it names none) and its speaker span the label that stands for them (as "he" stands for a
// name). A question and its label
// claim nothing; "Q" and "A" are never speakers.
import type { Doc } from "../../doc/doc.js";
import type { Claim, Span } from "../../schema/analysis.js";

export interface InterviewTurn {
  kind: "Q" | "A";
  /** The label word ("Q", "Answer") and the separator after it. */
  label: Span;
  separator: Span;
  /** The turn's text after the label, to the end of its paragraph. */
  body: Span;
}

export interface Interview {
  turns: InterviewTurn[];
  /** Who answers, or null when the article names no person. */
  interviewee: { name: string; entityId: string } | null;
}

const LABEL = /^(Q|A|Question|Answer)\s*([:.])\s+/;

/** The interview layout of a Doc, or null unless it has both question and answer paragraphs. */
export function findInterview(doc: Doc): Interview | null {
  const turns: InterviewTurn[] = [];
  for (const p of doc.paragraphs) {
    const m = LABEL.exec(doc.text.slice(p.start, p.end));
    if (!m) continue;
    // "A." opens lists and initials too; only a colon marks a one-letter label.
    if (m[2] === "." && m[1]!.length === 1) continue;
    const bodyStart = p.start + m[0].length;
    let bodyEnd = p.end;
    // The final full stop is punctuation, not content (as for the author's claims).
    while (bodyEnd > bodyStart && /[\s.]/.test(doc.text[bodyEnd - 1]!)) bodyEnd--;
    if (bodyEnd <= bodyStart) continue;
    const sep = p.start + m[0].indexOf(m[2]!, m[1]!.length);
    turns.push({
      kind: m[1]![0] === "Q" ? "Q" : "A",
      label: { start: p.start, end: p.start + m[1]!.length },
      separator: { start: sep, end: sep + 1 },
      body: { start: bodyStart, end: bodyEnd },
    });
  }
  if (!turns.some((t) => t.kind === "Q") || !turns.some((t) => t.kind === "A")) return null;
  return { turns, interviewee: interviewee(doc, turns[0]!.label.start) };
}

/**
 * The interviewee: the first person named in the nearest of the three paragraphs before the first turn that names
 * one ("Julianna Margulies, who plays Kitty …, talks about …"). The title is not used: it often names the person the
 * talk is about rather than the one talking ("… from Kristen Stewart's hair pro").
 */
function interviewee(doc: Doc, firstTurn: number): Interview["interviewee"] {
  const people = (doc.layers.entities ?? []).filter((e) => e.type === "PERSON");
  const paras = doc.paragraphs
    .filter((p) => p.end <= firstTurn && !doc.inHeadline(p))
    .slice(-3)
    .reverse();
  for (const p of paras) {
    let best: { name: string; entityId: string; at: number } | null = null;
    for (const e of people)
      for (const m of e.mentions)
        if (m.start >= p.start && m.end <= p.end && (!best || m.start < best.at))
          best = { name: e.name, entityId: e.id, at: m.start };
    if (best) return { name: best.name, entityId: best.entityId };
  }
  return null;
}

/** The speaker of an answer: the interviewee, or an unnamed one; its span is the answer's label. */
export function answerSpeaker(interview: Interview, turn: InterviewTurn): NonNullable<Claim["speaker"]> {
  const who = interview.interviewee;
  return who
    ? { name: who.name, type: "PERSON", entityId: who.entityId, start: turn.label.start, end: turn.label.end }
    : { name: "the interviewee", type: "ANONYMOUS", start: turn.label.start, end: turn.label.end };
}

/** Whether a span lies inside a turn's label and separator ("Q:" as a speaker and cue). */
export function inLabel(interview: Interview, s: Span): boolean {
  return interview.turns.some((t) => s.start >= t.label.start && s.end <= t.separator.end);
}
