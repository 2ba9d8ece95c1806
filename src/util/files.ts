// Reading a user-named text file: one clear error line when it cannot be read, BOM removed.
import { readFileSync } from "node:fs";
import { UserError } from "./errors.js";

export function readUserText(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UserError(`cannot read ${path}`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
