// Checks that the served group/versions get automanaged local APIServices
// with upstream's priorities, that the aggregator reports them Available
// (Local), that a custom resource's group comes and goes with its kind, and
// that a user's APIService is left alone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { builtinKinds, builtinSchemas } from "../../api/mod.ts";
import { inProcessClient } from "../../client/mod.ts";
import type { KindDef } from "../../api/kind.ts";
import { kubectl, startTestServer, type TestServer } from "../testenv.ts";
import { createAggregator, startAutoRegistration, type Aggregator, type AutoRegistration } from "./mod.ts";

let ts: TestServer;
let agg: Aggregator;
let auto: AutoRegistration;

before(async () => {
  ts = await startTestServer({ kinds: builtinKinds(), schemas: builtinSchemas() });
  const client = inProcessClient(ts.api.handler, { username: "system:apiserver", groups: ["system:masters"] });
  agg = createAggregator({ client, proxyClientCert: { cert: ts.pki.adminCert, key: ts.pki.adminKey } });
  agg.start();
  auto = startAutoRegistration({ client, kinds: ts.api.kinds, delayMs: 20 });
  await auto.synced();
});

after(async () => {
  auto?.stop();
  await agg?.stop();
  await ts?.close();
});

test("built-in group/versions are listed as Local APIServices", async () => {
  const r = await kubectl(ts, ["wait", "--for=condition=Available", "--timeout=20s", "apiservice/v1.apps", "apiservice/v2.autoscaling"]);
  assert.equal(r.code, 0, r.stderr);
  const apps = (await ts.request("GET", "/apis/apiregistration.k8s.io/v1/apiservices/v1.apps")).json();
  assert.deepEqual(apps.spec, { group: "apps", version: "v1", groupPriorityMinimum: 17800, versionPriority: 15 });
  assert.equal(apps.metadata.labels["kube-aggregator.kubernetes.io/automanaged"], "onstart");
  const table = await kubectl(ts, ["get", "apiservices"]);
  assert.match(table.stdout, /^v1\.apps\s+Local\s+True\s+/m);
  assert.match(table.stdout, /^v2\.autoscaling\s+Local\s+True\s+/m);
});

test("a custom resource's group/version is registered while served; a user's APIService is kept", async () => {
  const custom = { group: "stable.example.com", version: "v1", kind: "CronTab", listKind: "CronTabList", resource: "crontabs", singular: "crontab", namespaced: true, schemaRef: "x", customResource: true } as KindDef;
  ts.api.kinds.register(custom);
  await auto.synced();
  const made = await ts.request("GET", "/apis/apiregistration.k8s.io/v1/apiservices/v1.stable.example.com");
  assert.equal(made.status, 200);
  assert.equal(made.json().spec.groupPriorityMinimum, 1000);
  assert.equal(made.json().metadata.labels["kube-aggregator.kubernetes.io/automanaged"], "true");
  const mine = await ts.request("POST", "/apis/apiregistration.k8s.io/v1/apiservices", {
    body: { apiVersion: "apiregistration.k8s.io/v1", kind: "APIService", metadata: { name: "v1.mine.example.com" }, spec: { group: "mine.example.com", version: "v1", groupPriorityMinimum: 10, versionPriority: 10 } },
  });
  assert.equal(mine.status, 201);
  ts.api.kinds.unregister(custom);
  await auto.synced();
  assert.equal((await ts.request("GET", "/apis/apiregistration.k8s.io/v1/apiservices/v1.stable.example.com")).status, 404);
  assert.equal((await ts.request("GET", "/apis/apiregistration.k8s.io/v1/apiservices/v1.mine.example.com")).status, 200);
});
