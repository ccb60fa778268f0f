/**
 * Worker threads from TypeScript modules: a worker does not take
 * `--import tsx`, so each module is bundled once to plain ESM in a temp dir.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";

// promises, so that threads started together share one bundle
const bundles = new Map<string, Promise<string>>();
const dirs: string[] = [];

async function bundle(module: URL): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "k3s-bench-thread-"));
  dirs.push(dir);
  const outfile = join(dir, "thread.mjs");
  await build({
    entryPoints: [fileURLToPath(module)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    // CommonJS dependencies inside an ESM bundle need a require
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
  });
  return outfile;
}

/** Starts a worker thread running `module` with `workerData`. */
export async function tsWorker(module: URL, workerData: unknown): Promise<Worker> {
  let bundled = bundles.get(module.href);
  if (!bundled) bundles.set(module.href, (bundled = bundle(module)));
  return new Worker(await bundled, { workerData });
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
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  bundles.clear();
}
