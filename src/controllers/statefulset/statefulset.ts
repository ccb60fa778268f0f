/**
 * The StatefulSet controller: pods <name>-<ordinal> with stable hostnames and
 * PVCs from volumeClaimTemplates; OrderedReady (one at a time, in order, each
 * Running and Ready before the next) or Parallel management; RollingUpdate
 * from the highest ordinal down to the partition, or OnDelete; ControllerRevisions.
 */
import type { KubeObject } from "../../api/types.ts";
import type { Pod, PodTemplateSpec } from "../../client/types.ts";
import { R } from "../../client/resources.ts";

import { Lister } from "../../client/lister.ts";
import type { LabelSelector } from "../../client/selectors.ts";
import { controllerRef, isControlledBy, newControllerRef } from "../util/owners.ts";
import { isPodAvailable, isPodReady } from "../util/pods.ts";
import { canonicalJSON } from "../util/hash.ts";
import { ensureRevision, hashOf, truncateHistory, type ControllerRevision } from "../util/revisions.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";
import { withKind } from "../util/typemeta.ts";

interface StatefulSet extends KubeObject {
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: PodTemplateSpec;
    serviceName?: string;
    podManagementPolicy?: "OrderedReady" | "Parallel";
    updateStrategy?: { type?: "RollingUpdate" | "OnDelete"; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
    volumeClaimTemplates?: KubeObject[];
    revisionHistoryLimit?: number;
    minReadySeconds?: number;
    ordinals?: { start?: number };
  };
  status?: Record<string, unknown> & { currentRevision?: string; updateRevision?: string; collisionCount?: number };
}

const GVK = { apiVersion: "apps/v1", kind: "StatefulSet" };
const HASH = "controller-revision-hash";

/** The ordinal of a pod named <set>-<n>, or undefined. */
export function ordinalOf(setName: string, podName: string): number | undefined {
  const m = new RegExp(`^${setName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(\\d+)$`).exec(podName);
  return m ? Number(m[1]) : undefined;
}

/** Name of the PVC for one claim template and ordinal. */
function claimName(template: string, setName: string, ordinal: number): string {
  return `${template}-${setName}-${ordinal}`;
}

function isHealthy(pod: Pod): boolean {
  return pod.status?.phase === "Running" && isPodReady(pod) && !pod.metadata.deletionTimestamp;
}

/** Starts the controller. */
export function startStatefulSetController(ctx: ControllerContext): RunningController {
  const { client } = ctx;
  const stsInformer = ctx.factory.informerFor<StatefulSet>(R.statefulsets);
  const podInformer = ctx.factory.informerFor<Pod>(R.pods);
  const pvcInformer = ctx.factory.informerFor(R.persistentvolumeclaims);
  const revInformer = ctx.factory.informerFor<ControllerRevision>(R.controllerrevisions);
  const stsLister = new Lister(stsInformer);
  const podLister = new Lister(podInformer);
  const recorder = ctx.recorder("statefulset-controller");
  const qc = new QueueController({ name: "statefulset-controller", workers: 2, sync });
  const onPod = (p: Pod): void => {
    const ref = controllerRef(p);
    if (ref?.kind !== "StatefulSet") return;
    const s = stsLister.get(p.metadata.namespace, ref.name);
    if (s?.metadata.uid === ref.uid) qc.enqueue(s);
  };
  const offs = [
    stsInformer.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n) }),
    podInformer.addEventHandler({ add: onPod, update: (_o, n) => onPod(n), delete: onPod }),
  ];

  function podFor(sts: StatefulSet, ordinal: number, hash: string): Pod {
    const t = structuredClone(sts.spec.template);
    const name = `${sts.metadata.name}-${ordinal}`;
    const spec = t.spec;
    spec.hostname = name;
    if (sts.spec.serviceName) spec.subdomain = sts.spec.serviceName;
    const volumes = (spec.volumes ?? []).filter((v) => !(sts.spec.volumeClaimTemplates ?? []).some((c) => c.metadata.name === v.name));
    for (const c of sts.spec.volumeClaimTemplates ?? []) {
      volumes.push({ name: c.metadata.name ?? "", persistentVolumeClaim: { claimName: claimName(c.metadata.name ?? "", sts.metadata.name ?? "", ordinal) } });
    }
    if (volumes.length) spec.volumes = volumes;
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        namespace: sts.metadata.namespace,
        labels: {
          ...(t.metadata?.labels ?? {}),
          [HASH]: hash,
          "statefulset.kubernetes.io/pod-name": name,
          "apps.kubernetes.io/pod-index": String(ordinal),
        },
        annotations: t.metadata?.annotations,
        ownerReferences: [newControllerRef(sts, GVK)],
      },
      spec,
    };
  }

  async function ensureClaims(sts: StatefulSet, ordinal: number): Promise<void> {
    for (const tmpl of sts.spec.volumeClaimTemplates ?? []) {
      const name = claimName(tmpl.metadata.name ?? "", sts.metadata.name ?? "", ordinal);
      if (pvcInformer.store.get(`${sts.metadata.namespace}/${name}`)) continue;
      const labels = { ...(sts.spec.selector.matchLabels ?? {}), ...(tmpl.metadata.labels ?? {}) };
      try {
        await client.create(R.persistentvolumeclaims, sts.metadata.namespace, {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { name, namespace: sts.metadata.namespace, labels, annotations: tmpl.metadata.annotations },
          spec: structuredClone(tmpl.spec),
        });
        recorder.event(withKind(sts, GVK), "Normal", "SuccessfulCreate", `create Claim ${name} Pod ${sts.metadata.name}-${ordinal} in StatefulSet ${sts.metadata.name} success`);
      } catch (err) {
        if ((err as { code?: number }).code !== 409) throw err;
      }
    }
  }

  async function sync(key: string): Promise<void> {
    const sts = stsInformer.store.get(key);
    if (!sts || sts.metadata.deletionTimestamp) return;
    const name = sts.metadata.name ?? "";
    const replicas = sts.spec.replicas ?? 1;
    const start = sts.spec.ordinals?.start ?? 0;
    const { current: updateRev, all: revs } = await ensureRevision(client, {
      obj: sts,
      gvk: GVK,
      data: { spec: { template: { ...sts.spec.template, $patch: "replace" } } },
      labels: sts.spec.selector.matchLabels ?? {},
      existing: revInformer.store.list().filter((r) => r.metadata.namespace === sts.metadata.namespace),
      collisionCount: sts.status?.collisionCount,
    });
    const updateHash = hashOf(updateRev);
    const pods = podLister.list(sts.metadata.namespace ?? "").filter((p) => isControlledBy(p, sts.metadata.uid));
    const byOrdinal = new Map<number, Pod>();
    for (const p of pods) {
      const o = ordinalOf(name, p.metadata.name ?? "");
      if (o !== undefined) byOrdinal.set(o, p);
    }
    const parallel = sts.spec.podManagementPolicy === "Parallel";
    const want = new Set(Array.from({ length: replicas }, (_, i) => start + i));
    const currentHash = sts.status?.currentRevision ? sts.status.currentRevision.replace(`${name}-`, "") : updateHash;

    // create missing (ordered: stop at the first one that is not yet healthy)
    let blocked = false;
    for (const o of [...want].sort((a, b) => a - b)) {
      const p = byOrdinal.get(o);
      if (p && p.status?.phase === "Failed") {
        await client.delete(R.pods, p.metadata.namespace, p.metadata.name ?? "").catch(() => undefined);
        blocked = true;
        if (!parallel) break;
        continue;
      }
      if (!p) {
        await ensureClaims(sts, o);
        // pods below the partition keep the current revision
        const partition = sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
        const hash = o < partition + start && sts.spec.updateStrategy?.type !== "OnDelete" ? currentHash : updateHash;
        const rev = revs.find((r) => hashOf(r) === hash) ?? updateRev;
        const data = rev.data as { spec?: { template?: PodTemplateSpec } } | undefined;
        const tmplSts = data?.spec?.template ? { ...sts, spec: { ...sts.spec, template: stripPatch(data.spec.template) } } : sts;
        try {
          const created = await client.create<Pod>(R.pods, sts.metadata.namespace, podFor(tmplSts, o, hashOf(rev)));
          recorder.event(withKind(sts, GVK), "Normal", "SuccessfulCreate", `create Pod ${created.metadata.name} in StatefulSet ${name} successful`);
        } catch (err) {
          if ((err as { code?: number }).code !== 409) throw err;
        }
        blocked = true;
        if (!parallel) break;
        continue;
      }
      if (!parallel && !isHealthy(p)) {
        blocked = true;
        break;
      }
    }
    // scale down: highest ordinal first; ordered waits for all others to be healthy
    if (!blocked) {
      const extra = [...byOrdinal.keys()].filter((o) => !want.has(o)).sort((a, b) => b - a);
      for (const o of extra) {
        const p = byOrdinal.get(o)!;
        if (p.metadata.deletionTimestamp) {
          if (!parallel) {
            blocked = true;
            break;
          }
          continue;
        }
        await client.delete(R.pods, p.metadata.namespace, p.metadata.name ?? "").catch(() => undefined);
        recorder.event(withKind(sts, GVK), "Normal", "SuccessfulDelete", `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`);
        blocked = true;
        if (!parallel) break;
      }
    }
    // rolling update: highest ordinal >= partition with the old revision, one at a time
    if (!blocked && (sts.spec.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate") {
      const partition = sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
      const ordered = [...want].sort((a, b) => b - a);
      if (ordered.every((o) => byOrdinal.get(o) && isHealthy(byOrdinal.get(o)!))) {
        for (const o of ordered) {
          if (o < partition + start) continue;
          const p = byOrdinal.get(o)!;
          if (p.metadata.labels?.[HASH] !== updateHash) {
            await client.delete(R.pods, p.metadata.namespace, p.metadata.name ?? "").catch(() => undefined);
            recorder.event(withKind(sts, GVK), "Normal", "SuccessfulDelete", `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`);
            break;
          }
        }
      }
    }

    const live = pods.filter((p) => !p.metadata.deletionTimestamp);
    const updated = live.filter((p) => p.metadata.labels?.[HASH] === updateHash).length;
    const allUpdated = updated === replicas && live.length === replicas;
    const status = {
      ...(sts.status ?? {}),
      observedGeneration: sts.metadata.generation,
      replicas: live.length,
      readyReplicas: live.filter(isPodReady).length,
      availableReplicas: live.filter((p) => isPodAvailable(p, sts.spec.minReadySeconds ?? 0)).length,
      currentReplicas: allUpdated ? updated : live.filter((p) => p.metadata.labels?.[HASH] === currentHash).length,
      updatedReplicas: updated,
      currentRevision: `${name}-${allUpdated ? updateHash : currentHash}`,
      updateRevision: `${name}-${updateHash}`,
      collisionCount: sts.status?.collisionCount ?? 0,
    };
    if (canonicalJSON(status) !== canonicalJSON(sts.status ?? {})) {
      await client.update(R.statefulsets, sts.metadata.namespace, { ...sts, status }, { subresource: "status" });
    }
    await truncateHistory(client, { all: revs, inUse: new Set([updateHash, currentHash, ...pods.map((p) => p.metadata.labels?.[HASH] ?? "")]), limit: sts.spec.revisionHistoryLimit ?? 10 });
  }

  return startQueueController(qc, offs);
}

function stripPatch(t: PodTemplateSpec & { $patch?: string }): PodTemplateSpec {
  const { $patch: _p, ...rest } = t;
  return rest;
}
