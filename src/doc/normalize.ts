// Internal normalisation for the NLP layer. Analyzers see typographic variants as one form
// (curly quotes, dashes, odd spaces), but every offset that leaves the Doc must point into the
// original `document.text`, so normalisation records where each normalised character came from.

/** Maps offsets in a normalised string back to offsets in the string it was made from. */
export class OffsetMap {
  /** toOriginal[i] = original offset of normalised offset i; length = normalised length + 1; null = identity. */
  constructor(
    private readonly toOriginal: Int32Array | null,
    private readonly length = toOriginal ? toOriginal.length - 1 : 0,
  ) {}

  static identity(length: number): OffsetMap {
    return new OffsetMap(null, length);
  }

  /** Original offset of a span start. */
  start(normOffset: number): number {
    const i = Math.min(Math.max(normOffset, 0), this.length);
    return this.toOriginal ? this.toOriginal[i]! : i;
  }

  /** Original offset of a span end (exclusive): the end of the last character inside the span. */
  end(normOffset: number): number {
    if (!this.toOriginal) return Math.min(Math.max(normOffset, 0), this.length);
    if (normOffset <= 0) return this.start(0);
    // An expansion ("…" -> "...") maps all its characters to one original char; the span ends after it.
    const last = this.toOriginal[Math.min(normOffset - 1, this.length - 1)]!;
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

const ALL = new RegExp(NEEDS_WORK.source, "g");

export interface Normalized {
  text: string;
  map: OffsetMap;
}

export function normalizeText(original: string): Normalized {
  if (!NEEDS_WORK.test(original)) return { text: original, map: OffsetMap.identity(original.length) };
  // Copy unchanged runs as slices and fill the offset map with plain index runs (hot path).
  const parts: string[] = [];
  let toOrig = new Int32Array(original.length + 16);
  let n = 0;
  let last = 0;
  const put = (orig: number, count: number, sequential: boolean) => {
    if (n + count + 1 > toOrig.length) {
      const grown = new Int32Array((n + count + 1) * 2);
      grown.set(toOrig.subarray(0, n));
      toOrig = grown;
    }
    for (let k = 0; k < count; k++) toOrig[n++] = sequential ? orig + k : orig;
  };
  for (const m of original.matchAll(ALL)) {
    const i = m.index!;
    if (i > last) {
      parts.push(original.slice(last, i));
      put(last, i - last, true);
    }
    const rep = REPLACEMENTS[m[0]] ?? m[0];
    parts.push(rep);
    put(i, rep.length, false);
    last = i + 1;
  }
  if (last < original.length) {
    parts.push(original.slice(last));
    put(last, original.length - last, true);
  }
  put(original.length, 1, false);
  return { text: parts.join(""), map: new OffsetMap(toOrig.subarray(0, n)) };
}
