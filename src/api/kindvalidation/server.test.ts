/**
 * The kinds' validation behind the real REST core: every manifest of the e2e
 * application (test/e2e/fixtures/app.yaml) is accepted as it is, and invalid
 * objects and updates get 422 Invalid with every field at fault in
 * details.causes, and are not stored.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { startTestServer, type TestServer } from "../../apiserver/testenv.ts";
import type { KubeObject } from "../types.ts";
import { builtinSchemas } from "../registry.ts";
import { ctx, kindOf, kinds } from "./testsupport.ts";

const fixture = join(import.meta.dirname, "../../../test/e2e/fixtures/app.yaml");
let ts: TestServer;

before(async () => {
  ts = await startTestServer({ kinds, schemas: builtinSchemas(), cluster: ctx.cluster });
});

after(async () => {
  await ts?.close();
});

/** The collection URL of an object's kind in namespace default. */
function collection(o: KubeObject): string {
  const def = kindOf(o);
  assert.ok(def, `no kind ${o.apiVersion} ${o.kind}`);
  const prefix = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  return `${prefix}${def.namespaced ? "/namespaces/default" : ""}/${def.resource}`;
}

interface Cause {
  reason: string;
  field: string;
  message: string;
}

/** POSTs an object; the status and, for a refusal, its causes as "reason field: message". */
async function create(o: KubeObject): Promise<{ status: number; causes: string[] }> {
  const r = await ts.request("POST", collection(o), { body: o });
  const body = r.json();
  const causes = ((body?.details?.causes ?? []) as Cause[]).map((c) => `${c.reason} ${c.field}: ${c.message}`);
  return { status: r.status, causes };
}

async function put(o: KubeObject): Promise<{ status: number; causes: string[] }> {
  const r = await ts.request("PUT", `${collection(o)}/${o.metadata.name}`, { body: o });
  const causes = ((r.json()?.details?.causes ?? []) as Cause[]).map((c) => `${c.reason} ${c.field}: ${c.message}`);
  return { status: r.status, causes };
}

async function read(o: KubeObject): Promise<KubeObject | undefined> {
  const r = await ts.request("GET", `${collection(o)}/${o.metadata.name}`);
  return r.status === 200 ? (r.json() as KubeObject) : undefined;
}

test("every manifest of the e2e application is accepted", async () => {
  const docs = parseAllDocuments(readFileSync(fixture, "utf8")).map((d) => d.toJSON() as KubeObject).filter((d) => d?.kind);
  assert.ok(docs.length >= 10, `only ${docs.length} manifests`);
  for (const doc of docs) {
    const r = await create(doc);
    assert.equal(r.status, 201, `${doc.kind} ${doc.metadata.name}: ${r.causes.join("; ")}`);
  }
});

test("invalid objects get 422 with every field at fault, and nothing is stored", async () => {
  const ingress: KubeObject = {
    apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "bad-paths" },
    spec: { rules: [{ host: "a.example.com", http: { paths: [{ path: "/", backend: { service: { name: "shop", port: { number: 80 } } } }, { path: "x", pathType: "Exact", backend: {} }] } }] },
  };
  const r = await create(ingress);
  assert.equal(r.status, 422);
  assert.deepEqual(r.causes, [
    "FieldValueRequired spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
    'FieldValueInvalid spec.rules[0].http.paths[1].path: Invalid value: "x": must be an absolute path',
    'FieldValueInvalid spec.rules[0].http.paths[1].backend: Invalid value: "": resource or service backend is required',
  ]);
  assert.equal(await read(ingress), undefined);
  const deploy: KubeObject = {
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "bad-strategy" },
    spec: { replicas: -1, selector: { matchLabels: { app: "x" } }, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
      template: { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c", image: "nginx" }] } } },
  };
  const d = await create(deploy);
  assert.equal(d.status, 422);
  assert.deepEqual(d.causes, [
    "FieldValueInvalid spec.replicas: Invalid value: -1: must be greater than or equal to 0",
    "FieldValueInvalid spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0",
  ]);
  assert.equal(await read(deploy), undefined);
});

test("updates to fixed fields are refused: a statefulset's serviceName, a job's template", async () => {
  const sts = await read({ apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db" } });
  assert.ok(sts, "the fixture's statefulset exists");
  (sts.spec as Record<string, unknown>).serviceName = "other";
  const s = await put(sts);
  assert.equal(s.status, 422);
  assert.deepEqual(s.causes, [
    "FieldValueForbidden spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
  const job: KubeObject = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "once" }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } } };
  assert.equal((await create(job)).status, 201);
  const stored = await read(job);
  assert.ok(stored);
  const spec = stored.spec as { template: { spec: { containers: { image: string }[] } } };
  spec.template.spec.containers[0].image = "alpine";
  const j = await put(stored);
  assert.equal(j.status, 422);
  assert.equal(j.causes.length, 1);
  assert.match(j.causes[0], /^FieldValueInvalid spec\.template: Invalid value: .*: field is immutable$/);
  assert.equal(((await read(job))?.spec as typeof spec).template.spec.containers[0].image, "busybox");
});

test("a merge patch is validated as the object it makes: Recreate with the old rollingUpdate left in is refused", async () => {
  const path = "/apis/apps/v1/namespaces/default/deployments/shop";
  const r = await ts.request("PATCH", path, { body: { spec: { strategy: { type: "Recreate" } } }, headers: { "content-type": "application/merge-patch+json" } });
  assert.equal(r.status, 422);
  assert.deepEqual((r.json().details.causes as Cause[]).map((c) => `${c.reason} ${c.field}`), ["FieldValueForbidden spec.strategy.rollingUpdate"]);
  const ok = await ts.request("PATCH", path, { body: { spec: { strategy: { type: "Recreate", rollingUpdate: null } } }, headers: { "content-type": "application/merge-patch+json" } });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.json().spec.strategy, { type: "Recreate" });
});
