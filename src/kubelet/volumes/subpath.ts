/** subPath mounts: the path inside the volume is created when missing and may not lead out of the volume (".." or a symlink). */
import { existsSync, mkdirSync, realpathSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { expandVars } from "../env.ts";
import type { ContainerSpec } from "../types.ts";

/** What subPath preparation reads. */
export interface SubPathContext {
  /** volume name → host path */
  volumes: Map<string, string>;
  /** the container's environment, for $(VAR) in subPath */
  env: [string, string][];
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Creates each mount's subPath inside its volume; throws (upstream's message) when one escapes the volume. */
export function prepareSubPaths(c: ContainerSpec, ctx: SubPathContext): void {
  const vars = Object.fromEntries(ctx.env);
  for (const vm of c.volumeMounts ?? []) {
    if (!vm.subPath) continue;
    const host = ctx.volumes.get(vm.name);
    if (!host) continue;
    const sub = expandVars(vm.subPath, vars);
    const fail = (why: string): never => {
      throw new Error(`failed to prepare subPath for volumeMount "${vm.name}" of container "${c.name}": ${why}`);
    };
    if (sub.startsWith("/") || sub.split("/").includes("..")) fail(`subPath ${JSON.stringify(sub)} must be a relative path without ".."`);
    const root = realpathSync(host);
    const target = join(host, sub);
    // the deepest part that exists decides where a symlink leads
    let existing = target;
    while (!existsSync(existing)) existing = dirname(existing);
    const resolved = realpathSync(existing);
    if (!inside(root, resolved)) fail(`subpath ${JSON.stringify(resolved)} not within volume path ${JSON.stringify(root)}`);
    if (existing !== target) mkdirSync(target, { recursive: true, mode: 0o755 });
  }
}
