/** Pod cgroups (cgroupfs, v1 hierarchies): the kubelet creates each pod's with its limits before runc nests the containers in it, and removes it after. */
import { existsSync, mkdirSync, readdirSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PodCgroupResources } from "./spec.ts";

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

function write(file: string, value: number): void {
  try {
    writeFileSync(file, String(value));
  } catch (e) {
    throw new Error(`cannot set ${file} to ${value}: ${(e as Error).message}`);
  }
}

/** Creates the pod cgroup in the cpu and memory hierarchies (cgroup v1) and sets its limits; a no-op where those hierarchies are absent. */
export function ensurePodCgroup(parent: string, res: PodCgroupResources): void {
  const cpu = join(ROOT, "cpu", parent);
  if (existsSync(join(ROOT, "cpu", "cpu.shares"))) {
    mkdirSync(cpu, { recursive: true });
    write(join(cpu, "cpu.shares"), res.cpuShares);
    // the period first: a quota is checked against the current period
    if (res.cpuQuota !== undefined) {
      write(join(cpu, "cpu.cfs_period_us"), res.cpuPeriod ?? 100_000);
      write(join(cpu, "cpu.cfs_quota_us"), res.cpuQuota);
    }
  }
  const mem = join(ROOT, "memory", parent);
  if (res.memoryLimit !== undefined && existsSync(join(ROOT, "memory", "memory.limit_in_bytes"))) {
    mkdirSync(mem, { recursive: true });
    write(join(mem, "memory.limit_in_bytes"), res.memoryLimit);
  }
}
