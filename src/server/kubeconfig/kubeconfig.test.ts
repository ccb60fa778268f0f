// Checks the kubeconfigs k3s writes: names, modes, embedded and referenced
// certificates, and that the real kubectl reaches an HTTPS server with them
// (the server checks the client certificate against the client CA).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:https";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { parse } from "yaml";
import { ensureServerPKI } from "../pki/mod.ts";
import { serverConfigForTest } from "../pki/testing.ts";
import { ensureServerKubeconfigs, loadKubeconfig, localAPIServerURL } from "./mod.ts";

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "k3s-kubeconfig-"));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  "admin kubeconfig: k3s names, embedded certs, requested mode; component kubeconfigs reference files",
  withDir(async (dir) => {
    const config = serverConfigForTest(dir, { httpsListenPort: 7443, writeKubeconfig: join(dir, "etc", "k3s.yaml"), writeKubeconfigMode: 0o644 });
    const pki = await ensureServerPKI(config);
    const paths = await ensureServerKubeconfigs(config, pki);
    assert.equal(statSync(paths.admin).mode & 0o777, 0o644);
    assert.equal(statSync(join(dir, "etc")).mode & 0o777, 0o755, "a created kubeconfig directory stays traversable");
    const doc = parse(readFileSync(paths.admin, "utf8"));
    assert.equal(doc["current-context"], "default");
    assert.deepEqual(doc.contexts, [{ context: { cluster: "default", user: "default" }, name: "default" }]);
    assert.equal(doc.clusters[0].name, "default");
    assert.equal(doc.clusters[0].cluster.server, "https://127.0.0.1:7443");
    assert.equal(Buffer.from(doc.clusters[0].cluster["certificate-authority-data"], "base64").toString(), pki.serverCA.certPEM);
    assert.equal(doc.users[0].name, "default");
    assert.equal(Buffer.from(doc.users[0].user["client-key-data"], "base64").toString(), pki.clientAdmin.keyPEM);

    for (const name of ["admin", "controller", "scheduler", "api-server", "supervisor"]) {
      const path = join(dir, "server", "cred", `${name}.kubeconfig`);
      assert.equal(statSync(path).mode & 0o777, 0o600, path);
      const loaded = loadKubeconfig(path);
      assert.equal(loaded.server, "https://127.0.0.1:7443");
      assert.equal(loaded.caPEM, pki.serverCA.certPEM);
    }
    assert.match(readFileSync(paths.controller, "utf8"), /client-certificate: .*server\/tls\/client-controller\.crt/);

    // a restart with the default mode tightens the file again and keeps the content
    const before = readFileSync(paths.admin, "utf8");
    await ensureServerKubeconfigs({ ...config, writeKubeconfigMode: 0o600 }, await ensureServerPKI(config));
    assert.equal(statSync(paths.admin).mode & 0o777, 0o600);
    assert.equal(readFileSync(paths.admin, "utf8"), before);
  }),
);

test("the local API URL is loopback unless the server binds one address", () => {
  const base = serverConfigForTest("/nonexistent");
  assert.equal(localAPIServerURL(base), "https://127.0.0.1:6443");
  assert.equal(localAPIServerURL({ ...base, bindAddress: "::" }), "https://127.0.0.1:6443");
  assert.equal(localAPIServerURL({ ...base, bindAddress: "10.1.2.3", httpsListenPort: 7443 }), "https://10.1.2.3:7443");
  assert.equal(localAPIServerURL({ ...base, bindAddress: "fd00::5" }), "https://[fd00::5]:6443");
});

test(
  "the real kubectl talks to an HTTPS server with the admin kubeconfig",
  withDir(async (dir) => {
    const config = serverConfigForTest(dir, { writeKubeconfig: join(dir, "k3s.yaml") });
    const pki = await ensureServerPKI(config);
    const seen: string[] = [];
    const server = createServer(
      { cert: pki.servingKubeAPIServer.certPEM, key: pki.servingKubeAPIServer.keyPEM, ca: pki.clientCA.certPEM, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        seen.push(`${peer.subject.CN} ${req.url}`);
        if (req.url === "/version") {
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify({ major: "1", minor: "32", gitVersion: "v1.32.5+k3s-ts", platform: "linux/amd64" }));
        } else if (req.url?.startsWith("/readyz")) {
          res.end("ok");
        } else {
          res.statusCode = 404;
          res.end();
        }
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const paths = await ensureServerKubeconfigs({ ...config, httpsListenPort: port }, pki);
      const out = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        // not spawnSync: it would block the event loop that serves the request
        const child = spawn("kubectl", ["--kubeconfig", paths.admin, "get", "--raw", "/readyz"], { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d));
        child.stderr.on("data", (d: Buffer) => (stderr += d));
        child.on("close", (status) => resolve({ status, stdout, stderr }));
      });
      assert.equal(out.status, 0, out.stderr);
      assert.equal(out.stdout.trim(), "ok");
      assert.ok(seen.includes("system:admin /readyz"), seen.join(", "));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }),
);
