/**
 * Basic preemption as upstream's DefaultPreemption: on a node where only
 * removable causes failed, remove every lower-priority pod, then give back
 * as many as still leave room (highest priority first). Pick the node whose
 * victims have the lowest top priority, then the fewest victims.
 */
import type { Pod } from "../client/types.ts";
import type { NodeInfo } from "./nodeinfo.ts";
import { buildSnapshot, runFilters, type Filter, type Snapshot } from "./filters.ts";

/** The priority of a pod (spec.priority, 0 when unset). */
export function podPriority(pod: Pod): number {
  return pod.spec.priority ?? 0;
}

// failures that removing pods can cure; anything else makes a node hopeless
const resolvable = [/^Insufficient /, /^Too many pods$/, /free ports/, /existing pods anti-affinity/, /pod anti-affinity rules/];

export interface PreemptionPlan {
  node: NodeInfo;
  victims: Pod[];
}

/** What planPreemption looks at: the snapshot, why each node failed, the filter chain. */
export interface PreemptionInput {
  snap: Snapshot;
  reasonsByNode: Map<string, string[]>;
  filters?: Filter[];
}

/** Finds where the pod could run by evicting lower-priority pods, or undefined. */
export function planPreemption(pod: Pod, input: PreemptionInput): PreemptionPlan | undefined {
  const { snap, reasonsByNode, filters } = input;
  if (pod.spec.preemptionPolicy === "Never") return undefined;
  const prio = podPriority(pod);
  let best: PreemptionPlan | undefined;
  let bestKey: [number, number] | undefined;
  for (const node of snap.nodes) {
    const reasons = reasonsByNode.get(node.name) ?? [];
    if (reasons.length === 0 || !reasons.every((r) => resolvable.some((re) => re.test(r)))) continue;
    const candidates = node.pods.filter((p) => podPriority(p) < prio);
    if (candidates.length === 0) continue;
    const removed = new Set(candidates);
    const fits = (set: Set<Pod>): boolean => {
      const trial = node.without(set);
      const trialSnap = buildSnapshot(snap.nodes.map((n) => (n === node ? trial : n)), snap.volumes);
      return runFilters(pod, { node: trial, snap: trialSnap, filters }).length === 0;
    };
    if (!fits(removed)) continue;
    const byPrioDesc = [...candidates].sort((a, b) => podPriority(b) - podPriority(a));
    for (const p of byPrioDesc) {
      removed.delete(p);
      if (!fits(removed)) removed.add(p);
    }
    const victims = [...removed];
    const key: [number, number] = [Math.max(...victims.map(podPriority)), victims.length];
    if (!bestKey || key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
      best = { node, victims };
      bestKey = key;
    }
  }
  return best;
}
