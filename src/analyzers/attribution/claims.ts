// Turns attribution candidates (rules and tagger) into schema Claims: resolved speaker, framed cue,
// content with parts, kind, hedges, and evidence status with marker spans; then links "did not offer
// any proof" statements to the claim they refer to, and adds the author's own checkable claims.
import type { Doc } from "../../doc/doc.js";
import { POS } from "../../nlp/wink.js";
import type { Claim, Span } from "../../schema/analysis.js";
import { titleCaseSentence } from "../entities/lookup.js";
import { findAuthorClaims } from "./author.js";
import {
  findCitedEvidence,
  findHedges,
  findUnsupported,
  findVagueEvidence,
  type Marker,
} from "./evidence.js";
import { lexicon, type Framing } from "./lexicon.js";
import { answerSpeaker, findInterview, inLabel, type InterviewTurn } from "./interview.js";
import { HEADLINE_LABELS, type RulePattern, type TokRange } from "./rules.js";
import { SpeakerResolver, type Speaker } from "./speakers.js";

export interface Candidate {
  pattern: RulePattern | "tagger" | "interview";
  source: TokRange | null;
  sourceName?: TokRange;
  cue: (Span & { framing: Framing }) | null;
  content: Span[];
  quoted: boolean;
  sentence: number;
}

const ANONYMITY =
  /\b(?:on (?:the )?condition of anonymity|who (?:asked|declined) (?:not )?to be (?:named|identified)|speaking anonymously|unnamed|anonymous)\b/gi;

export function buildClaims(
  doc: Doc,
  candidates: Candidate[],
  opts: { authorClaims?: boolean } = {},
): Claim[] {
  const resolver = new SpeakerResolver(doc);
  const text = doc.text;
  // An interview transcript: "Q:" / "A:" are labels, not speakers; each answer is the interviewee's claim.
  const interview = findInterview(doc);
  const answers = new Map<Candidate, InterviewTurn>();
  if (interview) {
    candidates = candidates.filter((c) => !(c.cue && inLabel(interview, c.cue)));
    for (const t of interview.turns) {
      if (t.kind !== "A") continue;
      const a = doc.tokenAtOrAfter(t.label.start);
      const c: Candidate = {
        pattern: "interview",
        source: { tokStart: a, tokEnd: a + 1 },
        cue: { ...t.separator, framing: "neutral" },
        content: [t.body],
        quoted: true,
        sentence: doc.sentenceAt(t.label.start),
      };
      answers.set(c, t);
      candidates = [...candidates, c];
    }
  }
  const sorted = [...candidates].sort((a, b) => anchor(a) - anchor(b));
  resolver.setContents(sorted.flatMap((c) => c.content));
  // Named without a closing parenthetical or adverb ("Rep. John Mica (R-Fla.)" is John Mica, a person), while
  // the speaker's span still covers the source as written.
  const resolveSource = (source: TokRange, name: TokRange | undefined, parts: Span[]) => {
    const bare = toMention(doc, bareSource(doc, source));
    const sp = resolver.resolve(bare, name, insideQuote(doc, source), parts);
    const bareEnd = doc.tokens.end[bare.tokEnd - 1]!;
    const sourceEnd = doc.tokens.end[source.tokEnd - 1]!;
    const out = sp.end === bareEnd && bareEnd < sourceEnd ? { ...sp, end: sourceEnd } : sp;
    return out.type === "GPE" ? groupOfPeople(doc, bare, out) : out;
  };
  const claims: Claim[] = [];
  // Sentences of questions dropped below: reported questions, not the author's own assertions either.
  const questions: number[] = [];
  // "He did not offer any proof": the reporter's note on another claim, not a claim of its own.
  const noProof = findUnsupported(doc);
  for (const c of sorted) {
    const parts = c.content
      .map((p) => withoutDateline(text, p))
      .filter((p) => p.end > p.start)
      .sort((a, b) => a.start - b.start);
    if (parts.length === 0) continue;
    cutAtVerdict(doc, parts, noProof, c.sentence);
    const cue = c.cue;
    if (cue && noProof.some((m) => cue.start >= m.start && cue.end <= m.end)) continue;
    const first = parts[0]!;
    const last = parts[parts.length - 1]!;
    const turn = answers.get(c);
    const speaker = turn
      ? answerSpeaker(interview!, turn)
      : c.source && nominal(doc, c.source) && !expletive(doc, c.source, c.cue)
        ? resolveSource(c.source, c.sourceName, parts)
        : null;
    // The reader addressed in the article's own voice ("If you think the tax is fair, …") claims nothing.
    if (speaker?.name.toLowerCase() === "you" && !insideQuote(doc, c.source!)) continue;
    const contentText = parts.map((p) => text.slice(p.start, p.end)).join(" … ");
    if (!contentful(doc, parts)) continue;
    if (!speaker && cue && question(text.slice(cue.start, cue.end), contentText)) {
      questions.push(c.sentence);
      continue;
    }
    if (!speaker && cue && naming(text.slice(cue.start, cue.end), cue.start, parts, contentText)) continue;
    const headline = c.pattern === "headline" || (c.cue !== null && doc.inHeadline(c.cue));
    // In a headline only rule patterns, speech cues or cues with a speaker count (a tagger "writing" in a
    // question is noise; "Obama Seeks …", "New Poll Shows …" name who does it).
    if (headline && c.pattern === "tagger" && !speechCue(text.slice(c.cue!.start, c.cue!.end)) && !speaker)
      continue;
    // "PHOTOS: Kim Kardashian Shows Off …": a section label before the colon, not a speaker (as in the rule).
    const colon = headline || (cue !== null && text.slice(cue.start, cue.end) === ":");
    if (
      colon &&
      speaker?.start !== undefined &&
      HEADLINE_LABELS.has(text.slice(speaker.start, speaker.end).toLowerCase())
    )
      continue;
    const kind: Claim["kind"] = headline
      ? "headline"
      : c.pattern === "according-to"
        ? "according-to"
        : c.quoted
          ? "direct"
          : /["“”]/.test(contentText)
            ? "mixed"
            : "indirect";
    // Hedges in the cue and the content.
    const hedges: Claim["hedges"] = [];
    const ranges: Span[] = c.cue ? [c.cue, ...parts] : [...parts];
    // "Putin reportedly said": words between the source and the cue.
    if (c.cue && speaker?.end !== undefined && speaker.end <= c.cue.start && c.cue.start - speaker.end < 40) {
      ranges.push({ start: speaker.end, end: c.cue.start });
    }
    for (const r of ranges) hedges.push(...findHedges(doc, r.start, r.end));
    // Evidence: named evidence in the content or the source ("according to satellite imagery").
    const markers: Marker[] = [];
    for (const p of parts) markers.push(...findCitedEvidence(doc, p));
    if (c.source && c.pattern === "according-to") {
      const s = { start: doc.tokens.start[c.source.tokStart]!, end: doc.tokens.end[c.source.tokEnd - 1]! };
      for (const m of findCitedEvidence(doc, { start: c.cue!.start, end: s.end })) markers.push(m);
    }
    // A document as the source ("A Pentagon report said …", "the study found …", "A Quinnipiac poll released
    // in April showed …") is cited evidence: its evidence noun ends the mention or the mention's first phrase.
    if (speaker?.start !== undefined && speaker.type !== "PERSON") {
      const lex = lexicon();
      const mention = text.slice(speaker.start, speaker.end);
      lex.evidenceNounRe.lastIndex = 0;
      const m = lex.evidenceNounRe.exec(mention);
      const after = m ? mention.slice(m.index + m[0].length) : "";
      if (
        m &&
        (after.length <= 1 || /^\s+(?:released|published|conducted|of|by|from|in|for)\b/.test(after))
      ) {
        markers.push({
          text: m[0],
          start: speaker.start + m.index,
          end: speaker.start + m.index + m[0].length,
          type: "document-source",
        });
      }
    }
    let status: Claim["evidence"]["status"] = markers.length > 0 ? "cited" : "none-stated";
    if (status === "none-stated") {
      // Unnamed sources ("officials", "a source close to …") count as anonymous evidence; an unresolved
      // pronoun ("you") or a plural descriptor ("the three countries") does not.
      const mentionWords =
        speaker?.start !== undefined
          ? text
              .slice(speaker.start, speaker.end)
              .toLowerCase()
              .split(/[^a-z']+/)
          : [];
      const unnamedSource = mentionWords.some((w) => lexicon().anonymousHeads.has(w));
      if (speaker?.type === "ANONYMOUS" && speaker.start !== undefined && unnamedSource) {
        status = "anonymous";
        markers.push({
          text: text.slice(speaker.start, speaker.end),
          start: speaker.start,
          end: speaker.end!,
          type: "anonymous-source",
        });
      }
      const sent = doc.sentences[c.sentence]!;
      ANONYMITY.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = ANONYMITY.exec(text.slice(sent.start, sent.end)))) {
        status = "anonymous";
        markers.push({
          text: m[0],
          start: sent.start + m.index,
          end: sent.start + m.index + m[0].length,
          type: "anonymity",
        });
      }
      if (status === "none-stated")
        for (const p of parts) markers.push(...findVagueEvidence(doc, p.start, p.end));
    }
    claims.push({
      id: "",
      kind,
      speaker,
      cue: c.cue
        ? {
            text: text.slice(c.cue.start, c.cue.end),
            start: c.cue.start,
            end: c.cue.end,
            framing: c.cue.framing,
          }
        : null,
      content: {
        text: contentText,
        start: first.start,
        end: last.end,
        ...(parts.length > 1 && { parts: parts.map((p) => ({ start: p.start, end: p.end })) }),
      },
      evidence: { status, markers: dedupe(markers) },
      hedges: dedupe(hedges),
      sentence: c.sentence,
    });
  }
  linkUnsupported(doc, claims, resolver, noProof);
  if (opts.authorClaims !== false) {
    const covered = new Array<boolean>(doc.sentences.length).fill(false);
    for (const c of claims) {
      for (
        let s = doc.sentenceAt(c.content.start);
        s <= doc.sentenceAt(Math.max(c.content.start, c.content.end - 1));
        s++
      )
        covered[s] = true;
      covered[c.sentence] = true;
      for (const m of c.evidence.markers)
        if (m.type === "no-evidence") covered[doc.sentenceAt(m.start)] = true;
    }
    for (const s of questions) covered[s] = true;
    for (const found of findAuthorClaims(doc, covered)) {
      const a = { ...found, content: withoutDateline(text, found.content) };
      if (a.content.end <= a.content.start) continue;
      const hedges = findHedges(doc, a.content.start, a.content.end);
      const markers = findCitedEvidence(doc, a.content);
      claims.push({
        id: "",
        kind: "unattributed",
        speaker: { name: "the author", type: "AUTHOR" },
        cue: null,
        content: {
          text: text.slice(a.content.start, a.content.end),
          start: a.content.start,
          end: a.content.end,
        },
        evidence: { status: markers.length > 0 ? "cited" : "none-stated", markers },
        hedges,
        sentence: a.sentence,
      });
    }
  }
  claims.sort((a, b) => a.content.start - b.content.start || (a.cue?.start ?? 0) - (b.cue?.start ?? 0));
  claims.forEach((c, i) => (c.id = `c${i + 1}`));
  return claims;
}

/** A wire dateline opening a paragraph: "COLUMBUS, Ohio —", "WASHINGTON (AP) —", "LONDON, May 3 (Reuters) -". */
const DATELINE =
  /^[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*(?:, [A-Z][A-Za-z.]*(?: [A-Za-z0-9.]+){0,3})?(?: \([A-Za-z .]+\))? ?[—–-]{1,2} ?/;

/** The span without a dateline at its start, when it starts a paragraph (the dateline is where, not what). */
function withoutDateline(text: string, p: Span): Span {
  if (p.start > 0 && text[p.start - 1] !== "\n") return p;
  const m = DATELINE.exec(text.slice(p.start, Math.min(p.end, p.start + 80)));
  if (!m || !/[A-Z]{2}/.test(m[0])) return p;
  let start = p.start + m[0].length;
  while (start < p.end && /\s/.test(text[start]!)) start++;
  return { start, end: p.end };
}

function anchor(c: Candidate): number {
  return Math.min(c.cue?.start ?? Infinity, c.content[0]?.start ?? Infinity);
}

/** A lone relative word ("which", "that") is a fragment, not a claim ("it", "this" can refer to one). */
function contentful(doc: Doc, parts: Span[]): boolean {
  const words = parts
    .map((p) => doc.text.slice(p.start, p.end))
    .join(" ")
    .trim()
    .toLowerCase();
  // A bare relative pronoun, or a pronoun object closed by a comma ("won't say it, each …").
  return (
    !/^(?:which|that|who|whom|what|whose|where|when)$/.test(words) &&
    !/^(?:it|this|so)\s*,/.test(words) &&
    !NO_COMMENT.test(words)
  );
}

/**
 * "declined | to comment", "did not respond to | a request for comment": a refusal to speak states nothing a
 * reader could check. PolNeAR annotates these as attributions (3 of 2,192 on dev); a fact-checker's claim list
 * should not hold them. "a comment that compared …" names what was said and stays.
 */
const NO_COMMENT =
  /^(?:to\s+)?(?:(?:a|an|any|our|his|her|their|its|several|multiple|repeated|further|immediate|written)\s+)*(?:(?:requests?|messages?|calls?|e-?mails?|inquir(?:y|ies)|questions?)\s+(?:for|seeking)\s+)?comments?(?:\s+on\b[^.;:"“”]*)?[.,;]?$/;

/** "(He was) asked whether he expected …": a question with no asker says what someone wanted to know, no claim. */
function question(cue: string, content: string): boolean {
  return QUESTION_CUE.test(cue) && QUESTION_START.test(content.trimStart());
}
const QUESTION_CUE = /\b(?:ask|asks|asked|asking|wonder|wonders|wondered|wondering|inquired|queried)\b/i;
const QUESTION_START = /^(?:whether|if|how|why|what|when|where|who|which)\b/i;

/**
 * "a drug bust known as “Operation Sunset”": a name given by no one in particular attributes nothing; the
 * sentence stays the author's. ("She has been called the most famous …" stays: PolNeAR annotates such cues.)
 */
function naming(cue: string, cueStart: number, parts: Span[], content: string): boolean {
  if (!NAMING_CUE.test(cue.trim())) return false;
  // A bare name ("Operation Sunset"), or the named thing itself taken in as content ("He was arrested in … raid").
  return content.trim().split(/\s+/).length <= 5 || parts[0]!.start < cueStart;
}
const NAMING_CUE =
  /^(?:(?:is|are|was|were|be|been|being|has|have|had|may|might|will|would|also|widely|commonly|better|best|locally|now|simply|so|often|officially|originally|later|once|aptly)[ -])*(?:known as|dubbed|nicknamed|titled|named|called)(?: as)?$/i;

function speechCue(cue: string): boolean {
  const lex = lexicon();
  return cue
    .toLowerCase()
    .replace(/’/g, "'")
    .split(/\s+/)
    .some((w) => lex.cueVerbs.has(w) || lex.nounCues.has(w) || w === ":");
}

/** "It seems …", "it appears that …", "it turned out …": no one is the source, as in a passive. */
function expletive(doc: Doc, source: TokRange, cue: Span | null): boolean {
  if (!cue || source.tokEnd - source.tokStart !== 1 || doc.tokens.norm[source.tokStart] !== "it")
    return false;
  return /^(?:seem|appear|look|turn)(?:s|ed)?\b/i.test(doc.text.slice(cue.start, cue.end));
}

/** "Gov. Mike Pence (R-IN)", "Acme (NYSE: ACM)": the source without its closing parenthetical (party, ticker). */
function withoutParenthetical(doc: Doc, r: TokRange): TokRange {
  const k = r.tokEnd - 1;
  if (doc.tokens.norm[k] !== ")") return r;
  let o = k - 1;
  while (o > r.tokStart && doc.tokens.norm[o] !== "(") o--;
  if (o <= r.tokStart) return r;
  // Several people ("Sens. A (D-Ore.), B (D-Ohio) and C (D-N.J.)") are not the last of them.
  for (let t = r.tokStart; t < o; t++) {
    const w = doc.tokens.norm[t]!;
    if (w === "and" || w === "&" || w === ")") return r;
  }
  return { tokStart: r.tokStart, tokEnd: o };
}

/** "Most Americans", "many Republicans", "some 200 Democrats": how many of a group, not the group's country. */
const QUANTIFIER =
  /^(?:most|many|some|few|several|all|both|other|more|fewer|numerous|countless|millions|thousands|hundreds|dozens|two|three|four|five|six|seven|eight|nine|ten|\d[\d,.]*)$/;
/** Party members: "Republicans said" speak for themselves or their party, not for a country. */
const PARTY_MEMBERS =
  /^(?:republicans|democrats|conservatives|liberals|progressives|libertarians|socialists)$/;

/**
 * A group of people the resolver took for a place: a demonym or party after a quantifier is an unnamed group
 * (ANONYMOUS, "Most Americans"), party members alone are their party (ORG, "Republicans").
 */
function groupOfPeople(doc: Doc, r: TokRange, sp: Speaker): Speaker {
  const { norm } = doc.tokens;
  const head = norm[r.tokEnd - 1]!;
  if (!/s$/.test(head)) return sp;
  const surface = doc.text.slice(doc.tokens.start[r.tokStart]!, doc.tokens.end[r.tokEnd - 1]!);
  if (r.tokEnd - r.tokStart >= 2 && QUANTIFIER.test(norm[r.tokStart]!))
    return { ...sp, name: surface, type: "ANONYMOUS" };
  if (r.tokEnd - r.tokStart === 1 && PARTY_MEMBERS.test(head)) return { ...sp, name: surface, type: "ORG" };
  return sp;
}

/**
 * A source cut inside a name the entities layer knows reaches to its end ("USA" of "USA Today reported") or back
 * to its start ("Touch" of "In Touch reports", "Weekly" of "Us Weekly said": the tagger leaves out a first word
 * that reads as a preposition or pronoun).
 */
function toMention(doc: Doc, r: TokRange): TokRange {
  const { start, end } = doc.tokens;
  const a = start[r.tokStart]!;
  const last = end[r.tokEnd - 1]!;
  for (const e of doc.layers.entities ?? [])
    for (const m of e.mentions) {
      if (m.start < a && m.end > a && m.end <= last) {
        let k = r.tokStart;
        while (k > 0 && start[k - 1]! >= m.start) k--;
        return { tokStart: k, tokEnd: r.tokEnd };
      }
      if (m.start < a || m.start >= last || m.end <= last) continue;
      let k = r.tokEnd;
      while (k < doc.tokens.count && end[k]! <= m.end) k++;
      // Not in a title-case line, where the layer's names run into verbs ("Sarah Jessica Parker Wants …").
      const capital = (t: number) => /\p{Lu}/u.test(doc.text[doc.tokens.start[t]!] ?? "");
      return titleCaseSentence(doc, doc.tokens.sentence[r.tokStart]!, capital)
        ? r
        : { tokStart: r.tokStart, tokEnd: k };
    }
  return r;
}

/** Adverbs a tagger's source span can end in ("House Republicans today introduced …"): when, not who. */
const TRAILING_ADVERB =
  /^(?:today|yesterday|tonight|now|also|recently|earlier|later|again|then|still|too|already|previously|once|separately)$/;

/** The source as a name: without a closing parenthetical or a trailing adverb. */
function bareSource(doc: Doc, r: TokRange): TokRange {
  const p = withoutParenthetical(doc, r);
  const k = p.tokEnd - 1;
  // Lower case only: "USA Today", "Entertainment Tonight" are names.
  const lower = /^\p{Ll}/u.test(doc.text[doc.tokens.start[k]!] ?? "");
  return k > p.tokStart && lower && TRAILING_ADVERB.test(doc.tokens.norm[k]!)
    ? { tokStart: p.tokStart, tokEnd: k }
    : p;
}

/** A source must not end in a function word (a tagger span ending in "about" or "who was under" names no one). */
function nominal(doc: Doc, r: TokRange): boolean {
  // The word before a closing parenthesis decides, not the state in it.
  let k = withoutParenthetical(doc, r).tokEnd - 1;
  while (k > r.tokStart && doc.tokens.pos[k] === POS.PUNCT) k--;
  const p = doc.tokens.pos[k];
  if (p === POS.PART) return doc.tokens.norm[k] === "'s";
  return p !== POS.ADP && p !== POS.SCONJ && p !== POS.CCONJ && p !== POS.AUX;
}

function insideQuote(doc: Doc, r: TokRange): boolean {
  const s = doc.sentences[doc.tokens.sentence[r.tokStart]!]!;
  const before = doc.text.slice(s.start, doc.tokens.start[r.tokStart]!);
  const opens = (before.match(/“/g) ?? []).length;
  const closes = (before.match(/”/g) ?? []).length;
  return opens > closes;
}

function dedupe<T extends { start: number; end: number }>(xs: T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const x of xs.sort((a, b) => a.start - b.start || b.end - a.end)) {
    const k = `${x.start}:${x.end}`;
    if (seen.has(k)) continue;
    // Drop a match nested in a longer one of the same kind ("may" inside "may have been").
    if (out.some((o) => o.start <= x.start && o.end >= x.end)) continue;
    seen.add(k);
    out.push(x);
  }
  return out;
}

/**
 * "He did not offer any proof for that claim however." -> the latest earlier claim by the subject of
 * that sentence (resolved like a speaker), within three sentences; a statement inside a claim's own
 * content ("the US failed to present proof …") is what that claim says, not a verdict on it.
 */
function linkUnsupported(doc: Doc, claims: Claim[], resolver: SpeakerResolver, noProof: Marker[]): void {
  for (const m of noProof) {
    if (claims.some((c) => inContent(c, m))) continue;
    const s = doc.sentenceAt(m.start);
    let target: Claim | undefined;
    // Same sentence, outside the content: "Putin said X, without offering evidence."
    // Same sentence, outside the content ("Putin said, without offering evidence, that …"): the nearest cue.
    const touches = (c: Claim) =>
      (c.cue && c.cue.start < m.end && m.start < c.cue.end) ||
      (c.content.start < m.end && m.start < c.content.end);
    const same = claims.filter((c) => c.sentence === s && c.cue && !touches(c));
    if (same.length > 0) {
      target = same.reduce((a, b) =>
        Math.abs(b.cue!.start - m.start) < Math.abs(a.cue!.start - m.start) ? b : a,
      );
    }
    if (!target) {
      const subject = subjectBefore(doc, m.start, s);
      const speaker = subject ? resolver.resolve(subject) : null;
      const earlier = claims.filter(
        (c) => c.sentence < s && s - c.sentence <= 3 && c.kind !== "unattributed",
      );
      for (let k = earlier.length - 1; k >= 0; k--) {
        const c = earlier[k]!;
        if (!speaker || (c.speaker && c.speaker.name === speaker.name)) {
          target = c;
          break;
        }
      }
    }
    if (!target) continue;
    target.evidence.status = "unsupported";
    target.evidence.markers = dedupe([...target.evidence.markers, m]);
  }
}

const VERDICT_LINK = /(?:\s*[,;—–]\s*(?:but|though|although|yet|while)?|\s+(?:but|though|although|yet))\s*$/i;
const VERDICT_SUBJECT = new Set(["he", "she", "they"]);

/**
 * "X claimed the repairs were a waste, but he did not offer any proof": the clause after "but" is the
 * reporter's verdict on the claim, not part of it. Ends the last content part before that clause (the
 * verdict is then linked to the claim like one in a later sentence). A statement with its own subject
 * ("the US failed to present proof") stays content.
 */
function cutAtVerdict(doc: Doc, parts: Span[], noProof: Marker[], sentence: number): void {
  const last = parts[parts.length - 1]!;
  for (const m of noProof) {
    if (m.start <= last.start || m.end > last.end) continue;
    const subject = subjectBefore(doc, m.start, sentence);
    if (!subject || subject.tokEnd - subject.tokStart !== 1) continue;
    if (!VERDICT_SUBJECT.has(doc.tokens.norm[subject.tokStart]!)) continue;
    const subjectStart = doc.tokens.start[subject.tokStart]!;
    if (subjectStart <= last.start) continue;
    const link = VERDICT_LINK.exec(doc.text.slice(last.start, subjectStart));
    if (!link || link.index === 0) continue;
    parts[parts.length - 1] = { start: last.start, end: last.start + link.index };
    return;
  }
}

function inContent(c: Claim, m: Span): boolean {
  const parts = c.content.parts ?? [c.content];
  return parts.some((p) => m.start >= p.start && m.end <= p.end);
}

/** The noun phrase or pronoun right before a character offset in sentence s ("He" in "He did not offer …"). */
function subjectBefore(doc: Doc, at: number, s: number): TokRange | null {
  const sent = doc.sentences[s]!;
  let j = doc.tokenAtOrAfter(at) - 1;
  const { pos } = doc.tokens;
  while (j >= sent.tokStart && (pos[j] === POS.ADV || pos[j] === POS.AUX || pos[j] === POS.PART)) j--;
  if (j < sent.tokStart) return null;
  if (pos[j] === POS.PRON) return { tokStart: j, tokEnd: j + 1 };
  if (pos[j] !== POS.PROPN && pos[j] !== POS.NOUN) return null;
  let a = j;
  while (
    a - 1 >= sent.tokStart &&
    (pos[a - 1] === POS.PROPN || pos[a - 1] === POS.NOUN || pos[a - 1] === POS.ADJ || pos[a - 1] === POS.DET)
  ) {
    a--;
    if (pos[a] === POS.DET) break;
  }
  return { tokStart: a, tokEnd: j + 1 };
}
