/** @kubernetes/client-node 1.4's informer against the API server: list+watch, reconnects, and a relist after 410. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CoreV1Api, KubeConfig, makeInformer, type V1ConfigMap } from "@kubernetes/client-node";
import { configMap, startTestServer, type TestServer } from "./testenv.ts";

const CM = "/api/v1/namespaces/default/configmaps";

async function until(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("client-node informer", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({ watchCacheCapacity: 2 });
    await ts.request("POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "other" } } });
  });
  after(async () => {
    await ts.close();
  });

  it("follows adds, updates and deletes, and relists after a 410", async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(ts.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    let lists = 0;
    const informer = makeInformer<V1ConfigMap>(kc, CM, () => {
      lists++;
      return core.listNamespacedConfigMap({ namespace: "default" });
    });
    const seen: string[] = [];
    informer.on("add", (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on("update", (o) => seen.push(`update ${o.metadata?.name} ${o.data?.v}`));
    informer.on("delete", (o) => seen.push(`delete ${o.metadata?.name}`));
    // client-node leaves restarting after a transport error to its user, as its README shows
    let stopped = false;
    informer.on("error", () => {
      if (!stopped) setTimeout(() => void informer.start(), 100);
    });
    await ts.request("POST", CM, { body: configMap("before", { v: "0" }) });
    await informer.start();
    try {
      await until("initial add", () => seen.includes("add before"));
      await ts.request("POST", CM, { body: configMap("i1", { v: "1" }) });
      await ts.request("PATCH", `${CM}/i1`, { body: { data: { v: "2" } }, headers: { "content-type": "application/merge-patch+json" } });
      await ts.request("DELETE", `${CM}/before`);
      await until("watch events", () => seen.includes("add i1") && seen.includes("update i1 2") && seen.includes("delete before"));
      assert.equal(lists, 1);

      // writes elsewhere push the informer's revision out of the ring, compaction removes it from the
      // datastore; a dropped connection then makes the informer re-watch from it, get 410 and relist
      for (let i = 0; i < 4; i++) await ts.request("POST", "/api/v1/namespaces/other/configmaps", { body: configMap(`o${i}`) });
      await ts.backend.compact(await ts.backend.currentRevision());
      ts.server.closeAllConnections();
      await until("relist", () => lists >= 2);
      await ts.request("POST", CM, { body: configMap("after", { v: "3" }) });
      await until("events after relist", () => seen.includes("add after"));
      assert.deepEqual(informer.list().map((o) => o.metadata?.name).sort(), ["after", "i1"]);
    } finally {
      stopped = true;
      await informer.stop();
    }
  });
});
