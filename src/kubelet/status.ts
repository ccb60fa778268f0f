/** A pod's status from what the worker knows: phase, conditions, container statuses, IPs. */
import type { Condition } from "../client/mod.ts";
import type { ContainerStatus } from "./cri/mod.ts";
import { qosClass } from "./spec.ts";
import type { ContainerSpec, ContainerStateK, ContainerStatusK, KPod, PodStatusK } from "./types.ts";

/** One container as the worker sees it. */
export interface ContainerView {
  spec: ContainerSpec;
  status?: ContainerStatus;
  restartCount: number;
  waiting?: { reason: string; message?: string };
  lastTerminated?: ContainerStateK["terminated"];
  ready: boolean;
  started: boolean;
  terminationMessage?: string;
}

/** The inputs of buildPodStatus besides the pod. */
export interface PodStatusInput {
  init: ContainerView[];
  containers: ContainerView[];
  sandboxReady: boolean;
  podIPs: string[];
  hostIPs: string[];
  startTime?: string;
  reason?: string;
  message?: string;
  /** a phase decided by the kubelet itself (DeadlineExceeded) */
  phase?: "Failed";
  /** the eviction manager's message: a DisruptionTarget condition (TerminationByKubelet) carries it */
  disruption?: string;
}

function iso(ns: string | undefined): string | undefined {
  const n = BigInt(ns || "0");
  if (n <= 0n) return undefined;
  return new Date(Number(n / 1_000_000n)).toISOString().replace(/\.\d+Z$/, "Z");
}

function containerStatus(v: ContainerView): ContainerStatusK {
  const st = v.status;
  let state: ContainerStateK;
  if (st?.state === "CONTAINER_RUNNING") state = { running: { startedAt: iso(st.started_at) } };
  else if (v.waiting) state = { waiting: { reason: v.waiting.reason, message: v.waiting.message } };
  else if (st?.state === "CONTAINER_EXITED") {
    state = {
      terminated: {
        exitCode: st.exit_code,
        reason: st.reason || (st.exit_code === 0 ? "Completed" : "Error"),
        message: v.terminationMessage ?? (st.message || undefined),
        startedAt: iso(st.started_at),
        finishedAt: iso(st.finished_at),
        containerID: `containerd://${st.id}`,
      },
    };
  } else state = { waiting: { reason: "ContainerCreating" } };
  const running = st?.state === "CONTAINER_RUNNING";
  const out: ContainerStatusK = {
    name: v.spec.name,
    state,
    lastState: v.lastTerminated ? { terminated: v.lastTerminated } : {},
    ready: running && v.started && v.ready,
    restartCount: v.restartCount,
    image: v.spec.image ?? "",
    imageID: st?.image_ref ?? "",
    started: running && v.started,
  };
  if (st) out.containerID = `containerd://${st.id}`;
  return out;
}

function condition(type: string, ok: boolean, old: Condition[] | undefined, reason?: string, message?: string): Condition {
  const status = ok ? "True" : "False";
  const prev = old?.find((c) => c.type === type);
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const c: Condition = { type, status, lastProbeTime: null, lastTransitionTime: prev?.status === status ? (prev.lastTransitionTime ?? now) : now };
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c;
}

/** An init container is done when it succeeded, or (a sidecar) when it runs and has started. */
function initDone(v: ContainerView): boolean {
  // a sidecar that started once stays "initialized" through its restarts
  if (v.spec.restartPolicy === "Always") return (v.status?.state === "CONTAINER_RUNNING" && v.started) || v.restartCount > 0;
  return v.status?.state === "CONTAINER_EXITED" && v.status.exit_code === 0;
}

function exited(v: ContainerView): boolean {
  return v.status?.state === "CONTAINER_EXITED" && !v.waiting;
}

/** The phase as upstream's getPhase computes it. */
export function podPhase(pod: KPod, input: PodStatusInput): PodStatusK["phase"] {
  const policy = pod.spec.restartPolicy ?? "Always";
  for (const v of input.init) {
    if (initDone(v)) continue;
    if (v.status?.state === "CONTAINER_EXITED" && policy === "Never") return "Failed";
    return "Pending";
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let failed = 0;
  let succeeded = 0;
  for (const v of input.containers) {
    const st = v.status?.state;
    if (st === "CONTAINER_RUNNING") running++;
    else if (st === "CONTAINER_EXITED") {
      stopped++;
      if (v.status!.exit_code === 0) succeeded++;
      else failed++;
      // a container waiting to restart still counts as running for the phase
      if (v.waiting && policy !== "Never") {
        stopped--;
        running++;
      }
    } else waiting++;
  }
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped === input.containers.length && stopped > 0) {
    if (policy === "Always") return "Running";
    if (failed > 0 && policy === "Never") return "Failed";
    if (failed > 0 && policy === "OnFailure") return "Running";
    return succeeded === stopped ? "Succeeded" : "Failed";
  }
  return "Pending";
}

/** The full status the kubelet writes. */
export function buildPodStatus(pod: KPod, input: PodStatusInput): PodStatusK {
  const old = pod.status?.conditions;
  const init = input.init.map(containerStatus);
  const containers = input.containers.map(containerStatus);
  const phase = input.phase ?? podPhase(pod, input);
  const initialized = input.init.every(initDone);
  const sidecars = input.init.filter((v) => v.spec.restartPolicy === "Always").map((v) => v.spec.name);
  const notReady = [...init.filter((c) => sidecars.includes(c.name)), ...containers].filter((c) => !c.ready).map((c) => c.name);
  const terminal = phase === "Succeeded" || phase === "Failed";
  const containersReady = notReady.length === 0 && !terminal;
  const notReadyMsg = `containers with unready status: [${notReady.join(" ")}]`;
  const pendingInit = input.init.filter((v) => !initDone(v)).map((v) => v.spec.name);
  const conditions: Condition[] = [
    condition("PodReadyToStartContainers", input.sandboxReady, old),
    condition("Initialized", initialized, old, "ContainersNotInitialized", `containers with incomplete status: [${pendingInit.join(" ")}]`),
    condition("Ready", containersReady, old, terminal ? "PodCompleted" : "ContainersNotReady", terminal ? undefined : notReadyMsg),
    condition("ContainersReady", containersReady, old, terminal ? "PodCompleted" : "ContainersNotReady", terminal ? undefined : notReadyMsg),
    old?.find((c) => c.type === "PodScheduled") ?? condition("PodScheduled", true, old),
  ];
  if (input.disruption) {
    const prev = old?.find((c) => c.type === "DisruptionTarget" && c.status === "True");
    conditions.push({ type: "DisruptionTarget", status: "True", lastProbeTime: null, lastTransitionTime: prev?.lastTransitionTime ?? new Date().toISOString().replace(/\.\d+Z$/, "Z"), reason: "TerminationByKubelet", message: input.disruption });
  }
  const status: PodStatusK = {
    phase,
    conditions,
    hostIP: input.hostIPs[0],
    hostIPs: input.hostIPs.map((ip) => ({ ip })),
    startTime: input.startTime,
    containerStatuses: containers,
    qosClass: qosClass(pod),
  };
  if (input.podIPs.length) {
    status.podIP = input.podIPs[0];
    status.podIPs = input.podIPs.map((ip) => ({ ip }));
  }
  if (init.length) status.initContainerStatuses = init;
  if (input.reason) status.reason = input.reason;
  if (input.message) status.message = input.message;
  return status;
}

export { exited };
