// Text from articles, pages and imported files reaches the terminal: a control character in it (an escape
// sequence in a page's <title>, a BEL in a CSV) must be shown, never obeyed. Each one becomes a visible
// one-character stand-in (U+2400 control pictures, U+FFFD for C1), so character offsets stay valid.

// Also the bidirectional embeddings, overrides and isolates (U+202A–E, U+2066–9): a terminal obeys them, so an
// article could make a claim display reordered ("Trojan Source"). They become U+FFFD, as C1 controls do.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function picture(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return "\u2421";
  return "\uFFFD";
}

/**
 * `s` with every control character except tab and newline, and every bidirectional override, replaced by a
 * visible stand-in of length 1.
 */
export function visible(s: string): string {
  return s.replace(CONTROL, picture);
}

/** A copy of a JSON-like value with `visible` applied to every string in it. */
export function visibleDeep<T>(x: T): T {
  if (typeof x === "string") return visible(x) as T;
  if (Array.isArray(x)) return x.map(visibleDeep) as T;
  if (x !== null && typeof x === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = visibleDeep(v);
    return out as T;
  }
  return x;
}
