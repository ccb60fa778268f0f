/** What the scheduler knows of a node: the node, its pods and their summed requests. */
import type { Node, Pod } from "../client/types.ts";
import { quantityToScaled } from "../client/quantity.ts";

/** Requests by resource name; cpu in millicores, others in units. */
export type Resources = Record<string, number>;

// upstream's defaults for pods that request nothing, used only for scoring
const NONZERO_CPU = 100;
const NONZERO_MEMORY = 200 * 1024 * 1024;

function addInto(acc: Resources, r: Resources): void {
  for (const [k, v] of Object.entries(r)) acc[k] = (acc[k] ?? 0) + v;
}

function containerRequests(requests: Record<string, string> | undefined): Resources {
  const out: Resources = {};
  for (const [k, v] of Object.entries(requests ?? {})) out[k] = quantityToScaled(k, v);
  return out;
}

/** A pod's effective requests: max(sum of containers, each init container) plus overhead. */
export function podRequests(pod: Pod): Resources {
  const sum: Resources = {};
  for (const c of pod.spec.containers ?? []) addInto(sum, containerRequests(c.resources?.requests));
  for (const c of pod.spec.initContainers ?? []) {
    const r = containerRequests(c.resources?.requests);
    // sidecars (restartPolicy Always) run alongside: they add rather than max
    if ((c as { restartPolicy?: string }).restartPolicy === "Always") addInto(sum, r);
    else for (const [k, v] of Object.entries(r)) sum[k] = Math.max(sum[k] ?? 0, v);
  }
  if (pod.spec.overhead) addInto(sum, containerRequests(pod.spec.overhead));
  return sum;
}

/** cpu/memory requests with upstream's non-zero defaults, for scoring. */
export function nonZeroRequests(pod: Pod): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of pod.spec.containers ?? []) {
    const r = c.resources?.requests ?? {};
    cpu += r.cpu !== undefined ? quantityToScaled("cpu", r.cpu) : NONZERO_CPU;
    memory += r.memory !== undefined ? quantityToScaled("memory", r.memory) : NONZERO_MEMORY;
  }
  return { cpu, memory };
}

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** Host ports a pod asks for. */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) out.push({ ip: p.hostIP || "0.0.0.0", protocol: p.protocol || "TCP", port: p.hostPort });
    }
  }
  return out;
}

/** One node with the pods bound (or assumed) to it. */
export class NodeInfo {
  pods: Pod[] = [];
  requested: Resources = {};
  nonZero = { cpu: 0, memory: 0 };
  usedPorts: HostPort[] = [];
  /** stands in for a node the informer has not delivered yet */
  placeholder = false;
  readonly allocatable: Resources;

  constructor(readonly node: Node) {
    this.allocatable = {};
    for (const [k, v] of Object.entries(node.status?.allocatable ?? node.status?.capacity ?? {})) {
      this.allocatable[k] = quantityToScaled(k, v);
    }
  }

  get name(): string {
    return this.node.metadata.name ?? "";
  }

  addPod(pod: Pod): void {
    this.pods.push(pod);
    this.account(pod);
  }

  /** Removes a pod by namespace/name; returns whether it was there. */
  removePod(namespace: string, name: string): boolean {
    const i = this.pods.findIndex((p) => p.metadata.name === name && (p.metadata.namespace ?? "") === namespace);
    if (i === -1) return false;
    this.pods.splice(i, 1);
    this.requested = {};
    this.nonZero = { cpu: 0, memory: 0 };
    this.usedPorts = [];
    for (const p of this.pods) this.account(p);
    return true;
  }

  private account(pod: Pod): void {
    addInto(this.requested, podRequests(pod));
    const nz = nonZeroRequests(pod);
    this.nonZero.cpu += nz.cpu;
    this.nonZero.memory += nz.memory;
    this.usedPorts.push(...podHostPorts(pod));
  }

  /** A copy without the given pods (preemption simulation). */
  without(victims: Set<Pod>): NodeInfo {
    const n = new NodeInfo(this.node);
    for (const p of this.pods) if (!victims.has(p)) n.addPod(p);
    return n;
  }
}
