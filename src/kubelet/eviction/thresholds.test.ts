/**
 * Threshold flags: upstream's defaults when eviction-hard is absent, a given
 * one replacing them, soft thresholds needing grace periods, minimum
 * reclaims, Go durations, percentages as float32 fractions, and malformed
 * values rejected with an error naming the flag and the value.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { evictionFlagsFromArgs, parseEvictionConfig, parseGoDuration, thresholdAmount } from "./thresholds.ts";

test("no flags: upstream's four hard thresholds, 5m transition period", () => {
  const c = parseEvictionConfig({});
  assert.deepEqual(
    c.thresholds.map((t) => [t.signal, t.value.quantity?.text ?? `${Math.round((t.value.percentage ?? 0) * 100)}%`, t.gracePeriodMs]),
    [
      ["memory.available", "100Mi", 0],
      ["nodefs.available", "10%", 0],
      ["nodefs.inodesFree", "5%", 0],
      ["imagefs.available", "15%", 0],
    ],
  );
  assert.equal(c.thresholds[0]!.value.quantity!.value, 100 * 1024 * 1024);
  assert.equal(c.pressureTransitionPeriodMs, 300_000);
  assert.equal(c.maxPodGracePeriodSeconds, 0);
});

test("a given eviction-hard replaces the defaults; 0% and 100% are ignored", () => {
  const c = parseEvictionConfig({ "eviction-hard": "memory.available<1Gi,nodefs.available<0%,imagefs.inodesFree<100%" });
  assert.deepEqual(c.thresholds.map((t) => t.signal), ["memory.available"]);
});

test("soft thresholds take their grace periods, minimum reclaims attach to every threshold of the signal", () => {
  const c = parseEvictionConfig({
    "eviction-hard": "memory.available<100Mi",
    "eviction-soft": "memory.available<1.5Gi,pid.available<10%",
    "eviction-soft-grace-period": "memory.available=1m30s,pid.available=10s",
    "eviction-minimum-reclaim": "memory.available=500Mi",
    "eviction-max-pod-grace-period": "60",
    "eviction-pressure-transition-period": "30s",
  });
  assert.deepEqual(c.thresholds.map((t) => [t.signal, t.gracePeriodMs, t.minReclaim?.quantity?.text]), [
    ["memory.available", 0, "500Mi"],
    ["memory.available", 90_000, "500Mi"],
    ["pid.available", 10_000, undefined],
  ]);
  assert.equal(c.maxPodGracePeriodSeconds, 60);
  assert.equal(c.pressureTransitionPeriodMs, 30_000);
});

test("malformed values are start-up errors naming the flag and the value", () => {
  assert.throws(() => parseEvictionConfig({ "eviction-hard": "memory.available<lots" }), /eviction-hard: memory.available has a malformed quantity "lots"/);
  assert.throws(() => parseEvictionConfig({ "eviction-hard": "memory.available=100Mi" }), /eviction-hard: "memory.available=100Mi" is not of the form signal<value/);
  assert.throws(() => parseEvictionConfig({ "eviction-hard": "cpu.available<1" }), /unsupported eviction signal "cpu.available"/);
  assert.throws(() => parseEvictionConfig({ "eviction-hard": "nodefs.available<120%" }), /between 0% and 100%: 120%/);
  assert.throws(() => parseEvictionConfig({ "eviction-hard": "memory.available<0" }), /must be positive: 0/);
  assert.throws(() => parseEvictionConfig({ "eviction-soft": "memory.available<1Gi" }), /grace period must be specified for the soft eviction threshold memory.available/);
  assert.throws(() => parseEvictionConfig({ "eviction-soft": "memory.available<1Gi", "eviction-soft-grace-period": "memory.available=soon" }), /malformed duration "soon"/);
  assert.throws(() => parseEvictionConfig({ "eviction-max-pod-grace-period": "1m" }), /eviction-max-pod-grace-period: "1m" is not a whole number/);
  assert.throws(() => parseEvictionConfig({ "eviction-pressure-transition-period": "5 minutes" }), /eviction-pressure-transition-period: malformed duration/);
});

test("kubelet args: eviction flags are picked out (with or without dashes), the rest left alone, later ones win", () => {
  const f = evictionFlagsFromArgs(["max-pods=50", "--eviction-hard=memory.available<1Gi", "eviction-hard=memory.available<2Gi,nodefs.available<5%", "eviction-pressure-transition-period=1m"]);
  assert.deepEqual(f, { "eviction-hard": "memory.available<2Gi,nodefs.available<5%", "eviction-pressure-transition-period": "1m" });
  assert.throws(() => evictionFlagsFromArgs(["eviction-hard"]), /eviction-hard needs a value/);
});

test("Go durations and threshold amounts", () => {
  assert.equal(parseGoDuration("1h2m3.5s"), 3_723_500);
  assert.equal(parseGoDuration("250ms"), 250);
  assert.equal(parseGoDuration("0"), 0);
  assert.throws(() => parseGoDuration("10"), /invalid duration "10"/);
  // 10% as float32 of 1000 bytes truncates like upstream (0.1f * 1000 = 100.0000015)
  assert.equal(thresholdAmount({ percentage: Math.fround(0.1) }, 1000), 100);
  assert.equal(thresholdAmount({ quantity: { value: 5, text: "5" } }, 1000), 5);
});
