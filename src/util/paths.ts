// Where the package, its shipped models and the shared research data live.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | null = null;

/** The package root (works from src/ under tsx/vitest and from dist/ once built). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, "package.json");
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, "utf8")) as { name?: string }).name === "claimscope")
      return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find the claimscope package root");
    dir = up;
  }
}

export function modelsDir(): string {
  return process.env.CLAIMSCOPE_MODELS ?? join(packageRoot(), "models");
}

/** ../shared beside the repository, or $CLAIMSCOPE_SHARED. */
export function sharedDir(): string {
  return process.env.CLAIMSCOPE_SHARED ?? resolve(packageRoot(), "..", "shared");
}

/** A path inside ../shared/data. */
export function dataPath(...parts: string[]): string {
  return join(sharedDir(), "data", ...parts);
}

export function hasSharedData(): boolean {
  return existsSync(join(sharedDir(), "data"));
}
