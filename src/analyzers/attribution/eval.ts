// Scoring attribution relations against PolNeAR gold, per span type (exact and overlap) and per relation.
//
// Span normalisation (same on both sides): each fragment is trimmed of surrounding whitespace and
// punctuation (quotes, brackets, commas, periods, colons, semicolons, dashes, ? and !); empty fragments
// are dropped; fragments that touch or are separated only by such characters are merged.
// exact   = the normalised spans have the same extent (first start, last end);
// overlap = the spans share at least one character; predictions and gold are matched one-to-one, greedily
//           by the number of shared characters.
// attribution = a predicted relation matches a gold relation when cue, content and source all overlap
//           (a gold relation without a source matches only a prediction without one; likewise for cue/content).
import type { Claim } from "../../schema/analysis.js";
import { prf, type PRF } from "../../learn/metrics.js";
import type { CharSpan } from "./tagger/polnear.js";
import type { RawAttribution } from "./tagger/model.js";

export interface RelationSpans {
  source: CharSpan[] | null;
  cue: CharSpan[] | null;
  content: CharSpan[];
}

export interface SpanScores {
  exact: PRF;
  overlap: PRF;
}

export interface AttributionScores {
  task: "attribution";
  cue: SpanScores;
  source: SpanScores;
  content: SpanScores;
  attribution: PRF;
  counts: { docs: number; goldRelations: number; predRelations: number };
}

const TRIM = /[\s"'“”‘’«».,;:!?()[\]{}—–-]/;

/** Trims, drops empty fragments, sorts and merges fragments separated only by trim characters. */
export function normalizeFragments(text: string, frags: readonly CharSpan[] | null): CharSpan[] {
  if (!frags) return [];
  const trimmed: CharSpan[] = [];
  for (const f of frags) {
    let a = Math.max(0, f.start);
    let b = Math.min(text.length, f.end);
    while (a < b && TRIM.test(text[a]!)) a++;
    while (b > a && TRIM.test(text[b - 1]!)) b--;
    if (b > a) trimmed.push({ start: a, end: b });
  }
  trimmed.sort((x, y) => x.start - y.start || x.end - y.end);
  const out: CharSpan[] = [];
  for (const f of trimmed) {
    const last = out[out.length - 1];
    if (last) {
      let k = last.end;
      while (k < f.start && TRIM.test(text[k]!)) k++;
      if (k >= f.start) {
        last.end = Math.max(last.end, f.end);
        continue;
      }
    }
    out.push({ ...f });
  }
  return out;
}

function shared(a: readonly CharSpan[], b: readonly CharSpan[]): number {
  let s = 0;
  for (const x of a)
    for (const y of b) {
      const o = Math.min(x.end, y.end) - Math.max(x.start, y.start);
      if (o > 0) s += o;
    }
  return s;
}

function key(f: readonly CharSpan[]): string {
  return f.length ? `${f[0]!.start}:${f[f.length - 1]!.end}` : "";
}

/** Greedy one-to-one matching by descending score; returns the number of matched pairs. */
function greedyMatch(nG: number, nP: number, score: (g: number, p: number) => number): number {
  const pairs: [number, number, number][] = [];
  for (let g = 0; g < nG; g++)
    for (let p = 0; p < nP; p++) {
      const s = score(g, p);
      if (s > 0) pairs.push([s, g, p]);
    }
  pairs.sort((x, y) => y[0] - x[0] || x[1] - y[1] || x[2] - y[2]);
  const usedG = new Uint8Array(nG);
  const usedP = new Uint8Array(nP);
  let m = 0;
  for (const [, g, p] of pairs) {
    if (usedG[g] || usedP[p]) continue;
    usedG[g] = 1;
    usedP[p] = 1;
    m++;
  }
  return m;
}

function dedupe(items: CharSpan[][]): CharSpan[][] {
  const seen = new Set<string>();
  const out: CharSpan[][] = [];
  for (const f of items) {
    if (f.length === 0) continue;
    const k = f.map((x) => `${x.start}-${x.end}`).join(",");
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f);
  }
  return out;
}

interface Counts {
  exactTp: number;
  overlapTp: number;
  gold: number;
  pred: number;
}

type Role = "source" | "cue" | "content";

export class AttributionScorer {
  private readonly c: Record<Role, Counts> = {
    source: { exactTp: 0, overlapTp: 0, gold: 0, pred: 0 },
    cue: { exactTp: 0, overlapTp: 0, gold: 0, pred: 0 },
    content: { exactTp: 0, overlapTp: 0, gold: 0, pred: 0 },
  };
  private rel = { tp: 0, gold: 0, pred: 0 };
  private docs = 0;

  /** Adds one document's gold and predicted relations. */
  add(text: string, gold: readonly RelationSpans[], pred: readonly RelationSpans[]): void {
    this.docs++;
    const norm = (rs: readonly RelationSpans[]) =>
      rs.map((r) => ({
        source: normalizeFragments(text, r.source),
        cue: normalizeFragments(text, r.cue),
        content: normalizeFragments(text, r.content),
      }));
    const G = norm(gold);
    const P = norm(pred);
    for (const role of ["source", "cue", "content"] as const) {
      const g = dedupe(G.map((r) => r[role]));
      const p = dedupe(P.map((r) => r[role]));
      const c = this.c[role];
      c.gold += g.length;
      c.pred += p.length;
      const gk = new Set(g.map(key));
      const pk = new Set(p.map(key));
      for (const k of pk) if (gk.has(k)) c.exactTp++;
      c.overlapTp += greedyMatch(g.length, p.length, (i, j) => shared(g[i]!, p[j]!));
    }
    const G2 = G.filter((r) => r.cue.length || r.content.length);
    const P2 = P.filter((r) => r.cue.length || r.content.length);
    this.rel.gold += G2.length;
    this.rel.pred += P2.length;
    this.rel.tp += greedyMatch(G2.length, P2.length, (i, j) => {
      const g = G2[i]!;
      const p = P2[j]!;
      let total = 0;
      for (const role of ["source", "cue", "content"] as const) {
        if (g[role].length === 0 && p[role].length === 0) {
          total += 1;
          continue;
        }
        const s = shared(g[role], p[role]);
        if (s === 0) return 0;
        total += s;
      }
      return total;
    });
  }

  result(): AttributionScores {
    const span = (c: Counts): SpanScores => ({
      exact: prf(c.exactTp, c.pred - c.exactTp, c.gold - c.exactTp),
      overlap: prf(c.overlapTp, c.pred - c.overlapTp, c.gold - c.overlapTp),
    });
    return {
      task: "attribution",
      cue: span(this.c.cue),
      source: span(this.c.source),
      content: span(this.c.content),
      attribution: prf(this.rel.tp, this.rel.pred - this.rel.tp, this.rel.gold - this.rel.tp),
      counts: { docs: this.docs, goldRelations: this.rel.gold, predRelations: this.rel.pred },
    };
  }
}

/** The tagger's raw relations as scored spans. */
export function rawToSpans(r: RawAttribution): RelationSpans {
  return { source: r.source, cue: r.cue ? [r.cue] : null, content: r.content };
}

/**
 * Claim kinds that are not PolNeAR attributions: the author's own claims. Headline claims are scored (they
 * carry a speaker and a cue, "Pence: …", "Obama Says …", and PolNeAR annotates attributions in headlines).
 */
export const NON_ATTRIBUTION_KINDS: ReadonlySet<string> = new Set(["unattributed"]);

/** A stage claim as scored spans: speaker {start,end} = source, cue = cue, content.parts (or content) = content. */
export function claimToSpans(c: Claim): RelationSpans {
  const sp = c.speaker;
  return {
    source: sp && sp.start !== undefined && sp.end !== undefined ? [{ start: sp.start, end: sp.end }] : null,
    cue: c.cue ? [{ start: c.cue.start, end: c.cue.end }] : null,
    content: c.content.parts?.length ? c.content.parts : [{ start: c.content.start, end: c.content.end }],
  };
}

/** Rounds every number of a score object to 4 decimals (stable JSON for the card). */
export function round4<T>(x: T): T {
  return JSON.parse(
    JSON.stringify(x, (_k, v) => (typeof v === "number" ? Math.round(v * 1e4) / 1e4 : v)),
  ) as T;
}
