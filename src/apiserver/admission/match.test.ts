// Checks webhook rule matching (operations, groups, versions, resource and
// subresource patterns, scope) and selector semantics (namespaces use their
// own labels, cluster-scoped kinds ignore namespace selectors, an absent
// object matches no object selector).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KindDef } from "../../api/kind.ts";
import { ruleMatches, selectorsMatch } from "./match.ts";

const pods = { group: "", version: "v1", resource: "pods", namespaced: true } as KindDef;
const nodes = { group: "", version: "v1", resource: "nodes", namespaced: false } as KindDef;
const namespaces = { group: "", version: "v1", resource: "namespaces", namespaced: false } as KindDef;
const deploys = { group: "apps", version: "v1", resource: "deployments", namespaced: true } as KindDef;

test("rules match operations, groups, versions, resources/subresources and scope", () => {
  const rule = { operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] };
  assert.equal(ruleMatches(rule, { operation: "CREATE", kind: pods, subresource: "" }), true);
  assert.equal(ruleMatches(rule, { operation: "UPDATE", kind: pods, subresource: "" }), false);
  assert.equal(ruleMatches(rule, { operation: "CREATE", kind: pods, subresource: "status" }), false, "pods does not cover pods/status");
  assert.equal(ruleMatches(rule, { operation: "CREATE", kind: deploys, subresource: "" }), false);
  const all = { operations: ["*"], apiGroups: ["*"], apiVersions: ["*"], resources: ["*/*"] };
  assert.equal(ruleMatches(all, { operation: "DELETE", kind: deploys, subresource: "scale" }), true);
  assert.equal(ruleMatches({ ...all, resources: ["*"] }, { operation: "DELETE", kind: deploys, subresource: "scale" }), false);
  assert.equal(ruleMatches({ ...all, resources: ["pods/status"] }, { operation: "UPDATE", kind: pods, subresource: "status" }), true);
  assert.equal(ruleMatches({ ...all, scope: "Namespaced" }, { operation: "CREATE", kind: nodes, subresource: "" }), false);
  assert.equal(ruleMatches({ ...all, scope: "Cluster" }, { operation: "CREATE", kind: nodes, subresource: "" }), true);
  assert.equal(ruleMatches({ ...all, scope: "Cluster" }, { operation: "CREATE", kind: pods, subresource: "" }), false);
});

test("selectors: namespace labels, namespaces themselves, cluster-scoped kinds, object and old object", () => {
  const w = { name: "w", clientConfig: {}, namespaceSelector: { matchLabels: { team: "a" } } };
  const obj = { metadata: { name: "x", labels: { app: "web" } } };
  assert.equal(selectorsMatch(w, { kind: pods, object: obj, namespaceLabels: { team: "a" } }), true);
  assert.equal(selectorsMatch(w, { kind: pods, object: obj, namespaceLabels: { team: "b" } }), false);
  assert.equal(selectorsMatch(w, { kind: nodes, object: obj }), true);
  assert.equal(selectorsMatch(w, { kind: namespaces, object: { metadata: { name: "n", labels: { team: "a" } } } }), true);
  assert.equal(selectorsMatch(w, { kind: namespaces, object: { metadata: { name: "n" } } }), false);
  const sel = { name: "w", clientConfig: {}, objectSelector: { matchExpressions: [{ key: "skip", operator: "DoesNotExist" as const }] } };
  assert.equal(selectorsMatch(sel, { kind: pods, object: { metadata: { labels: { skip: "1" } } } }), false);
  assert.equal(selectorsMatch(sel, { kind: pods, object: { metadata: { labels: { skip: "1" } } }, oldObject: { metadata: {} } }), true);
  assert.equal(selectorsMatch(sel, { kind: pods, oldObject: { metadata: {} } }), true);
});
