// Eval task "stories": story clustering measured on FNC-1 bodies grouped by their Emergent claim
// (see stories-eval.ts). `claimscope eval stories --split train|holdout|all [--threshold X] …`.
import type { Task, TaskArgs } from "../tasks.js";
import { UserError } from "../util/errors.js";
import { dataPath } from "../util/paths.js";
import { CENTROID_TERMS, DEFAULT_THRESHOLD, ENTITY_WEIGHT, VECTOR_TERMS } from "./stories.js";
import {
  clusterTerms,
  groupSizes,
  ingestOrder,
  loadFncStories,
  scoreClustering,
  termsOf,
  type FncSplit,
} from "./stories-eval.js";

const log = (m: string) => process.stderr.write(m + "\n");
const r4 = (x: number) => Math.round(x * 10000) / 10000;

function str(a: TaskArgs, k: string): string | undefined {
  return typeof a[k] === "string" ? (a[k] as string) : undefined;
}

function num(a: TaskArgs, k: string, flag: string, min: number, max: number): number | undefined {
  const s = str(a, k);
  if (s === undefined) return undefined;
  const x = Number(s);
  if (!Number.isFinite(x) || x < min || x > max)
    throw new UserError(`${flag} must be a number in [${min}, ${max}], got "${s}"`);
  return x;
}

function int(a: TaskArgs, k: string, flag: string, min: number): number | undefined {
  const x = num(a, k, flag, min, Number.MAX_SAFE_INTEGER);
  if (x !== undefined && !Number.isInteger(x)) throw new UserError(`${flag} must be an integer, got ${x}`);
  return x;
}

export const tasks: Task[] = [
  {
    name: "stories",
    description: "story clustering on FNC-1 bodies grouped by Emergent claim (B-cubed, adjusted Rand index)",
    eval: {
      options: [
        {
          flags: "--bodies <file>",
          description: "FNC-1 bodies CSV (default ../shared/data/fnc1/train_bodies.csv)",
        },
        {
          flags: "--stances <file>",
          description: "FNC-1 stances CSV (default ../shared/data/fnc1/train_stances.csv)",
        },
        {
          flags: "--split <name>",
          description: "train | holdout | all (baseline body-id split)",
          default: "train",
        },
        {
          flags: "--threshold <x>",
          description: `similarity to join a story (default ${DEFAULT_THRESHOLD})`,
        },
        { flags: "--limit <n>", description: "only the first n bodies of the split by body id" },
        {
          flags: "--shuffle <seed>",
          description: "ingest the bodies in a seeded random order (default: by id)",
        },
        { flags: "--vector-terms <n>", description: `terms per article vector (default ${VECTOR_TERMS})` },
        {
          flags: "--centroid-terms <n>",
          description: `terms per story centroid (default ${CENTROID_TERMS})`,
        },
        { flags: "--entity-weight <x>", description: `weight of entity terms (default ${ENTITY_WEIGHT})` },
      ],
      async run(args) {
        const split = (str(args, "split") ?? "train") as FncSplit;
        if (!["train", "holdout", "all"].includes(split))
          throw new UserError(`--split must be train, holdout or all, got "${split}"`);
        const bodies = str(args, "bodies") ?? dataPath("fnc1", "train_bodies.csv");
        const stances = str(args, "stances") ?? dataPath("fnc1", "train_stances.csv");
        const limit = int(args, "limit", "--limit", 1);
        const seed = int(args, "shuffle", "--shuffle", 0);
        const opts = {
          threshold: num(args, "threshold", "--threshold", 0, 1) ?? DEFAULT_THRESHOLD,
          vectorTerms: int(args, "vectorTerms", "--vector-terms", 1) ?? VECTOR_TERMS,
          centroidTerms: int(args, "centroidTerms", "--centroid-terms", 1) ?? CENTROID_TERMS,
          entityWeight: num(args, "entityWeight", "--entity-weight", 0, 100) ?? ENTITY_WEIGHT,
        };
        const data = loadFncStories(bodies, stances, split);
        const n = Math.min(limit ?? Infinity, data.ids.length);
        const gold = data.gold.slice(0, n);
        const sizes = groupSizes(gold);
        log(
          `stories: ${n} bodies (${split}), ${sizes.length} gold stories, largest ${sizes.slice(0, 5).join(", ")}`,
        );
        const t0 = performance.now();
        const terms = await termsOf(data.texts.slice(0, n), (k) => log(`stories: features ${k}/${n}`));
        const t1 = performance.now();
        const pred = clusterTerms(terms, ingestOrder(n, seed), opts);
        const t2 = performance.now();
        log(
          `stories: features ${((t1 - t0) / 1000).toFixed(1)} s, clustering ${((t2 - t1) / 1000).toFixed(2)} s`,
        );
        const s = scoreClustering(gold, pred);
        return {
          task: "stories",
          bcubed: { p: r4(s.bcubed.p), r: r4(s.bcubed.r), f1: r4(s.bcubed.f1) },
          ari: r4(s.ari),
          stories: s.stories,
          gold: s.gold,
          n: s.n,
          split,
          order: seed === undefined ? "body id" : `shuffle ${seed}`,
          settings: opts,
        };
      },
    },
  },
];
