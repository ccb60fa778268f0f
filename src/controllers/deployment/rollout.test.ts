import { test } from "node:test";
import assert from "node:assert/strict";
import type { Deployment, ReplicaSet } from "../../client/types.ts";
import { isComplete, newRSReplicas, proportionalScale, resolveIntOrPercent, scaleDownOld, surgeAndUnavailable } from "./rollout.ts";

const dep = (replicas: number, maxSurge?: number | string, maxUnavailable?: number | string): Deployment => ({
  metadata: { name: "d" },
  spec: { replicas, selector: {}, template: { spec: { containers: [] } }, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge, maxUnavailable } } },
});
const rs = (name: string, replicas: number, avail: number, created = "2024-01-01T00:00:00Z"): ReplicaSet => ({
  metadata: { name, creationTimestamp: created },
  spec: { replicas, selector: {}, template: { spec: { containers: [] } } },
  status: { replicas, availableReplicas: avail },
});

test("percentages: surge rounds up, unavailable rounds down, never both zero", () => {
  assert.equal(resolveIntOrPercent("25%", { total: 3, roundUp: true, dflt: "0" }), 1);
  assert.equal(resolveIntOrPercent("25%", { total: 3, roundUp: false, dflt: "0" }), 0);
  assert.deepEqual(surgeAndUnavailable(dep(3)), { maxSurge: 1, maxUnavailable: 0 });
  assert.deepEqual(surgeAndUnavailable(dep(3, 0, 0)), { maxSurge: 0, maxUnavailable: 1 });
  assert.deepEqual(surgeAndUnavailable(dep(10)), { maxSurge: 3, maxUnavailable: 2 });
});

test("maxSurge bounds the new ReplicaSet's growth", () => {
  const d = dep(3, 1, 0);
  const old = rs("old", 3, 3);
  const neu = rs("new", 0, 0, "2024-01-02T00:00:00Z");
  assert.equal(newRSReplicas(d, { all: [old, neu], newRS: neu }), 1);
  const neu1 = rs("new", 1, 0, "2024-01-02T00:00:00Z");
  assert.equal(newRSReplicas(d, { all: [old, neu1], newRS: neu1 }), 1, "total at 4 = replicas + surge");
});

test("maxUnavailable 0: old pods go only as new ones become available", () => {
  const d = dep(3, 1, 0);
  const old = rs("old", 3, 3);
  const neu = rs("new", 1, 0, "2024-01-02T00:00:00Z");
  assert.equal(scaleDownOld(d, { all: [old, neu], newRS: neu, old: [old] }).size, 0);
  const ready = rs("new", 1, 1, "2024-01-02T00:00:00Z");
  assert.deepEqual([...scaleDownOld(d, { all: [old, ready], newRS: ready, old: [old] })], [["old", 2]]);
});

test("maxUnavailable 1 lets one old pod go before any new is ready", () => {
  const d = dep(3, 0, 1);
  const old = rs("old", 3, 3);
  assert.deepEqual([...scaleDownOld(d, { all: [old], newRS: undefined, old: [old] })], [["old", 2]]);
});

test("unavailable old pods are scaled down first", () => {
  const d = dep(4, 0, 1);
  const a = rs("a", 2, 0, "2024-01-01T00:00:00Z");
  const b = rs("b", 2, 2, "2024-01-02T00:00:00Z");
  const neu = rs("new", 0, 0, "2024-01-03T00:00:00Z");
  const out = scaleDownOld(d, { all: [a, b, neu], newRS: neu, old: [a, b] });
  assert.equal(out.get("a"), 1, "one unhealthy pod within the budget of replicas - maxUnavailable");
  assert.equal(out.has("b"), false, "available pods are kept while the budget is spent");
});

test("complete when the new set has every replica available and no old pods remain", () => {
  const d = dep(2);
  const neu = rs("new", 2, 2);
  assert.equal(isComplete(d, { newRS: neu, all: [neu] }), true);
  assert.equal(isComplete(d, { newRS: neu, all: [neu, rs("old", 0, 0)] }), true);
  assert.equal(isComplete(d, { newRS: neu, all: [neu, rs("old", 1, 1)] }), false);
});

test("a replicas change mid-rollout is spread over the active ReplicaSets", () => {
  const d = dep(20, 3, 2);
  const old = rs("old", 8, 8, "2024-01-01T00:00:00Z");
  const neu = rs("new", 5, 0, "2024-01-02T00:00:00Z");
  // allowed 23, active 13: 10 more, split 8:5 → 6 and 3, leftover 1 to the largest
  assert.deepEqual(Object.fromEntries(proportionalScale(d, [old, neu])), { old: 15, new: 8 });
  const down = dep(4, 1, 0);
  // allowed 5, active 13: 8 fewer, the smaller set first
  const out = proportionalScale(down, [old, neu]);
  assert.equal((out.get("old") ?? 0) + (out.get("new") ?? 0), 5);
});
