/**
 * LimitRanger admission (upstream plugin/pkg/admission/limitranger): new
 * Pods get their namespace's LimitRange container defaults (recorded in the
 * kubernetes.io/limit-ranger annotation), then Containers, Pods and
 * PersistentVolumeClaims are checked against min, max and
 * maxLimitRequestRatio; a violation is 403 Forbidden with upstream's wording.
 */
import type { KubeObject } from "../../../api/types.ts";
import type { Client } from "../../../client/client.ts";
import type { SharedInformerFactory } from "../../../client/factory.ts";
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { admissionForbidden, isCore, podSpec, REFS, type Container, type ResourceList } from "./common.ts";
import { NamespacedLookup } from "./lookup.ts";
import { canonical, milliOf, ResourceTotals } from "./quantity.ts";

const ANNOTATION = "kubernetes.io/limit-ranger";

export interface LimitRangerOptions {
  /** lists LimitRanges live while the cache has not synced */
  client: Client;
  informers: SharedInformerFactory;
}

/** One spec.limits item of a LimitRange. */
export interface LimitRangeItem {
  type?: string;
  max?: ResourceList;
  min?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}

function itemsOf(lr: KubeObject): LimitRangeItem[] {
  return ((lr.spec as { limits?: LimitRangeItem[] } | undefined)?.limits ?? []).filter((i) => i && typeof i === "object");
}

/** Fills missing container requests/limits from the Container items' defaults; returns the annotation text parts. */
export function applyContainerDefaults(pod: KubeObject, items: LimitRangeItem[]): string[] {
  const limits: ResourceList = {};
  const requests: ResourceList = {};
  for (const item of items) {
    if (item.type !== "Container") continue;
    Object.assign(limits, item.default ?? {});
    Object.assign(requests, item.defaultRequest ?? {});
  }
  if (Object.keys(limits).length === 0 && Object.keys(requests).length === 0) return [];
  const notes: string[] = [];
  const spec = podSpec(pod);
  const merge = (containers: Container[] | undefined, prefix: string): void => {
    for (const c of containers ?? []) {
      const res = (c.resources ??= {});
      const setRequests: string[] = [];
      const setLimits: string[] = [];
      for (const [k, v] of Object.entries(limits)) {
        if ((res.limits ?? {})[k] !== undefined) continue;
        (res.limits ??= {})[k] = v;
        setLimits.push(k);
      }
      for (const [k, v] of Object.entries(requests)) {
        if ((res.requests ?? {})[k] !== undefined) continue;
        // a request above the container's own limit would be invalid: upstream leaves it to the limit
        (res.requests ??= {})[k] = v;
        setRequests.push(k);
      }
      if (setRequests.length) notes.push(`${setRequests.sort().join(", ")} request for ${prefix} ${c.name}`);
      if (setLimits.length) notes.push(`${setLimits.sort().join(", ")} limit for ${prefix} ${c.name}`);
    }
  };
  merge(spec.containers, "container");
  merge(spec.initContainers, "init container");
  return notes;
}

function text(q: string | number): string {
  try {
    return canonical(q);
  } catch {
    return String(q);
  }
}

/** upstream's minConstraint */
function minConstraint(c: { type: string; resource: string; enforced: string | number; requests: ResourceList; limits: ResourceList }): string | undefined {
  const req = c.requests[c.resource];
  const lim = c.limits[c.resource];
  const enforced = milliOf(c.enforced);
  if (req === undefined) return `minimum ${c.resource} usage per ${c.type} is ${text(c.enforced)}.  No request is specified`;
  if (milliOf(req) < enforced) return `minimum ${c.resource} usage per ${c.type} is ${text(c.enforced)}, but request is ${text(req)}`;
  if (lim !== undefined && milliOf(lim) < enforced) return `minimum ${c.resource} usage per ${c.type} is ${text(c.enforced)}, but limit is ${text(lim)}`;
  return undefined;
}

/** upstream's maxConstraint */
function maxConstraint(c: { type: string; resource: string; enforced: string | number; requests: ResourceList; limits: ResourceList }): string | undefined {
  const req = c.requests[c.resource];
  const lim = c.limits[c.resource];
  const enforced = milliOf(c.enforced);
  if (lim === undefined) return `maximum ${c.resource} usage per ${c.type} is ${text(c.enforced)}.  No limit is specified`;
  if (milliOf(lim) > enforced) return `maximum ${c.resource} usage per ${c.type} is ${text(c.enforced)}, but limit is ${text(lim)}`;
  if (req !== undefined && milliOf(req) > enforced) return `maximum ${c.resource} usage per ${c.type} is ${text(c.enforced)}, but request is ${text(req)}`;
  return undefined;
}

/** upstream's maxRequestConstraint (claims: the request is what the user asked for) */
function maxRequestConstraint(c: { type: string; resource: string; enforced: string | number; requests: ResourceList }): string | undefined {
  const req = c.requests[c.resource];
  if (req === undefined) return `maximum ${c.resource} usage per ${c.type} is ${text(c.enforced)}.  No request is specified`;
  if (milliOf(req) > milliOf(c.enforced)) return `maximum ${c.resource} usage per ${c.type} is ${text(c.enforced)}, but request is ${text(req)}`;
  return undefined;
}

/** upstream's limitRequestRatioConstraint */
function ratioConstraint(c: { type: string; resource: string; enforced: string | number; requests: ResourceList; limits: ResourceList }): string | undefined {
  const req = c.requests[c.resource];
  const lim = c.limits[c.resource];
  const e = text(c.enforced);
  if (req === undefined || milliOf(req) === 0n) return `${c.resource} max limit to request ratio per ${c.type} is ${e}, but no request is specified or request is 0`;
  if (lim === undefined || milliOf(lim) === 0n) return `${c.resource} max limit to request ratio per ${c.type} is ${e}, but no limit is specified or limit is 0`;
  const ratio = Number(milliOf(lim)) / Number(milliOf(req));
  if (ratio * 1000 > Number(milliOf(c.enforced))) return `${c.resource} max limit to request ratio per ${c.type} is ${e}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function checkBounds(item: LimitRangeItem, target: { type: string; requests: ResourceList; limits: ResourceList }): string[] {
  const errs: (string | undefined)[] = [];
  for (const [resource, enforced] of Object.entries(item.min ?? {})) errs.push(minConstraint({ ...target, resource, enforced }));
  for (const [resource, enforced] of Object.entries(item.max ?? {})) errs.push(maxConstraint({ ...target, resource, enforced }));
  for (const [resource, enforced] of Object.entries(item.maxLimitRequestRatio ?? {})) errs.push(ratioConstraint({ ...target, resource, enforced }));
  return errs.filter((e): e is string => e !== undefined);
}

/** Sums over app containers, at least the largest init container (upstream's pod requests/limits). */
function podTotals(containers: Container[], init: Container[], which: "requests" | "limits"): ResourceList {
  const sum = new ResourceTotals();
  for (const c of containers) for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) sum.add(k, v);
  const out = sum.toList();
  for (const c of init) {
    for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) {
      if (out[k] === undefined || milliOf(v) > milliOf(out[k])) out[k] = text(v);
    }
  }
  return out;
}

/** The violations of one pod against the LimitRange items. */
export function podViolations(pod: KubeObject, items: LimitRangeItem[]): string[] {
  const spec = podSpec(pod);
  const containers = spec.containers ?? [];
  const init = spec.initContainers ?? [];
  const errs: string[] = [];
  for (const item of items) {
    if (item.type === "Container") {
      for (const c of [...containers, ...init]) {
        errs.push(...checkBounds(item, { type: "Container", requests: c.resources?.requests ?? {}, limits: c.resources?.limits ?? {} }));
      }
    } else if (item.type === "Pod") {
      errs.push(...checkBounds(item, { type: "Pod", requests: podTotals(containers, init, "requests"), limits: podTotals(containers, init, "limits") }));
    }
  }
  return errs;
}

/** The violations of one claim against the LimitRange items. */
export function claimViolations(pvc: KubeObject, items: LimitRangeItem[]): string[] {
  const requests = ((pvc.spec as { resources?: { requests?: ResourceList } } | undefined)?.resources?.requests ?? {}) as ResourceList;
  const errs: (string | undefined)[] = [];
  for (const item of items) {
    if (item.type !== "PersistentVolumeClaim") continue;
    const type = "PersistentVolumeClaim";
    for (const [resource, enforced] of Object.entries(item.min ?? {})) errs.push(minConstraint({ type, resource, enforced, requests, limits: {} }));
    for (const [resource, enforced] of Object.entries(item.max ?? {})) errs.push(maxRequestConstraint({ type, resource, enforced, requests }));
  }
  return errs.filter((e): e is string => e !== undefined);
}

/** utilerrors.NewAggregate's text. */
function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0] : `[${errs.join(", ")}]`;
}

/** Creates the LimitRanger admission plugin. */
export function limitRangerAdmission(opts: LimitRangerOptions): AdmissionHook {
  const ranges = new NamespacedLookup(opts.informers.informerFor(REFS.limitranges), { client: opts.client, ref: REFS.limitranges });
  const rangesIn = (namespace: string): Promise<KubeObject[]> => ranges.list(namespace);

  // containers cannot change on update, so only creates are defaulted and checked (as upstream)
  const applies = (attrs: AdmissionAttributes): boolean => attrs.operation === "CREATE" && (isCore(attrs, "pods") || isCore(attrs, "persistentvolumeclaims")) && attrs.object !== undefined;

  return {
    async mutate(attrs: AdmissionAttributes): Promise<void> {
      if (!applies(attrs) || !isCore(attrs, "pods")) return;
      const pod = attrs.object!;
      const notes = (await rangesIn(attrs.namespace)).flatMap((lr) => applyContainerDefaults(pod, itemsOf(lr)));
      if (notes.length) pod.metadata.annotations = { ...pod.metadata.annotations, [ANNOTATION]: `LimitRanger plugin set: ${notes.join("; ")}` };
    },
    async validate(attrs: AdmissionAttributes): Promise<void> {
      if (!applies(attrs)) return;
      const obj = attrs.object!;
      for (const lr of await rangesIn(attrs.namespace)) {
        const errs = isCore(attrs, "pods") ? podViolations(obj, itemsOf(lr)) : claimViolations(obj, itemsOf(lr));
        if (errs.length) throw admissionForbidden(attrs, aggregate(errs));
      }
    },
  };
}
