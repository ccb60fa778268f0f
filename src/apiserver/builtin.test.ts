/** The REST core over the built-in kinds of src/api: protobuf bodies from kubectl, pod graceful deletion, deployments, services. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { builtinKinds, builtinSchemas, decodeProtobuf } from "../api/mod.ts";
import { kubectl, startTestServer, type TestServer } from "./testenv.ts";

const PODS = "/api/v1/namespaces/default/pods";

function pod(name: string, nodeName?: string): object {
  return { apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: "c", image: "busybox" }] } };
}

describe("built-in kinds", () => {
  let ts: TestServer;
  before(async () => {
    const schemas = builtinSchemas();
    ts = await startTestServer({ kinds: builtinKinds(), schemas, protobuf: (_k, body) => decodeProtobuf(schemas, body), eventTTLSeconds: 1 });
  });
  after(async () => {
    await ts.close();
  });

  it("accepts kubectl's protobuf bodies and prints built-in tables", async () => {
    const c = await kubectl(ts, ["create", "configmap", "pb", "--from-literal=a=b"]);
    assert.equal(c.code, 0, c.stderr);
    const cm = (await ts.request("GET", "/api/v1/namespaces/default/configmaps/pb")).json();
    assert.deepEqual(cm.data, { a: "b" });
    const ns = await kubectl(ts, ["create", "namespace", "other"]);
    assert.equal(ns.code, 0, ns.stderr);
    const get = await kubectl(ts, ["get", "ns"]);
    assert.match(get.stdout, /^other\s+Active\s+\d+s$/m);
  });

  it("deletes unscheduled pods at once and scheduled ones gracefully", async () => {
    assert.equal((await ts.request("POST", PODS, { body: pod("loose") })).status, 201);
    const d1 = await ts.request("DELETE", `${PODS}/loose`);
    assert.equal(d1.status, 200);
    assert.equal((await ts.request("GET", `${PODS}/loose`)).status, 404);

    const created = await ts.request("POST", PODS, { body: pod("bound", "node-1") });
    assert.equal(created.status, 201, created.body.toString());
    const d2 = (await ts.request("DELETE", `${PODS}/bound`)).json();
    assert.ok(d2.metadata.deletionTimestamp);
    assert.equal(d2.metadata.deletionGracePeriodSeconds, 30);
    assert.equal((await ts.request("GET", `${PODS}/bound`)).status, 200, "the kubelet finishes the deletion");
    const d3 = await ts.request("DELETE", `${PODS}/bound`, { body: { gracePeriodSeconds: 0 } });
    assert.equal(d3.status, 200);
    assert.equal((await ts.request("GET", `${PODS}/bound`)).status, 404);
  });

  it("bumps deployment generation on spec changes and serves its scale", async () => {
    const dep = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } } },
    };
    const c = await ts.request("POST", "/apis/apps/v1/namespaces/default/deployments", { body: dep });
    assert.equal(c.status, 201, c.body.toString());
    assert.equal(c.json().metadata.generation, 1);
    const s = await kubectl(ts, ["scale", "deployment", "web", "--replicas=3"]);
    assert.equal(s.code, 0, s.stderr);
    const after = (await ts.request("GET", "/apis/apps/v1/namespaces/default/deployments/web")).json();
    assert.equal(after.spec.replicas, 3);
    assert.equal(after.metadata.generation, 2);
    const scale = (await ts.request("GET", "/apis/apps/v1/namespaces/default/deployments/web/scale")).json();
    assert.equal(scale.status.selector, "app=web");
  });

  it("frees a service's cluster IP when the service is deleted", async () => {
    const svc = (ip?: string): object => ({ apiVersion: "v1", kind: "Service", metadata: { name: ip ? "again" : "first" }, spec: { ...(ip ? { clusterIP: ip } : {}), ports: [{ port: 80 }] } });
    const first = await ts.request("POST", "/api/v1/namespaces/default/services", { body: svc() });
    assert.equal(first.status, 201, first.body.toString());
    const ip = first.json().spec.clusterIP as string;
    assert.match(ip, /^10\.43\./);
    const dup = await ts.request("POST", "/api/v1/namespaces/default/services", { body: svc(ip) });
    assert.equal(dup.status, 422, "the address is held");
    assert.equal((await ts.request("DELETE", "/api/v1/namespaces/default/services/first")).status, 200);
    const again = await ts.request("POST", "/api/v1/namespaces/default/services", { body: svc(ip) });
    assert.equal(again.status, 201, again.body.toString());
  });

  it("lets events expire after the event TTL", async () => {
    const ev = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "e1" },
      involvedObject: { kind: "Pod", name: "p", namespace: "default" },
      reason: "Test",
      message: "hello",
      type: "Normal",
    };
    const c = await ts.request("POST", "/api/v1/namespaces/default/events", { body: ev });
    assert.equal(c.status, 201, c.body.toString());
    const deadline = Date.now() + 5000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await ts.request("GET", "/api/v1/namespaces/default/events/e1")).status;
    }
    assert.equal(status, 404);
  });

  it("serves events.k8s.io/v1 Events from core/v1 storage, converted both ways", async () => {
    const core = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "conv" },
      involvedObject: { kind: "Node", name: "n1" },
      reason: "Ready",
      message: "node ready",
      type: "Normal",
    };
    assert.equal((await ts.request("POST", "/api/v1/namespaces/default/events", { body: core })).status, 201);
    const ev = (await ts.request("GET", "/apis/events.k8s.io/v1/namespaces/default/events/conv")).json();
    assert.equal(ev.apiVersion, "events.k8s.io/v1");
    assert.equal(ev.regarding.name, "n1");
    assert.equal(ev.note, "node ready");
    const sel = (await ts.request("GET", "/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=regarding.name%3Dn1")).json();
    assert.deepEqual(sel.items.map((i: { metadata: { name: string } }) => i.metadata.name), ["conv"]);
    const made = await ts.request("POST", "/apis/events.k8s.io/v1/namespaces/default/events", {
      body: { apiVersion: "events.k8s.io/v1", kind: "Event", metadata: { name: "newer" }, regarding: { kind: "Pod", name: "p1", namespace: "default" }, reason: "Started", note: "hi", type: "Normal", action: "Start", reportingController: "kubelet", reportingInstance: "n1", eventTime: "2026-01-01T00:00:00.000000Z" },
    });
    assert.equal(made.status, 201, made.body.toString());
    const asCore = (await ts.request("GET", "/api/v1/namespaces/default/events/newer")).json();
    assert.equal(asCore.apiVersion, "v1");
    assert.equal(asCore.involvedObject.name, "p1");
    assert.equal(asCore.message, "hi");
  });
});
