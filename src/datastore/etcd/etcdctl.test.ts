/**
 * The etcd endpoint against the real etcdctl 3.4 (Debian etcd-client), over
 * TCP and over kine.sock (relative form, as k3s uses it).
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBackend, startEtcdServer, type EtcdServer, type KineBackend } from "../mod.ts";

let dir: string;
let be: KineBackend;
let srv: EtcdServer;
let endpoint: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "kine-etcdctl-"));
  be = await createBackend({ dataDir: dir });
  srv = await startEtcdServer(be, { socketPath: join(dir, "kine.sock"), tcpAddress: "127.0.0.1:0" });
  endpoint = `127.0.0.1:${srv.port}`;
});

after(async () => {
  await srv.close();
  await be.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

/** runs etcdctl (asynchronously: the server lives in this process) */
function etcdctl(args: string[], opts: { input?: string | Buffer; endpoints?: string; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      "etcdctl",
      [`--endpoints=${opts.endpoints ?? endpoint}`, "--dial-timeout=3s", "--command-timeout=5s", ...args],
      { env: { ...process.env, ETCDCTL_API: "3" }, cwd: opts.cwd, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => resolve({ stdout, stderr, code: err ? Number((err as { code?: number }).code ?? 1) : 0 }),
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

async function ok(args: string[], opts?: Parameters<typeof etcdctl>[1]): Promise<string> {
  const r = await etcdctl(args, opts);
  assert.equal(r.code, 0, `etcdctl ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

test("put, get --prefix, get --rev, get --limit, del --prefix", async () => {
  assert.equal((await ok(["put", "/p/a", "1"])).trim(), "OK");
  const rev = JSON.parse(await ok(["get", "/p/a", "-w", "json"])).header.revision as number;
  await ok(["put", "/p/a", "2"]);
  await ok(["put", "/p/b", "3"]);
  assert.equal(await ok(["get", "--prefix", "/p/"]), "/p/a\n2\n/p/b\n3\n");
  assert.equal(await ok(["get", "/p/a", `--rev=${rev}`, "--print-value-only"]), "1\n");
  const limited = JSON.parse(await ok(["get", "--prefix", "/p/", "--limit=1", "-w", "json"]));
  assert.equal(limited.kvs.length, 1);
  assert.equal(limited.more, true);
  assert.equal(limited.count, 2);
  assert.equal(await ok(["get", "--prefix", "/p/", "--sort-by=KEY", "--order=DESCEND", "--keys-only"]), "/p/b\n\n/p/a\n\n");
  assert.equal((await ok(["del", "--prefix", "/p/"])).trim(), "2");
  assert.equal(await ok(["get", "--prefix", "/p/"]), "");
});

test("watch sees another etcdctl's puts and history from --rev", async () => {
  const first = JSON.parse(await ok(["put", "/w/x", "old", "-w", "json"])).header.revision as number;
  const child = spawn("etcdctl", [`--endpoints=${endpoint}`, "watch", "--prefix", "/w/", `--rev=${first}`], { env: { ...process.env, ETCDCTL_API: "3" } });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  try {
    await new Promise((r) => setTimeout(r, 700));
    await ok(["put", "/w/y", "new"]);
    await ok(["del", "/w/x"]);
    const deadline = Date.now() + 5000;
    while (!out.includes("DELETE") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(out, "PUT\n/w/x\nold\nPUT\n/w/y\nnew\nDELETE\n/w/x\n\n");
  } finally {
    child.kill();
  }
});

test("txn with compares, success and failure branches", async () => {
  await ok(["put", "/t/k", "v1"]);
  const input = 'value("/t/k") = "v1"\nmod("/t/missing") = "0"\n\nput /t/k v2\nput /t/other x\n\nput /t/failed y\n\n';
  assert.match(await ok(["txn"], { input }), /^SUCCESS\n\nOK\n\nOK\n$/);
  assert.match(await ok(["txn"], { input }), /^FAILURE\n\nOK\n$/);
  assert.equal(await ok(["get", "/t/k", "--print-value-only"]), "v2\n");
  assert.equal(await ok(["get", "/t/failed", "--print-value-only"]), "y\n");
});

test("txn of two puts: both keys at the txn's revision, in get and in a watch", async () => {
  const child = spawn("etcdctl", [`--endpoints=${endpoint}`, "watch", "--prefix", "/one/", "-w", "json"], { env: { ...process.env, ETCDCTL_API: "3" } });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  try {
    await new Promise((r) => setTimeout(r, 700));
    const txn = JSON.parse(await ok(["txn", "-w", "json"], { input: "\nput /one/a 1\nput /one/b 2\n\n\n" }));
    const rev = txn.header.revision as number;
    const got = JSON.parse(await ok(["get", "--prefix", "/one/", "-w", "json"]));
    assert.deepEqual(
      got.kvs.map((kv: { mod_revision: number }) => kv.mod_revision),
      [rev, rev],
    );
    const deadline = Date.now() + 5000;
    while (!out.includes("}\n") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const resp = JSON.parse(out.split("\n")[0]);
    assert.equal(resp.Header.revision, rev);
    assert.deepEqual(
      resp.Events.map((e: { kv: { mod_revision: number } }) => e.kv.mod_revision),
      [rev, rev],
      "one watch response holds both events at one revision",
    );
  } finally {
    child.kill();
  }
});

test("lease grant, keep-alive --once, timetolive, revoke, expiry deletes keys", async () => {
  const id = /lease ([0-9a-f]+) granted with TTL\(2s\)/.exec(await ok(["lease", "grant", "2"]))?.[1];
  assert.ok(id, "lease id printed");
  await ok(["put", "/l/k", "v", `--lease=${id}`]);
  assert.match(await ok(["lease", "keep-alive", "--once", id]), new RegExp(`lease ${id} keepalived with TTL\\(2\\)`));
  assert.match(await ok(["lease", "timetolive", id, "--keys"]), /attached keys\(\[\/l\/k\]\)/);
  assert.match(await ok(["lease", "list"]), new RegExp(id));
  const deadline = Date.now() + 5000;
  while ((await ok(["get", "/l/k"])) !== "" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.equal(await ok(["get", "/l/k"]), "", "the key went with its lease");
  const id2 = /lease ([0-9a-f]+) granted/.exec(await ok(["lease", "grant", "100"]))?.[1] as string;
  await ok(["put", "/l/k2", "v", `--lease=${id2}`]);
  assert.match(await ok(["lease", "revoke", id2]), /revoked/);
  assert.equal(await ok(["get", "/l/k2"]), "");
  const bad = await etcdctl(["put", "/l/k3", "v", "--lease=1234abcd"]);
  assert.match(bad.stderr, /requested lease not found/);
});

test("compaction, then get --rev below it is refused; status; oversized put", async () => {
  const r1 = JSON.parse(await ok(["put", "/c/k", "1", "-w", "json"])).header.revision as number;
  const r2 = JSON.parse(await ok(["put", "/c/k", "2", "-w", "json"])).header.revision as number;
  await ok(["put", "/c/k", "3"]);
  assert.match(await ok(["compaction", String(r2)]), new RegExp(`compacted revision ${r2}`));
  const old = await etcdctl(["get", "/c/k", `--rev=${r1}`]);
  assert.notEqual(old.code, 0);
  assert.match(old.stderr, /required revision has been compacted/);
  assert.equal(await ok(["get", "/c/k", `--rev=${r2}`, "--print-value-only"]), "2\n");
  const status = JSON.parse(await ok(["endpoint", "status", "-w", "json"]));
  assert.ok(status[0].Status.header.revision >= r2 + 1);
  const big = await etcdctl(["put", "/c/big"], { input: Buffer.alloc(1.6 * 1024 * 1024, 97) });
  assert.match(big.stderr, /request is too large/);
  const watch = await etcdctl(["watch", "/c/k", `--rev=${r1}`]);
  assert.match(watch.stdout + watch.stderr, /compacted/);
});

test("kine.sock: relative unix endpoint from the socket's directory", async () => {
  await ok(["put", "/u/k", "sock"], { endpoints: "unix://kine.sock", cwd: dir });
  assert.equal(await ok(["get", "/u/k", "--print-value-only"], { endpoints: "unix://kine.sock", cwd: dir }), "sock\n");
});

test("kine.sock: absolute unix:///path endpoint (etcd's Go client sends the path as :authority)", async () => {
  const sock = `unix://${join(dir, "kine.sock")}`;
  await ok(["put", "/u/abs", "absolute"], { endpoints: sock });
  assert.equal(await ok(["get", "/u/abs", "--print-value-only"], { endpoints: sock }), "absolute\n");
  const child = spawn("etcdctl", [`--endpoints=${sock}`, "watch", "/u/abs"], { env: { ...process.env, ETCDCTL_API: "3" } });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  try {
    await new Promise((r) => setTimeout(r, 700));
    for (let i = 0; i < 3; i++) await ok(["put", "/u/abs", `v${i}`], { endpoints: sock });
    const deadline = Date.now() + 5000;
    while (!out.includes("v2") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(out, "PUT\n/u/abs\nv0\nPUT\n/u/abs\nv1\nPUT\n/u/abs\nv2\n");
  } finally {
    child.kill();
  }
  assert.match(await ok(["endpoint", "status"], { endpoints: sock }), /3\.5\.16/);
});
