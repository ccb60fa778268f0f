/**
 * Upstream's localStorageEviction: a pod goes (whatever the node's state)
 * when a disk emptyDir outgrows its sizeLimit, when the pod's local storage
 * outgrows its containers' summed ephemeral-storage limits, or when one
 * container's logs and writable layer outgrow its own limit.
 */
import { parseQuantity } from "../../client/mod.ts";
import type { KPod } from "../types.ts";
import { binaryQuantity, podDiskUsage, type PodUsage } from "./ranking.ts";

/** The eviction message if the pod is over one of its local storage limits, else undefined. */
export function localStorageViolation(pod: KPod, usage: PodUsage): string | undefined {
  for (const v of pod.spec.volumes ?? []) {
    const limit = v.emptyDir?.sizeLimit;
    if (!limit || v.emptyDir?.medium === "Memory") continue;
    const used = usage.volumes.get(v.name);
    if (used !== undefined && parseQuantity(limit) > 0 && used > parseQuantity(limit)) return `Usage of EmptyDir volume "${v.name}" exceeds the limit "${limit}". `;
  }
  const limits = pod.spec.containers.map((c) => c.resources?.limits?.["ephemeral-storage"]).filter((l): l is string => l !== undefined);
  if (limits.length > 0) {
    const total = limits.reduce((a, l) => a + parseQuantity(l), 0);
    if (podDiskUsage(usage) > total) return `Pod ephemeral local storage usage exceeds the total limit of containers ${limits.length === 1 ? limits[0] : binaryQuantity(total)}. `;
  }
  for (const c of usage.containers) {
    const limit = pod.spec.containers.find((s) => s.name === c.name)?.resources?.limits?.["ephemeral-storage"];
    if (limit && parseQuantity(limit) > 0 && c.logs + c.rootfs > parseQuantity(limit)) return `Container ${c.name} exceeded its local ephemeral storage limit "${limit}". `;
  }
  return undefined;
}
