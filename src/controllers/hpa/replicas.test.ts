import { test } from "node:test";
import assert from "node:assert/strict";
import { desiredFromRatio, stabilize } from "./replicas.ts";

test("ratios within 10% keep the replicas; others scale up by ceiling", () => {
  assert.equal(desiredFromRatio(4, 1.05), 4);
  assert.equal(desiredFromRatio(4, 1.5), 6);
  assert.equal(desiredFromRatio(3, 0.5), 2);
  assert.equal(desiredFromRatio(3, NaN), 3);
});

test("scale-down waits for the stabilization window; min and max clamp", () => {
  const recent = [{ at: 1000, replicas: 8 }, { at: 2000, replicas: 5 }];
  assert.equal(stabilize(2, { min: 1, max: 10, recent, windowMs: 300_000, now: 3000 }), 8);
  assert.equal(stabilize(2, { min: 1, max: 10, recent, windowMs: 500, now: 3000 }), 2);
  assert.equal(stabilize(20, { min: 1, max: 10, recent: [], windowMs: 0 }), 10);
  assert.equal(stabilize(0, { min: 2, max: 10, recent: [], windowMs: 0 }), 2);
});
