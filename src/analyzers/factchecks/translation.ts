// A lexical translation model between fact-check words and the words people use when they repeat a claim
// (IBM Model 1, t(query word | fact-check word)), learned from parallel text: each verified claim and its title
// (both directions: a title restates its claim in other words) and each train tweet with its gold fact-check.
// Used as one re-ranker feature, the translation language-model score of the query given a candidate
// (Berger & Lafferty 1999): it bridges paraphrase ("mum" -> "mother", "kids" -> "children") without embeddings.

/** Parallel pair: the source words (a fact-check) and the target words (its restatement). */
export interface TranslationPair {
  src: readonly string[];
  tgt: readonly string[];
}

/** A pruned translation table in CSR form: row s = the targets of source word vocab[s]. */
export interface TranslationJSON {
  kind: "translation-model1";
  vocab: string[];
  offsets: Int32Array;
  targets: Int32Array;
  probs: Float32Array;
}

/** Self-translation mass mixed into every row: a word always explains itself, known to the table or not. */
const SELF = 0.3;
/** Collection-probability multiplier of the score's smoothing (log(1 + p(w|D) / (SMOOTH * p(w|C)))). */
const SMOOTH = 0.1;

/**
 * IBM Model 1 trained with EM (uniform start over co-occurring pairs, a NULL source word), pruned to the
 * probabilities >= minProb. Deterministic: pairs are visited in order, no randomness.
 */
export function trainModel1(
  pairs: readonly TranslationPair[],
  iterations = 5,
  minProb = 0.01,
): TranslationJSON {
  const ids = new Map<string, number>();
  const vocab: string[] = ["\u0000"]; // id 0 = NULL
  const id = (w: string): number => {
    let i = ids.get(w);
    if (i === undefined) {
      i = vocab.length;
      ids.set(w, i);
      vocab.push(w);
    }
    return i;
  };
  const src = pairs.map((p) => Int32Array.from([0, ...p.src.map(id)]));
  const tgt = pairs.map((p) => Int32Array.from(p.tgt.map(id)));
  const V = vocab.length;
  // t(w | s) keyed s * V + w; start uniform over the targets co-occurring with s.
  let t = new Map<number, number>();
  const rowSize = new Map<number, number>();
  for (let k = 0; k < pairs.length; k++)
    for (const s of new Set(src[k]))
      for (const w of tgt[k]!) {
        const key = s * V + w;
        if (!t.has(key)) {
          t.set(key, 1);
          rowSize.set(s, (rowSize.get(s) ?? 0) + 1);
        }
      }
  for (const [key] of t) t.set(key, 1 / rowSize.get(Math.floor(key / V))!);
  for (let it = 0; it < iterations; it++) {
    const count = new Map<number, number>();
    const total = new Float64Array(V);
    for (let k = 0; k < pairs.length; k++) {
      const S = src[k]!;
      for (const w of tgt[k]!) {
        let z = 0;
        for (const s of S) z += t.get(s * V + w)!;
        for (const s of S) {
          const c = t.get(s * V + w)! / z;
          count.set(s * V + w, (count.get(s * V + w) ?? 0) + c);
          total[s] += c;
        }
      }
    }
    for (const [key, c] of count) count.set(key, c / total[Math.floor(key / V)]!);
    t = count;
  }
  // CSR over the real words (NULL dropped), rows sorted by target id.
  const rows: [number, number][][] = Array.from({ length: V }, () => []);
  for (const [key, p] of t) {
    const s = Math.floor(key / V);
    if (s > 0 && p >= minProb) rows[s]!.push([key % V, p]);
  }
  const offsets = new Int32Array(V + 1);
  for (let s = 0; s < V; s++) offsets[s + 1] = offsets[s]! + rows[s]!.length;
  const targets = new Int32Array(offsets[V]!);
  const probs = new Float32Array(offsets[V]!);
  for (let s = 0; s < V; s++) {
    rows[s]!.sort((a, b) => a[0] - b[0]);
    rows[s]!.forEach(([w, p], j) => {
      targets[offsets[s]! + j] = w;
      probs[offsets[s]! + j] = p;
    });
  }
  return { kind: "translation-model1", vocab, offsets, targets, probs };
}

/** The translation table ready for scoring. */
export class TranslationModel {
  private readonly ids = new Map<string, number>();

  constructor(readonly json: TranslationJSON) {
    json.vocab.forEach((w, i) => this.ids.set(w, i));
  }

  /**
   * Mean over the distinct query words w the collection knows of log(1 + p(w|D) / (0.1 p(w|C))), / 10, where
   * p(w|D) = sum over the document's words s of t'(w|s) / |D| and t'(w|s) = 0.3 [w = s] + 0.7 t(w|s).
   * `collection(w)` is p(w|C) (0 = unknown word, skipped).
   */
  score(query: readonly string[], doc: readonly string[], collection: (w: string) => number): number {
    if (doc.length === 0) return 0;
    const { offsets, targets, probs } = this.json;
    // Query words -> (vocab id or -1, accumulated p(w|D)).
    const qs: string[] = [];
    const qid: number[] = [];
    for (const w of new Set(query)) {
      if (collection(w) <= 0) continue;
      qs.push(w);
      qid.push(this.ids.get(w) ?? -1);
    }
    if (qs.length === 0) return 0;
    const p = new Float64Array(qs.length);
    for (const s of doc) {
      const sid = this.ids.get(s);
      for (let j = 0; j < qs.length; j++) {
        let v = 0;
        const w = qid[j]!;
        if (sid !== undefined && w >= 0) {
          // Binary search of w in row sid.
          let lo = offsets[sid]!;
          let hi = offsets[sid + 1]! - 1;
          while (lo <= hi) {
            const mid = (lo + hi) >> 1;
            const m = targets[mid]!;
            if (m === w) {
              v = probs[mid]!;
              break;
            }
            if (m < w) lo = mid + 1;
            else hi = mid - 1;
          }
        }
        p[j]! += (1 - SELF) * v + (qs[j] === s ? SELF : 0);
      }
    }
    let sum = 0;
    for (let j = 0; j < qs.length; j++)
      sum += Math.log(1 + p[j]! / doc.length / (SMOOTH * collection(qs[j]!)));
    return sum / qs.length / 10;
  }
}
