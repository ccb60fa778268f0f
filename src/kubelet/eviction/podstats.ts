/**
 * Per-pod usage for ranking and local-storage limits: container working sets
 * and writable layers from CRI stats, log and emptyDir bytes from the
 * filesystem, and the pod cgroup's task count.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CriClient } from "../cri/mod.ts";
import { LABEL_CONTAINER_NAME, LABEL_POD_UID, podCgroupCandidates, podLogDir, type SandboxContext } from "../spec.ts";
import type { KPod } from "../types.ts";
import { diskUsage, podDir } from "../volumes/mod.ts";
import type { ContainerUsage, PodUsage } from "./ranking.ts";

/** Where pod files live. */
export interface PodStatsContext {
  cri: CriClient;
  rootDir: string;
  sandbox: SandboxContext;
}

function taskCount(uid: string, sandbox: SandboxContext): number {
  for (const cg of podCgroupCandidates(uid, sandbox)) {
    try {
      return Number(readFileSync(join("/sys/fs/cgroup/pids", cg, "pids.current"), "utf8").trim()) || 0;
    } catch {
      /* not in this QoS tier */
    }
  }
  return 0;
}

/** Bytes used by each disk-backed emptyDir of the pod. */
export function emptyDirUsage(pod: KPod, rootDir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of pod.spec.volumes ?? []) {
    if (!v.emptyDir || v.emptyDir.medium === "Memory") continue;
    out.set(v.name, diskUsage(join(podDir(rootDir, pod.metadata.uid!), "volumes", "kubernetes.io~empty-dir", v.name)));
  }
  return out;
}

/** Usage of every given pod that has containers in the runtime, by pod uid. */
export async function collectPodUsage(pods: readonly KPod[], ctx: PodStatsContext): Promise<Map<string, PodUsage>> {
  const byUid = new Map(pods.map((p) => [p.metadata.uid!, p]));
  const containers = new Map<string, Map<string, ContainerUsage>>();
  for (const s of await ctx.cri.listContainerStats()) {
    const labels = s.attributes?.labels ?? {};
    const uid = labels[LABEL_POD_UID];
    const name = labels[LABEL_CONTAINER_NAME] ?? s.attributes?.metadata?.name ?? "";
    if (!uid || !byUid.has(uid)) continue;
    const memory = Number(s.memory?.working_set_bytes?.value ?? 0);
    const rootfs = Number(s.writable_layer?.used_bytes?.value ?? 0);
    const per = containers.get(uid) ?? containers.set(uid, new Map()).get(uid)!;
    const prev = per.get(name);
    // exited instances linger beside the running one: the larger reading is the live one
    if (!prev || memory > prev.memory) per.set(name, { name, memory, rootfs: Math.max(rootfs, prev?.rootfs ?? 0), logs: 0 });
  }
  const out = new Map<string, PodUsage>();
  for (const [uid, per] of containers) {
    const pod = byUid.get(uid)!;
    const logDir = podLogDir(pod, ctx.sandbox.podLogsDir);
    const list = [...per.values()].map((c) => ({ ...c, logs: diskUsage(join(logDir, c.name)) }));
    out.set(uid, {
      memory: list.reduce((a, c) => a + c.memory, 0),
      containers: list,
      volumes: emptyDirUsage(pod, ctx.rootDir),
      processes: taskCount(uid, ctx.sandbox),
    });
  }
  return out;
}
