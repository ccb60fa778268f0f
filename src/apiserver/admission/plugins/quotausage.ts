/**
 * What one object counts against a ResourceQuota (upstream's quota
 * evaluators): object counts for every resource (count/<resource>[.<group>]),
 * and compute, storage, node-port and load-balancer usage for pods, claims
 * and services.
 */
import type { KubeObject } from "../../../api/types.ts";
import { podSpec, type Container, type ResourceList } from "./common.ts";
import { milliOf, ResourceTotals } from "./quantity.ts";

/** The resources an object of `group`/`resource` counts (its object count first). */
export function countResourceName(group: string, resource: string): string {
  return group ? `count/${resource}.${group}` : `count/${resource}`;
}

/** Legacy names upstream still counts objects under. */
const LEGACY_COUNTS: Record<string, string> = {
  pods: "pods",
  services: "services",
  configmaps: "configmaps",
  secrets: "secrets",
  persistentvolumeclaims: "persistentvolumeclaims",
  replicationcontrollers: "replicationcontrollers",
  resourcequotas: "resourcequotas",
};

/** Whether a pod still uses quota: not finished, and not past its deletion grace (upstream's QuotaV1Pod). */
export function podCounts(pod: KubeObject, now = Date.now()): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === "Succeeded" || phase === "Failed") return false;
  const md = pod.metadata;
  if (md.deletionTimestamp && md.deletionGracePeriodSeconds !== undefined) {
    if (now > Date.parse(md.deletionTimestamp) + md.deletionGracePeriodSeconds * 1000) return false;
  }
  return true;
}

function addMax(into: Map<string, { milli: bigint; q: string | number }>, list: ResourceList): void {
  for (const [k, v] of Object.entries(list)) {
    const m = milliOf(v);
    const cur = into.get(k);
    if (!cur || m > cur.milli) into.set(k, { milli: m, q: v });
  }
}

/** Pod requests or limits: the sum of app containers, at least the largest init container, plus overhead. */
export function podResources(pod: KubeObject, which: "requests" | "limits"): ResourceTotals {
  const spec = podSpec(pod);
  const sum = new ResourceTotals();
  for (const c of spec.containers ?? []) for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) sum.add(k, v);
  const initMax = new Map<string, { milli: bigint; q: string | number }>();
  for (const c of (spec.initContainers ?? []) as Container[]) addMax(initMax, c.resources?.[which] ?? {});
  const out = new ResourceTotals();
  const names = new Set([...sum.values.keys(), ...initMax.keys()]);
  for (const k of names) {
    const s = sum.values.get(k) ?? 0n;
    const i = initMax.get(k);
    if (i && i.milli > s) out.add(k, i.q);
    else out.addFrom(k, { totals: sum, resource: k });
  }
  for (const [k, v] of Object.entries(spec.overhead ?? {})) if (names.has(k)) out.add(k, v);
  return out;
}

/** Compute resources quota names bare and under limits.* (extended resources only under requests.*). */
const STANDARD = new Set(["cpu", "memory", "ephemeral-storage"]);

interface ServiceSpec {
  type?: string;
  ports?: { nodePort?: number }[];
}

/** The quota usage of one object of the given group/resource. */
export function usageOf(ref: { group: string; resource: string }, obj: KubeObject): ResourceTotals {
  const u = new ResourceTotals();
  if (ref.group === "" && ref.resource === "pods" && !podCounts(obj)) return u;
  u.add(countResourceName(ref.group, ref.resource), 1);
  if (ref.group === "" && LEGACY_COUNTS[ref.resource]) u.add(LEGACY_COUNTS[ref.resource], 1);
  if (ref.group !== "") return u;
  if (ref.resource === "pods") {
    const requests = podResources(obj, "requests");
    const limits = podResources(obj, "limits");
    for (const k of requests.values.keys()) {
      u.addFrom(`requests.${k}`, { totals: requests, resource: k });
      if (STANDARD.has(k)) u.addFrom(k, { totals: requests, resource: k });
    }
    for (const k of limits.values.keys()) if (STANDARD.has(k)) u.addFrom(`limits.${k}`, { totals: limits, resource: k });
  } else if (ref.resource === "services") {
    const spec = (obj.spec ?? {}) as ServiceSpec;
    if (spec.type === "LoadBalancer") u.add("services.loadbalancers", 1);
    if (spec.type === "NodePort" || spec.type === "LoadBalancer") u.add("services.nodeports", (spec.ports ?? []).length);
  } else if (ref.resource === "persistentvolumeclaims") {
    const spec = (obj.spec ?? {}) as { storageClassName?: string; resources?: { requests?: ResourceList } };
    const storage = spec.resources?.requests?.storage;
    if (storage !== undefined) u.add("requests.storage", storage);
    if (spec.storageClassName) {
      const prefix = `${spec.storageClassName}.storageclass.storage.k8s.io/`;
      u.add(`${prefix}persistentvolumeclaims`, 1);
      if (storage !== undefined) u.add(`${prefix}requests.storage`, storage);
    }
  }
  return u;
}
