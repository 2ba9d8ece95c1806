// The Doc: analyzed text plus layers, all as character offsets into `text` (= document.text).
import { createHash } from "node:crypto";
import type { Span } from "../schema/analysis.js";
import { normalizeText } from "./normalize.js";
import type { Layers, Quantity } from "./layers.js";
import { POS, POS_TAGS, type PosTag, winkAnalyze } from "../nlp/wink.js";

export interface DocMeta {
  id: string;
  title: string;
  language: string;
  url?: string;
  source?: string;
  published?: string;
  byline?: string;
  headline?: Span;
  removed?: { text: string; reason: string }[];
}

/** Tokens as parallel flat arrays (index i = token i); SPACE tokens are not included. */
export interface TokenTable {
  readonly count: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** Index into POS_TAGS. */
  readonly pos: Uint8Array;
  /** Sentence index of each token. */
  readonly sentence: Int32Array;
  /** Lower-cased normal form with typographic variants unified (’ -> ', “ -> "). */
  readonly norm: string[];
}

export interface SentenceSpan extends Span {
  /** First token (inclusive) and last token (exclusive) of the sentence. */
  tokStart: number;
  tokEnd: number;
  /** Paragraph index. */
  paragraph: number;
}

export interface DocInput {
  /** Body text (title excluded unless it is already its first line). */
  text: string;
  title?: string;
  id?: string;
  language?: string;
  url?: string;
  source?: string;
  published?: string;
  byline?: string;
  removed?: { text: string; reason: string }[];
}

/**
 * wink-nlp slows down quadratically on one very long token (a 100,000-character blob: seconds; a megabyte: minutes).
 * Runs of non-space longer than LONG_RUN are cut for it every LONG_RUN characters by a space in place of one
 * character: the length is unchanged, so offsets still index the text. No word of running text comes near this.
 */
export const LONG_RUN = 1000;
const LONG_RUN_RE = new RegExp(`\\S{${LONG_RUN + 1},}`, "g");
const CHUNK_RE = new RegExp(`\\S{${LONG_RUN}}(?=\\S)`, "g");
export function breakLongRuns(s: string): string {
  if (s.length <= LONG_RUN) return s;
  LONG_RUN_RE.lastIndex = 0;
  if (!LONG_RUN_RE.test(s)) return s;
  return s.replace(LONG_RUN_RE, (run) => run.replace(CHUNK_RE, (m) => m.slice(0, -1) + " "));
}

export class Doc {
  readonly text: string;
  readonly meta: DocMeta;
  readonly paragraphs: Span[];
  readonly sentences: SentenceSpan[];
  readonly tokens: TokenTable;
  readonly layers: Partial<Layers> & { quantities: Quantity[] };
  readonly timings: Record<string, number> = {};
  /** Stages that added no layer to this Doc, with the reason (see `Skip`). */
  readonly skipped: Record<string, string> = {};

  private constructor(
    text: string,
    meta: DocMeta,
    paragraphs: Span[],
    sentences: SentenceSpan[],
    tokens: TokenTable,
    quantities: Quantity[],
  ) {
    this.text = text;
    this.meta = meta;
    this.paragraphs = paragraphs;
    this.sentences = sentences;
    this.tokens = tokens;
    this.layers = { quantities };
  }

  /** Builds the text (headline first, then body), and runs the NLP layer over it. */
  static create(input: DocInput): Doc {
    const t0 = performance.now();
    const { text, headline } = composeText(input.title ?? "", input.text);
    const id = input.id ?? "sha256:" + createHash("sha256").update(text).digest("hex").slice(0, 16);
    const meta: DocMeta = {
      id,
      title: input.title ?? "",
      language: input.language ?? "eng",
      url: input.url,
      source: input.source,
      published: input.published,
      byline: input.byline,
      headline,
      removed: input.removed,
    };
    const paragraphs = splitParagraphs(text);
    const { text: normText, map } = normalizeText(text);
    const raw = winkAnalyze(breakLongRuns(normText));
    const n = raw.norm.length;
    const start = new Int32Array(n);
    const end = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      start[i] = map.start(raw.start[i]!);
      end[i] = map.end(raw.end[i]!);
    }
    const sentenceTok = fixSentences(raw.sentenceStarts, start, end, paragraphs, text, raw.norm);
    const sentence = new Int32Array(n);
    const sentences: SentenceSpan[] = [];
    for (let s = 0; s < sentenceTok.length; s++) {
      const a = sentenceTok[s]!;
      const b = s + 1 < sentenceTok.length ? sentenceTok[s + 1]! : n;
      for (let i = a; i < b; i++) sentence[i] = s;
      sentences.push({
        start: start[a]!,
        end: end[b - 1]!,
        tokStart: a,
        tokEnd: b,
        paragraph: paragraphOf(paragraphs, start[a]!),
      });
    }
    const quantities = raw.quantities.map((q) => ({
      start: map.start(q.start),
      end: map.end(q.end),
      type: q.type,
    }));
    const doc = new Doc(
      text,
      meta,
      paragraphs,
      sentences,
      { count: n, start, end, pos: raw.pos, sentence, norm: raw.norm },
      quantities,
    );
    doc.timings.nlp = performance.now() - t0;
    return doc;
  }

  /** Text of token i as it stands in `text`. */
  tokenText(i: number): string {
    return this.text.slice(this.tokens.start[i]!, this.tokens.end[i]!);
  }

  posOf(i: number): PosTag {
    return POS_TAGS[this.tokens.pos[i]!]!;
  }

  isPos(i: number, tag: PosTag): boolean {
    return this.tokens.pos[i] === POS[tag];
  }

  slice(span: Span): string {
    return this.text.slice(span.start, span.end);
  }

  /** Index of the first token whose end is after `offset` (binary search), or count. */
  tokenAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.tokens.count;
    const end = this.tokens.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (end[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the sentence containing `offset` (or the nearest one before it). */
  sentenceAt(offset: number): number {
    let lo = 0;
    let hi = this.sentences.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.sentences[mid]!.start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(0, lo);
  }

  /** Whether the span lies inside the headline. */
  inHeadline(span: Span): boolean {
    const h = this.meta.headline;
    return !!h && span.start >= h.start && span.end <= h.end;
  }
}

function composeText(title: string, body: string): { text: string; headline?: Span } {
  const t = title.trim();
  const b = body.replace(/^\s+/, "").replace(/\s+$/, "");
  if (!t) return { text: b };
  // The body already opens with its title only when the title ends there on a word boundary ("T" does not
  // open "The mayor said …").
  if (b.startsWith(t) && !/[\p{L}\p{N}]/u.test(b.charAt(t.length)))
    return { text: b, headline: { start: 0, end: t.length } };
  return { text: b ? `${t}\n\n${b}` : t, headline: { start: 0, end: t.length } };
}

/** Paragraphs are separated by one or more newlines (scraped text rarely keeps blank lines reliably). */
function splitParagraphs(text: string): Span[] {
  const out: Span[] = [];
  const re = /[^\n]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const raw = m[0];
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed) out.push({ start: m.index + lead, end: m.index + lead + trimmed.length });
  }
  return out;
}

function paragraphOf(paragraphs: Span[], offset: number): number {
  let lo = 0;
  let hi = paragraphs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (paragraphs[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

/** A capitalised abbreviation ("Mo.", "Calif.", "Sen.", "U.S.") ending right before a position, maybe inside a bracket or quote. */
const ABBREVIATION_BEFORE =
  /(?:^|[\s(-])(?:\p{Lu}\p{Ll}{0,4}|\p{Lu}(?:\.\p{Lu})+)\.[)\]"'\u201D\u2019]*\s+$/u;

/**
 * wink's sentence starts, corrected: a paragraph break always starts a sentence, and a short
 * paragraph without final punctuation (a headline or subhead) is one sentence even when it holds
 * an abbreviation such as "U.S."; an ellipsis followed by a capital ends a sentence; a lower-case word after an
 * abbreviation does not start one.
 */
function fixSentences(
  winkStarts: number[],
  start: Int32Array,
  end: Int32Array,
  paragraphs: Span[],
  text: string,
  norm: string[],
): number[] {
  const n = start.length;
  if (n === 0) return [];
  const starts = new Set<number>(winkStarts);
  starts.add(0);
  // Headline-like paragraphs (short, no inner sentence end once "U.S."-style abbreviations are masked) are one sentence.
  const oneSentence = paragraphs.map((para) => {
    const body = text.slice(para.start, para.end);
    return (
      body.length <= 160 &&
      !/[.!?\u2026]["')\]\u201D\u2019]?\s+["\u201C\u2018(]?[A-Z]/.test(
        body.slice(0, -1).replace(/\b(?:[A-Z]\.){2,}/g, "XX"),
      )
    );
  });
  let p = 0;
  for (let i = 0; i < n; i++) {
    while (p < paragraphs.length && paragraphs[p]!.end <= start[i]!) p++;
    if (p >= paragraphs.length) break;
    const para = paragraphs[p]!;
    if (start[i] === para.start) starts.add(i);
    else if (oneSentence[p] && start[i]! > para.start) starts.delete(i);
    // wink does not end a sentence at an ellipsis; a capitalised word after one does.
    else if (i > 0 && norm[i - 1] === "..." && /^\p{Lu}/u.test(text.slice(start[i]!, start[i]! + 1)))
      starts.add(i);
    // "DCLeaks.com", "Breitbart.com": wink may end a sentence inside a domain name (no space after the dot).
    else if (
      starts.has(i) &&
      i > 0 &&
      end[i - 1] === start[i] &&
      text[start[i]! - 1] === "." &&
      /^\p{Ll}/u.test(text.slice(start[i]!, start[i]! + 1))
    )
      starts.delete(i);
    // wink ends a sentence after abbreviations such as "(D-Mo.)" or "Gov."; a lower-case word there continues it.
    else if (
      starts.has(i) &&
      /^\p{Ll}/u.test(text.slice(start[i]!, start[i]! + 1)) &&
      ABBREVIATION_BEFORE.test(text.slice(Math.max(para.start, start[i]! - 12), start[i]!))
    )
      starts.delete(i);
  }
  return [...starts].sort((a, b) => a - b);
}

/** The distinct token norms of a Doc and, per token, the index of its norm among them. */
export interface NormTypes {
  /** Distinct norms, in order of first occurrence. */
  readonly types: readonly string[];
  /** types[typeOf[i]] === tokens.norm[i]. */
  readonly typeOf: Int32Array;
  /**
   * Process-wide id of each type (the same word gets the same id in every Doc of this vocabulary
   * generation), so stages can keep per-word caches in flat arrays instead of string-keyed Maps.
   */
  readonly vocabId: Int32Array;
  /** Vocabulary generation of vocabId: when it changes, ids were reassigned and id-keyed caches must reset. */
  readonly generation: number;
}

const NORM_TYPES = new WeakMap<Doc, NormTypes>();
/** The process-wide vocabulary (bounded: it restarts, with a new generation, beyond VOCAB_MAX words). */
const VOCAB = new Map<string, number>();
const VOCAB_MAX = 1_000_000;
let vocabGeneration = 0;

/**
 * The Doc's norm types, computed once and shared by the stages: a stage that keys a per-word cache by norm
 * looks each distinct word up once per document instead of once per token (a small per-document Map is
 * far cheaper to probe than a large process-wide one).
 */
export function normTypes(doc: Doc): NormTypes {
  let t = NORM_TYPES.get(doc);
  if (t) return t;
  const norm = doc.tokens.norm;
  const n = doc.tokens.count;
  const typeOf = new Int32Array(n);
  const types: string[] = [];
  const ids = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const w = norm[i]!;
    let id = ids.get(w);
    if (id === undefined) {
      id = types.length;
      ids.set(w, id);
      types.push(w);
    }
    typeOf[i] = id;
  }
  if (VOCAB.size + types.length > VOCAB_MAX) {
    VOCAB.clear();
    vocabGeneration++;
  }
  const vocabId = new Int32Array(types.length);
  for (let k = 0; k < types.length; k++) {
    const w = types[k]!;
    let v = VOCAB.get(w);
    if (v === undefined) VOCAB.set(w, (v = VOCAB.size));
    vocabId[k] = v;
  }
  t = { types, typeOf, vocabId, generation: vocabGeneration };
  NORM_TYPES.set(doc, t);
  return t;
}
