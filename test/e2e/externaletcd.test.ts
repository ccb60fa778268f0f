/**
 * e2e: `k3s server --datastore-endpoint http(s)://...` keeps the cluster in a
 * real etcd (Debian's etcd 3.4), with no kine in between: what kubectl
 * creates, etcdctl reads under /registry, and a restarted server still has it.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freePort, startServer, type RunningServer } from "./harness.ts";
import { startTestEtcd, type TestEtcd } from "../../src/datastore/external/testing.ts";

/** runs the Debian etcdctl (v3 API) against the test etcd */
function etcdctl(etcd: TestEtcd, args: string[]): { status: number; stdout: string; stderr: string } {
  const tls = etcd.pki ? ["--cacert", etcd.pki.caFile, "--cert", etcd.pki.clientCertFile, "--key", etcd.pki.clientKeyFile] : [];
  const r = spawnSync("etcdctl", ["--endpoints", etcd.endpoint, ...tls, ...args], { encoding: "utf8", env: { ...process.env, ETCDCTL_API: "3" }, timeout: 30_000 });
  return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** the server flags that point it at the etcd */
function datastoreArgs(etcd: TestEtcd): string[] {
  const tls = etcd.pki ? ["--datastore-cafile", etcd.pki.caFile, "--datastore-certfile", etcd.pki.clientCertFile, "--datastore-keyfile", etcd.pki.clientKeyFile] : [];
  return ["--disable-agent", "--datastore-endpoint", etcd.endpoint, ...tls];
}

for (const mode of ["http", "https with client certificates"] as const) {
  describe(`k3s server on an external etcd over ${mode}`, () => {
    let etcd: TestEtcd;
    let server: RunningServer | undefined;
    before(async () => {
      etcd = await startTestEtcd({ tls: mode !== "http" });
      server = await startServer({ args: datastoreArgs(etcd), keepDataDir: true, timeoutMs: 120_000 });
    });
    after(async () => {
      await server?.stop();
      if (server) rmSync(server.dataDir, { recursive: true, force: true });
      await etcd?.stop();
    });

    it("stores what kubectl creates in etcd under /registry, and serves no kine.sock", () => {
      const cm = server!.kubectl(["create", "configmap", "in-etcd", "--from-literal=k=v"]);
      assert.equal(cm.status, 0, cm.stderr);
      const got = etcdctl(etcd, ["get", "/registry/configmaps/default/in-etcd", "--print-value-only"]);
      assert.equal(got.status, 0, got.stderr);
      assert.match(got.stdout, /in-etcd/);
      assert.ok(!existsSync(join(server!.dataDir, "server", "kine.sock")), "no kine endpoint with an external etcd");
      assert.match(server!.output(), /Using external etcd/);
    });

    it("a restarted server still has it, and sees what etcdctl deleted", async () => {
      const dataDir = server!.dataDir;
      await server!.stop();
      server = await startServer({ args: datastoreArgs(etcd), dataDir, timeoutMs: 120_000 });
      const got = server.kubectl(["get", "configmap", "in-etcd", "-o", "jsonpath={.data.k}"]);
      assert.equal(got.status, 0, got.stderr);
      assert.equal(got.stdout, "v");
      const del = etcdctl(etcd, ["del", "/registry/configmaps/default/in-etcd"]);
      assert.equal(del.stdout.trim(), "1", del.stderr);
      // the server's watch cache hears the delete from etcd's watch
      const deadline = Date.now() + 20_000;
      let left = server.kubectl(["get", "configmap", "in-etcd"]);
      while (left.status === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 300));
        left = server.kubectl(["get", "configmap", "in-etcd"]);
      }
      assert.match(left.stderr, /NotFound|not found/);
    });

    it("a watch from a revision etcdctl compacted away ends with 410 Expired", () => {
      const status = etcdctl(etcd, ["get", "/registry/health-probe", "-w", "json"]);
      const revision = Number((JSON.parse(status.stdout) as { header: { revision: number } }).header.revision);
      const compact = etcdctl(etcd, ["compact", String(revision)]);
      assert.equal(compact.status, 0, compact.stderr);
      const r = spawnSync("kubectl", ["--kubeconfig", server!.kubeconfig, "get", "--raw", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=2"], {
        encoding: "utf8",
        timeout: 15_000,
      });
      // the watch's one event is an ERROR with a 410 Status naming the compact revision
      assert.match(r.stdout, /"type":"ERROR"/);
      assert.match(r.stdout, /"code":410/);
      assert.match(r.stdout, new RegExp(`too old resource version: 2 \\(${revision}\\)`));
    });
  });
}

describe("k3s server started before its etcd", () => {
  it("logs its retries, then comes up once etcd is there (no crash loop)", async () => {
    const port = await freePort();
    let etcd: TestEtcd | undefined;
    let server: RunningServer | undefined;
    try {
      const lateEtcd = (async () => {
        await new Promise((r) => setTimeout(r, 3000));
        etcd = await startTestEtcd({ port });
      })();
      [server] = await Promise.all([
        startServer({ args: ["--disable-agent", "--datastore-endpoint", `http://127.0.0.1:${port}`], timeoutMs: 120_000 }),
        lateEtcd,
      ]);
      assert.match(server.output(), new RegExp(`etcd http://127.0.0.1:${port} not reachable \\(attempt 1\\).*retrying in 250 ms`));
      const cm = server.kubectl(["create", "configmap", "late", "--from-literal=k=v"]);
      assert.equal(cm.status, 0, cm.stderr);
    } finally {
      await server?.stop();
      await etcd?.stop();
    }
  });
});

describe("k3s server on an external etcd: a flag that needs kine", () => {
  it("--etcd-listen-address is refused with a clear message", async () => {
    const etcd = await startTestEtcd();
    try {
      await assert.rejects(
        startServer({ args: [...datastoreArgs(etcd), "--etcd-listen-address", "127.0.0.1:0"], timeoutMs: 60_000 }),
        /--etcd-listen-address 127\.0\.0\.1:0: the datastore is the external etcd/,
      );
    } finally {
      await etcd.stop();
    }
  });
});
