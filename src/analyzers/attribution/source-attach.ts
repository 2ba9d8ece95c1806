// Source attachment for cues the tagger found without a source ("Clinton, at Monday's debate, cited …",
// "The alliance, which includes …, advocates for …"): every noun phrase or pronoun of the cue's sentence
// is a candidate, a small logistic model scores it (side, distance, POS, what lies between, cue word and
// voice, …), and the best candidate is attached when its probability exceeds the threshold. The model is
// trained on PolNeAR train with out-of-fold tagger predictions (task `attribution-source`), so it learns
// from the cues the tagger really leaves without a source, including spurious ones and agentless passives.
import type { Doc } from "../../doc/doc.js";
import { murmur3 } from "../../learn/hashing.js";
import { LogisticRegression, type LogisticJSON } from "../../learn/logistic.js";
import { POS } from "../../nlp/wink.js";
import { lexicon } from "./lexicon.js";
import type { TokRange } from "./rules.js";
import { cueVoice } from "./tagger/model.js";

export interface SourceAttachJSON {
  kind: "attribution-source";
  version: 1;
  bits: number;
  /** Attach the best candidate when its probability is above this. */
  threshold: number;
  model: LogisticJSON;
  info?: Record<string, unknown>;
}

interface CharRange {
  start: number;
  end: number;
}

/** File of the shipped model next to the tagger: models/attribution/source.json.gz. */
export const SOURCE_ATTACH_FILE = "source.json.gz";

/** Candidates at most this many tokens away from the cue. */
const MAX_DIST = 30;

const NP_INNER = new Set<number>([POS.PROPN, POS.NOUN, POS.ADJ, POS.DET, POS.NUM]);
const HEAD = new Set<number>([POS.PROPN, POS.NOUN, POS.PRON]);
const POSSESSIVE = new Set(["his", "her", "their", "its", "our", "my", "your"]);

/** Noun phrases (maximal noun runs with their determiners and adjectives) and pronouns of the cue's sentence. */
export function sourceCandidates(doc: Doc, cue: TokRange): TokRange[] {
  const { pos, norm, sentence } = doc.tokens;
  const sent = doc.sentences[sentence[cue.tokStart]!]!;
  const lo = Math.max(sent.tokStart, cue.tokStart - MAX_DIST);
  const hi = Math.min(sent.tokEnd, cue.tokEnd + MAX_DIST);
  const out: TokRange[] = [];
  for (let i = lo; i < hi; i++) {
    if (i >= cue.tokStart && i < cue.tokEnd) continue;
    const p = pos[i]!;
    if (!HEAD.has(p)) continue;
    // A head ends its noun run ("Gov. Mike Pence", not "Gov." alone).
    if (p !== POS.PRON && i + 1 < hi && (pos[i + 1] === POS.PROPN || pos[i + 1] === POS.NOUN)) continue;
    let a = i;
    if (p !== POS.PRON) {
      while (a - 1 >= lo && (a - 1 < cue.tokStart || a - 1 >= cue.tokEnd)) {
        const q = pos[a - 1]!;
        if (NP_INNER.has(q) || (q === POS.PART && norm[a - 1] === "'s")) a--;
        else if (q === POS.PRON && POSSESSIVE.has(norm[a - 1]!)) {
          a--; // "his campaign"
          break;
        } else break;
      }
    }
    out.push({ tokStart: a, tokEnd: i + 1 });
  }
  return out;
}

function bucket(d: number): number {
  return d <= 4 ? d : d <= 7 ? 5 : d <= 12 ? 6 : 7;
}

function tokClass(doc: Doc, k: number, lo: number, hi: number): string {
  if (k < lo || k >= hi) return "#";
  const p = doc.tokens.pos[k]!;
  const w = doc.tokens.norm[k]!;
  if (
    p === POS.PUNCT ||
    p === POS.ADP ||
    p === POS.SCONJ ||
    p === POS.CCONJ ||
    p === POS.DET ||
    p === POS.AUX ||
    p === POS.PART ||
    p === POS.PRON
  )
    return w;
  return "P" + p;
}

/** Hashed features of one candidate for one cue (indices into 2^bits). */
export function candidateFeatures(
  doc: Doc,
  cue: TokRange,
  cand: TokRange,
  rank: number,
  bits: number,
  voice: string,
  contents: readonly CharRange[],
): Int32Array {
  const { pos, norm, sentence, start } = doc.tokens;
  const text = doc.text;
  const sent = doc.sentences[sentence[cue.tokStart]!]!;
  const left = cand.tokEnd <= cue.tokStart;
  const side = left ? "L" : "R";
  const d = left ? cue.tokStart - cand.tokEnd : cand.tokStart - cue.tokEnd;
  const db = bucket(d);
  const head = cand.tokEnd - 1;
  const hp = pos[head]!;
  const hw = norm[head]!;
  const lex = lexicon();
  const hclass =
    hp === POS.PRON
      ? "pron:" + hw
      : lex.personTitles.has(hw)
        ? "title"
        : lex.orgWords.has(hw)
          ? "org"
          : lex.anonymousHeads.has(hw)
            ? "anon"
            : hp === POS.PROPN
              ? "propn"
              : /^\p{Lu}/u.test(text[start[head]!] ?? "")
                ? "cap"
                : "noun";
  const before = tokClass(doc, cand.tokStart - 1, sent.tokStart, sent.tokEnd);
  const after = tokClass(doc, cand.tokEnd, sent.tokStart, sent.tokEnd);
  // Between the candidate and the cue.
  const a = left ? cand.tokEnd : cue.tokEnd;
  const b = left ? cue.tokStart : cand.tokStart;
  let comma = 0;
  let verb = 0;
  let that = 0;
  let quote = 0;
  let paren = 0;
  for (let k = a; k < b; k++) {
    const w = norm[k]!;
    const p = pos[k]!;
    if (w === ",") comma++;
    else if (w === '"') quote++;
    else if (w === "(" || w === ")" || w === "—" || w === "–" || w === "―") paren++;
    else if (w === "that" || w === "which" || w === "who") that++;
    if (p === POS.VERB || p === POS.AUX) verb++;
  }
  const btw = `${Math.min(comma, 2)}${Math.min(verb, 2)}${Math.min(that, 1)}${Math.min(quote, 1)}${Math.min(paren, 1)}`;
  const cueFirst = norm[cue.tokStart]!;
  const cueLast = norm[cue.tokEnd - 1]!;
  const cuePos = pos[cue.tokStart]!;
  const sentStart = cand.tokStart === sent.tokStart ? 1 : 0;
  const len = Math.min(cand.tokEnd - cand.tokStart, 4);
  const r = Math.min(rank, 3);
  const cs = start[cand.tokStart]!;
  const candInContent = contents.some((c) => cs >= c.start && cs < c.end) ? 1 : 0;
  const q0 = start[cue.tokStart]!;
  const cueInContent = contents.some((c) => q0 >= c.start && q0 < c.end) ? 1 : 0;
  let cueLex = 0;
  for (let k = cue.tokStart; k < cue.tokEnd; k++) {
    const w = norm[k]!;
    if (lex.cueVerbs.has(w)) cueLex = Math.max(cueLex, 2);
    else if (lex.nounCues.has(w)) cueLex = Math.max(cueLex, 1);
  }
  const f = [
    `hw${side}${hw}`,
    `cic${side}${candInContent}`,
    `cicd${side}${candInContent}${db}`,
    `qic${cueInContent}`,
    `qics${side}${cueInContent}${hclass}`,
    `qlex${side}${cueLex}`,
    `qlexh${side}${cueLex}${hclass}${r}`,
    "bias",
    `s${side}`,
    `sd${side}${db}`,
    `sr${side}${r}`,
    `srd${side}${r}${db}`,
    `h${hclass}`,
    `sh${side}${hclass}`,
    `shd${side}${hclass}${db}`,
    `shr${side}${hclass}${r}`,
    `b${before}`,
    `sb${side}${before}`,
    `sbv${side}${before}${voice}`,
    `a${after}`,
    `sa${side}${after}`,
    `sba${side}${before}|${after}`,
    `btw${side}${btw}`,
    `btwd${side}${btw}${db}`,
    `btwh${side}${btw}${hclass}`,
    `v${side}${voice}`,
    `vd${side}${voice}${db}`,
    `cf${side}${cueFirst}`,
    `cl${side}${cueLast}`,
    `cp${side}${cuePos}`,
    `cph${side}${cuePos}${hclass}`,
    `ss${side}${sentStart}`,
    `ssh${side}${sentStart}${hclass}`,
    `len${side}${len}`,
    `lenh${side}${len}${hclass}`,
  ];
  const mask = (1 << bits) - 1;
  const out = new Int32Array(f.length);
  for (let k = 0; k < f.length; k++) out[k] = murmur3(f[k]!, 23) & mask;
  return out;
}

/** All candidates of one cue with their features. */
export function cueCandidates(
  doc: Doc,
  cue: TokRange,
  bits: number,
  contents: readonly CharRange[] = [],
): { cand: TokRange; features: Int32Array }[] {
  const cands = sourceCandidates(doc, cue);
  const voice = cueVoice(doc, { type: "cue", tokStart: cue.tokStart, tokEnd: cue.tokEnd });
  // Rank = how many candidates lie between this one and the cue on its side.
  const nLeft = cands.filter((c) => c.tokEnd <= cue.tokStart).length;
  return cands.map((cand, i) => ({
    cand,
    features: candidateFeatures(
      doc,
      cue,
      cand,
      cand.tokEnd <= cue.tokStart ? nLeft - 1 - i : i - nLeft,
      bits,
      voice,
      contents,
    ),
  }));
}

export class SourceAttacher {
  private readonly lr: LogisticRegression;
  private readonly val: Float32Array = new Float32Array(64).fill(1);

  constructor(readonly json: SourceAttachJSON) {
    this.lr = LogisticRegression.fromJSON(json.model);
  }

  /** The most probable candidate and its probability, or null when the sentence has none. */
  best(doc: Doc, cue: TokRange, contents: readonly CharRange[] = []): { source: TokRange; p: number } | null {
    let best: { source: TokRange; p: number } | null = null;
    for (const { cand, features } of cueCandidates(doc, cue, this.json.bits, contents)) {
      const p = this.lr.positive({ idx: features, val: this.val.subarray(0, features.length) });
      if (!best || p > best.p) best = { source: cand, p };
    }
    return best;
  }

  /** The source to attach to a cue without one, or null. */
  attach(doc: Doc, cue: TokRange, contents: readonly CharRange[] = []): TokRange | null {
    const b = this.best(doc, cue, contents);
    return b && b.p > this.json.threshold ? b.source : null;
  }
}

/** Training examples: one per candidate of each predicted cue without a source. */
export interface AttachExamples {
  X: Int32Array[];
  y: number[];
  /** Index of the cue (group) each candidate belongs to. */
  group: number[];
  /** Per group: whether a gold source exists (so that a correct attachment is possible). */
  gold: boolean[];
}

const touches = (a: CharRange, b: CharRange) => a.start < b.end && b.start < a.end;

/**
 * Adds the candidates of every predicted relation with a cue and no source: label 1 when the candidate
 * overlaps the source of the gold relation whose cue overlaps the predicted cue.
 */
export function addAttachExamples(
  ex: AttachExamples,
  doc: Doc,
  gold: readonly { source: CharRange[] | null; cue: CharRange[] | null }[],
  predicted: readonly { source: CharRange[] | null; cue: CharRange | null; content: CharRange[] }[],
  bits: number,
): void {
  const contents = predicted.flatMap((r) => r.content);
  for (const r of predicted) {
    if (!r.cue || (r.source && r.source.length > 0)) continue;
    const cue = { tokStart: doc.tokenAtOrAfter(r.cue.start), tokEnd: doc.tokenAtOrAfter(r.cue.end - 1) + 1 };
    const g = gold.find((x) => x.cue?.some((c) => touches(c, r.cue!)));
    const src = g?.source ?? [];
    const group = ex.gold.length;
    ex.gold.push(src.length > 0);
    for (const { cand, features } of cueCandidates(doc, cue, bits, contents)) {
      const span = { start: doc.tokens.start[cand.tokStart]!, end: doc.tokens.end[cand.tokEnd - 1]! };
      ex.X.push(features);
      ex.y.push(src.some((s) => touches(s, span)) ? 1 : 0);
      ex.group.push(group);
    }
  }
}

export function trainSourceAttacher(
  ex: AttachExamples,
  opts: { bits: number; threshold: number; epochs?: number; seed?: number },
): SourceAttachJSON {
  const ones = new Float32Array(64).fill(1);
  const X = ex.X.map((idx) => ({ idx, val: ones.subarray(0, idx.length) }));
  const lr = LogisticRegression.train(X, ex.y, 1 << opts.bits, 2, {
    epochs: opts.epochs ?? 10,
    seed: opts.seed ?? 17,
    l2: 1e-6,
  });
  return {
    kind: "attribution-source",
    version: 1,
    bits: opts.bits,
    threshold: opts.threshold,
    model: lr.toJSON(),
  };
}

/**
 * Decisions on held-out examples at a threshold: attached (best candidate above it), correct (it overlaps
 * the gold source), and the number of cues that had a gold source.
 */
export function attachOutcome(
  attacher: SourceAttacher,
  ex: AttachExamples,
  threshold: number,
): { attached: number; correct: number; goldCues: number } {
  const lr = LogisticRegression.fromJSON(attacher.json.model);
  const ones = new Float32Array(64).fill(1);
  const best = new Map<number, { p: number; y: number }>();
  for (let i = 0; i < ex.X.length; i++) {
    const p = lr.positive({ idx: ex.X[i]!, val: ones.subarray(0, ex.X[i]!.length) });
    const b = best.get(ex.group[i]!);
    if (!b || p > b.p) best.set(ex.group[i]!, { p, y: ex.y[i]! });
  }
  let attached = 0;
  let correct = 0;
  for (const b of best.values()) {
    if (b.p <= threshold) continue;
    attached++;
    correct += b.y;
  }
  return { attached, correct, goldCues: ex.gold.filter(Boolean).length };
}
