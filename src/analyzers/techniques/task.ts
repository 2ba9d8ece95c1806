// PLACEHOLDER (skeleton only): the owner of this analyzer lists its train/eval tasks here.
import type { Task } from "../../tasks.js";

export const tasks: Task[] = [];
