// Checks the REST core's external admission hook: mutate runs after
// defaulting and its changes are stored, validate sees the validated object
// and can refuse, updates carry the old object, deletes are admitted with
// the current object, and dry runs are flagged.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ApiStatusError, failure } from "../errors.ts";
import type { AdmissionAttributes } from "../mod.ts";
import { startTestServer, configMap, type TestServer } from "../testenv.ts";

let ts: TestServer;
const seen: { phase: string; attrs: AdmissionAttributes; labels?: Record<string, string> }[] = [];

before(async () => {
  ts = await startTestServer({
    admission: {
      async mutate(attrs) {
        seen.push({ phase: "mutate", attrs, labels: { ...(attrs.object?.metadata.labels ?? {}) } });
        if (attrs.object && attrs.kind.resource === "configmaps") attrs.object.metadata.labels = { ...attrs.object.metadata.labels, mutated: "yes" };
      },
      async validate(attrs) {
        seen.push({ phase: "validate", attrs, labels: { ...(attrs.object?.metadata.labels ?? {}) } });
        const name = attrs.object?.metadata.name ?? attrs.oldObject?.metadata.name;
        if (name === "refused" || (attrs.operation === "DELETE" && attrs.oldObject?.metadata.labels?.keep === "true")) {
          throw new ApiStatusError(failure(403, { reason: "Forbidden", message: `refused ${name}` }));
        }
      },
    },
  });
});

after(async () => {
  await ts?.close();
});

test("create: mutations are stored, validation can refuse", async () => {
  seen.length = 0;
  const r = await ts.request("POST", "/api/v1/namespaces/default/configmaps", { body: configMap("a", { k: "v" }) });
  assert.equal(r.status, 201);
  assert.equal(r.json().metadata.labels.mutated, "yes");
  const stored = await ts.request("GET", "/api/v1/namespaces/default/configmaps/a");
  assert.equal(stored.json().metadata.labels.mutated, "yes");
  assert.deepEqual(seen.map((s) => `${s.phase} ${s.attrs.operation} ${s.attrs.namespace}/${s.attrs.name}`), ["mutate CREATE default/a", "validate CREATE default/a"]);
  assert.deepEqual(seen[1].labels, { mutated: "yes" }, "validation sees the mutated object");
  assert.equal(seen[1].attrs.user.username, "admin");
  const refused = await ts.request("POST", "/api/v1/namespaces/default/configmaps", { body: configMap("refused") });
  assert.equal(refused.status, 403);
  assert.equal(refused.json().message, "refused refused");
  assert.equal((await ts.request("GET", "/api/v1/namespaces/default/configmaps/refused")).status, 404);
});

test("update and status writes carry the old object; dry runs are flagged", async () => {
  seen.length = 0;
  const r = await ts.request("PATCH", "/api/v1/namespaces/default/configmaps/a?dryRun=All", { body: { data: { k: "w" } }, headers: { "content-type": "application/merge-patch+json" } });
  assert.equal(r.status, 200);
  const upd = seen.find((s) => s.phase === "validate");
  assert.equal(upd?.attrs.operation, "UPDATE");
  assert.equal(upd?.attrs.dryRun, true);
  assert.deepEqual(upd?.attrs.oldObject?.data, { k: "v" });
  assert.deepEqual(upd?.attrs.object?.data, { k: "w" });
  seen.length = 0;
  await ts.request("POST", "/apis/test.k3s.io/v1/namespaces/default/widgets", { body: { apiVersion: "test.k3s.io/v1", kind: "Widget", metadata: { name: "w" }, spec: { replicas: 1 } } });
  const st = await ts.request("PATCH", "/apis/test.k3s.io/v1/namespaces/default/widgets/w/status", { body: { status: { phase: "Up" } }, headers: { "content-type": "application/merge-patch+json" } });
  assert.equal(st.status, 200);
  assert.deepEqual(seen.filter((s) => s.attrs.operation === "UPDATE").map((s) => `${s.phase} ${s.attrs.kind.resource}/${s.attrs.subresource}`), ["mutate widgets/status", "validate widgets/status"]);
});

test("delete is admitted with the current object and can be refused", async () => {
  await ts.request("POST", "/api/v1/namespaces/default/configmaps", { body: configMap("kept", {}, { keep: "true" }) });
  seen.length = 0;
  const r = await ts.request("DELETE", "/api/v1/namespaces/default/configmaps/kept");
  assert.equal(r.status, 403);
  assert.equal((await ts.request("GET", "/api/v1/namespaces/default/configmaps/kept")).status, 200);
  assert.deepEqual(seen.map((s) => `${s.phase} ${s.attrs.operation} ${s.attrs.oldObject?.metadata.name} ${s.attrs.object === undefined}`), ["mutate DELETE kept true", "validate DELETE kept true"]);
  assert.equal((await ts.request("DELETE", "/api/v1/namespaces/default/configmaps/a")).status, 200);
});
