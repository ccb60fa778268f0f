/**
 * The manager's decisions on given observations and a settable clock:
 * conditions set and held for the transition period, one ranked pod evicted
 * per pass with upstream's message and grace, critical pods skipped, soft
 * thresholds waiting for their grace period, disk reclaim before eviction,
 * minimum reclaim keeping a threshold met, local storage limits, admission.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { EventRecorder } from "../../client/mod.ts";
import type { KPod } from "../types.ts";
import { EvictionManager } from "./manager.ts";
import type { PodUsage } from "./ranking.ts";
import type { Observations } from "./signals.ts";
import { parseEvictionConfig, type EvictionFlags } from "./thresholds.ts";

const Mi = 1024 * 1024;

function pod(name: string, extra: Partial<KPod["spec"]> & { priorityClassName?: string } = {}): KPod {
  return { metadata: { name, namespace: "default", uid: `uid-${name}` }, spec: { containers: [{ name: "c", image: "busybox" }], ...extra } } as KPod;
}

function harness(flags: EvictionFlags, pods: KPod[], usage: Map<string, PodUsage>) {
  const state = { now: 1_000_000, memAvailable: 50 * Mi, diskAvailable: 500, reclaimFrees: 0 };
  const evicted: { name: string; grace: number; message: string; disruption: boolean }[] = [];
  const events: { reason: string; message: string; name?: string }[] = [];
  const recorder = { event: (o: { metadata: { name?: string } }, _t: string, reason: string, message: string) => events.push({ reason, message, name: o.metadata.name }) } as unknown as EventRecorder;
  const m = new EvictionManager({
    config: parseEvictionConfig(flags),
    observe: (): Observations =>
      new Map([
        ["memory.available", { available: state.memAvailable, capacity: 1024 * Mi }],
        ["nodefs.available", { available: state.diskAvailable, capacity: 1000 }],
      ]),
    activePods: () => pods.filter((p) => !evicted.some((e) => e.name === p.metadata.name)),
    podUsage: async () => usage,
    evict: async (p, o) => void evicted.push({ name: p.metadata.name!, grace: o.graceSeconds, message: o.message, disruption: o.disruption }),
    reclaimDisk: async () => void (state.diskAvailable += state.reclaimFrees),
    events: recorder,
    nodeRef: { apiVersion: "v1", kind: "Node", metadata: { name: "n" } },
    log: () => {},
    now: () => state.now,
  });
  return { m, state, evicted, events };
}

const use = (memory: number): PodUsage => ({ memory, containers: [{ name: "c", memory, rootfs: 0, logs: 0 }], volumes: new Map(), processes: 1 });

test("a hard memory threshold: MemoryPressure, the biggest non-critical pod evicted with grace 1 and upstream's message", async () => {
  const pods = [pod("critical", { priorityClassName: "system-node-critical" }), pod("small"), pod("big")];
  const usage = new Map([["uid-critical", use(900 * Mi)], ["uid-small", use(1 * Mi)], ["uid-big", use(5 * Mi)]]);
  const { m, state, evicted, events } = harness({ "eviction-hard": "memory.available<100Mi", "eviction-pressure-transition-period": "30s" }, pods, usage);
  const first = await m.synchronize();
  assert.equal(first?.metadata.name, "big");
  assert.deepEqual(m.conditions(), ["MemoryPressure"]);
  assert.deepEqual(evicted[0], {
    name: "big",
    grace: 1,
    disruption: true,
    message: "The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container c was using 5Mi, request is 0, has larger consumption of memory. ",
  });
  assert.ok(events.some((e) => e.reason === "EvictionThresholdMet" && e.message === "Attempting to reclaim memory"));
  assert.ok(events.some((e) => e.reason === "NodeHasInsufficientMemory" && e.message === "Node n status is now: NodeHasInsufficientMemory"));
  assert.ok(events.some((e) => e.reason === "Evicted" && e.name === "big"));
  assert.equal((await m.synchronize())?.metadata.name, "small", "one pod per pass");
  assert.equal(await m.synchronize(), undefined, "the critical pod is never evicted");
  // recovered: the condition holds for the transition period, then clears
  state.memAvailable = 900 * Mi;
  state.now += 10_000;
  await m.synchronize();
  assert.deepEqual(m.conditions(), ["MemoryPressure"]);
  state.now += 30_000;
  await m.synchronize();
  assert.deepEqual(m.conditions(), []);
  assert.ok(events.some((e) => e.reason === "NodeHasSufficientMemory"));
});

test("admission under pressure: BestEffort refused under MemoryPressure, Burstable admitted, everything refused under DiskPressure", async () => {
  const { m, state } = harness({ "eviction-hard": "memory.available<100Mi,nodefs.available<10%" }, [], new Map());
  await m.synchronize();
  const burstable = pod("b", { containers: [{ name: "c", resources: { requests: { memory: "1Mi" } } }] });
  assert.deepEqual(m.admit(pod("be")), { admit: false, reason: "Evicted", message: "The node had condition: [MemoryPressure]. " });
  assert.deepEqual(m.admit(burstable), { admit: true });
  assert.deepEqual(m.admit(pod("tolerant", { tolerations: [{ key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" }] } as Partial<KPod["spec"]>)), { admit: true });
  state.diskAvailable = 50;
  await m.synchronize();
  assert.deepEqual(m.admit(burstable), { admit: false, reason: "Evicted", message: "The node had condition: [MemoryPressure DiskPressure]. " });
  assert.deepEqual(m.admit(pod("crit", { priorityClassName: "system-cluster-critical" })), { admit: true });
});

test("soft thresholds wait for their grace period and use min(pod grace, max pod grace)", async () => {
  const pods = [pod("p", { terminationGracePeriodSeconds: 45 })];
  const { m, state, evicted } = harness(
    { "eviction-hard": "", "eviction-soft": "memory.available<100Mi", "eviction-soft-grace-period": "memory.available=1m", "eviction-max-pod-grace-period": "20" },
    pods,
    new Map([["uid-p", use(10 * Mi)]]),
  );
  assert.equal(await m.synchronize(), undefined);
  assert.deepEqual(m.conditions(), ["MemoryPressure"], "the condition does not wait for the grace period");
  state.now += 61_000;
  assert.equal((await m.synchronize())?.metadata.name, "p");
  assert.equal(evicted[0]!.grace, 20);
});

test("disk pressure: reclaiming images and containers first, pods only when that is not enough; minimum reclaim keeps the threshold met", async () => {
  const pods = [pod("p")];
  const { m, state, evicted } = harness({ "eviction-hard": "nodefs.available<10%", "eviction-minimum-reclaim": "nodefs.available=200" }, pods, new Map([["uid-p", use(1)]]));
  state.diskAvailable = 50;
  state.reclaimFrees = 400;
  assert.equal(await m.synchronize(), undefined, "reclaim freed enough (450 >= 100 + 200)");
  assert.equal(evicted.length, 0);
  state.diskAvailable = 250;
  state.reclaimFrees = 0;
  // 250 is above 100 but below 100 + 200: the threshold met last time is not yet resolved
  assert.equal((await m.synchronize())?.metadata.name, "p");
  assert.match(evicted[0]!.message, /^The node was low on resource: ephemeral-storage\. Threshold quantity: 100, available: 250\. /);
});

test("local storage: an emptyDir over its sizeLimit evicts the pod whatever the node's state", async () => {
  const p = pod("e", { volumes: [{ name: "data", emptyDir: { sizeLimit: "1Mi" } }] });
  const u = { ...use(1), volumes: new Map([["data", 5 * Mi]]) };
  const { m, state, evicted } = harness({ "eviction-hard": "" }, [p], new Map([["uid-e", u]]));
  state.memAvailable = 900 * Mi;
  assert.equal((await m.synchronize())?.metadata.name, "e");
  assert.deepEqual(evicted[0], { name: "e", grace: 1, message: 'Usage of EmptyDir volume "data" exceeds the limit "1Mi". ', disruption: false });
});
