// Tasks "attribution": train the PolNeAR tagger, and evaluate the shipped stage (or the raw tagger).
import { dirname, join } from "node:path";
import type { Task, TaskArgs } from "../../tasks.js";
import { dataPath } from "../../util/paths.js";
import { UserError } from "../../util/errors.js";
import { saveModel, shippedModelPath } from "../../learn/model-io.js";
import { createPipeline } from "../../pipeline/pipeline.js";
import { readPolnear } from "./tagger/polnear.js";
import { TEMPLATE_SETS, usesClusters, type TemplateSet } from "./tagger/features.js";
import { clusterFingerprint, loadWordClusters } from "../../learn/word-clusters.js";
import {
  prepareDocs,
  polnearDoc,
  trainAttributionTagger,
  type PreparedDoc,
  type TrainOptions,
} from "./tagger/train.js";
import { AttributionTagger } from "./tagger/model.js";
import { loadAttributionTagger, ATTRIBUTION_MODEL } from "./tagger/index.js";
import {
  AttributionScorer,
  claimToSpans,
  NON_ATTRIBUTION_KINDS,
  rawToSpans,
  round4,
  type AttributionScores,
} from "./eval.js";
import type { PolnearDoc } from "./tagger/polnear.js";
import { inFold } from "../../learn/rng.js";
import {
  addAttachExamples,
  attachOutcome,
  SourceAttacher,
  SOURCE_ATTACH_FILE,
  trainSourceAttacher,
  type AttachExamples,
} from "./source-attach.js";

function log(msg: string): void {
  process.stderr.write(msg + "\n");
}

function intArg(args: TaskArgs, name: string, def: number): number {
  const v = args[name];
  if (v === undefined || v === false) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new UserError(`--${name} must be a positive integer (got ${String(v)})`);
  return n;
}

function tagBiasArg(v: unknown): TaggerRecipe["tagBias"] {
  if (v === undefined || v === false) return DEFAULT_RECIPE.tagBias;
  const xs = String(v).split(",").map(Number);
  if (xs.length !== 3 || !xs.every(Number.isFinite))
    throw new UserError(`--tag-bias must be three numbers: source,cue,content (got ${String(v)})`);
  return { source: xs[0]!, cue: xs[1]!, content: xs[2]! };
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());

function numArg(args: TaskArgs, name: string, def: number): number {
  const v = args[name];
  if (v === undefined || v === false) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw new UserError(`--${kebab(name)} must be a number ≥ 0 (got ${String(v)})`);
  return n;
}

/** Scores the raw tagger on prepared docs (first annotation = gold). */
export function scoreRaw(
  tagger: AttributionTagger,
  docs: readonly PolnearDoc[],
  prepared: readonly PreparedDoc[],
): AttributionScores {
  const scorer = new AttributionScorer();
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i]!;
    const doc = prepared[i]!.doc;
    scorer.add(d.text, d.annotations[0]!.relations, tagger.tagAttributions(doc).map(rawToSpans));
  }
  return round4(scorer.result());
}

const brief = (s: AttributionScores) =>
  `cue exact F1 ${s.cue.exact.f1.toFixed(3)} | source overlap F1 ${s.source.overlap.f1.toFixed(3)} | ` +
  `content overlap F1 ${s.content.overlap.f1.toFixed(3)} | attribution F1 ${s.attribution.f1.toFixed(3)}`;

/** The shipped tagger's feature templates (see tagger/features.ts and the model card). */
const DEFAULT_FEATURES: TemplateSet = "all+lemma+comp+clu";
/** Epochs per learner: the perceptron's 10 since round 4 (the cluster templates converge later); CRF: 5. */
const DEFAULT_EPOCHS = { perceptron: 10, crf: 5 } as const;

/** What the source attacher's out-of-fold taggers share with the shipped one. */
type TaggerRecipe = Pick<TrainOptions, "learner" | "epochs" | "crfRate" | "crfL2" | "tagBias"> & {
  features: TemplateSet;
};

/** The shipped tagger (round 6: a CRF; its tag biases chosen by 2-fold CV on train, see the card). */
const DEFAULT_RECIPE: TaggerRecipe = {
  features: DEFAULT_FEATURES,
  learner: "crf",
  epochs: DEFAULT_EPOCHS.crf,
  crfRate: 0.05,
  crfL2: 1e-3,
  tagBias: { source: 0.3, cue: 0.3, content: 0.1 },
};

/** Attach the best source candidate above this probability (0.4–0.6 tie on the train halves; see the card). */
const SOURCE_THRESHOLD = 0.5;

// The source attacher is trained on out-of-fold tagger output of PolNeAR train (independent of the shipped
// tagger), so `train attribution` and `train attribution-source` both write the same file.
async function trainSourceAttachment(
  data: string,
  threshold: number,
  out: string,
  recipe: TaggerRecipe = DEFAULT_RECIPE,
) {
  const bits = 16;
  const t0 = performance.now();
  const docs = readPolnear(join(data, "train"));
  const inA = docs.map((d) => inFold(d.id, 0.5, "attr-cv"));
  const prepared = prepareDocs(docs);
  // Two taggers with the shipped recipe, each trained on one half of train: the cues each leaves
  // without a source on the other half are what the shipped tagger leaves on unseen text.
  const halves: AttributionTagger[] = [];
  for (const half of [true, false]) {
    const part = prepared.filter((_, i) => inA[i] === half);
    log(`attribution-source: tagger on ${part.length} texts (fold ${half ? "A" : "B"})…`);
    halves.push(
      trainAttributionTagger(part, {
        ...recipe,
        bits: 16,
        unit: "paragraph",
        annotators: "all",
        seed: 17,
        clusters: usesClusters(TEMPLATE_SETS[recipe.features]) ? loadWordClusters() : null,
      }),
    );
  }
  const mk = (): AttachExamples => ({ X: [], y: [], group: [], gold: [] });
  // Since round 4 the attacher also reads word classes of the candidate's head and the cue's last word.
  const attachClusters = loadWordClusters();
  const withClusters = (j: ReturnType<typeof trainSourceAttacher>) => ({
    ...j,
    clusters: true,
    clusterFingerprint: clusterFingerprint(attachClusters),
  });
  const exA = mk();
  const exB = mk();
  for (let i = 0; i < docs.length; i++) {
    const doc = prepared[i]!.doc;
    // A text of fold A is tagged by the tagger trained on fold B, and vice versa.
    const raw = (inA[i] ? halves[1]! : halves[0]!).tagAttributions(doc);
    addAttachExamples(inA[i] ? exA : exB, doc, docs[i]!.annotations[0]!.relations, raw, bits, attachClusters);
  }
  const cv = [
    [exA, exB],
    [exB, exA],
  ].map(([tr, te]) =>
    attachOutcome(
      new SourceAttacher(withClusters(trainSourceAttacher(tr!, { bits, threshold })), attachClusters),
      te!,
      threshold,
    ),
  );
  for (const o of cv)
    log(
      `attribution-source: held-out half: ${o.attached} attached, ${o.correct} correct, ${o.goldCues} cues had a gold source`,
    );
  const all = mk();
  for (const e of [exA, exB]) {
    const off = all.gold.length;
    all.X.push(...e.X);
    all.y.push(...e.y);
    all.group.push(...e.group.map((g) => g + off));
    all.gold.push(...e.gold);
  }
  const model = withClusters(trainSourceAttacher(all, { bits, threshold }));
  model.info = { trainDocs: docs.length, cues: all.gold.length, candidates: all.X.length, threshold };
  saveModel(out, model);
  log(`attribution-source: model written to ${out} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return {
    task: "attribution-source",
    model: out,
    threshold,
    cues: all.gold.length,
    candidates: all.X.length,
    heldOut: cv.map((o) => ({
      ...o,
      precision: Math.round((o.correct / Math.max(1, o.attached)) * 1e4) / 1e4,
    })),
  };
}

export const tasks: Task[] = [
  {
    name: "attribution",
    description: "attribution relations (Source/Cue/Content) on PolNeAR",
    train: {
      options: [
        {
          flags: "--data <dir>",
          description: "PolNeAR folder holding train/ and dev/",
          default: dataPath("polnear"),
        },
        { flags: "--learner <name>", description: "crf | perceptron", default: DEFAULT_RECIPE.learner },
        { flags: "--epochs <n>", description: "training epochs (default: crf 5, perceptron 10)" },
        {
          flags: "--crf-rate <r>",
          description: "CRF learning rate",
          default: String(DEFAULT_RECIPE.crfRate),
        },
        { flags: "--crf-l2 <x>", description: "CRF L2 per example", default: String(DEFAULT_RECIPE.crfL2) },
        {
          flags: "--tag-bias <s,c,k>",
          description:
            "CRF: log-potential added per token to the source, cue and content tags (recall knobs)",
          default: Object.values(DEFAULT_RECIPE.tagBias!).join(","),
        },
        { flags: "--unit <unit>", description: "tagging unit: paragraph | sentence", default: "paragraph" },
        {
          flags: "--annotators <which>",
          description: "train on all .ann files of a text or the first only",
          default: "all",
        },
        { flags: "--bits <n>", description: "feature hash bits", default: "16" },
        {
          flags: "--features <set>",
          description: `feature templates: ${Object.keys(TEMPLATE_SETS).join(" | ")}`,
          default: DEFAULT_FEATURES,
        },
        { flags: "--seed <n>", description: "shuffling seed", default: "17" },
        {
          flags: "--ensemble <n>",
          description: "average the weights of n taggers trained with seeds 17, 18, …",
          default: "1",
        },
        { flags: "--out <file>", description: "where to write the model (default: the shipped model)" },
        {
          flags: "--source-out <file>",
          description:
            "where to write the source-attachment model (default: beside --out, or the shipped one)",
        },
      ],
      async run(args) {
        const data = String(args.data ?? dataPath("polnear"));
        const learner = String(args.learner ?? DEFAULT_RECIPE.learner);
        if (learner !== "crf" && learner !== "perceptron")
          throw new UserError(`--learner must be crf or perceptron`);
        const epochs = intArg(args, "epochs", DEFAULT_EPOCHS[learner]);
        const bits = intArg(args, "bits", 16);
        const ensemble = intArg(args, "ensemble", 1);
        const seed = intArg(args, "seed", 17);
        const features = String(args.features ?? DEFAULT_FEATURES);
        if (!(features in TEMPLATE_SETS))
          throw new UserError(`--features must be one of ${Object.keys(TEMPLATE_SETS).join(", ")}`);
        const unit = String(args.unit ?? "paragraph");
        if (unit !== "paragraph" && unit !== "sentence")
          throw new UserError(`--unit must be paragraph or sentence`);
        const annotators = String(args.annotators ?? "all");
        if (annotators !== "all" && annotators !== "first")
          throw new UserError(`--annotators must be all or first`);
        const t0 = performance.now();
        const trainDocs = readPolnear(join(data, "train"));
        const devDocs = readPolnear(join(data, "dev"));
        log(`attribution: ${trainDocs.length} train texts, ${devDocs.length} dev texts; building Docs…`);
        const train = prepareDocs(trainDocs);
        const dev = prepareDocs(devDocs);
        log(
          `attribution: Docs ready in ${((performance.now() - t0) / 1000).toFixed(1)} s; training ${epochs} epochs`,
        );
        const recipe: TaggerRecipe = {
          features: features as TemplateSet,
          learner,
          epochs,
          crfRate: numArg(args, "crfRate", DEFAULT_RECIPE.crfRate!),
          crfL2: numArg(args, "crfL2", DEFAULT_RECIPE.crfL2!),
          tagBias: tagBiasArg(args.tagBias),
        };
        let best: AttributionScores | null = null;
        const model = trainAttributionTagger(train, {
          ...recipe,
          bits,
          unit,
          annotators,
          ensemble,
          seed,
          clusters: usesClusters(TEMPLATE_SETS[features as TemplateSet]) ? loadWordClusters() : null,
          onEpoch: (e, t) => {
            const s = scoreRaw(t, devDocs, dev);
            best = s;
            log(`epoch ${e + 1}/${epochs * ensemble}: dev ${brief(s)}`);
          },
        });
        const out = args.out ? String(args.out) : shippedModelPath(ATTRIBUTION_MODEL);
        saveModel(out, model.model);
        const dev0 = ensemble > 1 || !best ? scoreRaw(model, devDocs, dev) : best;
        log(`attribution: model written to ${out} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
        // The stage reads both files, so one command reproduces the whole shipped attribution model.
        const sourceOut = args.sourceOut
          ? String(args.sourceOut)
          : args.out
            ? join(dirname(out), SOURCE_ATTACH_FILE)
            : shippedModelPath(ATTRIBUTION_MODEL, SOURCE_ATTACH_FILE);
        const source = await trainSourceAttachment(data, SOURCE_THRESHOLD, sourceOut, recipe);
        return {
          task: "attribution",
          model: out,
          sourceModel: source.model,
          ...recipe,
          unit,
          bits,
          annotators,
          ensemble,
          seed,
          devRaw: dev0,
        };
      },
    },
    eval: {
      options: [
        {
          flags: "--data <dir>",
          description: "folder with text/ and attributions/",
          default: dataPath("polnear", "dev"),
        },
        { flags: "--raw", description: "score the raw tagger (tagAttributions) instead of the full stage" },
        { flags: "--model <file>", description: "tagger model file for --raw (default: the shipped model)" },
        { flags: "--limit <n>", description: "only the first n texts" },
      ],
      async run(args) {
        const data = String(args.data ?? dataPath("polnear", "dev"));
        const limit = args.limit ? intArg(args, "limit", 0) : undefined;
        const docs = readPolnear(data, { limit });
        if (docs.length === 0) throw new UserError(`no annotated texts in ${data}`);
        const scorer = new AttributionScorer();
        let nlpMs = 0;
        let stageMs = 0;
        if (args.raw) {
          const tagger = await loadAttributionTagger(args.model ? String(args.model) : undefined);
          for (const d of docs) {
            const doc = polnearDoc(d);
            nlpMs += doc.timings.nlp ?? 0;
            const t0 = performance.now();
            const rel = tagger.tagAttributions(doc);
            stageMs += performance.now() - t0;
            scorer.add(d.text, d.annotations[0]!.relations, rel.map(rawToSpans));
          }
        } else {
          const pipeline = await createPipeline({ stages: ["entities", "attribution"] });
          for (const d of docs) {
            const doc = pipeline.run(polnearDoc(d));
            nlpMs += doc.timings.nlp ?? 0;
            stageMs += doc.timings.attribution ?? 0;
            const claims = (doc.layers.claims ?? []).filter((c) => !NON_ATTRIBUTION_KINDS.has(c.kind));
            scorer.add(d.text, d.annotations[0]!.relations, claims.map(claimToSpans));
          }
        }
        const result = round4(scorer.result());
        log(
          `attribution (${args.raw ? "raw tagger" : "stage"}) on ${docs.length} texts: ${brief(result)}; ` +
            `${args.raw ? "tagger" : "stage"} ${(stageMs / docs.length).toFixed(2)} ms/text vs NLP ${(nlpMs / docs.length).toFixed(2)} ms/text`,
        );
        return { ...result, mode: args.raw ? "raw" : "stage" };
      },
    },
  },
  {
    name: "attribution-source",
    description:
      "source attachment for tagger cues without a source (PolNeAR train, out-of-fold tagger output)",
    train: {
      options: [
        {
          flags: "--data <dir>",
          description: "PolNeAR folder holding train/",
          default: dataPath("polnear"),
        },
        {
          flags: "--threshold <p>",
          description: "attach the best candidate above this probability",
          default: "0.5",
        },
        { flags: "--out <file>", description: "where to write the model (default: the shipped model)" },
      ],
      async run(args) {
        const threshold = Number(args.threshold ?? SOURCE_THRESHOLD);
        if (!(threshold >= 0 && threshold < 1)) throw new UserError(`--threshold must be in [0, 1)`);
        const out = args.out ? String(args.out) : shippedModelPath(ATTRIBUTION_MODEL, SOURCE_ATTACH_FILE);
        return trainSourceAttachment(String(args.data ?? dataPath("polnear")), threshold, out);
      },
    },
  },
];
