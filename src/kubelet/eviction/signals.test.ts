/**
 * Signals: from a fixture /proc and cgroup tree the arithmetic is exact
 * (working set = usage - total_inactive_file; pids = pid_max - tasks); from
 * the real host every signal is present and agrees with statfs and meminfo.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { observeSignals, rootWorkingSet } from "./signals.ts";

test("fixture files: memory.available and pid.available as upstream computes them", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3sts-signals-"));
  try {
    mkdirSync(join(dir, "proc", "sys", "kernel"), { recursive: true });
    mkdirSync(join(dir, "cg", "memory"), { recursive: true });
    writeFileSync(join(dir, "proc", "meminfo"), "MemTotal:       1000 kB\nMemFree:         10 kB\nMemAvailable:    600 kB\n");
    writeFileSync(join(dir, "proc", "loadavg"), "0.10 0.20 0.30 3/250 12345\n");
    writeFileSync(join(dir, "proc", "sys", "kernel", "pid_max"), "4096\n");
    writeFileSync(join(dir, "cg", "memory", "memory.usage_in_bytes"), "512000\n");
    writeFileSync(join(dir, "cg", "memory", "memory.stat"), "cache 1\ninactive_file 5\ntotal_inactive_file 102400\n");
    const o = observeSignals({ nodeFsPath: dir, imageFsPath: dir, procRoot: join(dir, "proc"), cgroupRoot: join(dir, "cg") });
    assert.deepEqual(o.get("memory.available"), { capacity: 1_024_000, available: 1_024_000 - (512_000 - 102_400) });
    assert.deepEqual(o.get("pid.available"), { capacity: 4096, available: 4096 - 250 });
    // no v1 memory hierarchy: MemTotal - MemAvailable stands in for the working set
    const noCg = observeSignals({ nodeFsPath: dir, imageFsPath: dir, procRoot: join(dir, "proc"), cgroupRoot: join(dir, "none") });
    assert.deepEqual(noCg.get("memory.available"), { capacity: 1_024_000, available: 600 * 1024 });
    // an unreadable filesystem leaves its signals out
    const noFs = observeSignals({ nodeFsPath: join(dir, "gone"), imageFsPath: dir, procRoot: join(dir, "proc"), cgroupRoot: join(dir, "cg") });
    assert.equal(noFs.has("nodefs.available"), false);
    assert.equal(noFs.has("imagefs.available"), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the real host: every signal is read and agrees with statfs and /proc", () => {
  const o = observeSignals({ nodeFsPath: "/", imageFsPath: tmpdir() });
  for (const s of ["memory.available", "nodefs.available", "nodefs.inodesFree", "imagefs.available", "imagefs.inodesFree", "pid.available"] as const) {
    const v = o.get(s);
    assert.ok(v, `${s} observed`);
    assert.ok(v.capacity > 0 && v.available >= 0 && v.available <= v.capacity, `${s}: ${v.available} of ${v.capacity}`);
  }
  const st = statfsSync("/");
  assert.equal(o.get("nodefs.available")!.capacity, st.blocks * st.bsize);
  const totalKb = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync("/proc/meminfo", "utf8"))![1]);
  assert.equal(o.get("memory.available")!.capacity, totalKb * 1024);
  const ws = rootWorkingSet("/sys/fs/cgroup");
  if (ws !== undefined) assert.ok(Math.abs(o.get("memory.available")!.available - (totalKb * 1024 - ws)) < 256 * 1024 * 1024, "working set from the v1 root cgroup");
  assert.equal(o.get("pid.available")!.capacity, Number(readFileSync("/proc/sys/kernel/pid_max", "utf8")));
});
