/** The taints the node lifecycle controller keeps in step with the node's conditions (upstream's TaintNodesByCondition). */
import type { Condition, Taint } from "../../client/types.ts";

export const NOT_READY = "node.kubernetes.io/not-ready";
export const UNREACHABLE = "node.kubernetes.io/unreachable";

/** NoSchedule taints for pressure conditions that are True, as upstream's nodeConditionToTaintKeyStatusMap. */
const CONDITION_TAINTS: Record<string, string> = {
  MemoryPressure: "node.kubernetes.io/memory-pressure",
  DiskPressure: "node.kubernetes.io/disk-pressure",
  PIDPressure: "node.kubernetes.io/pid-pressure",
};
const MANAGED = new Set([NOT_READY, UNREACHABLE, ...Object.values(CONDITION_TAINTS)]);

/** The pressure taints (NoSchedule) the node's True pressure conditions call for. */
export function taintsForPressure(conditions: Condition[] | undefined): { key: string; effect: "NoSchedule" }[] {
  return (conditions ?? []).filter((c) => c.status === "True" && CONDITION_TAINTS[c.type]).map((c) => ({ key: CONDITION_TAINTS[c.type]!, effect: "NoSchedule" as const }));
}

/** The not-ready/unreachable taints (NoSchedule and NoExecute) a Ready condition calls for. */
export function taintsForReady(ready: Condition | undefined): { key: string; effect: "NoSchedule" | "NoExecute" }[] {
  if (!ready || ready.status === "Unknown") {
    return [
      { key: UNREACHABLE, effect: "NoSchedule" },
      { key: UNREACHABLE, effect: "NoExecute" },
    ];
  }
  if (ready.status === "False") {
    return [
      { key: NOT_READY, effect: "NoSchedule" },
      { key: NOT_READY, effect: "NoExecute" },
    ];
  }
  return [];
}

/** The node's taints with the lifecycle taints replaced by the wanted ones (timeAdded kept for ones already there). */
export function reconcileTaints(current: Taint[] | undefined, wanted: { key: string; effect: Taint["effect"] }[]): Taint[] {
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const managed = (t: Taint): boolean => MANAGED.has(t.key);
  const others = (current ?? []).filter((t) => !managed(t));
  const kept = wanted.map((w) => {
    const existing = (current ?? []).find((t) => t.key === w.key && t.effect === w.effect);
    return existing ?? { key: w.key, effect: w.effect, ...(w.effect === "NoExecute" ? { timeAdded: now } : {}) };
  });
  return [...others, ...kept];
}
