import { test } from "node:test";
import assert from "node:assert/strict";
import { parseQuantity, quantityToScaled } from "./quantity.ts";

test("quantities in every suffix family", () => {
  assert.equal(parseQuantity("100m"), 0.1);
  assert.equal(parseQuantity("2"), 2);
  assert.equal(parseQuantity("128Mi"), 128 * 2 ** 20);
  assert.equal(parseQuantity("1G"), 1e9);
  assert.equal(parseQuantity("2e3"), 2000);
  assert.equal(quantityToScaled("cpu", "1.5"), 1500);
  assert.equal(quantityToScaled("cpu", "250m"), 250);
  assert.equal(quantityToScaled("memory", "1Ki"), 1024);
  assert.throws(() => parseQuantity("12xb"), /invalid quantity "12xb"/);
});
