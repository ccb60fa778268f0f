import { test } from "node:test";
import assert from "node:assert/strict";
import { CIDRAllocator } from "./cidrs.ts";

test("allocates /24s from 10.42.0.0/16 lowest first, skipping occupied, reusing only released", () => {
  const a = new CIDRAllocator("10.42.0.0/16", 24);
  assert.equal(a.occupy("10.42.0.0/24"), true);
  assert.equal(a.allocate(), "10.42.1.0/24");
  assert.equal(a.allocate(), "10.42.2.0/24");
  a.release("10.42.0.0/24");
  assert.equal(a.allocate(), "10.42.0.0/24");
  assert.equal(a.occupy("10.43.0.0/24"), false, "outside the range");
});

test("exhaustion and bad input", () => {
  const a = new CIDRAllocator("10.0.0.0/23", 24);
  assert.equal(a.allocate(), "10.0.0.0/24");
  assert.equal(a.allocate(), "10.0.1.0/24");
  assert.equal(a.allocate(), undefined);
  assert.throws(() => new CIDRAllocator("10.0.0.0/33", 24), /invalid cluster cidr "10.0.0.0\/33"/);
  assert.throws(() => new CIDRAllocator("10.0.0.0/24", 16), /node cidr mask size 16/);
});
