/** LIST served from the watch cache: the body is byte for byte what the datastore path sends. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { configMap, startTestServer, type TestServer } from "../testenv.ts";

const CM = "/api/v1/namespaces/list-test/configmaps";

describe("LIST from the watch cache", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer();
    await ts.request("POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "list-test" } } });
    for (let i = 0; i < 20; i++) {
      const r = await ts.request("POST", CM, { body: configMap(`cm-${String(i).padStart(2, "0")}`, { k: `v${i} ü \u2028 "q"` }, { n: String(i % 3) }) });
      assert.equal(r.status, 201, r.body.toString());
    }
  });
  after(async () => {
    await ts.close();
  });

  it("answers resourceVersion=0 with the same bytes as the datastore at the same revision", async () => {
    const watched = await ts.request("GET", `${CM}?watch=true&resourceVersion=0&timeoutSeconds=1`); // lets the cache see every item
    assert.equal(watched.status, 200);
    const fromStore = await ts.request("GET", `${CM}?labelSelector=n%3D1`);
    const rv = fromStore.json().metadata.resourceVersion as string;
    const fromCache = await ts.request("GET", `${CM}?labelSelector=n%3D1&resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`);
    assert.equal(fromCache.status, 200);
    assert.equal(fromCache.json().metadata.resourceVersion, rv);
    assert.equal(fromCache.body.toString("utf8"), fromStore.body.toString("utf8"));
    assert.equal(fromCache.json().items.length, 7);
  });
});
