/**
 * The kubelet's Node: registration (labels, taints, capacity, addresses,
 * nodeInfo), periodic status with conditions, and the node Lease in
 * kube-node-lease.
 */
import { K3S_VERSION } from "../cli/version.ts";
import { readFileSync, statfsSync } from "node:fs";
import { arch, cpus, hostname, release, totalmem } from "node:os";
import type { KubeObject } from "../api/types.ts";
import { ApiError, microTime, R, type Client, type Condition, type Node } from "../client/mod.ts";
import { thresholdAmount, type PressureCondition, type ThresholdValue } from "./eviction/mod.ts";

/** kubeletVersion reported in nodeInfo. */
export const KUBELET_VERSION = K3S_VERSION;

/** Whether the node is ready, and why not. */
export interface NodeHealth {
  ready: boolean;
  reason?: string;
  message?: string;
}

/** Inputs of the node object. */
export interface NodeInfoOptions {
  nodeName: string;
  nodeIPs: string[];
  externalIPs?: string[];
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: string }[];
  /** containerd://<version> */
  runtimeVersion: string;
  rootDir: string;
  kubeletPort: number;
  maxPods?: number;
  /** the hard memory.available and nodefs.available thresholds, reserved from allocatable; default upstream's 100Mi and 10% */
  evictionHard?: { memory?: ThresholdValue; nodefs?: ThresholdValue };
}

function readTrim(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return "";
  }
}

function osImage(): string {
  const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readTrim("/etc/os-release"));
  return m ? m[1]! : "Linux";
}

function goArch(): string {
  return arch() === "x64" ? "amd64" : arch() === "arm64" ? "arm64" : arch();
}

/** Capacity and allocatable from the machine. */
export function machineResources(o: Pick<NodeInfoOptions, "rootDir" | "maxPods" | "evictionHard">): { capacity: Record<string, string>; allocatable: Record<string, string> } {
  const memKi = Math.floor(totalmem() / 1024);
  let storageKi = 0;
  try {
    const s = statfsSync(o.rootDir);
    storageKi = Math.floor((s.blocks * s.bsize) / 1024);
  } catch {
    storageKi = 0;
  }
  const pods = String(o.maxPods ?? 110);
  const hard = o.evictionHard ?? { memory: { quantity: { value: 100 * 1024 * 1024, text: "100Mi" } }, nodefs: { percentage: Math.fround(0.1) } };
  // upstream's node allocatable: capacity minus the hard eviction thresholds (no reservations otherwise)
  const reserveKi = hard.memory ? Math.floor(thresholdAmount(hard.memory, memKi * 1024) / 1024) : 0;
  const storageReserve = hard.nodefs ? thresholdAmount(hard.nodefs, storageKi * 1024) : 0;
  const capacity = { cpu: String(cpus().length), memory: `${memKi}Ki`, pods, "ephemeral-storage": `${storageKi}Ki`, "hugepages-2Mi": "0", "hugepages-1Gi": "0" };
  const allocatable = {
    ...capacity,
    memory: `${Math.max(0, memKi - reserveKi)}Ki`,
    "ephemeral-storage": String(Math.max(0, storageKi * 1024 - storageReserve)),
  };
  return { capacity, allocatable };
}

const PRESSURE_TEXT: Record<PressureCondition, { on: [string, string]; off: [string, string] }> = {
  MemoryPressure: { on: ["KubeletHasInsufficientMemory", "kubelet has insufficient memory available"], off: ["KubeletHasSufficientMemory", "kubelet has sufficient memory available"] },
  DiskPressure: { on: ["KubeletHasDiskPressure", "kubelet has disk pressure"], off: ["KubeletHasNoDiskPressure", "kubelet has no disk pressure"] },
  PIDPressure: { on: ["KubeletHasInsufficientPID", "kubelet has insufficient PID available"], off: ["KubeletHasSufficientPID", "kubelet has sufficient PID available"] },
};

/** The node's status: capacity, addresses, nodeInfo and the four conditions (pressure ones as the eviction manager reports). */
export function nodeStatus(o: NodeInfoOptions, state: { health: NodeHealth; old?: Condition[]; pressure?: readonly PressureCondition[] }): Record<string, unknown> {
  const { health, old } = state;
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const cond = (type: string, status: "True" | "False", reason: string, message: string): Condition => {
    const prev = old?.find((c) => c.type === type);
    return { type, status, lastHeartbeatTime: now, lastTransitionTime: prev?.status === status ? (prev.lastTransitionTime ?? now) : now, reason, message };
  };
  const { capacity, allocatable } = machineResources(o);
  const addresses = [
    ...o.nodeIPs.map((address) => ({ type: "InternalIP", address })),
    ...(o.externalIPs ?? []).map((address) => ({ type: "ExternalIP", address })),
    { type: "Hostname", address: o.nodeName },
  ];
  return {
    capacity,
    allocatable,
    conditions: [
      ...(["MemoryPressure", "DiskPressure", "PIDPressure"] as const).map((type) => {
        const on = state.pressure?.includes(type) ?? false;
        const [reason, message] = PRESSURE_TEXT[type][on ? "on" : "off"];
        return cond(type, on ? "True" : "False", reason, message);
      }),
      health.ready
        ? cond("Ready", "True", "KubeletReady", "kubelet is posting ready status")
        : cond("Ready", "False", health.reason ?? "KubeletNotReady", health.message ?? "container runtime is not ready"),
    ],
    addresses,
    daemonEndpoints: { kubeletEndpoint: { Port: o.kubeletPort } },
    nodeInfo: {
      machineID: readTrim("/etc/machine-id"),
      systemUUID: readTrim("/sys/class/dmi/id/product_uuid").toLowerCase() || readTrim("/etc/machine-id"),
      bootID: readTrim("/proc/sys/kernel/random/boot_id"),
      kernelVersion: release(),
      osImage: osImage(),
      containerRuntimeVersion: o.runtimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: "linux",
      architecture: goArch(),
    },
  };
}

/** The default node labels (kubernetes.io/hostname, os, arch) plus the given ones. */
export function nodeLabels(o: Pick<NodeInfoOptions, "nodeName" | "labels">): Record<string, string> {
  const a = goArch();
  return {
    "beta.kubernetes.io/arch": a,
    "beta.kubernetes.io/os": "linux",
    "kubernetes.io/arch": a,
    "kubernetes.io/hostname": o.nodeName || hostname(),
    "kubernetes.io/os": "linux",
    ...o.labels,
  };
}

/** Creates the Node or merges our labels/taints into an existing one; returns the node. */
export async function registerNode(client: Client, o: NodeInfoOptions): Promise<Node> {
  const labels = nodeLabels(o);
  const node: Node = {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: o.nodeName, labels, annotations: { "node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true" } },
    spec: { taints: o.taints.length ? o.taints : undefined } as Node["spec"],
  };
  try {
    await client.create(R.nodes, undefined, node);
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 409)) throw e;
    const existing = await client.get<Node>(R.nodes, undefined, o.nodeName);
    const taints = [...((existing.spec?.taints ?? []) as { key: string; effect?: string }[])];
    for (const t of o.taints) if (!taints.some((x) => x.key === t.key && x.effect === t.effect)) taints.push(t);
    await client.patch(R.nodes, undefined, o.nodeName, "merge", { metadata: { labels }, spec: { taints } });
  }
  await client.patch(R.nodes, undefined, o.nodeName, "merge", { status: nodeStatus(o, { health: { ready: false, reason: "KubeletNotReady", message: "kubelet is starting" } }) }, { subresource: "status" });
  return client.get<Node>(R.nodes, undefined, o.nodeName);
}

/** Creates or renews the node's Lease (kube-node-lease/<node>, 40 s). */
export async function renewLease(client: Client, lease: { nodeName: string; ownerUid?: string }): Promise<void> {
  const { nodeName, ownerUid } = lease;
  const now = microTime();
  try {
    const current = await client.get(R.leases, "kube-node-lease", nodeName);
    (current.spec as Record<string, unknown>) = { ...(current.spec as object), holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime: now };
    await client.update(R.leases, "kube-node-lease", current);
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 404)) throw e;
    const created: KubeObject = {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name: nodeName,
        namespace: "kube-node-lease",
        ownerReferences: ownerUid ? [{ apiVersion: "v1", kind: "Node", name: nodeName, uid: ownerUid }] : undefined,
      },
      spec: { holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime: now },
    };
    await client.create(R.leases, "kube-node-lease", created);
  }
}
