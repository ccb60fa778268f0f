/**
 * LIST served from the watch cache: the body is byte for byte what the
 * datastore path sends; a LIST without resourceVersion (consistent) sees every
 * write acknowledged before it, pages keep the datastore's continue and
 * remainingItemCount, and a token the cache has moved past is read from the datastore.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Backend } from "../../datastore/backend.ts";
import { createBackend } from "../../datastore/mod.ts";
import { configMap, startTestServer, type TestServer } from "../testenv.ts";

/** The backend with its watches running `lag.ms` behind the writes, as a loaded datastore's would. */
function lagging(b: Backend, lag: { ms: number }): Backend {
  return {
    start: () => b.start(),
    close: () => b.close(),
    currentRevision: () => b.currentRevision(),
    compactRevision: () => b.compactRevision(),
    get: (key, revision) => b.get(key, revision),
    list: (start, opts) => b.list(start, opts),
    count: (start, end, revision) => b.count(start, end, revision),
    create: (key, value, lease) => b.create(key, value, lease),
    update: (key, value, expected, lease) => b.update(key, value, expected, lease),
    delete: (key, expected) => b.delete(key, expected),
    compact: (revision) => b.compact(revision),
    dbSize: () => b.dbSize(),
    async watch(start, opts) {
      const events = await b.watch(start, opts);
      return (async function* () {
        for await (const batch of events) {
          await sleep(lag.ms);
          yield batch;
        }
      })();
    },
  };
}

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

  it("a consistent LIST right after a write includes it, also when the last write was to another resource", async () => {
    for (let i = 0; i < 10; i++) {
      const r = await ts.request("POST", CM, { body: configMap(`fresh-${i}`) });
      assert.equal(r.status, 201);
      const rv = Number(r.json().metadata.resourceVersion);
      const listed = (await ts.request("GET", CM)).json();
      assert.ok(listed.items.some((o: { metadata: { name: string } }) => o.metadata.name === `fresh-${i}`), `fresh-${i} missing`);
      assert.ok(Number(listed.metadata.resourceVersion) >= rv);
      // a write elsewhere moves the datastore's revision; the configmap cache follows it without events of its own
      const other = await ts.request("POST", "/api/v1/namespaces", { body: { apiVersion: "v1", kind: "Namespace", metadata: { name: `other-${i}` } } });
      assert.equal(other.status, 201);
      const t0 = performance.now();
      const again = (await ts.request("GET", CM)).json();
      assert.ok(Number(again.metadata.resourceVersion) >= Number(other.json().metadata.resourceVersion));
      assert.ok(performance.now() - t0 < 400, "the cache caught up without waiting out the timeout");
    }
  });

  it("pages from the cache like the datastore: continue, remainingItemCount, selectors", async () => {
    const collect = async (query: string) => {
      const pages: { names: string[]; remaining?: number; continued: boolean }[] = [];
      let cont = "";
      for (;;) {
        const r = await ts.request("GET", `${CM}?${query}${cont ? `&continue=${encodeURIComponent(cont)}` : ""}`);
        assert.equal(r.status, 200, r.body.toString());
        const body = r.json();
        pages.push({ names: body.items.map((o: { metadata: { name: string } }) => o.metadata.name), remaining: body.metadata.remainingItemCount, continued: !!body.metadata.continue });
        cont = body.metadata.continue ?? "";
        if (!cont) return pages;
      }
    };
    const all = (await ts.request("GET", CM)).json().items.map((o: { metadata: { name: string } }) => o.metadata.name);
    const pages = await collect("limit=7");
    assert.deepEqual(pages.flatMap((p) => p.names), all);
    assert.deepEqual(pages[0], { names: all.slice(0, 7), remaining: all.length - 7, continued: true });
    assert.equal(pages[pages.length - 1].continued, false);
    const selected = await collect("limit=3&labelSelector=n%3D2");
    assert.deepEqual(selected.flatMap((p) => p.names), ["cm-02", "cm-05", "cm-08", "cm-11", "cm-14", "cm-17"]);
    assert.ok(selected.every((p) => p.remaining === undefined));
  });

  it("a continue token the cache has moved past is read from the datastore at its revision", async () => {
    const first = (await ts.request("GET", `${CM}?limit=5`)).json();
    const rv = first.metadata.resourceVersion;
    const created = await ts.request("POST", CM, { body: configMap("zz-after-the-first-page") });
    assert.equal(created.status, 201);
    const rest = (await ts.request("GET", `${CM}?limit=500&continue=${encodeURIComponent(first.metadata.continue)}`)).json();
    assert.equal(rest.metadata.resourceVersion, rv);
    assert.ok(!rest.items.some((o: { metadata: { name: string } }) => o.metadata.name === "zz-after-the-first-page"));
    assert.equal(first.items.length + rest.items.length, (await ts.request("GET", CM)).json().items.length - 1);
  });
});

describe("consistent LIST with a lagging datastore watch", () => {
  let ts: TestServer;
  let dir = "";
  let backend: Backend;
  const lag = { ms: 150 };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "list-lag-"));
    backend = await createBackend({ dataDir: dir });
    ts = await startTestServer({ backend: lagging(backend, lag) });
  });
  after(async () => {
    await ts.close();
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("waits for the cache to catch up, so a write acknowledged before the LIST is in it", async () => {
    await ts.request("GET", "/api/v1/namespaces/default/configmaps?resourceVersion=0"); // the cache is loaded
    for (let i = 0; i < 3; i++) {
      const r = await ts.request("POST", "/api/v1/namespaces/default/configmaps", { body: configMap(`lag-${i}`) });
      assert.equal(r.status, 201);
      const names = (await ts.request("GET", "/api/v1/namespaces/default/configmaps")).json().items.map((o: { metadata: { name: string } }) => o.metadata.name);
      assert.ok(names.includes(`lag-${i}`), `lag-${i} missing from ${names.join(",")}`);
      // resourceVersion=0 may be stale by design: it is what the cache has now
      const stale = (await ts.request("GET", "/api/v1/namespaces/default/configmaps?resourceVersion=0")).json();
      assert.ok(stale.items.length >= i);
    }
  });

  it("reads the datastore when the cache does not catch up in time", async () => {
    lag.ms = 3000;
    try {
      const r = await ts.request("POST", "/api/v1/namespaces/default/configmaps", { body: configMap("slow-0") });
      assert.equal(r.status, 201);
      for (let i = 0; i < 2; i++) {
        const listed = (await ts.request("GET", "/api/v1/namespaces/default/configmaps")).json();
        assert.ok(listed.items.some((o: { metadata: { name: string } }) => o.metadata.name === "slow-0"));
        assert.equal(listed.metadata.resourceVersion, r.json().metadata.resourceVersion);
      }
    } finally {
      lag.ms = 0;
    }
  });
});
