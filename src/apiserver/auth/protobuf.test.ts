// Checks the review-kind protobuf decoder on bodies laid out as kubectl
// writes them (k8s magic, runtime.Unknown, typed message), and the review
// path handlers' answers: 201 with status, 403 for a user who may not
// create the review, 400 for a broken body, 405 for other methods; and the
// TokenRequest hook on protobuf and JSON bodies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import type { KubeObject, UserInfo } from "../../api/types.ts";
import type { ApiRequest } from "../request.ts";
import { reviewPaths } from "./handlers.ts";
import { decodeReviewProtobuf } from "./protobuf.ts";
import { createRbacAuthorizer } from "./rbac/authorizer.ts";
import { bootstrapPolicy } from "./rbac/policy.ts";
import { tokenRequestHandler } from "./tokenrequest.ts";

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

function field(num: number, value: string | Buffer): Buffer {
  const b = typeof value === "string" ? Buffer.from(value) : value;
  return Buffer.concat([varint(num * 8 + 2), varint(b.length), b]);
}

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const typeMeta = Buffer.concat([field(1, apiVersion), field(2, kind)]);
  return Buffer.concat([Buffer.from("k8s\0", "binary"), field(1, typeMeta), field(2, raw), field(3, ""), field(4, "")]);
}

test("a SelfSubjectAccessReview body decodes to its JSON shape", () => {
  const attrs = Buffer.concat([field(1, "default"), field(2, "list"), field(3, ""), field(5, "pods"), field(6, "log")]);
  const raw = Buffer.concat([field(1, Buffer.alloc(0)), field(2, field(1, attrs))]);
  const obj = decodeReviewProtobuf("SelfSubjectAccessReview", envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", raw));
  assert.deepEqual(obj, {
    metadata: {},
    spec: { resourceAttributes: { namespace: "default", verb: "list", group: "", resource: "pods", subresource: "log" } },
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
  });
});

test("SubjectAccessReview groups repeat and extra decodes as a map", () => {
  const extraEntry = Buffer.concat([field(1, "scopes"), field(2, Buffer.concat([field(1, "a"), field(1, "b")]))]);
  const spec = Buffer.concat([field(2, Buffer.concat([field(1, "/healthz"), field(2, "get")])), field(3, "bob"), field(4, "g1"), field(4, "g2"), field(5, extraEntry)]);
  const obj = decodeReviewProtobuf("SubjectAccessReview", envelope("authorization.k8s.io/v1", "SubjectAccessReview", field(2, spec)));
  assert.deepEqual(obj.spec, { nonResourceAttributes: { path: "/healthz", verb: "get" }, user: "bob", groups: ["g1", "g2"], extra: { scopes: ["a", "b"] } });
});

test("bad bodies are refused with a reason", () => {
  assert.throws(() => decodeReviewProtobuf("SelfSubjectReview", Buffer.from("{}")), /magic/);
  assert.throws(() => decodeReviewProtobuf("TokenReview", envelope("authentication.k8s.io/v1", "SelfSubjectReview", Buffer.alloc(0))), /expected "TokenReview"/);
  assert.throws(() => decodeReviewProtobuf("TokenReview", Buffer.concat([Buffer.from("k8s\0", "binary"), Buffer.from([0x12, 0x20, 0x01])])), /runs past the end/);
});

test("review handlers: 201 with status, 403, 400 and 405", async () => {
  const policy = bootstrapPolicy();
  const authorizer = createRbacAuthorizer({
    lister: {
      listRoles: async () => [],
      listRoleBindings: async () => [],
      listClusterRoles: async () => policy.filter((o) => o.kind === "ClusterRole"),
      listClusterRoleBindings: async () => policy.filter((o) => o.kind === "ClusterRoleBinding"),
    },
  });
  const paths = reviewPaths({ authorizer });
  const find = (path: string) => paths.find((p) => path.startsWith(p.prefix));
  const call = (method: ApiRequest["method"], path: string, user: UserInfo, body: unknown, contentType = "application/json") =>
    find(path)!.handler({ method, path, query: new URLSearchParams(), headers: { "content-type": contentType }, body: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)), user, signal: new AbortController().signal });
  const carol: UserInfo = { username: "carol", groups: ["system:authenticated"] };
  const ssar = { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes: { verb: "get", resource: "pods", namespace: "default" } } };
  const ok = await call("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", carol, ssar);
  assert.equal(ok.status, 201);
  assert.deepEqual(JSON.parse(String(ok.body)).status, { allowed: false });
  const sar = { spec: { user: "x", resourceAttributes: { verb: "get", resource: "pods" } } };
  const denied = await call("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", carol, sar);
  assert.equal(denied.status, 403);
  assert.match(JSON.parse(String(denied.body)).message, /subjectaccessreviews.authorization.k8s.io is forbidden: User "carol" cannot create resource "subjectaccessreviews"/);
  assert.equal((await call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", carol, "{nope")).status, 400);
  assert.equal((await call("GET", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", carol, "")).status, 405);
  const local = await call("POST", "/apis/authorization.k8s.io/v1/namespaces/dev/localsubjectaccessreviews", { username: "a", groups: ["system:masters"] }, { spec: { user: "carol", resourceAttributes: { namespace: "dev", verb: "get", resource: "pods" } } });
  assert.equal(local.status, 201);
  assert.equal(JSON.parse(String(local.body)).kind, "LocalSubjectAccessReview");
});

test("TokenRequest: protobuf spec with a varint lifetime, bound pod checks, short lifetimes refused", async () => {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const pod: KubeObject = { kind: "Pod", metadata: { name: "p", namespace: "ns", uid: "pod-1" }, spec: { nodeName: "n1" } };
  const node: KubeObject = { kind: "Node", metadata: { name: "n1", uid: "node-1" } };
  const handler = tokenRequestHandler({
    key: privateKey,
    lookup: { getObject: async (r, _ns, n) => (r === "pods" && n === "p" ? pod : r === "nodes" && n === "n1" ? node : undefined) },
  });
  const sa: KubeObject = { kind: "ServiceAccount", metadata: { name: "default", namespace: "ns", uid: "sa-1" } };
  const ctx = { getParent: async () => sa };
  const req = (body: Buffer, contentType: string): ApiRequest => ({ method: "POST", path: "/api/v1/namespaces/ns/serviceaccounts/default/token", query: new URLSearchParams(), headers: { "content-type": contentType }, body, user: { username: "u", groups: [] }, signal: new AbortController().signal });
  const bound = Buffer.concat([field(1, "Pod"), field(2, "v1"), field(3, "p"), field(4, "pod-1")]);
  const spec = Buffer.concat([field(1, "vault"), field(3, bound), Buffer.from([0x20]), varint(1200)]);
  const res = await handler(req(envelope("authentication.k8s.io/v1", "TokenRequest", field(2, spec)), "application/vnd.kubernetes.protobuf"), ctx);
  assert.equal(res.status, 201, String(res.body));
  const out = JSON.parse(String(res.body));
  assert.deepEqual(out.spec.audiences, ["vault"]);
  assert.equal(out.spec.expirationSeconds, 1200);
  const claims = JSON.parse(Buffer.from(out.status.token.split(".")[1], "base64url").toString());
  assert.deepEqual(claims["kubernetes.io"].pod, { name: "p", uid: "pod-1" });
  assert.deepEqual(claims["kubernetes.io"].node, { name: "n1", uid: "node-1" });
  assert.equal(claims.exp - claims.iat, 1200);
  const json = (spec: unknown) => req(Buffer.from(JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec })), "application/json");
  assert.equal((await handler(json({ expirationSeconds: 60 }), ctx)).status, 422);
  assert.equal((await handler(json({ boundObjectRef: { kind: "Pod", name: "p", uid: "other" } }), ctx)).status, 409);
  assert.equal((await handler(json({ boundObjectRef: { kind: "Pod", name: "gone" } }), ctx)).status, 404);
  assert.equal((await handler(json({ boundObjectRef: { kind: "ConfigMap", name: "x" } }), ctx)).status, 422);
  const plain = JSON.parse(String((await handler(json({}), ctx)).body));
  assert.deepEqual(plain.spec.audiences, ["https://kubernetes.default.svc.cluster.local", "k3s"]);
});
