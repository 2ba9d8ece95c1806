// wink-nlp does tokens, sentences, POS, and dates/numbers. We keep its output as flat typed arrays
// of character offsets so analyzers never hold wink objects and hot loops stay allocation-free.
import winkNLP from "wink-nlp";
import model from "wink-eng-lite-web-model";

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

type Wink = ReturnType<typeof winkNLP>;
let shared: Wink | null = null;
/** One wink instance per process (loading the model costs ~100 ms). */
export function wink(): Wink {
  if (!shared) shared = winkNLP(model);
  return shared;
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
