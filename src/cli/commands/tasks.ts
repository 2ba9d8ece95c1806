// `claimscope train <task>` and `claimscope eval <task>`: generic over the task registry.
import type { Command } from "commander";
import { TASKS, type TaskRunner } from "../../tasks.js";

export function registerTasks(program: Command): void {
  const train = program.command("train").description("train a shipped model from the research data");
  const evaluate = program
    .command("eval")
    .description("evaluate a model; the last stdout line is a JSON result");
  for (const task of TASKS) {
    if (task.train) addRunner(train, task.name, task.description, task.train);
    if (task.eval) addRunner(evaluate, task.name, task.description, task.eval);
  }
}

function addRunner(
  parent: Command,
  name: string,
  description: string,
  runner: TaskRunner<Record<string, unknown>>,
): void {
  const cmd = parent.command(name).description(description);
  for (const o of runner.options) cmd.option(o.flags, o.description, o.default);
  cmd.action(async (opts: Record<string, string | boolean | undefined>) => {
    const result = await runner.run(opts);
    process.stdout.write(JSON.stringify(result) + "\n");
  });
}
