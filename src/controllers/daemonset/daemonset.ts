/**
 * The DaemonSet controller: one pod per eligible node (node selector,
 * affinity, taints against the pod's and the DaemonSet defaults'
 * tolerations), pinned by node affinity and placed by the scheduler;
 * RollingUpdate by maxUnavailable or by maxSurge, OnDelete; ControllerRevisions.
 */
import type { KubeObject } from "../../api/types.ts";
import type { Node, Pod, PodTemplateSpec, Toleration } from "../../client/types.ts";
import { R } from "../../client/resources.ts";
import { objectKey } from "../../client/store.ts";
import { Lister } from "../../client/lister.ts";
import { selectorFromLabelSelector, type LabelSelector } from "../../client/selectors.ts";
import { podMatchesNodeSelectorAndAffinity, untoleratedTaint } from "../../scheduler/nodeaffinity.ts";
import { controllerRef, isControlledBy, newControllerRef } from "../util/owners.ts";
import { isPodAvailable, isPodReady } from "../util/pods.ts";
import { canonicalJSON } from "../util/hash.ts";
import { Expectations } from "../util/expectations.ts";
import { ensureRevision, hashOf, truncateHistory, type ControllerRevision } from "../util/revisions.ts";
import { resolveIntOrPercent } from "../deployment/rollout.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";
import { withKind } from "../util/typemeta.ts";

interface DaemonSet extends KubeObject {
  spec: {
    selector: LabelSelector;
    template: PodTemplateSpec;
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    updateStrategy?: { type?: "RollingUpdate" | "OnDelete"; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
  };
  status?: Record<string, unknown>;
}

const GVK = { apiVersion: "apps/v1", kind: "DaemonSet" };
const HASH = "controller-revision-hash";

/** The tolerations upstream adds to every DaemonSet pod. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
  ];
  if (hostNetwork) t.push({ key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" });
  return t;
}

function withTolerations(ds: DaemonSet): Toleration[] {
  const own = ds.spec.template.spec.tolerations ?? [];
  const extra = daemonTolerations(ds.spec.template.spec.hostNetwork === true).filter((d) => !own.some((o) => o.key === d.key && o.effect === d.effect));
  return [...own, ...extra];
}

/** Whether the DaemonSet should run a pod on the node. */
export function shouldRunOn(ds: DaemonSet, node: Node): boolean {
  const pod: Pod = { metadata: {}, spec: { ...ds.spec.template.spec, tolerations: withTolerations(ds) } };
  if (!podMatchesNodeSelectorAndAffinity(pod, node)) return false;
  return untoleratedTaint(node.spec?.taints, { tolerations: pod.spec.tolerations, effects: ["NoSchedule", "NoExecute"] }) === undefined;
}

function nodeOfPod(pod: Pod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === "metadata.name" && f.operator === "In" && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** Starts the controller. */
export function startDaemonSetController(ctx: ControllerContext): RunningController {
  const { client } = ctx;
  const dsInformer = ctx.factory.informerFor<DaemonSet>(R.daemonsets);
  const podInformer = ctx.factory.informerFor<Pod>(R.pods);
  const nodeInformer = ctx.factory.informerFor<Node>(R.nodes);
  const revInformer = ctx.factory.informerFor<ControllerRevision>(R.controllerrevisions);
  const dsLister = new Lister(dsInformer);
  const podLister = new Lister(podInformer);
  const expectations = new Expectations();
  const recorder = ctx.recorder("daemonset-controller");
  const qc = new QueueController({ name: "daemonset-controller", workers: 2, sync });
  const all = (): void => {
    for (const ds of dsInformer.store.list()) qc.enqueue(ds);
  };
  const ownerKey = (pod: Pod): string | undefined => {
    const ref = controllerRef(pod);
    if (ref?.kind !== "DaemonSet") return undefined;
    const ds = dsLister.get(pod.metadata.namespace, ref.name);
    return ds?.metadata.uid === ref.uid ? objectKey(ds) : undefined;
  };
  const offs = [
    dsInformer.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n), delete: (d) => expectations.delete(objectKey(d)) }),
    nodeInformer.addEventHandler({
      add: all,
      update: (o, n) => {
        if (canonicalJSON([o.metadata.labels, o.spec?.taints]) !== canonicalJSON([n.metadata.labels, n.spec?.taints])) all();
      },
      delete: all,
    }),
    podInformer.addEventHandler({
      add: (p) => {
        const k = ownerKey(p);
        if (k) (expectations.creationObserved(k), qc.queue.add(k));
      },
      update: (o, p) => {
        const k = ownerKey(p);
        if (!k) return;
        if (p.metadata.deletionTimestamp && !o.metadata.deletionTimestamp) expectations.deletionObserved(k, objectKey(p));
        qc.queue.add(k);
      },
      delete: (p) => {
        const k = ownerKey(p);
        if (k) (expectations.deletionObserved(k, objectKey(p)), qc.queue.add(k));
      },
    }),
  ];

  function podFor(ds: DaemonSet, node: string, hash: string): Pod {
    const t = structuredClone(ds.spec.template);
    const spec = t.spec;
    spec.tolerations = withTolerations(ds);
    const aff = (spec.affinity ??= {});
    const na = (aff.nodeAffinity ??= {});
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    const pin = { key: "metadata.name", operator: "In" as const, values: [node] };
    // pin to the node by replacing any metadata.name field term, keeping the user's expressions
    na.requiredDuringSchedulingIgnoredDuringExecution = {
      nodeSelectorTerms: req?.nodeSelectorTerms?.length
        ? req.nodeSelectorTerms.map((term) => ({ ...term, matchFields: [...(term.matchFields ?? []).filter((f) => f.key !== "metadata.name"), pin] }))
        : [{ matchFields: [pin] }],
    };
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        generateName: `${ds.metadata.name}-`,
        namespace: ds.metadata.namespace,
        labels: { ...(t.metadata?.labels ?? {}), [HASH]: hash, "pod-template-generation": String(ds.metadata.generation ?? 1) },
        annotations: t.metadata?.annotations,
        ownerReferences: [newControllerRef(ds, GVK)],
      },
      spec,
    };
  }

  async function sync(key: string): Promise<void> {
    const ds = dsInformer.store.get(key);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const sel = selectorFromLabelSelector(ds.spec.selector);
    const revisions = revInformer.store.list().filter((r) => r.metadata.namespace === ds.metadata.namespace);
    const { current, all: revs } = await ensureRevision(client, {
      obj: ds,
      gvk: GVK,
      data: { spec: { template: { ...ds.spec.template, $patch: "replace" } } },
      labels: ds.spec.selector.matchLabels ?? {},
      existing: revisions,
    });
    const hash = hashOf(current);
    const pods = podLister.list(ds.metadata.namespace ?? "").filter((p) => isControlledBy(p, ds.metadata.uid) && sel.matches(p.metadata.labels));
    const byNode = new Map<string, Pod[]>();
    for (const p of pods) {
      if (p.metadata.deletionTimestamp || p.status?.phase === "Failed" || p.status?.phase === "Succeeded") continue;
      const n = nodeOfPod(p) ?? "";
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    const nodes = nodeInformer.store.list();
    const eligible = nodes.filter((n) => shouldRunOn(ds, n));
    const eligibleNames = new Set(eligible.map((n) => n.metadata.name ?? ""));
    const toCreate: string[] = [];
    const toDelete: Pod[] = [];
    const strategy = ds.spec.updateStrategy?.type ?? "RollingUpdate";
    const minReady = ds.spec.minReadySeconds ?? 0;
    const desired = eligibleNames.size;
    // maxSurge only means something for RollingUpdate; unset is upstream's default of 0
    const maxSurge = strategy === "RollingUpdate" ? Math.max(0, resolveIntOrPercent(ds.spec.updateStrategy?.rollingUpdate?.maxSurge, { total: desired, roundUp: true, dflt: "0" })) : 0;
    const isNew = (p: Pod): boolean => p.metadata.labels?.[HASH] === hash;
    // failed pods are replaced: delete them
    for (const p of pods) if (p.status?.phase === "Failed" && !p.metadata.deletionTimestamp) toDelete.push(p);
    for (const n of eligibleNames) {
      const list = byNode.get(n) ?? [];
      if (list.length === 0) toCreate.push(n);
      else if (list.length > 1) {
        const sorted = [...list].sort((a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? ""));
        if (maxSurge > 0) {
          // a surging node legitimately runs one old and one new pod: keep the oldest of each, as upstream does
          const keepNew = sorted.find(isNew);
          const keepOld = sorted.find((p) => !isNew(p));
          toDelete.push(...sorted.filter((p) => p !== keepNew && p !== keepOld));
        } else toDelete.push(...sorted.slice(1));
      }
    }
    for (const [n, list] of byNode) if (!eligibleNames.has(n)) toDelete.push(...list);

    // rolling update with surge (upstream's rollingUpdate when maxSurge > 0): a node's new pod is
    // created next to its old one, and the old one goes only once the new one is available, so a
    // node is never without a serving daemon; maxUnavailable plays no part here
    const surgeCreate: string[] = [];
    if (strategy === "RollingUpdate" && maxSurge > 0) {
      let numSurge = 0;
      const candidates: string[] = [];
      for (const n of eligibleNames) {
        const list = byNode.get(n) ?? [];
        const news = list.filter(isNew);
        const olds = list.filter((p) => !isNew(p));
        // duplicates of one kind are being cleaned up above; count the node as surging meanwhile
        if (news.length > 1 || olds.length > 1) {
          numSurge++;
          continue;
        }
        const [newPod] = news;
        const [oldPod] = olds;
        if (!oldPod) continue;
        if (!newPod) {
          // an unavailable old pod serves nothing: replace it at once, outside the surge budget
          if (!isPodAvailable(oldPod, minReady)) surgeCreate.push(n);
          else candidates.push(n);
        } else if (isPodAvailable(newPod, minReady)) toDelete.push(oldPod);
        else {
          numSurge++;
          // Ready but not yet for minReadySeconds: no pod event will come when it turns available
          const since = Date.parse(newPod.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True")?.lastTransitionTime ?? "");
          if (minReady && Number.isFinite(since)) qc.queue.addAfter(key, Math.max(0, since + minReady * 1000 - Date.now()) + 10);
        }
      }
      surgeCreate.push(...candidates.slice(0, Math.max(0, maxSurge - numSurge)));
    }

    // rolling update without surge: replace old-hash pods, at most maxUnavailable unavailable at a time
    if (strategy === "RollingUpdate" && maxSurge === 0 && toCreate.length === 0) {
      const maxUnavailable = Math.max(1, resolveIntOrPercent(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable, { total: desired, roundUp: true, dflt: "1" }));
      let unavailable = 0;
      const old: Pod[] = [];
      for (const n of eligibleNames) {
        const p = byNode.get(n)?.[0];
        if (!p) continue;
        if (!isPodAvailable(p, ds.spec.minReadySeconds ?? 0)) unavailable++;
        if (p.metadata.labels?.[HASH] !== hash) old.push(p);
      }
      // unavailable old pods go first: they cost nothing
      old.sort((a, b) => Number(isPodAvailable(a, 0)) - Number(isPodAvailable(b, 0)));
      for (const p of old) {
        const avail = isPodAvailable(p, ds.spec.minReadySeconds ?? 0);
        if (avail && unavailable >= maxUnavailable) break;
        if (avail) unavailable++;
        toDelete.push(p);
      }
    }

    if (expectations.satisfied(key)) {
      if (toDelete.length) {
        expectations.expectDeletions(key, toDelete.map(objectKey));
        for (const p of toDelete) {
          await client.delete(R.pods, p.metadata.namespace, p.metadata.name ?? "").then(
            () => recorder.event(withKind(ds, GVK), "Normal", "SuccessfulDelete", `Deleted pod: ${p.metadata.name}`),
            () => expectations.deletionObserved(key, objectKey(p)),
          );
        }
      }
      toCreate.push(...surgeCreate);
      if (toCreate.length) {
        expectations.expectCreations(key, toCreate.length);
        const results = await Promise.allSettled(toCreate.map((n) => client.create<Pod>(R.pods, ds.metadata.namespace, podFor(ds, n, hash))));
        const failed = results.filter((r) => r.status === "rejected").length;
        for (const r of results) if (r.status === "fulfilled") recorder.event(withKind(ds, GVK), "Normal", "SuccessfulCreate", `Created pod: ${r.value.metadata.name}`);
        if (failed) {
          expectations.lowerCreations(key, failed);
          throw (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason;
        }
      }
    }
    // a surging node runs two pods: the node counts as ready, updated or available when any of its pods is,
    // as the fields are documented ("one or more of the daemon pod"); without surge, the first pod as before
    const live = [...byNode.entries()].filter(([n]) => eligibleNames.has(n)).map(([, l]) => (maxSurge > 0 ? l : l.slice(0, 1)));
    const numberAvailable = live.filter((l) => l.some((p) => isPodAvailable(p, minReady))).length;
    const status = {
      currentNumberScheduled: live.length,
      numberMisscheduled: [...byNode.keys()].filter((n) => !eligibleNames.has(n)).length,
      desiredNumberScheduled: eligibleNames.size,
      numberReady: live.filter((l) => l.some(isPodReady)).length,
      updatedNumberScheduled: live.filter((l) => l.some(isNew)).length,
      numberAvailable,
      numberUnavailable: Math.max(0, eligibleNames.size - numberAvailable),
      observedGeneration: ds.metadata.generation,
    };
    const prev = ds.status ?? {};
    if (canonicalJSON({ ...prev, ...status }) !== canonicalJSON(prev)) {
      await client.update(R.daemonsets, ds.metadata.namespace, { ...ds, status: { ...prev, ...status } }, { subresource: "status" });
    }
    await truncateHistory(client, { all: revs, inUse: new Set([hash, ...pods.map((p) => p.metadata.labels?.[HASH] ?? "")]), limit: ds.spec.revisionHistoryLimit ?? 10 });
  }

  return startQueueController(qc, offs);
}
