// Checks exact quantity arithmetic and upstream's canonical printing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { canonical, formatQuantity, parseQuantity, ResourceTotals } from "./quantity.ts";

test("canonical forms match resource.Quantity.String()", () => {
  assert.equal(canonical("2048Mi"), "2Gi");
  assert.equal(canonical("1536Mi"), "1536Mi");
  assert.equal(canonical("0.5"), "500m");
  assert.equal(canonical("1000"), "1k");
  assert.equal(canonical("2"), "2");
  assert.equal(canonical("1e3"), "1k");
  assert.equal(canonical(3), "3");
  assert.equal(formatQuantity(0n), "0");
  assert.throws(() => parseQuantity("ten"), /invalid quantity "ten"/);
});

test("sums are exact and keep binary units", () => {
  const t = new ResourceTotals();
  for (let i = 0; i < 10; i++) t.add("cpu", "100m");
  t.add("memory", "1Gi");
  t.add("memory", "512Mi");
  assert.deepEqual(t.toList(), { cpu: "1", memory: "1536Mi" });
});
