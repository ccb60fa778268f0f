/**
 * Filter plugins: each says why a pod cannot go to a node (upstream's
 * reason strings, which end up in "0/3 nodes are available: ..."), or
 * undefined when it can.
 */
import type { Pod, PodAffinityTerm, TopologySpreadConstraint } from "../client/types.ts";
import { selectorFromLabelSelector } from "../client/selectors.ts";
import { NodeInfo, podHostPorts, podRequests } from "./nodeinfo.ts";
import { podMatchesNodeSelectorAndAffinity, untoleratedTaint } from "./nodeaffinity.ts";
import { volumeReason, type VolumeLookup } from "./volumes.ts";

/** All nodes with their pods, as one scheduling cycle sees them. */
export interface Snapshot {
  nodes: NodeInfo[];
  /** bound pods that carry required anti-affinity terms, with their nodes */
  antiAffinityPods: { pod: Pod; node: NodeInfo }[];
  /** claims, volumes and classes (absent: pods with claims are not checked) */
  volumes?: VolumeLookup;
}

/** Builds a snapshot, indexing the pods whose anti-affinity constrains others. */
export function buildSnapshot(nodes: NodeInfo[], volumes?: VolumeLookup): Snapshot {
  const antiAffinityPods: Snapshot["antiAffinityPods"] = [];
  for (const node of nodes) {
    for (const pod of node.pods) {
      if (pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) antiAffinityPods.push({ pod, node });
    }
  }
  return { nodes, antiAffinityPods, volumes };
}

/** A filter: the reason the node does not fit, or undefined. */
export type Filter = (pod: Pod, node: NodeInfo, snap: Snapshot) => string | undefined;

/** NodeName: spec.nodeName set by the user pins the pod. */
export const nodeNameFilter: Filter = (pod, node) =>
  pod.spec.nodeName && pod.spec.nodeName !== node.name ? "node(s) didn't match the requested node name" : undefined;

/** NodeUnschedulable: cordoned nodes, unless the pod tolerates the unschedulable taint. */
export const unschedulableFilter: Filter = (pod, node) => {
  if (!node.node.spec?.unschedulable) return undefined;
  const tolerated = (pod.spec.tolerations ?? []).some(
    (t) => (t.key === "node.kubernetes.io/unschedulable" || (!t.key && t.operator === "Exists")) && (!t.effect || t.effect === "NoSchedule"),
  );
  return tolerated ? undefined : "node(s) were unschedulable";
};

/** NodeResourcesFit: requests against allocatable minus what bound pods request. */
export const resourcesFilter: Filter = (pod, node) => {
  const reasons: string[] = [];
  const allowedPods = node.allocatable.pods ?? 110;
  if (node.pods.length + 1 > allowedPods) reasons.push("Too many pods");
  const req = podRequests(pod);
  for (const [res, amount] of Object.entries(req)) {
    if (amount <= 0) continue;
    const alloc = node.allocatable[res] ?? 0;
    if ((node.requested[res] ?? 0) + amount > alloc) reasons.push(`Insufficient ${res}`);
  }
  return reasons.length ? reasons.join("\u0000") : undefined;
};

/** NodeAffinity: nodeSelector and required node affinity. */
export const nodeAffinityFilter: Filter = (pod, node) =>
  podMatchesNodeSelectorAndAffinity(pod, node.node) ? undefined : "node(s) didn't match Pod's node affinity/selector";

/** TaintToleration: NoSchedule and NoExecute taints need a toleration. */
export const taintFilter: Filter = (pod, node) => {
  const t = untoleratedTaint(node.node.spec?.taints, { tolerations: pod.spec.tolerations, effects: ["NoSchedule", "NoExecute"] });
  return t ? `node(s) had untolerated taint {${t.key}: ${t.value ?? ""}}` : undefined;
};

/** NodePorts: a host port may be used once per ip/protocol (0.0.0.0 conflicts with any ip). */
export const hostPortsFilter: Filter = (pod, node) => {
  for (const want of podHostPorts(pod)) {
    for (const used of node.usedPorts) {
      if (used.port !== want.port || used.protocol !== want.protocol) continue;
      if (used.ip === want.ip || used.ip === "0.0.0.0" || want.ip === "0.0.0.0") return "node(s) didn't have free ports for the requested pod ports";
    }
  }
  return undefined;
};

function termNamespaces(term: PodAffinityTerm, owner: Pod): string[] | undefined {
  if (term.namespaceSelector && Object.keys(term.namespaceSelector).length === 0) return undefined; // all namespaces
  if (term.namespaces?.length) return term.namespaces;
  return [owner.metadata.namespace ?? "default"];
}

/** Whether `target` is selected by `term` as written on `owner`. */
export function termMatchesPod(t: { term: PodAffinityTerm; owner: Pod }, target: Pod): boolean {
  const { term, owner } = t;
  const nss = termNamespaces(term, owner);
  if (nss && !nss.includes(target.metadata.namespace ?? "default")) return false;
  return selectorFromLabelSelector(term.labelSelector).matches(target.metadata.labels);
}

function topologyValue(node: NodeInfo, key: string): string | undefined {
  return node.node.metadata.labels?.[key];
}

/** InterPodAffinity: required affinity, anti-affinity, and existing pods' anti-affinity. */
export const interPodAffinityFilter: Filter = (pod, node, snap) => {
  const aff = pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const anti = pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  for (const term of aff) {
    const here = topologyValue(node, term.topologyKey);
    if (here === undefined) return "node(s) didn't match pod affinity rules";
    let anyMatch = false;
    let matchHere = false;
    for (const other of snap.nodes) {
      for (const p of other.pods) {
        if (!termMatchesPod({ term, owner: pod }, p)) continue;
        anyMatch = true;
        if (topologyValue(other, term.topologyKey) === here) matchHere = true;
      }
    }
    // the first pod of a group that selects itself may go anywhere
    if (!matchHere && !(anyMatch === false && termMatchesPod({ term, owner: pod }, pod))) return "node(s) didn't match pod affinity rules";
  }
  for (const term of anti) {
    const here = topologyValue(node, term.topologyKey);
    if (here === undefined) continue;
    for (const other of snap.nodes) {
      if (topologyValue(other, term.topologyKey) !== here) continue;
      if (other.pods.some((p) => termMatchesPod({ term, owner: pod }, p))) return "node(s) didn't match pod anti-affinity rules";
    }
  }
  for (const { pod: p, node: other } of snap.antiAffinityPods) {
    for (const term of p.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      const there = topologyValue(other, term.topologyKey);
      if (there === undefined || topologyValue(node, term.topologyKey) !== there) continue;
      if (termMatchesPod({ term, owner: p }, pod)) return "node(s) didn't satisfy existing pods anti-affinity rules";
    }
  }
  return undefined;
};

function constraintSelector(c: TopologySpreadConstraint, pod: Pod): (p: Pod) => boolean {
  const sel = selectorFromLabelSelector(c.labelSelector);
  const extra = (c.matchLabelKeys ?? []).map((k) => [k, pod.metadata.labels?.[k]] as const);
  return (p) =>
    (p.metadata.namespace ?? "default") === (pod.metadata.namespace ?? "default") &&
    sel.matches(p.metadata.labels) &&
    extra.every(([k, v]) => p.metadata.labels?.[k] === v);
}

/** Counts matching pods per topology domain over nodes eligible for the pod. */
export function spreadCounts(pod: Pod, on: { constraint: TopologySpreadConstraint; snap: Snapshot }): Map<string, number> {
  const { constraint: c, snap } = on;
  const counts = new Map<string, number>();
  const matches = constraintSelector(c, pod);
  for (const n of snap.nodes) {
    const domain = topologyValue(n, c.topologyKey);
    if (domain === undefined) continue;
    if (!podMatchesNodeSelectorAndAffinity(pod, n.node)) continue;
    const here = n.pods.filter((p) => !p.metadata.deletionTimestamp && matches(p)).length;
    counts.set(domain, (counts.get(domain) ?? 0) + here);
  }
  return counts;
}

/** PodTopologySpread (DoNotSchedule constraints): skew after placing must stay within maxSkew. */
export const topologySpreadFilter: Filter = (pod, node, snap) => {
  for (const c of pod.spec.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable !== "DoNotSchedule") continue;
    const domain = topologyValue(node, c.topologyKey);
    if (domain === undefined) return "node(s) didn't match pod topology spread constraints (missing required label)";
    const counts = spreadCounts(pod, { constraint: c, snap });
    let min = counts.size < (c.minDomains ?? 1) ? 0 : Infinity;
    for (const v of counts.values()) min = Math.min(min, v);
    if (min === Infinity) min = 0;
    const self = constraintSelector(c, pod)(pod) ? 1 : 0;
    if ((counts.get(domain) ?? 0) + self - min > c.maxSkew) return "node(s) didn't match pod topology spread constraints";
  }
  return undefined;
};

/** VolumeBinding: claims exist, bound volumes fit the node, immediate claims are bound. */
export const volumeBindingFilter: Filter = (pod, node, snap) => (snap.volumes ? volumeReason(pod, { node, lookup: snap.volumes }) : undefined);

/** The default filter chain, in upstream's order. */
export const defaultFilters: Filter[] = [
  nodeNameFilter,
  unschedulableFilter,
  nodeAffinityFilter,
  taintFilter,
  hostPortsFilter,
  resourcesFilter,
  interPodAffinityFilter,
  topologySpreadFilter,
  volumeBindingFilter,
];

/** Where runFilters looks: one node within a snapshot, and the chain (default: defaultFilters). */
export interface FilterTarget {
  node: NodeInfo;
  snap: Snapshot;
  filters?: Filter[];
}

/** Runs the filters; returns the reasons of the first failing filter (empty when the node fits). */
export function runFilters(pod: Pod, target: FilterTarget): string[] {
  const { node, snap, filters = defaultFilters } = target;
  for (const f of filters) {
    const r = f(pod, node, snap);
    if (r) return r.split("\u0000");
  }
  return [];
}

/** Upstream's FitError message: "0/3 nodes are available: 1 reason, 2 other reason." */
export function fitErrorMessage(numNodes: number, reasonsByNode: Map<string, string[]>): string {
  const histogram = new Map<string, number>();
  for (const reasons of reasonsByNode.values()) for (const r of reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  const parts = [...histogram].map(([r, n]) => `${n} ${r}`).sort();
  return `0/${numNodes} nodes are available: ${parts.join(", ")}.`;
}
