import { test } from "node:test";
import assert from "node:assert/strict";
import { labelSelectorString, parseLabelSelector, selectorFromLabelSelector } from "./selectors.ts";

test("LabelSelector objects: matchLabels and every operator", () => {
  const s = selectorFromLabelSelector({
    matchLabels: { app: "web" },
    matchExpressions: [
      { key: "tier", operator: "In", values: ["a", "b"] },
      { key: "env", operator: "NotIn", values: ["prod"] },
      { key: "x", operator: "Exists" },
      { key: "y", operator: "DoesNotExist" },
    ],
  });
  assert.equal(s.matches({ app: "web", tier: "a", x: "" }), true);
  assert.equal(s.matches({ app: "web", tier: "c", x: "" }), false);
  assert.equal(s.matches({ app: "web", tier: "a", x: "", env: "prod" }), false);
  assert.equal(s.matches({ app: "web", tier: "a", x: "", y: "1" }), false);
  assert.equal(s.matches({ app: "web", tier: "a" }), false);
});

test("null selects nothing, empty selects everything", () => {
  assert.equal(selectorFromLabelSelector(undefined).matches({ a: "b" }), false);
  assert.equal(selectorFromLabelSelector({}).matches({ a: "b" }), true);
});

test("string syntax round trip", () => {
  const str = labelSelectorString({ matchLabels: { app: "web" }, matchExpressions: [{ key: "t", operator: "NotIn", values: ["b", "a"] }] });
  assert.equal(str, "app=web,t notin (a,b)");
  const s = parseLabelSelector(str);
  assert.equal(s.matches({ app: "web", t: "c" }), true);
  assert.equal(s.matches({ app: "web", t: "a" }), false);
  const t = parseLabelSelector("a==1, b!=2, c, !d, e in (x, y)");
  assert.equal(t.matches({ a: "1", c: "", e: "y" }), true);
  assert.equal(t.matches({ a: "1", b: "2", c: "", e: "y" }), false);
  assert.equal(t.matches({ a: "1", c: "", d: "", e: "y" }), false);
  assert.throws(() => parseLabelSelector("a b c"), /invalid label selector term "a b c"/);
});
