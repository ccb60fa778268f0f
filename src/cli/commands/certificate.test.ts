// Checks `k3s certificate check` against a real PKI and that `rotate` backs
// up server/tls, removes only the chosen leaves, and the next
// ensureServerPKI issues them with new keys under the same CA.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureServerPKI } from "../../server/pki/mod.ts";
import { serverConfigForTest } from "../../server/pki/testing.ts";
import { checkCertificates, rotateCertificates, tlsFiles } from "./certificate.ts";

const mainTs = join(import.meta.dirname, "..", "main.ts");

test("certificate check lists the leaves with expiry; rotate renews the chosen ones with new keys", async () => {
  const dir = mkdtempSync(join(tmpdir(), "k3s-certcmd-"));
  try {
    const config = serverConfigForTest(dir);
    const before = await ensureServerPKI(config);
    const statuses = checkCertificates(dir);
    assert.deepEqual(
      statuses.map((s) => `${s.service} ${s.file.split("/").pop()} ${s.status}`),
      [
        "admin client-admin.crt OK",
        "api-server client-kube-apiserver.crt OK",
        "api-server serving-kube-apiserver.crt OK",
        "controller-manager client-controller.crt OK",
        "scheduler client-scheduler.crt OK",
        "k3s-controller client-k3s-controller.crt OK",
        "k3s-server client-supervisor.crt OK",
        "auth-proxy client-auth-proxy.crt OK",
        "kube-proxy client-kube-proxy.crt OK",
      ],
    );
    const table = spawnSync(process.execPath, ["--import", "tsx", mainTs, "certificate", "check", "-d", dir, "--output", "table", "--service", "admin"], { encoding: "utf8" });
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^FILENAME\s+SUBJECT\s+EXPIRES\s+RESIDUAL TIME\s+STATUS\n/);
    assert.match(table.stdout, /client-admin\.crt\s+O=system:masters,CN=system:admin\s+\S+\s+36[45]d\s+OK/);

    const { backup, removed } = rotateCertificates(dir, ["admin", "api-server"]);
    assert.equal(removed.length, 6);
    assert.ok(tlsFiles(dir).includes("server-ca.key"));
    assert.equal(readFileSync(join(backup, "client-admin.key"), "utf8"), before.clientAdmin.keyPEM);
    const after = await ensureServerPKI(config);
    assert.deepEqual(after.changed.sort(), ["client-admin (created)", "client-kube-apiserver (created)", "serving-kube-apiserver (created)"]);
    assert.notEqual(after.clientAdmin.keyPEM, before.clientAdmin.keyPEM);
    assert.equal(after.serverCA.certPEM, before.serverCA.certPEM);
    assert.equal(after.clientScheduler.keyPEM, before.clientScheduler.keyPEM);

    const bad = spawnSync(process.execPath, ["--import", "tsx", mainTs, "certificate", "rotate", "-d", dir, "--service", "nope"], { encoding: "utf8" });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown certificate service "nope"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
