// Rule-based attribution finder over the Doc's flat token table. It finds cue words (verbs, noun
// cues, "according to", headline colons, participles, passives) and, around each, the source noun
// phrase and the content span(s). Speaker resolution happens later (speakers.ts).
import { normTypes, type Doc } from "../../doc/doc.js";
import { POS } from "../../nlp/wink.js";
import type { Span } from "../../schema/analysis.js";
import { lexicon, type Framing } from "./lexicon.js";

export type RulePattern =
  | "verb"
  | "inverted"
  | "noun"
  | "according-to"
  | "headline"
  | "participle"
  | "passive"
  | "coordinated"
  | "continuation";

/** A token range [tokStart, tokEnd). */
export interface TokRange {
  tokStart: number;
  tokEnd: number;
}

/** The tokens a character span touches. */
export function tokRangeOf(doc: Doc, span: { start: number; end: number }): TokRange {
  return { tokStart: doc.tokenAtOrAfter(span.start), tokEnd: doc.tokenAtOrAfter(span.end - 1) + 1 };
}

export interface RuleAttribution {
  pattern: RulePattern;
  /** The source mention (tokens), null for passives ("it was claimed"). */
  source: TokRange | null;
  /** For appositives ("Dmitry Peskov, Kremlin's spokesman"), the part holding the name. */
  sourceName?: TokRange;
  cue: Span & { framing: Framing; tokStart: number; tokEnd: number };
  content: Span[];
  /** Whether content[0] was taken from inside quotation marks in full. */
  quoted: boolean;
  sentence: number;
}

const P = POS;
const POSSESSIVE_PRON = new Set(["his", "her", "their", "its", "our", "my", "your"]);
const SUBJECT_PRON = new Set(["he", "she", "they", "we", "i", "it", "you", "who"]);
const OBJECT_PRON = new Set(["him", "her", "them", "me", "us"]);
const DASHES = new Set(["-", "–", "—", "--"]);
/** Headline section labels before a colon that are not speakers ("The Latest: Trump urges …"). */
export const HEADLINE_LABELS = new Set([
  "latest", "update", "updates", "analysis", "opinion", "editorial", "exclusive", "breaking", "watch",
  "video", "live", "explainer", "recap", "factcheck", "commentary", "review", "column", "photos", "photo", "pics",
  "pictures", "gallery", "slideshow", "news", "quiz", "poll", "podcast", "listen", "trailer", "spoilers", "recipe",
  "interview", "transcript",
]); // prettier-ignore
const PP_HEADS = new Set([
  "on",
  "in",
  "during",
  "at",
  "with",
  "after",
  "before",
  "to",
  "via",
  "through",
  "from",
  "over",
  "last",
  "earlier",
  "this",
  "yesterday",
  "today",
  "late",
  "again",
  "also",
  "recently",
  "repeatedly",
  "publicly",
  "privately",
  "later",
  "then",
  "previously",
  "once",
  "flatly",
  "bluntly",
  "firmly",
]);
const MADE_VERBS = new Set([
  "made",
  "make",
  "makes",
  "making",
  "repeated",
  "repeats",
  "reiterated",
  "renewed",
  "voiced",
  "levelled",
  "leveled",
  "floated",
]);
const TELL_FORMS = new Set(["tell", "tells", "told", "telling"]);
/** Objects that only point at something said elsewhere ("say it", "said so"). */
const PRONOUN_OBJECT = new Set(["it", "this", "so"]);
const WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split(" ");
const MONTHS = "january february march april may june july august september october november december".split(
  " ",
);
/** Names of days and months: "in November" is a time, not a place or organisation. */
const DATE_WORDS = new Set([...WEEKDAYS, ...MONTHS]);
/** Words that open a time adjunct after a cue ("said Tuesday", "said last week", "said earlier"). */
const TIME_WORDS = new Set([
  ...WEEKDAYS,
  ..."yesterday today tonight earlier later recently last this next late early overnight".split(" "),
]);

/**
 * Whether a word can open a rule cue ("according", a noun cue, a cue verb: atToken returns null for any
 * other word), per process-wide word id (see normTypes): 0 = not looked up yet, 1 = no, 2 = yes. One table
 * per lexicon, reset when the word ids are.
 */
const cueWordTables = new WeakMap<object, { generation: number; flags: Uint8Array }>();

function cueWordFlags(
  doc: Doc,
  lex: ReturnType<typeof lexicon>,
): { typeOf: Int32Array; ids: Int32Array; flags: Uint8Array } {
  const { types, typeOf, vocabId, generation } = normTypes(doc);
  let table = cueWordTables.get(lex);
  if (!table || table.generation !== generation) {
    table = { generation, flags: new Uint8Array(1024) };
    cueWordTables.set(lex, table);
  }
  for (let t = 0; t < types.length; t++) {
    const id = vocabId[t]!;
    if (id >= table.flags.length) {
      const grown = new Uint8Array(Math.max(id + 1, table.flags.length * 2));
      grown.set(table.flags);
      table.flags = grown;
    }
    if (table.flags[id] === 0) {
      const w = types[t]!;
      table.flags[id] = w === "according" || lex.nounCues.has(w) || lex.cueVerbs.has(w) ? 2 : 1;
    }
  }
  return { typeOf, ids: vocabId, flags: table.flags };
}

export class RuleFinder {
  private readonly lex = lexicon();
  private readonly norm: string[];
  private readonly pos: Uint8Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly n: number;

  constructor(private readonly doc: Doc) {
    this.norm = doc.tokens.norm;
    this.pos = doc.tokens.pos;
    this.start = doc.tokens.start;
    this.end = doc.tokens.end;
    this.n = doc.tokens.count;
  }

  /** All attributions found by rules, in text order, at most one per cue. */
  find(): RuleAttribution[] {
    const out: RuleAttribution[] = [];
    const doc = this.doc;
    /** Char offset up to which text is inside a quote already used as content: no cues in there. */
    let quotedUntil = -1;
    // Quote depth carried through each paragraph (a quote may open in an earlier sentence).
    let depth = 0;
    let para = -1;
    const { typeOf, ids, flags } = cueWordFlags(doc, this.lex);
    for (let s = 0; s < doc.sentences.length; s++) {
      const sent = doc.sentences[s]!;
      if (sent.paragraph !== para) {
        para = sent.paragraph;
        depth = 0;
      }
      const found: RuleAttribution[] = [];
      if (s === 0 || doc.inHeadline(sent)) {
        const h = this.headline(s);
        if (h) found.push(h);
      }
      for (let i = sent.tokStart; i < sent.tokEnd; i++) {
        if (this.isQuote(i)) depth = this.isOpenQuote(i) ? 1 : 0;
        if (this.start[i]! < quotedUntil || depth > 0) continue;
        // A word that opens no cue: atToken would return null.
        if (flags[ids[typeOf[i]!]!] !== 2) continue;
        const a = this.atToken(i, s, found);
        if (a && a.source && !this.speakerLike(a.source)) continue;
        if (a && a.pattern !== "coordinated" && this.nested(a, found)) continue;
        if (a) {
          found.push(a);
          i = a.cue.tokEnd - 1;
          if (a.quoted && a.content[0]!.start > a.cue.start)
            quotedUntil = Math.max(quotedUntil, a.content[0]!.end);
        }
      }
      this.trimContents(found, s);
      for (const a of found) if (a.content.length > 0 && a.content[0]!.end > a.content[0]!.start) out.push(a);
    }
    return out;
  }

  // ---- token helpers -------------------------------------------------------------------------

  private isQuote(i: number): boolean {
    const nm = this.norm[i];
    if (nm === '"' || nm === "''" || nm === "``") return true;
    // '' as two tokens: the first of the pair stands for the mark.
    return (
      nm === "'" &&
      i + 1 < this.n &&
      this.norm[i + 1] === "'" &&
      this.start[i + 1] === this.end[i] &&
      !(i > 0 && this.norm[i - 1] === "'" && this.end[i - 1] === this.start[i])
    );
  }

  /** The quote mark ending at token j (j itself, or the first half of a two-token ''), or -1. */
  private quoteEndingAt(j: number): number {
    if (j < 0) return -1;
    if (this.isQuote(j)) return j;
    if (this.norm[j] === "'" && j > 0 && this.isQuote(j - 1)) return j - 1;
    return -1;
  }

  /** Token after a quote mark (skipping the second half of a two-token ''). */
  private afterQuote(i: number): number {
    return this.norm[i] === "'" ? i + 2 : i + 1;
  }

  /** An opening quote: a typographic “, or a straight quote with no word right before it. */
  private isOpenQuote(i: number): boolean {
    if (!this.isQuote(i)) return false;
    const ch = this.doc.text[this.start[i]!];
    if (ch === "“" || ch === "`") return true;
    if (ch === "”") return false;
    // A straight quote (" or '') opens after a space or bracket and before a word; otherwise it closes.
    const spaceBefore = i === 0 || this.end[i - 1]! < this.start[i]! || /^[([—–-]$/.test(this.norm[i - 1]!);
    const j = this.afterQuote(i);
    const spaceAfter = j >= this.n || this.start[j]! > this.end[j - 1]!;
    return spaceBefore && !spaceAfter;
  }

  /** Whether char offset c starts a straight closing/opening quote mark (" or ''); returns its length or 0. */
  private straightQuoteAt(c: number): number {
    const text = this.doc.text;
    if (text[c] === '"') return 1;
    if (text[c] === "'" && text[c + 1] === "'") return 2;
    return 0;
  }

  private isComma(i: number): boolean {
    return this.norm[i] === ",";
  }

  private isDash(i: number): boolean {
    return DASHES.has(this.norm[i]!) && this.pos[i] === P.PUNCT;
  }

  private isVerbish(i: number): boolean {
    const p = this.pos[i];
    return p === P.VERB || p === P.AUX;
  }

  /** "that" as a complementizer (wink sometimes tags it DET: "told reporters on Monday that deliveries …"). */
  private isThat(i: number): boolean {
    if (this.norm[i] !== "that") return false;
    if (this.pos[i] !== P.DET) return true;
    // A determiner "that" is followed by its noun and then no verb ("that claim"); a complementizer by a clause.
    for (let k = i + 1; k < Math.min(this.n, i + 8); k++) {
      if (this.isVerbish(k)) return k > i + 1;
      if (this.pos[k] === P.PUNCT) return false;
    }
    return false;
  }

  /** A name token: PROPN, or a capitalised word next to one that wink mis-tagged ("Ben Ward/VERB"). */
  private isName(i: number): boolean {
    if (this.pos[i] === P.PROPN) return true;
    const ch = this.doc.text[this.start[i]!]!;
    if (ch < "A" || ch > "Z" || this.doc.sentences[this.doc.tokens.sentence[i]!]!.tokStart === i)
      return false;
    return (
      (i > 0 && this.pos[i - 1] === P.PROPN && this.end[i - 1]! < this.start[i]!) ||
      (i + 1 < this.n && this.pos[i + 1] === P.PROPN)
    );
  }

  private textOf(a: number, b: number): string {
    return this.doc.text.slice(this.start[a]!, this.end[b - 1]!);
  }

  /** Skips adverbs and auxiliaries leftwards ("has also repeatedly said"). */
  private skipBackAdverbs(j: number, s0: number): number {
    while (j >= s0) {
      const nm = this.norm[j]!;
      const p = this.pos[j];
      if (p === P.ADV || p === P.AUX || this.lex.adverbsBetween.has(nm) || this.lex.loadedModifiers.has(nm)) {
        if (nm === "when" || nm === "where" || nm === "how" || nm === "as" || nm === "so") return j;
        j--;
      } else break;
    }
    return j;
  }

  /** Start of a noun phrase ending at token j (inclusive), or -1. */
  private npBack(j: number, s0: number): number {
    if (j < s0) return -1;
    const p = this.pos[j];
    const nm = this.norm[j]!;
    if (p === P.PRON) return SUBJECT_PRON.has(nm) && nm !== "who" ? j : -1;
    const name = this.isName(j);
    if (!name && p !== P.NOUN && !(p === P.NUM && j > s0 && this.pos[j - 1] === P.PROPN)) return -1;
    let k = j;
    let sawPropn = name;
    while (k - 1 >= s0 && j - k < 12) {
      const q = k - 1;
      const qp = this.pos[q];
      const qn = this.norm[q]!;
      if (qp === P.PROPN || qp === P.NUM || this.isName(q)) {
        sawPropn = true;
        k = q;
      } else if (qp === P.NOUN || qp === P.ADJ) {
        // "the rally Trump": a common noun right before a name without a possessive breaks the phrase,
        // unless it is a title ("spokesman Dmitry Peskov").
        if (
          qp === P.NOUN &&
          (this.pos[k] === P.PROPN || this.isName(k)) &&
          sawPropn &&
          !this.lex.personTitles.has(qn) &&
          // an organisation word only as part of a name ("the Times' Maggie Haberman"), not "a few times Angie"
          !(this.lex.orgWords.has(qn) && /^[A-Z]/.test(this.doc.text[this.start[q]!]!))
        )
          break;
        k = q;
      } else if (qp === P.PART && qn === "'s") {
        if (q - 1 >= s0 && (this.pos[q - 1] === P.PROPN || this.pos[q - 1] === P.NOUN)) k = q;
        else break;
      } else if (qp === P.DET || (qp === P.PRON && POSSESSIVE_PRON.has(qn))) {
        if (qn === "that" || qn === "which" || qn === "what") break;
        k = q;
        // "a spokesman for the ministry", "the head of the agency": continue over of/for after a role noun
        // (or a capitalised one, as below: "Reps for both Watson and Pattinson").
        const r = q - 1;
        if (
          r - 1 >= s0 &&
          (this.norm[r] === "of" || this.norm[r] === "for") &&
          (this.lex.personTitles.has(this.norm[r - 1]!) ||
            this.lex.anonymousHeads.has(this.norm[r - 1]!) ||
            this.pos[r - 1] === P.PROPN)
        ) {
          k = r;
          continue;
        }
        break;
      } else if (qp === P.ADP && (qn === "of" || qn === "for") && q - 1 >= s0) {
        const lp = this.pos[q - 1];
        if (
          (lp === P.NOUN || lp === P.PROPN) &&
          (this.lex.personTitles.has(this.norm[q - 1]!) ||
            this.lex.anonymousHeads.has(this.norm[q - 1]!) ||
            lp === P.PROPN)
        )
          k = q;
        else break;
      } else if (
        qp === P.CCONJ &&
        qn === "and" &&
        this.pos[k] === P.PROPN &&
        q - 1 >= s0 &&
        this.pos[q - 1] === P.PROPN
      ) {
        k = q;
      } else if (
        qp === P.PUNCT &&
        (qn === "-" || qn === ".") &&
        this.start[k] === this.end[q] &&
        q - 1 >= s0 &&
        this.end[q - 1] === this.start[q]
      ) {
        k = q; // hyphenated or dotted names
      } else break;
    }
    return k;
  }

  /** End (exclusive) of a noun phrase starting at token j, or -1. */
  /** `names`: a mis-tagged word of a name counts as a name word ("according to Rolling/VERB Stone"). */
  private npForward(j: number, sEnd: number, names = false): number {
    if (j >= sEnd) return -1;
    const p0 = this.pos[j];
    if (p0 === P.PRON && !(names && this.isName(j)))
      return SUBJECT_PRON.has(this.norm[j]!) ||
        this.norm[j] === "him" ||
        this.norm[j] === "her" ||
        this.norm[j] === "them" ||
        this.norm[j] === "us" ||
        this.norm[j] === "me"
        ? j + 1
        : -1;
    let k = j;
    let head = -1;
    while (k < sEnd && k - j < 14) {
      const p = this.pos[k];
      const nm = this.norm[k]!;
      // "sources" is sometimes tagged VERB.
      if (
        p === P.PROPN ||
        p === P.NOUN ||
        p === P.NUM ||
        (k === j && this.lex.anonymousHeads.has(nm)) ||
        (names && this.isName(k))
      ) {
        head = k;
        k++;
      } else if (
        p === P.ADJ ||
        (p === P.DET && k === j) ||
        (p === P.PRON && k === j && POSSESSIVE_PRON.has(nm))
      )
        k++;
      else if (p === P.PART && nm === "'s" && head >= 0) k++;
      else if (
        p === P.ADP &&
        (nm === "of" || nm === "for") &&
        head >= 0 &&
        k + 1 < sEnd &&
        (this.pos[k + 1] === P.PROPN || this.pos[k + 1] === P.NOUN || this.pos[k + 1] === P.DET)
      )
        k++;
      else if (
        p === P.CCONJ &&
        nm === "and" &&
        head >= 0 &&
        this.pos[k - 1] === P.PROPN &&
        k + 1 < sEnd &&
        this.pos[k + 1] === P.PROPN
      )
        k++;
      else break;
    }
    if (head < 0) return -1;
    // Post-modifiers of unnamed sources: "sources familiar with the talks", "people close to the president".
    const a = head + 1;
    if (
      a + 1 < sEnd &&
      this.pos[a] === P.ADJ &&
      this.pos[a + 1] === P.ADP &&
      this.lex.anonymousHeads.has(this.norm[head]!)
    ) {
      const e = this.npForward(a + 2, sEnd);
      if (e > 0) return e;
    }
    return head + 1;
  }

  /** The closing quote matching the opening quote at token i (searching the text), as a char offset, or -1. */
  private closingQuote(i: number, limitChars = 2500): number {
    const text = this.doc.text;
    const open = text[this.start[i]!];
    const from = this.end[i]!;
    const to = Math.min(text.length, from + limitChars);
    for (let c = from; c < to; c++) {
      const ch = text[c];
      if (
        open === "“" || open === "`"
          ? ch === "”" || (open === "`" && ch === "'" && text[c + 1] === "'")
          : this.straightQuoteAt(c) > 0 || ch === "”"
      )
        return c;
      if (open === "“" && ch === "“") {
        // A new paragraph that reopens the quote continues it (news convention); any other reopening ends the search.
        const before = text.lastIndexOf("\n", c);
        if (before < from || text.slice(before, c).trim() !== "") return -1;
      }
    }
    return -1;
  }

  // ---- patterns ------------------------------------------------------------------------------

  private atToken(i: number, s: number, found: RuleAttribution[]): RuleAttribution | null {
    const nm = this.norm[i]!;
    const lex = this.lex;
    if (nm === "according" && i + 1 < this.n && this.norm[i + 1] === "to") return this.accordingTo(i, s);
    if (lex.nounCues.has(nm) && this.pos[i] === P.NOUN) {
      const a = this.nounCue(i, s);
      if (a) return a;
    }
    const info = lex.cueVerbs.get(nm);
    if (!info) return null;
    if (info.particle && this.norm[i + 1] !== info.particle) return null;
    return this.verbCue(i, s, found);
  }

  private cueSpan(a: number, b: number, framing: Framing): RuleAttribution["cue"] {
    return { start: this.start[a]!, end: this.end[b - 1]!, framing, tokStart: a, tokEnd: b };
  }

  /** Framing of a verb cue, upgraded to loaded by a loaded adverb right before it ("sensationally claimed"). */
  private framingAt(i: number, base: Framing, s0: number): { framing: Framing; from: number } {
    for (let j = i - 1; j >= Math.max(s0, i - 3); j--) {
      const nm = this.norm[j]!;
      if (this.lex.loadedModifiers.has(nm)) return { framing: "loaded", from: j };
      if (this.lex.distancingModifiers.has(nm))
        return { framing: base === "loaded" ? "loaded" : "distancing", from: j };
      if (!(this.pos[j] === P.ADV || this.pos[j] === P.AUX)) break;
    }
    return { framing: base, from: i };
  }

  private verbCue(i: number, s: number, found: RuleAttribution[]): RuleAttribution | null {
    const sent = this.doc.sentences[s]!;
    const s0 = sent.tokStart;
    const sEnd = sent.tokEnd;
    const lex = this.lex;
    const info = lex.cueVerbs.get(this.norm[i]!)!;
    const p = this.pos[i];
    // Passive: "it was claimed that", "it is alleged that" (wink may tag the participle ADJ).
    if (lex.passiveCues.has(this.norm[i]!) && i - 1 >= s0 && this.pos[i - 1] === P.AUX) {
      let j = i - 1;
      while (j >= s0 && this.pos[j] === P.AUX) j--;
      if (j >= s0 && this.norm[j] === "it") {
        const content = this.forwardContent(i + 1, s, true);
        if (!content) return null;
        return {
          pattern: "passive",
          source: null,
          cue: this.cueSpan(j + 1, i + 1, this.framingAt(i, info.framing, s0).framing),
          ...content,
          sentence: s,
        };
      }
    }
    // "The senator was quoted as saying that …"
    if (
      this.norm[i] === "saying" &&
      i - 3 >= s0 &&
      this.norm[i - 1] === "as" &&
      this.norm[i - 2] === "quoted" &&
      this.pos[i - 3] === P.AUX
    ) {
      const left = this.leftSource(this.skipBackAdverbs(i - 4, s0), s0);
      const content = left ? this.forwardContent(i + 1, s, false) : null;
      if (!left || !content) return null;
      return {
        pattern: "passive",
        ...left,
        cue: this.cueSpan(i - 3, i + 1, "neutral"),
        ...content,
        sentence: s,
      };
    }
    // Adjectival uses: "the alleged attack", "the claimed sarin attack".
    if (i > s0 && (this.pos[i - 1] === P.DET || (this.pos[i - 1] === P.ADJ && p !== P.VERB))) return null;
    if (p === P.NOUN && !(lex.nounCues.has(this.norm[i]!) || this.norm[i]!.endsWith("s"))) return null;
    // wink tags "alleged" ADJ in "The story alleged that …" too: after a noun or a comma and before "that",
    // it is the verb.
    const verbAsAdj =
      p === P.ADJ &&
      i > s0 &&
      i + 1 < sEnd &&
      this.norm[i + 1] === "that" &&
      (this.pos[i - 1] === P.NOUN || this.pos[i - 1] === P.PROPN || this.isComma(i - 1));
    if ((p === P.ADJ && !verbAsAdj) || p === P.ADP || p === P.PROPN) return null;
    const cueEnd = info.particle ? i + 2 : i + 1;
    const { framing, from } = this.framingAt(i, info.framing, s0);
    const cue = this.cueSpan(from === i ? i : from, cueEnd, framing);
    // Participial cue after a comma or dash: "…, saying …", "– insisting …".
    if (
      lex.participleCues.has(this.norm[i]!) &&
      i > s0 &&
      (this.isComma(i - 1) ||
        this.isDash(i - 1) ||
        (this.isQuote(i - 1) && !this.isOpenQuote(i - 1)) ||
        (this.norm[i - 1] === "'" && i - 2 >= s0 && this.isQuote(i - 2)))
    ) {
      const prev = found.length > 0 ? found[found.length - 1]! : null;
      const source = prev?.source ?? this.mainSubject(s0, i - 1);
      if (!source) return null;
      const content = this.forwardContent(cueEnd, s, false);
      if (!content) return null;
      return { pattern: "participle", source, cue, ...content, sentence: s };
    }
    // Passive: "it was claimed that", "it has been reported that".
    if (lex.passiveCues.has(this.norm[i]!) && i - 1 >= s0 && this.pos[i - 1] === P.AUX) {
      let j = i - 1;
      while (j >= s0 && this.pos[j] === P.AUX) j--;
      if (j >= s0 && this.norm[j] === "it") {
        const content = this.forwardContent(cueEnd, s, true);
        if (!content) return null;
        return {
          pattern: "passive",
          source: null,
          cue: this.cueSpan(j + 1, cueEnd, framing),
          ...content,
          sentence: s,
        };
      }
      return null;
    }
    if (p === P.VERB && this.isPassiveParticiple(i, s0)) return null;
    // Source on the left.
    const j = this.skipBackAdverbs(i - 1, s0);
    let left = this.leftSource(j, s0);
    // Coordinated: "he argued that … and implied that …" shares the earlier source.
    if (!left && j >= s0 && this.norm[j] === "and" && found.length > 0 && found[found.length - 1]!.source) {
      const prev = found[found.length - 1]!;
      const content = this.forwardContent(cueEnd, s, true);
      if (!content) return null;
      return {
        pattern: "coordinated",
        source: prev.source,
        sourceName: prev.sourceName,
        cue,
        ...content,
        sentence: s,
      };
    }
    let afterCue = cueEnd < sEnd ? cueEnd : -1;
    // "…,” Mr. King told me." / "told reporters.": an object alone leaves the content before the cue.
    if (afterCue >= 0 && TELL_FORMS.has(this.norm[i]!)) {
      const e = this.npForward(afterCue, sEnd);
      if (e > 0 && this.onlyPunct(e, sEnd)) afterCue = e;
    }
    // "…, X said on Tuesday." / "said in a statement": a time or setting adjunct is not content.
    const restIsEmpty = afterCue < 0 || this.onlyPunct(afterCue, sEnd) || this.adjunctOnly(afterCue, sEnd);
    if (left) {
      const before = left.source.tokStart - 1;
      const backward =
        before >= s0 && (this.isComma(before) || this.quoteEndingAt(before) >= 0 || this.isDash(before));
      // After a closing quote the quote is the content, whatever adjunct follows ("…,” she said on Monday).
      const afterQuote =
        before >= s0 &&
        (this.quoteEndingAt(before) >= 0 || (this.isComma(before) && this.quoteEndingAt(before - 1) >= 0));
      const clauseNext = !restIsEmpty && (this.isThat(cueEnd) || this.norm[cueEnd] === ":");
      if (backward && (restIsEmpty || this.isComma(cueEnd) || (afterQuote && !clauseNext))) {
        const content = this.backwardContent(before, s);
        if (!content) return null;
        // "“…,” he said, “…”": the quote continues after the cue.
        if (!restIsEmpty && cueEnd + 1 < sEnd && this.isOpenQuote(cueEnd + 1)) {
          const more = this.forwardContent(cueEnd + 1, s, false);
          if (more) content.content.push(...more.content);
        } else if (
          !restIsEmpty &&
          this.isComma(cueEnd) &&
          !afterQuote &&
          this.resumesClause(cueEnd + 1, sEnd)
        ) {
          // "The key, he said, would be winning over …": the cue interrupts the claim, which goes on.
          const more = this.trimSpan(this.start[cueEnd + 1]!, sent.end);
          if (more.end > more.start) content.content.push(more);
        }
        return { pattern: "verb", ...left, cue, ...content, sentence: s };
      }
      if (restIsEmpty) return null;
      // "Though they won't say it, …": a pronoun object closed by a comma is all that is said here.
      if (PRONOUN_OBJECT.has(this.norm[cueEnd]!) && cueEnd + 1 < sEnd && this.isComma(cueEnd + 1))
        return null;
      const content = this.forwardContent(cueEnd, s, info.needClause, TELL_FORMS.has(this.norm[i]!));
      if (!content) return null;
      // "Rubio, who announced his campaign Monday, “is a great guy,” Bush said": a relative clause ends at
      // its comma; what follows belongs to the main clause.
      if (this.norm[left.source.tokStart] === "who" && left.source.tokEnd - left.source.tokStart === 1) {
        const from = content.content[0]!.start;
        for (let q = cueEnd; q < sEnd && this.start[q]! < from; q++) if (this.isComma(q)) return null;
        // "Jon Tester, who said the bill would fail, voted no": the main verb after the comma is not content.
        const last = content.content[content.content.length - 1]!;
        for (let q = cueEnd; q + 1 < sEnd && this.start[q]! < last.end; q++) {
          let v = q + 1;
          while (v < sEnd && this.pos[v] === P.ADV) v++;
          if (this.isComma(q) && (this.pos[v] === P.VERB || this.pos[v] === P.AUX)) {
            const cut = this.trimSpan(last.start, this.start[q]!);
            content.content[content.content.length - 1] = cut;
            break;
          }
        }
      }
      return { pattern: "verb", ...left, cue, ...content, sentence: s };
    }
    // Inverted: "…,” said Peskov." / "…, said the spokesman, …"
    const before = i - 1;
    if (before >= s0 && (this.isComma(before) || this.quoteEndingAt(before) >= 0 || this.isDash(before))) {
      const npEnd = this.npForward(cueEnd, sEnd);
      // The source closes the clause ("…, said Peskov." / "…, said Smith, a spokesman"); "said he was …" is content.
      const closes = npEnd > 0 && (npEnd >= sEnd || this.pos[npEnd] === P.PUNCT);
      if (closes && !OBJECT_PRON.has(this.norm[cueEnd]!)) {
        left = { source: { tokStart: cueEnd, tokEnd: npEnd } };
        const content = this.backwardContent(before, s);
        if (!content) return null;
        return { pattern: "inverted", ...left, cue, ...content, sentence: s };
      }
    }
    // Sentence-initial quote followed by cue and source, e.g. `"…" said X` handled above; otherwise no source.
    return null;
  }

  /** "was said", "were told": a participle right after a form of be is passive (not a cue of its subject). */
  private isPassiveParticiple(i: number, s0: number): boolean {
    let j = i - 1;
    while (j >= s0 && this.pos[j] === P.ADV) j--;
    if (j < s0) return false;
    const nm = this.norm[j]!;
    return (
      nm === "was" ||
      nm === "were" ||
      nm === "been" ||
      nm === "be" ||
      nm === "is" ||
      nm === "are" ||
      nm === "being"
    );
  }

  /**
   * Tokens a..b are one short adjunct and closing punctuation: a time ("on Tuesday", "Tuesday", "last week",
   * "earlier this month") or a prepositional setting ("in a statement", "at a news conference", "on Twitter").
   * No verb, no "that", no quote: then they hold no proposition.
   */
  private adjunctOnly(a: number, b: number): boolean {
    let end = b;
    while (end > a && this.pos[end - 1] === P.PUNCT && !this.isOpenQuote(end - 1)) end--;
    if (end <= a || end - a > 8) return false;
    const first = this.norm[a]!;
    if (!(this.pos[a] === P.ADP && first !== "of" && first !== "about") && !TIME_WORDS.has(first))
      return false;
    for (let k = a; k < end; k++) {
      const pk = this.pos[k];
      if (pk === P.VERB || pk === P.AUX || pk === P.PUNCT || pk === P.SCONJ || this.norm[k] === "that")
        return false;
    }
    return true;
  }

  private onlyPunct(a: number, b: number): boolean {
    for (let k = a; k < b; k++) if (this.pos[k] !== P.PUNCT || this.isOpenQuote(k)) return false;
    return true;
  }

  /** The source mention ending at token j: a noun phrase, with appositives and relative clauses. */
  private leftSource(j: number, s0: number): { source: TokRange; sourceName?: TokRange } | null {
    if (j < s0) return null;
    // "X, who …, said" / "X, the former …, said" / "The chairman, Phil Lovas, said": a noun phrase that
    // starts the clause, then comma-delimited appositives or relative clauses up to the cue.
    if ((this.isComma(j) || this.isDash(j)) && j - 1 >= s0) {
      let commas = 0;
      for (let k = j - 1; k > s0 && j - k < 40 && commas < 4; k--) {
        if (!(this.isComma(k) || this.isDash(k))) continue;
        commas++;
        const npStart = this.npBack(k - 1, s0);
        if (npStart < 0 || this.pos[k - 1] === P.PRON) continue;
        const b = npStart - 1;
        const clauseStart =
          npStart === s0 ||
          (b >= s0 && (this.pos[b] === P.PUNCT || this.pos[b] === P.SCONJ || this.pos[b] === P.CCONJ));
        if (!clauseStart) continue;
        // The first segment after the subject is an appositive, a relative or a participle clause.
        const f = k + 1;
        const fp = this.pos[f];
        const fn = this.norm[f]!;
        if (!(
          fp === P.DET ||
          fp === P.PROPN ||
          fp === P.NOUN ||
          fp === P.ADJ ||
          fp === P.NUM ||
          fn === "who" ||
          fn === "whose" ||
          fn === "which" ||
          (fp === P.VERB && fn.endsWith("ing"))
        ))
          continue;
        // Cut a relative clause off the mention; keep appositives.
        let endTok = j;
        for (let q = f; q < j; q++) {
          if (
            (this.isComma(q - 1) || this.isDash(q - 1)) &&
            (this.norm[q] === "who" || this.norm[q] === "which" || this.norm[q] === "whose")
          ) {
            endTok = q - 1;
            break;
          }
        }
        // The name: the subject phrase when it holds a name, else a named appositive.
        let nameRange: TokRange = { tokStart: npStart, tokEnd: k };
        if (this.pos[k - 1] !== P.PROPN) {
          const ae = this.npForward(f, j);
          if (ae > 0 && this.pos[ae - 1] === P.PROPN) nameRange = { tokStart: f, tokEnd: ae };
        }
        return { source: { tokStart: npStart, tokEnd: endTok }, sourceName: nameRange };
      }
      return null;
    }
    // "Jon Tester, who said …": the relative pronoun is the mention (resolved to the name before it).
    if (this.norm[j] === "who" && j - 1 > s0 && (this.isComma(j - 1) || this.pos[j - 1] === P.PROPN)) {
      return { source: { tokStart: j, tokEnd: j + 1 } };
    }
    let npStart = this.npBack(j, s0);
    if (npStart < 0) return null;
    // A time or place adjunct before the cue ("Sanders on Tuesday said", "Trump early Friday said"):
    // the source is the phrase before it.
    if (
      this.lex.notNames.has(this.norm[j]!) ||
      (npStart > s0 &&
        this.pos[npStart - 1] === P.ADP &&
        this.pos[j] === P.PROPN &&
        this.lex.notNames.has(this.norm[j]!))
    ) {
      let k = npStart - 1;
      while (
        k >= s0 &&
        (this.pos[k] === P.ADP ||
          this.pos[k] === P.ADV ||
          this.pos[k] === P.ADJ ||
          this.lex.notNames.has(this.norm[k]!) ||
          this.pos[k] === P.NUM)
      )
        k--;
      if (k < s0 || k === j) return null;
      const st = this.npBack(k, s0);
      if (st < 0) return null;
      npStart = st;
      j = k;
    }
    // Words that cannot be a source by themselves.
    const head = this.norm[j]!;
    if (
      this.pos[j] === P.NOUN &&
      /^(?:report|reports|statement|story|article|news)$/.test(head) &&
      npStart === j
    )
      return null;
    // "Dmitry Peskov, Kremlin's spokesman told": a role phrase after a name and a comma.
    if (
      this.pos[j] === P.NOUN &&
      npStart - 1 > s0 &&
      (this.isComma(npStart - 1) || this.isDash(npStart - 1))
    ) {
      const nameStart = this.npBack(npStart - 2, s0);
      if (
        nameStart >= 0 &&
        this.pos[npStart - 2] === P.PROPN &&
        (nameStart === s0 ||
          this.pos[nameStart - 1] === P.PUNCT ||
          this.pos[nameStart - 1] === P.SCONJ ||
          this.pos[nameStart - 1] === P.CCONJ)
      ) {
        return {
          source: { tokStart: nameStart, tokEnd: j + 1 },
          sourceName: { tokStart: nameStart, tokEnd: npStart - 1 },
        };
      }
    }
    // The object of a preposition is not the subject: "A document on the campaign's website states" is the
    // document's claim (one hop back over "on/in/at/from", to a clause-initial noun phrase).
    const adp = npStart - 1;
    if (
      adp - 1 >= s0 &&
      this.pos[adp] === P.ADP &&
      /^(?:on|in|at|from)$/.test(this.norm[adp]!) &&
      (this.pos[adp - 1] === P.NOUN || this.pos[adp - 1] === P.PROPN)
    ) {
      const st = this.npBack(adp - 1, s0);
      if (st >= 0 && (st === s0 || this.isComma(st - 1) || this.pos[st - 1] === P.CCONJ))
        return { source: { tokStart: st, tokEnd: j + 1 } };
    }
    return { source: { tokStart: npStart, tokEnd: j + 1 } };
  }

  /** The subject of the sentence's main clause before token `limit`: the last noun phrase directly followed by a verb. */
  private mainSubject(s0: number, limit: number): TokRange | null {
    let best: TokRange | null = null;
    for (let k = s0 + 1; k < limit; k++) {
      if (!this.isVerbish(k)) continue;
      const h = k - 1;
      const st = this.npBack(h, s0);
      if (st < 0) continue;
      if (this.norm[h] === "it" || this.norm[h] === "there") continue;
      if (st > s0 && this.pos[st - 1] === P.ADP) continue;
      if (st > s0 && this.norm[st - 1] === "to") continue;
      best = { tokStart: st, tokEnd: h + 1 };
    }
    return best;
  }

  /** The token of the closing quote mark at char closeChar, within maxAfter tokens of q in its sentence; or -1. */
  private closeQuoteToken(q: number, closeChar: number, sEnd: number, maxAfter = Infinity): number {
    let close = q + 1;
    while (close < sEnd && close - q <= maxAfter && this.start[close]! < closeChar) close++;
    return close < sEnd && close - q <= maxAfter && this.start[close]! === closeChar ? close : -1;
  }

  /** Whether the quote opening at token q and closing at char closeChar is followed, in its sentence, by a verb. */
  private verbAfterQuote(q: number, closeChar: number, sEnd: number): boolean {
    const close = this.closeQuoteToken(q, closeChar, sEnd);
    if (close < 0) return false;
    const r = this.afterQuote(close);
    return r < sEnd && this.isVerbish(r);
  }

  /**
   * For a short quote opening at token q (at most 6 tokens inside: a programme, title or nickname) followed,
   * within 4 tokens and before any verb, by "that": the index of that "that"; otherwise -1.
   */
  private thatAfterQuotedName(q: number, sEnd: number): number {
    const closeChar = this.closingQuote(q, 80);
    const close = closeChar < 0 ? -1 : this.closeQuoteToken(q, closeChar, sEnd, 7);
    if (close < 0) return -1;
    for (let r = this.afterQuote(close); r < sEnd && r - close <= 5; r++) {
      if (this.isThat(r)) return r;
      if (this.isVerbish(r) || this.isQuote(r)) return -1;
    }
    return -1;
  }

  /**
   * Content after the cue: past a told-object and adjuncts ("told reporters on Friday that …"), from "that",
   * a colon or an opening quote to the end of the sentence (or of a quote running over sentences).
   */
  private forwardContent(
    k: number,
    s: number,
    needClause: boolean,
    tell = false,
  ): { content: Span[]; quoted: boolean } | null {
    const sent = this.doc.sentences[s]!;
    const sEnd = sent.tokEnd;
    let j = k;
    if (tell) {
      const e = this.npForward(j, sEnd);
      if (e > 0 && !this.isVerbish(e)) j = e;
    }
    // Look ahead for "that", ":" or a quote before any verb.
    let clauseAt = -1;
    for (let q = j; q < sEnd && q - j < 30; q++) {
      const nm = this.norm[q]!;
      if (this.isThat(q) || nm === ":" || this.isOpenQuote(q)) {
        // A quoted name before the clause ("told MSNBC’s “Morning Joe” on Friday that …") is not the content.
        clauseAt = this.isOpenQuote(q) ? this.thatAfterQuotedName(q, sEnd) : -1;
        if (clauseAt < 0) clauseAt = q;
        break;
      }
      if (this.isVerbish(q) || this.pos[q] === P.SCONJ || nm === ";") break;
    }
    let from: number;
    if (clauseAt >= 0) {
      from = this.isOpenQuote(clauseAt) ? clauseAt : clauseAt + 1;
      if (from < sEnd && this.norm[from] === ":") from++;
    } else {
      if (
        needClause &&
        !(
          j < sEnd &&
          (this.pos[j] === P.PRON ||
            this.pos[j] === P.PROPN ||
            this.pos[j] === P.DET ||
            this.pos[j] === P.NOUN ||
            this.pos[j] === P.ADV ||
            this.pos[j] === P.NUM)
        )
      )
        return null;
      // Skip adjunct phrases ("on Friday", "in a statement,") before the clause.
      from = j;
      for (let guard = 0; guard < 4 && from < sEnd; guard++) {
        const nm = this.norm[from]!;
        if (this.isComma(from)) {
          from++;
          continue;
        }
        if (PP_HEADS.has(nm) && this.pos[from] !== P.PRON) {
          const e = this.npForward(from + 1, sEnd);
          const next = e > 0 ? e : from + 1;
          // Only an adjunct when the clause goes on after it.
          if (
            next < sEnd &&
            (this.isComma(next) ||
              this.pos[next] === P.PRON ||
              this.pos[next] === P.PROPN ||
              this.pos[next] === P.DET ||
              this.norm[next] === "that")
          ) {
            from = next;
            if (from < sEnd && this.isThat(from)) from++;
            continue;
          }
        }
        break;
      }
      if (needClause) {
        // A bare complement clause needs a verb within it ("added that …" or "noted he was …").
        let hasVerb = false;
        for (let q = from; q < sEnd; q++) if (this.isVerbish(q)) hasVerb = true;
        if (!hasVerb) return null;
      }
    }
    if (from >= sEnd) return null;
    if (this.isOpenQuote(from)) {
      // The cue introduces a quote: the content is the quote (which may run on past the sentence) — unless
      // the quote is the subject of the reported clause ("said “the plan” was bad").
      const close = this.closingQuote(from);
      if (close >= 0 && !this.verbAfterQuote(from, close, sEnd))
        return { content: [this.trimSpan(this.end[this.afterQuote(from) - 1]!, close)], quoted: true };
      // Keep the opening quote mark: the content quotes its own first words.
      if (close >= 0)
        return {
          content: [{ start: this.start[from]!, end: this.trimSpan(this.start[from]!, sent.end).end }],
          quoted: false,
        };
    }
    return { content: [this.trimSpan(this.start[from]!, sent.end)], quoted: false };
  }

  /** Content before a comma/quote/dash at token `before`: the quote it closes, or the clause from the sentence start. */
  private backwardContent(before: number, s: number): { content: Span[]; quoted: boolean } | null {
    const sent = this.doc.sentences[s]!;
    let q = before;
    if (this.quoteEndingAt(q) >= 0) q = this.quoteEndingAt(q);
    else if (this.isComma(q) && q - 1 >= sent.tokStart && this.quoteEndingAt(q - 1) >= 0)
      q = this.quoteEndingAt(q - 1);
    if (this.isQuote(q) && !this.isOpenQuote(q)) {
      // Find the opening quote (possibly in an earlier sentence or paragraph).
      const closeChar = this.start[q]!;
      const text = this.doc.text;
      const closeCh = text[closeChar];
      let open = -1;
      let openLen = 1;
      for (let c = closeChar - 1; c >= Math.max(0, closeChar - 2500); c--) {
        const ch = text[c];
        if (
          closeCh === "”"
            ? ch === "“"
            : ch === "“" || (this.straightQuoteAt(c) > 0 && (c === 0 || /\s/.test(text[c - 1]!)))
        ) {
          open = c;
          openLen = closeCh === "”" ? 1 : Math.max(1, this.straightQuoteAt(c));
          break;
        }
        if (closeCh === "”" && ch === "”") break;
      }
      if (open < 0) return null;
      return { content: [this.trimSpan(open + openLen, closeChar)], quoted: true };
    }
    let a = sent.tokStart;
    // Skip a sentence-initial conjunction or adverbial ("But", "And").
    if (this.pos[a] === P.CCONJ) a++;
    if (a >= before) return null;
    const span = this.trimSpan(this.start[a]!, this.start[before]!);
    return span.end > span.start ? { content: [span], quoted: false } : null;
  }

  /** Trims whitespace, quotes and final punctuation from a char range. */
  private trimSpan(a: number, b: number): Span {
    const text = this.doc.text;
    while (a < b && /[\s"“”'‘’,:–—-]/.test(text[a]!)) a++;
    while (b > a && /[\s"“”,;:.–—-]/.test(text[b - 1]!)) b--;
    // Keep a closing parenthesis or quote only when it is balanced inside.
    return { start: a, end: b };
  }

  /** "according to X, …" / "…, according to X." / "…, according to X, …" */
  private accordingTo(i: number, s: number): RuleAttribution | null {
    const sent = this.doc.sentences[s]!;
    const s0 = sent.tokStart;
    const sEnd = sent.tokEnd;
    let npEnd = this.npForward(i + 2, sEnd, true);
    if (npEnd < 0) return null;
    // "according to a report by the Pentagon", "data from the CDC", "a source at the ministry": the phrase
    // names who made it; its first noun phrase (a report, a source) is what speaks and gives the type.
    const headEnd = npEnd;
    while (npEnd + 1 < sEnd) {
      const nm = this.norm[npEnd]!;
      const next = this.pos[npEnd + 1] === P.DET ? npEnd + 2 : npEnd + 1;
      const named = this.pos[next] === P.PROPN && !DATE_WORDS.has(this.norm[next]!);
      if (!(
        ((nm === "by" || nm === "from") && !DATE_WORDS.has(this.norm[next]!)) ||
        ((nm === "in" || nm === "at") && named)
      ))
        break;
      const e = this.npForward(npEnd + 1, sEnd);
      if (e < 0) break;
      npEnd = e;
    }
    const source = { tokStart: i + 2, tokEnd: npEnd };
    const sourceName = npEnd > headEnd ? { tokStart: i + 2, tokEnd: headEnd } : undefined;
    const cue = this.cueSpan(i, i + 2, "neutral");
    const content: Span[] = [];
    if (i > s0) {
      const a = this.pos[s0] === P.CCONJ ? s0 + 1 : s0;
      if (a < i) {
        const sp = this.trimSpan(this.start[a]!, this.start[i]!);
        if (sp.end > sp.start) content.push(sp);
      }
    }
    // "According to reports in November, …": a short adjunct of the source before the comma is not content.
    let from = npEnd;
    for (let q = npEnd; q < Math.min(sEnd, npEnd + 7); q++) {
      if (!this.isComma(q)) continue;
      if (q > npEnd && this.adjunctOnly(npEnd, q)) from = q + 1;
      break;
    }
    if (from < sEnd && !this.onlyPunct(from, sEnd)) {
      const sp = this.trimSpan(this.start[from]!, sent.end);
      if (sp.end > sp.start) content.push(sp);
    }
    if (content.length === 0) return null;
    return {
      pattern: "according-to",
      source,
      ...(sourceName && { sourceName }),
      cue,
      content,
      quoted: false,
      sentence: s,
    };
  }

  /** "X's claim that …", "his claims that …", "made the astonishing claim – that … –", "the claim by X that …". */
  private nounCue(i: number, s: number): RuleAttribution | null {
    const sent = this.doc.sentences[s]!;
    const s0 = sent.tokStart;
    const sEnd = sent.tokEnd;
    let after = i + 1;
    let dashed = false;
    let byNp: TokRange | null = null;
    if (after < sEnd && this.norm[after] === "by") {
      const e = this.npForward(after + 1, sEnd);
      if (e < 0) return null;
      byNp = { tokStart: after + 1, tokEnd: e };
      after = e;
    }
    if (after < sEnd && (this.isDash(after) || this.isComma(after))) {
      dashed = this.isDash(after);
      after++;
    }
    if (!(after < sEnd && this.isThat(after))) return null;
    let framing = this.lex.nounCues.get(this.norm[i]!)!;
    // Modifiers between determiner and noun: "the astonishing claim".
    let k = i - 1;
    let cueFrom = i;
    while (
      k >= s0 &&
      (this.pos[k] === P.ADJ || this.pos[k] === P.ADV || this.lex.loadedModifiers.has(this.norm[k]!))
    ) {
      if (this.lex.loadedModifiers.has(this.norm[k]!)) framing = "loaded";
      else if (this.lex.distancingModifiers.has(this.norm[k]!) && framing !== "loaded")
        framing = "distancing";
      cueFrom = k;
      k--;
    }
    let source: TokRange | null = byNp;
    let sourceName: TokRange | undefined;
    if (!source && k >= s0) {
      const nm = this.norm[k]!;
      if (this.pos[k] === P.PRON && POSSESSIVE_PRON.has(nm)) {
        source = { tokStart: k, tokEnd: k + 1 };
        cueFrom = Math.min(cueFrom, k + 1);
      } else if (nm === "'s" && k - 1 >= s0) {
        const st = this.npBack(k - 1, s0);
        if (st >= 0) source = { tokStart: st, tokEnd: k };
      } else if (this.pos[k] === P.DET && k - 1 >= s0 && MADE_VERBS.has(this.norm[k - 1]!)) {
        const v = k - 1;
        const j = this.skipBackAdverbs(v - 1, s0);
        const left = this.leftSource(j, s0);
        if (left) {
          source = left.source;
          sourceName = left.sourceName;
          cueFrom = v;
        }
      }
    }
    if (!source) return null;
    const from = after + 1;
    if (from >= sEnd) return null;
    // Content runs to a closing dash or parenthesis, else to the end of the sentence.
    let to = sEnd;
    for (let q = from; q < sEnd; q++) {
      if (this.isDash(q) || this.norm[q] === "(" || this.norm[q] === ";") {
        to = q;
        break;
      }
    }
    void dashed;
    // "The minister's claim that crime had fallen was disputed by police": a cue in the subject leaves the
    // sentence's own predicate outside the content.
    // (When a dash or parenthesis already closed the content, the predicate follows it: "His claims that Russia
    // has information strikes are being planned … – will not go down well".)
    if (to === sEnd && !this.hasVerb(s0, cueFrom)) {
      const main = this.predicateAfterClause(from, to);
      if (main > from) to = main;
    }
    const endChar = to < sEnd ? this.start[to]! : sent.end;
    const content = this.trimSpan(this.start[from]!, endChar);
    if (content.end <= content.start) return null;
    return {
      pattern: "noun",
      source,
      ...(sourceName && { sourceName }),
      cue: this.cueSpan(cueFrom, i + 1, framing),
      content: [content],
      quoted: false,
      sentence: s,
    };
  }

  /**
   * Tokens a..b go on with the claim the cue interrupted: they hold a verb and open with neither a conjunction,
   * a participle ("adding …", "citing …"), a quote nor another attribution ("…, he said, but aides disagreed").
   */
  private resumesClause(a: number, b: number): boolean {
    if (a >= b || this.onlyPunct(a, b)) return false;
    const p = this.pos[a];
    if (p === P.CCONJ || p === P.SCONJ || p === P.PUNCT || this.isOpenQuote(a)) return false;
    if (p === P.VERB && /ing$/.test(this.norm[a]!)) return false;
    if (this.norm[a] === "according") return false;
    let verb = false;
    for (let q = a; q < b; q++) {
      if (this.lex.cueVerbs.has(this.norm[q]!) && this.pos[q] === P.VERB) return false;
      if (this.pos[q] === P.VERB || this.pos[q] === P.AUX) verb = true;
    }
    return verb;
  }

  private hasVerb(a: number, b: number): boolean {
    for (let q = a; q < b; q++) if (this.pos[q] === P.VERB || this.pos[q] === P.AUX) return true;
    return false;
  }

  /**
   * In tokens a..b (a "that" clause), where a second finite verb group starts that nothing links to the
   * clause (no conjunction, relative pronoun, "to" or comma since the clause's own verb), or -1.
   */
  private predicateAfterClause(a: number, b: number): number {
    let groups = 0;
    let linked = false;
    for (let q = a; q < b; q++) {
      const p = this.pos[q];
      const verb = p === P.VERB || p === P.AUX;
      const prev = q > a ? this.pos[q - 1] : -1;
      // A group runs on over auxiliaries, adverbs and "not"; a verb then an auxiliary starts a new one.
      const continues =
        prev === P.AUX ||
        prev === P.ADV ||
        (prev === P.PART && this.norm[q - 1] !== "to") ||
        (prev === P.VERB && p === P.VERB);
      if (verb && !continues) {
        if (groups > 0 && !linked) return q;
        if (!linked) groups++;
        linked = false;
        continue;
      }
      if (
        p === P.CCONJ ||
        p === P.SCONJ ||
        this.isComma(q) ||
        this.norm[q] === "to" ||
        this.norm[q] === "who" ||
        this.norm[q] === "which" ||
        this.norm[q] === "that"
      )
        linked = true;
    }
    return -1;
  }

  /** Headline "Putin: U.S. Will Strike …" (a short name or role phrase, a colon, the claim). */
  private headline(s: number): RuleAttribution | null {
    const sent = this.doc.sentences[s]!;
    const s0 = sent.tokStart;
    const sEnd = sent.tokEnd;
    for (let k = s0 + 1; k < Math.min(sEnd, s0 + 7); k++) {
      if (this.norm[k] !== ":") continue;
      const st = this.npBack(k - 1, s0);
      if (st !== s0) return null;
      if (this.pos[k - 1] !== P.PROPN && this.pos[k - 1] !== P.NOUN) return null;
      // Section labels ("The Latest: …", "Analysis: …") head a story, they do not speak.
      if (HEADLINE_LABELS.has(this.norm[k - 1]!)) return null;
      if (k + 1 >= sEnd) return null;
      const content = this.trimSpan(this.start[k + 1]!, sent.end);
      if (content.end <= content.start) return null;
      return {
        pattern: "headline",
        source: { tokStart: s0, tokEnd: k },
        cue: this.cueSpan(k, k + 1, "neutral"),
        content: [content],
        quoted: false,
        sentence: s,
      };
    }
    return null;
  }

  /** Within one sentence, a content stops where the next attribution's source or cue begins. */
  private trimContents(found: RuleAttribution[], s: number): void {
    if (found.length < 2) return;
    const sent = this.doc.sentences[s]!;
    const marks = found.map((a) =>
      a.pattern === "coordinated" || !a.source
        ? a.cue.start
        : Math.min(a.cue.start, this.start[a.source.tokStart]!),
    );
    for (const a of found) {
      a.content = a.content
        .map((c) => {
          let end = c.end;
          for (const m of marks) {
            if (m > c.start && m < end) end = m;
          }
          if (end === c.end) return c;
          // Drop a trailing ", and"/"while"/"," before the next attribution.
          let tok = this.doc.tokenAtOrAfter(end) - 1;
          while (
            tok >= 0 &&
            this.end[tok]! > c.start &&
            (this.pos[tok] === P.PUNCT || this.pos[tok] === P.CCONJ || this.pos[tok] === P.SCONJ)
          ) {
            end = this.start[tok]!;
            tok--;
          }
          return this.trimSpan(c.start, Math.min(end, sent.end));
        })
        .filter((c) => c.end > c.start);
    }
  }

  /**
   * Quote paragraphs without a cue that follow a paragraph holding a direct quote continue that
   * speaker ("“…,” she said.\n\n“More …”"): a direct claim with no cue of its own.
   */
  continuations(found: RuleAttribution[]): (Omit<RuleAttribution, "cue"> & { cue: null })[] {
    const out: (Omit<RuleAttribution, "cue"> & { cue: null })[] = [];
    const doc = this.doc;
    const byPara = new Map<number, RuleAttribution[]>();
    for (const a of found) {
      const p = doc.sentences[a.sentence]!.paragraph;
      const list = byPara.get(p) ?? [];
      list.push(a);
      byPara.set(p, list);
    }
    let last: { para: number; a: RuleAttribution } | null = null;
    let coveredUntil = -1;
    for (let s = 0; s < doc.sentences.length; s++) {
      const sent = doc.sentences[s]!;
      const here = byPara.get(sent.paragraph);
      if (here) {
        const a = here[here.length - 1]!;
        if (a.quoted && a.source) last = { para: sent.paragraph, a };
        else last = null;
        for (const x of here) for (const c of x.content) coveredUntil = Math.max(coveredUntil, c.end);
        continue;
      }
      const para = doc.paragraphs[sent.paragraph]!;
      if (sent.start !== para.start || sent.start < coveredUntil) continue;
      if (!last || sent.paragraph - last.para !== 1 || !this.isOpenQuote(sent.tokStart)) {
        last = null;
        continue;
      }
      const close = this.closingQuote(sent.tokStart);
      if (close < 0) continue;
      const content = this.trimSpan(this.end[sent.tokStart]!, close);
      if (content.end <= content.start) continue;
      out.push({
        pattern: "continuation",
        source: last.a.source,
        ...(last.a.sourceName && { sourceName: last.a.sourceName }),
        cue: null,
        content: [content],
        quoted: true,
        sentence: s,
      });
      coveredUntil = close;
      last = {
        para: doc.sentenceAt(close) >= 0 ? doc.sentences[doc.sentenceAt(close)]!.paragraph : sent.paragraph,
        a: last.a,
      };
    }
    return out;
  }

  /**
   * Attributions nested in an earlier content of the sentence ("Clinton said she thinks …") repeat the
   * outer claim: skipped when the inner source is a pronoun or the cue is a verb of thinking.
   */
  private nested(a: RuleAttribution, found: RuleAttribution[]): boolean {
    const inner = found.some((f) => f.content.some((c) => a.cue.start >= c.start && a.cue.end <= c.end));
    if (
      a.source &&
      (this.norm[a.source.tokStart] === "i" || this.norm[a.source.tokStart] === "you") &&
      a.source.tokEnd - a.source.tokStart === 1
    )
      return true;
    if (!inner) return false;
    const lemma = this.lex.cueVerbs.get(this.norm[a.cue.tokEnd - 1]!)?.lemma;
    return (
      lemma === "think" ||
      lemma === "believe" ||
      (a.source !== null && this.pos[a.source.tokStart] === P.PRON)
    );
  }

  /** Content for a cue found elsewhere (the tagger): what the rules would take after it, else before it. */
  contentForCue(cueTokStart: number, cueTokEnd: number): { content: Span[]; quoted: boolean } | null {
    const s = this.doc.tokens.sentence[cueTokStart]!;
    const sent = this.doc.sentences[s]!;
    if (cueTokEnd < sent.tokEnd && !this.onlyPunct(cueTokEnd, sent.tokEnd)) {
      const f = this.forwardContent(cueTokEnd, s, false);
      if (f) return f;
    }
    let b = cueTokStart - 1;
    while (b >= sent.tokStart && this.pos[b] !== P.PUNCT) b--;
    return b > sent.tokStart ? this.backwardContent(b, s) : null;
  }

  /**
   * The subject of the main clause before token `i` (a noun phrase directly followed by a verb) when it
   * names someone, else null: "Vladimir Putin hit back … in hopes of …" gives "Vladimir Putin".
   */
  subjectBefore(i: number): TokRange | null {
    const s0 = this.doc.sentences[this.doc.tokens.sentence[i]!]!.tokStart;
    const r = this.mainSubject(s0, i);
    return r && this.speakerLike(r) ? r : null;
  }

  /** A source phrase must name someone: a name, a pronoun, or a person/organisation/document noun. */
  private speakerLike(r: TokRange): boolean {
    const h = r.tokEnd - 1;
    const p = this.pos[h];
    if (p !== P.NOUN) return true;
    // A post-modified source ("sources familiar with the talks"): its first noun decides.
    for (let k = r.tokStart; k + 2 < h; k++) {
      if (
        this.lex.anonymousHeads.has(this.norm[k]!) &&
        this.pos[k + 1] === P.ADJ &&
        this.pos[k + 2] === P.ADP
      )
        return true;
    }
    const nm = this.norm[h]!;
    const lex = this.lex;
    if (lex.personTitles.has(nm) || lex.anonymousHeads.has(nm) || lex.orgWords.has(nm)) return true;
    if (nm === "evidence" || nm === "information") return false;
    lex.evidenceNounRe.lastIndex = 0;
    if (lex.evidenceNounRe.test(nm)) return true;
    // People nouns: -er/-or/-ist/-ian/-ant agentives and a few plurals; outlets and bodies that publish or rule.
    return /(?:er|ers|or|ors|ist|ists|ian|ians|ant|ants|ent|ents|man|men|woman|women|people|government|administration|campaign|team|group|party|police|army|military|family|ministry|press|public|republicans|democrats|voters|leaders|leader|tabloids?|outlets?|website|publications?|studios?|firms?|panel|jury|channel|station)$/.test(
      nm,
    );
  }

  /** The text of a token range (for tests and debugging). */
  rangeText(r: TokRange): string {
    return this.textOf(r.tokStart, r.tokEnd);
  }
}
