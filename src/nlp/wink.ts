// wink-nlp does tokens, sentences, POS, and dates/numbers. We keep its output as flat typed arrays
// of character offsets so analyzers never hold wink objects and hot loops stay allocation-free.
import { createRequire } from "node:module";
import type winkNLPType from "wink-nlp";
import model from "wink-eng-lite-web-model";

const requireCjs = createRequire(import.meta.url);

export const POS_TAGS = [
  "ADJ",
  "ADP",
  "ADV",
  "AUX",
  "CCONJ",
  "DET",
  "INTJ",
  "NOUN",
  "NUM",
  "PART",
  "PRON",
  "PROPN",
  "PUNCT",
  "SCONJ",
  "SYM",
  "VERB",
  "X",
  "SPACE",
] as const;
export type PosTag = (typeof POS_TAGS)[number];
const POS_INDEX = new Map<string, number>(POS_TAGS.map((t, i) => [t, i]));
export const POS = Object.fromEntries(POS_TAGS.map((t, i) => [t, i])) as Record<PosTag, number>;

type Wink = ReturnType<typeof winkNLPType>;
let shared: Wink | null = null;
/** One wink instance per process (loading the model costs ~100 ms). */
export function wink(): Wink {
  if (!shared) shared = loadWinkWithStableTokenizer()(model);
  return shared;
}

interface WinkDocData {
  cache: { lookup(text: string): number[] | null; intrinsicSize(): number };
}
interface WinkDocMethods {
  _addTokenIfInCache(text: string, precedingSpaces: number, nbsp: unknown): number;
  isLexeme(text: string): number[] | null;
}

/**
 * wink-nlp adds every out-of-vocabulary word it meets to its lexeme cache, and its tokenizer looks a whole word up
 * there before splitting it: once "Obama's" has been cached whole, it is never split again. The same article then
 * tokenized differently depending on what the process had read before (7 of 100 news articles did). Here the
 * tokenizer's two lookups see only the model's own lexicon, so a text's tokens depend on the text alone. wink-nlp is
 * CommonJS and requires its document-data wrapper once, so that factory is wrapped in Node's module cache before
 * wink-nlp itself is loaded.
 */
function loadWinkWithStableTokenizer(): typeof winkNLPType {
  const wrapperPath = requireCjs.resolve("wink-nlp/src/dd-wrapper.js");
  const factory = requireCjs(wrapperPath) as ((data: WinkDocData) => WinkDocMethods) & { stable?: boolean };
  const entry = requireCjs.cache[wrapperPath];
  if (!entry) throw new Error("wink-nlp: cannot find its document-data wrapper module");
  if (!factory.stable) {
    const stable = (data: WinkDocData): WinkDocMethods => {
      const methods = factory(data);
      const cache = data.cache;
      const intrinsic = cache.intrinsicSize();
      const inModel = (text: string): boolean => {
        const hit = cache.lookup(text);
        return hit !== null && (hit.length > 1 || hit[0]! < intrinsic);
      };
      const addIfInCache = methods._addTokenIfInCache;
      methods._addTokenIfInCache = (text, precedingSpaces, nbsp) =>
        inModel(text) ? addIfInCache(text, precedingSpaces, nbsp) : 0;
      methods.isLexeme = (text) => (inModel(text) ? cache.lookup(text) : null);
      return methods;
    };
    stable.stable = true;
    entry.exports = stable;
  }
  return requireCjs("wink-nlp") as typeof winkNLPType;
}

export interface RawTokens {
  start: Int32Array;
  end: Int32Array;
  pos: Uint8Array;
  norm: string[];
  /** Token indices (into the arrays above) where wink starts a new sentence. */
  sentenceStarts: number[];
  quantities: { start: number; end: number; type: string }[];
}

/** Tokenize, split sentences, tag POS and find dates/numbers; offsets are into `text`. SPACE tokens are dropped. */
export function winkAnalyze(text: string): RawTokens {
  const nlp = wink();
  const its = nlp.its;
  const d = nlp.readDoc(text);
  const values = d.tokens().out(its.value) as string[];
  const spaces = d.tokens().out(its.precedingSpaces) as string[];
  const pos = d.tokens().out(its.pos) as string[];
  const norms = d.tokens().out(its.normal) as string[];
  const n = values.length;
  // wink token index -> our index (or -1 for whitespace tokens), and char offsets.
  const ourIndex = new Int32Array(n);
  const startA = new Int32Array(n);
  const endA = new Int32Array(n);
  const posA = new Uint8Array(n);
  const norm: string[] = [];
  let offset = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    offset += spaces[i]!.length;
    const v = values[i]!;
    // wink reproduces the text exactly; resync defensively if it ever does not.
    if (text.startsWith(v, offset) === false) {
      const found = text.indexOf(v, offset);
      if (found >= 0) offset = found;
    }
    const p = pos[i]!;
    if (p === "SPACE" || v.trim() === "") {
      ourIndex[i] = -1;
      offset += v.length;
      continue;
    }
    ourIndex[i] = k;
    startA[k] = offset;
    endA[k] = offset + v.length;
    posA[k] = POS_INDEX.get(p) ?? POS.X;
    norm.push(norms[i]!);
    offset += v.length;
    k++;
  }
  // Collection-level out() is much cheaper than per-item each() + out().
  const firstOurToken = (a: number, b: number): number => {
    for (let i = a; i <= b && i < n; i++) if (ourIndex[i]! >= 0) return ourIndex[i]!;
    return -1;
  };
  const lastOurToken = (a: number, b: number): number => {
    for (let i = Math.min(b, n - 1); i >= a; i--) if (ourIndex[i]! >= 0) return ourIndex[i]!;
    return -1;
  };
  const sentenceStarts: number[] = [];
  for (const [a, b] of d.sentences().out(its.span) as unknown as [number, number][]) {
    const s = firstOurToken(a, b);
    if (s >= 0 && sentenceStarts[sentenceStarts.length - 1] !== s) sentenceStarts.push(s);
  }
  const quantities: RawTokens["quantities"] = [];
  const spans = d.entities().out(its.span) as unknown as [number, number][];
  const types = d.entities().out(its.type) as unknown as string[];
  for (let e = 0; e < spans.length; e++) {
    const [a, b] = spans[e]!;
    const s = firstOurToken(a, b);
    const t = lastOurToken(a, b);
    if (s >= 0 && t >= s) quantities.push({ start: startA[s]!, end: endA[t]!, type: types[e] ?? "MISC" });
  }
  return {
    start: startA.slice(0, k),
    end: endA.slice(0, k),
    pos: posA.slice(0, k),
    norm,
    sentenceStarts,
    quantities,
  };
}
