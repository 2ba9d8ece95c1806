// Internal normalisation for the NLP layer. Analyzers see typographic variants as one form
// (curly quotes, dashes, odd spaces), but every offset that leaves the Doc must point into the
// original `document.text`, so normalisation records where each normalised character came from.

/** Maps offsets in a normalised string back to offsets in the string it was made from. */
export class OffsetMap {
  /** toOriginal[i] = original offset of normalised offset i; length = normalised length + 1. */
  constructor(private readonly toOriginal: Int32Array) {}

  static identity(length: number): OffsetMap {
    const a = new Int32Array(length + 1);
    for (let i = 0; i <= length; i++) a[i] = i;
    return new OffsetMap(a);
  }

  /** Original offset of a span start. */
  start(normOffset: number): number {
    return this.toOriginal[Math.min(Math.max(normOffset, 0), this.toOriginal.length - 1)]!;
  }

  /** Original offset of a span end (exclusive): the end of the last character inside the span. */
  end(normOffset: number): number {
    if (normOffset <= 0) return this.start(0);
    // An expansion ("…" -> "...") maps all its characters to one original char; the span ends after it.
    const last = this.toOriginal[Math.min(normOffset - 1, this.toOriginal.length - 2)]!;
    const next = this.start(normOffset);
    return next > last ? next : last + 1;
  }
}

// One original character -> its normalised replacement ("" removes it).
const REPLACEMENTS: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201A": "'",
  "\u201B": "'",
  "\u2032": "'",
  "\u201C": '"',
  "\u201D": '"',
  "\u201E": '"',
  "\u201F": '"',
  "\u2033": '"',
  "\u00AB": '"',
  "\u00BB": '"',
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2013": "-",
  "\u2014": "-",
  "\u2015": "-",
  "\u2212": "-",
  "\u2026": "...",
  "\u00A0": " ",
  "\u2002": " ",
  "\u2003": " ",
  "\u2009": " ",
  "\u200A": " ",
  "\u202F": " ",
  "\u3000": " ",
  "\u200B": "",
  "\u200C": "",
  "\u200D": "",
  "\uFEFF": "",
  "\u00AD": "",
};
const NEEDS_WORK =
  /[\u2018-\u201F\u2032\u2033\u00AB\u00BB\u2010-\u2015\u2212\u2026\u00A0\u2002\u2003\u2009\u200A\u202F\u3000\u200B-\u200D\uFEFF\u00AD]/;

export interface Normalized {
  text: string;
  map: OffsetMap;
}

export function normalizeText(original: string): Normalized {
  if (!NEEDS_WORK.test(original)) return { text: original, map: OffsetMap.identity(original.length) };
  const parts: string[] = [];
  const toOrig: number[] = [];
  for (let i = 0; i < original.length; i++) {
    const ch = original[i]!;
    const rep = REPLACEMENTS[ch];
    if (rep === undefined) {
      parts.push(ch);
      toOrig.push(i);
    } else {
      parts.push(rep);
      for (let k = 0; k < rep.length; k++) toOrig.push(i);
    }
  }
  toOrig.push(original.length);
  return { text: parts.join(""), map: new OffsetMap(Int32Array.from(toOrig)) };
}
