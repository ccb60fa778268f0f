/** /stats/summary and /metrics/resource from CRI container stats and the host's /proc. */
import { readFileSync } from "node:fs";
import type { CriClient, ContainerStats } from "./cri/mod.ts";
import { LABEL_CONTAINER_NAME, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from "./spec.ts";

interface NodeSample {
  timeMs: number;
  cpuNs: number;
  memTotal: number;
  memAvailable: number;
}

let lastNode: NodeSample | undefined;

function nodeSample(): NodeSample {
  const stat = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
  const busyTicks = stat.slice(0, 8).reduce((a, b, i) => (i === 3 || i === 4 ? a : a + b), 0);
  const mem = readFileSync("/proc/meminfo", "utf8");
  const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(mem)?.[1] ?? 0) * 1024;
  return { timeMs: Date.now(), cpuNs: busyTicks * 10_000_000, memTotal: kb("MemTotal"), memAvailable: kb("MemAvailable") };
}

function nodeUsage(): { sample: NodeSample; nanoCores: number } {
  const s = nodeSample();
  const prev = lastNode;
  lastNode = s;
  const nanoCores = prev && s.timeMs > prev.timeMs ? Math.round(((s.cpuNs - prev.cpuNs) / (s.timeMs - prev.timeMs)) * 1000) : 0;
  return { sample: s, nanoCores };
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
const u = (v: { value: string } | null | undefined): number => Number(v?.value ?? 0);
const nsMs = (ns: string | undefined): number => Number(BigInt(ns || "0") / 1_000_000n);

/** The kubelet Summary API document. */
export async function statsSummary(cri: CriClient, nodeName: string): Promise<Record<string, unknown>> {
  const { sample, nanoCores } = nodeUsage();
  const now = iso(sample.timeMs);
  const stats = await cri.listContainerStats().catch(() => [] as ContainerStats[]);
  const pods = new Map<string, { ref: { name: string; namespace: string; uid: string }; containers: Record<string, unknown>[]; cpu: number; cpuTotal: number; mem: number }>();
  for (const s of stats) {
    const l = s.attributes?.labels ?? {};
    const uid = l[LABEL_POD_UID];
    if (!uid) continue;
    let p = pods.get(uid);
    if (!p) {
      p = { ref: { name: l[LABEL_POD_NAME] ?? "", namespace: l[LABEL_POD_NAMESPACE] ?? "", uid }, containers: [], cpu: 0, cpuTotal: 0, mem: 0 };
      pods.set(uid, p);
    }
    const cpu = u(s.cpu?.usage_nano_cores);
    const cpuTotal = u(s.cpu?.usage_core_nano_seconds);
    const ws = u(s.memory?.working_set_bytes);
    p.cpu += cpu;
    p.cpuTotal += cpuTotal;
    p.mem += ws;
    p.containers.push({
      name: l[LABEL_CONTAINER_NAME] ?? s.attributes?.metadata?.name ?? "",
      startTime: now,
      cpu: { time: iso(nsMs(s.cpu?.timestamp) || sample.timeMs), usageNanoCores: cpu, usageCoreNanoSeconds: cpuTotal },
      memory: { time: iso(nsMs(s.memory?.timestamp) || sample.timeMs), workingSetBytes: ws, usageBytes: u(s.memory?.usage_bytes), rssBytes: u(s.memory?.rss_bytes), pageFaults: u(s.memory?.page_faults), majorPageFaults: u(s.memory?.major_page_faults) },
      rootfs: { time: now, usedBytes: u(s.writable_layer?.used_bytes), inodesUsed: u(s.writable_layer?.inodes_used) },
    });
  }
  return {
    node: {
      nodeName,
      startTime: iso(Date.now() - Math.round(Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]) * 1000)),
      cpu: { time: now, usageNanoCores: nanoCores, usageCoreNanoSeconds: sample.cpuNs },
      memory: { time: now, availableBytes: sample.memAvailable, usageBytes: sample.memTotal - sample.memAvailable, workingSetBytes: sample.memTotal - sample.memAvailable },
    },
    pods: [...pods.values()].map((p) => ({
      podRef: p.ref,
      startTime: now,
      containers: p.containers,
      cpu: { time: now, usageNanoCores: p.cpu, usageCoreNanoSeconds: p.cpuTotal },
      memory: { time: now, workingSetBytes: p.mem, usageBytes: p.mem },
    })),
  };
}

/** The /metrics/resource Prometheus text metrics-server scrapes. */
export async function resourceMetrics(cri: CriClient): Promise<string> {
  const { sample } = nodeUsage();
  const ts = sample.timeMs;
  const out = [
    "# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds",
    "# TYPE node_cpu_usage_seconds_total counter",
    `node_cpu_usage_seconds_total ${sample.cpuNs / 1e9} ${ts}`,
    "# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes",
    "# TYPE node_memory_working_set_bytes gauge",
    `node_memory_working_set_bytes ${sample.memTotal - sample.memAvailable} ${ts}`,
  ];
  const stats = await cri.listContainerStats().catch(() => [] as ContainerStats[]);
  const cpuLines: string[] = [];
  const memLines: string[] = [];
  for (const s of stats) {
    const l = s.attributes?.labels ?? {};
    if (!l[LABEL_POD_UID]) continue;
    const labels = `container="${l[LABEL_CONTAINER_NAME] ?? ""}",namespace="${l[LABEL_POD_NAMESPACE] ?? ""}",pod="${l[LABEL_POD_NAME] ?? ""}"`;
    cpuLines.push(`container_cpu_usage_seconds_total{${labels}} ${u(s.cpu?.usage_core_nano_seconds) / 1e9} ${nsMs(s.cpu?.timestamp) || ts}`);
    memLines.push(`container_memory_working_set_bytes{${labels}} ${u(s.memory?.working_set_bytes)} ${nsMs(s.memory?.timestamp) || ts}`);
  }
  out.push("# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds", "# TYPE container_cpu_usage_seconds_total counter", ...cpuLines);
  out.push("# HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes", "# TYPE container_memory_working_set_bytes gauge", ...memLines);
  out.push("# HELP scrape_error [ALPHA] 1 if there was an error while getting container metrics, 0 otherwise", "# TYPE scrape_error gauge", "scrape_error 0");
  return out.join("\n") + "\n";
}
