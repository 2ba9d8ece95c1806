// Train/eval tasks: "stance" (FNC-1 headline–body) and "claim-stance" (Emergent claim vs article headline).
import { dirname, join } from "node:path";
import { saveModel } from "../../learn/model-io.js";
import type { Task, TaskArgs } from "../../tasks.js";
import { UserError } from "../../util/errors.js";
import { dataPath, modelsDir } from "../../util/paths.js";
import { ClaimStanceModel, loadEmergent } from "./claim-stance.js";
import {
  claimStanceCv,
  evalClaimStance,
  evalClaimStanceBodies,
  isEmergentDev,
  trainClaimStance,
} from "./claim-stance-train.js";
import { StanceModel, holdoutIds, loadFnc, readIdList } from "./model.js";
import { evalStance, topicCv, trainStance } from "./train.js";

const log = (m: string) => process.stderr.write(m + "\n");
const str = (a: TaskArgs, k: string): string | undefined =>
  typeof a[k] === "string" ? (a[k] as string) : undefined;
export const tasks: Task[] = [
  {
    name: "stance",
    description: "headline–body stance (agree/disagree/discuss/unrelated) on FNC-1",
    train: {
      options: [
        {
          flags: "--data <dir>",
          description: "FNC-1 folder (train_bodies.csv, train_stances.csv, baseline split ids)",
        },
        { flags: "--out <dir>", description: "output folder (default models/stance)" },
        {
          flags: "--topic-cv",
          description:
            "instead of training the model, report 5-fold cross-validation on all of FNC-1 train with folds disjoint in claims and bodies",
        },
      ],
      async run(args) {
        const dir = str(args, "data") ?? dataPath("fnc1");
        const out = str(args, "out") ?? join(modelsDir(), "stance");
        const bodiesFile = join(dir, "train_bodies.csv");
        const data = loadFnc(bodiesFile, join(dir, "train_stances.csv"));
        if (args.topicCv) return topicCv(data, { log });
        const dev = holdoutIds(bodiesFile);
        const trainIds =
          readIdList(dir, "baseline_training_body_ids.txt") ??
          new Set([...data.bodies.keys()].filter((k) => !dev.has(k)));
        const t0 = performance.now();
        const json = trainStance(data, trainIds, { log });
        saveModel(join(out, "model.json.gz"), json);
        log(`stance: trained in ${((performance.now() - t0) / 1000).toFixed(1)} s, saved to ${out}`);
        const dm = evalStance(new StanceModel(json), data, dev);
        return { task: "stance", out, dev: dm };
      },
    },
    eval: {
      options: [
        { flags: "--bodies <file>", description: "FNC-1 bodies CSV (Body ID,articleBody)" },
        { flags: "--stances <file>", description: "FNC-1 stances CSV (Headline,Body ID,Stance)" },
        {
          flags: "--split <split>",
          description: "holdout (official baseline hold-out bodies) or all",
          default: "holdout",
        },
        { flags: "--model <dir>", description: "model folder (default: the shipped model)" },
      ],
      async run(args) {
        const bodies = str(args, "bodies") ?? dataPath("fnc1", "train_bodies.csv");
        const stances = str(args, "stances") ?? join(dirname(bodies), "train_stances.csv");
        const split = str(args, "split") ?? "holdout";
        if (split !== "holdout" && split !== "all")
          throw new UserError(`--split must be holdout or all, not "${split}"`);
        const data = loadFnc(bodies, stances);
        const model = StanceModel.load(str(args, "model"));
        return evalStance(model, data, split === "holdout" ? holdoutIds(bodies) : undefined);
      },
    },
  },
  {
    name: "claim-stance",
    description: "claim vs article stance (supports/disputes/reports-only) on Emergent",
    train: {
      options: [
        {
          flags: "--data <file>",
          description: "Emergent CSV (default ../shared/data/emergent/emergent.csv)",
        },
        { flags: "--out <dir>", description: "output folder (default models/claim-stance)" },
        { flags: "--stance-model <dir>", description: "stance model folder (default: the shipped one)" },
        {
          flags: "--cv",
          description:
            "instead of training the model, report 5-fold cross-validation over the training claims (folds by claim, 3 repeats)",
        },
      ],
      async run(args) {
        const file = str(args, "data") ?? dataPath("emergent", "emergent.csv");
        const out = str(args, "out") ?? join(modelsDir(), "claim-stance");
        const stance = StanceModel.load(str(args, "stanceModel"));
        const rows = loadEmergent(file);
        const train = rows.filter((r) => !isEmergentDev(r.claimId));
        const dev = rows.filter((r) => isEmergentDev(r.claimId));
        log(`claim-stance: ${train.length} training rows, ${dev.length} dev rows`);
        if (args.cv) return claimStanceCv(train, stance);
        const json = trainClaimStance(train, stance);
        saveModel(join(out, "model.json.gz"), json);
        return { task: "claim-stance", out, dev: evalClaimStance(new ClaimStanceModel(json, stance), dev) };
      },
    },
    eval: {
      options: [
        {
          flags: "--data <file>",
          description: "Emergent CSV (id,claimHeadline,articleHeadline,articleHeadlineStance,…)",
        },
        {
          flags: "--split <split>",
          description: "dev (a fifth of the claims, by claimId) or all",
          default: "dev",
        },
        { flags: "--model <dir>", description: "claim-stance model folder (default: the shipped one)" },
        {
          flags: "--fnc <dir>",
          description:
            "instead of Emergent headlines, score claim vs article body on the FNC-1 folder's hold-out related pairs",
        },
      ],
      async run(args) {
        const fnc = str(args, "fnc");
        if (fnc) return evalClaimStanceBodies(ClaimStanceModel.load(str(args, "model")), fnc);
        const file = str(args, "data") ?? dataPath("emergent", "emergent.csv");
        const split = str(args, "split") ?? "dev";
        if (split !== "dev" && split !== "all")
          throw new UserError(`--split must be dev or all, not "${split}"`);
        const rows = loadEmergent(file).filter((r) => split === "all" || isEmergentDev(r.claimId));
        return evalClaimStance(ClaimStanceModel.load(str(args, "model")), rows);
      },
    },
  },
];
