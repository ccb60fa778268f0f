/**
 * The resource quota controller (upstream pkg/controller/resourcequota):
 * keeps each ResourceQuota's status.hard equal to spec.hard and recounts
 * status.used from the namespace's objects when the quota changes, when
 * pods, services or claims in its namespace change (usage given back on
 * delete), and periodically for everything else.
 */
import type { KubeObject } from "../../../api/types.ts";
import { ApiError, type Client, type ResourceRef } from "../../../client/client.ts";
import { SharedInformerFactory } from "../../../client/factory.ts";
import { Lister } from "../../../client/lister.ts";
import { runController } from "../../../client/runner.ts";
import { objectKey, splitKey } from "../../../client/store.ts";
import { WorkQueue } from "../../../client/workqueue.ts";
import { REFS } from "./common.ts";
import { ResourceTotals } from "./quantity.ts";
import { quotaCovers, trackedResources, type ResourceQuota } from "./quotascopes.ts";
import { usageOf } from "./quotausage.ts";

export interface ResourceQuotaControllerOptions {
  /** shared informers (default: a factory of the controller's own, started and stopped with it) */
  informers?: SharedInformerFactory;
  /** how often every quota is recounted (default 30 s; upstream 5 min) */
  resyncMs?: number;
}

/** A running quota controller. */
export interface ResourceQuotaController {
  /** resolves once the informers have synced */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/** The resources quota names that are not object counts of a single resource. */
const COMPUTE = /^(requests|limits)\.|^(cpu|memory|ephemeral-storage)$/;
const LEGACY: Record<string, string> = {
  pods: "pods",
  services: "services",
  "services.nodeports": "services",
  "services.loadbalancers": "services",
  configmaps: "configmaps",
  secrets: "secrets",
  persistentvolumeclaims: "persistentvolumeclaims",
  replicationcontrollers: "replicationcontrollers",
  resourcequotas: "resourcequotas",
};

/** The resource whose objects make up a quota resource name, e.g. "count/deployments.apps" → apps deployments. */
export function sourceOf(name: string): { group: string; resource: string } | undefined {
  if (COMPUTE.test(name)) return { group: "", resource: "pods" };
  if (name === "requests.storage" || name.endsWith(".storageclass.storage.k8s.io/requests.storage") || name.endsWith(".storageclass.storage.k8s.io/persistentvolumeclaims")) {
    return { group: "", resource: "persistentvolumeclaims" };
  }
  if (LEGACY[name]) return { group: "", resource: LEGACY[name] };
  if (!name.startsWith("count/")) return undefined;
  const rest = name.slice("count/".length);
  const dot = rest.indexOf(".");
  return dot < 0 ? { group: "", resource: rest } : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) };
}

/** Finds the served version of a group for listing (core is v1; the rest asked from discovery). */
async function refFor(client: Client, src: { group: string; resource: string }): Promise<ResourceRef | undefined> {
  if (src.group === "") return { group: "", version: "v1", resource: src.resource, namespaced: true };
  const res = await client.raw({ method: "GET", path: `/apis/${src.group}` });
  if (res.status !== 200) return undefined;
  const version = (JSON.parse(res.body.toString()) as { preferredVersion?: { version?: string } }).preferredVersion?.version;
  return version ? { group: src.group, version, resource: src.resource, namespaced: true } : undefined;
}

/** Recounts one quota's usage from live lists of its namespace. */
export async function computeUsage(client: Client, quota: ResourceQuota): Promise<Record<string, string>> {
  const namespace = quota.metadata.namespace ?? "";
  const tracked = trackedResources(quota);
  const sources = new Map<string, { group: string; resource: string }>();
  for (const r of tracked) {
    const s = sourceOf(r);
    if (s) sources.set(`${s.group}/${s.resource}`, s);
  }
  const total = new ResourceTotals();
  for (const src of sources.values()) {
    const ref = await refFor(client, src);
    if (!ref) continue;
    let items: KubeObject[];
    try {
      items = (await client.list(ref, namespace)).items;
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) continue;
      throw err;
    }
    for (const obj of items) {
      if (!quotaCovers(quota, { ...src, object: obj })) continue;
      const u = usageOf(src, obj);
      for (const k of u.values.keys()) total.addFrom(k, { totals: u, resource: k });
    }
  }
  const counted = total.toList();
  const used: Record<string, string> = {};
  for (const r of tracked) used[r] = counted[r] ?? "0";
  return used;
}

function sameList(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ka = Object.keys(a ?? {}).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a![k] === b[k]);
}

/** Starts the resource quota controller with a superuser client. */
export function startResourceQuotaController(client: Client, opts: ResourceQuotaControllerOptions = {}): ResourceQuotaController {
  const own = !opts.informers;
  const factory = opts.informers ?? new SharedInformerFactory(client);
  const quotas = factory.informerFor<ResourceQuota>(REFS.resourcequotas);
  const lister = new Lister(quotas);
  const queue = new WorkQueue();
  const enqueue = (q: KubeObject): void => queue.add(objectKey(q));
  const enqueueNamespace = (obj: KubeObject): void => {
    for (const q of lister.list(obj.metadata.namespace ?? "")) enqueue(q);
  };
  quotas.addEventHandler({
    add: enqueue,
    update: (o, n) => {
      if (JSON.stringify(o.spec) !== JSON.stringify(n.spec) || !sameList(n.status?.hard, n.spec?.hard ?? {})) enqueue(n);
    },
  });
  // objects whose deletion or change gives usage back
  for (const ref of [REFS.pods, REFS.services, REFS.persistentvolumeclaims]) {
    factory.informerFor(ref).addEventHandler({
      delete: enqueueNamespace,
      update: (o, n) => {
        const phase = (x: KubeObject): unknown => (x.status as { phase?: string } | undefined)?.phase;
        if (phase(o) !== phase(n) || JSON.stringify(o.spec) !== JSON.stringify(n.spec) || o.metadata.deletionTimestamp !== n.metadata.deletionTimestamp) enqueueNamespace(n);
      },
    });
  }

  async function sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    let quota: ResourceQuota;
    try {
      quota = await client.get<ResourceQuota>(REFS.resourcequotas, namespace, name);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
    const hard = quota.spec?.hard ?? {};
    const used = await computeUsage(client, quota);
    if (sameList(quota.status?.hard, hard) && sameList(quota.status?.used, used)) return;
    // a conflict means admission charged the quota meanwhile: the requeue recounts
    await client.update(REFS.resourcequotas, namespace, { ...quota, status: { hard, used } }, { subresource: "status" });
  }

  const loop = runController({ name: "resourcequota", queue, sync, workers: 2 });
  const timer = setInterval(() => {
    for (const q of lister.list()) enqueue(q);
  }, opts.resyncMs ?? 30_000);
  timer.unref();
  if (own) factory.start();
  return {
    ready: () => factory.waitForSync(),
    async stop() {
      clearInterval(timer);
      await loop.stop();
      if (own) factory.stop();
    },
  };
}
