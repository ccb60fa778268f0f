// Checks the server PKI against real tools: openssl verifies every chain,
// node:tls completes a mutual-TLS handshake with the generated files, and a
// restart keeps CAs and keys while re-issuing only what changed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createPublicKey, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tls from "node:tls";
import type { AddressInfo } from "node:net";
import type { ServerConfig } from "../config.ts";
import {
  createCSR,
  createSelfSignedCA,
  ensureCA,
  ensureServerPKI,
  firstServiceIPs,
  generateKey,
  parseCSR,
  privateKeyPEM,
  signCertificate,
} from "./mod.ts";
import { serverConfigForTest } from "./testing.ts";

function config(dataDir: string, tlsSANs: string[] = []): ServerConfig {
  return serverConfigForTest(dataDir, { tlsSANs });
}

function opensslVerify(caPath: string, certPath: string): string {
  return execFileSync("openssl", ["verify", "-CAfile", caPath, certPath], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "k3s-pki-"));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test("first service IP of a cidr", () => {
  assert.deepEqual(firstServiceIPs("10.43.0.0/16"), ["10.43.0.1"]);
  assert.deepEqual(firstServiceIPs("10.43.0.0/16,fd00:43::/112"), ["10.43.0.1", "fd00:43::1"]);
  assert.throws(() => firstServiceIPs("nonsense/8"), /invalid service cidr nonsense\/8/);
});

test(
  "ensureServerPKI lays out server/tls and openssl verifies every chain",
  withDir(async (dir) => {
    const pki = await ensureServerPKI(config(dir, ["k3s.example.com", "203.0.113.9"]));
    const tlsDir = join(dir, "server", "tls");
    assert.equal(pki.tlsDir, tlsDir);
    assert.equal(statSync(tlsDir).mode & 0o777, 0o700);
    for (const name of ["server-ca", "client-ca", "request-header-ca", "client-admin", "serving-kube-apiserver"]) {
      assert.equal(statSync(join(tlsDir, `${name}.key`)).mode & 0o777, 0o600, name);
    }
    assert.equal(statSync(join(tlsDir, "service.key")).mode & 0o777, 0o600);
    assert.equal(createPublicKey(pki.serviceAccount.publicKeyPEM).asymmetricKeyType, "rsa");
    assert.deepEqual(pki.serviceAccount.verifyPublicKeyPEMs, [pki.serviceAccount.publicKeyPEM]);

    const caText = execFileSync("openssl", ["x509", "-in", pki.serverCA.certPath, "-noout", "-text"], { encoding: "utf8" });
    assert.match(caText, /Subject: CN = k3s-server-ca@\d+/);
    assert.match(caText, /CA:TRUE/);
    assert.match(caText, /ASN1 OID: prime256v1/);
    const caCert = new X509Certificate(pki.serverCA.certPEM);
    const years = (Date.parse(caCert.validTo) - Date.parse(caCert.validFrom)) / (365 * 86_400_000);
    assert.ok(years > 9.9 && years < 10.1, `ca lifetime ${years} years`);

    assert.equal(opensslVerify(pki.serverCA.certPath, pki.servingKubeAPIServer.certPath), `${pki.servingKubeAPIServer.certPath}: OK`);
    for (const c of [pki.clientAdmin, pki.clientController, pki.clientScheduler, pki.clientKubeAPIServer, pki.clientKubeProxy, pki.clientSupervisor, pki.clientK3sController]) {
      assert.equal(opensslVerify(pki.clientCA.certPath, c.certPath), `${c.certPath}: OK`);
    }
    assert.equal(opensslVerify(pki.requestHeaderCA.certPath, pki.clientAuthProxy.certPath), `${pki.clientAuthProxy.certPath}: OK`);
    assert.throws(() => opensslVerify(pki.serverCA.certPath, pki.clientAdmin.certPath));

    const admin = new X509Certificate(pki.clientAdmin.certPEM);
    assert.equal(admin.subject, "O=system:masters\nCN=system:admin");
    const leafDays = (Date.parse(admin.validTo) - Date.now()) / 86_400_000;
    assert.ok(leafDays > 364 && leafDays < 366, `leaf lifetime ${leafDays} days`);

    const servingText = execFileSync("openssl", ["x509", "-in", pki.servingKubeAPIServer.certPath, "-noout", "-text"], { encoding: "utf8" });
    for (const san of [
      "DNS:node-a",
      "DNS:localhost",
      "DNS:kubernetes.default.svc.cluster.local",
      "IP Address:127.0.0.1",
      "IP Address:0:0:0:0:0:0:0:1",
      "IP Address:10.43.0.1",
      "IP Address:192.168.50.7",
      "DNS:k3s.example.com",
      "IP Address:203.0.113.9",
    ]) {
      assert.ok(servingText.includes(san), `serving cert lacks ${san}`);
    }
    assert.match(servingText, /TLS Web Server Authentication/);
  }),
);

test(
  "restart keeps the CA and keys; a new --tls-san re-issues only the serving cert with the same key",
  withDir(async (dir) => {
    const first = await ensureServerPKI(config(dir));
    assert.ok(first.changed.length > 5);
    const again = await ensureServerPKI(config(dir));
    assert.deepEqual(again.changed, []);
    assert.equal(again.serverCA.certPEM, first.serverCA.certPEM);
    assert.equal(again.servingKubeAPIServer.certPEM, first.servingKubeAPIServer.certPEM);
    assert.equal(again.serviceAccount.keyPEM, first.serviceAccount.keyPEM);

    // after a rotation service.key holds old and new keys: both verify, the current one signs
    const next = privateKeyPEM(generateKey("rsa"));
    writeFileSync(join(dir, "server", "tls", "service.key"), first.serviceAccount.keyPEM + next);
    writeFileSync(join(dir, "server", "tls", "service.current.key"), next);
    const rotated = await ensureServerPKI(config(dir));
    assert.equal(rotated.serviceAccount.keyPEM, next);
    assert.equal(rotated.serviceAccount.verifyPublicKeyPEMs.length, 2);
    assert.ok(rotated.serviceAccount.verifyPublicKeyPEMs.includes(first.serviceAccount.publicKeyPEM));

    const widened = await ensureServerPKI(config(dir, ["extra.example.org"]));
    assert.deepEqual(widened.changed, ["serving-kube-apiserver (names changed)"]);
    assert.notEqual(widened.servingKubeAPIServer.certPEM, first.servingKubeAPIServer.certPEM);
    assert.equal(widened.servingKubeAPIServer.keyPEM, first.servingKubeAPIServer.keyPEM);
    assert.equal(widened.serverCA.certPEM, first.serverCA.certPEM);
    assert.match(new X509Certificate(widened.servingKubeAPIServer.certPEM).subjectAltName ?? "", /DNS:extra\.example\.org/);
  }),
);

test(
  "a leaf within 120 days of expiry or from another CA is re-issued, keeping its key",
  withDir(async (dir) => {
    const first = await ensureServerPKI(config(dir));
    const key = createPublicKey(first.clientAdmin.keyPEM);
    const shortLived = signCertificate(first.clientCA, { publicKey: key, subject: { cn: "system:admin", o: ["system:masters"] }, days: 30 });
    writeFileSync(first.clientAdmin.certPath, shortLived);
    const otherKey = generateKey();
    const otherCA = { certPEM: createSelfSignedCA(otherKey, { cn: "other-ca" }), keyPEM: privateKeyPEM(otherKey) };
    writeFileSync(first.clientController.certPath, signCertificate(otherCA, { publicKey: createPublicKey(first.clientController.keyPEM), subject: { cn: "system:kube-controller-manager" } }));
    const second = await ensureServerPKI(config(dir));
    assert.deepEqual(second.changed.sort(), ["client-admin (expires in 29 days)", "client-controller (issuer changed)"]);
    assert.equal(second.clientAdmin.keyPEM, first.clientAdmin.keyPEM);
    assert.equal(opensslVerify(second.clientCA.certPath, second.clientController.certPath), `${second.clientController.certPath}: OK`);
  }),
);

test(
  "mutual TLS with the serving cert and the admin client cert; a foreign client cert is refused",
  withDir(async (dir) => {
    const pki = await ensureServerPKI(config(dir));
    const server = tls.createServer({
      cert: pki.servingKubeAPIServer.certPEM,
      key: pki.servingKubeAPIServer.keyPEM,
      ca: pki.clientCA.certPEM,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: "TLSv1.2",
    });
    const accepted: string[] = [];
    server.on("secureConnection", (socket) => {
      const cn = String(socket.getPeerCertificate().subject.CN);
      accepted.push(cn);
      socket.end(`hello ${cn}`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const connect = (cert: string, key: string, servername: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = tls.connect({ host: "127.0.0.1", port, servername, ca: pki.serverCA.certPEM, cert, key }, () => {
          let data = "";
          socket.on("data", (d: Buffer) => (data += d.toString()));
          socket.on("end", () => resolve(data));
        });
        socket.on("error", reject);
      });
    try {
      assert.equal(await connect(pki.clientAdmin.certPEM, pki.clientAdmin.keyPEM, "kubernetes.default.svc"), "hello system:admin");
      assert.equal(await connect(pki.clientAdmin.certPEM, pki.clientAdmin.keyPEM, "localhost"), "hello system:admin");
      await assert.rejects(connect(pki.clientAdmin.certPEM, pki.clientAdmin.keyPEM, "not-in-the-cert.example"), /does not match certificate's altnames|ERR_TLS_CERT_ALTNAME_INVALID/);
      const otherKey = generateKey();
      const otherCA = { certPEM: createSelfSignedCA(otherKey, { cn: "stranger-ca" }), keyPEM: privateKeyPEM(otherKey) };
      const strangerKey = generateKey();
      const strangerCert = signCertificate(otherCA, { publicKey: createPublicKey(strangerKey), subject: { cn: "system:admin", o: ["system:masters"] } });
      // with TLS 1.3 the client learns of the refusal only after its handshake: an alert, never data
      const before = accepted.length;
      const outcome = await connect(strangerCert, privateKeyPEM(strangerKey), "localhost").catch((err: Error) => `refused: ${err.message}`);
      assert.doesNotMatch(outcome, /hello/);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(accepted.length, before, "the server accepted a client cert from a foreign ca");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }),
);

test(
  "a CSR is parsed, its signature checked, and signed into a cert openssl accepts",
  withDir(async (dir) => {
    const pki = await ensureServerPKI(config(dir));
    const key = generateKey();
    const csrPEM = createCSR(key, { subject: { cn: "system:node:node-b", o: ["system:nodes"] }, sans: ["node-b", "10.0.0.2"] });
    const csrPath = join(dir, "node.csr");
    writeFileSync(csrPath, csrPEM);
    const check = spawnSync("openssl", ["req", "-in", csrPath, "-noout", "-verify"], { encoding: "utf8" });
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stderr + check.stdout, /verify OK/);
    const req = parseCSR(csrPEM);
    assert.deepEqual(req.subject, { cn: "system:node:node-b", o: ["system:nodes"] });
    assert.deepEqual(req.sans, ["node-b", "10.0.0.2"]);
    const certPath = join(dir, "node.crt");
    writeFileSync(certPath, signCertificate(pki.clientCA, { publicKey: req.publicKey, subject: req.subject, sans: req.sans, usages: ["client"] }));
    assert.equal(opensslVerify(pki.clientCA.certPath, certPath), `${certPath}: OK`);

    // an openssl-made CSR parses too; a tampered one does not verify
    const osslKey = join(dir, "o.key");
    const osslCSR = join(dir, "o.csr");
    execFileSync("openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", osslKey, "-subj", "/O=g1/O=g2/CN=alice", "-addext", "subjectAltName=DNS:alice.local,IP:192.0.2.1", "-out", osslCSR], { stdio: "ignore" });
    const parsed = parseCSR(readFileSync(osslCSR, "utf8"));
    assert.deepEqual(parsed.subject, { cn: "alice", o: ["g1", "g2"] });
    assert.deepEqual(parsed.sans, ["alice.local", "192.0.2.1"]);
    const der = Buffer.from(csrPEM.replace(/-----[^-]+-----|\s/g, ""), "base64");
    const i = der.indexOf(Buffer.from("node-b"));
    der[i] = "x".charCodeAt(0);
    assert.throws(() => parseCSR(der), /certificate request signature does not verify/);
  }),
);

test(
  "a CA key without its certificate (crash between writes) is completed; a certificate without its key is refused",
  withDir(async (dir) => {
    const keyOnly = generateKey();
    writeFileSync(join(dir, "a-ca.key"), privateKeyPEM(keyOnly));
    const completed = ensureCA({ certPath: join(dir, "a-ca.crt"), keyPath: join(dir, "a-ca.key"), prefix: "k3s-a" });
    assert.equal(completed.created, true);
    assert.ok(new X509Certificate(completed.certPEM).checkPrivateKey(keyOnly));
    assert.match(new X509Certificate(completed.certPEM).subject, /^CN=k3s-a-ca@\d+$/);
    writeFileSync(join(dir, "b-ca.crt"), completed.certPEM);
    assert.throws(() => ensureCA({ certPath: join(dir, "b-ca.crt"), keyPath: join(dir, "b-ca.key"), prefix: "k3s-b" }), /ca key .*b-ca\.key is missing while .*b-ca\.crt exists/);
  }),
);
