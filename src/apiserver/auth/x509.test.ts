// Checks client-certificate authentication over a real TLS connection with
// certificates made by the openssl CLI: a certificate from the client CA is
// accepted (CN user, O groups), one from another CA is refused, and the
// clientCA option narrows what the TLS layer alone would accept; a connection is
// verified once and its certificate's expiry is still checked per request.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import type { AddressInfo } from "node:net";
import type { UserInfo } from "../../api/types.ts";
import { createAuthenticator } from "./authenticator.ts";
import type { AuthenticatorOptions } from "./authenticator.ts";
import { createX509Authenticator } from "./x509.ts";

let dir = "";
const file = (name: string) => readFileSync(join(dir, name), "utf8");

function openssl(...args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

function makeCA(name: string): void {
  openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`);
  openssl("req", "-x509", "-new", "-key", `${name}.key`, "-subj", `/CN=${name}`, "-days", "1", "-out", `${name}.crt`);
}

function makeLeaf(name: string, ca: string, subject: string, ext: string): void {
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`);
  openssl("req", "-new", "-key", `${name}.key`, "-subj", subject, "-out", `${name}.csr`);
  openssl("x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-days", "1", "-out", `${name}.crt`, "-extfile", `${name}.ext`);
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "k3s-ts-x509-"));
  makeCA("client-ca");
  makeCA("other-ca");
  makeCA("server-ca");
  makeLeaf("server", "server-ca", "/CN=kube-apiserver", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  makeLeaf("alice", "client-ca", "/O=dev/O=ops/CN=alice", "extendedKeyUsage=clientAuth\n");
  makeLeaf("admin", "client-ca", "/O=system:masters/CN=system:admin", "extendedKeyUsage=clientAuth\n");
  makeLeaf("mallory", "other-ca", "/O=system:masters/CN=mallory", "extendedKeyUsage=clientAuth\n");
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a TLS server trusting `trusted`, connects once with the client cert, returns what authentication said. */
async function connectAs(client: string | undefined, trusted: string[], opts: AuthenticatorOptions): Promise<UserInfo | undefined> {
  const auth = createAuthenticator(opts);
  const server = tls.createServer({
    key: file("server.key"),
    cert: file("server.crt"),
    ca: trusted.map((t) => file(`${t}.crt`)),
    requestCert: true,
    rejectUnauthorized: false,
  });
  server.on("secureConnection", (socket) => {
    auth.authenticate({ headers: {}, socket }).then((user) => socket.end(JSON.stringify(user ?? null)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({
        host: "127.0.0.1",
        port,
        ca: file("server-ca.crt"),
        ...(client ? { key: file(`${client}.key`), cert: file(`${client}.crt`) } : {}),
      });
      let text = "";
      socket.on("data", (d) => (text += d));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    return (JSON.parse(answer) as UserInfo | null) ?? undefined;
  } finally {
    server.close();
  }
}

test("a certificate from the client CA authenticates: CN user, O groups", async () => {
  const alice = await connectAs("alice", ["client-ca"], {});
  assert.deepEqual(alice, { username: "alice", groups: ["dev", "ops", "system:authenticated"] });
  const admin = await connectAs("admin", ["client-ca"], { clientCA: file("client-ca.crt") });
  assert.deepEqual(admin, { username: "system:admin", groups: ["system:masters", "system:authenticated"] });
});

test("a certificate from another CA is refused", async () => {
  assert.equal(await connectAs("mallory", ["client-ca"], {}), undefined);
});

test("no client certificate means no user", async () => {
  assert.equal(await connectAs(undefined, ["client-ca"], {}), undefined);
});

test("clientCA refuses certificates other CAs of the TLS server vouch for", async () => {
  assert.equal((await connectAs("mallory", ["client-ca", "other-ca"], {}))?.username, "mallory");
  assert.equal(await connectAs("mallory", ["client-ca", "other-ca"], { clientCA: file("client-ca.crt") }), undefined);
  assert.equal(await connectAs("alice", ["client-ca", "other-ca"], { x509: false }), undefined);
});

test("a connection's certificate is verified once, its expiry on every request", async () => {
  let clock = Date.now();
  const authenticate = createX509Authenticator({ clientCA: file("client-ca.crt"), now: () => new Date(clock) });
  const server = tls.createServer({ key: file("server.key"), cert: file("server.crt"), ca: file("client-ca.crt"), requestCert: true, rejectUnauthorized: false });
  const seen: (string | undefined)[] = [];
  let peerReads = 0;
  server.on("secureConnection", (socket) => {
    const read = socket.getPeerX509Certificate.bind(socket);
    socket.getPeerX509Certificate = () => (peerReads++, read());
    const first = authenticate(socket);
    if (first) first.groups.push("tampered");
    seen.push(first?.username, authenticate(socket)?.groups.join(","));
    clock += 2 * 24 * 3600 * 1000; // the leaf is valid for one day
    seen.push(authenticate(socket)?.username);
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve, reject) => {
      const socket = tls.connect({ host: "127.0.0.1", port, ca: file("server-ca.crt"), key: file("alice.key"), cert: file("alice.crt") });
      socket.on("data", () => undefined);
      socket.on("end", () => resolve());
      socket.on("error", reject);
    });
  } finally {
    server.close();
  }
  assert.deepEqual(seen, ["alice", "dev,ops,system:authenticated", undefined]);
  assert.equal(peerReads, 1);
});
