// The attribution stage: claims with speaker, cue, content, evidence, hedges and framing.
// Rules (rules.ts) find the patterns a fact-checker needs with structure (according-to, headline,
// noun cues, participles, passives, appositives); the learned PolNeAR tagger (tagger/) adds the
// attributions rules miss. Speakers are resolved to entities within the document (speakers.ts).
import type { Doc } from "../../doc/doc.js";
import { POS } from "../../nlp/wink.js";
import { defineStage, type Stage } from "../../pipeline/stage.js";
import type { Claim, Span } from "../../schema/analysis.js";
import { buildClaims, type Candidate } from "./claims.js";
import { lexicon, type Framing } from "./lexicon.js";
import { RuleFinder, tokRangeOf, type TokRange } from "./rules.js";
import {
  SOURCE_ATTACH_FILE,
  SourceAttacher,
  sourceCandidates,
  type SourceAttachJSON,
} from "./source-attach.js";
import { cueVoice } from "./tagger/model.js";
import { ATTRIBUTION_MODEL, loadAttributionTagger, type RawAttribution } from "./tagger/index.js";
import { loadShippedModel } from "../../learn/model-io.js";
import { loadWordClusters } from "../../learn/word-clusters.js";

export interface AttributionOptions {
  /** Use the shipped PolNeAR tagger next to the rules (default true when the model is shipped). */
  attributionTagger?: boolean;
  /** Add the author's own checkable claims (kind "unattributed"); default true. */
  authorClaims?: boolean;
  /** Attach sources to tagger cues without one (models/attribution/source.json.gz); default true when shipped. */
  sourceAttacher?: boolean;
}

interface TaggerLike {
  tagAttributions(doc: Doc): RawAttribution[];
}

/** Rule candidates for a Doc (exported for tests and experiments). */
export function ruleCandidates(doc: Doc): Candidate[] {
  return new RuleFinder(doc).find();
}

/** Claims for a Doc from rules plus, when given, tagger relations the rules did not find. */
export function attributeClaims(
  doc: Doc,
  tagger: TaggerLike | null,
  opts: { authorClaims?: boolean; sourceAttacher?: SourceAttacher | null } = {},
): Claim[] {
  const finder = new RuleFinder(doc);
  const found = finder.find();
  const rules: Candidate[] = [...found, ...finder.continuations(found)].map((c) =>
    c.source && c.cue ? { ...c, source: withModifiedHead(doc, c.source, tokRangeOf(doc, c.cue)) } : c,
  );
  if (!tagger) return buildClaims(doc, rules, opts);
  return buildClaims(
    doc,
    mergeCandidates(
      doc,
      rules,
      taggerCandidates(doc, tagger.tagAttributions(doc), finder, opts.sourceAttacher ?? null),
    ),
    opts,
  );
}

/**
 * Rules and tagger together. Where both found the same cue the rule's claim is kept (its spans follow
 * the sentence structure; rules alone score precision 0.84 cue / 0.90 source / 0.90 content on PolNeAR
 * dev), taking the tagger's cue span when it only adds auxiliaries and adverbs ("has also said", as
 * PolNeAR marks cues). Tagger relations add what the rules missed, except fragments whose cue lies
 * inside a rule claim's content (nested or mis-split pieces of a claim already mapped). Variants that
 * let the tagger's spans win score up to 0.02 F1 higher on PolNeAR but split and misattribute claims
 * in news articles (see the model card notes).
 */
export function mergeCandidates(doc: Doc, rules: Candidate[], tagged: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  // Rule contents that run on into a clause with its own source and cue: end offset of the claim.
  const cuts = new Map<Candidate, number>();
  const byRule = new Map<Candidate, Candidate>();
  for (const t of tagged) {
    const r = t.cue ? rules.find((x) => x.cue && overlaps(x.cue, t.cue!)) : undefined;
    if (r) {
      if (!byRule.has(r)) byRule.set(r, t);
      continue;
    }
    const anchor = t.cue ?? t.content[0];
    if (anchor && rules.some((x) => x.content.some((p) => overlaps(p, anchor)))) {
      const split = t.cue && t.source ? clauseSplit(doc, rules, t) : null;
      if (split) {
        cuts.set(split.host, Math.min(cuts.get(split.host) ?? Infinity, split.end));
        out.push(t);
      }
      continue;
    }
    out.push(t);
  }
  for (const rule of rules) {
    const cut = cuts.get(rule);
    const r =
      cut === undefined
        ? rule
        : {
            ...rule,
            content: rule.content.map((p) =>
              p.start < cut && cut < p.end ? { start: p.start, end: cut } : p,
            ),
          };
    const t = byRule.get(rule);
    const more = t ? quoteGoesOn(doc, r, t) : [];
    const withMore = more.length > 0 ? { ...r, content: [...r.content, ...more] } : r;
    if (t?.cue && r.cue && r.pattern !== "noun" && auxOnlyExtension(doc, r.cue, t.cue)) {
      out.push({ ...withMore, cue: { start: t.cue.start, end: t.cue.end, framing: r.cue.framing } });
    } else out.push(withMore);
  }
  return out;
}

const CLAUSE_LINK = /(?:\s|^)(?:but|and|though|although|while|as|because|when|after|before|since|whereas)$/i;
const CLAUSE_BREAK =
  /[,;:—–]|\b(?:but|and|though|although|while|as|because|when|after|before|since|whereas)\b/i;

/**
 * A tagger relation whose source and cue lie inside a rule's content after a clause break ("X said the
 * plan would fail, though she acknowledged it was unlikely …"): PolNeAR is univocal, so the rule's content
 * ended before that clause. Returns the rule and where its content ends (before ", though"), or null.
 */
function clauseSplit(doc: Doc, rules: Candidate[], t: Candidate): { host: Candidate; end: number } | null {
  const ss = doc.tokens.start[t.source!.tokStart]!;
  if (ss >= t.cue!.start) return null;
  let part: Span | undefined;
  const host = rules.find(
    (x) => (part = x.content.find((p) => p.start < ss && ss < p.end && p.end >= t.cue!.end)),
  );
  if (!host || !part) return null;
  const text = doc.text;
  let b = ss;
  while (b > 0 && /[\s,;:—–-]/.test(text[b - 1]!)) b--;
  const m = CLAUSE_LINK.exec(text.slice(Math.max(0, b - 12), b));
  if (m) {
    b -= m[0].length;
    while (b > 0 && /[\s,;:—–-]/.test(text[b - 1]!)) b--;
  }
  if (b <= part.start + 10 || !CLAUSE_BREAK.test(text.slice(b, ss))) return null;
  return { host, end: b };
}

/** Whether `wide` covers `core` and adds only auxiliaries, adverbs and particles ("has also said"). */
function auxOnlyExtension(doc: Doc, core: Span, wide: Span): boolean {
  if (wide.start > core.start || wide.end < core.end) return false;
  const { pos } = doc.tokens;
  for (let i = doc.tokenAtOrAfter(wide.start); i < doc.tokens.count && doc.tokens.start[i]! < wide.end; i++) {
    if (doc.tokens.start[i]! >= core.start && doc.tokens.end[i]! <= core.end) continue;
    const p = pos[i];
    if (p !== POS.AUX && p !== POS.ADV && p !== POS.PART) return false;
  }
  return true;
}

/**
 * "“We balanced the books,” Chen told reporters. “Nobody will lose their job.”": the tagger's content for the
 * same cue goes on into a quote of the next sentence of the paragraph, which the rule (one sentence) missed.
 * Returns those quoted parts (whole quoted sentences only).
 */
function quoteGoesOn(doc: Doc, rule: Candidate, tagged: Candidate): Span[] {
  if (!rule.quoted || !rule.cue) return [];
  const s = doc.sentenceAt(rule.cue.start);
  const sent = doc.sentences[s]!;
  const out: Span[] = [];
  for (const p of tagged.content) {
    if (p.start < sent.end) continue;
    const ps = doc.sentences[doc.sentenceAt(p.start)]!;
    if (ps.paragraph !== sent.paragraph) continue;
    // Tagger content comes with its quote marks trimmed: they must sit right around it.
    const opens = /["“]\s*$/.test(doc.text.slice(Math.max(0, p.start - 2), p.start));
    const closes = /^[.,!?]?["”]/.test(doc.text.slice(p.end, p.end + 3));
    if (opens && closes && p.end > p.start) out.push(p);
  }
  return out;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Tagger relations as candidates (source tokens, framing from the lexicon, content filled in by rules when missing). */
export function taggerCandidates(
  doc: Doc,
  raw: RawAttribution[],
  finder: RuleFinder,
  attacher: SourceAttacher | null = null,
): Candidate[] {
  const lex = lexicon();
  const out: Candidate[] = [];
  const contents = attacher ? raw.flatMap((r) => r.content) : [];
  for (let r of raw) {
    const src = r.source?.[0];
    let source: TokRange | null = src ? tokRangeOf(doc, src) : null;
    if (r.cue) {
      const p = participantContent(doc, r.cue, r.content, lex);
      if (p) {
        if (p.subject && !source) source = p.subject;
        r = { ...r, content: p.content };
      }
    }
    if (source && r.cue) source = withModifiedHead(doc, source, tokRangeOf(doc, r.cue));
    if (!source && r.cue && attacher) source = attacher.attach(doc, tokRangeOf(doc, r.cue), contents);
    if (r.cue) {
      const wide = withAdjunctPreposition(doc, r.cue);
      if (wide !== r.cue) r = { ...r, cue: wide };
    }
    if (!source && r.cue) source = adjunctOrRaisingSubject(doc, tokRangeOf(doc, r.cue), finder);
    if (!r.cue) {
      if (r.content.length === 0) continue;
      const content = r.content.map((p) => trimQuotes(doc, p));
      const quoted = isQuoted(doc, r.content);
      // With neither cue nor source nor quote marks nothing attributes it: left to the author-claim check.
      if (!source && !quoted) continue;
      out.push({ pattern: "tagger", source, cue: null, content, quoted, sentence: r.sentence });
      continue;
    }
    const cue = r.cue;
    // "When asked whether …, Putin said": the tagger (and the attacher) take the one asked for the asker.
    if (isPassiveAsk(doc, cue)) source = null;
    let framing: Framing = "neutral";
    const words = doc.text.slice(cue.start, cue.end).toLowerCase().replace(/’/g, "'").split(/\s+/);
    for (let k = 0; k < words.length; k++) {
      const w = words[k]!;
      const info = lex.cueVerbs.get(w);
      if (info && (!info.particle || words[k + 1] === info.particle)) framing = info.framing;
      const noun = lex.nounCues.get(w);
      if (noun) framing = noun;
    }
    if (words.some((w) => lex.loadedModifiers.has(w))) framing = "loaded";
    const kept = ownSentenceFirst(doc, cue, r.content);
    let content = kept.map((p) => trimQuotes(doc, p));
    let quoted = isQuoted(doc, kept);
    if (content.length === 0) {
      // Only lexicon cues get content filled in by rules (other cue-only relations are mostly noise).
      // A particle verb counts only with its particle ("pointing fingers at" is not "point out").
      const lexCue = words.some((w, k) => {
        const info = lex.cueVerbs.get(w);
        return (info && (!info.particle || words[k + 1] === info.particle)) || lex.nounCues.has(w);
      });
      if (!lexCue) continue;
      const cueTokens = tokRangeOf(doc, cue);
      const filled = finder.contentForCue(cueTokens.tokStart, cueTokens.tokEnd);
      if (!filled) continue;
      content = filled.content;
      quoted = filled.quoted;
      if (startsReciprocal(doc, content[0]!)) continue;
    }
    out.push({
      pattern: "tagger",
      source,
      cue: { start: cue.start, end: cue.end, framing },
      content,
      quoted,
      sentence: r.sentence,
    });
  }
  return out;
}

/** "in hopes of", "in the hope that": PolNeAR's cue includes the preposition (9 of 9 such train cues). */
function withAdjunctPreposition(doc: Doc, cue: Span): Span {
  const { norm, pos, start, sentence } = doc.tokens;
  const t = doc.tokenAtOrAfter(cue.start);
  // A noun; wink tags "hopes" in "in hopes of" as a verb now and then (not a gerund, "in denouncing": PolNeAR
  // leaves "in" out of those more often than not).
  if (t >= doc.tokens.count) return cue;
  if (pos[t] !== POS.NOUN && !(pos[t] === POS.VERB && !/(?:ing|ed)$/.test(norm[t]!))) return cue;
  let k = t - 1;
  if (k >= 0 && pos[k] === POS.DET && sentence[k] === sentence[t]) k--;
  if (k < 0 || norm[k] !== "in" || sentence[k] !== sentence[t]) return cue;
  return { ...cue, start: start[k]! };
}

/**
 * Content that is only a noun phrase of participants (names and person nouns, no verb): "the U.S. and
 * Russia" right before "will be pointing fingers at" is the cue's subject, not what is claimed (an active
 * cue's subject is its source); "the US Secretary of State and Russian President Vladimir Putin" after
 * "talks between" are the parties of the talks. Returns the remaining content and, for a subject, the
 * subject's tokens; null when nothing changes.
 */
export function participantContent(
  doc: Doc,
  cue: Span,
  content: readonly Span[],
  lex = lexicon(),
): { content: Span[]; subject: TokRange | null } | null {
  if (content.length === 0) return null;
  const c = tokRangeOf(doc, cue);
  const { norm, sentence } = doc.tokens;
  const lastCue = norm[c.tokEnd - 1]!;
  let subject: TokRange | null = null;
  const kept: Span[] = [];
  for (const p of content) {
    const t = tokRangeOf(doc, p);
    let drop = false;
    if (t.tokEnd === c.tokStart && sentence[t.tokStart] === sentence[c.tokStart]) {
      // "Clinton seemed to …": PolNeAR keeps a raising verb's subject in the content (nobody speaks).
      if (
        participantsOnly(doc, t, lex) &&
        cueVoice(doc, { type: "cue", ...c }) === "active" &&
        !raisingToSubject(doc, c)
      ) {
        drop = true;
        subject = t;
      }
    } else if (t.tokStart === c.tokEnd && PARTICIPANT_PREPOSITIONS.has(lastCue)) {
      drop = participantsOnly(doc, t, lex);
    }
    if (!drop && startsReciprocal(doc, p)) drop = true;
    if (!drop) kept.push(p);
  }
  return kept.length === content.length ? null : { content: kept, subject };
}

const SEEM = /^(?:seem|seems|seemed|seeming|appear|appears|appeared|appearing)$/;
/** A cue built on "seem"/"appear" ("almost seemed to agree", "appears"). */
function raisingToSubject(doc: Doc, c: TokRange): boolean {
  for (let i = c.tokStart; i < c.tokEnd; i++) if (SEEM.test(doc.tokens.norm[i]!)) return true;
  return false;
}

const RECIPROCAL = /^(?:each other|one another)\b/i;
/** "each other while …": a content that opens with a reciprocal names the participants again, not a claim. */
function startsReciprocal(doc: Doc, p: Span): boolean {
  const ch = doc.text.charCodeAt(p.start) | 0x20; // "e"ach other, "o"ne another
  return (ch === 101 || ch === 111) && RECIPROCAL.test(doc.text.slice(p.start, p.start + 12));
}

const PARTICIPANT_PREPOSITIONS = new Set(["between", "among", "amongst"]);

/** Whether tokens form a verbless noun phrase naming only people or entities ("the U.S. and Russia"). */
function participantsOnly(doc: Doc, r: TokRange, lex = lexicon()): boolean {
  const { norm, pos } = doc.tokens;
  let names = 0;
  for (let i = r.tokStart; i < r.tokEnd; i++) {
    const p = pos[i]!;
    const w = norm[i]!;
    if (p === POS.PROPN) names++;
    else if (p === POS.NOUN) {
      if (!lex.personTitles.has(w) && !lex.anonymousHeads.has(w)) return false;
      names++;
    } else if (p === POS.ADP) {
      // "Secretary of State": only inside a name.
      if (w !== "of" || i === r.tokStart || i + 1 >= r.tokEnd || pos[i + 1] !== POS.PROPN) return false;
    } else if (p === POS.PUNCT) {
      if (w !== "," && w !== ".") return false;
    } else if (
      p !== POS.DET &&
      p !== POS.CCONJ &&
      p !== POS.ADJ &&
      p !== POS.NUM &&
      !(p === POS.PART && w === "'s")
    )
      return false;
  }
  return names > 0;
}

/**
 * A source for a cue without one from the sentence's structure: a purpose adjunct ("in hopes of", "in the
 * hope that") belongs to the main clause's subject; a raising predicate ("is set to warn", "is expected to
 * announce": not a passive, PolNeAR marks the subject) takes the noun phrase right before it.
 */
function adjunctOrRaisingSubject(doc: Doc, cue: TokRange, finder: RuleFinder): TokRange | null {
  const { norm, pos } = doc.tokens;
  const first = norm[cue.tokStart]!;
  if (first === "in") return finder.subjectBefore(cue.tokStart);
  // "be (adverb) set/expected/scheduled/… to VERB"
  let k = cue.tokStart;
  if (!BE_FORMS.has(norm[k]!)) return null;
  k++;
  while (k < cue.tokEnd && pos[k] === POS.ADV) k++;
  if (k + 2 >= doc.tokens.count || !RAISING.has(norm[k]!) || norm[k + 1] !== "to") return null;
  if (pos[k + 2] !== POS.VERB || BE_FORMS.has(norm[k + 2]!)) return null;
  const sent = doc.sentences[doc.tokens.sentence[cue.tokStart]!]!;
  for (const cand of sourceCandidates(doc, cue))
    if (cand.tokEnd === cue.tokStart && cand.tokStart >= sent.tokStart) return cand;
  return null;
}

const BE_FORMS = new Set(["is", "are", "was", "were", "be", "been", "being", "'s", "’s"]);
const RAISING = new Set(["set", "scheduled", "slated", "poised", "due"]);

/**
 * A cue with content after it in its own sentence does not also take a quote from an earlier sentence
 * ("“…let her go.” Representatives for Netflix declined to comment …").
 */
function ownSentenceFirst(doc: Doc, cue: Span, content: Span[]): Span[] {
  const s = doc.sentenceAt(cue.start);
  const sent = doc.sentences[s]!;
  if (!content.some((p) => p.start >= cue.end && p.start < sent.end)) return content;
  return content.filter((p) => p.end > sent.start);
}

const ASKED_AFTER = /^(?:when|after|if|once|before|upon|while|was|were|being|been|is|are)$/;
/** "When asked …, Putin said", "he was asked …": the subject is the one asked, not who asks. */
function isPassiveAsk(doc: Doc, cue: { start: number }): boolean {
  const t = doc.tokenAtOrAfter(cue.start);
  if (t >= doc.tokens.count || !/^(?:asked|questioned)$/.test(doc.tokens.norm[t]!)) return false;
  return t > 0 && ASKED_AFTER.test(doc.tokens.norm[t - 1]!);
}

const HEAD_PREPOSITIONS = new Set(["of", "in", "from", "at", "for"]);
const NP_WORD = new Set<number>([POS.NOUN, POS.PROPN, POS.ADJ, POS.NUM]);
const POSSESSIVES = new Set(["his", "her", "their", "its", "our", "my", "your"]);
const TIME_NOUNS =
  /^(?:day|days|week|weeks|month|months|year|years|hour|hours|minutes|time|times|wake|morning|night|evening|afternoon|weekend|summer|spring|fall|autumn|winter|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/;

/**
 * A subject source that the tagger cut after a preposition ("a G7 foreign ministers' meeting in [Italy]
 * called on …", "Audit files from [NGP VAN] show …") grows back to the noun phrase it modifies: PolNeAR
 * marks the whole phrase (35 of 54 such cases on out-of-fold train; time heads, "day after", excluded).
 */
export function withModifiedHead(doc: Doc, source: TokRange, cue: TokRange): TokRange {
  const { pos, norm, sentence } = doc.tokens;
  const s = source.tokStart;
  if (s < 2 || cue.tokStart < source.tokEnd || cue.tokStart > source.tokEnd + 1) return source;
  if (pos[s] === POS.PRON || !HEAD_PREPOSITIONS.has(norm[s - 1]!)) return source;
  const h = s - 2;
  if ((pos[h] !== POS.NOUN && pos[h] !== POS.PROPN) || TIME_NOUNS.test(norm[h]!)) return source;
  if (sentence[h] !== sentence[s]) return source;
  let a = h;
  while (a - 1 >= 0 && sentence[a - 1] === sentence[s]) {
    const q = pos[a - 1]!;
    const w = norm[a - 1]!;
    if (q === POS.DET || (q === POS.PRON && POSSESSIVES.has(w))) {
      a--;
      break;
    }
    if (
      NP_WORD.has(q) ||
      w === "'s" ||
      (q === POS.PUNCT && (w === "'" || w === "’") && a - 2 >= 0 && pos[a - 2] === POS.NOUN)
    )
      a--;
    else break;
  }
  return { tokStart: a, tokEnd: source.tokEnd };
}

function isQuoted(doc: Doc, content: Span[]): boolean {
  return (
    content.length === 1 &&
    /^["“]/.test(doc.text.slice(content[0]!.start)) &&
    /["”][.,]?$/.test(doc.slice(content[0]!))
  );
}

function trimQuotes(doc: Doc, p: Span): Span {
  let a = p.start;
  let b = p.end;
  while (a < b && /[\s"“”‘’',:]/.test(doc.text[a]!)) a++;
  while (b > a && /[\s"“”,;:.]/.test(doc.text[b - 1]!)) b--;
  return { start: a, end: b };
}

export async function createAttributionStage(options: Record<string, unknown>): Promise<Stage> {
  const o = options as AttributionOptions;
  let tagger: TaggerLike | null = null;
  let sourceAttacher: SourceAttacher | null = null;
  if (o.attributionTagger !== false) {
    try {
      tagger = await loadAttributionTagger();
    } catch {
      tagger = null; // no shipped model: rules only
    }
    if (tagger && o.sourceAttacher !== false) {
      try {
        const json = loadShippedModel<SourceAttachJSON>(ATTRIBUTION_MODEL, SOURCE_ATTACH_FILE);
        sourceAttacher = new SourceAttacher(json, json.clusters ? loadWordClusters() : null);
      } catch {
        sourceAttacher = null; // not shipped: tagger sources only
      }
    }
  }
  lexicon();
  return defineStage({
    name: "attribution",
    reads: ["tokens", "sentences", "quantities"],
    adds: "claims",
    run: (doc, ctx) => {
      const authorClaims = (ctx.options as AttributionOptions).authorClaims ?? o.authorClaims;
      return attributeClaims(doc, tagger, { authorClaims, sourceAttacher });
    },
  });
}
