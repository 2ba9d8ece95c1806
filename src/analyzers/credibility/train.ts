// Training and evaluation of the credibility model on FakeNewsNet (text only: title + body; no URL, domain or author).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { Doc } from "../../doc/doc.js";
import { murmur3, type SparseVector } from "../../learn/hashing.js";
import { GradientBoostedTrees } from "../../learn/gbdt.js";
import { LogisticRegression } from "../../learn/logistic.js";
import { PlattScaler } from "../../learn/calibration.js";
import { ece, rocAuc, prf } from "../../learn/metrics.js";
import { inFold } from "../../learn/rng.js";
import { createPipeline, STAGE_NAMES, type StageName } from "../../pipeline/pipeline.js";
import { applyStage, type Stage, type StageContext } from "../../pipeline/stage.js";
import { UserError } from "../../util/errors.js";
import { DIRECTION, FEATURES } from "./signals.js";
import {
  bodyWords,
  CredibilityModel,
  MIN_BODY_WORDS,
  TEXT_BITS,
  TEXT_DIM,
  combinerInput,
  expertFeature,
  gatedFeature,
  textHashes,
  textVector,
  TITLE_FEATURE,
  titleGatedFeature,
  titleVector,
  wordVector,
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
  /**
   * Publishing site (host of the article's URL, see siteOf): used only to group articles into cross-fitting
   * folds, never as a feature.
   */
  site: string;
}

/**
 * The publishing site of a URL: its host, lower-cased, without "www."; for a web.archive.org snapshot, the site
 * of the archived URL. "" when there is no usable URL. Only for grouping articles into folds (so that the
 * out-of-fold scores the combiner and the calibration learn from come from sites the text models never saw);
 * the issue forbids URL or domain features.
 */
export function siteOf(url: string | undefined): string {
  let u = (url ?? "").trim();
  for (let depth = 0; depth < 3 && u; depth++) {
    const m = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#:]+)(?::\d+)?([^?#]*)/i.exec(
      /^[a-z][a-z0-9+.-]*:\/\//i.test(u) ? u : "//" + u,
    );
    if (!m) return "";
    const host = m[1]!
      .toLowerCase()
      .replace(/^www\d*\./, "")
      .replace(/\.$/, "");
    const archived = /(?:^|\.)archive\.org$/.test(host) ? /^\/web\/[^/]*\/(.+)$/.exec(m[2]!) : null;
    if (!archived) return host;
    u = archived[1]!.replace(/^(https?):\/(?!\/)/i, "$1://");
  }
  return "";
}

export function loadArticles(files: readonly string[]): Article[] {
  const out: Article[] = [];
  for (const f of files) {
    if (!existsSync(f)) throw new UserError(`file not found: ${f}`);
    const domain = basename(f).replace(/_news\.jsonl$|\.jsonl$/, "");
    for (const line of readFileSync(f, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as {
        id?: string;
        label?: string;
        title?: string;
        text?: string;
        url?: string;
      };
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
        site: siteOf(r.url),
      });
    }
  }
  return out;
}

/** The held-apart fifth (dev), never used in training. */
export const isDev = (a: Article) => inFold(a.id, 0.2, "credibility-dev");

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
      applyStage(doc, st, ctx);
    } catch {
      errors.set(st.name, (errors.get(st.name) ?? 0) + 1);
    }
  }
  return doc;
}

export interface Featurized {
  id: string;
  domain: string;
  /** Publishing site (fold grouping only, never a feature); missing or "": the article is its own group. */
  site?: string;
  /** Word and character n-grams (the text models' input). */
  text: SparseVector;
  /** Word n-grams only (the collection model's input); defaults to `text`. */
  words?: SparseVector;
  /** The headline's n-grams (titleVector: the headline model's input); absent in caches written before round 10. */
  title?: SparseVector;
  /** Fewer than MIN_BODY_WORDS words of body (the stage gives no score); for the per-group training report only. */
  short?: boolean;
  values: Float64Array;
  label: number;
}

function vectors(hashes: ReturnType<typeof textHashes>): { text: SparseVector; words: SparseVector } {
  const words = wordVector(hashes);
  return { text: textVector(hashes, words), words };
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
    const hashes = textHashes(doc);
    out.push({
      id: a.id,
      domain: a.domain,
      site: a.site,
      ...vectors(hashes),
      title: titleVector(doc, hashes),
      short: bodyWords(doc, MIN_BODY_WORDS) < MIN_BODY_WORDS,
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
  /** Each domain weighs at least this fraction of the largest one (text model, combiner and calibration). */
  balance: 0.5,
  /** One text model per training collection besides the pooled one (when trained on several). */
  experts: true,
  /**
   * Gradient-boosted trees blended into the combiner (only when trained on several collections: on one
   * collection they lost out-of-fold and across sites, see the model card, round 7); null = logistic only.
   */
  trees: {
    trees: 200,
    learningRate: 0.05,
    maxDepth: 3,
    minLeaf: 50,
    rowSample: 0.8,
    colSample: 0.8,
    seed: 7,
  } as {
    trees: number;
    learningRate: number;
    maxDepth: number;
    minLeaf: number;
    rowSample: number;
    colSample: number;
    seed: number;
  } | null,
  /** Share of the trees in the blend of the two standardised combiner scores. */
  treeShare: 0.5,
  /**
   * Cross-fitting folds grouped by publishing site (an article's site in one fold only), for the text models'
   * out-of-fold logits and for the combiner's out-of-fold scores the calibration is fitted on; false = folds by
   * article id. Articles without a site are their own group.
   */
  siteFolds: false,
  /**
   * Headline model (round 10; only when trained on several collections and every article has its headline
   * vector): a pooled text model over the headline alone, its out-of-fold logit a combiner input ("text.title",
   * held to raise credibility with its logit like the pooled model), and that logit times the probability of each
   * collection in `gates` (free), as the experts are gated. null = no headline model (the round-9 recipe).
   */
  title: { gates: ["gossipcop"] } as { gates: string[] } | null,
};
const FOLDS = 5;

export function trainCredibility(
  articles: readonly Article[],
  stages: readonly Stage[],
  log: (m: string) => void,
  featuresCache?: string,
): { json: CredibilityModelJSON; stats: Record<string, unknown> } {
  const pool = articles.filter((a) => !isDev(a));
  const names = stages.map((s) => s.name);
  log(
    `credibility: ${pool.length} training articles (dev fifth held apart); stages: ${names.join(", ") || "none"}`,
  );
  let items: Featurized[];
  if (featuresCache && existsSync(featuresCache)) {
    const c = loadFeatures(featuresCache);
    if (c.items.length !== pool.length || c.items.some((f, i) => f.id !== pool[i]!.id))
      throw new UserError(
        `${featuresCache} caches other articles: delete it or give another --features-cache`,
      );
    if (c.stages.join(",") !== names.join(","))
      throw new UserError(
        `${featuresCache} was built with stages ${c.stages.join(", ")}, not ${names.join(", ")}`,
      );
    log(
      `credibility: features read from ${featuresCache} (built ${c.created}; stale if upstream models changed)`,
    );
    items = c.items;
  } else {
    items = featurize(pool, stages, log);
    if (featuresCache) {
      saveFeatures(featuresCache, items, names);
      log(`credibility: features cached in ${featuresCache}`);
    }
  }
  return trainFromFeatures(items, names);
}

/**
 * For experiments only (`train credibility --features-cache <file>`): the featurized training articles in one
 * binary file — a little-endian uint32 header length, a JSON header (ids, domains, labels, signal values,
 * vector lengths, stage names) and the text and word vectors' indices (int32) and values (float32), so a
 * retraining with other settings skips the NLP and upstream pass. The vectors are stored exactly, so training
 * from the cache gives the same model as featurizing again with the same upstream models; after an upstream
 * model changes the cache is stale (the shipped recipe never uses one).
 */
export function saveFeatures(path: string, items: readonly Featurized[], stages: readonly string[]): void {
  // Two vectors per item (text, words), or three when every item has its headline vector.
  const per = items.length > 0 && items.every((f) => f.title) ? 3 : 2;
  const vecs = items.flatMap((f) =>
    per === 3 ? [f.text, f.words ?? f.text, f.title!] : [f.text, f.words ?? f.text],
  );
  const header = Buffer.from(
    JSON.stringify({
      version: 1,
      created: new Date().toISOString(),
      stages,
      ids: items.map((f) => f.id),
      domains: items.map((f) => f.domain),
      sites: items.map((f) => f.site ?? ""),
      ...(items.every((f) => f.short !== undefined) && { short: items.map((f) => (f.short ? 1 : 0)) }),
      labels: items.map((f) => f.label),
      values: items.map((f) => Array.from(f.values)),
      lengths: vecs.map((v) => v.idx.length),
      perItem: per,
    }),
  );
  const total = vecs.reduce((n, v) => n + v.idx.length, 0);
  const idx = new Int32Array(total);
  const val = new Float32Array(total);
  let k = 0;
  for (const v of vecs) {
    idx.set(v.idx, k);
    val.set(v.val, k);
    k += v.idx.length;
  }
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Buffer.concat([len, header, Buffer.from(idx.buffer), Buffer.from(val.buffer)]));
}

export function loadFeatures(path: string): { items: Featurized[]; stages: string[]; created: string } {
  const buf = readFileSync(path);
  const hl = buf.readUInt32LE(0);
  const h = JSON.parse(buf.subarray(4, 4 + hl).toString("utf8")) as {
    version: number;
    created: string;
    stages: string[];
    ids: string[];
    domains: string[];
    /** Absent in caches written before round 8. */
    sites?: string[];
    /** Absent in caches written before round 10. */
    short?: number[];
    labels: number[];
    values: number[][];
    lengths: number[];
    /** Vectors per item: 2 (text, words; caches before round 10) or 3 (text, words, title). */
    perItem?: number;
  };
  if (h.version !== 1) throw new UserError(`${path}: not a credibility features cache`);
  const total = h.lengths.reduce((n, x) => n + x, 0);
  // Copy into fresh buffers: the file's bytes after the header need not be 4-byte aligned.
  const body = buf.subarray(4 + hl);
  const idx = new Int32Array(total);
  const val = new Float32Array(total);
  new Uint8Array(idx.buffer).set(body.subarray(0, 4 * total));
  new Uint8Array(val.buffer).set(body.subarray(4 * total, 8 * total));
  let k = 0;
  const next = (n: number): SparseVector => {
    const v = { idx: idx.slice(k, k + n), val: val.slice(k, k + n) };
    k += n;
    return v;
  };
  const per = h.perItem ?? 2;
  const items = h.ids.map((id, i) => ({
    id,
    domain: h.domains[i]!,
    ...(h.sites && { site: h.sites[i]! }),
    ...(h.short && { short: h.short[i] === 1 }),
    label: h.labels[i]!,
    values: Float64Array.from(h.values[i]!),
    text: next(h.lengths[per * i]!),
    words: next(h.lengths[per * i + 1]!),
    ...(per === 3 && { title: next(h.lengths[per * i + 2]!) }),
  }));
  return { items, stages: h.stages, created: h.created };
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

/** A text model: the pooled one (domain null, domains balanced) or one collection's expert. */
function fitText(items: readonly Featurized[], domain: string | null): LogisticRegression {
  const tr = domain === null ? balanceDomains(items) : items.filter((f) => f.domain === domain);
  return LogisticRegression.train(
    tr.map((f) => f.text),
    tr.map((f) => f.label),
    TEXT_DIM,
    2,
    CREDIBILITY_CONFIG.text,
  );
}

/** The headline model: the headline vectors of all collections, balanced as for the pooled text model. */
function fitTitle(items: readonly Featurized[]): LogisticRegression {
  const tr = balanceDomains(items);
  return LogisticRegression.train(
    tr.map((f) => f.title!),
    tr.map((f) => f.label),
    TEXT_DIM,
    2,
    CREDIBILITY_CONFIG.text,
  );
}

/** Which collection an article reads like, from its word n-grams (collections balanced as in training). */
function fitDomain(items: readonly Featurized[], domains: readonly string[]): LogisticRegression {
  const tr = balanceDomains(items);
  return LogisticRegression.train(
    tr.map((f) => f.words ?? f.text),
    tr.map((f) => domains.indexOf(f.domain)),
    1 << TEXT_BITS,
    domains.length,
    CREDIBILITY_CONFIG.text,
  );
}

interface Row {
  id: string;
  domain: string;
  label: number;
  /** Combiner input (raw, before standardisation). */
  x: Float64Array;
}

interface Combiner {
  model: LogisticRegression;
  mean: number[];
  std: number[];
  dropped: Set<number>;
}

/**
 * Sign-constrained combiner: a signal whose learnt weight contradicts its documented direction (e.g. more
 * anonymous sourcing raising credibility) is dropped and the combiner refitted, so every explanation reads the
 * way the signal is defined. Dropped features keep weight 0; inputs with direction 0 are not constrained.
 */
function fitCombiner(rows: readonly Row[], direction: readonly number[]): Combiner {
  const n = direction.length;
  const mean = new Array<number>(n).fill(0);
  const std = new Array<number>(n).fill(0);
  for (const r of rows) for (let j = 0; j < n; j++) mean[j]! += r.x[j]! / rows.length;
  for (const r of rows) for (let j = 0; j < n; j++) std[j]! += (r.x[j]! - mean[j]!) ** 2 / rows.length;
  for (let j = 0; j < n; j++) std[j] = Math.sqrt(std[j]!) || 1;
  const bal = balanceDomains(rows);
  const inputs = bal.map((r) => combinerInput(r.x, mean, std));
  const dropped = new Set<number>();
  let model!: LogisticRegression;
  for (let round = 0; round < n; round++) {
    for (const x of inputs) for (const j of dropped) x.val[j] = 0;
    model = LogisticRegression.train(
      inputs,
      bal.map((r) => r.label),
      n,
      2,
      CREDIBILITY_CONFIG.combiner,
    );
    const wrong: number[] = [];
    for (let j = 0; j < n; j++) if (!dropped.has(j) && direction[j]! * model.weights[j]! < 0) wrong.push(j);
    if (wrong.length === 0) break;
    for (const j of wrong) dropped.add(j);
  }
  for (const j of dropped) model.weights[j] = 0;
  return { model, mean, std, dropped };
}

const combinerScore = (c: Combiner, x: Float64Array) => c.model.scores(combinerInput(x, c.mean, c.std))[0]!;

/** Weight of each row as balanceDomains repeats it. */
function domainWeights(rows: readonly { domain: string }[]): Float64Array {
  const count = new Map<string, number>();
  for (const r of rows) count.set(r.domain, (count.get(r.domain) ?? 0) + 1);
  const max = Math.max(0, ...count.values());
  return Float64Array.from(rows, (r) =>
    Math.max(1, Math.round((CREDIBILITY_CONFIG.balance * max) / count.get(r.domain)!)),
  );
}

/**
 * Trees over the raw combiner inputs (collections weighed as in the combiner), monotone in every input with a
 * documented direction, so that a signal can only push the score the way it is defined.
 */
function fitTrees(rows: readonly Row[], direction: readonly number[]): GradientBoostedTrees {
  const d = direction.length;
  const X = new Float32Array(rows.length * d);
  rows.forEach((r, i) => X.set(r.x, i * d));
  return GradientBoostedTrees.train(
    X,
    rows.length,
    d,
    rows.map((r) => r.label),
    { ...CREDIBILITY_CONFIG.trees!, weights: domainWeights(rows), monotone: direction },
  );
}

const treeScore = (t: GradientBoostedTrees, x: Float64Array) => t.margin(Float32Array.from(x));

function std(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i]! / v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i]! - m) ** 2 / v.length;
  return Math.sqrt(s) || 1;
}

/**
 * Training with cross-fitting, so every article of the training part serves each level once unseen:
 * 1. text models (pooled + one expert per collection): 5-fold out-of-fold logits feed the combiner;
 * 2. combiner over signals + those logits; its own 5-fold out-of-fold scores (another split) fit
 * 3. the Platt calibration (domains balanced as in training).
 * The shipped text models and combiner are then fitted on the whole training part.
 */
/** What a cross-fitting fold is drawn from: the article's site (CREDIBILITY_CONFIG.siteFolds) or its id. */
const foldKey = (a: { id: string; site?: string }) =>
  CREDIBILITY_CONFIG.siteFolds && a.site ? "site:" + a.site : a.id;

export function trainFromFeatures(
  items: readonly Featurized[],
  stageNames: string[],
): { json: CredibilityModelJSON; stats: Record<string, unknown>; oof: Float64Array } {
  const domains = [...new Set(items.map((f) => f.domain))];
  const expertDomains = CREDIBILITY_CONFIG.experts && domains.length > 1 ? domains : [];
  const textDomains: (string | null)[] = [null, ...expertDomains];
  const nF = FEATURES.length;
  const nE = expertDomains.length;
  const useTitle = CREDIBILITY_CONFIG.title !== null && nE > 0 && items.every((f) => f.title);
  const titleGates = useTitle ? CREDIBILITY_CONFIG.title!.gates.filter((d) => expertDomains.includes(d)) : [];
  const kT = nF + 2 * nE;
  const nX = kT + (useTitle ? 1 + titleGates.length : 0);
  const slot = (m: number) => (m === 0 ? 0 : nF + m - 1);
  const rows: Row[] = items.map((f) => {
    const x = new Float64Array(nX);
    x.set(f.values.subarray(0, nF));
    return { id: f.id, domain: f.domain, label: f.label, x };
  });
  // 1. Out-of-fold text logits (and collection probabilities gating the experts).
  const fold = items.map((a) => murmur3(foldKey(a), 3) % FOLDS);
  for (let k = 0; k < FOLDS; k++) {
    const tr = items.filter((_, i) => fold[i] !== k);
    textDomains.forEach((d, m) => {
      const lr = fitText(tr, d);
      for (let i = 0; i < items.length; i++)
        if (fold[i] === k) rows[i]!.x[slot(m)] = lr.scores(items[i]!.text)[0]!;
    });
    if (nE === 0) continue;
    const dm = fitDomain(tr, expertDomains);
    const tm = useTitle ? fitTitle(tr) : null;
    for (let i = 0; i < items.length; i++) {
      if (fold[i] !== k) continue;
      const g = dm.predictProba(items[i]!.words ?? items[i]!.text);
      for (let e = 0; e < nE; e++) rows[i]!.x[nF + nE + e] = g[e]! * rows[i]!.x[nF + e]!;
      if (!tm) continue;
      const s = tm.scores(items[i]!.title!)[0]!;
      rows[i]!.x[kT] = s;
      titleGates.forEach((d, j) => (rows[i]!.x[kT + 1 + j] = g[expertDomains.indexOf(d)]! * s));
    }
  }
  const text = textDomains.map((d) => fitText(items, d));
  const domainModel = nE ? fitDomain(items, expertDomains) : null;
  const titleModel = useTitle ? fitTitle(items) : null;
  // 2. Combiner (signals held to their documented directions). The experts are left free: with the pooled
  // model they form a stack (e.g. pooled minus the GossipCop expert isolates what is particular to
  // PolitiFact), and all text models together make one factor, "wording", explained by their summed n-gram weights.
  const direction = [
    ...FEATURES.map((f) => DIRECTION[f]),
    ...expertDomains.flatMap(() => [0, 0]),
    ...(useTitle ? [1, ...titleGates.map(() => 0)] : []),
  ];
  const fold2 = items.map((a) => murmur3(foldKey(a), 11) % FOLDS);
  const useTrees = CREDIBILITY_CONFIG.trees !== null && nE > 0;
  const oofL = new Float64Array(rows.length);
  const oofT = new Float64Array(rows.length);
  for (let k = 0; k < FOLDS; k++) {
    const tr = rows.filter((_, i) => fold2[i] !== k);
    const c = fitCombiner(tr, direction);
    const t = useTrees ? fitTrees(tr, direction) : null;
    for (let i = 0; i < rows.length; i++) {
      if (fold2[i] !== k) continue;
      oofL[i] = combinerScore(c, rows[i]!.x);
      if (t) oofT[i] = treeScore(t, rows[i]!.x);
    }
  }
  const combiner = fitCombiner(rows, direction);
  // The blend: both out-of-fold scores standardised, the trees weighing treeShare.
  const share = CREDIBILITY_CONFIG.treeShare;
  const linearWeight = useTrees ? (1 - share) / std(oofL) : 1;
  const treeWeight = useTrees ? share / std(oofT) : 0;
  const trees = useTrees ? fitTrees(rows, direction) : null;
  const oofZ = oofL.map((z, i) => linearWeight * z + treeWeight * oofT[i]!);
  // 3. Calibration on the out-of-fold combiner scores.
  const calB = balanceDomains(rows.map((r, i) => ({ domain: r.domain, label: r.label, z: oofZ[i]! })));
  const platt = PlattScaler.fit(
    calB.map((c) => c.z),
    calB.map((c) => c.label),
  );
  const features = [
    ...FEATURES,
    ...expertDomains.map(expertFeature),
    ...expertDomains.map(gatedFeature),
    ...(useTitle ? [TITLE_FEATURE, ...titleGates.map(titleGatedFeature)] : []),
  ];
  const json: CredibilityModelJSON = {
    kind: "credibility",
    version: 3,
    text: text[0]!.toJSON(),
    experts: expertDomains.map((domain, e) => ({ domain, model: text[e + 1]!.toJSON() })),
    domain: domainModel ? { domains: expertDomains, model: domainModel.toJSON() } : null,
    features,
    mean: combiner.mean,
    std: combiner.std,
    combiner: combiner.model.toJSON(),
    trees: trees ? { model: trees.toJSON(), linearWeight, treeWeight } : null,
    ...(titleModel && { title: { model: titleModel.toJSON(), gates: titleGates } }),
    platt: { a: platt.a, b: platt.b },
    stages: stageNames,
  };
  const r4 = (x: number) => Math.round(x * 10000) / 10000;
  const labels = rows.map((r) => r.label);
  const oofProb = Array.from(oofZ, (z) => platt.apply(z));
  const byDomain = Object.fromEntries(
    domains.map((d) => {
      const ix = rows.map((r, i) => (r.domain === d ? i : -1)).filter((i) => i >= 0);
      const p = ix.map((i) => oofProb[i]!);
      const y = ix.map((i) => labels[i]!);
      const parts = useTrees
        ? {
            linearRocAuc: r4(
              rocAuc(
                ix.map((i) => oofL[i]!),
                y,
              ),
            ),
            treesRocAuc: r4(
              rocAuc(
                ix.map((i) => oofT[i]!),
                y,
              ),
            ),
          }
        : {};
      // Texts the stage scores and those too short to judge, when the features know which is which.
      const groups = Object.fromEntries(
        items.every((f) => f.short !== undefined)
          ? (["scored", "tooShort"] as const).map((g) => {
              const jx = ix.filter((i) => items[i]!.short === (g === "tooShort"));
              const pg = jx.map((i) => oofProb[i]!);
              const yg = jx.map((i) => labels[i]!);
              return [g, { n: jx.length, rocAuc: r4(rocAuc(pg, yg)), ece: r4(ece(pg, yg, 10)) }];
            })
          : [],
      );
      return [d, { n: ix.length, rocAuc: r4(rocAuc(p, y)), ece: r4(ece(p, y, 10)), ...parts, ...groups }];
    }),
  );
  const stats = {
    trained: rows.length,
    oofTextRocAuc: Object.fromEntries([
      ...textDomains.map((d, m) => [
        d ?? "pooled",
        r4(
          rocAuc(
            rows.map((r) => r.x[slot(m)]!),
            labels,
          ),
        ),
      ]),
      ...(useTitle
        ? [
            [
              "title",
              r4(
                rocAuc(
                  rows.map((r) => r.x[kT]!),
                  labels,
                ),
              ),
            ],
          ]
        : []),
    ]),
    oof: byDomain,
    dropped: [...combiner.dropped].map((j) => features[j]),
    weights: Object.fromEntries(features.map((f, j) => [f, r4(combiner.model.weights[j]!)])),
    stages: json.stages,
  };
  return { json, stats, oof: Float64Array.from(oofProb) };
}

export type CredibilityEval = {
  task: "credibility";
  rocAuc: number;
  f1: number;
  ece: number;
  n: number;
  accuracy: number;
  lowCredibilityF1: number;
  /** Articles the stage gives no score (fewer than MIN_BODY_WORDS words of body text); the metrics above include them. */
  tooShort: number;
  /** ROC-AUC over the articles the stage scores (the others left out). */
  rocAucScored: number;
  /** ECE over the articles the stage scores. */
  eceScored: number;
  /** ROC-AUC and ECE over the articles too short to judge (the model's own score; the stage gives none). */
  rocAucTooShort: number;
  eceTooShort: number;
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
  const scored: boolean[] = [];
  const t0 = performance.now();
  for (let i = 0; i < articles.length; i++) {
    const a = articles[i]!;
    const doc = runStages(Doc.create({ title: a.title, text: a.text, id: a.id }), stages, errors);
    probs.push(model.probability(model.signals(doc).values));
    labels.push(a.label);
    scored.push(bodyWords(doc, MIN_BODY_WORDS) >= MIN_BODY_WORDS);
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
    tooShort: scored.filter((s) => !s).length,
    rocAucScored: r4(
      rocAuc(
        probs.filter((_, i) => scored[i]),
        labels.filter((_, i) => scored[i]),
      ),
    ),
    eceScored: r4(
      ece(
        probs.filter((_, i) => scored[i]),
        labels.filter((_, i) => scored[i]),
        10,
      ),
    ),
    rocAucTooShort: r4(
      rocAuc(
        probs.filter((_, i) => !scored[i]),
        labels.filter((_, i) => !scored[i]),
      ),
    ),
    eceTooShort: r4(
      ece(
        probs.filter((_, i) => !scored[i]),
        labels.filter((_, i) => !scored[i]),
        10,
      ),
    ),
  };
}
