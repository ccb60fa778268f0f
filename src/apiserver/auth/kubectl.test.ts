// Drives kubectl 1.32 against the real REST core (src/apiserver) over HTTPS
// with client certificates, the RBAC authorizer reading the RBAC objects
// stored through that API, the bootstrap policy created through it, the
// review resources mounted with reviewPaths and OpenAPI v3 mounted with
// serveOpenApi: `auth can-i` (also --list and --as), `auth whoami`, a 403
// for a view-only user, `explain` and `apply` without --validate=false.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KindDef, SchemaRegistry } from "../../api/kind.ts";
import type { KubeObject } from "../../api/types.ts";
import { buildOpenApiV3 } from "../openapi/build.ts";
import { serveOpenApi } from "../openapi/serve.ts";
import { execFile } from "node:child_process";
import { startTestServer, testSchemas } from "../testenv.ts";
import type { TestServer } from "../testenv.ts";
import { reviewPaths } from "./handlers.ts";
import { bootstrapPolicy } from "./rbac/policy.ts";
import { createRbacAuthorizer } from "./rbac/authorizer.ts";
import type { RbacAuthorizer } from "./rbac/authorizer.ts";

const KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";
const META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
const loose = { type: "object" as const, preserveUnknownFields: true };

const rbacSchemas: SchemaRegistry = {};
const rbacKinds: KindDef[] = [];
for (const [kind, resource, namespaced, fields] of [
  ["Role", "roles", true, ["rules"]],
  ["ClusterRole", "clusterroles", false, ["rules", "aggregationRule"]],
  ["RoleBinding", "rolebindings", true, ["subjects", "roleRef"]],
  ["ClusterRoleBinding", "clusterrolebindings", false, ["subjects", "roleRef"]],
] as const) {
  const ref = `io.k8s.api.rbac.v1.${kind}`;
  const properties: NonNullable<SchemaRegistry[string]["properties"]> = { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { ref: META } };
  for (const f of fields) properties[f] = f === "rules" || f === "subjects" ? { type: "array", items: loose } : loose;
  rbacSchemas[ref] = { type: "object", properties };
  rbacKinds.push({ group: "rbac.authorization.k8s.io", version: "v1", kind, listKind: `${kind}List`, resource, singular: kind.toLowerCase(), namespaced, schemaRef: ref });
}
const schemas = { ...testSchemas, ...rbacSchemas };

let ts: TestServer;

/** kubectl run asynchronously: the server lives in this process, so a synchronous child would starve it. */
function kubectl(t: TestServer, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(KUBECTL, ["--kubeconfig", t.kubeconfig, "--cache-dir", join(t.dir, "kcache"), ...args], { timeout: 60_000, env: { ...process.env, HOME: t.dir } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
let authz: RbacAuthorizer;

async function listAll(resource: string): Promise<KubeObject[]> {
  const res = await ts.api.handler({
    method: "GET",
    path: `/apis/rbac.authorization.k8s.io/v1/${resource}`,
    query: new URLSearchParams(),
    headers: { accept: "application/json" },
    user: { username: "system:apiserver", groups: ["system:masters"] },
    signal: new AbortController().signal,
  });
  return (JSON.parse(String(res.body)) as { items: KubeObject[] }).items;
}

function pathFor(obj: KubeObject): string {
  const plural = `${obj.kind?.toLowerCase()}s`;
  const ns = obj.metadata.namespace ? `/namespaces/${obj.metadata.namespace}` : "";
  return `/apis/rbac.authorization.k8s.io/v1${ns}/${plural}`;
}

before(async () => {
  authz = createRbacAuthorizer({
    lister: {
      listRoles: () => listAll("roles"),
      listRoleBindings: () => listAll("rolebindings"),
      listClusterRoles: () => listAll("clusterroles"),
      listClusterRoleBindings: () => listAll("clusterrolebindings"),
    },
  });
  const kinds = (await import("../testenv.ts")).testKinds();
  ts = await startTestServer({ kinds: [...kinds, ...rbacKinds], schemas, authorizer: authz });
  for (const p of reviewPaths({ authorizer: authz })) ts.api.registerPath(p.prefix, p.handler);
  const docs = buildOpenApiV3(ts.api.kinds.all(), schemas);
  ts.api.registerPath("/openapi/", async (req) => serveOpenApi(docs, req) ?? { status: 404, headers: {} });
  const bob = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "bob-view", namespace: "default" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "bob" }] };
  for (const obj of [...bootstrapPolicy(), bob]) {
    if (obj.metadata.namespace && obj.metadata.namespace !== "default") {
      await ts.request("POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: obj.metadata.namespace } } });
    }
    const res = await ts.request("POST", pathFor(obj), { body: obj });
    assert.equal(res.status, 201, `${obj.kind} ${obj.metadata.name}: ${res.body}`);
  }
  authz.invalidate();
});

after(async () => {
  await ts?.close();
});

const skip = !existsSync(KUBECTL);

test("kubectl auth can-i: masters yes; bob (view) may list but not create; --list agrees", { skip }, async () => {
  const all = await kubectl(ts, ["auth", "can-i", "*", "*"]);
  assert.equal(all.stdout.trim(), "yes", all.stderr);
  assert.equal((await kubectl(ts, ["auth", "can-i", "list", "configmaps", "--as", "bob", "-n", "default"])).stdout.trim(), "yes");
  const create = await kubectl(ts, ["auth", "can-i", "create", "configmaps", "--as", "bob", "-n", "default"]);
  assert.equal(create.stdout.trim(), "no");
  assert.equal(create.code, 1);
  assert.equal((await kubectl(ts, ["auth", "can-i", "list", "configmaps", "--as", "bob", "-n", "kube-system"])).stdout.trim(), "no");
  const list = await kubectl(ts, ["auth", "can-i", "--list", "--as", "bob", "-n", "default"]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^configmaps\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
  assert.match(list.stdout, /selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
  assert.doesNotMatch(list.stdout, /^configmaps\s+.*create/m);
});

test("kubectl auth whoami and a 403 worded as upstream", { skip }, async () => {
  const who = await kubectl(ts, ["auth", "whoami", "--as", "bob", "-o", "jsonpath={.status.userInfo.username}"]);
  assert.equal(who.stdout, "bob", who.stderr);
  const denied = await kubectl(ts, ["create", "configmap", "x", "--as", "bob", "-n", "default"]);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /configmaps is forbidden: User "bob" cannot create resource "configmaps" in API group "" in the namespace "default"/);
  assert.equal((await kubectl(ts, ["get", "configmaps", "--as", "bob", "-n", "default"])).code, 0);
});

test("kubectl explain and apply (with validation) through the mounted OpenAPI", { skip }, async () => {
  const explain = await kubectl(ts, ["explain", "configmap.data"]);
  assert.equal(explain.code, 0, explain.stderr);
  assert.match(explain.stdout, /FIELD:\s+data <map\[string\]string>/);
  const file = join(ts.dir, "cm.yaml");
  writeFileSync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: default\ndata:\n  a: \"1\"\n");
  const first = await kubectl(ts, ["apply", "-f", file]);
  assert.equal(first.code, 0, first.stderr);
  writeFileSync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: default\ndata:\n  b: \"2\"\n");
  const second = await kubectl(ts, ["apply", "-f", file]);
  assert.equal(second.code, 0, second.stderr);
  const got = await kubectl(ts, ["get", "configmap", "applied", "-n", "default", "-o", "jsonpath={.data}"]);
  assert.equal(got.stdout, '{"b":"2"}');
});
