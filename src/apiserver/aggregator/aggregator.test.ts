/**
 * API aggregation against a small real HTTPS backend that requires the
 * front-proxy client certificate and serves an APIResourceList and a
 * resource: the APIService becomes Available, kubectl 1.32 discovers and
 * reads the group through the proxy with the user in X-Remote-* headers,
 * authorization happens in front, and a backend without endpoints turns
 * the APIService unavailable and proxied requests into 503s.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:https";
import type { IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { builtinKinds, builtinSchemas, decodeProtobuf } from "../../api/mod.ts";
import { inProcessClient } from "../../client/mod.ts";
import { createAuthenticator } from "../auth/mod.ts";
import { serveHttps } from "../mod.ts";
import { makeServingCerts } from "../admission/testcerts.ts";
import { kubectl, startTestServer, type TestServer } from "../testenv.ts";
import { createAggregator, publishAuthenticationConfig, type Aggregator } from "./mod.ts";

let ts: TestServer;
let agg: Aggregator;
let backend: Server;
let front: { server: Server; close(): Promise<void> };
let frontPort = 0;
let kc: { kubeconfig: string; dir: string };
const seen: { path: string; headers: IncomingHttpHeaders; clientCN?: string }[] = [];
let onWatchClosed: () => void = () => undefined;
const watchClosed = new Promise<void>((resolve) => (onWatchClosed = resolve));

const RESOURCES = {
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion: "metrics.k8s.io/v1beta1",
  resources: [
    { name: "nodes", singularName: "", namespaced: false, kind: "NodeMetrics", verbs: ["get", "list"] },
    { name: "pods", singularName: "", namespaced: true, kind: "PodMetrics", verbs: ["get", "list"] },
  ],
};

const NODES = {
  kind: "NodeMetricsList",
  apiVersion: "metrics.k8s.io/v1beta1",
  metadata: {},
  items: [{ metadata: { name: "n1", creationTimestamp: "2026-01-01T00:00:00Z" }, timestamp: "2026-01-01T00:00:00Z", window: "10s", usage: { cpu: "100m", memory: "64Mi" } }],
};

before(async () => {
  const schemas = builtinSchemas();
  ts = await startTestServer({ kinds: builtinKinds(), schemas, protobuf: (_k, body) => decodeProtobuf(schemas, body) });
  const serving = makeServingCerts(ts.dir, ["DNS:metrics-server.kube-system.svc"]);
  backend = createServer({ cert: serving.cert, key: serving.key, ca: ts.pki.caCert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    seen.push({ path: req.url ?? "", headers: req.headers, clientCN: peer?.subject?.CN === undefined ? undefined : String(peer.subject.CN) });
    const path = (req.url ?? "").split("?")[0];
    const send = (code: number, v: unknown): void => void res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(v));
    if (path === "/apis/metrics.k8s.io/v1beta1") return send(200, RESOURCES);
    if (path === "/apis/metrics.k8s.io/v1beta1/nodes") return send(200, NODES);
    if (path === "/apis/metrics.k8s.io/v1beta1/pods" && (req.url ?? "").includes("watch=true")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(JSON.stringify({ type: "ADDED", object: { kind: "PodMetrics", apiVersion: "metrics.k8s.io/v1beta1", metadata: { name: "p", namespace: "default" } } }) + "\n");
      res.on("close", () => onWatchClosed());
      return;
    }
    if (path === "/apis/metrics.k8s.io/v1beta1/nodes/n1") return send(200, { ...NODES.items[0], kind: "NodeMetrics", apiVersion: "metrics.k8s.io/v1beta1" });
    send(404, { kind: "Status", apiVersion: "v1", status: "Failure", code: 404, reason: "NotFound", message: "not here" });
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  const backendPort = (backend.address() as AddressInfo).port;

  const client = inProcessClient(ts.api.handler, { username: "system:apiserver", groups: ["system:masters"] });
  agg = createAggregator({
    client,
    proxyClientCert: { cert: ts.pki.adminCert, key: ts.pki.adminKey },
    recheckMs: 300,
    authorizer: { authorize: async (a) => ({ allowed: a.user.username !== "alice" }) },
  });
  agg.start();
  await agg.ready();
  front = await serveHttps({
    handler: agg.wrap(ts.api.handler),
    authenticator: createAuthenticator({ clientCA: ts.pki.caCert }),
    key: ts.pki.serverKey,
    cert: ts.pki.serverCert,
    clientCA: ts.pki.caCert,
    host: "127.0.0.1",
    port: 0,
  });
  frontPort = (front.server.address() as AddressInfo).port;
  kc = { kubeconfig: join(ts.dir, "front.kubeconfig"), dir: join(ts.dir) };
  writeFileSync(kc.kubeconfig, readFileSync(ts.kubeconfig, "utf8").replace(ts.url, `https://127.0.0.1:${frontPort}`));

  const r = await kubectl(
    kc,
    ["apply", "-f", "-"],
    `apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
---
apiVersion: v1
kind: Service
metadata: {name: metrics-server, namespace: kube-system}
spec:
  ports: [{name: https, port: 443, targetPort: ${backendPort}}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: metrics-server-1, namespace: kube-system, labels: {kubernetes.io/service-name: metrics-server}}
addressType: IPv4
endpoints: [{addresses: ["127.0.0.1"], conditions: {ready: true}}]
ports: [{name: https, port: ${backendPort}, protocol: TCP}]
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.metrics.k8s.io}
spec:
  group: metrics.k8s.io
  version: v1beta1
  service: {name: metrics-server, namespace: kube-system, port: 443}
  caBundle: ${serving.caBundle}
  groupPriorityMinimum: 100
  versionPriority: 100
`,
  );
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  await agg?.stop();
  await front?.close();
  backend?.closeAllConnections();
  await new Promise((resolve) => backend?.close(resolve));
  await ts?.close();
});

async function ok(args: string[]): Promise<string> {
  const r = await kubectl(kc, args);
  assert.equal(r.code, 0, `kubectl ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

function get(path: string, cred: { cert: string; key: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: frontPort, path, ca: ts.pki.caCert, ...cred }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("an APIService backed by a Service becomes Available and is discovered and proxied", async () => {
  await ok(["wait", "--for=condition=Available", "--timeout=20s", "apiservice/v1beta1.metrics.k8s.io"]);
  const svc = JSON.parse(await ok(["get", "apiservice", "v1beta1.metrics.k8s.io", "-o", "json"]));
  const cond = svc.status.conditions.find((c: { type: string }) => c.type === "Available");
  assert.equal(cond.reason, "Passed");
  const check = seen.find((s) => s.path === "/apis/metrics.k8s.io/v1beta1");
  assert.equal(check?.clientCN, "admin", "the backend saw the front-proxy client certificate");

  const resources = await ok(["api-resources", "--api-group=metrics.k8s.io"]);
  assert.match(resources, /nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics/);
  assert.match(resources, /pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics/);
  assert.match(await ok(["api-versions"]), /^metrics\.k8s\.io\/v1beta1$/m);

  seen.length = 0;
  assert.equal((await ok(["get", "nodes.metrics.k8s.io", "-o", "name"])).trim(), "nodemetrics.metrics.k8s.io/n1");
  const raw = JSON.parse(await ok(["get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes/n1"]));
  assert.deepEqual(raw.usage, { cpu: "100m", memory: "64Mi" });
  const proxied = seen.find((s) => s.path.startsWith("/apis/metrics.k8s.io/v1beta1/nodes"));
  assert.equal(proxied?.headers["x-remote-user"], "admin");
  assert.match(String(proxied?.headers["x-remote-group"]), /system:masters/);
  assert.equal(proxied?.headers.authorization, undefined);

  const group = await get("/apis/metrics.k8s.io", { cert: ts.pki.adminCert, key: ts.pki.adminKey });
  assert.equal(JSON.parse(group.body).preferredVersion.groupVersion, "metrics.k8s.io/v1beta1");
});

test("proxied requests are authorized in front", async () => {
  seen.length = 0;
  const denied = await get("/apis/metrics.k8s.io/v1beta1/nodes", { cert: ts.pki.userCert, key: ts.pki.userKey });
  assert.equal(denied.status, 403);
  assert.match(JSON.parse(denied.body).message, /User "alice" cannot list resource "nodes" in API group "metrics\.k8s\.io" at the cluster scope/);
  assert.equal(seen.length, 0, "the backend was not called");
});

test("a watch streams through the proxy and ends at the backend when the client leaves", async () => {
  const first = await new Promise<string>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: frontPort, path: "/apis/metrics.k8s.io/v1beta1/pods?watch=true", ca: ts.pki.caCert, cert: ts.pki.adminCert, key: ts.pki.adminKey }, (res) => {
      res.once("data", (c: Buffer) => {
        resolve(c.toString());
        req.destroy();
      });
    });
    req.on("error", (err) => (err.message.includes("socket hang up") ? undefined : reject(err)));
    req.end();
  });
  assert.equal(JSON.parse(first.trim()).type, "ADDED");
  const closed = await Promise.race([watchClosed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))]);
  assert.ok(closed, "the backend's watch was closed");
});

test("without endpoints the APIService turns unavailable and requests get 503", async () => {
  await ok(["delete", "endpointslice", "-n", "kube-system", "metrics-server-1"]);
  await ok(["wait", "--for=condition=Available=false", "--timeout=20s", "apiservice/v1beta1.metrics.k8s.io"]);
  const svc = JSON.parse(await ok(["get", "apiservice", "v1beta1.metrics.k8s.io", "-o", "json"]));
  assert.equal(svc.status.conditions.find((c: { type: string }) => c.type === "Available").reason, "MissingEndpoints");
  const r = await get("/apis/metrics.k8s.io/v1beta1/nodes", { cert: ts.pki.adminCert, key: ts.pki.adminKey });
  assert.equal(r.status, 503);
  assert.match(JSON.parse(r.body).message, /^error trying to reach service: service "metrics-server" does not have ready endpoints$/);
  await ok(["delete", "apiservice", "v1beta1.metrics.k8s.io"]);
  for (let i = 0; i < 50 && (await get("/apis/metrics.k8s.io/v1beta1/nodes", { cert: ts.pki.adminCert, key: ts.pki.adminKey })).status !== 404; i++) await new Promise((res) => setTimeout(res, 50));
  assert.equal((await get("/apis/metrics.k8s.io/v1beta1/nodes", { cert: ts.pki.adminCert, key: ts.pki.adminKey })).status, 404);
});

test("extension-apiserver-authentication is published and kept current", async () => {
  const client = inProcessClient(ts.api.handler, { username: "system:apiserver", groups: ["system:masters"] });
  await publishAuthenticationConfig(client, { clientCA: "ca-1", requestHeaderCA: "rh-1", allowedNames: ["system:auth-proxy"] });
  await publishAuthenticationConfig(client, { clientCA: "ca-2", requestHeaderCA: "rh-1", allowedNames: ["system:auth-proxy"] });
  const cm = JSON.parse(await ok(["get", "configmap", "-n", "kube-system", "extension-apiserver-authentication", "-o", "json"]));
  assert.equal(cm.data["client-ca-file"], "ca-2");
  assert.equal(cm.data["requestheader-client-ca-file"], "rh-1");
  assert.equal(cm.data["requestheader-allowed-names"], '["system:auth-proxy"]');
  assert.equal(cm.data["requestheader-username-headers"], '["X-Remote-User"]');
  assert.equal(cm.data["requestheader-group-headers"], '["X-Remote-Group"]');
  assert.equal(cm.data["requestheader-extra-headers-prefix"], '["X-Remote-Extra-"]');
});
