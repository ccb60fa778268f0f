// Checks escalation prevention: a namespace admin may create roles within
// what they hold and bind roles they hold, but not grant more; `escalate`
// and `bind` verbs lift the limits; aggregationRule needs full authority.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject, UserInfo } from "../../../api/types.ts";
import { createRbacAuthorizer } from "./authorizer.ts";
import { checkRbacEscalation, uncoveredRules } from "./escalation.ts";
import { bootstrapPolicy } from "./policy.ts";

const rb = (name: string, ns: string, roleKind: string, role: string, user: string): KubeObject => ({
  kind: "RoleBinding",
  metadata: { name, namespace: ns },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: roleKind, name: role },
  subjects: [{ kind: "User", name: user, apiGroup: "rbac.authorization.k8s.io" }],
});

const objects: KubeObject[] = [
  ...bootstrapPolicy(),
  rb("dana-admin", "team", "ClusterRole", "admin", "dana"),
  { kind: "ClusterRole", metadata: { name: "binder" }, rules: [{ verbs: ["bind"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], resourceNames: ["cluster-admin"] }] },
  rb("erin-binder", "team", "ClusterRole", "binder", "erin"),
];
const authorizer = createRbacAuthorizer({
  lister: {
    listRoles: async () => objects.filter((o) => o.kind === "Role"),
    listRoleBindings: async () => objects.filter((o) => o.kind === "RoleBinding"),
    listClusterRoles: async () => objects.filter((o) => o.kind === "ClusterRole"),
    listClusterRoleBindings: async () => objects.filter((o) => o.kind === "ClusterRoleBinding"),
  },
});
const dana: UserInfo = { username: "dana", groups: ["system:authenticated"] };
const erin: UserInfo = { username: "erin", groups: ["system:authenticated"] };
const root: UserInfo = { username: "root", groups: ["system:masters"] };

const role = (rules: unknown[], ns = "team"): KubeObject => ({ kind: "Role", metadata: { name: "r", namespace: ns }, rules });

test("coverage: wildcards, */subresource and resourceNames", () => {
  const held = [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods", "*/status"] }, { verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["a"] }];
  assert.deepEqual(uncoveredRules(held, [{ verbs: ["get"], apiGroups: [""], resources: ["pods", "services/status"] }]), []);
  assert.deepEqual(uncoveredRules(held, [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["a"] }]), []);
  assert.deepEqual(uncoveredRules(held, [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }]), [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }]);
  assert.equal(uncoveredRules(held, [{ verbs: ["*"], apiGroups: [""], resources: ["pods"] }]).length, 1);
});

test("a namespace admin creates roles within their rights, not beyond", async () => {
  assert.equal(await checkRbacEscalation(role([{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods", "secrets"] }]), { authorizer, user: dana }), undefined);
  const denied = await checkRbacEscalation(role([{ verbs: ["get"], apiGroups: [""], resources: ["nodes"] }]), { authorizer, user: dana });
  assert.equal(denied?.code, 403);
  assert.match(denied?.message ?? "", /^roles\.rbac\.authorization\.k8s\.io "r" is forbidden: user "dana" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["nodes"\], Verbs:\["get"\]\}$/);
  assert.ok(await checkRbacEscalation(role([{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }], "other"), { authorizer, user: dana }), "outside their namespace");
  assert.equal(await checkRbacEscalation(role([{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }]), { authorizer, user: root }), undefined);
});

test("bindings need the role's rules or the bind verb", async () => {
  assert.equal(await checkRbacEscalation(rb("x", "team", "ClusterRole", "edit", "frank"), { authorizer, user: dana }), undefined);
  assert.ok(await checkRbacEscalation(rb("x", "team", "ClusterRole", "cluster-admin", "frank"), { authorizer, user: dana }));
  assert.equal(await checkRbacEscalation(rb("x", "team", "ClusterRole", "cluster-admin", "frank"), { authorizer, user: erin }), undefined, "bind on cluster-admin");
  assert.match((await checkRbacEscalation(rb("x", "team", "ClusterRole", "missing", "frank"), { authorizer, user: erin }))?.message ?? "", /clusterrole.rbac.authorization.k8s.io "missing" not found/);
});

test("aggregationRule needs full authority", async () => {
  const agg: KubeObject = { kind: "ClusterRole", metadata: { name: "agg" }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: "b" } }] } };
  assert.match((await checkRbacEscalation(agg, { authorizer, user: dana }))?.message ?? "", /must have cluster-admin privileges to use the aggregationRule/);
  assert.equal(await checkRbacEscalation(agg, { authorizer, user: root }), undefined);
});
