/**
 * Which pod goes first, as upstream ranks them: for memory and disk, pods
 * using more than they requested, then lower priority, then the largest use
 * above the request; for pids, lower priority then more processes. Pods
 * without stats go first. Also the eviction message naming the offenders.
 */
import { parseQuantity } from "../../client/mod.ts";
import type { KPod } from "../types.ts";
import type { Signal } from "./thresholds.ts";

/** One container's usage. */
export interface ContainerUsage {
  name: string;
  /** working set bytes */
  memory: number;
  /** writable layer bytes */
  rootfs: number;
  /** log bytes */
  logs: number;
}

/** One pod's usage, as the eviction manager measured it. */
export interface PodUsage {
  memory: number;
  containers: ContainerUsage[];
  /** bytes used by each local (emptyDir, hostPath-free) volume, by volume name */
  volumes: Map<string, number>;
  processes: number;
}

/** What a signal starves: upstream's resource names (they appear in messages). */
export type StarvedResource = "memory" | "ephemeral-storage" | "inodes" | "pids";

/** The resource behind each signal. */
export const SIGNAL_RESOURCE: Record<Signal, StarvedResource> = {
  "memory.available": "memory",
  "nodefs.available": "ephemeral-storage",
  "nodefs.inodesFree": "inodes",
  "imagefs.available": "ephemeral-storage",
  "imagefs.inodesFree": "inodes",
  "pid.available": "pids",
};

/** Priorities of the built-in classes, for pods whose spec.priority was never resolved. */
const CLASS_PRIORITY: Record<string, number> = { "system-node-critical": 2_000_001_000, "system-cluster-critical": 2_000_000_000 };

/** The pod's priority: spec.priority, else a built-in class's, else 0. */
export function podPriority(pod: KPod): number {
  const spec = pod.spec as { priority?: number; priorityClassName?: string };
  return spec.priority ?? CLASS_PRIORITY[spec.priorityClassName ?? ""] ?? 0;
}

/** Critical pods are never evicted: static and mirror pods, and system-critical priorities (upstream's IsCriticalPod). */
export function isCriticalPod(pod: KPod): boolean {
  const ann = pod.metadata.annotations ?? {};
  const source = ann["kubernetes.io/config.source"];
  if ((source && source !== "api") || ann["kubernetes.io/config.mirror"] !== undefined) return true;
  return podPriority(pod) >= 2_000_000_000;
}

/** The pod's request of a resource: the larger of its containers' sum and any init container's (upstream's PodRequests). */
export function podRequest(pod: KPod, resource: string): number {
  const req = (c: { resources?: { requests?: Record<string, string> } }): number => parseQuantity(c.resources?.requests?.[resource]);
  const sum = pod.spec.containers.reduce((a, c) => a + req(c), 0);
  return Math.max(sum, ...(pod.spec.initContainers ?? []).map(req));
}

/** A pod's disk use: writable layers, logs and local volumes (one filesystem holds them all here). */
export function podDiskUsage(u: PodUsage): number {
  let total = 0;
  for (const c of u.containers) total += c.rootfs + c.logs;
  for (const v of u.volumes.values()) total += v;
  return total;
}

type Cmp = (a: KPod, b: KPod) => number;

const byBool = (a: boolean, b: boolean): number => (a === b ? 0 : a ? -1 : 1);

function chain(stats: Map<string, PodUsage>, ...cmps: Cmp[]): Cmp {
  return (a, b) => {
    const sa = stats.has(a.metadata.uid!);
    const sb = stats.has(b.metadata.uid!);
    if (!sa || !sb) return byBool(!sa, !sb);
    for (const c of cmps) {
      const r = c(a, b);
      if (r !== 0) return r;
    }
    return 0;
  };
}

const byPriority: Cmp = (a, b) => podPriority(a) - podPriority(b);

function usageRanking(stats: Map<string, PodUsage>, usage: (u: PodUsage) => number, resource: string): Cmp {
  const over = (p: KPod): number => usage(stats.get(p.metadata.uid!)!) - podRequest(p, resource);
  return chain(stats, (a, b) => byBool(over(a) > 0, over(b) > 0), byPriority, (a, b) => over(b) - over(a));
}

/** Orders pods for eviction under pressure on a resource (first = evicted first); the input is not changed. */
export function rankPods(pods: readonly KPod[], stats: Map<string, PodUsage>, resource: StarvedResource): KPod[] {
  let cmp: Cmp;
  if (resource === "memory") cmp = usageRanking(stats, (u) => u.memory, "memory");
  // inodes are ranked by bytes too: the volumes' inode counts are not measured here
  else if (resource === "ephemeral-storage" || resource === "inodes") cmp = usageRanking(stats, podDiskUsage, "ephemeral-storage");
  else cmp = chain(stats, byPriority, (a, b) => stats.get(b.metadata.uid!)!.processes - stats.get(a.metadata.uid!)!.processes);
  return [...pods].sort(cmp);
}

const BINARY_SUFFIXES: [string, number][] = [
  ["Ei", 2 ** 60],
  ["Pi", 2 ** 50],
  ["Ti", 2 ** 40],
  ["Gi", 2 ** 30],
  ["Mi", 2 ** 20],
  ["Ki", 2 ** 10],
];

/** A byte count as upstream prints a BinarySI quantity: the largest suffix that divides it exactly. */
export function binaryQuantity(n: number): string {
  const v = Math.trunc(n);
  if (v === 0) return "0";
  for (const [s, unit] of BINARY_SUFFIXES) if (v % unit === 0) return `${v / unit}${s}`;
  return String(v);
}

/** The threshold that was met for the starved resource, with its amount and the observation. */
export interface MetThreshold {
  /** as written ("100Mi") or the percentage's amount */
  quantity: string;
  available: number;
}

/** Upstream's eviction message: the starved resource, the threshold, and each container using more than it requested. */
export function evictionMessage(resource: StarvedResource, pod: KPod, usage: PodUsage | undefined, met: MetThreshold | undefined): string {
  let msg = `The node was low on resource: ${resource}. `;
  const fmt = resource === "memory" || resource === "ephemeral-storage" ? binaryQuantity : (n: number): string => String(Math.trunc(n));
  if (met) msg += `Threshold quantity: ${met.quantity}, available: ${fmt(met.available)}. `;
  if (!usage || (resource !== "memory" && resource !== "ephemeral-storage")) return msg;
  const specs = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  for (const cu of usage.containers) {
    const spec = specs.find((c) => c.name === cu.name);
    if (!spec) continue;
    const reqText = spec.resources?.requests?.[resource] ?? "0";
    const used = resource === "memory" ? cu.memory : cu.rootfs + cu.logs;
    if (used > parseQuantity(reqText)) msg += `Container ${cu.name} was using ${binaryQuantity(used)}, request is ${reqText}, has larger consumption of ${resource}. `;
  }
  return msg;
}
