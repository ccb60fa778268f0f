/**
 * Worker threads from TypeScript modules: a worker does not take
 * `--import tsx`, so each module is bundled once to plain ESM in a temp dir.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";

const bundles = new Map<string, string>();

/** Starts a worker thread running `module` with `workerData`. */
export async function tsWorker(module: URL, workerData: unknown): Promise<Worker> {
  let bundled = bundles.get(module.href);
  if (!bundled) {
    const outfile = join(mkdtempSync(join(tmpdir(), "k3s-bench-thread-")), "thread.mjs");
    await build({
      entryPoints: [fileURLToPath(module)], outfile, bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "warning",
      // CommonJS dependencies inside an ESM bundle need a require
      banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
    });
    bundles.set(module.href, (bundled = outfile));
  }
  return new Worker(bundled, { workerData });
}

/** Runs a worker thread to its first message. */
export async function runThread<T>(module: URL, workerData: unknown): Promise<T> {
  const w = await tsWorker(module, workerData);
  return await new Promise<T>((resolve, reject) => {
    w.once("message", (m: T) => resolve(m));
    w.once("error", reject);
    w.once("exit", (code) => code !== 0 && reject(new Error(`${module.pathname} exited with ${code}`)));
  });
}

/** Removes the bundles written so far. */
export function removeBundles(): void {
  for (const file of bundles.values()) rmSync(dirname(file), { recursive: true, force: true });
  bundles.clear();
}
