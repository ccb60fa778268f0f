/**
 * CPU time of server processes from /proc, so the benchmark can report CPU
 * per put: on a shared, noisy machine that figure moves far less with load
 * than puts/s does.
 */
import { readdirSync, readFileSync } from "node:fs";

/** clock ticks per second of utime/stime in /proc (USER_HZ, 100 on Linux) */
const TICK_US = 10_000;

/** utime+stime in microseconds from a /proc stat line (fields after the parenthesised name) */
function statCpuUs(path: string): number {
  try {
    const text = readFileSync(path, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime field 15
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    // the process or thread is gone
    return 0;
  }
}

function parentOf(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(text.slice(text.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return 0;
  }
}

/** CPU of a process, all threads (microseconds) */
export function processCpuUs(pid: number): number {
  return statCpuUs(`/proc/${pid}/stat`);
}

/** CPU of a process's main thread only (microseconds): Node's event loop */
export function mainThreadCpuUs(pid: number): number {
  return statCpuUs(`/proc/${pid}/task/${pid}/stat`);
}

/** CPU of a process and its live descendants (microseconds), e.g. a PostgreSQL server and its backends */
export function treeCpuUs(root: number): number {
  const pids = readdirSync("/proc").filter((n) => /^\d+$/.test(n)).map(Number);
  const inTree = new Set([root]);
  // a few passes settle the tree: parents usually have lower pids, not always
  for (let pass = 0; pass < 3; pass++) for (const pid of pids) if (inTree.has(parentOf(pid))) inTree.add(pid);
  let total = 0;
  for (const pid of inTree) total += processCpuUs(pid);
  return total;
}

/** live child processes of pid whose command name is comm */
export function childrenNamed(pid: number, comm: string): number[] {
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((p) => parentOf(p) === pid && readComm(p) === comm);
}

function readComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}
