/**
 * Ranking as upstream: pods without stats first, then those over their
 * requests, then lower priority, then larger use above the request; pids by
 * priority then process count. Critical pods, requests with init containers,
 * quantity printing, and the eviction message text.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KPod } from "../types.ts";
import { binaryQuantity, evictionMessage, isCriticalPod, podRequest, rankPods, type PodUsage } from "./ranking.ts";

const Mi = 1024 * 1024;

function pod(name: string, o: { memReq?: string; priority?: number; className?: string; annotations?: Record<string, string> } = {}): KPod {
  return {
    metadata: { name, namespace: "default", uid: `uid-${name}`, annotations: o.annotations },
    spec: {
      containers: [{ name: "c", image: "busybox", resources: o.memReq ? { requests: { memory: o.memReq } } : undefined }],
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...(o.className ? { priorityClassName: o.className } : {}),
    },
  } as KPod;
}

function usage(memory: number, extra: Partial<PodUsage> = {}): PodUsage {
  return { memory, containers: [{ name: "c", memory, rootfs: 0, logs: 0 }], volumes: new Map(), processes: 0, ...extra };
}

test("memory: no stats first, then over-request, then lower priority, then more above the request", () => {
  const pods = [pod("under", { memReq: "100Mi" }), pod("over-high", { priority: 100 }), pod("over-small"), pod("over-big"), pod("nostats", { priority: 1000 })];
  const stats = new Map<string, PodUsage>([
    ["uid-under", usage(50 * Mi)],
    ["uid-over-high", usage(500 * Mi)],
    ["uid-over-small", usage(10 * Mi)],
    ["uid-over-big", usage(20 * Mi)],
  ]);
  assert.deepEqual(rankPods(pods, stats, "memory").map((p) => p.metadata.name), ["nostats", "over-big", "over-small", "over-high", "under"]);
});

test("disk: writable layers, logs and volumes count against the ephemeral-storage request", () => {
  const a = pod("a");
  const b = pod("b");
  const stats = new Map<string, PodUsage>([
    ["uid-a", usage(0, { containers: [{ name: "c", memory: 0, rootfs: 1 * Mi, logs: 1 * Mi }] })],
    ["uid-b", usage(0, { volumes: new Map([["data", 5 * Mi]]) })],
  ]);
  assert.deepEqual(rankPods([a, b], stats, "ephemeral-storage").map((p) => p.metadata.name), ["b", "a"]);
});

test("pids: lower priority first, then more processes", () => {
  const stats = new Map<string, PodUsage>([
    ["uid-few", usage(0, { processes: 2 })],
    ["uid-many", usage(0, { processes: 20 })],
    ["uid-low", usage(0, { processes: 1 })],
  ]);
  const ranked = rankPods([pod("few", { priority: 5 }), pod("many", { priority: 5 }), pod("low", { priority: 1 })], stats, "pids");
  assert.deepEqual(ranked.map((p) => p.metadata.name), ["low", "many", "few"]);
});

test("critical pods: system-critical priorities (or their class names) and static/mirror pods", () => {
  assert.equal(isCriticalPod(pod("n", { className: "system-node-critical" })), true);
  assert.equal(isCriticalPod(pod("c", { priority: 2_000_000_000 })), true);
  assert.equal(isCriticalPod(pod("s", { annotations: { "kubernetes.io/config.source": "file" } })), true);
  assert.equal(isCriticalPod(pod("m", { annotations: { "kubernetes.io/config.mirror": "abc" } })), true);
  assert.equal(isCriticalPod(pod("plain", { priority: 1_000_000_000 })), false);
});

test("requests: an init container's larger request wins over the containers' sum", () => {
  const p = pod("p", { memReq: "10Mi" });
  p.spec.initContainers = [{ name: "i", resources: { requests: { memory: "64Mi" } } }];
  assert.equal(podRequest(p, "memory"), 64 * Mi);
});

test("quantities print like upstream's BinarySI and the message names the offending container", () => {
  assert.equal(binaryQuantity(100 * Mi), "100Mi");
  assert.equal(binaryQuantity(12_648_448), "12352Ki");
  assert.equal(binaryQuantity(1536), "1536");
  assert.equal(binaryQuantity(0), "0");
  const p = pod("x");
  assert.equal(
    evictionMessage("memory", p, usage(5 * Mi), { quantity: "100Mi", available: 12_648_448 }),
    "The node was low on resource: memory. Threshold quantity: 100Mi, available: 12352Ki. Container c was using 5Mi, request is 0, has larger consumption of memory. ",
  );
  const withReq = pod("y", { memReq: "64Mi" });
  assert.equal(evictionMessage("memory", withReq, usage(5 * Mi), undefined), "The node was low on resource: memory. ");
  assert.equal(evictionMessage("pids", p, usage(0), { quantity: "100", available: 50 }), "The node was low on resource: pids. Threshold quantity: 100, available: 50. ");
});
