// Checks service-account tokens end to end: issue with a real RSA or P-256
// key, authenticate through createAuthenticator with a lookup over an
// in-memory object set, and reject expired, foreign, mis-addressed and
// unbound tokens.
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import type { KubeObject } from "../../api/types.ts";
import { createAuthenticator } from "./authenticator.ts";
import { decodeJwt, keyId } from "./jwt.ts";
import type { ObjectLookup } from "./lookup.ts";
import { createServiceAccountAuthenticator, issueLegacyServiceAccountToken, issueServiceAccountToken } from "./serviceaccount.ts";
import { cacheTokenResults } from "./tokencache.ts";

function store(objects: KubeObject[]): ObjectLookup & { objects: KubeObject[] } {
  const resourceOf: Record<string, string> = { Secret: "secrets", ServiceAccount: "serviceaccounts", Pod: "pods" };
  return {
    objects,
    async getObject(resource, namespace, name) {
      return objects.find((o) => resourceOf[o.kind ?? ""] === resource && o.metadata.namespace === namespace && o.metadata.name === name);
    },
  };
}

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const other = generateKeyPairSync("rsa", { modulusLength: 2048 });

const sa: KubeObject = { kind: "ServiceAccount", metadata: { name: "builder", namespace: "ci", uid: "sa-uid-1" } };
const pod: KubeObject = { kind: "Pod", metadata: { name: "job-1", namespace: "ci", uid: "pod-uid-1" } };

function bearer(token: string) {
  return { headers: { authorization: `Bearer ${token}` } };
}

test("bound RS256 token authenticates as the service account with pod extras", async () => {
  const lookup = store([sa, pod]);
  const auth = createAuthenticator({ serviceAccountKeys: [rsa.publicKey], lookup });
  const { token, expirationTimestamp } = issueServiceAccountToken(
    { namespace: "ci", serviceAccount: "builder", uid: "sa-uid-1", boundObject: { kind: "Pod", name: "job-1", uid: "pod-uid-1" }, node: { name: "n1", uid: "node-uid" } },
    rsa.privateKey,
  );
  assert.match(expirationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const decoded = decodeJwt(token);
  assert.equal(decoded?.header.alg, "RS256");
  assert.equal(decoded?.header.kid, keyId(rsa.publicKey));
  assert.equal(decoded?.claims.sub, "system:serviceaccount:ci:builder");
  assert.deepEqual(decoded?.claims.aud, ["https://kubernetes.default.svc.cluster.local", "k3s"]);
  const user = await auth.authenticate(bearer(token));
  assert.equal(user?.username, "system:serviceaccount:ci:builder");
  assert.equal(user?.uid, "sa-uid-1");
  assert.deepEqual(user?.groups, ["system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"]);
  assert.deepEqual(user?.extra?.["authentication.kubernetes.io/pod-name"], ["job-1"]);
  assert.deepEqual(user?.extra?.["authentication.kubernetes.io/node-name"], ["n1"]);
});

test("ES256 tokens verify too", async () => {
  const auth = createAuthenticator({ serviceAccountKeys: [ec.publicKey], lookup: store([sa]) });
  const { token } = issueServiceAccountToken({ namespace: "ci", serviceAccount: "builder", uid: "sa-uid-1" }, ec.privateKey);
  assert.equal(decodeJwt(token)?.header.alg, "ES256");
  assert.equal((await auth.authenticate(bearer(token)))?.username, "system:serviceaccount:ci:builder");
});

test("expired, foreign-key, wrong-audience and tampered tokens are refused", async () => {
  const auth = createAuthenticator({ serviceAccountKeys: [rsa.publicKey], lookup: store([sa]) });
  const base = { namespace: "ci", serviceAccount: "builder", uid: "sa-uid-1" };
  const expired = issueServiceAccountToken({ ...base, expirationSeconds: 600, now: new Date(Date.now() - 3600_000) }, rsa.privateKey);
  assert.equal(await auth.authenticate(bearer(expired.token)), undefined);
  assert.match((await auth.authenticateToken(expired.token)).error ?? "", /expired/);
  const foreign = issueServiceAccountToken(base, other.privateKey);
  assert.equal(await auth.authenticate(bearer(foreign.token)), undefined);
  const wrongAud = issueServiceAccountToken({ ...base, audiences: ["vault"] }, rsa.privateKey);
  assert.equal(await auth.authenticate(bearer(wrongAud.token)), undefined);
  // the same token is fine when the reviewer asks for its audience
  const review = await auth.authenticateToken(wrongAud.token, ["vault"]);
  assert.equal(review.user?.username, "system:serviceaccount:ci:builder");
  assert.deepEqual(review.audiences, ["vault"]);
  const good = issueServiceAccountToken(base, rsa.privateKey).token;
  const [h, c, s] = good.split(".");
  const claims = JSON.parse(Buffer.from(c, "base64url").toString());
  claims.sub = "system:serviceaccount:kube-system:admin";
  const tampered = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
  assert.equal(await auth.authenticate(bearer(tampered)), undefined);
  assert.ok(await auth.authenticate(bearer(good)));
});

test("a token outlives neither its service account nor its pod", async () => {
  const lookup = store([sa, pod]);
  const auth = createAuthenticator({ serviceAccountKeys: [rsa.publicKey], lookup, tokenCacheTTLMs: 0 });
  const { token } = issueServiceAccountToken(
    { namespace: "ci", serviceAccount: "builder", uid: "sa-uid-1", boundObject: { kind: "Pod", name: "job-1", uid: "pod-uid-1" } },
    rsa.privateKey,
  );
  assert.ok(await auth.authenticate(bearer(token)));
  lookup.objects.splice(lookup.objects.indexOf(pod), 1, { ...pod, metadata: { ...pod.metadata, uid: "pod-uid-2" } });
  assert.equal(await auth.authenticate(bearer(token)), undefined, "pod recreated with a new uid");
  lookup.objects.length = 0;
  lookup.objects.push({ ...sa, metadata: { ...sa.metadata, uid: "sa-uid-2" } });
  const unbound = issueServiceAccountToken({ namespace: "ci", serviceAccount: "builder", uid: "sa-uid-1" }, rsa.privateKey);
  assert.equal(await auth.authenticate(bearer(unbound.token)), undefined, "service account recreated");
});

test("legacy secret-based tokens need their secret", async () => {
  const token = issueLegacyServiceAccountToken({ namespace: "ci", serviceAccount: "builder", uid: "sa-uid-1", secretName: "builder-token" }, rsa.privateKey);
  const secret: KubeObject = {
    kind: "Secret",
    type: "kubernetes.io/service-account-token",
    metadata: { name: "builder-token", namespace: "ci" },
    data: { token: Buffer.from(token).toString("base64") },
  };
  const lookup = store([sa, secret]);
  const auth = createAuthenticator({ serviceAccountKeys: [rsa.publicKey], lookup, tokenCacheTTLMs: 0 });
  assert.equal((await auth.authenticate(bearer(token)))?.username, "system:serviceaccount:ci:builder");
  lookup.objects.splice(lookup.objects.indexOf(secret), 1);
  assert.equal(await auth.authenticate(bearer(token)), undefined);
});

test("websocket subprotocol bearer tokens are read", async () => {
  const auth = createAuthenticator({ serviceAccountKeys: [rsa.publicKey], lookup: store([sa]) });
  const { token } = issueServiceAccountToken({ namespace: "ci", serviceAccount: "builder", uid: "sa-uid-1" }, rsa.privateKey);
  const proto = `v5.channel.k8s.io, base64url.bearer.authorization.k8s.io.${Buffer.from(token).toString("base64url")}`;
  assert.ok(await auth.authenticate({ headers: { "sec-websocket-protocol": proto } }));
});

test("successful checks are reused for the cache TTL, failures never", async () => {
  let clock = 0;
  let lookups = 0;
  const lookup = store([sa]);
  const counting = {
    getObject: (r: string, ns: string, n: string) => {
      lookups++;
      return lookup.getObject(r, ns, n);
    },
  };
  const inner = createServiceAccountAuthenticator({ keys: [rsa.publicKey], lookup: counting });
  const cached = cacheTokenResults(inner, { ttlMs: 10_000, now: () => clock });
  const { token } = issueServiceAccountToken({ namespace: "ci", serviceAccount: "builder", uid: "sa-uid-1" }, rsa.privateKey);
  assert.ok((await cached.authenticateToken(token))?.user);
  assert.ok((await cached.authenticateToken(token))?.user);
  assert.equal(lookups, 1);
  clock = 10_001;
  lookup.objects.length = 0;
  assert.equal((await cached.authenticateToken(token))?.user, undefined, "expired entry re-checked");
  assert.equal((await cached.authenticateToken(token))?.user, undefined);
  assert.equal(lookups, 3);
});
