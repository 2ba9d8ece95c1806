// Training and evaluation of the credibility model on FakeNewsNet (text only: title + body; no URL, domain or author).
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { Doc } from "../../doc/doc.js";
import type { LayerName } from "../../doc/layers.js";
import { murmur3, type SparseVector } from "../../learn/hashing.js";
import { LogisticRegression } from "../../learn/logistic.js";
import { PlattScaler } from "../../learn/calibration.js";
import { ece, rocAuc, prf } from "../../learn/metrics.js";
import { inFold } from "../../learn/rng.js";
import { createPipeline, STAGE_NAMES, type StageName } from "../../pipeline/pipeline.js";
import type { Stage, StageContext } from "../../pipeline/stage.js";
import { UserError } from "../../util/errors.js";
import { DIRECTION, FEATURES } from "./signals.js";
import {
  CredibilityModel,
  TEXT_BITS,
  combinerInput,
  textHashes,
  textVector,
  type CredibilityModelJSON,
} from "./model.js";
import { signals } from "./signals.js";

export interface Article {
  id: string;
  title: string;
  text: string;
  /** 1 = labelled real (credible), 0 = labelled fake. */
  label: number;
  domain: string;
}

export function loadArticles(files: readonly string[]): Article[] {
  const out: Article[] = [];
  for (const f of files) {
    if (!existsSync(f)) throw new UserError(`file not found: ${f}`);
    const domain = basename(f).replace(/_news\.jsonl$|\.jsonl$/, "");
    for (const line of readFileSync(f, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as { id?: string; label?: string; title?: string; text?: string };
      const title = (r.title ?? "").trim();
      const text = (r.text ?? "").trim();
      if (!title && !text) continue;
      if (r.label !== "fake" && r.label !== "real")
        throw new UserError(`${f}: label must be "fake" or "real", got "${r.label}"`);
      out.push({
        id: String(r.id ?? murmur3(title + text)),
        title,
        text,
        label: r.label === "real" ? 1 : 0,
        domain,
      });
    }
  }
  return out;
}

/** The held-apart fifth (dev) and, inside the rest, the calibration fifth. */
export const isDev = (a: Article) => inFold(a.id, 0.2, "credibility-dev");
export const isCal = (a: Article) => inFold(a.id, 0.2, "credibility-cal");

/** Training texts are cut at this length (at a paragraph break) to keep the NLP pass over 17k articles short. */
const MAX_TRAIN_CHARS = 8000;

export function clip(text: string, max = MAX_TRAIN_CHARS): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf("\n", max);
  return text.slice(0, cut > max / 2 ? cut : max);
}

/** The upstream stages (everything before credibility) that load; missing models are skipped, not fatal. */
export async function upstreamStages(log: (m: string) => void): Promise<Stage[]> {
  const names = STAGE_NAMES.filter((n) => n !== "credibility");
  try {
    return [...(await createPipeline({ stages: names })).stages];
  } catch {
    // Some stage does not load: add them one by one, keeping those that load with the ones before them.
  }
  const ok: StageName[] = [];
  let stages: Stage[] = [];
  for (const n of names) {
    try {
      stages = [...(await createPipeline({ stages: [...ok, n] })).stages];
      ok.push(n);
    } catch (err) {
      log(
        `credibility: stage ${n} unavailable (${err instanceof Error ? err.message.split("\n")[0] : String(err)})`,
      );
    }
  }
  return stages;
}

/** Runs the upstream stages over a Doc; a stage that throws leaves its layer missing (counted in `errors`). */
export function runStages(doc: Doc, stages: readonly Stage[], errors: Map<string, number>): Doc {
  const ctx: StageContext = { options: {} };
  for (const st of stages) {
    try {
      (doc.layers as Record<LayerName, unknown>)[st.adds] = st.run(doc, ctx);
    } catch {
      errors.set(st.name, (errors.get(st.name) ?? 0) + 1);
    }
  }
  return doc;
}

export interface Featurized {
  id: string;
  domain: string;
  text: SparseVector;
  values: Float64Array;
  label: number;
}

export function featurize(
  articles: readonly Article[],
  stages: readonly Stage[],
  log: (m: string) => void,
): Featurized[] {
  const errors = new Map<string, number>();
  const out: Featurized[] = [];
  const t0 = performance.now();
  for (let i = 0; i < articles.length; i++) {
    const a = articles[i]!;
    const doc = runStages(Doc.create({ title: a.title, text: clip(a.text), id: a.id }), stages, errors);
    const sig = signals(doc);
    out.push({
      id: a.id,
      domain: a.domain,
      text: textVector(textHashes(doc)),
      values: sig.values,
      label: a.label,
    });
    if ((i + 1) % 2000 === 0)
      log(
        `credibility: ${i + 1}/${articles.length} articles (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      );
  }
  for (const [n, c] of errors) log(`credibility: stage ${n} failed on ${c} articles (layer left empty)`);
  return out;
}

/** Training settings (exported so experiments can vary them; the shipped model uses these values). */
export const CREDIBILITY_CONFIG = {
  text: { epochs: 25, learningRate: 0.05, l2: 1e-6, seed: 5 },
  combiner: { epochs: 30, learningRate: 0.1, l2: 1e-4, seed: 9 },
  /** Each domain weighs at least this fraction of the largest one. */
  balance: 0.5,
};
const FOLDS = 5;

export function trainCredibility(
  articles: readonly Article[],
  stages: readonly Stage[],
  log: (m: string) => void,
): { json: CredibilityModelJSON; stats: Record<string, unknown> } {
  const pool = articles.filter((a) => !isDev(a));
  const fitA = pool.filter((a) => !isCal(a));
  const calA = pool.filter((a) => isCal(a));
  log(
    `credibility: ${fitA.length} fit + ${calA.length} calibration articles (dev fifth held apart); stages: ${stages.map((s) => s.name).join(", ") || "none"}`,
  );
  const fit = featurize(fitA, stages, log);
  const cal = featurize(calA, stages, log);
  return trainFromFeatures(
    fit,
    cal,
    stages.map((s) => s.name),
  );
}

/**
 * Each domain (source file) is repeated so that it weighs at least half as much as the largest one: PolitiFact
 * (768 articles) would otherwise be drowned by GossipCop (17,084) and its wording never learnt.
 */
export function balanceDomains<T extends { domain: string }>(items: readonly T[]): T[] {
  const count = new Map<string, number>();
  for (const it of items) count.set(it.domain, (count.get(it.domain) ?? 0) + 1);
  const max = Math.max(0, ...count.values());
  const out: T[] = [];
  for (const it of items) {
    const rep = Math.max(1, Math.round((CREDIBILITY_CONFIG.balance * max) / count.get(it.domain)!));
    for (let r = 0; r < rep; r++) out.push(it);
  }
  return out;
}

export function trainFromFeatures(
  fit0: Featurized[],
  cal0: Featurized[],
  stageNames: string[],
): { json: CredibilityModelJSON; stats: Record<string, unknown> } {
  const fit = fit0.map((f) => ({ ...f, values: Float64Array.from(f.values) }));
  const cal = cal0.map((f) => ({ ...f, values: Float64Array.from(f.values) }));
  const dim = 1 << TEXT_BITS;
  // Out-of-fold text-model scores for the combiner.
  const fold = fit.map((a) => murmur3(a.id, 3) % FOLDS);
  const oof = new Float64Array(fit.length);
  for (let k = 0; k < FOLDS; k++) {
    const tr = balanceDomains(fit.filter((_, i) => fold[i] !== k));
    const lr = LogisticRegression.train(
      tr.map((f) => f.text),
      tr.map((f) => f.label),
      dim,
      2,
      CREDIBILITY_CONFIG.text,
    );
    for (let i = 0; i < fit.length; i++) if (fold[i] === k) oof[i] = lr.scores(fit[i]!.text)[0]!;
  }
  const fitB = balanceDomains(fit);
  const text = LogisticRegression.train(
    fitB.map((f) => f.text),
    fitB.map((f) => f.label),
    dim,
    2,
    CREDIBILITY_CONFIG.text,
  );
  for (let i = 0; i < fit.length; i++) fit[i]!.values[0] = oof[i]!;
  for (const c of cal) c.values[0] = text.scores(c.text)[0]!;
  const nF = FEATURES.length;
  const mean = new Array<number>(nF).fill(0);
  const std = new Array<number>(nF).fill(0);
  for (const f of fit) for (let j = 0; j < nF; j++) mean[j]! += f.values[j]! / fit.length;
  for (const f of fit) for (let j = 0; j < nF; j++) std[j]! += (f.values[j]! - mean[j]!) ** 2 / fit.length;
  for (let j = 0; j < nF; j++) std[j] = Math.sqrt(std[j]!) || 1;
  // Sign-constrained combiner: a signal whose learnt weight contradicts its documented direction (e.g. more
  // anonymous sourcing raising credibility) is dropped and the combiner refitted, so every explanation reads
  // the way the signal is defined. Dropped features keep weight 0.
  const fitBV = balanceDomains(fit);
  const dropped = new Set<number>();
  let combiner!: LogisticRegression;
  for (let round = 0; round < nF; round++) {
    combiner = LogisticRegression.train(
      fitBV.map((f) => {
        const x = combinerInput(f.values, mean, std);
        for (const j of dropped) x.val[j] = 0;
        return x;
      }),
      fitBV.map((f) => f.label),
      nF,
      2,
      CREDIBILITY_CONFIG.combiner,
    );
    const wrong = FEATURES.map((_, j) => j).filter(
      (j) => !dropped.has(j) && DIRECTION[FEATURES[j]!] * combiner.weights[j]! < 0,
    );
    if (wrong.length === 0) break;
    for (const j of wrong) dropped.add(j);
  }
  for (const j of dropped) combiner.weights[j] = 0;
  const calB = balanceDomains(cal);
  const calZ = calB.map((c) => combiner.scores(combinerInput(c.values, mean, std))[0]!);
  const platt = PlattScaler.fit(
    calZ,
    calB.map((c) => c.label),
  );
  const json: CredibilityModelJSON = {
    kind: "credibility",
    version: 1,
    text: text.toJSON(),
    features: [...FEATURES],
    mean,
    std,
    combiner: combiner.toJSON(),
    platt: { a: platt.a, b: platt.b },
    stages: stageNames,
  };
  const r4 = (x: number) => Math.round(x * 10000) / 10000;
  const calP = calZ.map((z) => platt.apply(z));
  const stats = {
    fit: fit.length,
    calibration: cal.length,
    oofTextRocAuc: r4(
      rocAuc(
        oof,
        fit.map((f) => f.label),
      ),
    ),
    calibrationRocAuc: r4(
      rocAuc(
        calP,
        calB.map((c) => c.label),
      ),
    ),
    dropped: [...dropped].map((j) => FEATURES[j]),
    weights: Object.fromEntries(FEATURES.map((f, j) => [f, r4(combiner.weights[j]!)])),
    stages: json.stages,
  };
  return { json, stats };
}

export type CredibilityEval = {
  task: "credibility";
  rocAuc: number;
  f1: number;
  ece: number;
  n: number;
  accuracy: number;
  lowCredibilityF1: number;
};

export function evalCredibility(
  model: CredibilityModel,
  articles: readonly Article[],
  stages: readonly Stage[],
  log: (m: string) => void,
): CredibilityEval {
  const errors = new Map<string, number>();
  const probs: number[] = [];
  const labels: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < articles.length; i++) {
    const a = articles[i]!;
    const doc = runStages(Doc.create({ title: a.title, text: a.text, id: a.id }), stages, errors);
    probs.push(model.probability(model.signals(doc).sig.values));
    labels.push(a.label);
    if ((i + 1) % 1000 === 0)
      log(`credibility: ${i + 1}/${articles.length} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  for (const [n, c] of errors) log(`credibility: stage ${n} failed on ${c} articles (layer left empty)`);
  let tp = 0,
    fp = 0,
    fn = 0,
    tpL = 0,
    fpL = 0,
    fnL = 0,
    correct = 0;
  for (let i = 0; i < probs.length; i++) {
    const pred = probs[i]! >= 0.5 ? 1 : 0;
    const g = labels[i]!;
    if (pred === g) correct++;
    if (pred === 1 && g === 1) tp++;
    if (pred === 1 && g === 0) fp++;
    if (pred === 0 && g === 1) fn++;
    if (pred === 0 && g === 0) tpL++;
    if (pred === 0 && g === 1) fpL++;
    if (pred === 1 && g === 0) fnL++;
  }
  const r4 = (x: number) => Math.round(x * 10000) / 10000;
  return {
    task: "credibility",
    rocAuc: r4(rocAuc(probs, labels)),
    f1: r4(prf(tp, fp, fn).f1),
    ece: r4(ece(probs, labels, 10)),
    n: probs.length,
    accuracy: r4(probs.length ? correct / probs.length : 0),
    lowCredibilityF1: r4(prf(tpL, fpL, fnL).f1),
  };
}
