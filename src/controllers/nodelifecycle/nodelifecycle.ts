/**
 * Node lifecycle: a node whose kubelet stops renewing its Lease (and posting
 * status) for the grace period gets its conditions set Unknown; the Ready
 * condition drives the not-ready/unreachable taints; pods on a node with
 * NoExecute taints are evicted once their tolerations run out.
 */
import type { KubeObject } from "../../api/types.ts";
import type { Condition, Node, Pod, Taint } from "../../client/types.ts";
import { R } from "../../client/resources.ts";
import { tolerates } from "../../scheduler/nodeaffinity.ts";
import { nowISO } from "../util/pods.ts";
import { QueueController, type ControllerContext, type RunningController } from "../util/context.ts";
import { reconcileTaints, taintsForPressure, taintsForReady } from "./taints.ts";

interface Lease extends KubeObject {
  spec?: { renewTime?: string; holderIdentity?: string };
}

/** When a pod must go because of NoExecute taints: 0 = now, a time in ms, or undefined = never. */
export function evictionTime(pod: Pod, taints: Taint[]): number | undefined {
  let at: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== "NoExecute") continue;
    const tol = (pod.spec.tolerations ?? []).filter((t) => tolerates(t, taint));
    if (tol.length === 0) return 0;
    // the shortest tolerationSeconds among matching tolerations wins; none means forever
    const secs = tol.map((t) => t.tolerationSeconds).filter((s): s is number => s !== undefined);
    if (secs.length === 0) continue;
    const added = Date.parse(taint.timeAdded ?? "") || Date.now();
    const t = added + Math.max(0, Math.min(...secs)) * 1000;
    at = at === undefined ? t : Math.min(at, t);
  }
  return at;
}

/** Starts the controller (monitor period 5 s). */
export function startNodeLifecycleController(ctx: ControllerContext): RunningController {
  const { client } = ctx;
  const nodeInformer = ctx.factory.informerFor<Node>(R.nodes);
  const podInformer = ctx.factory.informerFor<Pod>(R.pods);
  const leaseInformer = ctx.factory.informerFor<Lease>(R.leases, { namespace: "kube-node-lease" });
  podInformer.addIndexer("nodeName", (p) => (p.spec.nodeName ? [p.spec.nodeName] : []));
  const recorder = ctx.recorder("node-controller");
  const grace = ctx.settings.nodeMonitorGracePeriodMs;
  // last heartbeat we saw change, by our clock (immune to skew between hosts)
  const observed = new Map<string, { beat: string; at: number }>();
  const qc = new QueueController({ name: "node-lifecycle-controller", workers: 2, sync });
  const offs = [
    nodeInformer.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n), delete: (n) => observed.delete(n.metadata.name ?? "") }),
    leaseInformer.addEventHandler({ add: (l) => qc.queue.add(l.metadata.name ?? ""), update: (_o, l) => qc.queue.add(l.metadata.name ?? "") }),
    podInformer.addEventHandler({
      add: (p) => p.spec.nodeName && qc.queue.add(p.spec.nodeName),
      update: (o, p) => p.spec.nodeName && o.spec.nodeName !== p.spec.nodeName && qc.queue.add(p.spec.nodeName),
    }),
  ];
  const timer = setInterval(() => {
    for (const key of nodeInformer.store.keys()) qc.queue.add(key);
  }, 5000);

  function heartbeat(node: Node): string {
    const ready = node.status?.conditions?.find((c) => c.type === "Ready");
    const lease = leaseInformer.store.get(`kube-node-lease/${node.metadata.name}`);
    return `${ready?.lastHeartbeatTime ?? ""}|${lease?.spec?.renewTime ?? ""}|${ready?.status ?? ""}`;
  }

  async function markUnknown(node: Node): Promise<Node> {
    const now = nowISO();
    const types = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];
    const conds: Condition[] = [...(node.status?.conditions ?? [])];
    const hasReady = conds.some((c) => c.type === "Ready");
    for (const type of types) {
      const i = conds.findIndex((c) => c.type === type);
      const next: Condition = hasReady
        ? { type, status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastHeartbeatTime: conds[i]?.lastHeartbeatTime, lastTransitionTime: now }
        : { type, status: "Unknown", reason: "NodeStatusNeverUpdated", message: "Kubelet never posted node status.", lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: now };
      if (i >= 0) {
        if (conds[i].status === "Unknown") continue;
        conds[i] = next;
      } else conds.push(next);
    }
    recorder.event({ ...node, apiVersion: "v1", kind: "Node" }, "Normal", "NodeNotReady", `Node ${node.metadata.name} status is now: NodeNotReady`);
    return client.update<Node>(R.nodes, undefined, { ...node, status: { ...(node.status ?? {}), conditions: conds } }, { subresource: "status" });
  }

  async function markPodsNotReady(pods: Pod[]): Promise<void> {
    for (const pod of pods) {
      const conds = pod.status?.conditions ?? [];
      const ready = conds.find((c) => c.type === "Ready");
      if (!ready || ready.status !== "True") continue;
      const next = conds.map((c) => (c.type === "Ready" ? { ...c, status: "False" as const, lastTransitionTime: nowISO() } : c));
      await client.update(R.pods, pod.metadata.namespace, { ...pod, status: { ...(pod.status ?? {}), conditions: next } }, { subresource: "status" }).catch(() => undefined);
    }
  }

  async function sync(name: string): Promise<void> {
    let node = nodeInformer.store.get(name);
    if (!node) return;
    const beat = heartbeat(node);
    const seen = observed.get(name);
    const now = Date.now();
    if (!seen || seen.beat !== beat) observed.set(name, { beat, at: now });
    const since = observed.get(name)!.at;
    let ready = node.status?.conditions?.find((c) => c.type === "Ready");
    if (now - since > grace && ready?.status !== "Unknown") {
      node = await markUnknown(node);
      ready = node.status?.conditions?.find((c) => c.type === "Ready");
    } else if (now - since <= grace) {
      qc.queue.addAfter(name, grace - (now - since) + 100);
    }
    const pods = podInformer.store.byIndex("nodeName", name);
    if (ready?.status === "Unknown") await markPodsNotReady(pods);
    // pressure taints only while the kubelet reports: an Unknown node keeps none (upstream's TaintNodesByCondition)
    const wanted = [...taintsForReady(ready), ...taintsForPressure(node.status?.conditions)];
    const taints = reconcileTaints(node.spec?.taints, wanted);
    if (JSON.stringify(taints) !== JSON.stringify(node.spec?.taints ?? [])) {
      node = await client.patch<Node>(R.nodes, undefined, name, "merge", { spec: { taints }, metadata: { resourceVersion: node.metadata.resourceVersion } });
    }
    await evictPods(node, pods);
  }

  async function evictPods(node: Node, pods: Pod[]): Promise<void> {
    const noExec = (node.spec?.taints ?? []).filter((t) => t.effect === "NoExecute");
    if (noExec.length === 0) return;
    let next: number | undefined;
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
      const at = evictionTime(pod, noExec);
      if (at === undefined) continue;
      if (at <= Date.now()) {
        recorder.event({ ...pod, apiVersion: "v1", kind: "Pod" }, "Normal", "TaintManagerEviction", `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`);
        await client.delete(R.pods, pod.metadata.namespace, pod.metadata.name ?? "").catch(() => undefined);
      } else next = next === undefined ? at : Math.min(next, at);
    }
    if (next !== undefined) qc.queue.addAfter(node.metadata.name ?? "", next - Date.now() + 50);
  }

  qc.start();
  return {
    async stop() {
      clearInterval(timer);
      for (const off of offs) off();
      await qc.stop();
    },
  };
}
