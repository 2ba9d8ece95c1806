// Starting a worker thread from a module that sits beside the caller, compiled or not.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";

/**
 * Starts the worker module `name` (no extension) in the caller's directory (`callerUrl` = the caller's
 * import.meta.url): the compiled `name.js` beside a compiled caller, or (under tsx/vitest, where the caller is
 * a .ts source) `name.ts` through tsx's loader, registered inside the worker before it imports the source.
 */
export function spawnModuleWorker(
  callerUrl: string,
  name: string,
  workerData: unknown,
  resourceLimits?: ResourceLimits,
): Worker {
  const here = fileURLToPath(callerUrl);
  if (here.endsWith(".js"))
    return new Worker(join(dirname(here), `${name}.js`), { workerData, resourceLimits });
  const tsx = pathToFileURL(
    createRequire(callerUrl)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const src = pathToFileURL(join(dirname(here), `${name}.ts`)).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(src)}); });`;
  return new Worker(boot, { eval: true, workerData, resourceLimits });
}
