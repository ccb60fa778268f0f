/**
 * The shared datastore suite against a real etcd (Debian's etcd 3.4), through
 * createBackend with an http:// endpoint, and what only etcd's semantics
 * show: one revision per txn, and the compacted watch error.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { backendSuite } from "../log/backend-suite.ts";
import { CompactedError, createBackend, type KineBackend } from "../mod.ts";
import { startTestEtcd, type TestEtcd } from "./testing.ts";

let etcd: TestEtcd;
before(async () => {
  etcd = await startTestEtcd();
});
after(() => etcd?.stop());

/**
 * Two suite cases assert kine's behaviour where real etcd differs; they are
 * reported as skipped here and the tests below check what etcd does instead.
 * kine's txn revision is the id of its last row, so a txn of two writes
 * skips a number (the suite expects +4), while etcd's revisions have no gaps.
 * Compacting at R keeps kine's tombstone at R, while etcd drops it once the
 * compaction is applied, so a watch from R may or may not see that delete.
 */
const KINE_ONLY: Record<string, string> = {
  "etcd put, delete range, txn": "kine's txn revision is its last row's id, skipping one per extra write; etcd's revisions have no gaps (checked below)",
  "compaction keeps the newest values, refuses old reads and watches":
    "etcd drops a tombstone at the compact revision, kine keeps it (compaction checked below)",
};

/** a backend on the shared etcd with every key removed, as a fresh database would be */
async function fresh(): Promise<KineBackend> {
  const be = await createBackend({ dataDir: "/nonexistent", endpoint: etcd.endpoint, connectTimeoutMs: 5000 });
  await be.deleteRange("\0", "\0");
  return be;
}

backendSuite("etcd", {
  skip: KINE_ONLY,
  open: fresh,
  openPeer: () => createBackend({ dataDir: "/nonexistent", endpoint: etcd.endpoint }),
});

const b = (s: string) => Buffer.from(s);

test("etcd txn: one revision for all its writes, the values they replaced", async () => {
  const be = await fresh();
  try {
    const p = await be.put("/tx/a", b("1"));
    const t = await be.txn({
      compare: [{ key: "/tx/a", target: "value", result: "equal", value: b("1") }],
      success: [{ put: { key: "/tx/a", value: b("2") } }, { put: { key: "/tx/b", value: b("b") } }, { deleteRange: { key: "/tx/none" } }],
      failure: [],
    });
    assert.equal(t.succeeded, true);
    assert.equal(t.revision, p.revision + 1);
    assert.deepEqual(t.responses[0], { put: { revision: p.revision + 1, prevKv: (await be.get("/tx/a", p.revision)).kv } });
    assert.deepEqual(t.responses[2], { deleteRange: { deleted: [], revision: 0 } });
    const nested = await be.txn({ compare: [], success: [{ txn: { compare: [], success: [{ range: { key: "/tx/", end: "/tx0", countOnly: true } }], failure: [] } }], failure: [] });
    const inner = nested.responses[0];
    assert.ok("txn" in inner && "range" in inner.txn.responses[0]);
    assert.equal(inner.txn.responses[0].range.count, 2);
  } finally {
    await be.close();
  }
});

test("etcd watch from a revision another server compacted: CompactedError with etcd's compact revision", async () => {
  const be = await fresh();
  const other = await createBackend({ dataDir: "/nonexistent", endpoint: etcd.endpoint });
  try {
    const r1 = await be.create("/cw/a", b("1"));
    await be.update("/cw/a", b("2"), r1);
    const head = await be.currentRevision();
    await other.compact(head);
    assert.ok((await be.compactRevision()) < head, "this server has not learnt of it yet");
    await assert.rejects(be.watch("/cw/", { end: "/cw0", startRevision: r1, signal: new AbortController().signal }), (err: unknown) => {
      return err instanceof CompactedError && err.compactRevision === head;
    });
    assert.equal(await be.compactRevision(), head, "the failed watch taught it the compact revision");
    await assert.rejects(be.list("/cw/", { end: "/cw0", revision: r1 }), CompactedError);
  } finally {
    await other.close();
    await be.close();
  }
});

test("etcd compaction loop: history is compacted to the retention behind the head", async () => {
  const be = await createBackend({ dataDir: "/nonexistent", endpoint: etcd.endpoint, compactIntervalMs: 100, compactRetention: 5 });
  try {
    let rev = await be.create("/loop/a", b("0"));
    const first = rev;
    for (let i = 1; i <= 20; i++) rev = (await be.update("/loop/a", b(`${i}`), rev)).modRevision;
    const deadline = Date.now() + 5000;
    while ((await be.compactRevision()) < rev - 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await be.compactRevision(), rev - 5);
    await assert.rejects(be.get("/loop/a", first), CompactedError);
    assert.equal((await be.get("/loop/a", rev - 5)).kv?.value.toString(), "15");
  } finally {
    await be.close();
  }
});
