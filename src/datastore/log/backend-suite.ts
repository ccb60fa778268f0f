/**
 * The datastore semantics every driver must pass, written once and run by
 * each driver's test file against a real database.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CompactedError, ConflictError, FutureRevisionError, type WatchEvent } from "../backend.ts";
import type { KineBackend } from "./kine-backend.ts";
import { LeaseNotFoundError } from "./errors.ts";

/** Options of backendSuite. */
export interface SuiteOptions {
  /** a fresh, started backend over an empty database */
  open(): Promise<KineBackend>;
  /** a second backend on the same database (another server), when the driver allows it */
  openPeer?(): Promise<KineBackend>;
  /** cases to skip, by title, with the reason (behaviour of kine that another store rightly differs in) */
  skip?: Record<string, string>;
}

const b = (s: string) => Buffer.from(s);

/** collects watch events until `n` arrived or the timeout passed */
async function collect(iter: AsyncIterable<WatchEvent[]>, n: number, ms = 3000): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  const it = iter[Symbol.asyncIterator]();
  const deadline = Date.now() + ms;
  while (out.length < n) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const r = await Promise.race([it.next(), new Promise<"timeout">((res) => setTimeout(() => res("timeout"), left))]);
    if (r === "timeout" || r.done) break;
    out.push(...r.value);
  }
  return out;
}

/** registers the shared tests under a name */
export function backendSuite(name: string, opts: SuiteOptions): void {
  const withBackend = (title: string, fn: (be: KineBackend) => Promise<void>) =>
    test(`${name}: ${title}`, { skip: opts.skip?.[title] ?? false }, async () => {
      const be = await opts.open();
      try {
        await fn(be);
      } finally {
        await be.close();
      }
    });

  withBackend("create, get, update, delete with revisions and conflicts", async (be) => {
    const r0 = await be.currentRevision();
    assert.ok(r0 >= 1, `a fresh store is at revision ${r0}, etcd starts at 1`);
    const r1 = await be.create("/registry/pods/a", b("v1"));
    assert.equal(r1, r0 + 1);
    await assert.rejects(be.create("/registry/pods/a", b("x")), ConflictError);
    const got = await be.get("/registry/pods/a");
    assert.equal(got.kv?.value.toString(), "v1");
    assert.equal(got.kv?.createRevision, r1);
    assert.equal(got.kv?.modRevision, r1);
    assert.equal(got.kv?.version, 1);
    assert.equal(got.revision, r1);
    await assert.rejects(be.update("/registry/pods/a", b("v2"), r1 - 1), (e: unknown) => e instanceof ConflictError && e.current?.modRevision === r1);
    const kv2 = await be.update("/registry/pods/a", b("v2"), r1);
    assert.equal(kv2.modRevision, r1 + 1);
    assert.equal(kv2.createRevision, r1);
    assert.equal(kv2.version, 2);
    assert.equal((await be.get("/registry/pods/a", r1)).kv?.value.toString(), "v1", "read at an older revision");
    await assert.rejects(be.get("/registry/pods/a", r1 + 100), FutureRevisionError);
    await assert.rejects(be.delete("/registry/pods/a", r1), ConflictError);
    const del = await be.delete("/registry/pods/a", r1 + 1);
    assert.equal(del.revision, r1 + 2);
    assert.equal(del.prevKv.value.toString(), "v2");
    assert.equal((await be.get("/registry/pods/a")).kv, undefined);
    await assert.rejects(be.delete("/registry/pods/a"), ConflictError);
    await assert.rejects(be.update("/registry/pods/a", b("v3"), r1 + 1), ConflictError);
    const r4 = await be.create("/registry/pods/a", b("again"));
    const again = await be.get("/registry/pods/a");
    assert.equal(again.kv?.createRevision, r4);
    assert.equal(again.kv?.version, 1);
  });

  withBackend("list with prefix range, limit, continue, count, keys only, at revision", async (be) => {
    for (let i = 0; i < 10; i++) await be.create(`/registry/cm/ns/k${i}`, b(`v${i}`));
    await be.create("/registry/cmx", b("outside"));
    const mid = await be.currentRevision();
    await be.delete("/registry/cm/ns/k3");
    const all = await be.list("/registry/cm/", { end: "/registry/cm0" });
    assert.deepEqual(all.kvs.map((k) => k.key.slice(-2)), ["k0", "k1", "k2", "k4", "k5", "k6", "k7", "k8", "k9"]);
    assert.equal(all.count, 9);
    assert.equal(all.more, false);
    const page1 = await be.list("/registry/cm/", { end: "/registry/cm0", limit: 4 });
    assert.equal(page1.kvs.length, 4);
    assert.equal(page1.more, true);
    assert.equal(page1.count, 9);
    const page2 = await be.list(page1.kvs[3].key + "\u0001", { end: "/registry/cm0", limit: 4, revision: page1.revision });
    assert.deepEqual(page2.kvs.map((k) => k.key.slice(-2)), ["k5", "k6", "k7", "k8"]);
    assert.equal(page2.revision, page1.revision);
    const old = await be.list("/registry/cm/", { end: "/registry/cm0", revision: mid });
    assert.equal(old.kvs.length, 10, "k3 still exists at the older revision");
    assert.equal(old.revision, mid);
    const ko = await be.list("/registry/cm/", { end: "/registry/cm0", keysOnly: true, limit: 1 });
    assert.equal(ko.kvs[0].value.length, 0);
    assert.equal((await be.count("/registry/cm/", "/registry/cm0")).count, 9);
    assert.equal((await be.count("/registry/cm/", "/registry/cm0", mid)).count, 10);
    const single = await be.list("/registry/cmx");
    assert.equal(single.kvs.length, 1);
    const fromKey = await be.list("/registry/cm/ns/k8", { end: "\0" });
    assert.deepEqual(fromKey.kvs.map((k) => k.key), ["/registry/cm/ns/k8", "/registry/cm/ns/k9", "/registry/cmx"]);
  });

  withBackend("concurrent creates of one key: exactly one wins", async (be) => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => be.create("/race", b(`${i}`))));
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    const revs = await Promise.all(Array.from({ length: 50 }, (_, i) => be.create(`/many/${i}`, b("x"))));
    assert.equal(new Set(revs).size, 50, "every write gets its own revision");
  });

  withBackend("concurrent compare-and-put txns on one key: exactly one succeeds", async (be) => {
    const r0 = (await be.put("/cas", b("0"))).revision;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        be.txn({ compare: [{ key: "/cas", target: "mod", result: "equal", value: r0 }], success: [{ put: { key: "/cas", value: b(`${i}`) } }], failure: [] }),
      ),
    );
    assert.equal(results.filter((r) => r.succeeded).length, 1);
    assert.equal((await be.get("/cas")).kv?.version, 2);
  });

  withBackend("watch: live events with prev values, from a revision, at 0 = now, cancel", async (be) => {
    const r1 = await be.create("/w/a", b("1"));
    await be.update("/w/a", b("2"), r1);
    const ac = new AbortController();
    const now = await be.watch("/w/", { end: "/w0", signal: ac.signal });
    const hist = await be.watch("/w/", { end: "/w0", startRevision: r1, signal: ac.signal });
    const single = await be.watch("/w/b", { signal: ac.signal });
    const r3 = await be.create("/w/b", b("3"));
    await be.delete("/w/a");
    await be.create("/other", b("x"));
    const live = await collect(now, 2);
    assert.deepEqual(live.map((e) => [e.type, e.kv.key, e.kv.modRevision]), [
      ["put", "/w/b", r3],
      ["delete", "/w/a", r3 + 1],
    ]);
    assert.equal(live[1].prevKv?.value.toString(), "2");
    const h = await collect(hist, 4);
    assert.deepEqual(h.map((e) => e.kv.modRevision), [r1, r1 + 1, r3, r3 + 1]);
    assert.equal(h[1].prevKv?.value.toString(), "1");
    assert.equal(h[1].kv.version, 2);
    assert.deepEqual((await collect(single, 1)).map((e) => e.kv.key), ["/w/b"]);
    ac.abort();
    const after = await collect(now, 1, 200);
    assert.equal(after.length, 0);
  });

  withBackend("compaction keeps the newest values, refuses old reads and watches", async (be) => {
    let rev = await be.create("/c/a", b("0"));
    for (let i = 1; i <= 5; i++) rev = (await be.update("/c/a", b(`${i}`), rev)).modRevision;
    await be.create("/c/gone", b("x"));
    await be.delete("/c/gone");
    const mid = await be.currentRevision();
    await be.create("/c/late", b("y"));
    await be.compact(mid);
    assert.equal(await be.compactRevision(), mid);
    assert.equal((await be.get("/c/a")).kv?.value.toString(), "5");
    assert.equal((await be.get("/c/a", mid)).kv?.value.toString(), "5");
    assert.equal((await be.get("/c/gone", mid)).kv, undefined);
    await assert.rejects(be.get("/c/a", mid - 1), CompactedError);
    await assert.rejects(be.watch("/c/", { end: "/c0", startRevision: mid - 1, signal: new AbortController().signal }), CompactedError);
    await assert.rejects(be.compact(mid - 1), CompactedError);
    const ac = new AbortController();
    const w = await be.watch("/c/", { end: "/c0", startRevision: mid, signal: ac.signal });
    const ev = await collect(w, 2, 500);
    assert.deepEqual(ev.map((e) => [e.type, e.kv.key]), [["delete", "/c/gone"], ["put", "/c/late"]]);
    ac.abort();
    assert.equal((await be.list("/c/", { end: "/c0" })).count, 2);
  });

  withBackend("etcd put, delete range, txn", async (be) => {
    const p1 = await be.put("/t/a", b("1"));
    const p2 = await be.put("/t/a", b("2"));
    assert.equal(p2.prevKv?.value.toString(), "1");
    assert.equal(p2.revision, p1.revision + 1);
    await be.put("/t/b", b("b"));
    await be.put("/t/c", b("c"));
    const t = await be.txn({
      compare: [{ key: "/t/a", target: "value", result: "equal", value: b("2") }, { key: "/t/zz", target: "version", result: "equal", value: 0 }],
      success: [{ put: { key: "/t/d", value: b("d") } }, { deleteRange: { key: "/t/b" } }, { range: { key: "/t/", end: "/t0" } }],
      failure: [],
    });
    assert.equal(t.succeeded, true);
    const range = t.responses[2];
    assert.ok("range" in range);
    assert.deepEqual(range.range.kvs.map((k) => k.key), ["/t/a", "/t/c", "/t/d"]);
    assert.equal(t.revision, p2.revision + 4);
    const f = await be.txn({
      compare: [{ key: "/t/a", target: "mod", result: "greater", value: 10_000 }],
      success: [{ put: { key: "/t/never", value: b("x") } }],
      failure: [{ range: { key: "/t/a" } }],
    });
    assert.equal(f.succeeded, false);
    assert.equal((await be.get("/t/never")).kv, undefined);
    const del = await be.deleteRange("/t/", "/t0");
    assert.equal(del.deleted.length, 3);
    assert.equal((await be.list("/t/", { end: "/t0" })).count, 0);
  });

  withBackend("a txn's or a range delete's writes share one revision, as in etcd", async (be) => {
    const r0 = (await be.put("/s/a", b("1"))).revision;
    const ac = new AbortController();
    const live = await be.watch("/s/", { end: "/s0", signal: ac.signal });
    const t = await be.txn({ compare: [], success: [{ put: { key: "/s/a", value: b("2") } }, { put: { key: "/s/b", value: b("1") } }], failure: [] });
    const a = (await be.get("/s/a")).kv;
    const bk = (await be.get("/s/b")).kv;
    assert.deepEqual([a?.modRevision, bk?.modRevision, bk?.createRevision], [t.revision, t.revision, t.revision]);
    assert.equal(await be.currentRevision(), t.revision);
    // the revision just below shows the state before the txn, not half of it
    assert.equal((await be.get("/s/a", t.revision - 1)).kv?.value.toString(), "1");
    assert.equal((await be.get("/s/b", t.revision - 1)).kv, undefined);
    // compares and updates see the shared revision
    const upd = await be.update("/s/a", b("3"), t.revision);
    const del = await be.deleteRange("/s/", "/s0");
    assert.equal(del.deleted.length, 2);
    const events = await collect(live, 5);
    ac.abort();
    assert.deepEqual(
      events.map((e) => [e.type, e.kv.key, e.kv.modRevision, e.prevKv?.modRevision]),
      [
        ["put", "/s/a", t.revision, r0],
        ["put", "/s/b", t.revision, undefined],
        ["put", "/s/a", upd.modRevision, t.revision],
        ["delete", "/s/a", del.revision, upd.modRevision],
        ["delete", "/s/b", del.revision, t.revision],
      ],
    );
    // a watch starting at the txn's revision catches up with both of its events
    const ac2 = new AbortController();
    const from = await be.watch("/s/", { end: "/s0", startRevision: t.revision, signal: ac2.signal });
    const replay = await collect(from, 5);
    ac2.abort();
    assert.deepEqual(replay.slice(0, 2).map((e) => [e.kv.key, e.kv.modRevision]), [["/s/a", t.revision], ["/s/b", t.revision]]);
    // compaction to a revision inside the txn's rows keeps the state before the txn readable
    await be.compact(t.revision - 1);
    assert.equal((await be.get("/s/a", t.revision - 1)).kv?.value.toString(), "1");
  });

  withBackend("leases: grant, attach, keep-alive, time-to-live, revoke, expiry", async (be) => {
    await assert.rejects(be.put("/l/x", b("x"), { lease: 12345 }), LeaseNotFoundError);
    const l = await be.leaseGrant(1);
    assert.ok(l.id > 0);
    await be.put("/l/a", b("a"), { lease: l.id });
    const st = await be.leaseTimeToLive(l.id, true);
    assert.deepEqual(st.keys, ["/l/a"]);
    assert.equal(st.grantedTtl, 1);
    assert.equal(await be.leaseKeepAlive(l.id), 1);
    assert.ok((await be.leaseList()).includes(l.id));
    const l2 = await be.leaseGrant(60);
    await be.create("/l/b", b("b"), l2.id);
    await be.leaseRevoke(l2.id);
    assert.equal((await be.get("/l/b")).kv, undefined);
    await assert.rejects(be.leaseRevoke(l2.id), LeaseNotFoundError);
    const deadline = Date.now() + 4000;
    while ((await be.get("/l/a")).kv && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await be.get("/l/a")).kv, undefined, "expiry deleted the key");
    assert.equal((await be.leaseTimeToLive(l.id, false)).ttl, -1);
  });

  if (opts.openPeer) {
    const openPeer = opts.openPeer;
    test(`${name}: a second server's writes reach this server's watchers by polling`, async () => {
      const a = await opts.open();
      const peer = await openPeer();
      try {
        const ac = new AbortController();
        const w = await a.watch("/peer/", { end: "/peer0", signal: ac.signal });
        const rev = await peer.create("/peer/x", b("1"));
        const ev = await collect(w, 1, 3000);
        assert.deepEqual(ev.map((e) => [e.kv.key, e.kv.modRevision]), [["/peer/x", rev]]);
        // another server's txn reaches this server's watchers at its one revision
        const t = await peer.txn({ compare: [], success: [{ put: { key: "/peer/t1", value: b("1") } }, { put: { key: "/peer/t2", value: b("2") } }], failure: [] });
        const tev = await collect(w, 2, 3000);
        assert.deepEqual(tev.map((e) => [e.kv.key, e.kv.modRevision]), [["/peer/t1", t.revision], ["/peer/t2", t.revision]]);
        assert.equal((await a.get("/peer/t2")).kv?.modRevision, t.revision);
        await assert.rejects(a.create("/peer/x", b("2")), ConflictError);
        ac.abort();
        // two servers racing on one key: one create wins, the other sees it
        const both = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? a : peer).create("/peer/race", b(`${i}`))),
        );
        assert.equal(both.filter((r) => r.status === "fulfilled").length, 1);
        assert.ok(both.every((r) => r.status === "fulfilled" || r.reason instanceof ConflictError), "losers get a conflict");
      } finally {
        await peer.close();
        await a.close();
      }
    });
  }
}
