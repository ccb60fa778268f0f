/** RBAC validation: policy rules, aggregation rules, bindings' role references and subjects, fixed roleRef. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../types.ts";
import { validateBinding, validateRole } from "./rbac.ts";
import { defaulted, lines } from "./testsupport.ts";

test("roles: verbs, resources or non-resource URLs, aggregation selectors", () => {
  const role: KubeObject = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "r", namespace: "default" }, rules: [
    { verbs: ["get"], apiGroups: [""], resources: ["pods"] },
    { apiGroups: [""] },
    { verbs: ["get"], nonResourceURLs: ["/healthz"], resourceNames: ["x"] },
  ] };
  assert.deepEqual(lines(validateRole(role, true)), [
    "FieldValueRequired rules[1].verbs: Required value: verbs must contain at least one value",
    "FieldValueRequired rules[1].resources: Required value: resource rules must supply at least one resource",
    'FieldValueInvalid rules[2].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
    'FieldValueInvalid rules[2].nonResourceURLs: Invalid value: ["/healthz"]: rules cannot apply to both regular resources and non-resource URLs',
  ]);
  const aggregated: KubeObject = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "agg" }, aggregationRule: { clusterRoleSelectors: [] }, rules: [] };
  assert.deepEqual(lines(validateRole(aggregated, false)), ["FieldValueRequired aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil"]);
});

test("bindings: role reference kinds, subjects per kind, roleRef fixed", () => {
  const binding = (kind: string, body: Record<string, unknown>): KubeObject => defaulted({ apiVersion: "rbac.authorization.k8s.io/v1", kind, metadata: { name: "b" }, ...body });
  const crb = binding("ClusterRoleBinding", { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "view" }, subjects: [
    { kind: "ServiceAccount", name: "Bad_Name" }, { kind: "User", name: "alice", apiGroup: "users.example.com" }, { kind: "Robot", name: "r2" },
  ] });
  assert.deepEqual(lines(validateBinding(crb, { namespaced: false })), [
    'FieldValueNotSupported roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    "FieldValueInvalid subjects[0].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    "FieldValueRequired subjects[0].namespace: Required value",
    'FieldValueNotSupported subjects[1].apiGroup: Unsupported value: "users.example.com": supported values: "rbac.authorization.k8s.io"',
    'FieldValueNotSupported subjects[2].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
  ]);
  const rb = binding("RoleBinding", { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "edit" }, subjects: [{ kind: "ServiceAccount", name: "default" }] });
  assert.deepEqual(validateBinding(rb, { namespaced: true }), []);
  const moved = { ...rb, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" } };
  assert.deepEqual(lines(validateBinding(moved, { old: rb, namespaced: true })), ['FieldValueInvalid roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"admin"}: cannot change roleRef']);
});
