/**
 * ResourceQuota admission (upstream plugin/pkg/admission/resourcequota): a
 * create (or an update that grows usage) in a namespace with quotas is
 * refused with 403 when it would take any quota's status.used past its hard
 * limit; otherwise the new usage is written to the quota's status at once,
 * with optimistic concurrency, so racing creates cannot both take the last unit.
 */
import type { KubeObject } from "../../../api/types.ts";
import { ApiError, type Client } from "../../../client/client.ts";
import type { SharedInformerFactory } from "../../../client/factory.ts";
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { admissionForbidden, podSpec, REFS } from "./common.ts";
import { NamespacedLookup } from "./lookup.ts";
import { formatQuantity, milliOf, ResourceTotals } from "./quantity.ts";
import { quotaCovers, trackedResources, type ResourceQuota } from "./quotascopes.ts";
import { usageOf } from "./quotausage.ts";

export interface ResourceQuotaAdmissionOptions {
  /** a superuser client: reads quotas live after a conflict and writes their status */
  client: Client;
  informers: SharedInformerFactory;
}

const MAX_ATTEMPTS = 8;
/** Resources whose absence in a container makes a pod unaccountable (upstream's backward-compatible rule). */
const MUST_SPECIFY = new Set(["requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "cpu", "memory"]);

/** upstream's prettyPrint: sorted `name=value` joined by commas */
function prettyPrint(list: Record<string, string>): string {
  return Object.keys(list)
    .sort()
    .map((k) => `${k}=${list[k]}`)
    .join(",");
}

/** Usage growth of this write: the new object's usage, less the old one's on update, only what grew. */
function deltaOf(attrs: AdmissionAttributes): ResourceTotals {
  const ref = { group: attrs.kind.group, resource: attrs.kind.resource };
  const next = usageOf(ref, attrs.object!);
  if (attrs.operation !== "UPDATE" || !attrs.oldObject) return next;
  const old = usageOf(ref, attrs.oldObject);
  const grown = new ResourceTotals();
  for (const [k, v] of next.values) {
    const d = v - (old.values.get(k) ?? 0n);
    if (d > 0n) grown.addFrom(k, { totals: diffOne(next, k, d), resource: k });
  }
  return grown;
}

function diffOne(source: ResourceTotals, name: string, milli: bigint): ResourceTotals {
  const t = new ResourceTotals();
  t.add(name, milli);
  if (source.isBinary(name)) t.markBinary(name);
  return t;
}

/** upstream's podEvaluator.Constraints: quota on cpu/memory needs every container to state it. */
function missingRequests(pod: KubeObject, tracked: string[]): string | undefined {
  const required = tracked.filter((r) => MUST_SPECIFY.has(r)).sort();
  const spec = podSpec(pod);
  const parts: string[] = [];
  for (const r of required) {
    const [which, res] = r.startsWith("limits.") ? ["limits", r.slice(7)] : ["requests", r.replace(/^requests\./, "")];
    const missing = [...(spec.containers ?? []), ...(spec.initContainers ?? [])]
      .filter((c) => c.resources?.[which as "limits" | "requests"]?.[res] === undefined)
      .map((c) => c.name)
      .sort();
    if (missing.length) parts.push(`${r} for: ${missing.join(",")}`);
  }
  return parts.length ? `must specify ${parts.join("; ")}` : undefined;
}

/** The quota's status after admitting `delta`, or the refusal text. */
export function admitAgainst(q: ResourceQuota, change: { delta: ResourceTotals; object: KubeObject; isPod: boolean }): { used?: Record<string, string>; refusal?: string } {
  const name = q.metadata.name ?? "";
  if (change.isPod) {
    const missing = missingRequests(change.object, trackedResources(q));
    if (missing) return { refusal: `failed quota: ${name}: ${missing}` };
  }
  const tracked = trackedResources(q).filter((r) => change.delta.values.has(r));
  if (tracked.length === 0) return {};
  const hard = q.status?.hard ?? {};
  const used = q.status?.used ?? {};
  const unknown = tracked.filter((r) => hard[r] === undefined || used[r] === undefined);
  if (unknown.length) return { refusal: `status unknown for quota: ${name}, resources: ${unknown.sort().join(",")}` };
  const exceeded = tracked.filter((r) => milliOf(used[r]) + change.delta.values.get(r)! > milliOf(hard[r]));
  if (exceeded.length) {
    const requested: Record<string, string> = {};
    const was: Record<string, string> = {};
    const limited: Record<string, string> = {};
    for (const r of exceeded) {
      requested[r] = change.delta.toList()[r];
      was[r] = used[r];
      limited[r] = hard[r];
    }
    return { refusal: `exceeded quota: ${name}, requested: ${prettyPrint(requested)}, used: ${prettyPrint(was)}, limited: ${prettyPrint(limited)}` };
  }
  const next = { ...used };
  for (const r of tracked) {
    const sum = new ResourceTotals();
    sum.add(r, used[r]);
    sum.addFrom(r, { totals: change.delta, resource: r });
    next[r] = sum.toList()[r] ?? formatQuantity(0n);
  }
  return { used: next };
}

/** Creates the ResourceQuota admission plugin. */
export function resourceQuotaAdmission(opts: ResourceQuotaAdmissionOptions): AdmissionHook {
  const informer = opts.informers.informerFor<ResourceQuota>(REFS.resourcequotas);
  const cached = new NamespacedLookup(informer, { client: opts.client, ref: REFS.resourcequotas });
  // one admission at a time per namespace in this process: fewer status conflicts between our own writes
  const lanes = new Map<string, Promise<void>>();

  async function quotasIn(namespace: string, live: boolean): Promise<ResourceQuota[]> {
    if (!live) return cached.list(namespace);
    return (await opts.client.list<ResourceQuota>(REFS.resourcequotas, namespace)).items;
  }

  async function admit(attrs: AdmissionAttributes): Promise<void> {
    const delta = deltaOf(attrs);
    if (delta.values.size === 0) return;
    const target = { group: attrs.kind.group, resource: attrs.kind.resource, object: attrs.object! };
    const isPod = target.group === "" && target.resource === "pods";
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const quotas = (await quotasIn(attrs.namespace, attempt > 0)).filter((q) => quotaCovers(q, target));
      const updates: ResourceQuota[] = [];
      for (const q of quotas.sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1))) {
        const r = admitAgainst(q, { delta, object: attrs.object!, isPod });
        if (r.refusal) throw admissionForbidden(attrs, r.refusal);
        if (r.used) updates.push({ ...q, status: { ...q.status, used: r.used } });
      }
      if (attrs.dryRun || updates.length === 0) return;
      try {
        for (const u of updates) await opts.client.update(REFS.resourcequotas, attrs.namespace, u, { subresource: "status" });
        return;
      } catch (err) {
        // another writer moved a quota on: re-read and decide again
        if (!(err instanceof ApiError && err.code === 409)) throw err;
      }
    }
    throw admissionForbidden(attrs, "status unknown for quota: too many conflicting updates");
  }

  return {
    async mutate(): Promise<void> {},
    async validate(attrs: AdmissionAttributes): Promise<void> {
      if (attrs.operation === "DELETE" || attrs.subresource !== "" || !attrs.object || !attrs.kind.namespaced) return;
      if ((await cached.list(attrs.namespace)).length === 0) return;
      const prev = lanes.get(attrs.namespace) ?? Promise.resolve();
      const run = prev.then(() => admit(attrs));
      const lane = run.then(
        () => undefined,
        () => undefined,
      );
      lanes.set(attrs.namespace, lane);
      try {
        await run;
      } finally {
        if (lanes.get(attrs.namespace) === lane) lanes.delete(attrs.namespace);
      }
    },
  };
}
