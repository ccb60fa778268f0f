/**
 * Objects every cluster starts with: the system namespaces, priority classes,
 * the `kubernetes` Service, and the RBAC bootstrap policy (reconciled at every
 * start, as kube-apiserver's post-start hooks do).
 */
import type { KubeObject } from "../api/types.ts";
import { bootstrapObjects, kubernetesEndpointObjects } from "../api/mod.ts";
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

/** Attempts of a refused bootstrap create, and the pause between them. */
const REFUSED_RETRIES = 25;
const REFUSED_PAUSE_MS = 200;

/**
 * Creates obj unless it exists. A server starting beside this one on the same datastore may be
 * creating it too: until its create lands, the `kubernetes` Service's IP is taken and ours is
 * refused (422); a moment later the same create meets the stored object (409).
 */
export async function createIfMissing(client: Client, ref: ResourceRef, obj: KubeObject): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.create(ref, obj.metadata.namespace, obj);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.code === 409) return false;
      if (!(err instanceof ApiError && err.code === 422) || attempt >= REFUSED_RETRIES) throw err;
      await new Promise((r) => setTimeout(r, REFUSED_PAUSE_MS));
    }
  }
}

async function listKind(client: Client, api: ApiServer, sample: KubeObject): Promise<KubeObject[]> {
  const ref = refFor(api, sample);
  const list = await client.list(ref, undefined);
  return list.items.map((i) => ({ ...i, apiVersion: sample.apiVersion, kind: sample.kind }));
}

/** Creates obj, or replaces the fields named by `fields` when they differ from what is stored. */
async function ensureFields(client: Client, ref: ResourceRef, obj: KubeObject, fields: string[]): Promise<void> {
  if (await createIfMissing(client, ref, obj)) return;
  const current = await client.get(ref, obj.metadata.namespace, obj.metadata.name ?? "");
  if (fields.every((f) => JSON.stringify(current[f]) === JSON.stringify(obj[f]))) return;
  const next: KubeObject = { ...current };
  for (const f of fields) next[f] = obj[f];
  await client.update(ref, obj.metadata.namespace, next);
}

/** Where the `kubernetes` Service sends clients: this server. */
export interface ApiEndpoint {
  address: string;
  port: number;
}

/** Creates the start-up objects and reconciles the RBAC bootstrap policy. */
export async function bootstrapCluster(client: Client, api: ApiServer, cluster: ClusterSettings, endpoint: ApiEndpoint): Promise<void> {
  // namespaces first: the other objects live in them
  const objects = bootstrapObjects(cluster);
  const isNamespace = (o: KubeObject): boolean => o.kind === "Namespace";
  await Promise.all(objects.filter(isNamespace).map((o) => createIfMissing(client, refFor(api, o), o)));
  await Promise.all(objects.filter((o) => !isNamespace(o)).map((o) => createIfMissing(client, refFor(api, o), o)));
  for (const obj of kubernetesEndpointObjects(endpoint)) {
    await ensureFields(client, refFor(api, obj), obj, obj.kind === "Endpoints" ? ["subsets"] : ["endpoints", "ports"]);
  }
  const desired = bootstrapPolicy();
  const samples = new Map<string, KubeObject>();
  for (const o of desired) samples.set(`${o.apiVersion}/${o.kind}`, o);
  const existing: KubeObject[] = [];
  for (const sample of samples.values()) existing.push(...(await listKind(client, api, sample)));
  const changes = reconcilePolicy(existing, desired);
  // concurrent writes share the datastore's group commits
  await Promise.all(changes.create.map((obj) => createIfMissing(client, refFor(api, obj), obj)));
  await Promise.all(changes.update.map((obj) => client.update(refFor(api, obj), obj.metadata.namespace, obj)));
  if (changes.create.length || changes.update.length) {
    log.info(`RBAC bootstrap policy: created ${changes.create.length}, updated ${changes.update.length}`);
  }
}
