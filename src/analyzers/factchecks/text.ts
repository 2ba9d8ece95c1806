// Text handling shared by the fact-check index, the re-ranker features and the importers.

const STOP = new Set(
  (
    "a an the and or but if then than so of to in on at by for with from into onto over under as is are was were be been " +
    "being am do does did doing have has had having it its it's this that these those there here he she they them his her " +
    "their theirs we us our you your i me my mine who whom whose which what when where why how all any both each few more " +
    "most other some such only own same too very can will just should would could may might must shall about above after " +
    "again against before below between during out off up down further once s t don isn aren wasn weren hasn haven hadn " +
    "doesn didn won wouldn shouldn couldn also via rt amp says said say saying"
  ).split(" "),
);

/** Words kept in the index whose meaning flips a claim; they are indexed, not dropped. */
export const NEGATIONS = new Set(["not", "no", "never", "nor", "none", "nothing", "false", "fake", "hoax"]);

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
const URL = /https?:\/\/\S+|pic\.twitter\.com\/\S+|\bwww\.\S+/gi;
/**
 * Removes URLs; hashtags and handles become plain (camel-case split) words, glued ones split by the segmenter. The trailer of an embedded tweet ("— Name (@handle)
 * January 6, 2020") is kept: on CLEF-2020 train it helps BM25 (MAP@5 0.824 with it, 0.792 without).
 */
export function cleanText(text: string, segmenter?: Segmenter): string {
  const t = text.replace(URL, " ");
  return segmenter
    ? t.replace(TAG, (m: string, w: string) => segmenter.apply(splitTag(m, w)))
    : t.replace(TAG, splitTag);
}

const TRAILER = /[—–]\s*[^—–]*\(@\w+\)\s+\p{L}+ \d{1,2}, \d{4}\s*$/u;
/** Removes the trailer of an embedded tweet ("— Name (@handle) January 6, 2020"). */
export function stripTrailer(text: string): string {
  return text.replace(TRAILER, " ");
}

/** Hashtags and handles: "#AustralianFires" -> "Australian Fires", "@IlhanMN" -> "Ilhan MN". */
const TAG = /[#@]([\p{L}\p{N}_]+)/gu;
function splitTag(_m: string, w: string): string {
  return (
    " " +
    w
      .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
      .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, "$1 $2")
      .replace(/_/g, " ") +
    " "
  );
}

/** A light suffix stripper (plural, -ing, -ed, -ly): enough to merge "vaccines"/"vaccinated"/"vaccine" for BM25. */
export function stem(w: string): string {
  const n = w.length;
  if (n <= 3 || /\d/.test(w)) return w;
  if (w.endsWith("ies") && n > 4) return w.slice(0, -3) + "y";
  if (w.endsWith("sses")) return w.slice(0, -2);
  if (w.endsWith("ss") || w.endsWith("us") || w.endsWith("is")) return w;
  if (w.endsWith("ing") && n > 5) return strip(w.slice(0, -3));
  if (w.endsWith("ed") && n > 4) return strip(w.slice(0, -2));
  if (w.endsWith("ly") && n > 4) return w.slice(0, -2);
  if (w.endsWith("es") && n > 4 && /(?:ch|sh|x|z|s)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith("s")) return strip(w.slice(0, -1));
  if (w.endsWith("e")) return w.slice(0, -1);
  return w;
}

function strip(w: string): string {
  // "vaccinat" -> "vaccinat", "stopp" -> "stop"
  const n = w.length;
  if (n > 2 && w[n - 1] === w[n - 2] && !/[lsz]/.test(w[n - 1]!)) return w.slice(0, -1);
  if (w.endsWith("e")) return w.slice(0, -1);
  return w;
}

const THOUSANDS = /(\d),(\d{3})/g;

/** Index terms of a text: lower-cased, stop words dropped, stemmed. Numbers keep their digits ("1,000" -> "1000"). */
export function terms(text: string): string[] {
  const out: string[] = [];
  const t = text.replace(THOUSANDS, "$1$2").toLowerCase();
  for (const m of t.matchAll(TOKEN)) {
    const term = termOf(m[0]);
    if (term !== null) out.push(term);
  }
  return out;
}

/** The index term of one lower-cased word, or null for a stop word. */
function termOf(word: string): string | null {
  const w = word.replace(/['’]s$/, "").replace(/['’]/g, "");
  if (w.length === 0 || (STOP.has(w) && !NEGATIONS.has(w))) return null;
  return stem(w);
}

/**
 * The words of `terms(text)`, each with its place in `text`, so that a match can point at the characters it rests
 * on. A number written with thousands separators is one word ("1,000" -> "1000", spanning all five characters).
 * The same list as `terms` except where lower-casing lengthens a letter (Turkish "İ"; one of 20,961 LIAR, CLEF
 * and FakeNewsNet texts).
 */
export function termSpans(text: string): { term: string; start: number; end: number }[] {
  // The text without the separators, and where each of its characters stands in `text`.
  let joined = "";
  const at: number[] = [];
  let from = 0;
  const copy = (to: number) => {
    for (let i = from; i < to; i++) at.push(i);
    joined += text.slice(from, to);
  };
  for (const m of text.matchAll(THOUSANDS)) {
    copy(m.index + 1); // through the digit before the comma
    from = m.index + 2; // skip the comma
  }
  copy(text.length);
  const out: { term: string; start: number; end: number }[] = [];
  for (const m of joined.matchAll(TOKEN)) {
    const term = termOf(m[0].toLowerCase());
    if (term === null) continue;
    out.push({ term, start: at[m.index]!, end: at[m.index + m[0].length - 1]! + 1 });
  }
  return out;
}

/** Numbers written in the text (digits only, thousands separators removed). */
export function numbers(text: string): string[] {
  return text.replace(THOUSANDS, "$1$2").match(/\d+(?:\.\d+)?/g) ?? [];
}

/** Lower-cased capitalised words that do not start a sentence: a cheap stand-in for named entities. */
export function capitalised(text: string): string[] {
  const out: string[] = [];
  const re = /(^|[.!?]\s+|\s|["“(])(\p{Lu}[\p{L}’'-]+)/gu;
  for (const m of text.matchAll(re)) {
    const sentenceStart = m.index === 0 || /[.!?]\s+$/.test(m[1]!);
    if (sentenceStart) continue;
    const w = m[2]!.toLowerCase();
    if (!STOP.has(w)) out.push(stem(w));
  }
  return out;
}

const WORD = /[\p{L}]+/gu;
const LONG_WORD = /\p{L}{6,}/gu;

/**
 * Splits glued words a memory does not know into words it does ("#cornflakes" -> "corn flakes", "@georgesoros" ->
 * "george soros", "#krystinamartelli" -> "krystina martelli"): hashtags and handles that are not CamelCase. The
 * vocabulary is every word of the memory's claims and titles; only words of 6+ letters that are not in it are split,
 * into 2+ pieces of which at most one is unknown (4+ letters), preferring fewer and more frequent pieces.
 */
export class Segmenter {
  private readonly freq = new Map<string, number>();

  constructor(texts: Iterable<string>) {
    for (const t of texts)
      for (const m of t.toLowerCase().matchAll(WORD)) this.freq.set(m[0], (this.freq.get(m[0]) ?? 0) + 1);
  }

  /** The text with every unknown long word replaced by its pieces (original case kept). */
  apply(text: string): string {
    return text.replace(LONG_WORD, (w) => this.split(w));
  }

  /** Splits already made (bounded): a query's tags are split again for its term features. */
  private readonly memo = new Map<string, string>();

  /** The pieces of one word joined by spaces (the word itself when it is known or has no good split). */
  split(word: string): string {
    const w = word.toLowerCase();
    const n = w.length;
    // (Over 40 letters is not a tag of a few words: the split is quadratic in the length.)
    if (n < 6 || n > 40 || this.freq.has(w)) return word;
    let out = this.memo.get(word);
    if (out === undefined) {
      out = this.splitUnknown(word, w);
      if (this.memo.size >= 10_000) this.memo.clear();
      this.memo.set(word, out);
    }
    return out;
  }

  private splitUnknown(word: string, w: string): string {
    const n = w.length;
    // cost[i]: best cost of w[0, i); a known piece costs 1 (2 letters: 1.5) minus a frequency bonus < 0.1, an
    // unknown piece (4+ letters) 2; at most one unknown piece.
    const cost = [new Float64Array(n + 1).fill(Infinity), new Float64Array(n + 1).fill(Infinity)];
    const back = [new Int32Array(n + 1).fill(-1), new Int32Array(n + 1).fill(-1)];
    cost[0]![0] = 0;
    for (let i = 0; i < n; i++) {
      for (let u = 0; u < 2; u++) {
        const c0 = cost[u]![i]!;
        if (c0 === Infinity) continue;
        for (let j = i + 2; j <= n; j++) {
          if (j - i === n) break; // the whole word is not a split
          const f = this.freq.get(w.slice(i, j));
          if (f !== undefined) {
            const c = c0 + (j - i === 2 ? 1.5 : 1) - Math.min(0.099, Math.log1p(f) / 100);
            if (c < cost[u]![j]!) {
              cost[u]![j] = c;
              back[u]![j] = i;
            }
          } else if (u === 0 && j - i >= 4) {
            const c = c0 + 2;
            if (c < cost[1]![j]!) {
              cost[1]![j] = c;
              back[1]![j] = i;
            }
          }
        }
      }
    }
    const all = this.cuts(back[0]!, back[1]!, w, 0, cost[0]![n]!);
    const one = this.cuts(back[0]!, back[1]!, w, 1, cost[1]![n]!);
    // Next to an unknown piece, known pieces must be long (5+ letters): "Tornillo" is not "Torn illo".
    const cuts =
      all && (!one || cost[0]![n]! <= cost[1]![n]!)
        ? all
        : one &&
            one.every(
              (c, k) => c - (k ? one[k - 1]! : 0) >= 5 || !this.freq.has(w.slice(k ? one[k - 1]! : 0, c)),
            )
          ? one
          : null;
    if (!cuts) return word;
    let prev = 0;
    const pieces: string[] = [];
    for (const c of cuts) {
      pieces.push(word.slice(prev, c));
      prev = c;
    }
    return pieces.join(" ");
  }

  /** End offsets of the pieces of the best split ending in state u, or null when its cost is above 3. */
  private cuts(back0: Int32Array, back1: Int32Array, w: string, u: number, cost: number): number[] | null {
    if (cost > 3) return null;
    const cuts: number[] = [];
    for (let j = w.length; j > 0;) {
      cuts.push(j);
      const i = (u === 1 ? back1 : back0)[j]!;
      // The unknown piece is the step that moved from state 0 to state 1.
      if (u === 1 && !this.freq.has(w.slice(i, j))) u = 0;
      j = i;
    }
    return cuts.reverse();
  }
}
