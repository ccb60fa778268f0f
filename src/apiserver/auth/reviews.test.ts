// Checks the review helpers against the RBAC authorizer over the bootstrap
// policy (the answers `kubectl auth can-i`, `--list` and `--as` rely on),
// TokenReview through the real authenticator, and impersonation checks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import type { KubeObject, UserInfo } from "../../api/types.ts";
import { ApiError } from "../../client/client.ts";
import { createAuthenticator } from "./authenticator.ts";
import { impersonate } from "./impersonation.ts";
import { createRbacAuthorizer } from "./rbac/authorizer.ts";
import { bootstrapPolicy } from "./rbac/policy.ts";
import {
  reviewLocalSubjectAccess,
  reviewSelf,
  reviewSelfSubjectAccess,
  reviewSelfSubjectRules,
  reviewSubjectAccess,
  reviewToken,
} from "./reviews.ts";
import { issueServiceAccountToken } from "./serviceaccount.ts";

const objects: KubeObject[] = [
  ...bootstrapPolicy(),
  {
    kind: "ClusterRoleBinding",
    metadata: { name: "bob-view" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
    subjects: [{ kind: "User", name: "bob", apiGroup: "rbac.authorization.k8s.io" }],
  },
  {
    kind: "ClusterRole",
    metadata: { name: "impersonate-bob" },
    rules: [{ verbs: ["impersonate"], apiGroups: [""], resources: ["users"], resourceNames: ["bob"] }],
  },
  {
    kind: "ClusterRoleBinding",
    metadata: { name: "carol-impersonates-bob" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "impersonate-bob" },
    subjects: [{ kind: "User", name: "carol", apiGroup: "rbac.authorization.k8s.io" }],
  },
];
const authorizer = createRbacAuthorizer({
  lister: {
    listRoles: async () => objects.filter((o) => o.kind === "Role"),
    listRoleBindings: async () => objects.filter((o) => o.kind === "RoleBinding"),
    listClusterRoles: async () => objects.filter((o) => o.kind === "ClusterRole"),
    listClusterRoleBindings: async () => objects.filter((o) => o.kind === "ClusterRoleBinding"),
  },
});
const admin: UserInfo = { username: "system:admin", groups: ["system:masters", "system:authenticated"] };
const bob: UserInfo = { username: "bob", groups: ["system:authenticated"] };
const carol: UserInfo = { username: "carol", groups: ["system:authenticated"] };

function ssar(verb: string, resource: string, namespace = "default"): KubeObject {
  return {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    metadata: {},
    spec: { resourceAttributes: { namespace, verb, resource, group: resource === "*" ? "*" : "" } },
  };
}

const allowed = (o: KubeObject) => (o.status as { allowed: boolean }).allowed;

test("can-i: masters may do '*' '*'; bob (view) may list pods, not create them", async () => {
  assert.equal(allowed(await reviewSelfSubjectAccess(ssar("*", "*"), { user: admin, authorizer })), true);
  assert.equal(allowed(await reviewSelfSubjectAccess(ssar("list", "pods"), { user: bob, authorizer })), true);
  const no = await reviewSelfSubjectAccess(ssar("create", "pods"), { user: bob, authorizer });
  assert.deepEqual(no.status, { allowed: false });
  const sar: KubeObject = { kind: "SubjectAccessReview", metadata: {}, spec: { user: "bob", groups: ["system:authenticated"], nonResourceAttributes: { path: "/version", verb: "get" } } };
  assert.equal(allowed(await reviewSubjectAccess(sar, { user: admin, authorizer })), true);
  await assert.rejects(reviewSubjectAccess({ kind: "SubjectAccessReview", metadata: {}, spec: { resourceAttributes: { verb: "get" } } }, { user: admin, authorizer }), (e: ApiError) => e.code === 422);
  const local: KubeObject = { kind: "LocalSubjectAccessReview", metadata: { namespace: "dev" }, spec: { user: "bob", resourceAttributes: { namespace: "prod", verb: "get", resource: "pods" } } };
  await assert.rejects(reviewLocalSubjectAccess(local, { user: admin, authorizer, namespace: "dev" }), (e: ApiError) => e.code === 400);
});

test("can-i --list: bob's rules include view's pods rule; masters get '*'", async () => {
  const body: KubeObject = { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectRulesReview", metadata: {}, spec: { namespace: "default" } };
  const out = await reviewSelfSubjectRules(body, { user: bob, authorizer });
  const status = out.status as { resourceRules: { verbs: string[]; resources: string[]; apiGroups: string[] }[]; nonResourceRules: unknown[]; incomplete: boolean };
  assert.equal(status.incomplete, false);
  assert.ok(status.resourceRules.some((r) => r.resources.includes("pods") && r.verbs.includes("list") && r.apiGroups.includes("")));
  assert.ok(!status.resourceRules.some((r) => r.resources.includes("pods") && r.verbs.includes("create")));
  assert.ok(status.resourceRules.some((r) => r.resources.includes("selfsubjectaccessreviews")));
  const masters = (await reviewSelfSubjectRules(body, { user: admin, authorizer })).status as typeof status;
  assert.deepEqual(masters.resourceRules[0], { verbs: ["*"], apiGroups: ["*"], resources: ["*"] });
});

test("impersonation needs the impersonate verb on that user", async () => {
  const asBob = await impersonate({ headers: { "impersonate-user": "bob" }, user: admin }, authorizer);
  assert.deepEqual(asBob, { username: "bob", groups: ["system:authenticated"] });
  assert.equal((await impersonate({ headers: { "Impersonate-User": "bob" }, user: carol }, authorizer)).username, "bob");
  await assert.rejects(impersonate({ headers: { "impersonate-user": "dave" }, user: carol }, authorizer), (e: ApiError) => {
    assert.equal(e.code, 403);
    assert.equal(e.message, 'users "dave" is forbidden: User "carol" cannot impersonate resource "users" in API group "" at the cluster scope');
    return true;
  });
  await assert.rejects(impersonate({ headers: { "impersonate-user": "bob", "impersonate-group": "system:masters" }, user: carol }, authorizer), (e: ApiError) => e.code === 403);
  const sa = await impersonate({ headers: { "impersonate-user": "system:serviceaccount:ci:b" }, user: admin }, authorizer);
  assert.deepEqual(sa.groups, ["system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"]);
  assert.equal(await impersonate({ headers: {}, user: carol }, authorizer), carol);
});

test("TokenReview and SelfSubjectReview", async () => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const sa: KubeObject = { kind: "ServiceAccount", metadata: { name: "default", namespace: "default", uid: "u1" } };
  const authenticator = createAuthenticator({
    serviceAccountKeys: [publicKey],
    lookup: { getObject: async (r, ns, n) => (r === "serviceaccounts" && ns === "default" && n === "default" ? sa : undefined) },
  });
  const { token } = issueServiceAccountToken({ namespace: "default", serviceAccount: "default", uid: "u1" }, privateKey);
  const ok = await reviewToken({ kind: "TokenReview", metadata: {}, spec: { token } }, { user: admin, authorizer, authenticator });
  const status = ok.status as { authenticated: boolean; user: { username: string }; audiences: string[] };
  assert.equal(status.authenticated, true);
  assert.equal(status.user.username, "system:serviceaccount:default:default");
  assert.deepEqual(status.audiences, ["https://kubernetes.default.svc.cluster.local", "k3s"]);
  const bad = await reviewToken({ kind: "TokenReview", metadata: {}, spec: { token: "garbage" } }, { user: admin, authorizer, authenticator });
  assert.equal((bad.status as { authenticated: boolean }).authenticated, false);
  const me = reviewSelf({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview", metadata: {} }, { user: bob });
  assert.deepEqual(me.status, { userInfo: { username: "bob", groups: ["system:authenticated"] } });
});
