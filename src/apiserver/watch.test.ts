/** Watch over HTTPS: NDJSON events from a revision, selectors per watcher, bookmarks, initial events, 410 after compaction. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { request as httpsRequest } from "node:https";
import type { IncomingMessage } from "node:http";
import { configMap, startTestServer, type TestServer } from "./testenv.ts";
import type { KineBackend } from "../datastore/mod.ts";
import { encodeStored } from "./storage/codec.ts";

const CM = "/api/v1/namespaces/default/configmaps";

interface Event {
  type: string;
  object: { kind?: string; metadata: { name?: string; resourceVersion?: string; annotations?: Record<string, string> }; data?: Record<string, string>; code?: number; reason?: string };
}

/** Opens a watch and collects its events line by line. */
function openWatch(ts: TestServer, path: string): Promise<{ res: IncomingMessage; next(timeoutMs?: number): Promise<Event | undefined>; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: "127.0.0.1", port: ts.port, path, ca: ts.pki.caCert, cert: ts.pki.adminCert, key: ts.pki.adminKey }, (res) => {
      let buf = "";
      const events: Event[] = [];
      let waiter: (() => void) | undefined;
      let ended = false;
      res.on("data", (c: Buffer) => {
        buf += c.toString();
        let i: number;
        while ((i = buf.indexOf("\n")) >= 0) {
          events.push(JSON.parse(buf.slice(0, i)) as Event);
          buf = buf.slice(i + 1);
        }
        waiter?.();
      });
      res.on("end", () => {
        ended = true;
        waiter?.();
      });
      res.on("error", () => undefined);
      resolve({
        res,
        async next(timeoutMs = 3000) {
          const deadline = Date.now() + timeoutMs;
          while (events.length === 0 && !ended && Date.now() < deadline) {
            await new Promise<void>((r) => {
              waiter = r;
              setTimeout(r, Math.max(0, deadline - Date.now()));
            });
          }
          return events.shift();
        },
        close() {
          req.destroy();
        },
      });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("watch", () => {
  let ts: TestServer;
  before(async () => {
    ts = await startTestServer({ bookmarkIntervalMs: 200 });
  });
  after(async () => {
    await ts.close();
  });

  it("flushes headers at once and streams ADDED/MODIFIED/DELETED from a revision", async () => {
    const list = (await ts.request("GET", CM)).json();
    const w = await openWatch(ts, `${CM}?watch=1&resourceVersion=${list.metadata.resourceVersion}`);
    assert.equal(w.res.statusCode, 200, "headers arrive before any event");
    const created = (await ts.request("POST", CM, { body: configMap("w1", { a: "1" }) })).json();
    const e1 = await w.next();
    assert.equal(e1?.type, "ADDED");
    assert.equal(e1?.object.metadata.resourceVersion, created.metadata.resourceVersion);
    await ts.request("PATCH", `${CM}/w1`, { body: { data: { a: "2" } }, headers: { "content-type": "application/merge-patch+json" } });
    const e2 = await w.next();
    assert.equal(e2?.type, "MODIFIED");
    assert.equal(e2?.object.data?.a, "2");
    await ts.request("DELETE", `${CM}/w1`);
    const e3 = await w.next();
    assert.equal(e3?.type, "DELETED");
    w.close();

    // a watch from the first revision replays the same history
    const replay = await openWatch(ts, `${CM}?watch=true&resourceVersion=${list.metadata.resourceVersion}`);
    assert.deepEqual([(await replay.next())?.type, (await replay.next())?.type, (await replay.next())?.type], ["ADDED", "MODIFIED", "DELETED"]);
    replay.close();
  });

  it("streams every object of a revision several keys share (an etcd txn through kine or an external etcd)", async () => {
    const list = (await ts.request("GET", CM)).json();
    const w = await openWatch(ts, `${CM}?watch=1&resourceVersion=${list.metadata.resourceVersion}`);
    const put = (name: string) => ({ put: { key: `/registry/configmaps/default/${name}`, value: encodeStored(configMap(name, {})) } });
    // the API server itself writes one key per revision; the etcd API (etcdctl txn) can write several at one
    const res = await (ts.backend as KineBackend).txn({ compare: [], success: [put("x1"), put("x2")], failure: [] });
    const events = [await w.next(), await w.next()];
    assert.deepEqual(events.map((e) => [e?.type, e?.object.metadata.name, e?.object.metadata.resourceVersion]), [
      ["ADDED", "x1", String(res.revision)],
      ["ADDED", "x2", String(res.revision)],
    ]);
    w.close();
  });

  it("sends synthetic ADDED for rv unset and filters per watcher, turning leavers into DELETED", async () => {
    await ts.request("POST", CM, { body: configMap("s1", {}, { app: "x" }) });
    const w = await openWatch(ts, `${CM}?watch=true&labelSelector=app%3Dx`);
    const first = await w.next();
    assert.equal(first?.type, "ADDED");
    assert.equal(first?.object.metadata.name, "s1");
    await ts.request("POST", CM, { body: configMap("s2", {}, { app: "y" }) });
    await ts.request("PATCH", `${CM}/s1`, { body: { metadata: { labels: { app: "z" } } }, headers: { "content-type": "application/merge-patch+json" } });
    const left = await w.next();
    assert.equal(left?.type, "DELETED");
    assert.equal(left?.object.metadata.name, "s1");
    await ts.request("PATCH", `${CM}/s2`, { body: { metadata: { labels: { app: "x" } } }, headers: { "content-type": "application/merge-patch+json" } });
    const joined = await w.next();
    assert.equal(joined?.type, "ADDED");
    assert.equal(joined?.object.metadata.name, "s2");
    w.close();
  });

  it("sends bookmarks and the initial-events-end bookmark, and honours timeoutSeconds", async () => {
    const w = await openWatch(ts, `${CM}?watch=true&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion=0&timeoutSeconds=1`);
    const types: string[] = [];
    let endMarker: Event | undefined;
    for (;;) {
      const e = await w.next(3000);
      if (!e) break;
      types.push(e.type);
      if (e.type === "BOOKMARK" && e.object.metadata.annotations?.["k8s.io/initial-events-end"] === "true") endMarker = e;
    }
    assert.ok(types.includes("ADDED"));
    assert.ok(endMarker, "initial-events-end bookmark");
    assert.equal(endMarker?.object.kind, "ConfigMap");
    assert.ok(types.filter((t) => t === "BOOKMARK").length >= 2, `periodic bookmarks: ${types.join(",")}`);
    assert.ok(w.res.complete || w.res.readableEnded, "watch ended at timeoutSeconds");
  });

  it("serves revisions older than the ring from the datastore, and 410 Expired once compacted", async () => {
    const small = await startTestServer({ watchCacheCapacity: 2 });
    try {
      const old = (await small.request("GET", CM)).json().metadata.resourceVersion;
      for (let i = 0; i < 4; i++) await small.request("POST", CM, { body: configMap(`x${i}`) });
      const fromStore = await openWatch(small, `${CM}?watch=true&resourceVersion=${old}`);
      const names = [];
      for (let i = 0; i < 4; i++) names.push((await fromStore.next())?.object.metadata.name);
      assert.deepEqual(names, ["x0", "x1", "x2", "x3"]);
      fromStore.close();
      await small.request("POST", CM, { body: configMap("x4") });
      await small.backend.compact(await small.backend.currentRevision());
      const w = await openWatch(small, `${CM}?watch=true&resourceVersion=${old}`);
      const e = await w.next();
      assert.equal(e?.type, "ERROR");
      assert.equal(e?.object.code, 410);
      assert.equal(e?.object.reason, "Expired");
      assert.equal(await w.next(1000), undefined, "stream ends after the error");
      w.close();
    } finally {
      await small.close();
    }
  });
});
