// Train/eval tasks for the shared word classes (models/word-clusters): learned from unlabelled news text, used
// as features by the analyzers' taggers. No analyzer's dev or test text is read for training.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { loadModel, saveModel, shippedModelPath } from "../../learn/model-io.js";
import {
  CooccurrenceCorpus,
  clusterKey,
  loadWordClusters,
  trainWordClusters,
  WordClusters,
  type WordClustersJSON,
} from "../../learn/word-clusters.js";
import { winkAnalyze, POS_TAGS } from "../../nlp/wink.js";
import type { Task, TaskArgs } from "../../tasks.js";
import { UserError } from "../../util/errors.js";
import { dataPath } from "../../util/paths.js";

const log = (m: string) => process.stderr.write(m + "\n");
const str = (a: TaskArgs, k: string): string | undefined =>
  typeof a[k] === "string" ? (a[k] as string) : undefined;
const r4 = (x: number) => Math.round(x * 10000) / 10000;

/** Long articles are cut here: their tails add little vocabulary and cost time. */
const MAX_CHARS = 20000;

/** Sentences of a text as lists of cluster keys (wink normal forms, digits folded). */
export function sentenceKeys(text: string): string[][] {
  const raw = winkAnalyze(text);
  const out: string[][] = [];
  const starts = [...raw.sentenceStarts, raw.norm.length];
  if (starts[0] !== 0) starts.unshift(0);
  for (let s = 0; s + 1 < starts.length; s++) {
    if (starts[s + 1]! <= starts[s]!) continue;
    out.push(raw.norm.slice(starts[s], starts[s + 1]).map(clusterKey));
  }
  return out;
}

/** The unlabelled training texts: FakeNewsNet titles and texts, FNC-1 train bodies. */
export function* clusterTexts(files: { fakenewsnet: string[]; fncBodies: string[] }): Generator<string> {
  for (const f of files.fakenewsnet) {
    for (const line of readFileSync(f, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { title?: string; text?: string };
      const text = [row.title ?? "", row.text ?? ""].filter(Boolean).join("\n\n");
      if (text.trim()) yield text.slice(0, MAX_CHARS);
    }
  }
  for (const f of files.fncBodies) {
    const rows = parse(readFileSync(f, "utf8"), { columns: true, skip_empty_lines: true }) as {
      articleBody: string;
    }[];
    for (const r of rows) if (r.articleBody?.trim()) yield r.articleBody.slice(0, MAX_CHARS);
  }
}

function defaultFiles() {
  return {
    fakenewsnet: [
      dataPath("fakenewsnet", "politifact_news.jsonl"),
      dataPath("fakenewsnet", "gossipcop_news.jsonl"),
    ],
    fncBodies: [dataPath("fnc1", "train_bodies.csv")],
  };
}

/** Intrinsic checks on held-apart text: token coverage, and how well the finest classes predict POS. */
export function evalWordClusters(wc: WordClusters, texts: Iterable<string>) {
  let words = 0;
  let covered = 0;
  // POS purity: tokens whose tag is their class's most frequent tag (an unsupervised tagger's score).
  const byClass = new Map<number, Int32Array>();
  for (const text of texts) {
    const raw = winkAnalyze(text);
    for (let i = 0; i < raw.norm.length; i++) {
      if (!/\p{L}/u.test(raw.norm[i]!)) continue;
      words++;
      const id = wc.idOf(wc.key(raw.norm[i]!), 0);
      if (id < 0) continue;
      covered++;
      let counts = byClass.get(id);
      if (!counts) byClass.set(id, (counts = new Int32Array(POS_TAGS.length)));
      counts[raw.pos[i]!]++;
    }
  }
  let pure = 0;
  for (const counts of byClass.values()) pure += Math.max(...counts);
  return {
    coverage: r4(covered / Math.max(1, words)),
    posPurity: r4(pure / Math.max(1, covered)),
    tokens: words,
  };
}

function readTextDir(dir: string): string[] {
  if (!existsSync(dir)) throw new UserError(`no such directory: ${dir}`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort();
  if (files.length === 0) throw new UserError(`no .txt files in ${dir}`);
  return files.map((f) => readFileSync(join(dir, f), "utf8"));
}

export const tasks: Task[] = [
  {
    name: "word-clusters",
    description: "distributional word classes from unlabelled news text (shared tagger features)",
    train: {
      options: [
        { flags: "--out <file>", description: "where to write the classes (default: the shipped file)" },
      ],
      async run(args) {
        const files = defaultFiles();
        for (const f of [...files.fakenewsnet, ...files.fncBodies])
          if (!existsSync(f)) throw new UserError(`training text not found: ${f}`);
        const corpus = new CooccurrenceCorpus();
        let texts = 0;
        for (const text of clusterTexts(files)) {
          for (const s of sentenceKeys(text)) corpus.addSegment(s);
          if (++texts % 2000 === 0) log(`word clusters: ${texts} texts read`);
        }
        const json = trainWordClusters(corpus, {}, log);
        json.meta = { ...json.meta, texts };
        const out = str(args, "out") ?? shippedModelPath("word-clusters", "clusters.json.gz");
        saveModel(out, json);
        const wc = new WordClusters(json);
        return { task: "word-clusters", out, words: wc.size, texts, tokens: corpus.tokens };
      },
    },
    eval: {
      options: [
        {
          flags: "--texts <dir>",
          description: "a directory of .txt files (default: PolNeAR dev texts, never used for training)",
        },
        { flags: "--model <file>", description: "a classes file (default: the shipped one)" },
      ],
      async run(args) {
        const model = str(args, "model");
        const wc = model ? new WordClusters(loadModel<WordClustersJSON>(model)) : loadWordClusters();
        const texts = readTextDir(str(args, "texts") ?? dataPath("polnear", "dev", "text"));
        return { task: "word-clusters", ...evalWordClusters(wc, texts) };
      },
    },
  },
];
