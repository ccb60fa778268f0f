// Drives the real kubectl 1.32 against a small HTTPS server that serves
// legacy discovery, our generated OpenAPI v3 and a toy object store, to
// check what kubectl does with the documents: `explain` renders fields,
// `apply` runs without --validate=false (sending fieldValidation=Strict),
// re-applies patch built-ins with strategic merge and custom resources with
// merge patch.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import type { Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { buildOpenApiV3 } from "./build.ts";
import { serveOpenApi } from "./serve.ts";
import { testKinds, testSchemas } from "./testkinds.ts";

const KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";
const docs = buildOpenApiV3(testKinds, testSchemas);
let dir = "";
let server: Server;
const requests: { method: string; path: string; query: string; contentType?: string; body: string }[] = [];
const store = new Map<string, Record<string, unknown>>();

const resourceLists: Record<string, unknown> = {
  "/api/v1": { kind: "APIResourceList", groupVersion: "v1", resources: [{ name: "configmaps", singularName: "configmap", namespaced: true, kind: "ConfigMap", shortNames: ["cm"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"] }] },
  "/apis/apps/v1": {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: "apps/v1",
    resources: [
      { name: "deployments", singularName: "deployment", namespaced: true, kind: "Deployment", shortNames: ["deploy"], verbs: ["create", "delete", "get", "list", "patch", "update", "watch"] },
      { name: "deployments/scale", singularName: "", namespaced: true, group: "autoscaling", version: "v1", kind: "Scale", verbs: ["get", "patch", "update"] },
      { name: "deployments/status", singularName: "", namespaced: true, kind: "Deployment", verbs: ["get", "patch", "update"] },
    ],
  },
  "/apis/example.com/v1": { kind: "APIResourceList", apiVersion: "v1", groupVersion: "example.com/v1", resources: [{ name: "widgets", singularName: "widget", namespaced: true, kind: "Widget", verbs: ["create", "delete", "get", "list", "patch", "update", "watch"] }] },
};

function groups(): unknown {
  const g = (name: string) => ({ name, versions: [{ groupVersion: `${name}/v1`, version: "v1" }], preferredVersion: { groupVersion: `${name}/v1`, version: "v1" } });
  return { kind: "APIGroupList", apiVersion: "v1", groups: [g("apps"), g("example.com")] };
}

function handle(method: string, url: URL, headers: Record<string, string | undefined>, body: string): { status: number; headers?: Record<string, string>; body?: Buffer | string } {
  const json = (status: number, value: unknown) => ({ status, headers: { "content-type": "application/json" }, body: JSON.stringify(value) });
  const openapi = serveOpenApi(docs, { path: url.pathname, query: url.searchParams, headers });
  if (openapi) return { status: openapi.status, headers: openapi.headers, body: openapi.body as Buffer | undefined };
  if (url.pathname === "/version") return json(200, { major: "1", minor: "32", gitVersion: "v1.32.0+k3s-ts" });
  if (url.pathname === "/api") return json(200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1" }] });
  if (url.pathname === "/apis") return json(200, groups());
  if (resourceLists[url.pathname]) return json(200, resourceLists[url.pathname]);
  requests.push({ method, path: url.pathname, query: url.search, contentType: headers["content-type"], body });
  const m = /^(.*\/namespaces\/default\/[a-z]+)(?:\/([^/]+))?$/.exec(url.pathname);
  if (!m) return json(404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 });
  const key = m[2] ? `${m[1]}/${m[2]}` : "";
  const notFound = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason: "NotFound", message: `"${m[2]}" not found`, details: { name: m[2] }, code: 404 };
  if (method === "GET") return store.has(key) ? json(200, store.get(key)) : json(404, notFound);
  if (method === "POST") {
    const obj = JSON.parse(body) as { metadata: { name: string; resourceVersion?: string } };
    obj.metadata.resourceVersion = "1";
    store.set(`${m[1]}/${obj.metadata.name}`, obj);
    return json(201, obj);
  }
  if (method === "PATCH") {
    const current = store.get(key);
    return current ? json(200, current) : json(404, notFound);
  }
  return json(405, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "MethodNotAllowed", code: 405 });
}

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(KUBECTL, ["--kubeconfig", join(dir, "kubeconfig"), "--cache-dir", join(dir, "cache"), ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "k3s-ts-openapi-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=test", "-addext", "subjectAltName=IP:127.0.0.1"], { cwd: dir, stdio: "pipe" });
  server = createServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "https://localhost");
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      const out = handle(req.method ?? "GET", url, headers, Buffer.concat(chunks).toString());
      res.writeHead(out.status, out.headers ?? {});
      res.end(out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  writeFileSync(
    join(dir, "kubeconfig"),
    `apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n    server: https://127.0.0.1:${port}\n    certificate-authority: ${join(dir, "cert.pem")}\nusers:\n- name: t\n  user:\n    token: test-token\ncontexts:\n- name: t\n  context:\n    cluster: t\n    user: t\n    namespace: default\ncurrent-context: t\n`,
  );
});

after(() => {
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("kubectl explain renders fields from the generated documents", { skip: !existsSync(KUBECTL) }, async () => {
  const data = await kubectl("explain", "configmap.data");
  assert.equal(data.code, 0, data.stderr);
  assert.match(data.stdout, /KIND:\s+ConfigMap/);
  assert.match(data.stdout, /FIELD:\s+data <map\[string\]string>/);
  assert.match(data.stdout, /The configuration data, as strings\./);
  const containers = await kubectl("explain", "deployment.spec.template.spec.containers");
  assert.equal(containers.code, 0, containers.stderr);
  assert.match(containers.stdout, /FIELD:\s+containers <\[\]Container>/);
  assert.match(containers.stdout, /name\s+<string> -required-/);
  const top = await kubectl("explain", "deployments");
  assert.match(top.stdout, /namespaced apps\/v1 resource/);
});

test("kubectl apply validates through the server and patches built-ins strategically, CRs with merge patch", { skip: !existsSync(KUBECTL) }, async () => {
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const cm = (v: string) => write("cm.yaml", `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\ndata:\n  k: "${v}"\n`);
  const created = await kubectl("apply", "-f", cm("1"));
  assert.equal(created.code, 0, created.stderr);
  const post = requests.find((r) => r.method === "POST" && r.path.endsWith("/configmaps"));
  assert.ok(post, JSON.stringify(requests));
  assert.match(post.query, /fieldValidation=Strict/);
  const updated = await kubectl("apply", "-f", cm("2"));
  assert.equal(updated.code, 0, updated.stderr);
  const patch = requests.find((r) => r.method === "PATCH" && r.path.endsWith("/configmaps/c1"));
  assert.equal(patch?.contentType, "application/strategic-merge-patch+json");
  assert.match(patch?.body ?? "", /"k":"2"/);

  const widget = (size: number) => write("w.yaml", `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: ${size}\n`);
  assert.equal((await kubectl("apply", "-f", widget(1))).code, 0);
  const crUpdate = await kubectl("apply", "-f", widget(2));
  assert.equal(crUpdate.code, 0, crUpdate.stderr);
  const crPatch = requests.find((r) => r.method === "PATCH" && r.path.endsWith("/widgets/w1"));
  assert.equal(crPatch?.contentType, "application/merge-patch+json");
});
