/**
 * The node's eviction signals, measured as upstream's summary provider does:
 * memory.available = machine memory minus the root cgroup's working set
 * (usage minus inactive file pages), the nodefs / imagefs filesystems' free
 * bytes and inodes, and pid.available = pid_max minus the tasks running.
 */
import { readFileSync, statfsSync } from "node:fs";
import { join } from "node:path";
import type { Signal } from "./thresholds.ts";

/** One signal's reading. */
export interface Observation {
  available: number;
  capacity: number;
}

/** The signals that could be read (a missing file leaves its signal out, as upstream skips it). */
export type Observations = Map<Signal, Observation>;

/** Where the signals are read from; the defaults are the host's. */
export interface SignalSources {
  /** the kubelet root (nodefs) */
  nodeFsPath: string;
  /** containerd's root (imagefs) */
  imageFsPath: string;
  /** default /proc */
  procRoot?: string;
  /** default /sys/fs/cgroup */
  cgroupRoot?: string;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** A field of a "key value" stats file (memory.stat) or "Key: value kB" (meminfo). */
function field(text: string, key: string): number | undefined {
  const m = new RegExp(`^${key}:?\\s+(\\d+)`, "m").exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The root cgroup's working set on cgroup v1; undefined without a v1 memory hierarchy. */
export function rootWorkingSet(cgroupRoot: string): number | undefined {
  const usage = read(join(cgroupRoot, "memory", "memory.usage_in_bytes"));
  const stat = read(join(cgroupRoot, "memory", "memory.stat"));
  if (usage === undefined || stat === undefined) return undefined;
  // upstream (cadvisor) on v1: usage minus total_inactive_file, never below 0
  return Math.max(0, Number(usage.trim()) - (field(stat, "total_inactive_file") ?? 0));
}

function memorySignal(procRoot: string, cgroupRoot: string): Observation | undefined {
  const meminfo = read(join(procRoot, "meminfo"));
  const totalKb = meminfo ? field(meminfo, "MemTotal") : undefined;
  if (totalKb === undefined) return undefined;
  const capacity = totalKb * 1024;
  // without cgroup v1 (unified only) the kernel's own estimate stands in
  const ws = rootWorkingSet(cgroupRoot) ?? capacity - (field(meminfo!, "MemAvailable") ?? 0) * 1024;
  return { available: Math.max(0, capacity - ws), capacity };
}

function fsSignals(path: string): { bytes: Observation; inodes: Observation } | undefined {
  try {
    const s = statfsSync(path);
    return { bytes: { available: s.bavail * s.bsize, capacity: s.blocks * s.bsize }, inodes: { available: s.ffree, capacity: s.files } };
  } catch {
    return undefined;
  }
}

function pidSignal(procRoot: string): Observation | undefined {
  const max = Number(read(join(procRoot, "sys", "kernel", "pid_max"))?.trim());
  // loadavg's "running/total" counts every task, as sysinfo's procs that upstream reads
  const total = Number(/\d+\/(\d+)/.exec(read(join(procRoot, "loadavg")) ?? "")?.[1]);
  if (!Number.isFinite(max) || !max || !Number.isFinite(total)) return undefined;
  return { available: max - total, capacity: max };
}

/** Reads every signal now. */
export function observeSignals(src: SignalSources): Observations {
  const proc = src.procRoot ?? "/proc";
  const cg = src.cgroupRoot ?? "/sys/fs/cgroup";
  const out: Observations = new Map();
  const mem = memorySignal(proc, cg);
  if (mem) out.set("memory.available", mem);
  const node = fsSignals(src.nodeFsPath);
  if (node) {
    out.set("nodefs.available", node.bytes);
    out.set("nodefs.inodesFree", node.inodes);
  }
  const image = fsSignals(src.imageFsPath);
  if (image) {
    out.set("imagefs.available", image.bytes);
    out.set("imagefs.inodesFree", image.inodes);
  }
  const pid = pidSignal(proc);
  if (pid) out.set("pid.available", pid);
  return out;
}
