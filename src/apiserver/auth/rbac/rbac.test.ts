// Checks RBAC evaluation over the real bootstrap policy plus test bindings:
// superuser, aggregated view/edit/admin, resourceNames, subresources and
// `*/scale`, non-resource URL prefixes, service-account subjects, missing
// roles in the denial reason, cache invalidation, and the upstream Forbidden
// wording.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject, UserInfo } from "../../../api/types.ts";
import { forbiddenStatus } from "../forbidden.ts";
import type { AuthzAttributes } from "../types.ts";
import { aggregateClusterRoles } from "./aggregation.ts";
import { createRbacAuthorizer } from "./authorizer.ts";
import { bootstrapPolicy } from "./policy.ts";
import type { RbacLister } from "./types.ts";

function lister(objects: KubeObject[]): RbacLister & { objects: KubeObject[]; lists: number } {
  const of = (kind: string) => async () => objects.filter((o) => o.kind === kind);
  const l = {
    objects,
    lists: 0,
    listRoles: of("Role"),
    listRoleBindings: of("RoleBinding"),
    listClusterRoles: async () => {
      l.lists++;
      return objects.filter((o) => o.kind === "ClusterRole");
    },
    listClusterRoleBindings: of("ClusterRoleBinding"),
  };
  return l;
}

function binding(kind: "RoleBinding" | "ClusterRoleBinding", name: string, roleKind: string, role: string, subjects: unknown[], namespace?: string): KubeObject {
  return { kind, metadata: { name, namespace }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: roleKind, name: role }, subjects };
}

const bob: UserInfo = { username: "bob", groups: ["system:authenticated"] };
const admin: UserInfo = { username: "system:admin", groups: ["system:masters", "system:authenticated"] };

function res(user: UserInfo, verb: string, resource: string, extra: Partial<AuthzAttributes> = {}): AuthzAttributes {
  return { user, verb, resourceRequest: true, apiGroup: "", resource, namespace: "default", ...extra };
}

test("system:masters may do anything, even with no RBAC objects", async () => {
  const authz = createRbacAuthorizer({ lister: lister([]) });
  assert.equal((await authz.authorize(res(admin, "delete", "nodes", { namespace: "" }))).allowed, true);
  assert.equal((await authz.authorize({ user: admin, verb: "get", resourceRequest: false, path: "/metrics" })).allowed, true);
});

test("a user bound to view can read pods but not create them or read secrets", async () => {
  const objects = [...bootstrapPolicy(), binding("RoleBinding", "bob-view", "ClusterRole", "view", [{ kind: "User", name: "bob" }], "default")];
  const authz = createRbacAuthorizer({ lister: lister(objects) });
  const list = await authz.authorize(res(bob, "list", "pods"));
  assert.equal(list.allowed, true);
  assert.equal(list.reason, 'RBAC: allowed by RoleBinding "bob-view/default" of ClusterRole "view" to User "bob"');
  assert.equal((await authz.authorize(res(bob, "get", "pods", { subresource: "log", name: "p" }))).allowed, true);
  assert.equal((await authz.authorize(res(bob, "create", "pods"))).allowed, false);
  assert.equal((await authz.authorize(res(bob, "get", "secrets"))).allowed, false);
  assert.equal((await authz.authorize(res(bob, "list", "pods", { namespace: "other" }))).allowed, false);
  assert.equal((await authz.authorize(res(bob, "list", "deployments", { apiGroup: "apps" }))).allowed, true);
  // discovery and self-reviews through the default bindings to system:authenticated
  assert.equal((await authz.authorize({ user: bob, verb: "get", resourceRequest: false, path: "/apis/apps/v1" })).allowed, true);
  assert.equal((await authz.authorize({ user: bob, verb: "get", resourceRequest: false, path: "/metrics" })).allowed, false);
  const ssar = res(bob, "create", "selfsubjectaccessreviews", { apiGroup: "authorization.k8s.io", namespace: "" });
  assert.equal((await authz.authorize(ssar)).allowed, true);
});

test("edit and admin aggregate view's rules; a new aggregate-to-view role widens all three", async () => {
  const objects = [
    ...bootstrapPolicy(),
    binding("ClusterRoleBinding", "bob-admin", "ClusterRole", "admin", [{ kind: "User", name: "bob" }]),
  ];
  const l = lister(objects);
  const authz = createRbacAuthorizer({ lister: l, maxAgeMs: 60_000 });
  assert.equal((await authz.authorize(res(bob, "create", "roles", { apiGroup: "rbac.authorization.k8s.io" }))).allowed, true);
  assert.equal((await authz.authorize(res(bob, "delete", "pods"))).allowed, true);
  assert.equal((await authz.authorize(res(bob, "list", "widgets", { apiGroup: "example.com" }))).allowed, false);
  l.objects.push({
    kind: "ClusterRole",
    metadata: { name: "widget-view", labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } },
    rules: [{ verbs: ["get", "list"], apiGroups: ["example.com"], resources: ["widgets"] }],
  });
  assert.equal((await authz.authorize(res(bob, "list", "widgets", { apiGroup: "example.com" }))).allowed, false, "cached until invalidated");
  authz.invalidate();
  assert.equal((await authz.authorize(res(bob, "list", "widgets", { apiGroup: "example.com" }))).allowed, true);
  // what the aggregation controller would write
  const updated = aggregateClusterRoles(l.objects);
  const names = updated.map((r) => r.metadata.name).sort();
  assert.deepEqual(names, ["admin", "edit", "view"]);
  const view = updated.find((r) => r.metadata.name === "view") as KubeObject & { rules: { resources?: string[] }[] };
  assert.ok(view.rules.some((r) => r.resources?.includes("widgets")));
  assert.deepEqual(aggregateClusterRoles([...l.objects.filter((o) => !["admin", "edit", "view"].includes(o.metadata.name ?? "")), ...updated]), []);
});

test("resourceNames, subresources, */scale and non-resource prefixes", async () => {
  const objects: KubeObject[] = [
    {
      kind: "ClusterRole",
      metadata: { name: "narrow" },
      rules: [
        { verbs: ["get", "update"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["app-config"] },
        { verbs: ["get"], apiGroups: ["*"], resources: ["*/scale"] },
        { verbs: ["get"], apiGroups: [""], resources: ["pods/log"] },
        { verbs: ["get"], nonResourceURLs: ["/logs/*", "/healthz"] },
      ],
    },
    binding("ClusterRoleBinding", "narrow", "ClusterRole", "narrow", [{ kind: "Group", name: "devs" }]),
  ];
  const authz = createRbacAuthorizer({ lister: lister(objects) });
  const dev: UserInfo = { username: "d", groups: ["devs"] };
  assert.equal((await authz.authorize(res(dev, "get", "configmaps", { name: "app-config" }))).allowed, true);
  assert.equal((await authz.authorize(res(dev, "get", "configmaps", { name: "other" }))).allowed, false);
  assert.equal((await authz.authorize(res(dev, "list", "configmaps"))).allowed, false);
  assert.equal((await authz.authorize(res(dev, "get", "deployments", { apiGroup: "apps", subresource: "scale", name: "x" }))).allowed, true);
  assert.equal((await authz.authorize(res(dev, "get", "deployments", { apiGroup: "apps", name: "x" }))).allowed, false);
  assert.equal((await authz.authorize(res(dev, "get", "pods", { subresource: "log" }))).allowed, true);
  assert.equal((await authz.authorize(res(dev, "get", "pods", { subresource: "exec" }))).allowed, false);
  assert.equal((await authz.authorize(res(dev, "get", "pods"))).allowed, false);
  const path = (p: string) => authz.authorize({ user: dev, verb: "get", resourceRequest: false, path: p });
  assert.equal((await path("/logs/kube.log")).allowed, true);
  assert.equal((await path("/healthz")).allowed, true);
  assert.equal((await path("/healthz/etcd")).allowed, false);
});

test("service-account subjects default to the binding's namespace; missing roles show in the reason", async () => {
  const objects: KubeObject[] = [
    { kind: "Role", metadata: { name: "cm-reader", namespace: "apps" }, rules: [{ verbs: ["get"], apiGroups: [""], resources: ["configmaps"] }] },
    binding("RoleBinding", "sa-reads", "Role", "cm-reader", [{ kind: "ServiceAccount", name: "web" }], "apps"),
    binding("RoleBinding", "dangling", "Role", "gone", [{ kind: "ServiceAccount", name: "web" }], "apps"),
  ];
  const authz = createRbacAuthorizer({ lister: lister(objects) });
  const web: UserInfo = { username: "system:serviceaccount:apps:web", groups: ["system:serviceaccounts"] };
  const other: UserInfo = { username: "system:serviceaccount:other:web", groups: [] };
  const allowed = await authz.authorize(res(web, "get", "configmaps", { namespace: "apps" }));
  assert.equal(allowed.reason, 'RBAC: allowed by RoleBinding "sa-reads/apps" of Role "cm-reader" to ServiceAccount "web/apps"');
  assert.equal((await authz.authorize(res(other, "get", "configmaps", { namespace: "apps" }))).allowed, false);
  const denied = await authz.authorize(res(web, "list", "configmaps", { namespace: "apps" }));
  assert.deepEqual(denied, { allowed: false, reason: 'RBAC: role.rbac.authorization.k8s.io "gone" not found' });
  const rules = await authz.rulesFor(web, "apps");
  assert.equal(rules.incomplete, true);
  assert.deepEqual(rules.resourceRules, [{ verbs: ["get"], apiGroups: [""], resources: ["configmaps"] }]);
});

test("the Forbidden status is worded as kube-apiserver's", () => {
  const s = forbiddenStatus(res(bob, "create", "pods"));
  assert.equal(s.message, 'pods is forbidden: User "bob" cannot create resource "pods" in API group "" in the namespace "default"');
  assert.equal(s.code, 403);
  assert.equal(s.reason, "Forbidden");
  const named = forbiddenStatus(res(bob, "get", "deployments", { apiGroup: "apps", name: "web", subresource: "scale", namespace: "" }), "RBAC: x");
  assert.equal(named.message, 'deployments.apps "web" is forbidden: User "bob" cannot get resource "deployments/scale" in API group "apps" at the cluster scope: RBAC: x');
  assert.deepEqual(named.details, { name: "web", group: "apps", kind: "deployments" });
  const path = forbiddenStatus({ user: bob, verb: "get", resourceRequest: false, path: "/metrics" });
  assert.equal(path.message, 'forbidden: User "bob" cannot get path "/metrics"');
});

test("a failing lister denies with a reason, and a later failure keeps the last good view", async () => {
  let fail = true;
  const objects = [binding("ClusterRoleBinding", "b", "ClusterRole", "r", [{ kind: "User", name: "bob" }]), { kind: "ClusterRole", metadata: { name: "r" }, rules: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }] }];
  const l = lister(objects);
  const authz = createRbacAuthorizer({
    lister: { ...l, listClusterRoles: async () => (fail ? Promise.reject(new Error("store down")) : l.listClusterRoles()) },
    maxAgeMs: 0,
  });
  assert.deepEqual(await authz.authorize(res(bob, "get", "pods")), { allowed: false, reason: "RBAC: rbac objects cannot be listed: store down" });
  fail = false;
  assert.equal((await authz.authorize(res(bob, "get", "pods"))).allowed, true);
  fail = true;
  assert.equal((await authz.authorize(res(bob, "get", "pods"))).allowed, true);
});

test("a denial re-reads RBAC objects older than 50 ms, so a binding made just before counts", async () => {
  const objects: KubeObject[] = [{ kind: "ClusterRole", metadata: { name: "r" }, rules: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }] }];
  const l = lister(objects);
  const authz = createRbacAuthorizer({ lister: l, maxAgeMs: 60_000 });
  assert.equal((await authz.authorize(res(bob, "get", "pods"))).allowed, false);
  const listsAfterDeny = l.lists;
  l.objects.push(binding("ClusterRoleBinding", "b", "ClusterRole", "r", [{ kind: "User", name: "bob" }]));
  await new Promise((r) => setTimeout(r, 60));
  assert.equal((await authz.authorize(res(bob, "get", "pods"))).allowed, true, "re-read on denial");
  const lists = l.lists;
  assert.ok(lists > listsAfterDeny);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal((await authz.authorize(res(bob, "get", "pods"))).allowed, true);
  assert.equal(l.lists, lists, "allowed requests use the cached view");
});
