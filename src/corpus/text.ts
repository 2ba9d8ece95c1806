// Text helpers for the corpus: content hashing, word shingles, domains, content words.
import { createHash } from "node:crypto";

/** Lower-cased, typographic variants unified, whitespace collapsed: what "the same content" means. */
export function normalizeForHash(title: string, text: string): string {
  return `${title}\n${text}`
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b]/g, "'")
    .replace(/[\u201c\u201d\u201e]/g, '"')
    .replace(/[\u2013\u2014]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
}

export function contentHash(title: string, text: string): string {
  return createHash("sha256").update(normalizeForHash(title, text)).digest("hex");
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Lower-cased word tokens. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/’/g, "'").match(WORD) ?? [];
}

/**
 * The publishing domain of a URL, without "www." and unwrapping web.archive.org snapshots
 * ("https://web.archive.org/web/2017…/https://www.forbes.com/…" -> "forbes.com").
 */
export function domainOf(url: string | undefined | null): string | null {
  if (!url) return null;
  let u = url.trim();
  const wayback = /^https?:\/\/web\.archive\.org\/web\/[^/]+\/(.+)$/i.exec(u);
  if (wayback) u = wayback[1]!;
  if (!/^[a-z]+:\/\//i.test(u)) u = "http://" + u;
  try {
    const host = new URL(u).hostname.toLowerCase();
    return host.replace(/^www\d?\./, "") || null;
  } catch {
    return null;
  }
}

/** Function words and reporting verbs that say nothing about which event an article is about. */
export const STOPWORDS = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being below between both but by " +
    "can could did do does doing down during each few for from further had has have having he her here hers herself him himself his " +
    "how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out " +
    "over own same she should so some such than that the their theirs them themselves then there these they this those through to too " +
    "under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves " +
    "said says say saying told tell tells according also one two new like get got make made just even still back many much well " +
    "would could may might must shall us mr mrs ms dr per via year years time times day days week weeks people thing things way " +
    "going go goes went come came take took see seen know known think thought want wanted really lot s t don didn doesn isn wasn " +
    "it's that's there's he's she's i'm we're they're you're can't won't don't didn't doesn't isn't wasn't"
  ).split(/\s+/),
);

/** A light, deterministic suffix stripper so "attacks"/"attack" and "struck"/"strikes" meet. */
export function stem(w: string): string {
  if (w.length <= 3) return w;
  const irregular = IRREGULAR.get(w);
  if (irregular) return irregular;
  if (w.endsWith("ies") && w.length > 4) return w.slice(0, -3) + "y";
  if (w.endsWith("sses")) return w.slice(0, -2);
  if (w.endsWith("ing") && w.length > 5) {
    const b = w.slice(0, -3);
    return b.length > 2 && b[b.length - 1] === b[b.length - 2] && !/[lsz]$/.test(b) ? b.slice(0, -1) : b;
  }
  if (w.endsWith("ed") && w.length > 4) {
    const b = w.slice(0, -2);
    if (b.endsWith("i")) return b.slice(0, -1) + "y";
    return b.length > 2 && b[b.length - 1] === b[b.length - 2] && !/[lsz]$/.test(b) ? b.slice(0, -1) : b;
  }
  if (w.endsWith("es") && /(?:sh|ch|x|z)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) return w.slice(0, -1);
  return w;
}

const IRREGULAR = new Map<string, string>([
  ["struck", "strike"],
  ["striking", "strike"],
  ["strikes", "strike"],
  ["hitting", "hit"],
  ["hits", "hit"],
  ["bombed", "bomb"],
  ["bombing", "bomb"],
  ["died", "die"],
  ["dead", "die"],
  ["killed", "kill"],
  ["killing", "kill"],
  ["children", "child"],
  ["men", "man"],
  ["women", "woman"],
  ["was", "be"],
  ["were", "be"],
  ["is", "be"],
  ["are", "be"],
  ["syrian", "syria"],
  ["russian", "russia"],
  ["american", "america"],
  ["americans", "america"],
  ["u.s.", "us"],
  ["chemicals", "chemical"],
]);

/** Content words of a text, stemmed, stop words removed. */
export function contentWords(text: string): string[] {
  const out: string[] = [];
  for (const w of wordsOf(text)) {
    if (STOPWORDS.has(w) || w.length < 2 || /^\d+$/.test(w)) continue;
    out.push(stem(w));
  }
  return out;
}
