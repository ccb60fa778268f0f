// Checks the token format (full, short, bootstrap), the server token files
// and their modes, restart stability, and that a token naming another CA is
// refused before anything is written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureServerPKI } from "../pki/mod.ts";
import { serverConfigForTest } from "../pki/testing.ts";
import {
  caHash,
  checkTokensAgainstCA,
  ensureNodePassword,
  ensureTokens,
  formatToken,
  generateBootstrapToken,
  verifyCAHash,
  hashNodePassword,
  parseToken,
  TokenMismatchError,
  verifyNodePassword,
} from "./mod.ts";

const HASH = "a".repeat(64);

test("parseToken reads full, short and bootstrap forms", () => {
  assert.deepEqual(parseToken(`K10${HASH}::server:s3cret`), { caHash: HASH, username: "server", password: "s3cret" });
  assert.deepEqual(parseToken(`K10${HASH}::node:p:with:colons`), { caHash: HASH, username: "node", password: "p:with:colons" });
  assert.deepEqual(parseToken("justasecret\n"), { caHash: undefined, password: "justasecret" });
  assert.deepEqual(parseToken(`K10${HASH}::abcdef.0123456789abcdef`), {
    caHash: HASH,
    password: "abcdef.0123456789abcdef",
    bootstrap: { id: "abcdef", secret: "0123456789abcdef" },
  });
  assert.equal(parseToken("abcdef.0123456789abcdef").bootstrap?.id, "abcdef");
  assert.throws(() => parseToken(""), /token is empty/);
  assert.throws(() => parseToken("K10nothex::server:x"), /token ca hash "nothex" is not a sha256 hex digest/);
  assert.throws(() => parseToken(`K10${HASH}::`), /no credentials/);
});

test("formatToken and caHash follow k3s", () => {
  assert.equal(caHash("pem bytes"), createHash("sha256").update("pem bytes").digest("hex"));
  assert.equal(formatToken(HASH, "pw"), `K10${HASH}::server:pw`);
  assert.equal(formatToken(HASH, "pw", { username: "node" }), `K10${HASH}::node:pw`);
  assert.equal(formatToken(HASH, "abcdef.0123456789abcdef"), `K10${HASH}::abcdef.0123456789abcdef`);
  assert.match(generateBootstrapToken(), /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
});

test("verifyCAHash accepts the CA a token names and refuses another", () => {
  const ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  verifyCAHash(`K10${caHash(ca)}::node:pw`, ca);
  verifyCAHash("bare-secret", "anything");
  assert.throws(() => verifyCAHash(`K10${HASH}::node:pw`, ca), new RegExp(`ca hash ${caHash(ca)} does not match the token's ca hash ${HASH}`));
});

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "k3s-token-"));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  "ensureTokens writes token, node-token link, agent-token and passwd; a restart keeps them",
  withDir(async (dir) => {
    const config = serverConfigForTest(dir);
    const pki = await ensureServerPKI(config);
    const tokens = await ensureTokens(config, pki);
    const hash = createHash("sha256").update(readFileSync(join(dir, "server", "tls", "server-ca.crt"))).digest("hex");
    assert.match(tokens.token, new RegExp(`^K10${hash}::server:[0-9a-f]{32}$`));
    assert.equal(readFileSync(join(dir, "server", "token"), "utf8"), `${tokens.token}\n`);
    assert.equal(statSync(join(dir, "server", "token")).mode & 0o777, 0o600);
    assert.ok(lstatSync(join(dir, "server", "node-token")).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, "server", "node-token")), "token");
    assert.equal(readFileSync(join(dir, "server", "node-token"), "utf8"), `${tokens.token}\n`);
    assert.equal(readFileSync(join(dir, "server", "agent-token"), "utf8"), `${tokens.token}\n`);
    assert.equal(statSync(tokens.passwdPath).mode & 0o777, 0o600);
    assert.equal(readFileSync(tokens.passwdPath, "utf8"), `${tokens.serverPassword},server,server,k3s:server\n${tokens.serverPassword},node,node,k3s:agent\n`);

    const again = await ensureTokens(config, await ensureServerPKI(config));
    assert.equal(again.token, tokens.token);
    // the full token printed by the first start is accepted on the next
    const withFull = await ensureTokens({ ...config, token: tokens.token }, pki);
    assert.equal(withFull.token, tokens.token);
  }),
);

test(
  "a bare --token is wrapped, --agent-token gets its own node: token",
  withDir(async (dir) => {
    const config = serverConfigForTest(dir, { token: "mysecret", agentToken: "agentsecret" });
    const pki = await ensureServerPKI(config);
    const tokens = await ensureTokens(config, pki);
    assert.equal(tokens.token, `K10${caHash(pki.serverCA.certPEM)}::server:mysecret`);
    assert.equal(tokens.agentToken, `K10${caHash(pki.serverCA.certPEM)}::node:agentsecret`);
    assert.equal(readFileSync(tokens.agentTokenPath, "utf8"), `${tokens.agentToken}\n`);
    assert.match(readFileSync(tokens.passwdPath, "utf8"), /^mysecret,server,server,k3s:server\nagentsecret,node,node,k3s:agent\n$/);
  }),
);

test(
  "a token naming another CA, or another secret, is refused and nothing changes",
  withDir(async (dir) => {
    const config = serverConfigForTest(dir, { token: "first" });
    const pki = await ensureServerPKI(config);
    await ensureTokens(config, pki);
    const snapshot = (): string => readdirSync(join(dir, "server")).sort().map((f) => `${f}:${lstatSync(join(dir, "server", f)).mtimeMs}`).join(",");
    const before = snapshot();
    const tokenBefore = readFileSync(join(dir, "server", "token"), "utf8");
    const foreign = `K10${"b".repeat(64)}::server:first`;
    assert.throws(() => checkTokensAgainstCA({ ...config, token: foreign }), (err: Error) => err instanceof TokenMismatchError && /ca hash b{64} does not match the cluster ca hash/.test(err.message));
    await assert.rejects(ensureTokens({ ...config, token: foreign }, pki), TokenMismatchError);
    await assert.rejects(ensureTokens({ ...config, token: "second" }, pki), /does not match the token already stored/);
    assert.equal(snapshot(), before);
    assert.equal(readFileSync(join(dir, "server", "token"), "utf8"), tokenBefore);
  }),
);

test(
  "a full token on a data dir without a CA is refused before the CA is made",
  withDir(async (dir) => {
    assert.throws(() => checkTokensAgainstCA(serverConfigForTest(dir, { token: `K10${HASH}::server:x` })), /has no server ca yet/);
    checkTokensAgainstCA(serverConfigForTest(dir, { token: "bare" }));
  }),
);

test(
  "node password file is created once and hashes verify",
  withDir(async (dir) => {
    const path = join(dir, "node", "password");
    const pw = ensureNodePassword(path);
    assert.match(pw, /^[0-9a-f]{32}$/);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(ensureNodePassword(path), pw);
    const hash = await hashNodePassword(pw);
    assert.match(hash, /^\$1:[0-9a-f]{16}:15:8:1:[0-9a-f]{64}$/);
    assert.equal(await verifyNodePassword(hash, pw), true);
    assert.equal(await verifyNodePassword(hash, "wrong"), false);
    assert.equal(await verifyNodePassword("garbage", pw), false);
  }),
);
