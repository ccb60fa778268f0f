/** Score plugins (0..100 each) and the weighted sum the scheduler ranks nodes by. */
import type { Pod } from "../client/types.ts";
import { NodeInfo, nonZeroRequests } from "./nodeinfo.ts";
import { nodeMatchesTerm } from "./nodeaffinity.ts";
import { spreadCounts, termMatchesPod, type Snapshot } from "./filters.ts";

/** NodeResourcesFit LeastAllocated: free fraction of cpu and memory after placing. */
export function leastAllocatedScore(pod: Pod, node: NodeInfo): number {
  const req = nonZeroRequests(pod);
  const part = (used: number, alloc: number): number => (alloc <= 0 || used > alloc ? 0 : ((alloc - used) * 100) / alloc);
  return (part(node.nonZero.cpu + req.cpu, node.allocatable.cpu ?? 0) + part(node.nonZero.memory + req.memory, node.allocatable.memory ?? 0)) / 2;
}

/** NodeResourcesBalancedAllocation: penalises uneven cpu vs memory use. */
export function balancedAllocationScore(pod: Pod, node: NodeInfo): number {
  const req = nonZeroRequests(pod);
  const cpu = Math.min(1, (node.nonZero.cpu + req.cpu) / Math.max(1, node.allocatable.cpu ?? 0));
  const mem = Math.min(1, (node.nonZero.memory + req.memory) / Math.max(1, node.allocatable.memory ?? 0));
  const std = Math.abs(cpu - mem) / 2;
  return (1 - std) * 100;
}

/** NodeAffinity preferred terms: sum of matching weights (normalised later). */
export function nodeAffinityRaw(pod: Pod, node: NodeInfo): number {
  let s = 0;
  for (const p of pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (nodeMatchesTerm(node.node, p.preference)) s += p.weight;
  }
  return s;
}

/** TaintToleration: count of untolerated PreferNoSchedule taints (fewer is better). */
export function preferNoScheduleRaw(pod: Pod, node: NodeInfo): number {
  let n = 0;
  for (const t of node.node.spec?.taints ?? []) {
    if (t.effect !== "PreferNoSchedule") continue;
    const tolerated = (pod.spec.tolerations ?? []).some(
      (tol) => (!tol.effect || tol.effect === "PreferNoSchedule") && (tol.operator === "Exists" ? !tol.key || tol.key === t.key : tol.key === t.key && (tol.value ?? "") === (t.value ?? "")),
    );
    if (!tolerated) n++;
  }
  return n;
}

/** InterPodAffinity preferred terms: + weight per matching pod in the domain, - for anti. */
function interPodAffinityRaw(pod: Pod, node: NodeInfo, snap: Snapshot): number {
  const a = pod.spec.affinity;
  const terms = [
    ...(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => ({ ...t, sign: 1 })),
    ...(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => ({ ...t, sign: -1 })),
  ];
  if (terms.length === 0) return 0;
  let s = 0;
  for (const t of terms) {
    const key = t.podAffinityTerm.topologyKey;
    const here = node.node.metadata.labels?.[key];
    if (here === undefined) continue;
    for (const other of snap.nodes) {
      if (other.node.metadata.labels?.[key] !== here) continue;
      for (const p of other.pods) if (termMatchesPod({ term: t.podAffinityTerm, owner: pod }, p)) s += t.sign * t.weight;
    }
  }
  return s;
}

/**
 * PodTopologySpread scoring: fewer matching pods in the node's domains is
 * better. Pods without constraints get upstream's system defaults (spread
 * by hostname and zone across the pod's own owner's pods), which is what
 * spreads a ReplicaSet's replicas.
 */
function spreadRaw(pod: Pod, node: NodeInfo, snap: Snapshot, sameOwner: (p: Pod) => boolean): number {
  const soft = (pod.spec.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === "ScheduleAnyway");
  if (soft.length) {
    let s = 0;
    for (const c of soft) {
      const domain = node.node.metadata.labels?.[c.topologyKey];
      if (domain === undefined) continue;
      s += spreadCounts(pod, { constraint: c, snap }).get(domain) ?? 0;
    }
    return s;
  }
  if (!pod.spec.topologySpreadConstraints?.length && pod.metadata.ownerReferences?.length) {
    return node.pods.filter(sameOwner).length;
  }
  return 0;
}

function normalise(raw: number[], reverse: boolean): number[] {
  const max = Math.max(0, ...raw.map(Math.abs));
  if (max === 0) return raw.map(() => (reverse ? 100 : 0));
  return raw.map((v) => (reverse ? 100 - (v * 100) / max : (v * 100) / max));
}

/** Weighted total score per node, as upstream's default profile (rough weights). */
export function scoreNodes(pod: Pod, on: { nodes: NodeInfo[]; snap: Snapshot }): number[] {
  const { nodes, snap } = on;
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller)?.uid;
  const sameOwner = (p: Pod): boolean => !!owner && p.metadata.ownerReferences?.some((o) => o.uid === owner) === true;
  const least = nodes.map((n) => leastAllocatedScore(pod, n));
  const balanced = nodes.map((n) => balancedAllocationScore(pod, n));
  const affinity = normalise(nodes.map((n) => nodeAffinityRaw(pod, n)), false);
  const taints = normalise(nodes.map((n) => preferNoScheduleRaw(pod, n)), true);
  const ipa = nodes.map((n) => interPodAffinityRaw(pod, n, snap));
  const ipaMin = Math.min(0, ...ipa);
  const ipaMax = Math.max(0, ...ipa);
  const ipaNorm = ipa.map((v) => (ipaMax === ipaMin ? 0 : ((v - ipaMin) * 100) / (ipaMax - ipaMin)));
  const spread = normalise(nodes.map((n) => spreadRaw(pod, n, snap, sameOwner)), true);
  return nodes.map((_, i) => least[i] + balanced[i] + 2 * affinity[i] + 3 * taints[i] + 2 * ipaNorm[i] + 2 * spread[i]);
}
