// `claimscope train entities`: derives the gazetteer from ../shared/data and writes models/entities/.
import { statSync } from "node:fs";
import type { Task } from "../../tasks.js";
import { saveModel, shippedModelPath } from "../../learn/model-io.js";
import { dataPath } from "../../util/paths.js";
import { UserError } from "../../util/errors.js";
import { existsSync } from "node:fs";
import { deriveGazetteer } from "./derive.js";
import { evaluateEntities } from "./eval.js";
import { MODEL_FILE, MODEL_TASK, loadGazetteer } from "./model.js";

export const tasks: Task[] = [
  {
    name: "entities",
    description:
      "derive the entity gazetteer (names, first names, ORG/GPE cues, role heads) from ../shared/data",
    train: {
      options: [
        { flags: "--data <dir>", description: "the shared data directory", default: dataPath() },
        {
          flags: "--out <file>",
          description: "where to write the gazetteer",
          default: shippedModelPath(MODEL_TASK, MODEL_FILE),
        },
      ],
      async run(args) {
        const data = String(args.data ?? dataPath());
        if (!existsSync(data)) throw new UserError(`no data directory at ${data}`);
        const out = String(args.out ?? shippedModelPath(MODEL_TASK, MODEL_FILE));
        const g = deriveGazetteer({ data, log: (m) => process.stderr.write(m + "\n") });
        saveModel(out, g);
        return { task: "entities", out, bytes: statSync(out).size, ...g.stats };
      },
    },
    eval: {
      options: [
        {
          flags: "--data <dir>",
          description: "a PolNeAR split (text/ and attributions/)",
          default: dataPath("polnear", "dev"),
        },
      ],
      async run(args) {
        return evaluateEntities(String(args.data ?? dataPath("polnear", "dev")), loadGazetteer());
      },
    },
  },
];
