/** Kinds registered at run time (as CRDs are), several versions over one storage, deletecollection, single-object watch, rv edge cases. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KindDef } from "../api/kind.ts";
import { configMap, startTestServer, testKinds, type TestServer } from "./testenv.ts";

const CM = "/api/v1/namespaces/default/configmaps";

function gadget(version: string): KindDef {
  return {
    group: "example.com",
    version,
    kind: "Gadget",
    listKind: "GadgetList",
    resource: "gadgets",
    singular: "gadget",
    namespaced: false,
    schemaRef: `com.example.${version}.Gadget`,
  };
}

describe("run-time kinds and edge cases", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer();
  });
  after(async () => {
    await ts.close();
  });

  it("serves kinds registered at run time in discovery and REST, sharing storage across versions", async () => {
    assert.equal((await ts.request("GET", "/apis/example.com/v1/gadgets")).status, 404);
    ts.api.kinds.register(gadget("v1"));
    ts.api.kinds.register(gadget("v1beta1"));
    const groups = (await ts.request("GET", "/apis")).json();
    const g = groups.groups.find((x: { name: string }) => x.name === "example.com");
    assert.equal(g.preferredVersion.version, "v1");
    const made = await ts.request("POST", "/apis/example.com/v1beta1/gadgets", { body: { apiVersion: "example.com/v1beta1", kind: "Gadget", metadata: { name: "g1" }, spec: { size: 1 } } });
    assert.equal(made.status, 201, made.body.toString());
    const asV1 = (await ts.request("GET", "/apis/example.com/v1/gadgets/g1")).json();
    assert.equal(asV1.apiVersion, "example.com/v1");
    assert.deepEqual(asV1.spec, { size: 1 });
    // strategic merge is refused for custom resources, as upstream
    const smp = await ts.request("PATCH", "/apis/example.com/v1/gadgets/g1", { body: { spec: { size: 2 } }, headers: { "content-type": "application/strategic-merge-patch+json" } });
    assert.equal(smp.status, 415);
    ts.api.kinds.unregister({ group: "example.com", version: "v1beta1", resource: "gadgets" });
    assert.equal((await ts.request("GET", "/apis/example.com/v1beta1/gadgets/g1")).status, 404);
    assert.equal((await ts.request("GET", "/apis/example.com/v1/gadgets/g1")).status, 200);
  });

  it("deletes collections by selector and answers the deleted items", async () => {
    for (const n of ["dc1", "dc2", "dc3"]) await ts.request("POST", CM, { body: configMap(n, {}, { batch: n === "dc3" ? "keep" : "drop" }) });
    const r = await ts.request("DELETE", `${CM}?labelSelector=batch%3Ddrop`);
    assert.equal(r.status, 200, r.body.toString());
    assert.equal(r.json().kind, "ConfigMapList");
    assert.deepEqual(r.json().items.map((i: { metadata: { name: string } }) => i.metadata.name).sort(), ["dc1", "dc2"]);
    assert.equal((await ts.request("GET", `${CM}/dc3`)).status, 200);
    assert.equal((await ts.request("GET", `${CM}/dc1`)).status, 404);
  });

  it("answers single-object watches under /watch/ and too-large resourceVersions", async () => {
    await ts.request("POST", CM, { body: configMap("one") });
    await ts.request("POST", CM, { body: configMap("two") });
    const r = await ts.api.handler({
      method: "GET",
      path: "/api/v1/watch/namespaces/default/configmaps/one",
      query: new URLSearchParams("timeoutSeconds=1"),
      headers: {},
      user: { username: "admin", groups: ["system:masters"] },
      signal: new AbortController().signal,
    });
    const lines: string[] = [];
    for await (const chunk of r.body as AsyncIterable<Buffer>) lines.push(...chunk.toString().split("\n").filter((l) => l));
    assert.deepEqual(lines.map((l) => JSON.parse(l).object.metadata.name), ["one"]);
    const future = await ts.request("GET", `${CM}?resourceVersion=999999`);
    assert.equal(future.status, 504);
    assert.match(future.json().message, /^Too large resource version: 999999, current: \d+$/);
    const exact = await ts.request("GET", `${CM}?resourceVersion=999999&resourceVersionMatch=Exact`);
    assert.equal(exact.status, 504);
    const badMatch = await ts.request("GET", `${CM}?resourceVersionMatch=Exact`);
    assert.equal(badMatch.status, 400);
  });

  it("sends single-row Tables on watches that accept Tables", async () => {
    const r = await ts.api.handler({
      method: "GET",
      path: CM,
      query: new URLSearchParams("watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Done"),
      headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" },
      user: { username: "admin", groups: ["system:masters"] },
      signal: new AbortController().signal,
    });
    const events: { type: string; object: { kind: string; rows: { cells: unknown[] }[] } }[] = [];
    for await (const chunk of r.body as AsyncIterable<Buffer>) for (const l of chunk.toString().split("\n")) if (l) events.push(JSON.parse(l));
    assert.equal(events[0].type, "ADDED");
    assert.equal(events[0].object.kind, "Table");
    assert.equal(events[0].object.rows.length, 1);
    assert.equal(events[0].object.rows[0].cells[0], "one");
    assert.ok(testKinds().length > 0);
  });
});
