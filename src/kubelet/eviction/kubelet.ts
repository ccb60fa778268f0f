/**
 * The eviction manager inside the kubelet: its signals come from the
 * kubelet root and containerd's root, its pods are the kubelet's workers,
 * evicting goes through the pod's worker, and disk reclaim removes dead
 * containers and unused images. Also the admission check of new pods.
 */
import type { KubeletContext } from "../context.ts";
import { collectImages, type ImageGCOptions } from "../imagegc.ts";
import type { NodeInfoOptions } from "../node.ts";
import { LABEL_POD_UID } from "../spec.ts";
import type { KPod } from "../types.ts";
import type { PodWorker } from "../worker.ts";
import type { PressureCondition } from "./admit.ts";
import { EvictionManager } from "./manager.ts";
import { collectPodUsage } from "./podstats.ts";
import { observeSignals, type Observations } from "./signals.ts";
import { parseEvictionConfig, type EvictionConfig, type ThresholdValue } from "./thresholds.ts";

/** The kubelet's eviction settings. */
export interface KubeletEvictionOptions {
  /** thresholds and periods; default upstream's (parseEvictionConfig({})) */
  config?: EvictionConfig;
  /** seconds between passes; default 10 (upstream's housekeeping interval) */
  intervalSeconds?: number;
}

/** What the kubelet needs once its workers exist. */
export interface EvictionRunContext {
  ctx: KubeletContext;
  imageGC?: ImageGCOptions;
  workers: () => PodWorker[];
}

/** The eviction side of a running kubelet. */
export interface KubeletEviction {
  /** the hard memory/nodefs thresholds node allocatable subtracts */
  readonly reserve: NonNullable<NodeInfoOptions["evictionHard"]>;
  /** pressure conditions now True */
  conditions(): PressureCondition[];
  /** refuses a new pod under pressure: the worker fails it as Evicted */
  admit(pod: KPod, worker: PodWorker): void;
  /** starts the periodic passes */
  run(rc: EvictionRunContext): void;
  stop(): void;
}

function hardValue(config: EvictionConfig, signal: "memory.available" | "nodefs.available"): ThresholdValue | undefined {
  return config.thresholds.find((t) => t.signal === signal && t.gracePeriodMs === 0)?.value;
}

const isActive = (p: KPod): boolean => !p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed";

/** Dead containers of pods that no longer run, then every unused image (upstream's node-level disk reclaim). */
async function reclaimDisk(rc: EvictionRunContext, active: Set<string>): Promise<void> {
  const cri = rc.ctx.cri;
  for (const c of await cri.listContainers()) {
    const uid = c.labels[LABEL_POD_UID];
    if (c.state === "CONTAINER_EXITED" && uid && !active.has(uid)) await cri.removeContainer(c.id).catch(() => {});
  }
  if (rc.imageGC) await collectImages(cri, { ...rc.imageGC, highThresholdPercent: 0, lowThresholdPercent: 0 });
}

/** Creates the kubelet's eviction manager (not yet running). */
export function createKubeletEviction(o: KubeletEvictionOptions, at: { nodeOpts: NodeInfoOptions; imageFsPath: string }): KubeletEviction {
  const config = o.config ?? parseEvictionConfig({});
  const observe = (): Observations => observeSignals({ nodeFsPath: at.nodeOpts.rootDir, imageFsPath: at.imageFsPath });
  const evicted = new Set<string>();
  let manager: EvictionManager | undefined;
  let events: KubeletContext["events"] | undefined;
  return {
    reserve: { memory: hardValue(config, "memory.available"), nodefs: hardValue(config, "nodefs.available") },
    conditions: () => manager?.conditions() ?? [],
    admit(pod, worker) {
      // only pods that have not started: a running pod found after a restart stays
      if (!manager || (pod.status?.phase && pod.status.phase !== "Pending")) return;
      const verdict = manager.admit(pod);
      if (verdict.admit) return;
      evicted.add(pod.metadata.uid!);
      worker.evict(verdict.message, 0).catch(() => {});
      events?.event(pod, "Warning", verdict.reason, verdict.message);
    },
    run(rc) {
      events = rc.ctx.events;
      const byUid = (uid: string): PodWorker | undefined => rc.workers().find((w) => w.uid === uid);
      const activePods = (): KPod[] => {
        const workers = rc.workers();
        // forget evictions of pods whose workers are gone
        for (const uid of evicted) if (!workers.some((w) => w.uid === uid)) evicted.delete(uid);
        return workers.map((w) => w.pod).filter((p) => isActive(p) && !evicted.has(p.metadata.uid!));
      };
      manager = new EvictionManager({
        config,
        observe,
        activePods,
        podUsage: (pods) => collectPodUsage(pods, { cri: rc.ctx.cri, rootDir: rc.ctx.rootDir, sandbox: rc.ctx.sandbox }),
        async evict(pod, e) {
          evicted.add(pod.metadata.uid!);
          await byUid(pod.metadata.uid!)?.evict(e.message, e.graceSeconds, { disruption: e.disruption });
        },
        reclaimDisk: () => reclaimDisk(rc, new Set(activePods().map((p) => p.metadata.uid!))),
        events: rc.ctx.events,
        nodeRef: { apiVersion: "v1", kind: "Node", metadata: { name: rc.ctx.nodeName, uid: rc.ctx.nodeName } },
        log: rc.ctx.log,
      });
      manager.start((o.intervalSeconds ?? 10) * 1000);
    },
    stop: () => manager?.stop(),
  };
}
