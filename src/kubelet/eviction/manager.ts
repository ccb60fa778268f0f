/**
 * The eviction manager, as upstream's: every housekeeping interval it reads
 * the signals, works out which thresholds are met (keeping ones not yet
 * reclaimed by their minimum), which pressure conditions hold (they stay
 * for the transition period), evicts pods over their local storage limits,
 * and, once a threshold has been met for its grace period, reclaims
 * node-level resources (dead containers, unused images) for disk pressure
 * and otherwise evicts one pod, ranked, per interval.
 */
import type { KubeObject } from "../../api/types.ts";
import type { EventRecorder } from "../../client/mod.ts";
import type { KPod } from "../types.ts";
import { admitPod, type AdmitResult, type PressureCondition } from "./admit.ts";
import { localStorageViolation } from "./localstorage.ts";
import { binaryQuantity, evictionMessage, isCriticalPod, rankPods, SIGNAL_RESOURCE, type MetThreshold, type PodUsage } from "./ranking.ts";
import type { Observations } from "./signals.ts";
import { isHard, thresholdAmount, type EvictionConfig, type Signal, type Threshold } from "./thresholds.ts";

/** What the manager needs from the kubelet. */
export interface EvictionManagerOptions {
  config: EvictionConfig;
  /** reads the node's signals now */
  observe: () => Observations;
  /** pods that run here and are neither finished nor being deleted */
  activePods: () => KPod[];
  podUsage: (pods: readonly KPod[]) => Promise<Map<string, PodUsage>>;
  /** kills the pod and fails it as Evicted with the message (and a DisruptionTarget condition for node pressure); resolves once its containers are stopped */
  evict: (pod: KPod, opts: { graceSeconds: number; message: string; disruption: boolean }) => Promise<void>;
  /** removes dead containers and unused images (disk pressure, before evicting pods) */
  reclaimDisk: () => Promise<void>;
  events: EventRecorder;
  /** the Node, for EvictionThresholdMet events */
  nodeRef: KubeObject;
  log: (msg: string) => void;
  now?: () => number;
}

const CONDITION_OF: Record<Signal, PressureCondition> = {
  "memory.available": "MemoryPressure",
  "nodefs.available": "DiskPressure",
  "nodefs.inodesFree": "DiskPressure",
  "imagefs.available": "DiskPressure",
  "imagefs.inodesFree": "DiskPressure",
  "pid.available": "PIDPressure",
};
const CONDITION_ORDER: PressureCondition[] = ["MemoryPressure", "DiskPressure", "PIDPressure"];
/** the node events upstream's status setters record when a pressure condition turns True / False */
const CONDITION_EVENTS: Record<PressureCondition, [string, string]> = {
  MemoryPressure: ["NodeHasInsufficientMemory", "NodeHasSufficientMemory"],
  DiskPressure: ["NodeHasDiskPressure", "NodeHasNoDiskPressure"],
  PIDPressure: ["NodeHasInsufficientPID", "NodeHasSufficientPID"],
};
/** upstream's immediateEvictionGracePeriodSeconds for hard thresholds and local storage limits */
const IMMEDIATE_GRACE_SECONDS = 1;

/** Thresholds whose signal is below their amount (plus the minimum reclaim when enforceMinReclaim). */
export function thresholdsMet(thresholds: readonly Threshold[], obs: Observations, enforceMinReclaim: boolean): Threshold[] {
  return thresholds.filter((t) => {
    const o = obs.get(t.signal);
    if (!o) return false;
    let amount = thresholdAmount(t.value, o.capacity);
    if (enforceMinReclaim && t.minReclaim) amount += thresholdAmount(t.minReclaim, o.capacity);
    return amount > o.available;
  });
}

/** The node-pressure eviction manager. */
export class EvictionManager {
  readonly #o: EvictionManagerOptions;
  #conditions: PressureCondition[] = [];
  #firstObserved = new Map<Threshold, number>();
  #conditionLastObserved = new Map<PressureCondition, number>();
  #met: Threshold[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(opts: EvictionManagerOptions) {
    this.#o = opts;
  }

  /** The pressure conditions now True (Memory, Disk, PID order). */
  conditions(): PressureCondition[] {
    return [...this.#conditions];
  }

  /** The admit handler's verdict for a new pod. */
  admit(pod: KPod): AdmitResult {
    return admitPod(pod, this.#conditions);
  }

  /** Runs synchronize every intervalMs (upstream's housekeeping, 10 s). */
  start(intervalMs = 10_000): void {
    const tick = (): void => {
      if (this.#running) return;
      this.#running = true;
      void this.synchronize()
        .catch((e: unknown) => this.#o.log(`eviction manager: ${(e as Error).message}`))
        .finally(() => (this.#running = false));
    };
    tick();
    this.#timer = setInterval(tick, intervalMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  /** One pass; returns the pod it evicted, if any. */
  async synchronize(): Promise<KPod | undefined> {
    const now = (this.#o.now ?? Date.now)();
    const obs = this.#o.observe();
    const before = this.#conditions;
    const met = this.#updateState(obs, now);
    this.#announce(before, this.#conditions);
    const active = this.#o.activePods();
    const usage = await this.#o.podUsage(active);
    const local = await this.#localStorageEviction(active, usage);
    if (local) return local;
    if (met.length === 0) return undefined;
    // memory first, as upstream's byEvictionPriority
    const target = met.find((t) => t.signal === "memory.available") ?? met[0]!;
    const resource = SIGNAL_RESOURCE[target.signal];
    this.#o.log(`eviction manager: attempting to reclaim ${resource}`);
    this.#o.events.event(this.#o.nodeRef, "Warning", "EvictionThresholdMet", `Attempting to reclaim ${resource}`);
    if (resource !== "memory" && resource !== "pids" && (await this.#reclaimNodeLevel())) return undefined;
    return this.#evictOne(active, usage, { target, met, obs });
  }

  #announce(before: PressureCondition[], after: PressureCondition[]): void {
    for (const c of CONDITION_ORDER) {
      const on = after.includes(c);
      if (on === before.includes(c)) continue;
      const reason = CONDITION_EVENTS[c][on ? 0 : 1];
      this.#o.events.event(this.#o.nodeRef, "Normal", reason, `Node ${this.#o.nodeRef.metadata.name} status is now: ${reason}`);
    }
  }

  /** Upstream's bookkeeping: thresholds met (with grace periods) and the conditions they call for. */
  #updateState(obs: Observations, now: number): Threshold[] {
    const configured = this.#o.config.thresholds;
    let met = thresholdsMet(configured, obs, false);
    // ones met before stay until the minimum reclaim is reached too (while still configured)
    for (const t of thresholdsMet(this.#met.filter((x) => configured.includes(x)), obs, true)) if (!met.includes(t)) met = [...met, t];
    const first = new Map<Threshold, number>();
    for (const t of met) first.set(t, this.#firstObserved.get(t) ?? now);
    this.#firstObserved = first;
    for (const t of met) this.#conditionLastObserved.set(CONDITION_OF[t.signal], now);
    const period = this.#o.config.pressureTransitionPeriodMs;
    this.#conditions = CONDITION_ORDER.filter((c) => {
      const at = this.#conditionLastObserved.get(c);
      // a 0 period still reports the pass that saw the threshold (upstream's would never report)
      return at !== undefined && now - at < Math.max(period, 1);
    });
    this.#met = met.filter((t) => now - first.get(t)! >= t.gracePeriodMs);
    return this.#met;
  }

  async #localStorageEviction(active: KPod[], usage: Map<string, PodUsage>): Promise<KPod | undefined> {
    let evicted: KPod | undefined;
    for (const pod of active) {
      const u = usage.get(pod.metadata.uid!);
      const message = u && localStorageViolation(pod, u);
      if (message && (await this.#evictPod(pod, { graceSeconds: IMMEDIATE_GRACE_SECONDS, message, disruption: false }))) evicted ??= pod;
    }
    return evicted;
  }

  /** Dead containers and unused images; true when that alone ended every threshold (with its minimum reclaim). */
  async #reclaimNodeLevel(): Promise<boolean> {
    try {
      await this.#o.reclaimDisk();
    } catch (e) {
      this.#o.log(`eviction manager: reclaiming disk failed: ${(e as Error).message}`);
    }
    const after = thresholdsMet(this.#o.config.thresholds, this.#o.observe(), true);
    if (after.length === 0) this.#o.log("eviction manager: able to reduce resource pressure without evicting pods");
    return after.length === 0;
  }

  async #evictOne(active: KPod[], usage: Map<string, PodUsage>, at: { target: Threshold; met: Threshold[]; obs: Observations }): Promise<KPod | undefined> {
    const resource = SIGNAL_RESOURCE[at.target.signal];
    if (active.length === 0) {
      this.#o.log("eviction manager: thresholds met, but no pods are active to evict");
      return undefined;
    }
    const reported = at.met.find((t) => SIGNAL_RESOURCE[t.signal] === resource && at.obs.has(t.signal));
    let info: MetThreshold | undefined;
    if (reported) {
      const o = at.obs.get(reported.signal)!;
      const amount = thresholdAmount(reported.value, o.capacity);
      info = { quantity: reported.value.quantity?.text ?? (resource === "memory" || resource === "ephemeral-storage" ? binaryQuantity(amount) : String(amount)), available: o.available };
    }
    const maxGrace = this.#o.config.maxPodGracePeriodSeconds;
    for (const pod of rankPods(active, usage, resource)) {
      const podGrace = pod.spec.terminationGracePeriodSeconds ?? 30;
      const grace = isHard(at.target) ? IMMEDIATE_GRACE_SECONDS : maxGrace > 0 ? Math.min(podGrace, maxGrace) : podGrace;
      const message = evictionMessage(resource, pod, usage.get(pod.metadata.uid!), info);
      if (await this.#evictPod(pod, { graceSeconds: grace, message, disruption: true })) return pod;
    }
    this.#o.log("eviction manager: unable to evict any pods from the node");
    return undefined;
  }

  /** Evicts one pod unless it is critical; true when it was evicted. */
  async #evictPod(pod: KPod, how: { graceSeconds: number; message: string; disruption: boolean }): Promise<boolean> {
    const message = how.message;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (isCriticalPod(pod)) {
      this.#o.log(`eviction manager: cannot evict a critical pod ${key}`);
      return false;
    }
    this.#o.events.event(pod, "Warning", "Evicted", message);
    this.#o.log(`eviction manager: evicting pod ${key}: ${message}`);
    // upstream waits for the pod's cleanup at most 30 s before the next pass
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => (timer = setTimeout(r, 30_000)));
    await Promise.race([this.#o.evict(pod, how), timeout]).finally(() => clearTimeout(timer));
    return true;
  }
}

