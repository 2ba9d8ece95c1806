// Tasks "techniques": train the PTC span tagger + technique classifier, and evaluate them with the
// SemEval-2020 Task 11 measures (SI span F1 with partial overlap credit, TC micro-F1 on gold spans).
import type { Task, TaskArgs } from "../../tasks.js";
import { dataPath } from "../../util/paths.js";
import { UserError } from "../../util/errors.js";
import { loadModel, saveModel, shippedModelPath } from "../../learn/model-io.js";
import { inFold } from "../../learn/rng.js";
import { TechniquesModel, type TechniquesModelJSON } from "./model.js";
import { loadPtc } from "./ptc.js";
import { DEFAULT_CLUSTER_CONFIG, evaluate, trainWithCv } from "./train.js";
import { loadWordClusters } from "../../learn/word-clusters.js";

/** The dev split: ~20% of PTC articles, chosen by a hash of the article id. */
export const DEV_FRACTION = 0.2;
export const isDev = (id: string): boolean => inFold(id, DEV_FRACTION);

function log(msg: string): void {
  process.stderr.write(msg + "\n");
}

function str(args: TaskArgs, name: string, def: string): string {
  const v = args[name];
  return typeof v === "string" ? v : def;
}

function num(args: TaskArgs, name: string, def: number): number {
  const v = args[name];
  if (v === undefined || v === false) return def;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UserError(`--${name} must be a number (got ${String(v)})`);
  return n;
}

function splitFilter(split: string): ((id: string) => boolean) | undefined {
  if (split === "dev") return isDev;
  if (split === "train") return (id) => !isDev(id);
  if (split === "all") return undefined;
  throw new UserError(`--split must be dev, train or all (got ${split})`);
}

const r4 = (x: number) => Math.round(x * 10000) / 10000;

export const tasks: Task[] = [
  {
    name: "techniques",
    description: "persuasion techniques (PTC, SemEval-2020 Task 11): span tagger + technique classifier",
    train: {
      options: [
        {
          flags: "--articles <dir>",
          description: "PTC articles folder",
          default: dataPath("ptc", "articles"),
        },
        {
          flags: "--labels <file>",
          description: "techniques-TC.labels",
          default: dataPath("ptc", "techniques-TC.labels"),
        },
        {
          flags: "--tagger <learner>",
          description: "span tagger learner: crf (since round 5) or perceptron (rounds 1–4)",
          default: "crf",
        },
        {
          flags: "--tag-epochs <n>",
          description: "tagger perceptron epochs (--tagger perceptron)",
          default: "8",
        },
        { flags: "--cls-epochs <n>", description: "classifier AdaGrad epochs", default: "20" },
        { flags: "--out <file>", description: "where to write the model (default: the shipped model)" },
        {
          flags: "--no-clusters",
          description: "no word-cluster features (as the round-3 model; default: the shipped word clusters)",
        },
      ],
      async run(args) {
        const articles = str(args, "articles", dataPath("ptc", "articles"));
        const labels = str(args, "labels", dataPath("ptc", "techniques-TC.labels"));
        const all = loadPtc(articles, labels);
        const train = all.filter((a) => !isDev(a.id));
        const dev = all.filter((a) => isDev(a.id));
        log(`PTC: ${train.length} train articles, ${dev.length} dev articles`);
        const t0 = performance.now();
        // Decoding (O bias, join gap, span confidence) is set by 4-fold cross-validation on the training
        // articles; dev is only scored.
        const clusters =
          args.clusters === false ? undefined : { src: loadWordClusters(), cfg: DEFAULT_CLUSTER_CONFIG };
        const tagLearner = str(args, "tagger", "crf");
        if (tagLearner !== "crf" && tagLearner !== "perceptron")
          throw new UserError(`--tagger must be crf or perceptron (got ${tagLearner})`);
        const json = trainWithCv(train, {
          tagLearner,
          tagEpochs: num(args, "tagEpochs", 8),
          clsEpochs: num(args, "clsEpochs", 20),
          clusters,
          log,
        });
        const out = str(args, "out", shippedModelPath("techniques"));
        saveModel(out, json);
        const r = evaluate(new TechniquesModel(json), dev);
        const si = r.si[0]!;
        log(
          `dev SI p ${si.p.toFixed(4)} r ${si.r.toFixed(4)} f1 ${si.f1.toFixed(4)} | TC micro-F1 ${r.tc.microF1.toFixed(4)}`,
        );
        return {
          task: "techniques",
          model: out,
          trainArticles: train.length,
          devArticles: dev.length,
          seconds: Math.round((performance.now() - t0) / 100) / 10,
          tagger: json.tagLearner,
          oBias: json.oBias,
          joinGap: json.joinGap,
          dev: { si: { p: r4(si.p), r: r4(si.r), f1: r4(si.f1) }, tc: { microF1: r4(r.tc.microF1) } },
        };
      },
    },
    eval: {
      options: [
        {
          flags: "--articles <dir>",
          description: "folder of article<ID>.txt files",
          default: dataPath("ptc", "articles"),
        },
        {
          flags: "--labels <file>",
          description: "gold labels as in techniques-TC.labels",
          default: dataPath("ptc", "techniques-TC.labels"),
        },
        { flags: "--split <which>", description: "dev | train | all articles of the folder", default: "all" },
        { flags: "--model <file>", description: "model file (default: the shipped model)" },
      ],
      async run(args) {
        const articles = str(args, "articles", dataPath("ptc", "articles"));
        const labels = str(args, "labels", dataPath("ptc", "techniques-TC.labels"));
        const docs = loadPtc(articles, labels, { filter: splitFilter(str(args, "split", "all")) });
        if (!docs.length) throw new UserError(`no article<ID>.txt files to evaluate in ${articles}`);
        const modelFile = str(args, "model", shippedModelPath("techniques"));
        let json: TechniquesModelJSON;
        try {
          json = loadModel<TechniquesModelJSON>(modelFile);
        } catch {
          throw new UserError(
            `cannot read the techniques model at ${modelFile}: run \`claimscope train techniques\``,
          );
        }
        const r = evaluate(new TechniquesModel(json), docs);
        const si = r.si[0]!;
        log(
          `${docs.length} articles, ${r.counts[0]!.gold} gold spans (merged), ${r.counts[0]!.pred} predicted`,
        );
        log("TC accuracy given the gold span, per gold technique:");
        for (const [t, c] of Object.entries(r.tc.perTechnique))
          log(
            `  ${t.padEnd(36)} ${c.total ? (c.correct / c.total).toFixed(3) : "  -  "} (${c.correct}/${c.total})`,
          );
        return {
          task: "techniques",
          si: { p: r4(si.p), r: r4(si.r), f1: r4(si.f1) },
          tc: { microF1: r4(r.tc.microF1) },
        };
      },
    },
  },
];
