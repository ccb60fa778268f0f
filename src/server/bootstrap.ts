/**
 * Objects every cluster starts with: the system namespaces, priority classes,
 * the `kubernetes` Service, and the RBAC bootstrap policy (reconciled at every
 * start, as kube-apiserver's post-start hooks do).
 */
import type { KubeObject } from "../api/types.ts";
import { bootstrapObjects } from "../api/mod.ts";
import type { ClusterSettings } from "../api/kind.ts";
import type { ApiServer } from "../apiserver/mod.ts";
import { bootstrapPolicy, reconcilePolicy } from "../apiserver/auth/mod.ts";
import { ApiError, type Client, type ResourceRef } from "../client/client.ts";
import { log } from "../util/log.ts";

/** The ResourceRef serving an object's apiVersion and kind. */
export function refFor(api: ApiServer, obj: KubeObject): ResourceRef {
  const [group, version] = (obj.apiVersion ?? "v1").includes("/") ? (obj.apiVersion as string).split("/") : ["", obj.apiVersion ?? "v1"];
  const kind = api.kinds.lookupKind(group, version, obj.kind ?? "");
  if (!kind) throw new Error(`no resource serves ${obj.apiVersion} ${obj.kind}`);
  return { group, version, resource: kind.resource, namespaced: kind.namespaced };
}

/** Creates obj unless it exists. */
export async function createIfMissing(client: Client, ref: ResourceRef, obj: KubeObject): Promise<boolean> {
  try {
    await client.create(ref, obj.metadata.namespace, obj);
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.code === 409) return false;
    throw err;
  }
}

async function listKind(client: Client, api: ApiServer, sample: KubeObject): Promise<KubeObject[]> {
  const ref = refFor(api, sample);
  const list = await client.list(ref, undefined);
  return list.items.map((i) => ({ ...i, apiVersion: sample.apiVersion, kind: sample.kind }));
}

/** Creates the start-up objects and reconciles the RBAC bootstrap policy. */
export async function bootstrapCluster(client: Client, api: ApiServer, cluster: ClusterSettings): Promise<void> {
  for (const obj of bootstrapObjects(cluster)) await createIfMissing(client, refFor(api, obj), obj);
  const desired = bootstrapPolicy();
  const samples = new Map<string, KubeObject>();
  for (const o of desired) samples.set(`${o.apiVersion}/${o.kind}`, o);
  const existing: KubeObject[] = [];
  for (const sample of samples.values()) existing.push(...(await listKind(client, api, sample)));
  const changes = reconcilePolicy(existing, desired);
  for (const obj of changes.create) await createIfMissing(client, refFor(api, obj), obj);
  for (const obj of changes.update) await client.update(refFor(api, obj), obj.metadata.namespace, obj);
  if (changes.create.length || changes.update.length) {
    log.info(`RBAC bootstrap policy: created ${changes.create.length}, updated ${changes.update.length}`);
  }
}
