// Train/eval task "credibility" on FakeNewsNet JSONL.
import { join } from "node:path";
import { saveModel } from "../../learn/model-io.js";
import type { Task, TaskArgs } from "../../tasks.js";
import { UserError } from "../../util/errors.js";
import { dataPath, modelsDir } from "../../util/paths.js";
import { CredibilityModel } from "./model.js";
import { evalCredibility, isDev, loadArticles, trainCredibility, upstreamStages } from "./train.js";

const log = (m: string) => process.stderr.write(m + "\n");

function files(a: TaskArgs, fallback: string[]): string[] {
  const v = a.data as unknown;
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === "string") return [v];
  return fallback;
}

export const tasks: Task[] = [
  {
    name: "credibility",
    description:
      "explained credibility: text model + signals from the other layers, calibrated, on FakeNewsNet",
    train: {
      options: [
        {
          flags: "--data <files...>",
          description: "FakeNewsNet JSONL files (default: politifact + gossipcop)",
        },
        { flags: "--out <dir>", description: "output folder (default models/credibility)" },
        {
          flags: "--features-cache <file>",
          description:
            "experiments only: read the featurized training articles from <file>, or featurize and save them there (stale once an upstream model changes)",
        },
      ],
      async run(args) {
        const data = files(args, [
          dataPath("fakenewsnet", "politifact_news.jsonl"),
          dataPath("fakenewsnet", "gossipcop_news.jsonl"),
        ]);
        const out = typeof args.out === "string" ? args.out : join(modelsDir(), "credibility");
        const t0 = performance.now();
        const stages = await upstreamStages(log);
        const cache = typeof args.featuresCache === "string" ? args.featuresCache : undefined;
        const { json, stats } = trainCredibility(loadArticles(data), stages, log, cache);
        saveModel(join(out, "model.json.gz"), json);
        const secs = Math.round((performance.now() - t0) / 1000);
        log(`credibility: trained in ${secs} s, saved to ${out}`);
        return { task: "credibility", out, data, seconds: secs, ...stats };
      },
    },
    eval: {
      options: [
        { flags: "--data <file>", description: "FakeNewsNet JSONL file" },
        { flags: "--model <dir>", description: "model folder (default: the shipped model)" },
        { flags: "--split <split>", description: "dev (the held-apart fifth) or all", default: "dev" },
        {
          flags: "--limit <n>",
          description: "evaluate n articles evenly spaced through the split (faster checks)",
        },
      ],
      async run(args) {
        const data = files(args, []);
        if (data.length === 0) throw new UserError("--data <file.jsonl> is required");
        const split = typeof args.split === "string" ? args.split : "dev";
        if (split !== "dev" && split !== "all")
          throw new UserError(`--split must be dev or all, not "${split}"`);
        let arts = loadArticles(data).filter((a) => split === "all" || isDev(a));
        const limit = typeof args.limit === "string" ? Number(args.limit) : NaN;
        if (limit > 0 && limit < arts.length) {
          // Evenly spaced through the split (the files are grouped by label, so a prefix would be one-sided).
          const step = arts.length / limit;
          arts = Array.from({ length: limit }, (_, i) => arts[Math.floor(i * step)]!);
        }
        const model = CredibilityModel.load(typeof args.model === "string" ? args.model : undefined);
        return evalCredibility(model, arts, await upstreamStages(log), log);
      },
    },
  },
];
