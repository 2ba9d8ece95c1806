// The layout shows the architecture: no import cycles (type-only imports excepted, they vanish at
// run time), and the shells (CLI, store) never reach into an analyzer's internals.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const SRC = join(ROOT, "src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?["'](\.{1,2}\/[^"']+)["']/gm;

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of files(SRC)) {
    const src = readFileSync(f, "utf8");
    const deps: string[] = [];
    for (const m of src.matchAll(IMPORT)) {
      if (m[1]) continue; // import type
      deps.push(resolve(dirname(f), m[2]!).replace(/\.js$/, ".ts"));
    }
    g.set(f, deps);
  }
  return g;
}

describe("architecture", () => {
  const g = graph();

  it("has no runtime import cycles", () => {
    const state = new Map<string, 1 | 2>();
    const cycles: string[] = [];
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 1);
      stack.push(f);
      for (const d of g.get(f) ?? []) {
        if (!g.has(d)) continue;
        if (state.get(d) === 1)
          cycles.push([...stack.slice(stack.indexOf(d)), d].map((p) => relative(SRC, p)).join(" → "));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 2);
    };
    for (const f of g.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it("keeps the store free of analyzer and CLI imports", () => {
    const bad: string[] = [];
    for (const [f, deps] of g) {
      const from = relative(SRC, f);
      if (!from.startsWith("store/")) continue;
      for (const d of deps) {
        const to = relative(SRC, d);
        if (to.startsWith("analyzers/") || to.startsWith("cli/") || to.startsWith("corpus/"))
          bad.push(`${from} → ${to}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("keeps analyzers independent of the shells", () => {
    const bad: string[] = [];
    for (const [f, deps] of g) {
      const from = relative(SRC, f);
      if (!from.startsWith("analyzers/") && !from.startsWith("learn/") && !from.startsWith("doc/")) continue;
      for (const d of deps) {
        const to = relative(SRC, d);
        if (to.startsWith("cli/") || to.startsWith("corpus/")) bad.push(`${from} → ${to}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
