/**
 * The scheduler loop: pending pods come from the pod informer, one worker
 * filters and scores nodes against an incrementally kept cache, assumes the
 * choice and binds through pods/binding.
 */
import type { KubeObject } from "../api/types.ts";
import type { Client } from "../client/client.ts";
import type { Condition, Node, Pod } from "../client/types.ts";
import { SharedInformerFactory } from "../client/factory.ts";
import { WorkQueue } from "../client/workqueue.ts";
import { runController, type ControllerLoop } from "../client/runner.ts";
import { createEventRecorder, type EventRecorder } from "../client/events.ts";
import { objectKey, splitKey } from "../client/store.ts";
import { R } from "../client/resources.ts";
import { NodeInfo } from "./nodeinfo.ts";
import { buildSnapshot, fitErrorMessage, runFilters } from "./filters.ts";
import { scoreNodes } from "./scores.ts";
import { planPreemption } from "./preemption.ts";
import { claimsWaitingForNode, type VolumeLookup } from "./volumes.ts";

export interface SchedulerCoreOptions {
  schedulerName?: string;
  /** share informers with other components of the process */
  factory?: SharedInformerFactory;
  /** unschedulable pods are retried at least this often; default 60 s */
  unschedulableRetryMs?: number;
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

const nowISO = (): string => new Date().toISOString().replace(/\.\d+Z$/, "Z");

/** The scheduler's state and loop; started by startScheduler. */
export class Scheduler {
  private readonly factory: SharedInformerFactory;
  private readonly ownsFactory: boolean;
  // higher-priority pods are scheduled first, as upstream's activeQ orders them
  private readonly queue = new WorkQueue({ baseDelayMs: 100, maxDelayMs: 10_000, priority: (key) => this.podInformer.store.get(key)?.spec.priority ?? 0 });
  private readonly nodes = new Map<string, NodeInfo>();
  /** pod key → node it is accounted on (bound, or assumed while binding) */
  private readonly placed = new Map<string, string>();
  private readonly assumed = new Set<string>();
  private readonly unschedulable = new Set<string>();
  private readonly recorder: EventRecorder;
  private readonly name: string;
  private loop: ControllerLoop | undefined;
  /** bindings being committed */
  private inFlight = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly podInformer;
  private offs: (() => void)[] = [];
  private readonly volumes: VolumeLookup;
  private readonly nodeInformer;

  constructor(
    private readonly client: Client,
    private readonly opts: SchedulerCoreOptions = {},
  ) {
    this.name = opts.schedulerName ?? "default-scheduler";
    this.ownsFactory = !opts.factory;
    this.factory = opts.factory ?? new SharedInformerFactory(client);
    this.recorder = createEventRecorder(client, { component: this.name });
    this.podInformer = this.factory.informerFor<Pod>(R.pods);
    this.nodeInformer = this.factory.informerFor<Node>(R.nodes);
    const pvcs = this.factory.informerFor<KubeObject & { spec: { volumeName?: string; storageClassName?: string | null } }>(R.persistentvolumeclaims);
    const pvs = this.factory.informerFor<KubeObject & { spec: Record<string, never> }>(R.persistentvolumes);
    const classes = this.factory.informerFor<KubeObject & { volumeBindingMode?: string }>(R.storageclasses);
    this.volumes = {
      claim: (ns, name) => pvcs.store.get(`${ns}/${name}`),
      volume: (name) => pvs.store.get(name),
      storageClass: (name) => classes.store.get(name),
    };
    // a claim that appears or binds may make a waiting pod schedulable
    this.offs.push(pvcs.addEventHandler({ add: () => this.retryUnschedulable(), update: () => this.retryUnschedulable() }));
  }

  /** Registers handlers, starts informers and the worker. */
  async start(): Promise<void> {
    const offNodes = this.nodeInformer.addEventHandler({
      add: (n) => this.onNode(n),
      update: (_o, n) => this.onNode(n),
      delete: (n) => {
        this.nodes.delete(n.metadata.name ?? "");
      },
    });
    const offPods = this.podInformer.addEventHandler({
      add: (p) => this.onPod(p),
      update: (_o, p) => this.onPod(p),
      delete: (p) => {
        this.unaccount(objectKey(p));
        this.unschedulable.delete(objectKey(p));
        this.retryUnschedulable();
      },
    });
    this.offs.push(offNodes, offPods);
    this.factory.start();
    await this.factory.waitForSync();
    this.loop = runController({ name: "scheduler", queue: this.queue, workers: 1, sync: (k) => this.scheduleOne(k) });
    this.retryTimer = setInterval(() => this.retryUnschedulable(), this.opts.unschedulableRetryMs ?? 60_000);
  }

  async stop(): Promise<void> {
    if (this.retryTimer) clearInterval(this.retryTimer);
    for (const off of this.offs.splice(0)) off();
    await this.loop?.stop();
    for (let i = 0; i < 100 && this.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 20));
    if (this.ownsFactory) this.factory.stop();
    await this.recorder.flush();
  }

  private responsible(pod: Pod): boolean {
    return (pod.spec.schedulerName ?? "default-scheduler") === this.name;
  }

  private onNode(node: Node): void {
    const name = node.metadata.name ?? "";
    const existing = this.nodes.get(name);
    const info = new NodeInfo(node);
    if (existing) for (const p of existing.pods) info.addPod(p);
    this.nodes.set(name, info);
    const changed =
      !existing ||
      JSON.stringify([existing.node.spec, existing.node.metadata.labels, existing.node.status?.allocatable]) !==
        JSON.stringify([node.spec, node.metadata.labels, node.status?.allocatable]);
    if (changed) this.retryUnschedulable();
  }

  private onPod(pod: Pod): void {
    const key = objectKey(pod);
    const nodeName = pod.spec.nodeName;
    if (nodeName) {
      this.assumed.delete(key);
      this.unschedulable.delete(key);
      if (isTerminal(pod)) {
        if (this.unaccount(key)) this.retryUnschedulable();
      } else {
        this.account(key, nodeName, pod);
      }
      return;
    }
    if (!this.responsible(pod) || pod.metadata.deletionTimestamp) return;
    if (!this.unschedulable.has(key)) this.queue.add(key);
  }

  private account(key: string, nodeName: string, pod: Pod): void {
    this.unaccount(key);
    let info = this.nodes.get(nodeName);
    if (!info) {
      // the pod's node is not known (yet): keep its pods on a placeholder
      info = new NodeInfo({ metadata: { name: nodeName }, status: { allocatable: {} } });
      info.placeholder = true;
      this.nodes.set(nodeName, info);
    }
    info.addPod(pod);
    this.placed.set(key, nodeName);
  }

  private unaccount(key: string): boolean {
    const nodeName = this.placed.get(key);
    if (nodeName === undefined) return false;
    this.placed.delete(key);
    const { namespace, name } = splitKey(key);
    return this.nodes.get(nodeName)?.removePod(namespace, name) ?? false;
  }

  private retryUnschedulable(): void {
    for (const k of this.unschedulable) this.queue.add(k);
    this.unschedulable.clear();
  }

  private knownNodes(): NodeInfo[] {
    return [...this.nodes.values()].filter((n) => !n.placeholder);
  }

  /** Schedules one pod by key: filter, score, assume, bind. */
  async scheduleOne(key: string): Promise<void> {
    const pod = this.podInformer.store.get(key);
    if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp || !this.responsible(pod)) return;
    if (this.assumed.has(key)) return;
    const nodes = this.knownNodes();
    const snap = buildSnapshot(nodes, this.volumes);
    const feasible: NodeInfo[] = [];
    const reasons = new Map<string, string[]>();
    for (const n of nodes) {
      const r = runFilters(pod, { node: n, snap });
      if (r.length === 0) feasible.push(n);
      else reasons.set(n.name, r);
    }
    if (feasible.length === 0) return this.handleUnschedulable(key, pod, nodes.length, reasons, snap);
    const scores = scoreNodes(pod, { nodes: feasible, snap });
    let best = -Infinity;
    let choices: NodeInfo[] = [];
    feasible.forEach((n, i) => {
      if (scores[i] > best + 1e-9) {
        best = scores[i];
        choices = [n];
      } else if (Math.abs(scores[i] - best) <= 1e-9) choices.push(n);
    });
    const target = choices[Math.floor(Math.random() * choices.length)];
    // assume now, bind in the background: the next pod is scheduled against
    // the assumed state while this binding is being committed (upstream's binding cycle)
    this.assumed.add(key);
    this.account(key, target.name, { ...pod, spec: { ...pod.spec, nodeName: target.name } });
    this.inFlight++;
    void this.bind(key, pod, target.name)
      .catch(() => this.queue.addRateLimited(key))
      .finally(() => this.inFlight--);
  }

  private async bind(key: string, pod: Pod, nodeName: string): Promise<void> {
    try {
      // WaitForFirstConsumer claims learn their node before the pod is bound (the provisioner reads it)
      for (const claim of claimsWaitingForNode(pod, this.volumes)) {
        await this.client.patch(R.persistentvolumeclaims, pod.metadata.namespace, claim, "merge", { metadata: { annotations: { "volume.kubernetes.io/selected-node": nodeName } } });
      }
      await this.client.create(
        R.pods,
        pod.metadata.namespace,
        {
          apiVersion: "v1",
          kind: "Binding",
          metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
          target: { apiVersion: "v1", kind: "Node", name: nodeName },
        },
        { subresource: "binding" },
      );
    } catch (err) {
      this.assumed.delete(key);
      this.unaccount(key);
      const code = (err as { code?: number }).code;
      if (code === 404) return; // the pod went away
      throw err;
    }
    this.recorder.event(withKind(pod), "Normal", "Scheduled", `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`);
  }

  private async handleUnschedulable(key: string, pod: Pod, numNodes: number, reasons: Map<string, string[]>, snap: ReturnType<typeof buildSnapshot>): Promise<void> {
    const plan = planPreemption(pod, { snap: snap, reasonsByNode: reasons });
    if (plan) {
      for (const v of plan.victims) {
        this.recorder.event(withKind(v), "Normal", "Preempted", `Preempted by pod ${pod.metadata.uid} on node ${plan.node.name}`);
        try {
          await this.client.delete(R.pods, v.metadata.namespace, v.metadata.name ?? "");
        } catch {
          // already gone
        }
      }
      await this.writeCondition(pod, undefined, plan.node.name);
      this.queue.addAfter(key, 1000);
      return;
    }
    const message = numNodes === 0 ? "no nodes available to schedule pods" : fitErrorMessage(numNodes, reasons);
    const full = numNodes === 0 ? message : `${message} preemption: 0/${numNodes} nodes are available: ${numNodes} Preemption is not helpful for scheduling.`;
    this.unschedulable.add(key);
    this.recorder.event(withKind(pod), "Warning", "FailedScheduling", full);
    await this.writeCondition(pod, { type: "PodScheduled", status: "False", reason: "Unschedulable", message: full });
  }

  private async writeCondition(pod: Pod, cond: Condition | undefined, nominated?: string): Promise<void> {
    const conds = [...(pod.status?.conditions ?? [])];
    const i = conds.findIndex((c) => c.type === "PodScheduled");
    let changed = false;
    if (cond) {
      const prev = i >= 0 ? conds[i] : undefined;
      if (!prev || prev.status !== cond.status || prev.reason !== cond.reason || prev.message !== cond.message) {
        const next: Condition = { ...cond, lastProbeTime: null, lastTransitionTime: prev?.status === cond.status ? prev.lastTransitionTime : nowISO() };
        if (i >= 0) conds[i] = next;
        else conds.push(next);
        changed = true;
      }
    }
    if (nominated !== undefined && pod.status?.nominatedNodeName !== nominated) changed = true;
    if (!changed) return;
    const status = { ...(pod.status ?? {}), phase: pod.status?.phase ?? "Pending", conditions: conds, ...(nominated ? { nominatedNodeName: nominated } : {}) };
    try {
      await this.client.update(R.pods, pod.metadata.namespace, { ...pod, status } as KubeObject, { subresource: "status" });
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code !== 404 && code !== 409) throw err;
    }
  }
}

function withKind(pod: Pod): Pod {
  return { ...pod, apiVersion: pod.apiVersion ?? "v1", kind: pod.kind ?? "Pod" };
}
