/**
 * The caches behind one datastore watch: a cache follows the feed's progress
 * when other resources change, and when the datastore watch fails every
 * watcher is ended and the cache reloads, writes made meanwhile included.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Backend, WatchEvent } from "../../datastore/backend.ts";
import { createBackend, type KineBackend } from "../../datastore/mod.ts";
import { CacheSet } from "./caches.ts";
import { encodeStored } from "./codec.ts";

let dir = "";
let backend: KineBackend;
/** breaks the running datastore watches, as a compaction or a stalled reader would */
let breakWatches: (() => void)[] = [];

/** The backend whose watches the test can break. */
function breakable(b: Backend): Backend {
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
      let broken: (() => void) | undefined;
      const failed = new Promise<never>((_, reject) => (broken = () => reject(new Error("watch broken"))));
      failed.catch(() => undefined);
      breakWatches.push(() => broken?.());
      return (async function* (): AsyncGenerator<WatchEvent[]> {
        const it = events[Symbol.asyncIterator]();
        for (;;) {
          const next = await Promise.race([it.next(), failed]);
          if (next.done) return;
          yield next.value;
        }
      })();
    },
  };
}

const cm = (name: string) => encodeStored({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" } });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "watchcache-test-"));
  backend = await createBackend({ dataDir: dir });
});
after(async () => {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a cache follows the feed's progress and reloads after the datastore watch breaks", async () => {
  const caches = new CacheSet(breakable(backend));
  try {
    const cache = caches.forKind({ group: "", resource: "configmaps", schemaRef: "io.k8s.api.core.v1.ConfigMap" });
    await cache.ready();
    await backend.create(`${cache.prefix}default/a`, cm("a"));
    // a change of another resource: the configmap cache has applied everything up to it
    const other = await backend.create("/registry/secrets/default/s", Buffer.from("{}"));
    assert.equal(await cache.waitForRevision(other, 2000), true);
    assert.ok(cache.getObject(`${cache.prefix}default/a`));

    let ended: Error | undefined;
    cache.subscribe(cache.revision, { event: () => undefined, end: (err) => (ended = err ?? new Error("ended without error")) });
    for (const b of breakWatches.splice(0)) b();
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(ended, "watchers end when the datastore watch breaks");
    assert.equal(cache.loaded, false);
    const meanwhile = await backend.create(`${cache.prefix}default/b`, cm("b"));
    await cache.ready();
    assert.equal(cache.loaded, true);
    assert.ok(cache.revision >= meanwhile);
    assert.ok(cache.getObject(`${cache.prefix}default/b`));
    // and it follows the new watch
    const c = await backend.create(`${cache.prefix}default/c`, cm("c"));
    assert.equal(await cache.waitForRevision(c, 2000), true);
    assert.ok(cache.getObject(`${cache.prefix}default/c`));
  } finally {
    caches.close();
  }
});

test("every key of a revision that several keys share (an etcd txn) reaches the cache and its watchers", async () => {
  const caches = new CacheSet(backend);
  try {
    const cache = caches.forKind({ group: "", resource: "configmaps", schemaRef: "io.k8s.api.core.v1.ConfigMap" });
    await cache.ready();
    const seen: { key: string; rv: number }[] = [];
    cache.subscribe(cache.revision, { event: (ev) => seen.push({ key: ev.key, rv: ev.rv }), end: () => undefined });
    const put = (name: string) => ({ put: { key: `${cache.prefix}default/${name}`, value: cm(name) } });
    const res = await backend.txn({ compare: [], success: [put("t1"), put("t2"), put("t3")], failure: [] });
    assert.equal(await cache.waitForRevision(res.revision, 2000), true);
    for (const name of ["t1", "t2", "t3"]) assert.ok(cache.getObject(`${cache.prefix}default/${name}`), `${name} is in the cache`);
    const shared = seen.filter((e) => /\/t[123]$/.test(e.key));
    assert.deepEqual(shared.map((e) => e.key.split("/").pop()), ["t1", "t2", "t3"]);
    assert.deepEqual(new Set(shared.map((e) => e.rv)), new Set([res.revision]), "one revision for the whole txn");
  } finally {
    caches.close();
  }
});
