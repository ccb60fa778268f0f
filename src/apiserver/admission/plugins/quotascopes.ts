/** Which objects a ResourceQuota's scopes cover, and which resources it then tracks (upstream's pod evaluator scopes). */
import type { KubeObject } from "../../../api/types.ts";
import { podSpec } from "./common.ts";

/** A ResourceQuota as admission and the controller read it. */
export interface ResourceQuota extends KubeObject {
  spec?: { hard?: Record<string, string>; scopes?: string[]; scopeSelector?: { matchExpressions?: ScopeRequirement[] } };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

export interface ScopeRequirement {
  scopeName: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

function scopeRequirements(q: ResourceQuota): ScopeRequirement[] {
  const out: ScopeRequirement[] = (q.spec?.scopes ?? []).map((s) => ({ scopeName: s, operator: "Exists" }));
  return [...out, ...(q.spec?.scopeSelector?.matchExpressions ?? [])];
}

function isBestEffort(pod: KubeObject): boolean {
  const spec = podSpec(pod);
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])].every((c) => {
    const r = c.resources ?? {};
    return Object.keys(r.requests ?? {}).length === 0 && Object.keys(r.limits ?? {}).length === 0;
  });
}

function podMatches(pod: KubeObject, req: ScopeRequirement): boolean {
  const spec = podSpec(pod);
  switch (req.scopeName) {
    case "Terminating":
      return spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds >= 0;
    case "NotTerminating":
      return spec.activeDeadlineSeconds === undefined || spec.activeDeadlineSeconds < 0;
    case "BestEffort":
      return isBestEffort(pod);
    case "NotBestEffort":
      return !isBestEffort(pod);
    case "PriorityClass": {
      const pc = (pod.spec as { priorityClassName?: string } | undefined)?.priorityClassName ?? "";
      if (req.operator === "Exists") return pc !== "";
      if (req.operator === "DoesNotExist") return pc === "";
      const inValues = (req.values ?? []).includes(pc);
      return req.operator === "In" ? inValues : !inValues;
    }
    default:
      return false;
  }
}

/** Whether the quota covers this object at all. */
export function quotaCovers(q: ResourceQuota, target: { group: string; resource: string; object: KubeObject }): boolean {
  const reqs = scopeRequirements(q);
  if (reqs.length === 0) return true;
  // scopes only ever select pods
  if (target.group !== "" || target.resource !== "pods") return false;
  return reqs.every((r) => podMatches(target.object, r));
}

/** Whether a resource name is one a scoped quota may track (pods and compute resources). */
export function scopedResource(name: string): boolean {
  return name === "pods" || name === "count/pods" || /^(requests|limits)\.|^(cpu|memory|ephemeral-storage)$/.test(name);
}

/** The resources a quota can track given its scopes. */
export function trackedResources(q: ResourceQuota): string[] {
  const hard = Object.keys(q.spec?.hard ?? {});
  return scopeRequirements(q).length ? hard.filter(scopedResource) : hard;
}
