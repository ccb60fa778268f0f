/**
 * Webhook admission against a real HTTPS webhook server (its own CA, given
 * as caBundle), reached by URL and through a Service resolved to an
 * EndpointSlice, driven by kubectl 1.32: JSONPatch mutations stored,
 * denials with upstream's message and code, namespace/object selectors,
 * rule matching, timeouts under failurePolicy Fail and Ignore, and dry runs
 * flagged in the review.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { builtinKinds, builtinSchemas, decodeProtobuf } from "../../api/mod.ts";
import { inProcessClient } from "../../client/mod.ts";
import type { ApiHandler } from "../request.ts";
import { kubectl, startTestServer, type TestServer } from "../testenv.ts";
import { createWebhookAdmission, type AdmissionReview, type WebhookAdmission } from "./mod.ts";
import { makeServingCerts } from "./testcerts.ts";

let ts: TestServer;
let hooks: WebhookAdmission;
let webhook: Server;
let port = 0;
let caBundle = "";
const received: { path: string; review: AdmissionReview }[] = [];

function respond(review: AdmissionReview, response: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: review.request?.uid, ...response } });
}

function serveWebhook(path: string, review: AdmissionReview): Promise<string> | string {
  const req = review.request as { object?: { metadata?: { labels?: Record<string, string> }; data?: Record<string, string> } };
  if (path === "/mutate") {
    const ops = req.object?.metadata?.labels ? [{ op: "add", path: "/metadata/labels/mutated", value: "true" }] : [{ op: "add", path: "/metadata/labels", value: { mutated: "true" } }];
    return respond(review, { allowed: true, patchType: "JSONPatch", patch: Buffer.from(JSON.stringify(ops)).toString("base64") });
  }
  if (path === "/validate") {
    const data = req.object?.data ?? {};
    if ("forbidden" in data) return respond(review, { allowed: false, status: { code: 403, reason: "Forbidden", message: "the forbidden key is not allowed" } });
    if ("plain" in data) return respond(review, { allowed: false, status: { message: "plain denial" } });
    return respond(review, { allowed: true });
  }
  if (path === "/slow") return new Promise((resolve) => setTimeout(() => resolve(respond(review, { allowed: true })), 2500));
  return respond(review, { allowed: true });
}

let handler: ApiHandler | undefined;

before(async () => {
  const schemas = builtinSchemas();
  const client = inProcessClient((req) => handler!(req), { username: "system:apiserver", groups: ["system:masters"] });
  hooks = createWebhookAdmission({ client });
  ts = await startTestServer({ kinds: builtinKinds(), schemas, admission: hooks, protobuf: (_k, body) => decodeProtobuf(schemas, body) });
  handler = ts.api.handler;
  hooks.start();
  await hooks.ready();
  const certs = makeServingCerts(ts.dir, ["DNS:hooks.webhooks.svc", "IP:127.0.0.1"]);
  caBundle = certs.caBundle;
  webhook = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const review = JSON.parse(Buffer.concat(chunks).toString()) as AdmissionReview;
      const path = (req.url ?? "").split("?")[0];
      received.push({ path: req.url ?? "", review });
      const out = await serveWebhook(path, review);
      if (!res.destroyed) res.writeHead(200, { "content-type": "application/json" }).end(out);
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
  port = (webhook.address() as AddressInfo).port;
  const yaml = `apiVersion: v1
kind: Namespace
metadata: {name: webhooks}
---
apiVersion: v1
kind: Namespace
metadata: {name: guarded, labels: {webhook: enabled}}
---
apiVersion: v1
kind: Service
metadata: {name: hooks, namespace: webhooks}
spec:
  ports: [{name: https, port: 443, targetPort: ${port}}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: hooks-1, namespace: webhooks, labels: {kubernetes.io/service-name: hooks}}
addressType: IPv4
endpoints: [{addresses: ["127.0.0.1"], conditions: {ready: true}}]
ports: [{name: https, port: ${port}, protocol: TCP}]
`;
  const r = await kubectl(ts, ["apply", "-f", "-"], yaml);
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  hooks?.stop();
  webhook?.closeAllConnections();
  await new Promise((resolve) => webhook?.close(resolve));
  await ts?.close();
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await kubectl(ts, args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

/** Applies a webhook configuration and waits until the admission informers have it. */
async function configure(yaml: string, check: () => Promise<boolean>): Promise<void> {
  await ok(["apply", "-f", "-"], yaml);
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
}

test("a mutating webhook behind a Service patches objects it matches", async () => {
  await configure(
    `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: labeller}
webhooks:
- name: labeller.example.com
  clientConfig:
    service: {namespace: webhooks, name: hooks, path: /mutate}
    caBundle: ${caBundle}
  rules: [{operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [configmaps]}]
  objectSelector: {matchExpressions: [{key: skip, operator: DoesNotExist}]}
  sideEffects: None
  admissionReviewVersions: [v1]
`,
    async () => {
      received.length = 0;
      await ok(["create", "configmap", "probe-" + Math.random().toString(36).slice(2, 8), "-n", "webhooks"]);
      return received.some((r) => r.path.startsWith("/mutate"));
    },
  );
  received.length = 0;
  await ok(["create", "configmap", "m1", "--from-literal=a=b"]);
  const cm = JSON.parse(await ok(["get", "configmap", "m1", "-o", "json"]));
  assert.equal(cm.metadata.labels.mutated, "true");
  const sent = received.find((r) => r.path.startsWith("/mutate"));
  assert.ok(sent, "the webhook was called");
  assert.equal(sent.path, "/mutate?timeout=10s");
  const req = sent.review.request as Record<string, unknown>;
  assert.equal(req.operation, "CREATE");
  assert.equal(req.namespace, "default");
  assert.equal(req.name, "m1");
  assert.deepEqual(req.kind, { group: "", version: "v1", kind: "ConfigMap" });
  assert.deepEqual(req.resource, { group: "", version: "v1", resource: "configmaps" });
  assert.equal((req.userInfo as { username: string }).username, "admin");
  assert.deepEqual((req.object as { data: unknown }).data, { a: "b" });

  received.length = 0;
  await ok(["create", "-f", "-"], "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m2, labels: {skip: \"yes\"}}\n");
  assert.equal(JSON.parse(await ok(["get", "configmap", "m2", "-o", "json"])).metadata.labels.mutated, undefined, "objectSelector excludes");
  await ok(["label", "configmap", "m2", "x=y"]);
  await ok(["create", "secret", "generic", "s1"]);
  assert.equal(received.filter((r) => r.path.startsWith("/mutate")).length, 0, "updates and other resources are not sent");
});

test("a validating webhook by URL denies with its message and code, only in selected namespaces", async () => {
  await configure(
    `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: guard}
webhooks:
- name: deny.example.com
  clientConfig:
    url: https://127.0.0.1:${port}/validate
    caBundle: ${caBundle}
  rules: [{operations: [CREATE, UPDATE], apiGroups: [""], apiVersions: ["*"], resources: [configmaps], scope: Namespaced}]
  namespaceSelector: {matchLabels: {webhook: enabled}}
  sideEffects: None
  admissionReviewVersions: [v1]
`,
    async () => {
      const r = await kubectl(ts, ["create", "configmap", "probe", "-n", "guarded", "--dry-run=server", "--from-literal=forbidden=1"]);
      return r.code !== 0;
    },
  );
  const denied = await kubectl(ts, ["create", "configmap", "v1", "-n", "guarded", "--from-literal=forbidden=1"]);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /admission webhook "deny\.example\.com" denied the request: the forbidden key is not allowed/);
  const raw = await ts.request("POST", "/api/v1/namespaces/guarded/configmaps", { body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "v2" }, data: { forbidden: "1" } } });
  assert.equal(raw.status, 403);
  assert.equal(raw.json().reason, "Forbidden");
  const plain = await ts.request("POST", "/api/v1/namespaces/guarded/configmaps", { body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "v3" }, data: { plain: "1" } } });
  assert.equal(plain.status, 400, "a denial without a code is a 400");
  assert.equal(plain.json().message, 'admission webhook "deny.example.com" denied the request: plain denial');
  await ok(["create", "configmap", "v4", "-n", "default", "--from-literal=forbidden=1"]);
  await ok(["create", "configmap", "v5", "-n", "guarded", "--from-literal=fine=1"]);
  const upd = await kubectl(ts, ["patch", "configmap", "v5", "-n", "guarded", "--type=merge", "-p", '{"data":{"forbidden":"now"}}']);
  assert.notEqual(upd.code, 0);
  assert.match(upd.stderr, /denied the request: the forbidden key is not allowed/);
  assert.equal(JSON.parse(await ok(["get", "configmap", "v5", "-n", "guarded", "-o", "json"])).data.forbidden, undefined);
});

test("failing webhooks: Fail refuses with 500, Ignore lets the request through; dry runs are flagged", async () => {
  const config = (policy: string, sideEffects: string): string => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: slow}
webhooks:
- name: slow.example.com
  clientConfig:
    url: https://127.0.0.1:${port}/slow
    caBundle: ${caBundle}
  rules: [{operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [secrets]}]
  failurePolicy: ${policy}
  timeoutSeconds: 1
  sideEffects: ${sideEffects}
  admissionReviewVersions: [v1]
`;
  await configure(config("Fail", "None"), async () => (await ts.request("POST", "/api/v1/namespaces/default/secrets?dryRun=All", { body: { apiVersion: "v1", kind: "Secret", metadata: { name: "probe" } } })).status === 500);
  const r = await ts.request("POST", "/api/v1/namespaces/default/secrets", { body: { apiVersion: "v1", kind: "Secret", metadata: { name: "s-fail" } } });
  assert.equal(r.status, 500);
  assert.match(r.json().message, /^Internal error occurred: failed calling webhook "slow\.example\.com": failed to call webhook: Post "https:\/\/127\.0\.0\.1:\d+\/slow\?timeout=1s": context deadline exceeded$/);

  await configure(config("Ignore", "NoneOnDryRun"), async () => (await ts.request("POST", "/api/v1/namespaces/default/secrets?dryRun=All", { body: { apiVersion: "v1", kind: "Secret", metadata: { name: "probe" } } })).status === 201);
  received.length = 0;
  const dry = await ts.request("POST", "/api/v1/namespaces/default/secrets?dryRun=All", { body: { apiVersion: "v1", kind: "Secret", metadata: { name: "s-dry" } } });
  assert.equal(dry.status, 201);
  assert.equal((received.find((r) => r.path.startsWith("/slow"))?.review.request as { dryRun?: boolean } | undefined)?.dryRun, true);
  const started = Date.now();
  const ignored = await ts.request("POST", "/api/v1/namespaces/default/secrets", { body: { apiVersion: "v1", kind: "Secret", metadata: { name: "s-ignore" } } });
  assert.equal(ignored.status, 201);
  assert.ok(Date.now() - started >= 900, "the webhook was waited for until its timeout");
  await ok(["delete", "validatingwebhookconfiguration", "slow"]);
});
