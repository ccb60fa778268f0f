/** The taints the node lifecycle controller keeps in step with the Ready condition. */
import type { Condition, Taint } from "../../client/types.ts";

export const NOT_READY = "node.kubernetes.io/not-ready";
export const UNREACHABLE = "node.kubernetes.io/unreachable";

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
  const managed = (t: Taint): boolean => t.key === NOT_READY || t.key === UNREACHABLE;
  const others = (current ?? []).filter((t) => !managed(t));
  const kept = wanted.map((w) => {
    const existing = (current ?? []).find((t) => t.key === w.key && t.effect === w.effect);
    return existing ?? { key: w.key, effect: w.effect, ...(w.effect === "NoExecute" ? { timeAdded: now } : {}) };
  });
  return [...others, ...kept];
}
