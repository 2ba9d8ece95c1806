// SemEval-2020 Task 11 measures. SI: span identification with partial credit for character overlap
// (Da San Martino et al. 2019), gold and predicted spans merged where they overlap, techniques ignored.
import { mergeSpans } from "./ptc.js";

export interface SiCounts {
  /** Sum over predicted spans of overlap share (numerator of precision). */
  pNum: number;
  /** Sum over gold spans of overlap share (numerator of recall). */
  rNum: number;
  pred: number;
  gold: number;
}

export function emptySi(): SiCounts {
  return { pNum: 0, rNum: 0, pred: 0, gold: 0 };
}

/** Adds one article's SI contribution to `acc`. */
export function addSi(
  acc: SiCounts,
  predicted: readonly { start: number; end: number }[],
  gold: readonly { start: number; end: number }[],
): SiCounts {
  const P = mergeSpans(predicted);
  const G = mergeSpans(gold);
  for (const s of P) {
    for (const t of G) {
      const inter = Math.min(s.end, t.end) - Math.max(s.start, t.start);
      if (inter <= 0) continue;
      acc.pNum += inter / (s.end - s.start);
      acc.rNum += inter / (t.end - t.start);
    }
  }
  acc.pred += P.length;
  acc.gold += G.length;
  return acc;
}

export function siScore(acc: SiCounts): { p: number; r: number; f1: number } {
  const p = acc.pred ? acc.pNum / acc.pred : 0;
  const r = acc.gold ? acc.rNum / acc.gold : 0;
  return { p, r, f1: p + r > 0 ? (2 * p * r) / (p + r) : 0 };
}
