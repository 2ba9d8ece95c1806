// The attribution tagger: BIO tags for Source / Cue / Content over a Doc's tokens (averaged perceptron +
// Viterbi per paragraph or sentence), decoded into spans and grouped into relations.
import { clusterFingerprint, type ClusterSource } from "../../../learn/word-clusters.js";
import type { Doc } from "../../../doc/doc.js";
import { SequenceTagger, viterbi, type TaggerJSON } from "../../../learn/tagger.js";
import type { Span } from "../../../schema/analysis.js";
import { POS } from "../../../nlp/wink.js";
import { ALL_TEMPLATES, clusterGranularities, docFeatures, type CueLexicon } from "./features.js";
import { backtrack7 } from "./backtrack.js";
import { Emit7Wasm } from "./wasm-kernels.js";

export const TAGS = ["O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON"] as const;
export type SpanType = "source" | "cue" | "content";
export const SPAN_TYPES: readonly SpanType[] = ["source", "cue", "content"];
/** Tag index of B-<type>; I-<type> is that + 1. */
export const B_TAG: Record<SpanType, number> = { source: 1, cue: 3, content: 5 };

/** Which token runs are decoded together. */
export type TagUnit = "paragraph" | "sentence";

export interface AttributionModelJSON {
  kind: "attribution-tagger";
  version: 1;
  unit: TagUnit;
  bits: number;
  cueLexicon: CueLexicon;
  /** Cue buckets of lemmaish forms (models using the lemma templates 45/46). */
  lemmaLexicon?: CueLexicon;
  /** Feature templates used, in order (default: all). */
  templates?: number[];
  tagger: TaggerJSON;
  /** Training provenance (for the model card). */
  info?: Record<string, unknown>;
  /** Models with the cluster templates (49–61): the word-cluster granularities they were trained with. */
  /** The word classes it was trained with: their granularities and clusterFingerprint (checked at load). */
  clusters?: { granularities: number[]; fingerprint?: number };
}

/** One attribution relation as the tagger sees it; offsets into doc.text. */
export interface RawAttribution {
  source: Span[] | null;
  cue: Span | null;
  content: Span[];
  /** Sentence index of the cue (or of the first content span when there is no cue). */
  sentence: number;
}

/** A decoded span in token indices [tokStart, tokEnd). */
export interface TokenSpan {
  type: SpanType;
  tokStart: number;
  tokEnd: number;
}

/** Token ranges [start, end) of the units tagged together. */
export function tagUnits(doc: Doc, unit: TagUnit): [number, number][] {
  const out: [number, number][] = [];
  if (unit === "sentence") {
    for (const s of doc.sentences) if (s.tokEnd > s.tokStart) out.push([s.tokStart, s.tokEnd]);
    return out;
  }
  let a = -1;
  let para = -1;
  for (const s of doc.sentences) {
    if (s.tokEnd <= s.tokStart) continue;
    if (s.paragraph !== para) {
      if (a >= 0) out.push([a, s.tokStart]);
      a = s.tokStart;
      para = s.paragraph;
    }
  }
  if (a >= 0) out.push([a, doc.tokens.count]);
  return out;
}

/** BIO tag indices -> spans (an I- after a different type is read as a B-). */
export function decodeSpans(tags: ArrayLike<number>, offset = 0, out: TokenSpan[] = []): TokenSpan[] {
  let cur: TokenSpan | null = null;
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i]!;
    if (t === 0) {
      cur = null;
      continue;
    }
    const type = SPAN_TYPES[(t - 1) >> 1]!;
    const isB = (t & 1) === 1;
    if (!isB && cur && cur.type === type) {
      cur.tokEnd = offset + i + 1;
      continue;
    }
    cur = { type, tokStart: offset + i, tokEnd: offset + i + 1 };
    out.push(cur);
  }
  return out;
}

export class AttributionTagger {
  readonly tagger: SequenceTagger;
  readonly templates: readonly number[];

  constructor(
    readonly model: AttributionModelJSON,
    /** Word clusters, required by models trained with them (`model.clusters`). */
    readonly clusters: ClusterSource | null = null,
  ) {
    if (model.clusters && !clusters) throw new Error("this attribution model needs the word clusters");
    if (
      model.clusters &&
      clusters &&
      model.clusters.granularities.join(",") !== clusterGranularities(clusters).join(",")
    )
      throw new Error(
        `attribution model trained with word clusters ${model.clusters.granularities.join("/")}, got ${clusters.granularities.join("/")}`,
      );
    if (
      model.clusters?.fingerprint !== undefined &&
      clusterFingerprint(clusters!) !== model.clusters.fingerprint
    )
      throw new Error(
        "attribution model: the word classes differ from those it was trained with: run `claimscope train attribution`",
      );
    this.tagger = SequenceTagger.fromJSON(model.tagger);
    this.templates = model.templates ?? ALL_TEMPLATES;
    // The 7 BIO tags' weights, one row of 8 per feature (the 8th is 0): a row never straddles two cache
    // lines. The same float32 values are summed in the same order, so the scores are bit-identical.
    const T = this.tagger.T;
    const W = this.tagger.weights;
    this.wasm = T === 7 ? Emit7Wasm.create(W, this.tagger.transitions) : null;
    this.w8 = new Float32Array(T === 7 && !this.wasm ? (W.length / 7) * 8 : 0);
    if (T === 7 && !this.wasm)
      for (let r = 0, n = W.length / 7; r < n; r++) this.w8.set(W.subarray(r * 7, r * 7 + 7), r * 8);
  }

  private readonly w8: Float32Array;
  /** The 7-tag emission sums in WebAssembly SIMD (null where unavailable: then the JS loop below). */
  private readonly wasm: Emit7Wasm | null;

  /** Reused feature buffer (every entry of the used part is rewritten per document). */
  private flatBuf: Int32Array = new Int32Array(0);
  private emit = new Float64Array(0);
  private score = new Float64Array(0);
  private back = new Int32Array(0);

  /** Tag index per token. */
  tagTokens(doc: Doc): Uint8Array {
    const out = new Uint8Array(doc.tokens.count);
    if (doc.tokens.count === 0) return out;
    const need = doc.tokens.count * this.templates.length;
    const wasm = this.wasm;
    // With WebAssembly the features are written straight into its memory, where the kernel reads them.
    if (wasm) this.flatBuf = wasm.reserve(need, doc.tokens.count);
    else if (this.flatBuf.length < need)
      this.flatBuf = new Int32Array(Math.max(need, this.flatBuf.length * 2));
    const f = docFeatures(
      doc,
      this.model.cueLexicon,
      this.model.bits,
      this.templates,
      this.model.lemmaLexicon,
      this.flatBuf,
      this.clusters,
    );
    if (wasm) {
      // One call for every token's emissions (they do not depend on the units), then Viterbi per unit.
      wasm.run(0, doc.tokens.count, this.templates.length);
      for (const [a, b] of tagUnits(doc, this.model.unit)) wasm.decode(b - a, out, a);
      return out;
    }
    for (const [a, b] of tagUnits(doc, this.model.unit)) this.viterbi(f.flat, a, b, out);
    return out;
  }

  /**
   * Viterbi over tokens [a, b) straight from the flat feature array, with reused buffers; the same
   * arithmetic, in the same order, as SequenceTagger.predict.
   */
  private viterbi(flat: Int32Array, a: number, b: number, out: Uint8Array): void {
    const n = b - a;
    const T = this.tagger.T;
    if (this.emit.length < n * T) {
      const size = Math.max(n * T, this.emit.length * 2);
      this.emit = new Float64Array(size);
      this.score = new Float64Array(size);
      this.back = new Int32Array(size);
    }
    const emit = this.emit;
    const score = this.score;
    const back = this.back;
    const W = this.tagger.weights;
    const Tr = this.tagger.transitions;
    const F = this.templates.length;
    if (T === 7) {
      // The 7 BIO tags: accumulate in registers (same sums, in the same order, as the generic loop).
      const W8 = this.w8;
      for (let i = 0; i < n; i++) {
        let e0 = 0, e1 = 0, e2 = 0, e3 = 0, e4 = 0, e5 = 0, e6 = 0; // prettier-ignore
        const fo = (a + i) * F;
        for (let j = fo; j < fo + F; j++) {
          const b = flat[j]! << 3;
          e0 += W8[b]!;
          e1 += W8[b + 1]!;
          e2 += W8[b + 2]!;
          e3 += W8[b + 3]!;
          e4 += W8[b + 4]!;
          e5 += W8[b + 5]!;
          e6 += W8[b + 6]!;
        }
        const row = i * 7;
        emit[row] = e0;
        emit[row + 1] = e1;
        emit[row + 2] = e2;
        emit[row + 3] = e3;
        emit[row + 4] = e4;
        emit[row + 5] = e5;
        emit[row + 6] = e6;
      }
    } else {
      emit.fill(0, 0, n * T);
      for (let i = 0; i < n; i++) {
        const row = i * T;
        const fo = (a + i) * F;
        for (let j = 0; j < F; j++) {
          const base = flat[fo + j]! * T;
          for (let t = 0; t < T; t++) emit[row + t]! += W[base + t]!;
        }
      }
    }
    if (T === 7) viterbi7(emit, Tr, n, out, a, score, back);
    else viterbi(emit, Tr, T, 0, n, out.subarray(a), score, back);
  }

  /** Decoded spans in token indices. */
  tagSpans(doc: Doc): TokenSpan[] {
    return decodeSpans(this.tagTokens(doc));
  }

  /** Spans grouped into relations, plus fixed layouts the tagger does not learn (addPatternAttributions). */
  tagAttributions(doc: Doc): RawAttribution[] {
    return addPatternAttributions(doc, groupSpans(doc, this.tagSpans(doc)));
  }
}

/**
 * learn/tagger's viterbi for 7 tags over emit[0, n * 7), writing tags to out[a ...]: the same comparisons
 * and sums in the same order (so the same path, ties included), with the previous token's scores in
 * registers.
 */
export function viterbi7(
  emit: Float64Array,
  Tr: Float32Array,
  n: number,
  out: Uint8Array,
  a: number,
  score: Float64Array,
  back: Int32Array,
): void {
  if (n <= 0) return;
  let s0 = emit[0]! + Tr[0]!;
  let s1 = emit[1]! + Tr[1]!;
  let s2 = emit[2]! + Tr[2]!;
  let s3 = emit[3]! + Tr[3]!;
  let s4 = emit[4]! + Tr[4]!;
  let s5 = emit[5]! + Tr[5]!;
  let s6 = emit[6]! + Tr[6]!;
  score[0] = s0;
  score[1] = s1;
  score[2] = s2;
  score[3] = s3;
  score[4] = s4;
  score[5] = s5;
  score[6] = s6;
  for (let i = 1; i < n; i++) {
    const row = i * 7;
    for (let t = 0; t < 7; t++) {
      let best = -Infinity;
      let arg = 0;
      let v = s0 + Tr[7 + t]!;
      if (v > best) {
        best = v;
        arg = 0;
      }
      v = s1 + Tr[14 + t]!;
      if (v > best) {
        best = v;
        arg = 1;
      }
      v = s2 + Tr[21 + t]!;
      if (v > best) {
        best = v;
        arg = 2;
      }
      v = s3 + Tr[28 + t]!;
      if (v > best) {
        best = v;
        arg = 3;
      }
      v = s4 + Tr[35 + t]!;
      if (v > best) {
        best = v;
        arg = 4;
      }
      v = s5 + Tr[42 + t]!;
      if (v > best) {
        best = v;
        arg = 5;
      }
      v = s6 + Tr[49 + t]!;
      if (v > best) {
        best = v;
        arg = 6;
      }
      score[row + t] = best + emit[row + t]!;
      back[row + t] = arg;
    }
    s0 = score[row]!;
    s1 = score[row + 1]!;
    s2 = score[row + 2]!;
    s3 = score[row + 3]!;
    s4 = score[row + 4]!;
    s5 = score[row + 5]!;
    s6 = score[row + 6]!;
  }
  backtrack7(score, back, n, out, a);
}

const BE = new Set(["is", "are", "was", "were", "be", "been", "being"]);

/**
 * "passive" for a cue with a form of "be" followed by a past participle (a VERB not in -ing: "was accused of",
 * "has been endorsed"), "by-agent" when such a cue ends with "by" or is followed by it (the source is the
 * agent after it), else "active".
 */
export function cueVoice(doc: Doc, cue: TokenSpan): "active" | "passive" | "by-agent" {
  const { norm, pos } = doc.tokens;
  let be = false;
  let passive = false;
  for (let i = cue.tokStart; i < cue.tokEnd; i++) {
    const w = norm[i]!;
    if (BE.has(w)) be = true;
    else if (be && pos[i] === POS.VERB && !w.endsWith("ing")) passive = true;
  }
  if (!passive) return "active";
  const last = norm[cue.tokEnd - 1];
  const next = cue.tokEnd < doc.tokens.count ? norm[cue.tokEnd] : "";
  return last === "by" || next === "by" ? "by-agent" : "passive";
}

function charSpan(doc: Doc, s: TokenSpan): Span {
  return { start: doc.tokens.start[s.tokStart]!, end: doc.tokens.end[s.tokEnd - 1]! };
}

/** Token gap between two spans (0 when adjacent or overlapping). */
function gap(a: TokenSpan, b: TokenSpan): number {
  if (a.tokEnd <= b.tokStart) return b.tokStart - a.tokEnd;
  if (b.tokEnd <= a.tokStart) return a.tokStart - b.tokEnd;
  return 0;
}

/**
 * Groups spans into relations. Each content span goes to the nearest cue of its paragraph (token gap,
 * plus a penalty per sentence boundary and per other cue in between); a content span in a paragraph
 * without any cue continues the last relation of the previous paragraph when it opens with a quote,
 * and otherwise stands alone. Each cue takes the nearest source of its own sentence(s).
 */
export function groupSpans(doc: Doc, spans: readonly TokenSpan[]): RawAttribution[] {
  const sentOf = doc.tokens.sentence;
  const paraOf = (tok: number) => doc.sentences[sentOf[tok]!]!.paragraph;
  const cues = spans.filter((s) => s.type === "cue");
  const sources = spans.filter((s) => s.type === "source");
  const contents = spans.filter((s) => s.type === "content");
  const cueSources: (TokenSpan[] | null)[] = cues.map(() => null);
  const cueContents: TokenSpan[][] = cues.map(() => []);
  const sentDiff = (a: TokenSpan, b: TokenSpan) => {
    if (a.tokEnd <= b.tokStart) return sentOf[b.tokStart]! - sentOf[a.tokEnd - 1]!;
    if (b.tokEnd <= a.tokStart) return sentOf[a.tokStart]! - sentOf[b.tokEnd - 1]!;
    return 0;
  };
  // cueStarts[k] = number of cues starting before token k: "cues strictly between two spans" in O(1).
  const cueStarts = new Int32Array(doc.tokens.count + 1);
  for (const c of cues) cueStarts[c.tokStart + 1]!++;
  for (let k = 1; k <= doc.tokens.count; k++) cueStarts[k]! += cueStarts[k - 1]!;
  const srcStarts = new Int32Array(doc.tokens.count + 1);
  for (const x of sources) srcStarts[x.tokStart + 1]!++;
  for (let k = 1; k <= doc.tokens.count; k++) srcStarts[k]! += srcStarts[k - 1]!;
  const cuesBetween = (a: TokenSpan, b: TokenSpan) => {
    const lo = Math.min(a.tokEnd, b.tokEnd);
    const hi = Math.max(a.tokStart, b.tokStart);
    return hi > lo ? cueStarts[hi]! - cueStarts[lo]! : 0;
  };
  const orphans: TokenSpan[] = [];
  let prevCon: TokenSpan | null = null;
  let prevCue = -1;
  for (const con of contents) {
    // A content span that continues the previous one in the same sentence, with no cue or source in
    // between ("that the army struck (by mistake) a building …"), is one content split in two: same cue.
    if (
      prevCon &&
      prevCue >= 0 &&
      sentOf[con.tokStart] === sentOf[prevCon.tokEnd - 1] &&
      cueStarts[con.tokStart]! === cueStarts[prevCon.tokEnd]! &&
      srcStarts[con.tokStart]! === srcStarts[prevCon.tokEnd]!
    ) {
      cueContents[prevCue]!.push(con);
      prevCon = con;
      continue;
    }
    prevCon = con;
    const pa = paraOf(con.tokStart);
    const pb = paraOf(con.tokEnd - 1);
    let best = -1;
    let bestCost = Infinity;
    for (let c = 0; c < cues.length; c++) {
      const cue = cues[c]!;
      const pc = paraOf(cue.tokStart);
      if (pc < pa || pc > pb) continue;
      const cost = gap(con, cue) + 20 * sentDiff(con, cue) + 30 * cuesBetween(con, cue);
      if (cost < bestCost) {
        bestCost = cost;
        best = c;
      }
    }
    if (best >= 0) cueContents[best]!.push(con);
    else orphans.push(con);
    prevCue = best;
  }
  for (let c = 0; c < cues.length; c++) {
    const cue = cues[c]!;
    let best: TokenSpan | null = null;
    let bestCost = Infinity;
    const s = sentOf[cue.tokStart]!;
    // A cue opening its sentence follows a wrong sentence split ("Sen. Claire McCaskill (D-Mo.) | said."):
    // a source that ends the previous sentence of the paragraph, right before the cue, counts too.
    const sent = doc.sentences[s]!;
    const split =
      cue.tokStart === sent.tokStart && s > 0 && doc.sentences[s - 1]!.paragraph === sent.paragraph;
    // A passive cue ("has been endorsed (by)", "was accused of"): its source is the agent after "by", or none.
    const voice = cueVoice(doc, cue);
    for (const src of sources) {
      if (voice === "passive" || (voice === "by-agent" && src.tokStart < cue.tokEnd)) continue;
      if (sentOf[src.tokStart]! !== s && sentOf[src.tokEnd - 1]! !== s) {
        if (!split || sentOf[src.tokEnd - 1]! !== s - 1 || cue.tokStart - src.tokEnd > 2) continue;
      }
      const cost = gap(src, cue) + 30 * cuesBetween(src, cue) + (src.tokEnd <= cue.tokStart ? 0 : 0.5);
      if (cost < bestCost) {
        bestCost = cost;
        best = src;
      }
    }
    if (best) cueSources[c] = [best];
  }
  const out: RawAttribution[] = [];
  for (let c = 0; c < cues.length; c++) {
    const cue = cues[c]!;
    out.push({
      source: cueSources[c] ? cueSources[c]!.map((s) => charSpan(doc, s)) : null,
      cue: charSpan(doc, cue),
      content: cueContents[c]!.sort((a, b) => a.tokStart - b.tokStart).map((s) => charSpan(doc, s)),
      sentence: sentOf[cue.tokStart]!,
    });
  }
  // Content without a cue in its paragraph: a quote continued from the previous paragraph joins the
  // relation whose cue is nearest before it; anything else stands alone with the nearest source of its sentence.
  const byCueStart = out.map((r, i) => ({ r, tok: cues[i]!.tokStart }));
  for (const con of orphans) {
    const first = con.tokStart;
    const opensQuote = doc.tokens.norm[first] === '"' || (first > 0 && doc.tokens.norm[first - 1] === '"');
    const para = paraOf(first);
    let prev: RawAttribution | null = null;
    for (const e of byCueStart) if (e.tok < first && paraOf(e.tok) >= para - 1) prev = e.r;
    if (opensQuote && prev) {
      prev.content.push(charSpan(doc, con));
      continue;
    }
    const s = sentOf[first]!;
    const src = sources.find((x) => sentOf[x.tokStart] === s && !cueSources.some((cs) => cs?.includes(x)));
    out.push({
      source: src ? [charSpan(doc, src)] : null,
      cue: null,
      content: [charSpan(doc, con)],
      sentence: s,
    });
  }
  out.sort(
    (a, b) =>
      a.sentence - b.sentence ||
      (a.cue?.start ?? a.content[0]!.start) - (b.cue?.start ?? b.content[0]!.start),
  );
  return out;
}

/**
 * A quote signed with a dash and a name at the end of its line: `“…” ― Sonya Herridge`. PolNeAR marks the
 * dash as the cue and the name as the source (vox-pop lists); train holds no such cue, so the tagger misses it.
 * Name: 1–4 capitalised words, then a comma, a line end or the end of the text; the quote opens its line.
 */
const DASH_SIGNED =
  /[”"][ \t\u00a0]*(―|—|–|--)[ \t\u00a0]*(\p{Lu}[\p{L}’'.-]*(?:[ \t\u00a0]\p{Lu}[\p{L}’'.-]*){0,3})(?=[ \t\u00a0]*(?:,|\r?\n|$))/gu;
const QUOTE_CHAR = /[“”"]/;

/** Dash-signed quotes: cue = the dash, source = the name, content = the line's quote (inner quotes kept). */
export function dashSignedQuotes(doc: Doc): RawAttribution[] {
  const text = doc.text;
  const added: RawAttribution[] = [];
  if (text.indexOf("―") < 0 && text.indexOf("—") < 0 && text.indexOf("–") < 0 && text.indexOf("--") < 0)
    return added;
  DASH_SIGNED.lastIndex = 0;
  for (let m = DASH_SIGNED.exec(text); m; m = DASH_SIGNED.exec(text)) {
    const close = m.index;
    // The quote opens its line (a vox-pop entry), not inside a sentence before a byline.
    let open = text.lastIndexOf("\n", close - 1) + 1;
    while (open < close && (text[open] === " " || text[open] === "\t" || text[open] === "\u00a0")) open++;
    if (close - open < 3 || !QUOTE_CHAR.test(text[open]!)) continue;
    const cueStart = text.indexOf(m[1]!, close + 1);
    const nameStart = text.indexOf(m[2]!, cueStart + m[1]!.length);
    added.push({
      source: [{ start: nameStart, end: nameStart + m[2]!.length }],
      cue: { start: cueStart, end: cueStart + m[1]!.length },
      content: [{ start: open, end: close + 1 }],
      sentence: doc.sentenceAt(cueStart),
    });
  }
  return added;
}

/** A transcript turn: a paragraph opening with a capitalised speaker label and a colon ("WALLACE: Let’s start …"). */
const TURN = /["“]?(\p{Lu}[\p{Lu}.'’-]+(?: \p{Lu}[\p{Lu}.'’-]+){0,2}):[ \t\u00a0]+(?=\S)/uy;
/** Labels that open paragraphs without being speakers. */
const NOT_SPEAKERS = new Set([
  "UPDATE", "CORRECTION", "CLARIFICATION", "VIDEO", "WATCH", "PHOTOS", "PHOTO", "READ MORE", "RELATED",
  "PREVIOUSLY", "NOTE", "EDITOR'S NOTE", "EDITOR’S NOTE", "BREAKING", "SOURCE", "SOURCES", "Q", "A",
]); // prettier-ignore

/**
 * Transcript turns (PolNeAR: source = the label, cue = the colon, content = the rest of the paragraph), only
 * in a transcript: at least three such paragraphs in the text.
 */
export function transcriptTurns(doc: Doc): RawAttribution[] {
  const text = doc.text;
  const turns: RawAttribution[] = [];
  for (const p of doc.paragraphs) {
    TURN.lastIndex = p.start;
    const m = TURN.exec(text);
    if (!m || NOT_SPEAKERS.has(m[1]!)) continue;
    const labelStart = text.indexOf(m[1]!, p.start);
    const colon = labelStart + m[1]!.length;
    const contentStart = p.start + m[0].length;
    if (contentStart >= p.end) continue;
    turns.push({
      source: [{ start: labelStart, end: colon }],
      cue: { start: colon, end: colon + 1 },
      content: [{ start: contentStart, end: p.end }],
      sentence: doc.sentenceAt(colon),
    });
  }
  return turns.length >= 3 ? turns : [];
}

/**
 * Adds the relations of fixed layouts the tagger does not learn (dash-signed quotes, transcript turns).
 * PolNeAR is univocal (a token belongs to one relation), so tagger relations whose cue (or cue-less first
 * content) lies in such a relation's extent give way, and so do content parts overlapping it.
 */
export function addPatternAttributions(doc: Doc, rels: RawAttribution[]): RawAttribution[] {
  const added = [...dashSignedQuotes(doc), ...transcriptTurns(doc)];
  if (added.length === 0) return rels;
  const extents = added.map((a) => {
    let start = a.content[0]!.start;
    let end = a.content[0]!.end;
    for (const x of [...(a.source ?? []), ...(a.cue ? [a.cue] : [])]) {
      start = Math.min(start, x.start);
      end = Math.max(end, x.end);
    }
    return { start, end };
  });
  const hits = (x: Span) => extents.some((e) => x.start < e.end && e.start < x.end);
  const out: RawAttribution[] = [];
  for (const r of rels) {
    if (r.cue ? hits(r.cue) : r.content.length > 0 && hits(r.content[0]!)) continue;
    const content = r.content.filter((p) => !hits(p));
    if (content.length === 0 && r.content.length > 0 && !r.cue) continue;
    out.push(content.length === r.content.length ? r : { ...r, content });
  }
  out.push(...added);
  return out.sort(
    (a, b) =>
      a.sentence - b.sentence ||
      (a.cue?.start ?? a.content[0]!.start) - (b.cue?.start ?? b.content[0]!.start),
  );
}
