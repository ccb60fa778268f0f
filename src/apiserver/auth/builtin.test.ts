// The whole chain on the built-in kinds: the REST core serving
// builtinKinds() over HTTPS, RBAC objects of the real rbac kinds created
// from bootstrapPolicy(), the RBAC authorizer reading them back through the
// API, reviews and OpenAPI v3 mounted as the integrator will; kubectl 1.32
// checks can-i for a view-only user, explain on Pod fields, a re-apply of a
// Deployment that kubectl turns into a strategic merge patch, `create token`
// through the TokenRequest hook, and escalation prevention on RBAC writes.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { builtinKinds, builtinSchemas, decodeProtobuf } from "../../api/mod.ts";
import type { KubeObject, UserInfo } from "../../api/types.ts";
import { buildOpenApiV3 } from "../openapi/build.ts";
import { serveOpenApi } from "../openapi/serve.ts";
import type { ApiRequest } from "../request.ts";
import { startTestServer } from "../testenv.ts";
import type { TestServer } from "../testenv.ts";
import { generateKeyPairSync } from "node:crypto";
import { createAuthenticator } from "./authenticator.ts";
import { reviewPaths } from "./handlers.ts";
import type { ObjectLookup } from "./lookup.ts";
import { tokenRequestHandler } from "./tokenrequest.ts";
import { createRbacAuthorizer } from "./rbac/authorizer.ts";
import type { RbacAuthorizer } from "./rbac/authorizer.ts";
import { withEscalationChecks } from "./rbac/escalation.ts";
import { bootstrapPolicy } from "./rbac/policy.ts";

const KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";
const SYSTEM: UserInfo = { username: "system:apiserver", groups: ["system:masters"] };
const schemas = builtinSchemas();
let ts: TestServer;
let authz: RbacAuthorizer;
const saKey = generateKeyPairSync("rsa", { modulusLength: 2048 });
const lookup: ObjectLookup = {
  async getObject(resource, namespace, name) {
    const path = resource === "nodes" ? `/api/v1/nodes/${name}` : `/api/v1/namespaces/${namespace}/${resource}/${name}`;
    const res = await inProcess("GET", path);
    return res.status === 200 ? (res.json() as unknown as KubeObject) : undefined;
  },
};

function inProcess(method: ApiRequest["method"], path: string, body?: unknown): Promise<{ status: number; json: () => { items: KubeObject[] } }> {
  return ts.api
    .handler({
      method,
      path,
      query: new URLSearchParams(),
      headers: { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
      user: SYSTEM,
      signal: new AbortController().signal,
    })
    .then((res) => ({ status: res.status, json: () => JSON.parse(String(res.body)) }));
}

const listRbac = (resource: string) => async () => (await inProcess("GET", `/apis/rbac.authorization.k8s.io/v1/${resource}`)).json().items;

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(KUBECTL, ["--kubeconfig", ts.kubeconfig, "--cache-dir", join(ts.dir, "kcache"), ...args], { timeout: 60_000, env: { ...process.env, HOME: ts.dir } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

before(async () => {
  authz = createRbacAuthorizer({
    lister: {
      listRoles: listRbac("roles"),
      listRoleBindings: listRbac("rolebindings"),
      listClusterRoles: listRbac("clusterroles"),
      listClusterRoleBindings: listRbac("clusterrolebindings"),
    },
  });
  ts = await startTestServer({ kinds: withEscalationChecks(builtinKinds(), authz), schemas, authorizer: authz, protobuf: (_kind, body) => decodeProtobuf(schemas, body) });
  for (const p of reviewPaths({ authorizer: authz })) ts.api.registerPath(p.prefix, p.handler);
  ts.api.registerSubresource("serviceaccounts", "token", tokenRequestHandler({ key: saKey.privateKey, lookup }));
  const docs = buildOpenApiV3(ts.api.kinds.all(), schemas);
  ts.api.registerPath("/openapi/", async (req) => serveOpenApi(docs, req) ?? { status: 404, headers: {} });
  for (const ns of ["kube-system", "kube-public", "team"]) await inProcess("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  const bob = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "bob-view", namespace: "default" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "bob" }] };
  const dana = { ...bob, metadata: { name: "dana-admin", namespace: "team" }, roleRef: { ...bob.roleRef, name: "admin" }, subjects: [{ ...bob.subjects[0], name: "dana" }] };
  for (const obj of [...bootstrapPolicy(), bob, dana]) {
    const ns = obj.metadata.namespace ? `/namespaces/${obj.metadata.namespace}` : "";
    const res = await inProcess("POST", `/apis/rbac.authorization.k8s.io/v1${ns}/${obj.kind?.toLowerCase()}s`, obj);
    assert.equal(res.status, 201, `${obj.kind} ${obj.metadata.name}: ${JSON.stringify(res.json())}`);
  }
  authz.invalidate();
});

after(async () => {
  await ts?.close();
});

const skip = !existsSync(KUBECTL);

test("can-i on the built-in kinds: masters '*' '*', bob lists pods but cannot create them", { skip }, async () => {
  assert.equal((await kubectl(["auth", "can-i", "*", "*"])).stdout.trim(), "yes");
  assert.equal((await kubectl(["auth", "can-i", "list", "pods", "--as", "bob", "-n", "default"])).stdout.trim(), "yes");
  assert.equal((await kubectl(["auth", "can-i", "create", "pods", "--as", "bob", "-n", "default"])).stdout.trim(), "no");
  const list = await kubectl(["auth", "can-i", "--list", "--as", "bob", "-n", "default"]);
  assert.match(list.stdout, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
  const denied = await kubectl(["run", "p", "--image=busybox", "--as", "bob", "-n", "default"]);
  assert.match(denied.stderr, /pods is forbidden: User "bob" cannot create resource "pods" in API group "" in the namespace "default"/);
});

test("explain renders built-in Pod fields", { skip }, async () => {
  const ports = await kubectl(["explain", "pod.spec.containers.ports"]);
  assert.equal(ports.code, 0, ports.stderr);
  assert.match(ports.stdout, /FIELD:\s+ports <\[\]ContainerPort>/);
  assert.match(ports.stdout, /containerPort\s+<integer> -required-/);
  const dep = await kubectl(["explain", "deployment.spec.strategy.rollingUpdate.maxSurge"]);
  assert.equal(dep.code, 0, dep.stderr);
  assert.match(dep.stdout, /GROUP:\s+apps/);
});

test("re-applying a Deployment patches it strategically: env entries merge by name", { skip }, async () => {
  const file = join(ts.dir, "deploy.yaml");
  const manifest = (env: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        env:\n${env}`;
  writeFileSync(file, manifest("        - {name: A, value: '1'}\n        - {name: B, value: '2'}\n"));
  const first = await kubectl(["apply", "-f", file]);
  assert.equal(first.code, 0, first.stderr);
  writeFileSync(file, manifest("        - {name: A, value: '1'}\n        - {name: C, value: '3'}\n"));
  const second = await kubectl(["apply", "-f", file, "-v=7"]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /Content-Type: application\/strategic-merge-patch\+json/);
  const env = await kubectl(["get", "deployment", "web", "-n", "default", "-o", "jsonpath={.spec.template.spec.containers[0].env[*].name}"]);
  assert.equal(env.stdout, "A C");
});

test("kubectl create token issues a token the authenticator accepts", { skip }, async () => {
  const sa = await inProcess("POST", "/api/v1/namespaces/default/serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "robot" } });
  assert.equal(sa.status, 201);
  const out = await kubectl(["create", "token", "robot", "-n", "default", "--duration=2h"]);
  assert.equal(out.code, 0, out.stderr);
  const token = out.stdout.trim();
  const authn = createAuthenticator({ serviceAccountKeys: [saKey.publicKey], lookup, tokenCacheTTLMs: 0 });
  const user = await authn.authenticate({ headers: { authorization: `Bearer ${token}` } });
  assert.equal(user?.username, "system:serviceaccount:default:robot");
  const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
  assert.equal(claims.exp - claims.iat, 7200);
  const short = await kubectl(["create", "token", "robot", "-n", "default", "--duration=1m"]);
  assert.match(short.stderr, /may not specify a duration less than 10 minutes/);
  await inProcess("DELETE", "/api/v1/namespaces/default/serviceaccounts/robot");
  assert.equal(await authn.authenticate({ headers: { authorization: `Bearer ${token}` } }), undefined, "revoked with its service account");
});

test("a namespace admin cannot grant what they do not hold", { skip }, async () => {
  const ok = await kubectl(["create", "role", "pod-reader", "--verb=get", "--resource=pods", "-n", "team", "--as", "dana"]);
  assert.equal(ok.code, 0, ok.stderr);
  const big = await kubectl(["create", "role", "node-reader", "--verb=get", "--resource=nodes", "-n", "team", "--as", "dana"]);
  assert.match(big.stderr, /roles\.rbac\.authorization\.k8s\.io "node-reader" is forbidden: user "dana" .* is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["nodes"\], Verbs:\["get"\]\}/);
  const bind = await kubectl(["create", "rolebinding", "eve-admin", "--clusterrole=cluster-admin", "--user=eve", "-n", "team", "--as", "dana"]);
  assert.match(bind.stderr, /rolebindings\.rbac\.authorization\.k8s\.io "eve-admin" is forbidden/);
  const fine = await kubectl(["create", "rolebinding", "eve-edit", "--clusterrole=edit", "--user=eve", "-n", "team", "--as", "dana"]);
  assert.equal(fine.code, 0, fine.stderr);
});
