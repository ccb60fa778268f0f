// Checks bootstrap tokens (secret lookup, expiry, extra groups, usage flag)
// and static k3s credentials (passwd CSV, bearer and basic auth).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../api/types.ts";
import { createAuthenticator } from "./authenticator.ts";
import { formatPasswdFile, parsePasswdFile } from "./static.ts";

function b64(s: string): string {
  return Buffer.from(s).toString("base64");
}

function bootstrapSecret(id: string, secret: string, extra: Record<string, string> = {}): KubeObject {
  const data: Record<string, string> = { "token-id": b64(id), "token-secret": b64(secret), "usage-bootstrap-authentication": b64("true") };
  for (const [k, v] of Object.entries(extra)) data[k] = b64(v);
  return { kind: "Secret", type: "bootstrap.kubernetes.io/token", metadata: { name: `bootstrap-token-${id}`, namespace: "kube-system" }, data };
}

function lookupOf(objects: KubeObject[]) {
  return {
    async getObject(resource: string, namespace: string, name: string) {
      return resource === "secrets" ? objects.find((o) => o.metadata.namespace === namespace && o.metadata.name === name) : undefined;
    },
  };
}

const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });

test("bootstrap tokens authenticate as system:bootstrap:<id> with extra groups", async () => {
  const secrets = [
    bootstrapSecret("abcdef", "0123456789abcdef", { "auth-extra-groups": "system:bootstrappers:k3s:default-node-token" }),
    bootstrapSecret("old123", "0123456789abcdef", { expiration: "2001-01-01T00:00:00Z" }),
    bootstrapSecret("nouse1", "0123456789abcdef", { "usage-bootstrap-authentication": "false" }),
  ];
  const auth = createAuthenticator({ lookup: lookupOf(secrets) });
  const user = await auth.authenticate(bearer("abcdef.0123456789abcdef"));
  assert.deepEqual(user, {
    username: "system:bootstrap:abcdef",
    groups: ["system:bootstrappers", "system:bootstrappers:k3s:default-node-token", "system:authenticated"],
  });
  assert.equal(await auth.authenticate(bearer("abcdef.0123456789abcdee")), undefined, "wrong secret");
  assert.equal(await auth.authenticate(bearer("old123.0123456789abcdef")), undefined, "expired");
  assert.equal(await auth.authenticate(bearer("nouse1.0123456789abcdef")), undefined, "not for authentication");
  assert.equal(await auth.authenticate(bearer("zzzzzz.0123456789abcdef")), undefined, "no secret");
});

test("k3s passwd entries work as bearer tokens and basic auth", async () => {
  const passwd = 'secret-node,node,node,system:nodes\nsecret-server,server,server,"system:masters,k3s:server"\n';
  const creds = parsePasswdFile(passwd);
  assert.deepEqual(creds[1].user, { username: "server", uid: "server", groups: ["system:masters", "k3s:server"] });
  assert.deepEqual(parsePasswdFile(formatPasswdFile(creds)), creds);
  const auth = createAuthenticator({ staticTokens: creds });
  assert.deepEqual((await auth.authenticate(bearer("secret-node")))?.groups, ["system:nodes", "system:authenticated"]);
  const basic = (u: string, p: string) => ({ headers: { authorization: `Basic ${b64(`${u}:${p}`)}` } });
  assert.equal((await auth.authenticate(basic("server", "secret-server")))?.username, "server");
  assert.equal(await auth.authenticate(basic("node", "secret-server")), undefined, "password of another user");
  assert.equal(await auth.authenticate(bearer("nope")), undefined);
  const mapAuth = createAuthenticator({ staticTokens: { t0k: { username: "alice", groups: [] } } });
  assert.equal((await mapAuth.authenticate(bearer("t0k")))?.username, "alice");
  assert.equal(await mapAuth.authenticate({ headers: {} }), undefined);
});
