// Checks the Node authorizer: a kubelet reads only what pods on its node
// refer to (secrets, configmaps, claims and their volumes, SA tokens), gets
// the system:node rules for the rest, and leaves other users to RBAC; with
// the node-authorizer policy RBAC no longer lets nodes read every secret.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject, UserInfo } from "../../api/types.ts";
import { createNodeAuthorizer, podReferences, unionAuthorizers } from "./node.ts";
import { createRbacAuthorizer } from "./rbac/authorizer.ts";
import { bootstrapPolicy } from "./rbac/policy.ts";
import type { AuthzAttributes } from "./types.ts";

const podA: KubeObject = {
  kind: "Pod",
  metadata: { name: "a", namespace: "app" },
  spec: {
    nodeName: "n1",
    serviceAccountName: "builder",
    imagePullSecrets: [{ name: "pull" }],
    containers: [{ name: "c", env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "c1", key: "k" } } }], envFrom: [{ secretRef: { name: "env-secret" } }] }],
    volumes: [
      { name: "s", secret: { secretName: "s1" } },
      { name: "p", projected: { sources: [{ configMap: { name: "c2" } }, { secret: { name: "s3" } }] } },
      { name: "data", persistentVolumeClaim: { claimName: "data" } },
      { name: "csi", csi: { driver: "d", nodePublishSecretRef: { name: "csi-secret" } } },
      { name: "scratch", ephemeral: { volumeClaimTemplate: { spec: {} } } },
    ],
  },
};
const podB: KubeObject = { kind: "Pod", metadata: { name: "b", namespace: "app" }, spec: { nodeName: "n2", volumes: [{ name: "s", secret: { secretName: "s2" } }] } };
const pvc: KubeObject = { kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: "app" }, spec: { volumeName: "pv-1" } };
const graph = {
  podsOnNode: async (n: string) => [podA, podB].filter((p) => (p.spec as { nodeName: string }).nodeName === n),
  getObject: async (r: string, ns: string, name: string) => (r === "persistentvolumeclaims" && ns === "app" && name === "data" ? pvc : undefined),
};
const n1: UserInfo = { username: "system:node:n1", groups: ["system:nodes", "system:authenticated"] };
const node = createNodeAuthorizer({ graph });
const get = (resource: string, name: string, extra: Partial<AuthzAttributes> = {}): AuthzAttributes => ({ user: n1, verb: "get", resourceRequest: true, apiGroup: "", resource, namespace: "app", name, ...extra });

test("pod references cover volumes, projections, env and pull secrets", () => {
  const refs = podReferences(podA);
  assert.deepEqual([...refs.secrets].sort(), ["csi-secret", "env-secret", "pull", "s1", "s3"]);
  assert.deepEqual([...refs.configmaps].sort(), ["c1", "c2"]);
  assert.deepEqual([...refs.pvcs].sort(), ["a-scratch", "data"]);
  assert.equal(refs.serviceaccount, "builder");
});

test("a node reads only its pods' objects", async () => {
  assert.equal((await node.authorize(get("secrets", "s1"))).allowed, true);
  assert.equal((await node.authorize(get("secrets", "s3", { verb: "watch" }))).allowed, true);
  assert.deepEqual(await node.authorize(get("secrets", "s2")), { allowed: false, reason: "no relationship found between node 'n1' and this object" });
  assert.equal((await node.authorize(get("secrets", "s1", { namespace: "other" }))).allowed, false);
  assert.match((await node.authorize(get("secrets", "", { verb: "list" }))).reason ?? "", /can only list individual secrets/);
  assert.equal((await node.authorize(get("secrets", "s1", { verb: "update" }))).allowed, false);
  assert.equal((await node.authorize(get("configmaps", "c1"))).allowed, true);
  assert.equal((await node.authorize(get("persistentvolumeclaims", "data"))).allowed, true);
  assert.equal((await node.authorize(get("persistentvolumes", "pv-1", { namespace: "" }))).allowed, true);
  assert.equal((await node.authorize(get("persistentvolumes", "pv-2", { namespace: "" }))).allowed, false);
  assert.equal((await node.authorize(get("serviceaccounts", "builder", { verb: "create", subresource: "token" }))).allowed, true);
  assert.equal((await node.authorize(get("serviceaccounts", "default", { verb: "create", subresource: "token" }))).allowed, false);
});

test("other requests follow the system:node rules; other users get no opinion", async () => {
  assert.equal((await node.authorize(get("nodes", "n1", { namespace: "" }))).allowed, true);
  assert.equal((await node.authorize(get("events", "", { verb: "create" }))).allowed, true);
  assert.equal((await node.authorize(get("leases", "n1", { apiGroup: "coordination.k8s.io", verb: "update", namespace: "kube-node-lease" }))).allowed, true);
  assert.deepEqual(await node.authorize(get("namespaces", "app", { verb: "delete", namespace: "" })), { allowed: false, reason: "" });
  const bob: UserInfo = { username: "bob", groups: ["system:nodes"] };
  assert.deepEqual(await node.authorize({ ...get("secrets", "s1"), user: bob }), { allowed: false, reason: "" });
});

test("chained before RBAC with the node-authorizer policy, nodes lose blanket secret access", async () => {
  const of = (policy: KubeObject[], kind: string) => async () => policy.filter((o) => o.kind === kind);
  const rbacFor = (policy: KubeObject[]) =>
    createRbacAuthorizer({ lister: { listRoles: of(policy, "Role"), listRoleBindings: of(policy, "RoleBinding"), listClusterRoles: of(policy, "ClusterRole"), listClusterRoleBindings: of(policy, "ClusterRoleBinding") } });
  const legacy = rbacFor(bootstrapPolicy());
  assert.equal((await legacy.authorize(get("secrets", "s2"))).allowed, true, "group binding: any secret");
  const chained = unionAuthorizers([node, rbacFor(bootstrapPolicy({ nodeAuthorizer: true }))]);
  assert.equal((await chained.authorize(get("secrets", "s1"))).allowed, true);
  const denied = await chained.authorize(get("secrets", "s2"));
  assert.deepEqual(denied, { allowed: false, reason: "no relationship found between node 'n1' and this object" });
  assert.ok(chained.rulesFor, "keeps RBAC's rulesFor for SelfSubjectRulesReview");
});
