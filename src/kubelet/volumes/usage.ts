/** Disk use of emptyDir volumes against their sizeLimit, as upstream's eviction manager checks it. */
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseQuantity } from "../../client/mod.ts";
import type { KPod } from "../types.ts";
import { podDir } from "./volumes.ts";

/** Bytes allocated under path (du semantics: blocks, not apparent sizes; symlinks not followed). */
export function diskUsage(path: string): number {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return 0;
  }
  let total = st.blocks * 512;
  if (st.isDirectory()) {
    let entries: string[] = [];
    try {
      entries = readdirSync(path);
    } catch {
      return total;
    }
    for (const e of entries) total += diskUsage(join(path, e));
  }
  return total;
}

/** The eviction message for the first disk-backed emptyDir over its sizeLimit, or undefined. */
export function emptyDirOverLimit(pod: KPod, rootDir: string): string | undefined {
  for (const v of pod.spec.volumes ?? []) {
    const limit = v.emptyDir?.sizeLimit;
    // Memory-backed ones are bounded by their tmpfs size instead
    if (!limit || v.emptyDir?.medium === "Memory") continue;
    const used = diskUsage(join(podDir(rootDir, pod.metadata.uid!), "volumes", "kubernetes.io~empty-dir", v.name));
    if (used > parseQuantity(limit)) return `Usage of EmptyDir volume "${v.name}" exceeds the limit "${limit}". `;
  }
  return undefined;
}
