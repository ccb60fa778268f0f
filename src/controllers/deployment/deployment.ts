/**
 * The Deployment controller: one ReplicaSet per pod template (named by
 * pod-template-hash), rolled over by RollingUpdate or Recreate, with revision
 * annotations, history cleanup, pause and the Available/Progressing conditions.
 */
import type { KubeObject } from "../../api/types.ts";
import type { Condition, Deployment, DeploymentStatus, Pod, PodTemplateSpec, ReplicaSet } from "../../client/types.ts";
import { R } from "../../client/resources.ts";
import { Lister } from "../../client/lister.ts";
import { selectorFromLabelSelector } from "../../client/selectors.ts";
import { adoptPatch, controllerRef, isControlledBy, newControllerRef, releasePatch } from "../util/owners.ts";
import { canonicalJSON, templateHash } from "../util/hash.ts";
import { nowISO } from "../util/pods.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";
import { withKind } from "../util/typemeta.ts";
import { isComplete, newRSReplicas, proportionalScale, scaleDownOld, surgeAndUnavailable } from "./rollout.ts";

export const REVISION = "deployment.kubernetes.io/revision";
const DESIRED = "deployment.kubernetes.io/desired-replicas";
const MAX = "deployment.kubernetes.io/max-replicas";
const HASH = "pod-template-hash";
const NOT_COPIED = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  REVISION,
  "deployment.kubernetes.io/revision-history",
  DESIRED,
  MAX,
  "deprecated.deployment.rollback.to",
]);
const GVK = { apiVersion: "apps/v1", kind: "Deployment" };

/** The template without the pod-template-hash label, for comparing with the Deployment's. */
export function templateWithoutHash(t: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels[HASH];
  return { ...t, metadata: { ...(t.metadata ?? {}), labels } };
}

/** Whether an RS runs the Deployment's current template. */
export function matchesTemplate(rs: ReplicaSet, d: Deployment): boolean {
  return canonicalJSON(templateWithoutHash(rs.spec.template)) === canonicalJSON(templateWithoutHash(d.spec.template));
}

/** The revision number stored on an object (0 when absent). */
export function revisionOf(obj: KubeObject): number {
  return Number(obj.metadata.annotations?.[REVISION] ?? 0) || 0;
}

function copiedAnnotations(d: Deployment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!NOT_COPIED.has(k)) out[k] = v;
  return out;
}

function setCondition(conds: Condition[], c: Condition): Condition[] {
  const now = nowISO();
  const prev = conds.find((x) => x.type === c.type);
  if (prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message) return conds;
  const next: Condition = {
    ...c,
    lastUpdateTime: now,
    lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now,
  };
  return [...conds.filter((x) => x.type !== c.type), next];
}

/** Starts the Deployment controller. */
export function startDeploymentController(ctx: ControllerContext): RunningController {
  const { client } = ctx;
  const dInformer = ctx.factory.informerFor<Deployment>(R.deployments);
  const rsInformer = ctx.factory.informerFor<ReplicaSet>(R.replicasets);
  const podInformer = ctx.factory.informerFor<Pod>(R.pods);
  const dLister = new Lister(dInformer);
  const rsLister = new Lister(rsInformer);
  const podLister = new Lister(podInformer);
  const recorder = ctx.recorder("deployment-controller");
  const qc = new QueueController({ name: "deployment-controller", workers: 4, sync });

  function ownerOfRS(rs: ReplicaSet): Deployment | undefined {
    const ref = controllerRef(rs);
    if (!ref || ref.kind !== "Deployment") return undefined;
    const d = dLister.get(rs.metadata.namespace, ref.name);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }
  function onRS(rs: ReplicaSet): void {
    const d = ownerOfRS(rs);
    if (d) return qc.enqueue(d);
    if (controllerRef(rs)) return;
    for (const dep of dLister.list(rs.metadata.namespace ?? "")) {
      if (selectorFromLabelSelector(dep.spec.selector).matches(rs.metadata.labels)) qc.enqueue(dep);
    }
  }
  const offs = [
    dInformer.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n), delete: qc.enqueue }),
    rsInformer.addEventHandler({ add: onRS, update: (o, n) => (onRS(o), onRS(n)), delete: onRS }),
    podInformer.addEventHandler({
      // Recreate waits for old pods to be gone
      delete(pod) {
        const ref = controllerRef(pod);
        if (ref?.kind !== "ReplicaSet") return;
        const rs = rsLister.get(pod.metadata.namespace, ref.name);
        const d = rs && ownerOfRS(rs);
        if (d && d.spec.strategy?.type === "Recreate") qc.enqueue(d);
      },
    }),
  ];

  async function claimReplicaSets(d: Deployment): Promise<ReplicaSet[]> {
    const sel = selectorFromLabelSelector(d.spec.selector);
    const out: ReplicaSet[] = [];
    for (const rs of rsLister.list(d.metadata.namespace ?? "")) {
      const matches = sel.matches(rs.metadata.labels);
      if (isControlledBy(rs, d.metadata.uid)) {
        if (matches) out.push(rs);
        else await client.patch(R.replicasets, rs.metadata.namespace, rs.metadata.name ?? "", "merge", releasePatch(rs, d.metadata.uid!)).catch(() => undefined);
      } else if (!controllerRef(rs) && matches && !d.metadata.deletionTimestamp && !rs.metadata.deletionTimestamp) {
        try {
          out.push(await client.patch<ReplicaSet>(R.replicasets, rs.metadata.namespace, rs.metadata.name ?? "", "merge", adoptPatch(rs, newControllerRef(d, GVK))));
        } catch {
          // retried on the next event
        }
      }
    }
    return out;
  }

  async function scaleRS(d: Deployment, rs: ReplicaSet, replicas: number): Promise<ReplicaSet> {
    const old = rs.spec.replicas ?? 0;
    const { maxSurge } = surgeAndUnavailable(d);
    const desired = String(d.spec.replicas ?? 1);
    const max = String((d.spec.replicas ?? 1) + maxSurge);
    const annotations = rs.metadata.annotations ?? {};
    if (old === replicas && annotations[DESIRED] === desired && annotations[MAX] === max) return rs;
    const updated = await client.patch<ReplicaSet>(R.replicasets, rs.metadata.namespace, rs.metadata.name ?? "", "merge", {
      metadata: { annotations: { [DESIRED]: desired, [MAX]: max }, resourceVersion: rs.metadata.resourceVersion },
      spec: { replicas },
    });
    if (old !== replicas) {
      recorder.event(withKind(d, GVK), "Normal", "ScalingReplicaSet", `Scaled ${replicas > old ? "up" : "down"} replica set ${rs.metadata.name} to ${replicas} from ${old}`);
    }
    return updated;
  }

  async function ensureNewRS(d: Deployment, all: ReplicaSet[], maxOldRevision: number): Promise<{ rs: ReplicaSet | undefined; created: boolean }> {
    const existing = all.filter((rs) => matchesTemplate(rs, d)).sort((a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? ""))[0];
    const revision = String(maxOldRevision + 1);
    if (existing) {
      const ann = existing.metadata.annotations ?? {};
      const wanted = { ...copiedAnnotations(d) };
      const needRevision = revisionOf(existing) <= maxOldRevision;
      const changed = needRevision || Object.entries(wanted).some(([k, v]) => ann[k] !== v);
      if (!changed) return { rs: existing, created: false };
      const rs = await client.patch<ReplicaSet>(R.replicasets, existing.metadata.namespace, existing.metadata.name ?? "", "merge", {
        metadata: { annotations: { ...wanted, ...(needRevision ? { [REVISION]: revision } : {}) }, resourceVersion: existing.metadata.resourceVersion },
      });
      return { rs, created: false };
    }
    if (d.spec.paused) return { rs: undefined, created: false };
    const collision = d.status?.collisionCount ?? 0;
    const hash = templateHash(templateWithoutHash(d.spec.template), collision);
    const template: PodTemplateSpec = structuredClone(d.spec.template);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH]: hash } };
    const { maxSurge } = surgeAndUnavailable(d);
    const draft: ReplicaSet = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...(template.metadata.labels ?? {}) },
        annotations: {
          ...copiedAnnotations(d),
          [REVISION]: revision,
          [DESIRED]: String(d.spec.replicas ?? 1),
          [MAX]: String((d.spec.replicas ?? 1) + maxSurge),
        },
        ownerReferences: [newControllerRef(d, GVK)],
      },
      spec: {
        replicas: 0,
        minReadySeconds: d.spec.minReadySeconds,
        selector: {
          ...d.spec.selector,
          matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [HASH]: hash },
        },
        template,
      },
    };
    const initial = d.spec.strategy?.type === "Recreate" ? 0 : newRSReplicas(d, { all: [...all, draft], newRS: draft });
    draft.spec.replicas = all.some((rs) => (rs.spec.replicas ?? 0) > 0) ? initial : d.spec.replicas ?? 1;
    if (d.spec.strategy?.type === "Recreate" && all.some((rs) => (rs.spec.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0)) draft.spec.replicas = 0;
    try {
      const rs = await client.create<ReplicaSet>(R.replicasets, d.metadata.namespace, draft);
      if ((rs.spec.replicas ?? 0) > 0) {
        recorder.event(withKind(d, GVK), "Normal", "ScalingReplicaSet", `Scaled up replica set ${rs.metadata.name} to ${rs.spec.replicas} from 0`);
      }
      return { rs, created: true };
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
      // a different RS already has this name: bump collisionCount so the hash changes
      const other = rsLister.get(d.metadata.namespace, draft.metadata.name!);
      if (other && isControlledBy(other, d.metadata.uid) && matchesTemplate(other, d)) return { rs: other, created: false };
      await client.update(R.deployments, d.metadata.namespace, { ...d, status: { ...(d.status ?? {}), collisionCount: collision + 1 } }, { subresource: "status" });
      throw err;
    }
  }

  async function cleanup(d: Deployment, old: ReplicaSet[]): Promise<void> {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const dead = old
      .filter((rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    const excess = dead.length - limit;
    for (let i = 0; i < excess; i++) {
      await client.delete(R.replicasets, dead[i].metadata.namespace, dead[i].metadata.name ?? "").catch(() => undefined);
    }
  }

  function oldPodsRunning(old: ReplicaSet[]): boolean {
    const uids = new Set(old.map((rs) => rs.metadata.uid));
    return old.some((rs) => (rs.status?.replicas ?? 0) > 0) ||
      podLister.list().some((p) => {
        const ref = controllerRef(p);
        return ref && uids.has(ref.uid) && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed";
      });
  }

  async function rollout(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined, old: ReplicaSet[]): Promise<ReplicaSet | undefined> {
    const replicas = d.spec.replicas ?? 1;
    const activeOld = old.filter((rs) => (rs.spec.replicas ?? 0) > 0);
    if (d.spec.strategy?.type === "Recreate") {
      for (const rs of activeOld) await scaleRS(d, rs, 0);
      if (activeOld.length || oldPodsRunning(old)) return newRS;
      return newRS ? await scaleRS(d, newRS, replicas) : newRS;
    }
    if (!newRS) return newRS;
    if (activeOld.length === 0) return await scaleRS(d, newRS, replicas);
    const active = [...activeOld, ...((newRS.spec.replicas ?? 0) > 0 ? [newRS] : [])];
    if (active.some((rs) => rs.metadata.annotations?.[DESIRED] !== String(replicas))) {
      // a scale in the middle of a rollout: spread it, then roll on in the next pass
      const sizes = proportionalScale(d, active);
      for (const rs of active) {
        const updated = await scaleRS(d, rs, sizes.get(rs.metadata.name ?? "") ?? rs.spec.replicas ?? 0);
        if (rs === newRS) newRS = updated;
      }
      return newRS;
    }
    const target = newRSReplicas(d, { all, newRS });
    if (target !== (newRS.spec.replicas ?? 0)) {
      newRS = await scaleRS(d, newRS, target);
      return newRS;
    }
    const allNow = [...old, newRS];
    const downs = scaleDownOld(d, { all: allNow, newRS, old });
    for (const rs of old) {
      const n = downs.get(rs.metadata.name ?? "");
      if (n !== undefined) await scaleRS(d, rs, n);
    }
    return newRS;
  }

  function computeStatus(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined, created: boolean): { status: DeploymentStatus; requeueMs?: number } {
    const replicas = d.spec.replicas ?? 1;
    const sum = (f: (rs: ReplicaSet) => number | undefined): number => all.reduce((s, rs) => s + (f(rs) ?? 0), 0);
    const available = sum((rs) => rs.status?.availableReplicas);
    const total = sum((rs) => rs.status?.replicas);
    const status: DeploymentStatus = {
      observedGeneration: d.metadata.generation,
      replicas: total,
      updatedReplicas: newRS?.status?.replicas ?? 0,
      readyReplicas: sum((rs) => rs.status?.readyReplicas),
      availableReplicas: available,
      unavailableReplicas: Math.max(replicas - available, 0),
      collisionCount: d.status?.collisionCount,
    };
    const { maxUnavailable } = surgeAndUnavailable(d);
    let conds = d.status?.conditions ?? [];
    conds =
      available >= replicas - maxUnavailable
        ? setCondition(conds, { type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability." })
        : setCondition(conds, { type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability." });
    let requeueMs: number | undefined;
    const prog = conds.find((c) => c.type === "Progressing");
    const rsName = newRS?.metadata.name ?? "";
    if (d.spec.paused) {
      conds = setCondition(conds, { type: "Progressing", status: "Unknown", reason: "DeploymentPaused", message: "Deployment is paused" });
    } else if (newRS && isComplete(d, { newRS, all })) {
      conds = setCondition(conds, { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable", message: `ReplicaSet "${rsName}" has successfully progressed.` });
    } else if (newRS) {
      const deadline = d.spec.progressDeadlineSeconds ?? 600;
      const prev = d.status;
      const progressed =
        created ||
        prog?.reason === "DeploymentPaused" ||
        !prev ||
        (prev.updatedReplicas ?? 0) !== status.updatedReplicas ||
        (prev.readyReplicas ?? 0) !== status.readyReplicas ||
        (prev.availableReplicas ?? 0) !== status.availableReplicas ||
        (prev.replicas ?? 0) !== status.replicas;
      if (progressed || !prog || prog.reason === "NewReplicaSetAvailable") {
        const reason = created ? "NewReplicaSetCreated" : prog?.reason === "DeploymentPaused" ? "DeploymentResumed" : "ReplicaSetUpdated";
        const message = created ? `Created new replica set "${rsName}"` : prog?.reason === "DeploymentPaused" ? "Deployment is resumed" : `ReplicaSet "${rsName}" is progressing.`;
        const now = nowISO();
        conds = [
          ...conds.filter((c) => c.type !== "Progressing"),
          { type: "Progressing", status: "True", reason, message, lastUpdateTime: now, lastTransitionTime: prog?.status === "True" ? prog.lastTransitionTime : now },
        ];
        requeueMs = deadline * 1000 + 100;
      } else if (prog.status === "True") {
        const since = Date.parse(prog.lastUpdateTime ?? prog.lastTransitionTime ?? "") || Date.now();
        const left = since + deadline * 1000 - Date.now();
        if (left <= 0) {
          conds = setCondition(conds, { type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: `ReplicaSet "${rsName}" has timed out progressing.` });
          recorder.event(withKind(d, GVK), "Warning", "ProgressDeadlineExceeded", `Deployment "${d.metadata.name}" has timed out progressing.`);
        } else requeueMs = left + 100;
      }
    }
    // upstream lists Available before Progressing
    status.conditions = [...conds].sort((a, b) => (a.type === "Available" ? -1 : b.type === "Available" ? 1 : 0));
    return { status, requeueMs };
  }

  async function sync(key: string): Promise<void> {
    const d = dInformer.store.get(key);
    if (!d || d.metadata.deletionTimestamp) return;
    const sel = selectorFromLabelSelector(d.spec.selector);
    if (sel.empty) {
      recorder.event(withKind(d, GVK), "Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
      return;
    }
    let all = await claimReplicaSets(d);
    const others = all.filter((rs) => !matchesTemplate(rs, d));
    const maxOldRevision = Math.max(0, ...others.map(revisionOf));
    const { rs: ensured, created } = await ensureNewRS(d, all, maxOldRevision);
    let newRS = ensured;
    if (created && newRS) all = [...all, newRS];
    all = all.map((rs) => (newRS && rs.metadata.uid === newRS.metadata.uid ? newRS : rs));
    const old = all.filter((rs) => rs !== newRS);
    let current = d;
    if (newRS && String(revisionOf(newRS)) !== (d.metadata.annotations?.[REVISION] ?? "")) {
      current = await client.patch<Deployment>(R.deployments, d.metadata.namespace, d.metadata.name ?? "", "merge", {
        metadata: { annotations: { [REVISION]: String(revisionOf(newRS)) } },
      });
    }
    if (!d.spec.paused) {
      newRS = await rollout(d, all, newRS, old);
      all = [...old.map((rs) => rsLister.get(rs.metadata.namespace, rs.metadata.name ?? "") ?? rs), ...(newRS ? [newRS] : [])];
      await cleanup(d, old);
    } else if (newRS && old.every((rs) => (rs.spec.replicas ?? 0) === 0)) {
      // a paused deployment still scales
      newRS = await scaleRS(d, newRS, d.spec.replicas ?? 1);
    }
    const { status, requeueMs } = computeStatus(d, all, newRS, created);
    if (canonicalJSON(status) !== canonicalJSON(d.status ?? {})) {
      await client.update(R.deployments, d.metadata.namespace, { ...current, status }, { subresource: "status" });
    }
    if (requeueMs !== undefined) qc.queue.addAfter(key, requeueMs);
  }

  return startQueueController(qc, offs);
}
