// Word vectors for the check-worthiness CNN (round 8), learned from unlabelled text at training time.
import { existsSync } from "node:fs";
import { CooccurrenceCorpus } from "../../learn/word-clusters.js";
import { quantizeVectors, trainWordVectors, type QuantizedVectorsJSON } from "../../learn/word-vectors.js";
import { clusterTexts, sentenceKeys } from "../../resources/word-clusters/task.js";
import { UserError } from "../../util/errors.js";
import { dataPath } from "../../util/paths.js";
import { isDev, type CwData } from "./data.js";

/** Word vectors: 25,000 most frequent words (≥ 5 occurrences), 64 dimensions. */
export const VECTOR_OPTIONS = { maxWords: 25000, minCount: 5, dim: 64 } as const;

/**
 * The unlabelled corpus of the vectors: FakeNewsNet and FNC-1 texts (as the shared word classes), LIAR statements,
 * and the train parts (never the dev splits) of ClaimBuster and CLEF-2019 — no label is read.
 */
export function vectorCorpus(
  texts: { cb: CwData; clef: CwData; liar: readonly string[] },
  log: (m: string) => void,
): CooccurrenceCorpus {
  const files = {
    fakenewsnet: [
      dataPath("fakenewsnet", "politifact_news.jsonl"),
      dataPath("fakenewsnet", "gossipcop_news.jsonl"),
    ],
    fncBodies: [dataPath("fnc1", "train_bodies.csv")],
  };
  for (const f of [...files.fakenewsnet, ...files.fncBodies])
    if (!existsSync(f)) throw new UserError(`word-vector text not found: ${f}`);
  const corpus = new CooccurrenceCorpus();
  let n = 0;
  for (const text of clusterTexts(files)) {
    for (const s of sentenceKeys(text)) corpus.addSegment(s);
    if (++n % 5000 === 0) log(`word vectors: ${n} texts read`);
  }
  const extra: string[] = [...texts.liar];
  for (const d of [texts.cb, texts.clef])
    for (const it of d.items) if (!isDev(d.format, it)) extra.push(it.text);
  for (const t of extra) for (const s of sentenceKeys(t)) corpus.addSegment(s);
  log(`word vectors: ${n} texts + ${extra.length} statements, ${corpus.tokens} tokens`);
  return corpus;
}

export function buildVectors(corpus: CooccurrenceCorpus, log: (m: string) => void): QuantizedVectorsJSON {
  return quantizeVectors(trainWordVectors(corpus, VECTOR_OPTIONS, log));
}
