/** ControllerRevisions for DaemonSets and StatefulSets: one per distinct template, numbered. */
import type { KubeObject } from "../../api/types.ts";
import type { Client } from "../../client/client.ts";
import { R } from "../../client/resources.ts";
import { canonicalJSON, templateHash } from "./hash.ts";
import { isControlledBy, newControllerRef } from "./owners.ts";

export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}

export interface RevisionOwner {
  obj: KubeObject;
  gvk: { apiVersion: string; kind: string };
  /** the patch stored as revision data, e.g. {spec:{template:{...,$patch:"replace"}}} */
  data: unknown;
  /** labels the revision carries (the owner's selector labels) */
  labels: Record<string, string>;
  collisionCount?: number;
  /** revisions already known (the informer's cache) */
  existing: ControllerRevision[];
}

/** The hash naming a revision of this data. */
export function revisionHash(data: unknown, collisionCount?: number): string {
  return templateHash(data, collisionCount);
}

/**
 * Finds or creates the revision for the owner's current data and returns it
 * with the owner's other revisions; an existing equal revision older than the
 * newest is renumbered to newest+1 (as a rollback does).
 */
export async function ensureRevision(client: Client, owner: RevisionOwner): Promise<{ current: ControllerRevision; all: ControllerRevision[] }> {
  const mine = owner.existing.filter((r) => isControlledBy(r, owner.obj.metadata.uid));
  const want = canonicalJSON(owner.data);
  const max = Math.max(0, ...mine.map((r) => r.revision));
  const same = mine.find((r) => canonicalJSON(r.data) === want);
  if (same) {
    if (same.revision === max) return { current: same, all: mine };
    const bumped = await client.patch<ControllerRevision>(R.controllerrevisions, same.metadata.namespace, same.metadata.name ?? "", "merge", { revision: max + 1 });
    return { current: bumped, all: mine.map((r) => (r === same ? bumped : r)) };
  }
  const hash = revisionHash(owner.data, owner.collisionCount);
  const rev: ControllerRevision = {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: {
      name: `${owner.obj.metadata.name}-${hash}`,
      namespace: owner.obj.metadata.namespace,
      labels: { ...owner.labels, "controller-revision-hash": hash },
      ownerReferences: [newControllerRef(owner.obj, owner.gvk)],
    },
    data: owner.data,
    revision: max + 1,
  };
  try {
    const created = await client.create<ControllerRevision>(R.controllerrevisions, owner.obj.metadata.namespace, rev);
    return { current: created, all: [...mine, created] };
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
    const cur = await client.get<ControllerRevision>(R.controllerrevisions, owner.obj.metadata.namespace, rev.metadata.name ?? "");
    if (isControlledBy(cur, owner.obj.metadata.uid) && canonicalJSON(cur.data) === want) return { current: cur, all: [...mine, cur] };
    throw err;
  }
}

/** The hash label value of a revision. */
export function hashOf(rev: ControllerRevision): string {
  return rev.metadata.labels?.["controller-revision-hash"] ?? (rev.metadata.name ?? "").split("-").pop() ?? "";
}

export interface HistoryOptions {
  all: ControllerRevision[];
  /** hashes still used by pods */
  inUse: Set<string>;
  limit: number;
}

/** Deletes the oldest revisions beyond the limit that no live pod uses. */
export async function truncateHistory(client: Client, opts: HistoryOptions): Promise<void> {
  const { all, inUse, limit } = opts;
  const removable = all.filter((r) => !inUse.has(hashOf(r))).sort((a, b) => a.revision - b.revision);
  const excess = removable.length - limit;
  for (const r of removable.slice(0, Math.max(0, excess))) {
    await client.delete(R.controllerrevisions, r.metadata.namespace, r.metadata.name ?? "").catch(() => undefined);
  }
}
