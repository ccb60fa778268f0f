/**
 * The Namespace controller: a namespace being deleted has everything in it
 * deleted (every namespaced resource discovery lists), reports progress in
 * its conditions, and is finalized (the "kubernetes" finalizer removed
 * through /finalize) once empty.
 */
import type { KubeObject } from "../../api/types.ts";
import type { Client } from "../../client/client.ts";
import type { Condition } from "../../client/types.ts";
import { R } from "../../client/resources.ts";
import { resourcePath } from "../../client/paths.ts";
import { discoverResources, type DiscoveredResource } from "../util/discovery.ts";
import { nowISO } from "../util/pods.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";

interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: Condition[] };
}

const CONDITION_TYPES = [
  "NamespaceDeletionDiscoveryFailure",
  "NamespaceDeletionGroupVersionParsingFailure",
  "NamespaceDeletionContentFailure",
  "NamespaceContentRemaining",
  "NamespaceFinalizersRemaining",
];

export interface NamespaceContent {
  namespace: string;
  /** every served resource (discovery) */
  resources: DiscoveredResource[];
}

/** Deletes the content of one namespace; returns how many objects remain per resource. */
export async function deleteNamespaceContent(client: Client, content: NamespaceContent): Promise<{ remaining: Map<string, number>; finalizers: Map<string, number>; errors: string[] }> {
  const remaining = new Map<string, number>();
  const finalizers = new Map<string, number>();
  const errors: string[] = [];
  const { namespace: ns, resources } = content;
  await Promise.all(
    resources.map(async (r) => {
      if (!r.ref.namespaced || !r.verbs.includes("list") || !r.verbs.includes("delete")) return;
      const name = r.ref.group ? `${r.ref.resource}.${r.ref.group}` : r.ref.resource;
      try {
        if (r.verbs.includes("deletecollection")) {
          const res = await client.raw({ method: "DELETE", path: resourcePath(r.ref, { namespace: ns }) });
          if (res.status >= 400 && res.status !== 404 && res.status !== 405) throw new Error(`deletecollection ${name}: ${res.status}`);
        }
        const list = await client.list(r.ref, ns);
        let left = 0;
        for (const obj of list.items) {
          if (!obj.metadata.deletionTimestamp) {
            await client.delete(r.ref, ns, obj.metadata.name ?? "", { propagationPolicy: "Background" }).catch((err: { code?: number }) => {
              if (err.code !== 404) throw err;
            });
          }
          left++;
          for (const f of obj.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
        }
        if (left) {
          // a second look: most deletions are immediate
          const again = await client.list(r.ref, ns);
          if (again.items.length) remaining.set(name, again.items.length);
        }
      } catch (err) {
        errors.push(`${name}: ${(err as Error).message}`);
      }
    }),
  );
  return { remaining, finalizers, errors };
}

function conditionsFor(result: { remaining: Map<string, number>; finalizers: Map<string, number>; errors: string[] }, discoveryError?: string): Condition[] {
  const now = nowISO();
  const mk = (type: string, ok: boolean, reason: string, message: string): Condition => ({ type, status: ok ? "False" : "True", reason, message, lastTransitionTime: now });
  const remaining = [...result.remaining].map(([r, n]) => `${r} has ${n} resource instances`).sort();
  const fins = [...result.finalizers].map(([f, n]) => `${f} in ${n} resource instances`).sort();
  return [
    discoveryError ? mk(CONDITION_TYPES[0], false, "DiscoveryFailed", discoveryError) : mk(CONDITION_TYPES[0], true, "ResourcesDiscovered", "All resources successfully discovered"),
    mk(CONDITION_TYPES[1], true, "ParsedGroupVersions", "All legacy kube types successfully parsed"),
    result.errors.length ? mk(CONDITION_TYPES[2], false, "ContentDeletionFailed", `Failed to delete all resource types, ${result.errors.length} remaining: ${result.errors.join(", ")}`) : mk(CONDITION_TYPES[2], true, "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
    remaining.length ? mk(CONDITION_TYPES[3], false, "SomeResourcesRemain", `Some resources are remaining: ${remaining.join(", ")}`) : mk(CONDITION_TYPES[3], true, "ContentRemoved", "All content successfully removed"),
    fins.length ? mk(CONDITION_TYPES[4], false, "SomeFinalizersRemain", `Some content in the namespace has finalizers remaining: ${fins.join(", ")}`) : mk(CONDITION_TYPES[4], true, "ContentHasNoFinalizers", "All content-preserving finalizers finished"),
  ];
}

/** Starts the controller. */
export function startNamespaceController(ctx: ControllerContext): RunningController {
  const { client } = ctx;
  const nsInformer = ctx.factory.informerFor<Namespace>(R.namespaces);
  const qc = new QueueController({ name: "namespace-controller", workers: 2, sync });
  const enqueueIfDeleting = (ns: Namespace): void => {
    if (ns.metadata.deletionTimestamp) qc.enqueue(ns);
  };
  const off = nsInformer.addEventHandler({ add: enqueueIfDeleting, update: (_o, n) => enqueueIfDeleting(n) });
  let cached: { at: number; resources: DiscoveredResource[] } | undefined;

  async function resources(): Promise<DiscoveredResource[]> {
    if (!cached || Date.now() - cached.at > 30_000) cached = { at: Date.now(), resources: await discoverResources(client) };
    return cached.resources;
  }

  async function sync(name: string): Promise<void> {
    const ns = nsInformer.store.get(name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    let discoveryError: string | undefined;
    let list: DiscoveredResource[] = [];
    try {
      list = await resources();
    } catch (err) {
      discoveryError = (err as Error).message;
    }
    const result = await deleteNamespaceContent(client, { namespace: name, resources: list });
    const conds = conditionsFor(result, discoveryError);
    const prev = ns.status?.conditions ?? [];
    const same = conds.every((c) => prev.some((p) => p.type === c.type && p.status === c.status && p.message === c.message));
    let current: Namespace = ns;
    if (!same) {
      const merged = conds.map((c) => {
        const p = prev.find((x) => x.type === c.type);
        return p && p.status === c.status ? { ...c, lastTransitionTime: p.lastTransitionTime } : c;
      });
      try {
        current = await client.update<Namespace>(R.namespaces, undefined, { ...ns, status: { ...(ns.status ?? {}), phase: "Terminating", conditions: merged } }, { subresource: "status" });
      } catch (err) {
        if ((err as { code?: number }).code === 404) return;
        throw err;
      }
    }
    if (result.remaining.size || result.errors.length || discoveryError) {
      // content is still going away (graceful pods, finalizers): look again shortly
      qc.queue.addAfter(name, result.errors.length ? 5000 : 1000);
      return;
    }
    if ((current.spec?.finalizers ?? []).includes("kubernetes")) {
      const finalized = { ...current, spec: { ...(current.spec ?? {}), finalizers: (current.spec?.finalizers ?? []).filter((f) => f !== "kubernetes") } };
      try {
        current = await client.update<Namespace>(R.namespaces, undefined, finalized, { subresource: "finalize" });
      } catch (err) {
        if ((err as { code?: number }).code === 404) return;
        throw err;
      }
    }
    if ((current.metadata.finalizers ?? []).length === 0 && (current.spec?.finalizers ?? []).length === 0) {
      await client.delete(R.namespaces, undefined, name).catch((err: { code?: number }) => {
        if (err.code !== 404) throw err;
      });
    }
  }

  return startQueueController(qc, [off]);
}
