/** The shared rules: semantic equality as upstream's apiequality, int-or-percent values, domain-prefixed paths. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { domainPrefixedPath, intOrPercentValue, notMoreThan100Percent, positiveIntOrPercent, sameValue } from "./common.ts";

test("sameValue: absent, null, empty lists and maps are one; key order does not matter; values do", () => {
  assert.ok(sameValue({ matchLabels: { a: "1" }, matchExpressions: [] }, { matchLabels: { a: "1" } }));
  assert.ok(sameValue({ b: 1, a: { c: null } }, { a: {}, b: 1 }));
  assert.ok(!sameValue({ a: [1, 2] }, { a: [2, 1] }));
  assert.ok(!sameValue({ a: "1" }, { a: 1 }));
  assert.ok(!sameValue({ a: { b: 0 } }, { a: {} }), "a zero is a value");
});

test("int or percent: values, bounds and wording", () => {
  assert.equal(intOrPercentValue("25%"), 25);
  assert.equal(intOrPercentValue(3), 3);
  assert.equal(intOrPercentValue("x"), 0);
  assert.deepEqual(positiveIntOrPercent("10%", "f"), []);
  assert.equal(positiveIntOrPercent(-1, "f")[0].message, "Invalid value: -1: must be greater than or equal to 0");
  assert.equal(notMoreThan100Percent("101%", "f")[0].message, 'Invalid value: "101%": must not be greater than 100%');
  assert.deepEqual(notMoreThan100Percent(500, "f"), [], "counts have no upper bound");
});

test("domain-prefixed paths", () => {
  assert.deepEqual(domainPrefixedPath("k8s.io/ingress-nginx", "f"), []);
  assert.equal(domainPrefixedPath("", "f")[0].type, "FieldValueRequired");
  assert.equal(domainPrefixedPath("nginx", "f")[0].message, 'Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")');
  assert.match(domainPrefixedPath("Acme.io/x", "f")[0].message, /^Invalid value: "Acme\.io": a lowercase RFC 1123 subdomain/);
});
