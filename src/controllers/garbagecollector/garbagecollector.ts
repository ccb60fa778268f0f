/**
 * The garbage collector: objects whose owners are all gone are deleted
 * (Background); owners deleted in the Foreground keep their
 * foregroundDeletion finalizer until their blocking dependents are gone;
 * owners deleted with Orphan have their dependents released first.
 */
import type { KubeObject } from "../../api/types.ts";
import type { ResourceRef } from "../../client/client.ts";
import { ApiError } from "../../client/client.ts";
import type { Informer } from "../../client/informer.ts";
import { discoverResources, type DiscoveredResource } from "../util/discovery.ts";
import { QueueController, type ControllerContext, type RunningController } from "../util/context.ts";
import { OwnershipGraph, type GraphNode } from "./graph.ts";

const FOREGROUND = "foregroundDeletion";
const ORPHAN = "orphan";
// high-churn kinds that never own anything and are never owned by the collector's rules
const IGNORED = new Set(["events", "events.events.k8s.io", "leases.coordination.k8s.io"]);

type OwnerState = "solid" | "dangling" | "waiting";

/** Starts the collector over every listable, watchable, deletable resource. */
export async function startGarbageCollector(ctx: ControllerContext): Promise<RunningController> {
  const { client } = ctx;
  const graph = new OwnershipGraph();
  const qc = new QueueController({ name: "garbage-collector", workers: 4, sync });
  const byKind = new Map<string, DiscoveredResource>();
  const watched = new Set<string>();
  const offs: (() => void)[] = [];
  let stopped = false;

  function watch(r: DiscoveredResource): Informer {
    const inf = ctx.factory.informerFor(r.ref);
    offs.push(
      inf.addEventHandler({
        add: (o) => onChange(o, r),
        update: (_old, o) => onChange(o, r),
        delete: (o) => onDelete(o),
      }),
    );
    return inf;
  }

  function onChange(obj: KubeObject, r: DiscoveredResource): void {
    const uid = obj.metadata.uid;
    if (!uid) return;
    const old = graph.upsert(obj, r.ref, r.kind, r.apiVersion);
    const node = graph.get(uid)!;
    // an object whose owners changed, or that appeared, may be garbage
    if (node.owners.length && (!old || JSON.stringify(old.owners) !== JSON.stringify(node.owners))) qc.queue.add(uid);
    if (node.deleting && (node.finalizers.includes(FOREGROUND) || node.finalizers.includes(ORPHAN))) qc.queue.add(uid);
    // a deleting owner's dependents react to its foreground deletion
    if (node.deleting && node.finalizers.includes(FOREGROUND) && !old?.deleting) for (const d of graph.dependentsOf(uid)) qc.queue.add(d.uid);
  }

  function onDelete(obj: KubeObject): void {
    const uid = obj.metadata.uid;
    if (!uid) return;
    const node = graph.remove(uid);
    for (const d of graph.dependentsOf(uid)) qc.queue.add(d.uid);
    // owners waiting in the foreground may now be free
    for (const o of node?.owners ?? obj.metadata.ownerReferences ?? []) if (graph.get(o.uid)?.deleting) qc.queue.add(o.uid);
  }

  async function discover(): Promise<void> {
    const resources = await discoverResources(client);
    for (const r of resources) {
      byKind.set(`${r.apiVersion}/${r.kind}`, r);
      const name = r.ref.group ? `${r.ref.resource}.${r.ref.group}` : r.ref.resource;
      if (watched.has(name) || IGNORED.has(name)) continue;
      if (!["list", "watch", "delete"].every((v) => r.verbs.includes(v))) continue;
      watched.add(name);
      watch(r).start();
    }
  }

  function refFor(apiVersion: string, kind: string): ResourceRef | undefined {
    const exact = byKind.get(`${apiVersion}/${kind}`)?.ref;
    if (exact) return exact;
    // an owner named in another version of its group
    const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
    for (const r of byKind.values()) if (r.kind === kind && r.ref.group === group) return r.ref;
    return undefined;
  }

  async function ownerState(dep: GraphNode, o: { uid: string; apiVersion: string; kind: string; name: string }): Promise<OwnerState> {
    const known = graph.get(o.uid);
    if (known) return known.deleting && known.finalizers.includes(FOREGROUND) ? "waiting" : "solid";
    // not (yet) in our caches: ask the server so informer lag never deletes a live object
    const ref = refFor(o.apiVersion, o.kind);
    if (!ref) return "solid";
    try {
      const owner = await client.get(ref, ref.namespaced ? dep.namespace : undefined, o.name);
      if (owner.metadata.uid !== o.uid) return "dangling";
      return owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FOREGROUND) ? "waiting" : "solid";
    } catch (err) {
      if (err instanceof ApiError && (err.code === 404 || err.code === 410)) return "dangling";
      throw err;
    }
  }

  async function removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    const cur = await client.get(node.ref, node.namespace || undefined, node.name);
    if (cur.metadata.uid !== node.uid || !cur.metadata.finalizers?.includes(finalizer)) return;
    await client.patch(node.ref, node.namespace || undefined, node.name, "merge", {
      metadata: { finalizers: cur.metadata.finalizers.filter((f) => f !== finalizer), resourceVersion: cur.metadata.resourceVersion },
    });
  }

  async function deleteNode(node: GraphNode, policy: "Background" | "Foreground" | "Orphan"): Promise<void> {
    try {
      await client.delete(node.ref, node.namespace || undefined, node.name, { propagationPolicy: policy, preconditions: { uid: node.uid } });
    } catch (err) {
      if (err instanceof ApiError && (err.code === 404 || err.code === 409)) return;
      throw err;
    }
  }

  async function orphanDependents(node: GraphNode): Promise<void> {
    for (const d of graph.dependentsOf(node.uid)) {
      const cur = await client.get(d.ref, d.namespace || undefined, d.name).catch(() => undefined);
      if (!cur || cur.metadata.uid !== d.uid) continue;
      const rest = (cur.metadata.ownerReferences ?? []).filter((r) => r.uid !== node.uid);
      await client.patch(d.ref, d.namespace || undefined, d.name, "merge", {
        metadata: { ownerReferences: rest.length ? rest : null, resourceVersion: cur.metadata.resourceVersion },
      });
    }
    await removeFinalizer(node, ORPHAN);
  }

  async function sync(uid: string): Promise<void> {
    const node = graph.get(uid);
    if (!node) return;
    if (node.deleting && node.finalizers.includes(ORPHAN)) return orphanDependents(node);
    if (node.deleting && node.finalizers.includes(FOREGROUND)) {
      const deps = graph.dependentsOf(uid);
      const blocking = deps.filter((d) => d.owners.some((o) => o.uid === uid && o.blockOwnerDeletion));
      for (const d of deps) if (!d.deleting) qc.queue.add(d.uid);
      if (blocking.length === 0) await removeFinalizer(node, FOREGROUND);
      return;
    }
    if (node.deleting || node.owners.length === 0) return;
    const states = await Promise.all(node.owners.map((o) => ownerState(node, o)));
    const solid = states.filter((s) => s === "solid").length;
    const dangling = node.owners.filter((_, i) => states[i] === "dangling");
    const waiting = node.owners.filter((_, i) => states[i] === "waiting");
    if (solid > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      // keep the object, drop references to owners that are gone or going
      const drop = new Set([...dangling, ...waiting].map((o) => o.uid));
      const cur = await client.get(node.ref, node.namespace || undefined, node.name);
      await client.patch(node.ref, node.namespace || undefined, node.name, "merge", {
        metadata: { ownerReferences: (cur.metadata.ownerReferences ?? []).filter((o) => !drop.has(o.uid)), resourceVersion: cur.metadata.resourceVersion },
      });
      return;
    }
    if (waiting.length && graph.dependentsOf(uid).length) return deleteNode(node, "Foreground");
    const policy = node.finalizers.includes(ORPHAN) ? "Orphan" : node.finalizers.includes(FOREGROUND) || waiting.length ? "Foreground" : "Background";
    await deleteNode(node, policy);
  }

  await discover();
  qc.start();
  // pick up resources that appear later (CRDs)
  const timer = setInterval(() => {
    if (!stopped) discover().catch(() => undefined);
  }, 30_000);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      for (const off of offs) off();
      await qc.stop();
    },
  };
}
