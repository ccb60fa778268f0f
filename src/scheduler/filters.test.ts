import { test } from "node:test";
import assert from "node:assert/strict";
import type { Node, Pod } from "../client/types.ts";
import { NodeInfo, podRequests } from "./nodeinfo.ts";
import { buildSnapshot, fitErrorMessage, runFilters } from "./filters.ts";
import { scoreNodes } from "./scores.ts";
import { planPreemption } from "./preemption.ts";

function node(name: string, opts: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>; taints?: Node["spec"] extends infer S ? S extends { taints?: infer T } ? T : never : never; unschedulable?: boolean } = {}): NodeInfo {
  return new NodeInfo({
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...opts.labels } },
    spec: { taints: opts.taints, unschedulable: opts.unschedulable },
    status: { allocatable: { cpu: opts.cpu ?? "2", memory: opts.memory ?? "4Gi", pods: opts.pods ?? "110" } },
  });
}

function pod(name: string, spec: Partial<Pod["spec"]> = {}, labels: Record<string, string> = {}, cpu?: string): Pod {
  return {
    metadata: { name, namespace: "default", labels },
    spec: { containers: [{ name: "c", resources: cpu ? { requests: { cpu } } : undefined }], ...spec },
  };
}

test("requests: containers summed, init containers maxed, overhead added", () => {
  const p: Pod = {
    metadata: { name: "p" },
    spec: {
      containers: [{ name: "a", resources: { requests: { cpu: "100m", memory: "1Mi" } } }, { name: "b", resources: { requests: { cpu: "200m" } } }],
      initContainers: [{ name: "i", resources: { requests: { cpu: "500m" } } }],
      overhead: { cpu: "10m" },
    },
  };
  assert.deepEqual(podRequests(p), { cpu: 510, memory: 1024 * 1024 });
});

test("insufficient cpu names the resource, and the message is upstream's", () => {
  const nodes = [node("n1", { cpu: "1" }), node("n2", { cpu: "1" }), node("n3", { cpu: "1", unschedulable: true })];
  const snap = buildSnapshot(nodes);
  const p = pod("big", {}, {}, "2");
  const reasons = new Map(nodes.map((n) => [n.name, runFilters(p, { node: n, snap })]));
  assert.deepEqual(reasons.get("n1"), ["Insufficient cpu"]);
  assert.equal(fitErrorMessage(3, reasons), "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.");
});

test("bound pods' requests count against allocatable", () => {
  const n = node("n1", { cpu: "1" });
  n.addPod(pod("a", { nodeName: "n1" }, {}, "600m"));
  const snap = buildSnapshot([n]);
  assert.deepEqual(runFilters(pod("b", {}, {}, "500m"), { node: n, snap }), ["Insufficient cpu"]);
  assert.deepEqual(runFilters(pod("c", {}, {}, "400m"), { node: n, snap }), []);
  n.removePod("default", "a");
  assert.deepEqual(runFilters(pod("b", {}, {}, "500m"), { node: n, snap }), []);
});

test("pods limit, node selector, required node affinity", () => {
  const small = node("n1", { pods: "1", labels: { disk: "ssd" } });
  small.addPod(pod("x"));
  const snap = buildSnapshot([small]);
  assert.deepEqual(runFilters(pod("y"), { node: small, snap }), ["Too many pods"]);
  const n2 = node("n2", { labels: { disk: "hdd", zone: "b" } });
  const s2 = buildSnapshot([n2]);
  assert.deepEqual(runFilters(pod("p", { nodeSelector: { disk: "ssd" } }), { node: n2, snap: s2 }), ["node(s) didn't match Pod's node affinity/selector"]);
  const aff = {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In" as const, values: ["a"] }] }, { matchExpressions: [{ key: "disk", operator: "Exists" as const }] }] } },
  };
  assert.deepEqual(runFilters(pod("p", { affinity: aff }), { node: n2, snap: s2 }), [], "terms are ORed");
});

test("taints need tolerations; PreferNoSchedule only lowers the score", () => {
  const tainted = node("n1", { taints: [{ key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }] });
  const snap = buildSnapshot([tainted]);
  assert.deepEqual(runFilters(pod("p"), { node: tainted, snap }), ["node(s) had untolerated taint {node.kubernetes.io/not-ready: }"]);
  assert.deepEqual(runFilters(pod("p", { tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists" }] }), { node: tainted, snap }), []);
  assert.deepEqual(runFilters(pod("p", { tolerations: [{ operator: "Exists" }] }), { node: tainted, snap }), []);
  const soft = node("n2", { taints: [{ key: "k", value: "v", effect: "PreferNoSchedule" }] });
  const clean = node("n3");
  const s2 = buildSnapshot([soft, clean]);
  assert.deepEqual(runFilters(pod("p"), { node: soft, snap: s2 }), []);
  const [a, b] = scoreNodes(pod("p"), { nodes: [soft, clean], snap: s2 });
  assert.ok(b > a, `untainted node scores higher: ${a} vs ${b}`);
});

test("host ports conflict per protocol and ip", () => {
  const n = node("n1");
  const withPort = (name: string, hostPort: number, protocol = "TCP"): Pod => ({
    metadata: { name, namespace: "default" },
    spec: { containers: [{ name: "c", ports: [{ containerPort: 80, hostPort, protocol }] }] },
  });
  n.addPod(withPort("a", 8080));
  const snap = buildSnapshot([n]);
  assert.deepEqual(runFilters(withPort("b", 8080), { node: n, snap }), ["node(s) didn't have free ports for the requested pod ports"]);
  assert.deepEqual(runFilters(withPort("c", 8080, "UDP"), { node: n, snap }), []);
  assert.deepEqual(runFilters(withPort("d", 8081), { node: n, snap }), []);
});

test("pod anti-affinity keeps replicas apart; affinity pulls them together", () => {
  const n1 = node("n1");
  const n2 = node("n2");
  n1.addPod(pod("web-1", { nodeName: "n1" }, { app: "web" }));
  const snap = buildSnapshot([n1, n2]);
  const term = { labelSelector: { matchLabels: { app: "web" } }, topologyKey: "kubernetes.io/hostname" };
  const anti = pod("web-2", { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } }, { app: "web" });
  assert.deepEqual(runFilters(anti, { node: n1, snap }), ["node(s) didn't match pod anti-affinity rules"]);
  assert.deepEqual(runFilters(anti, { node: n2, snap }), []);
  const aff = pod("cache", { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } }, { app: "cache" });
  assert.deepEqual(runFilters(aff, { node: n1, snap }), []);
  assert.deepEqual(runFilters(aff, { node: n2, snap }), ["node(s) didn't match pod affinity rules"]);
  // an existing pod's anti-affinity repels newcomers it selects
  const n3 = node("n3");
  n3.addPod(pod("loner", { nodeName: "n3", affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "web" } }, topologyKey: "kubernetes.io/hostname" }] } } }, { app: "loner" }));
  const s3 = buildSnapshot([n3]);
  assert.deepEqual(runFilters(pod("web-3", {}, { app: "web" }), { node: n3, snap: s3 }), ["node(s) didn't satisfy existing pods anti-affinity rules"]);
});

test("topology spread DoNotSchedule bounds the skew", () => {
  const a = node("a", { labels: { zone: "z1" } });
  const b = node("b", { labels: { zone: "z2" } });
  a.addPod(pod("p1", { nodeName: "a" }, { app: "s" }));
  a.addPod(pod("p2", { nodeName: "a" }, { app: "s" }));
  b.addPod(pod("p3", { nodeName: "b" }, { app: "s" }));
  const snap = buildSnapshot([a, b]);
  const p = pod("p4", { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "s" } } }] }, { app: "s" });
  assert.deepEqual(runFilters(p, { node: a, snap }), ["node(s) didn't match pod topology spread constraints"]);
  assert.deepEqual(runFilters(p, { node: b, snap }), []);
});

test("least-allocated prefers the emptier node", () => {
  const busy = node("busy");
  busy.addPod(pod("x", { nodeName: "busy" }, {}, "1500m"));
  const idle = node("idle");
  const snap = buildSnapshot([busy, idle]);
  const [s1, s2] = scoreNodes(pod("p", {}, {}, "100m"), { nodes: [busy, idle], snap });
  assert.ok(s2 > s1, `${s1} < ${s2}`);
});

test("preemption evicts the fewest lowest-priority pods that make room", () => {
  const n = node("n1", { cpu: "1" });
  const low1 = { ...pod("low1", { nodeName: "n1", priority: 0 }, {}, "400m") };
  const low2 = { ...pod("low2", { nodeName: "n1", priority: 10 }, {}, "400m") };
  n.addPod(low1);
  n.addPod(low2);
  const snap = buildSnapshot([n]);
  const high = pod("high", { priority: 100 }, {}, "500m");
  const reasons = new Map([["n1", runFilters(high, { node: n, snap })]]);
  assert.deepEqual(reasons.get("n1"), ["Insufficient cpu"]);
  const plan = planPreemption(high, { snap: snap, reasonsByNode: reasons });
  assert.ok(plan);
  assert.deepEqual(plan.victims.map((v) => v.metadata.name), ["low1"]);
  assert.equal(planPreemption(pod("peer", { priority: 0 }, {}, "500m"), { snap: snap, reasonsByNode: reasons }), undefined);
});
