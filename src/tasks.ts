// Trainable/evaluable tasks, one per analyzer concern. The CLI's `train` and `eval` commands and the
// model-card quality test are generic over this list.
export interface TaskOption {
  /** Commander flags, e.g. "--data <dir>". */
  flags: string;
  description: string;
  default?: string;
}

export type TaskArgs = Record<string, string | boolean | undefined>;

export interface TaskRunner<R> {
  options: TaskOption[];
  /** Progress goes to stderr; the result is printed by the CLI as the last stdout line. */
  run(args: TaskArgs): Promise<R>;
}

export interface Task {
  name: string;
  description: string;
  train?: TaskRunner<Record<string, unknown>>;
  eval?: TaskRunner<Record<string, unknown> & { task: string }>;
}

import { tasks as attribution } from "./analyzers/attribution/task.js";
import { tasks as techniques } from "./analyzers/techniques/task.js";
import { tasks as checkworthiness } from "./analyzers/checkworthiness/task.js";
import { tasks as factchecks } from "./analyzers/factchecks/task.js";
import { tasks as stance } from "./analyzers/stance/task.js";
import { tasks as credibility } from "./analyzers/credibility/task.js";
import { tasks as entities } from "./analyzers/entities/task.js";
import { tasks as wordClusters } from "./resources/word-clusters/task.js";
import { tasks as stories } from "./corpus/task.js";

export const TASKS: readonly Task[] = [
  ...wordClusters,
  ...entities,
  ...attribution,
  ...techniques,
  ...checkworthiness,
  ...factchecks,
  ...stance,
  ...credibility,
  ...stories,
];

export function findTask(name: string): Task | undefined {
  return TASKS.find((t) => t.name === name);
}
