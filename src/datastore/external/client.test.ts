/**
 * The etcd client's connection handling against real etcd processes: https
 * with client certificates, failover to the next endpoint, an unreachable
 * cluster at start-up, a watch and reads that survive an etcd restart, and a
 * three-member cluster losing the member in use.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ConflictError, createBackend, type KineBackend, type WatchEvent } from "../mod.ts";
import { freePort } from "../testing/databases.ts";
import { startTestEtcd, startTestEtcdCluster, type TestEtcd } from "./testing.ts";

const b = (s: string) => Buffer.from(s);

let plain: TestEtcd;
let secure: TestEtcd;
before(async () => {
  [plain, secure] = await Promise.all([startTestEtcd(), startTestEtcd({ tls: true })]);
});
after(async () => {
  await plain?.stop();
  await secure?.stop();
});

/**
 * creates a key while the cluster may be electing a new leader: etcd then answers a write with
 * "request timed out, possibly due to previous leader failure" whether or not it was applied, and a
 * write in flight to the member being killed ends with its stream cut ("closed without a status");
 * (like etcd's own client) we do not resend such writes by ourselves: the caller retries, as here.
 */
async function createThroughElection(be: KineBackend, key: string, value: Buffer): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await be.create(key, value);
    } catch (err) {
      if (err instanceof ConflictError && err.current) return err.current.modRevision;
      if (attempt >= 5 || !/leader|timed out|closed without a status/.test((err as Error).message)) throw err;
    }
  }
}

async function withBackend(open: Promise<KineBackend>, fn: (be: KineBackend) => Promise<void>): Promise<void> {
  const be = await open;
  try {
    await fn(be);
  } finally {
    await be.close();
  }
}

test("https with a client certificate: reads and writes; without one etcd refuses and start-up says so", async () => {
  const pki = secure.pki!;
  const tls = { caFile: pki.caFile, certFile: pki.clientCertFile, keyFile: pki.clientKeyFile };
  await withBackend(createBackend({ dataDir: "/nonexistent", endpoint: secure.endpoint, tls }), async (be) => {
    const rev = await be.create("/registry/configmaps/default/tls", b("over tls"));
    assert.equal((await be.get("/registry/configmaps/default/tls")).kv?.modRevision, rev);
  });
  const logs: string[] = [];
  await assert.rejects(
    createBackend({ dataDir: "/nonexistent", endpoint: secure.endpoint, tls: { caFile: pki.caFile }, connectTimeoutMs: 800, log: (m) => logs.push(m) }),
    new RegExp(`cannot reach etcd ${secure.endpoint} after \\d+ attempts`),
  );
  assert.ok(logs.some((l) => l.includes("not reachable (attempt 1)")), logs.join("\n"));
  await assert.rejects(createBackend({ dataDir: "/nonexistent", endpoint: secure.endpoint, tls: { caFile: "/nonexistent/ca.crt" } }), /--datastore-cafile "\/nonexistent\/ca.crt": ENOENT/);
  await assert.rejects(createBackend({ dataDir: "/nonexistent", endpoint: secure.endpoint, tls: { certFile: pki.clientCertFile } }), /certfile and --datastore-keyfile go together/);
});

test("a dead first endpoint: calls go to the next one", async () => {
  const dead = `http://127.0.0.1:${await freePort()}`;
  await withBackend(createBackend({ dataDir: "/nonexistent", endpoint: `${dead},${plain.endpoint}`, connectTimeoutMs: 5000 }), async (be) => {
    const rev = await be.create("/failover/a", b("1"));
    assert.equal((await be.get("/failover/a")).kv?.createRevision, rev);
  });
});

test("no etcd at start-up: retried with back-off and logged, then an error naming the endpoints", async () => {
  const port = await freePort();
  const logs: string[] = [];
  const started = Date.now();
  await assert.rejects(
    createBackend({ dataDir: "/nonexistent", endpoint: `http://127.0.0.1:${port}`, connectTimeoutMs: 1500, log: (m) => logs.push(m) }),
    new RegExp(`cannot reach etcd http://127.0.0.1:${port} after \\d+ attempts`),
  );
  assert.ok(logs.length >= 2, `retries were logged: ${logs.join("\n")}`);
  assert.match(logs[0], /not reachable \(attempt 1\).*retrying in 250 ms/);
  assert.ok(Date.now() - started >= 700, "it waited between attempts");
});

test("etcd restarts: a watch resumes after its last revision with nothing lost, and calls reconnect", async () => {
  const etcd = await startTestEtcd();
  try {
    await withBackend(createBackend({ dataDir: "/nonexistent", endpoint: etcd.endpoint }), async (be) => {
      const ac = new AbortController();
      const watch = await be.watch("/restart/", { end: "/restart0", signal: ac.signal });
      const it = watch[Symbol.asyncIterator]();
      const r1 = await be.create("/restart/a", b("1"));
      assert.deepEqual(((await it.next()).value as WatchEvent[]).map((e) => e.kv.modRevision), [r1]);
      await etcd.kill();
      await assert.rejects(be.get("/restart/a"), /etcd|unavailable|reachable/i, "a read with etcd down fails instead of hanging");
      await etcd.restart();
      // the first call after the restart reconnects (retried within its deadline)
      const r2 = await be.create("/restart/b", b("2"));
      const r3 = await be.update("/restart/a", b("3"), r1);
      const seen: WatchEvent[] = [];
      while (seen.length < 2) seen.push(...((await it.next()).value as WatchEvent[]));
      assert.deepEqual(seen.map((e) => [e.kv.key, e.kv.modRevision]), [["/restart/b", r2], ["/restart/a", r3.modRevision]]);
      assert.equal(seen[1].prevKv?.value.toString(), "1");
      ac.abort();
    });
  } finally {
    await etcd.stop();
  }
});

test("a three-member cluster loses the member in use: writes, reads and the watch carry on through the others", async () => {
  const cluster = await startTestEtcdCluster(3);
  const logs: string[] = [];
  try {
    await withBackend(createBackend({ dataDir: "/nonexistent", endpoint: cluster.endpoint, connectTimeoutMs: 10_000, log: (m) => logs.push(m) }), async (be) => {
      const ac = new AbortController();
      const it = (await be.watch("/ha/", { end: "/ha0", signal: ac.signal }))[Symbol.asyncIterator]();
      const r1 = await be.create("/ha/a", b("1"));
      assert.deepEqual(((await it.next()).value as WatchEvent[]).map((e) => e.kv.modRevision), [r1]);
      // the first endpoint is the one connected to
      await cluster.members[0].kill();
      const r2 = await createThroughElection(be, "/ha/b", b("2"));
      assert.equal((await be.get("/ha/b")).kv?.modRevision, r2);
      const next = (await it.next()).value as WatchEvent[];
      assert.deepEqual(next.map((e) => [e.kv.key, e.kv.modRevision]), [["/ha/b", r2]]);
      assert.ok(logs.some((l) => /resuming from revision/.test(l)), `the watch moved to another member: ${logs.join("\n")}`);
      ac.abort();
    });
  } finally {
    await cluster.stop();
  }
});
