/**
 * Container log rotation as upstream's container log manager: when a
 * running container's log exceeds maxSize, rename it with a timestamp, ask
 * the runtime to reopen the file, and keep at most maxFiles files in all.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { CriClient } from "./cri/mod.ts";

/** Rotation limits (upstream defaults: 10Mi, 5 files). */
export interface LogRotateOptions {
  maxSizeBytes?: number;
  maxFiles?: number;
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\.(\d+)Z$/, "-$1");
}

/** Rotates the logs of running containers that grew past the limit; returns the rotated paths. */
export async function rotateContainerLogs(cri: CriClient, opts: LogRotateOptions = {}): Promise<string[]> {
  const maxSize = opts.maxSizeBytes ?? 10 * 1024 * 1024;
  const maxFiles = Math.max(2, opts.maxFiles ?? 5);
  const rotated: string[] = [];
  for (const c of await cri.listContainers({ state: { state: "CONTAINER_RUNNING" } })) {
    const st = await cri.containerStatus(c.id).catch(() => undefined);
    const log = st?.log_path;
    if (!log || !existsSync(log)) continue;
    // old rotations first: keep maxFiles-1 of them besides the live file
    const dir = dirname(log);
    const prefix = basename(log) + ".";
    const olds = readdirSync(dir).filter((f) => f.startsWith(prefix)).sort();
    if (statSync(log).size < maxSize) continue;
    const target = `${log}.${stamp()}`;
    renameSync(log, target);
    try {
      await cri.reopenContainerLog(c.id);
    } catch {
      // the runtime would keep writing into the renamed file: put it back
      renameSync(target, log);
      continue;
    }
    rotated.push(target);
    olds.push(basename(target));
    for (const f of olds.slice(0, Math.max(0, olds.length - (maxFiles - 1)))) rmSync(join(dir, f), { force: true });
  }
  return rotated;
}
