// Evaluation of story clustering on FNC-1 as a labelled proxy. FNC-1 was built from Emergent: every
// headline belongs to one Emergent claim, and a body paired with a headline as agree / disagree /
// discuss ("related") reports that same claim ("unrelated" pairs are random). Union-find over the
// related (headline, body) pairs therefore groups the bodies into claim-level stories. The stance
// labels are used for nothing else. Bodies go through the ingest worker's feature path (Doc, the
// entities stage, docTerms) and then, one by one in a fixed order, through StoryClusterer exactly as
// the ingest commits them (observe, vector, assign, join or open); no dates and no sites.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "csv-parse/sync";
import { Doc } from "../doc/doc.js";
import { adjustedRandIndex, bcubed, type PRF } from "../learn/metrics.js";
import { mulberry32, shuffleInPlace } from "../learn/rng.js";
import { createPipeline } from "../pipeline/pipeline.js";
import { toAnalysis } from "../pipeline/output.js";
import { UserError } from "../util/errors.js";
import { docTerms, type TermCounts } from "./features.js";
import { StoryClusterer, type ClusterOptions } from "./stories.js";

export type FncSplit = "train" | "holdout" | "all";

export interface FncStories {
  /** Body ids of the split in ascending numeric order. */
  ids: string[];
  texts: string[];
  /** Gold story (claim group) of each body, numbered by first appearance in `ids`. */
  gold: number[];
}

/** Sizes of the gold groups, largest first. */
export function groupSizes(labels: readonly number[]): number[] {
  const sizes = new Map<number, number>();
  for (const g of labels) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  return [...sizes.values()].sort((a, b) => b - a);
}

function readCsv(file: string): Record<string, string>[] {
  if (!existsSync(file)) throw new UserError(`file not found: ${file}`);
  return parse(readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
}

function splitIds(bodiesFile: string, split: FncSplit): Set<string> | null {
  if (split === "all") return null;
  const name = split === "train" ? "baseline_training_body_ids.txt" : "baseline_hold_out_body_ids.txt";
  const p = join(dirname(bodiesFile), name);
  if (!existsSync(p)) throw new UserError(`--split ${split} needs ${name} next to ${bodiesFile}`);
  return new Set(
    readFileSync(p, "utf8")
      .split(/\s+/)
      .filter((s) => s.length > 0),
  );
}

/**
 * The bodies of a split with their gold stories: connected components of the graph whose edges are the
 * related (agree / disagree / discuss) headline–body pairs, computed over all pairs and then restricted
 * to the split's bodies.
 */
export function loadFncStories(bodiesFile: string, stancesFile: string, split: FncSplit): FncStories {
  const bodies = new Map<string, string>();
  for (const r of readCsv(bodiesFile)) bodies.set(String(r["Body ID"]), r.articleBody ?? "");
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    for (let p = parent.get(root); p !== undefined && p !== root; p = parent.get(root)) root = p;
    for (let y = x; y !== root;) {
      const next = parent.get(y)!;
      parent.set(y, root);
      y = next;
    }
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const r of readCsv(stancesFile)) {
    const stance = String(r.Stance ?? "").trim();
    const bodyId = String(r["Body ID"]);
    if (!bodies.has(bodyId)) throw new UserError(`${stancesFile}: body ${bodyId} missing from ${bodiesFile}`);
    if (stance === "unrelated") continue;
    if (stance !== "agree" && stance !== "disagree" && stance !== "discuss")
      throw new UserError(`${stancesFile}: unknown stance "${r.Stance}"`);
    union("h:" + (r.Headline ?? ""), "b:" + bodyId);
  }
  const keep = splitIds(bodiesFile, split);
  const ids = [...bodies.keys()].filter((id) => !keep || keep.has(id)).sort((a, b) => Number(a) - Number(b));
  const groupOf = new Map<string, number>();
  const gold = ids.map((id) => {
    const root = find("b:" + id);
    let g = groupOf.get(root);
    if (g === undefined) groupOf.set(root, (g = groupOf.size));
    return g;
  });
  return { ids, texts: ids.map((id) => bodies.get(id)!), gold };
}

/** Story-clustering terms of each text through the ingest worker's path (Doc, entities stage, docTerms). */
export async function termsOf(texts: readonly string[], onProgress?: (done: number) => void) {
  const pipeline = await createPipeline({ stages: ["entities"] });
  const out: TermCounts[] = [];
  for (const text of texts) {
    const doc = pipeline.run(Doc.create({ text }));
    out.push(docTerms(doc, toAnalysis(doc)));
    if (onProgress && out.length % 200 === 0) onProgress(out.length);
  }
  return out;
}

/**
 * Clusters the articles one by one in `order` as the ingest does (no dates, no sites) and returns each
 * article's story, numbered by opening order.
 */
export function clusterTerms(terms: readonly TermCounts[], order: readonly number[], opts: ClusterOptions) {
  const clusterer = new StoryClusterer(opts);
  const story = new Array<number>(terms.length).fill(-1);
  let opened = 0;
  for (const i of order) {
    const t = terms[i]!;
    clusterer.observe(t);
    const vec = clusterer.vector(t);
    const asg = clusterer.assign(vec, null, null);
    if (asg.storyId !== null) {
      clusterer.join(asg.storyId, vec, null, null);
      story[i] = asg.storyId;
    } else {
      const id = ++opened;
      clusterer.open(id, String(i), vec, null, null);
      story[i] = id;
    }
  }
  return story;
}

/** The articles' positions in ingest order: as given, or shuffled with a seed. */
export function ingestOrder(n: number, shuffleSeed?: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  return shuffleSeed === undefined ? order : shuffleInPlace(order, mulberry32(shuffleSeed));
}

export interface StoriesScore {
  bcubed: PRF;
  ari: number;
  stories: number;
  gold: number;
  n: number;
}

export function scoreClustering(gold: readonly number[], pred: readonly number[]): StoriesScore {
  return {
    bcubed: bcubed(gold, pred),
    ari: adjustedRandIndex(gold, pred),
    stories: new Set(pred).size,
    gold: new Set(gold).size,
    n: gold.length,
  };
}
