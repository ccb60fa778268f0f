/**
 * The ReplicaSet (and ReplicationController) controller: create or delete
 * pods until the selector matches `replicas` active pods; adopt matching
 * orphans, release pods that stop matching; report status.
 */
import type { KubeObject } from "../../api/types.ts";
import type { ResourceRef } from "../../client/client.ts";
import type { Pod, PodTemplateSpec, ReplicaSetStatus } from "../../client/types.ts";
import { R } from "../../client/resources.ts";
import { objectKey } from "../../client/store.ts";
import { Lister } from "../../client/lister.ts";
import { selectorFromLabelSelector, selectorFromMap, type LabelSelector, type Selector } from "../../client/selectors.ts";
import { adoptPatch, controllerRef, isControlledBy, newControllerRef, releasePatch } from "../util/owners.ts";
import { compareForDeletion, isPodActive, isPodAvailable, isPodReady } from "../util/pods.ts";
import { Expectations } from "../util/expectations.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";

/** A ReplicaSet or ReplicationController, seen through the fields both share. */
interface ReplicatedObject extends KubeObject {
  spec: { replicas?: number; minReadySeconds?: number; selector?: LabelSelector | Record<string, string>; template?: PodTemplateSpec };
  status?: ReplicaSetStatus;
}

/** Which kind the controller manages. */
export interface ReplicaKindAdapter {
  ref: ResourceRef;
  apiVersion: string;
  kind: string;
  component: string;
  selectorOf(obj: ReplicatedObject): Selector;
}

export const replicaSetAdapter: ReplicaKindAdapter = {
  ref: R.replicasets,
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  component: "replicaset-controller",
  selectorOf: (o) => selectorFromLabelSelector(o.spec.selector as LabelSelector),
};

export const replicationControllerAdapter: ReplicaKindAdapter = {
  ref: R.replicationcontrollers,
  apiVersion: "v1",
  kind: "ReplicationController",
  component: "replication-controller",
  selectorOf: (o) => selectorFromMap((o.spec.selector as Record<string, string> | undefined) ?? o.spec.template?.metadata?.labels),
};

/** Pods indexed by their controller's uid; orphans by "<orphan>/<namespace>". */
export const CONTROLLER_INDEX = "controllerUID";
const ORPHAN = "<orphan>";
function controllerIndex(pod: KubeObject): string[] {
  const ref = controllerRef(pod);
  return [ref ? ref.uid : `${ORPHAN}/${pod.metadata.namespace ?? ""}`];
}

// upstream's burstReplicas: at most this many creations/deletions per sync
const BURST = 500;

/** The pods a controller would create or delete to reach its replicas. */
export function replicaDiff(active: number, replicas: number): { create: number; remove: number } {
  const diff = replicas - active;
  return diff > 0 ? { create: Math.min(diff, BURST), remove: 0 } : { create: 0, remove: Math.min(-diff, BURST) };
}

/** Status computed from the controller's pods. */
export function computeReplicaStatus(obj: ReplicatedObject, of: { pods: Pod[]; selector: Selector }): ReplicaSetStatus {
  const { pods, selector } = of;
  const templateLabels = obj.spec.template?.metadata?.labels ?? {};
  const minReady = obj.spec.minReadySeconds ?? 0;
  return {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((p) => Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v) && selector.matches(p.metadata.labels)).length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReady)).length,
    observedGeneration: obj.metadata.generation,
    conditions: obj.status?.conditions,
  };
}

/** Starts the controller for one adapter (ReplicaSet or ReplicationController). */
export function startReplicaController(ctx: ControllerContext, adapter: ReplicaKindAdapter = replicaSetAdapter): RunningController {
  const { client } = ctx;
  const rsInformer = ctx.factory.informerFor<ReplicatedObject>(adapter.ref);
  const podInformer = ctx.factory.informerFor<Pod>(R.pods);
  podInformer.addIndexer(CONTROLLER_INDEX, controllerIndex);
  const rsLister = new Lister(rsInformer);
  const podLister = new Lister(podInformer);
  const expectations = new Expectations();
  const recorder = ctx.recorder(adapter.component);
  const qc = new QueueController({ name: adapter.component, workers: 4, sync });

  function ownerKeyOf(pod: Pod): string | undefined {
    const ref = controllerRef(pod);
    if (!ref || ref.kind !== adapter.kind) return undefined;
    const owner = rsLister.get(pod.metadata.namespace, ref.name);
    return owner && owner.metadata.uid === ref.uid ? objectKey(owner) : undefined;
  }
  function enqueueMatching(pod: Pod): void {
    for (const rs of rsLister.list(pod.metadata.namespace ?? "")) {
      if (adapter.selectorOf(rs).matches(pod.metadata.labels)) qc.enqueue(rs);
    }
  }
  const offs = [
    rsInformer.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n), delete: (o) => (expectations.delete(objectKey(o)), qc.enqueue(o)) }),
    podInformer.addEventHandler({
      add(pod) {
        const key = ownerKeyOf(pod);
        if (key) {
          expectations.creationObserved(key);
          qc.queue.add(key);
        } else if (!controllerRef(pod)) enqueueMatching(pod);
      },
      update(old, pod) {
        const oldKey = ownerKeyOf(old);
        const key = ownerKeyOf(pod);
        if (oldKey && oldKey !== key) qc.queue.add(oldKey);
        if (key) {
          if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) expectations.deletionObserved(key, objectKey(pod));
          qc.queue.add(key);
          // a pod turning ready becomes available only after minReadySeconds
          const rs = rsInformer.store.get(key);
          const minReady = rs?.spec.minReadySeconds ?? 0;
          if (minReady > 0 && !isPodReady(old) && isPodReady(pod)) qc.queue.addAfter(key, minReady * 1000 + 50);
        } else if (!controllerRef(pod)) enqueueMatching(pod);
      },
      delete(pod) {
        const key = ownerKeyOf(pod);
        if (key) {
          expectations.deletionObserved(key, objectKey(pod));
          qc.queue.add(key);
        }
      },
    }),
  ];

  async function claimPods(rs: ReplicatedObject, selector: Selector): Promise<Pod[]> {
    const uid = rs.metadata.uid;
    const owned: Pod[] = [];
    const candidates = [...podLister.byIndex(CONTROLLER_INDEX, uid ?? ""), ...podLister.byIndex(CONTROLLER_INDEX, `${ORPHAN}/${rs.metadata.namespace ?? ""}`)];
    for (const pod of candidates) {
      const matches = selector.matches(pod.metadata.labels);
      if (isControlledBy(pod, uid)) {
        if (matches || pod.metadata.deletionTimestamp) owned.push(pod);
        else await client.patch(R.pods, pod.metadata.namespace, pod.metadata.name ?? "", "merge", releasePatch(pod, uid!)).catch(() => undefined);
      } else if (!controllerRef(pod) && matches && !pod.metadata.deletionTimestamp && !rs.metadata.deletionTimestamp) {
        try {
          const adopted = await client.patch<Pod>(R.pods, pod.metadata.namespace, pod.metadata.name ?? "", "merge", adoptPatch(pod, newControllerRef(rs, adapter)));
          owned.push(adopted);
        } catch {
          // changed meanwhile: the next sync sees it
        }
      }
    }
    return owned;
  }

  function podFromTemplate(rs: ReplicatedObject): Pod {
    const t = rs.spec.template!;
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        labels: { ...(t.metadata?.labels ?? {}) },
        annotations: t.metadata?.annotations ? { ...t.metadata.annotations } : undefined,
        finalizers: t.metadata?.finalizers,
        ownerReferences: [newControllerRef(rs, adapter)],
      },
      spec: structuredClone(t.spec),
    };
  }

  async function manage(rs: ReplicatedObject, key: string, active: Pod[]): Promise<void> {
    const { create, remove } = replicaDiff(active.length, rs.spec.replicas ?? 1);
    if (create > 0) {
      expectations.expectCreations(key, create);
      // slow start as upstream: batches of 1, 2, 4, ... stop at the first failure
      let done = 0;
      for (let batch = 1; done < create; batch *= 2) {
        const n = Math.min(batch, create - done);
        const results = await Promise.allSettled(Array.from({ length: n }, () => client.create<Pod>(R.pods, rs.metadata.namespace, podFromTemplate(rs))));
        done += n;
        const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
        for (const r of results) {
          if (r.status === "fulfilled") recorder.event(rs, "Normal", "SuccessfulCreate", `Created pod: ${r.value.metadata.name}`);
        }
        if (failed.length) {
          expectations.lowerCreations(key, failed.length + (create - done));
          const err = failed[0].reason as Error;
          recorder.event(rs, "Warning", "FailedCreate", `Error creating: ${err.message}`);
          throw err;
        }
      }
    } else if (remove > 0) {
      const victims = [...active].sort(compareForDeletion).slice(0, remove);
      expectations.expectDeletions(key, victims.map(objectKey));
      await Promise.all(
        victims.map(async (p) => {
          try {
            await client.delete(R.pods, p.metadata.namespace, p.metadata.name ?? "");
            recorder.event(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${p.metadata.name}`);
          } catch (err) {
            expectations.deletionObserved(key, objectKey(p));
            if ((err as { code?: number }).code !== 404) throw err;
          }
        }),
      );
    }
  }

  async function sync(key: string): Promise<void> {
    const rs = rsInformer.store.get(key);
    if (!rs) {
      expectations.delete(key);
      return;
    }
    const selector = adapter.selectorOf(rs);
    const owned = await claimPods(rs, selector);
    const active = owned.filter(isPodActive);
    if (expectations.satisfied(key) && !rs.metadata.deletionTimestamp) await manage(rs, key, active);
    const status = computeReplicaStatus(rs, { pods: active, selector });
    const cur = rs.status ?? { replicas: 0 };
    if (
      cur.replicas !== status.replicas ||
      (cur.fullyLabeledReplicas ?? 0) !== status.fullyLabeledReplicas ||
      (cur.readyReplicas ?? 0) !== status.readyReplicas ||
      (cur.availableReplicas ?? 0) !== status.availableReplicas ||
      cur.observedGeneration !== status.observedGeneration
    ) {
      await client.update(adapter.ref, rs.metadata.namespace, { ...rs, status }, { subresource: "status" });
    }
    const minReady = rs.spec.minReadySeconds ?? 0;
    if (minReady > 0 && status.readyReplicas !== status.availableReplicas) qc.queue.addAfter(key, minReady * 1000);
  }

  return startQueueController(qc, offs);
}
