/** Pod cgroups: runc creates them under the parent the kubelet names, and nobody else removes them. */
import { readdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = "/sys/fs/cgroup";

function removeTree(dir: string): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return;
  }
  for (const e of entries) removeTree(join(dir, e));
  try {
    rmdirSync(dir);
  } catch {
    /* busy or gone */
  }
}

/** Removes a cgroupfs path (e.g. /kubepods/pod<uid>) from every hierarchy (v1 controllers and the unified one). */
export function removePodCgroups(parent: string): void {
  let hierarchies: string[] = [];
  try {
    hierarchies = readdirSync(ROOT);
  } catch {
    return;
  }
  for (const h of hierarchies) removeTree(join(ROOT, h, parent));
  removeTree(join(ROOT, parent));
}
