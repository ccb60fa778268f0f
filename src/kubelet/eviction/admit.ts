/**
 * The eviction admit handler: under node pressure the kubelet refuses new
 * pods as upstream does: BestEffort pods under MemoryPressure alone (unless
 * they tolerate the memory-pressure taint), every pod under DiskPressure or
 * PIDPressure; critical pods are always admitted.
 */
import { qosClass } from "../spec.ts";
import type { KPod } from "../types.ts";
import { isCriticalPod } from "./ranking.ts";

/** A node pressure condition the eviction manager reports. */
export type PressureCondition = "MemoryPressure" | "DiskPressure" | "PIDPressure";

/** The admission verdict. */
export type AdmitResult = { admit: true } | { admit: false; reason: "Evicted"; message: string };

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

function toleratesMemoryPressure(pod: KPod): boolean {
  const tolerations = (pod.spec as { tolerations?: Toleration[] }).tolerations ?? [];
  return tolerations.some((t) => {
    if (t.effect && t.effect !== "NoSchedule") return false;
    if (!t.key) return t.operator === "Exists";
    if (t.key !== "node.kubernetes.io/memory-pressure") return false;
    return t.operator === "Exists" || !t.value;
  });
}

/** Whether a new pod may start on a node with these pressure conditions (in Memory, Disk, PID order). */
export function admitPod(pod: KPod, conditions: readonly PressureCondition[]): AdmitResult {
  if (conditions.length === 0 || isCriticalPod(pod)) return { admit: true };
  if (conditions.length === 1 && conditions[0] === "MemoryPressure") {
    if (qosClass(pod) !== "BestEffort" || toleratesMemoryPressure(pod)) return { admit: true };
  }
  // Go's %v of the condition list
  return { admit: false, reason: "Evicted", message: `The node had condition: [${conditions.join(" ")}]. ` };
}
