// Light text features shared by analyzers that work on raw strings (no wink pass needed).

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Lower-cased word tokens. */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Adds word n-grams (1..n) of `tokens` to `out` with a prefix. */
export function wordNgrams(tokens: readonly string[], n: number, prefix = "w"): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let g = tokens[i]!;
    out.push(`${prefix}1:${g}`);
    for (let k = 2; k <= n && i + k <= tokens.length; k++) {
      g += " " + tokens[i + k - 1]!;
      out.push(`${prefix}${k}:${g}`);
    }
  }
  return out;
}

/** Character n-grams of a word with boundary marks, for robustness to spelling variants. */
export function charNgrams(word: string, n: number): string[] {
  const w = `<${word}>`;
  const out: string[] = [];
  for (let i = 0; i + n <= w.length; i++) out.push(w.slice(i, i + n));
  return out;
}

/** Word shape: Xxxx, XX, dd, x.x. — coarse orthography. */
export function shape(token: string): string {
  let s = "";
  let last = "";
  for (const ch of token) {
    const c = /\p{Lu}/u.test(ch) ? "X" : /\p{Ll}/u.test(ch) ? "x" : /\p{N}/u.test(ch) ? "d" : ch;
    if (c !== last || s.length < 2) s += c;
    last = c;
    if (s.length > 6) break;
  }
  return s;
}
