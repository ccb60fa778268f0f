// Checks the bootstrap policy's contents (the roles and bindings clients
// expect, each binding's role present, aggregation labels) and that
// reconciliation creates only what is missing and repairs without removing.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../api/types.ts";
import { bootstrapPolicy } from "./policy.ts";
import { reconcilePolicy } from "./reconcile.ts";
import type { BindingObject, RoleObject } from "./types.ts";

const policy = bootstrapPolicy();
const find = (kind: string, name: string, ns?: string) =>
  policy.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === ns);

test("the default cluster roles exist", () => {
  for (const name of [
    "cluster-admin", "admin", "edit", "view", "system:basic-user", "system:discovery", "system:public-info-viewer",
    "system:node", "system:node-proxier", "system:kube-controller-manager", "system:kube-scheduler", "system:kube-dns",
    "system:monitoring", "system:service-account-issuer-discovery", "system:auth-delegator", "system:kubelet-api-admin",
    "system:certificates.k8s.io:kubelet-serving-approver", "system:controller:deployment-controller",
    "system:controller:namespace-controller", "system:controller:generic-garbage-collector", "system:k3s-controller",
  ]) {
    assert.ok(find("ClusterRole", name), `ClusterRole ${name}`);
  }
  const names = policy.map((o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`);
  assert.equal(new Set(names).size, names.length, "no duplicates");
});

test("bindings point at roles that exist and bind the expected subjects", () => {
  for (const b of policy.filter((o) => o.kind?.endsWith("Binding")) as BindingObject[]) {
    const ns = b.kind === "RoleBinding" && b.roleRef.kind === "Role" ? b.metadata.namespace : undefined;
    assert.ok(find(b.roleRef.kind, b.roleRef.name, ns), `${b.metadata.name} → ${b.roleRef.kind} ${b.roleRef.name}`);
  }
  const subjects = (name: string) => (find("ClusterRoleBinding", name) as BindingObject).subjects;
  assert.deepEqual(subjects("cluster-admin"), [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:masters" }]);
  assert.deepEqual(subjects("system:node-proxier")?.map((s) => s.name), ["system:kube-proxy"]);
  assert.deepEqual(subjects("kube-apiserver-kubelet-admin")?.map((s) => s.name), ["kube-apiserver"]);
  assert.deepEqual(subjects("system:controller:job-controller"), [{ kind: "ServiceAccount", name: "job-controller", namespace: "kube-system" }]);
});

test("view, edit and admin aggregate by label and chain upwards", () => {
  const role = (n: string) => find("ClusterRole", n) as RoleObject;
  assert.deepEqual(role("view").aggregationRule, { clusterRoleSelectors: [{ matchLabels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } }] });
  assert.equal(role("view").metadata.labels?.["rbac.authorization.k8s.io/aggregate-to-edit"], "true");
  assert.equal(role("edit").metadata.labels?.["rbac.authorization.k8s.io/aggregate-to-admin"], "true");
  assert.deepEqual(role("admin").rules, []);
  assert.equal(role("system:aggregate-to-view").metadata.labels?.["rbac.authorization.k8s.io/aggregate-to-view"], "true");
});

test("reconciliation creates the missing, repairs autoupdate objects, leaves opted-out ones", () => {
  const fresh = reconcilePolicy([]).create;
  assert.equal(fresh.length, policy.length);
  const view = fresh.find((o) => o.kind === "ClusterRole" && o.metadata.name === "view") as RoleObject;
  assert.ok(view.rules?.some((r) => r.resources?.includes("pods") && r.verbs.includes("list")), "aggregated rules filled in at creation");
  const admin = fresh.find((o) => o.kind === "ClusterRole" && o.metadata.name === "admin") as RoleObject;
  assert.ok(admin.rules?.some((r) => r.resources?.includes("rolebindings")));
  const clean = JSON.parse(JSON.stringify(fresh)) as KubeObject[];
  assert.deepEqual(reconcilePolicy(clean), { create: [], update: [] });
  const trimmed = clean.filter((o) => o.metadata.name !== "system:discovery" || o.kind !== "ClusterRole");
  const basic = trimmed.find((o) => o.metadata.name === "system:basic-user" && o.kind === "ClusterRole") as RoleObject;
  basic.rules = [];
  const masters = trimmed.find((o) => o.metadata.name === "cluster-admin" && o.kind === "ClusterRoleBinding") as BindingObject;
  masters.subjects = [{ kind: "User", name: "me", apiGroup: "rbac.authorization.k8s.io" }];
  const kept = trimmed.find((o) => o.metadata.name === "system:node" && o.kind === "ClusterRole") as RoleObject;
  kept.rules = [];
  kept.metadata.annotations = { "rbac.authorization.kubernetes.io/autoupdate": "false" };
  const changes = reconcilePolicy(trimmed);
  assert.deepEqual(changes.create.map((o) => o.metadata.name), ["system:discovery"]);
  assert.deepEqual(changes.update.map((o) => o.metadata.name).sort(), ["cluster-admin", "system:basic-user"]);
  const fixed = changes.update.find((o) => o.kind === "ClusterRoleBinding") as BindingObject;
  assert.deepEqual(fixed.subjects?.map((s) => s.name), ["me", "system:masters"]);
  // a new aggregate-to-view role since the last start: view, edit and admin are brought up to date
  const later = JSON.parse(JSON.stringify(fresh)) as KubeObject[];
  later.push({ kind: "ClusterRole", apiVersion: "rbac.authorization.k8s.io/v1", metadata: { name: "extra", labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } }, rules: [{ verbs: ["get"], apiGroups: ["x.io"], resources: ["things"] }] });
  assert.deepEqual(reconcilePolicy(later).update.map((o) => o.metadata.name).sort(), ["admin", "edit", "view"]);
});
