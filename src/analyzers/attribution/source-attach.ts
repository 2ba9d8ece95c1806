// Source attachment for cues the tagger found without a source ("Clinton, at Monday's debate, cited …",
// "The alliance, which includes …, advocates for …"): every noun phrase or pronoun of the cue's sentence
// is a candidate, a small logistic model scores it (side, distance, POS, what lies between, cue word and
// voice, …), and the best candidate is attached when its probability exceeds the threshold. The model is
// trained on PolNeAR train with out-of-fold tagger predictions (task `attribution-source`), so it learns
// from the cues the tagger really leaves without a source, including spurious ones and agentless passives.
import { clusterFingerprint, type ClusterSource } from "../../learn/word-clusters.js";
import type { Doc } from "../../doc/doc.js";
import { fmix32, murmur3 } from "../../learn/hashing.js";
import { LogisticRegression, sigmoid, type LogisticJSON } from "../../learn/logistic.js";
import { POS } from "../../nlp/wink.js";
import { lexicon } from "./lexicon.js";
import { tokRangeOf, type TokRange } from "./rules.js";
import { cueVoice } from "./tagger/model.js";
import { clusterLevels } from "./tagger/features.js";

export interface SourceAttachJSON {
  kind: "attribution-source";
  version: 1;
  bits: number;
  /** Attach the best candidate when its probability is above this. */
  threshold: number;
  model: LogisticJSON;
  info?: Record<string, unknown>;
  /** Trained with word-cluster features (3 more per candidate): needs the same clusters at runtime. */
  clusters?: boolean;
  /** clusterFingerprint of the word classes it was trained with (checked at load). */
  clusterFingerprint?: number;
}

interface CharRange {
  start: number;
  end: number;
}

/** File of the shipped model next to the tagger: models/attribution/source.json.gz. */
export const SOURCE_ATTACH_FILE = "source.json.gz";

/** Candidates at most this many tokens away from the cue. */
const MAX_DIST = 30;

const NP_INNER = new Set<number>([POS.PROPN, POS.NOUN, POS.ADJ, POS.NUM]);
const HEAD = new Set<number>([POS.PROPN, POS.NOUN, POS.PRON]);
const POSSESSIVE = new Set(["his", "her", "their", "its", "our", "my", "your"]);
const TIME_HEADS = new Set(
  (
    "morning afternoon evening night tonight today yesterday tomorrow weekend week weeks month months year years " +
    "day days hour hours minute minutes time monday tuesday wednesday thursday friday saturday sunday " +
    "january february march april june july august september october november december"
  ).split(" "),
);

/** Whether every noun of a phrase is a time word ("this morning", "Wednesday"; not "USA TODAY"'s). */
function timePhrase(doc: Doc, r: TokRange): boolean {
  const { norm, pos } = doc.tokens;
  for (let k = r.tokStart; k < r.tokEnd; k++) {
    const p = pos[k]!;
    if ((p === POS.NOUN || p === POS.PROPN || p === POS.PRON) && !TIME_HEADS.has(norm[k]!)) return false;
  }
  return true;
}

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
    // A possessor is not a phrase of its own ("America's top diplomat", not "America").
    if (p !== POS.PRON && i + 2 < hi && norm[i + 1] === "'s" && NP_INNER.has(pos[i + 2]!)) continue;
    let a = i;
    if (p !== POS.PRON) {
      while (a - 1 >= lo && (a - 1 < cue.tokStart || a - 1 >= cue.tokEnd)) {
        const q = pos[a - 1]!;
        if (q === POS.DET) {
          a--; // a determiner opens the phrase
          break;
        } else if (NP_INNER.has(q) || (q === POS.PART && norm[a - 1] === "'s")) a--;
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

/** A token next to a candidate: its word when a function word or punctuation, else its POS (hashed). */
function tokClass(doc: Doc, k: number, lo: number, hi: number): number {
  if (k < lo || k >= hi) return 1;
  const p = doc.tokens.pos[k]!;
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
    return murmur3(doc.tokens.norm[k]!, 29);
  return 2 + p;
}

/** Index of a feature: template number and up to four integer values, mixed and masked. */
function fx(mask: number, tpl: number, a = 0, b = 0, c = 0, d = 0): number {
  let h = Math.imul(tpl + 1, 0x9e3779b1);
  h = Math.imul(h ^ a, 0x01000193);
  h = Math.imul(h ^ b, 0x01000193);
  h = Math.imul(h ^ c, 0x01000193);
  h = Math.imul(h ^ d, 0x01000193);
  return fmix32(h) & mask;
}

const VOICE_ID = { active: 0, passive: 1, "by-agent": 2 } as const;

/** What is computed once per cue. */
interface CueInfo {
  cue: TokRange;
  voice: number;
  first: number;
  last: number;
  pos: number;
  inContent: number;
  lex: number;
}

function cueInfo(doc: Doc, cue: TokRange, contents: readonly CharRange[]): CueInfo {
  const { norm, pos, start } = doc.tokens;
  const lex = lexicon();
  let cueLex = 0;
  for (let k = cue.tokStart; k < cue.tokEnd; k++) {
    const w = norm[k]!;
    if (lex.cueVerbs.has(w)) cueLex = 2;
    else if (cueLex === 0 && lex.nounCues.has(w)) cueLex = 1;
  }
  const q0 = start[cue.tokStart]!;
  return {
    cue,
    voice: VOICE_ID[cueVoice(doc, { type: "cue", tokStart: cue.tokStart, tokEnd: cue.tokEnd })],
    first: murmur3(norm[cue.tokStart]!, 31),
    last: murmur3(norm[cue.tokEnd - 1]!, 37),
    pos: pos[cue.tokStart]!,
    inContent: contents.some((c) => q0 >= c.start && q0 < c.end) ? 1 : 0,
    lex: cueLex,
  };
}

/** Number of features per candidate. */
const N_FEATURES = 35;

/** Hashed features of one candidate for one cue (indices into 2^bits), written into `out`. */
function candidateFeatures(
  doc: Doc,
  q: CueInfo,
  cand: TokRange,
  rank: number,
  mask: number,
  contents: readonly CharRange[],
  out: Int32Array,
  clusters: CueClusters | null,
): void {
  const { pos, norm, sentence, start } = doc.tokens;
  const cue = q.cue;
  const sent = doc.sentences[sentence[cue.tokStart]!]!;
  const left = cand.tokEnd <= cue.tokStart;
  const side = left ? 1 : 2;
  const d = left ? cue.tokStart - cand.tokEnd : cand.tokStart - cue.tokEnd;
  const db = bucket(d);
  const head = cand.tokEnd - 1;
  const hp = pos[head]!;
  const hw = norm[head]!;
  const hwH = murmur3(hw, 41);
  const lex = lexicon();
  const hclass =
    hp === POS.PRON
      ? hwH
      : lex.personTitles.has(hw)
        ? 1
        : lex.orgWords.has(hw)
          ? 2
          : lex.anonymousHeads.has(hw)
            ? 3
            : hp === POS.PROPN
              ? 4
              : UPPER.test(doc.text[start[head]!] ?? "")
                ? 5
                : 6;
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
  const btw =
    Math.min(comma, 2) * 81 +
    Math.min(verb, 2) * 9 +
    Math.min(that, 1) * 4 +
    Math.min(quote, 1) * 2 +
    Math.min(paren, 1);
  const sentStart = cand.tokStart === sent.tokStart ? 1 : 0;
  const len = Math.min(cand.tokEnd - cand.tokStart, 4);
  const r = Math.min(rank, 3);
  const cs = start[cand.tokStart]!;
  const inContent = contents.some((c) => cs >= c.start && cs < c.end) ? 1 : 0;
  let n = 0;
  out[n++] = fx(mask, 0);
  out[n++] = fx(mask, 1, side, hwH);
  out[n++] = fx(mask, 2, side, inContent);
  out[n++] = fx(mask, 3, side, inContent, db);
  out[n++] = fx(mask, 4, q.inContent);
  out[n++] = fx(mask, 5, side, q.inContent, hclass);
  out[n++] = fx(mask, 6, side, q.lex);
  out[n++] = fx(mask, 7, side, q.lex, hclass, r);
  out[n++] = fx(mask, 8, side);
  out[n++] = fx(mask, 9, side, db);
  out[n++] = fx(mask, 10, side, r);
  out[n++] = fx(mask, 11, side, r, db);
  out[n++] = fx(mask, 12, hclass);
  out[n++] = fx(mask, 13, side, hclass);
  out[n++] = fx(mask, 14, side, hclass, db);
  out[n++] = fx(mask, 15, side, hclass, r);
  out[n++] = fx(mask, 16, before);
  out[n++] = fx(mask, 17, side, before);
  out[n++] = fx(mask, 18, side, before, q.voice);
  out[n++] = fx(mask, 19, after);
  out[n++] = fx(mask, 20, side, after);
  out[n++] = fx(mask, 21, side, before, after);
  out[n++] = fx(mask, 22, side, btw);
  out[n++] = fx(mask, 23, side, btw, db);
  out[n++] = fx(mask, 24, side, btw, hclass);
  out[n++] = fx(mask, 25, side, q.voice);
  out[n++] = fx(mask, 26, side, q.voice, db);
  out[n++] = fx(mask, 27, side, q.first);
  out[n++] = fx(mask, 28, side, q.last);
  out[n++] = fx(mask, 29, side, q.pos);
  out[n++] = fx(mask, 30, side, q.pos, hclass);
  out[n++] = fx(mask, 31, side, sentStart);
  out[n++] = fx(mask, 32, side, sentStart, hclass);
  out[n++] = fx(mask, 33, side, len);
  out[n++] = fx(mask, 34, side, len, hclass);
  if (clusters) {
    const ids = clusters.lookup.idsOf(clusters.lookup.key(hw));
    out[n++] = fx(mask, 35, side, ids ? ids[clusters.mid]! + 1 : 0);
    out[n++] = fx(mask, 36, side, clusters.cueMid, db);
    out[n++] = fx(mask, 37, side, clusters.cueFine, hclass);
  }
}

/** Cluster levels and the classes of the cue's last word, once per cue. */
interface CueClusters {
  lookup: ClusterSource;
  mid: number;
  cueMid: number;
  cueFine: number;
}

const levelCache = new WeakMap<ClusterSource, number[]>();

function cueClusters(doc: Doc, cue: TokRange, lookup: ClusterSource): CueClusters {
  let levels = levelCache.get(lookup);
  if (!levels) levelCache.set(lookup, (levels = clusterLevels(lookup)));
  const mid = levels[1] ?? levels[0] ?? 0;
  const fine = levels[2] ?? mid;
  const ids = lookup.idsOf(lookup.key(doc.tokens.norm[cue.tokEnd - 1]!));
  return { lookup, mid, cueMid: ids ? ids[mid]! + 1 : 0, cueFine: ids ? ids[fine]! + 1 : 0 };
}

const UPPER = /^\p{Lu}/u;

/** All candidates of one cue with their features (N_FEATURES indices each). */
export function cueCandidates(
  doc: Doc,
  cue: TokRange,
  bits: number,
  contents: readonly CharRange[] = [],
  clusters: ClusterSource | null = null,
): { cand: TokRange; features: Int32Array }[] {
  const cands = sourceCandidates(doc, cue);
  const q = cueInfo(doc, cue, contents);
  const cc = clusters ? cueClusters(doc, cue, clusters) : null;
  const mask = (1 << bits) - 1;
  // Rank = how many candidates lie between this one and the cue on its side.
  let nLeft = 0;
  for (const c of cands) if (c.tokEnd <= cue.tokStart) nLeft++;
  return cands.map((cand, i) => {
    const features = new Int32Array(N_FEATURES + (clusters ? 3 : 0));
    candidateFeatures(
      doc,
      q,
      cand,
      cand.tokEnd <= cue.tokStart ? nLeft - 1 - i : i - nLeft,
      mask,
      contents,
      features,
      cc,
    );
    return { cand, features };
  });
}

export class SourceAttacher {
  private readonly lr: LogisticRegression;

  constructor(
    readonly json: SourceAttachJSON,
    /** Word clusters, required by a model trained with them (`json.clusters`). */
    private readonly clusters: ClusterSource | null = null,
  ) {
    if (json.clusters && !clusters) throw new Error("this source-attachment model needs the word clusters");
    if (
      json.clusterFingerprint !== undefined &&
      clusters &&
      clusterFingerprint(clusters) !== json.clusterFingerprint
    )
      throw new Error(
        "source-attachment model: the word classes differ from those it was trained with: run `claimscope train attribution`",
      );
    this.lr = LogisticRegression.fromJSON(json.model);
  }

  /** The most probable candidate and its probability, or null when the sentence has none. */
  best(doc: Doc, cue: TokRange, contents: readonly CharRange[] = []): { source: TokRange; p: number } | null {
    let best: { source: TokRange; p: number } | null = null;
    const wc = this.json.clusters ? this.clusters : null;
    for (const { cand, features } of cueCandidates(doc, cue, this.json.bits, contents, wc)) {
      // = this.lr.positive(features with value 1), without allocating.
      let z = this.lr.bias[0]!;
      for (let j = 0; j < features.length; j++) z += this.lr.weights[features[j]!]!;
      const p = sigmoid(z);
      if (!best || p > best.p) best = { source: cand, p };
    }
    return best;
  }

  /** The source to attach to a cue without one, or null. */
  attach(doc: Doc, cue: TokRange, contents: readonly CharRange[] = []): TokRange | null {
    const b = this.best(doc, cue, contents);
    if (!b || b.p <= this.json.threshold) return null;
    // A time phrase never speaks ("hit back at the U.S. this morning"): no source rather than that one.
    return timePhrase(doc, b.source) ? null : b.source;
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
  clusters: ClusterSource | null = null,
): void {
  const contents = predicted.flatMap((r) => r.content);
  for (const r of predicted) {
    if (!r.cue || (r.source && r.source.length > 0)) continue;
    const cue = tokRangeOf(doc, r.cue);
    const g = gold.find((x) => x.cue?.some((c) => touches(c, r.cue!)));
    const src = g?.source ?? [];
    const group = ex.gold.length;
    ex.gold.push(src.length > 0);
    for (const { cand, features } of cueCandidates(doc, cue, bits, contents, clusters)) {
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
