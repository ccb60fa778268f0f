// Checks the generated OpenAPI v3 documents and their serving: the index and
// its hashes, the PATCH operation kubectl probes (GVK extension,
// fieldValidation, strategic merge only for built-in kinds), the
// components kubectl explain and strategic merge read, and ETag/hash
// caching, redirects and refusals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildOpenApiV3 } from "./build.ts";
import type { JsonObject } from "./schema.ts";
import { serveOpenApi } from "./serve.ts";
import { testKinds, testSchemas } from "./testkinds.ts";

const docs = buildOpenApiV3(testKinds, testSchemas);
const parse = (b: Buffer | undefined) => JSON.parse(String(b)) as JsonObject & { paths: Record<string, JsonObject>; components: { schemas: Record<string, JsonObject> } };
const get = (path: string, query = "", headers: Record<string, string> = {}) =>
  serveOpenApi(docs, { path, query: new URLSearchParams(query), headers });

test("the index lists one document per group/version with its hash", () => {
  const res = get("/openapi/v3");
  assert.equal(res?.status, 200);
  const index = JSON.parse(String(res?.body)) as { paths: Record<string, { serverRelativeURL: string }> };
  assert.deepEqual(Object.keys(index.paths), ["api/v1", "apis/apps/v1", "apis/example.com/v1"]);
  assert.match(index.paths["api/v1"].serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  assert.equal(index.paths["apis/apps/v1"].serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${docs.get("apis/apps/v1")?.hash}`);
});

test("every kind's PATCH carries its GVK and fieldValidation; only built-ins take strategic merge", () => {
  const apps = parse(docs.get("apis/apps/v1")?.body);
  const item = apps.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"] as Record<string, JsonObject>;
  assert.deepEqual(item.patch["x-kubernetes-group-version-kind"], { group: "apps", version: "v1", kind: "Deployment" });
  assert.equal(item.patch.operationId, "patchAppsV1NamespacedDeployment");
  const params = item.patch.parameters as { name: string; in: string }[];
  assert.ok(params.some((p) => p.name === "fieldValidation" && p.in === "query"));
  const body = item.patch.requestBody as { content: Record<string, unknown> };
  assert.ok("application/strategic-merge-patch+json" in body.content);
  assert.ok(apps.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status"]);
  const scale = apps.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"] as Record<string, JsonObject>;
  assert.deepEqual(scale.patch["x-kubernetes-group-version-kind"], { group: "autoscaling", version: "v1", kind: "Scale" });
  assert.ok(apps.paths["/apis/apps/v1/deployments"], "list across namespaces");
  const cr = parse(docs.get("apis/example.com/v1")?.body);
  const crPatch = (cr.paths["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"] as Record<string, JsonObject>).patch;
  const crTypes = Object.keys((crPatch.requestBody as { content: Record<string, unknown> }).content);
  assert.deepEqual(crTypes, ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"]);
  const core = parse(docs.get("api/v1")?.body);
  assert.equal((core.paths["/api/v1/namespaces/{namespace}/configmaps"] as Record<string, JsonObject>).get.operationId, "listCoreV1NamespacedConfigMap");
});

test("components carry GVKs, refs via allOf, required fields and patch extensions", () => {
  const apps = parse(docs.get("apis/apps/v1")?.body);
  const s = apps.components.schemas;
  assert.deepEqual(s["io.k8s.api.apps.v1.Deployment"]["x-kubernetes-group-version-kind"], [{ group: "apps", kind: "Deployment", version: "v1" }]);
  assert.deepEqual(s["io.k8s.api.apps.v1.DeploymentList"]["x-kubernetes-group-version-kind"], [{ group: "apps", kind: "DeploymentList", version: "v1" }]);
  assert.match(String(s["io.k8s.api.apps.v1.Deployment"].description), /namespaced apps\/v1 resource/);
  const props = s["io.k8s.api.apps.v1.Deployment"].properties as Record<string, JsonObject>;
  assert.deepEqual(props.spec, { description: "The desired state of the object.", allOf: [{ $ref: "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec" }] });
  assert.deepEqual(s["io.k8s.api.apps.v1.DeploymentSpec"].required, ["template"]);
  const containers = (s["io.k8s.api.core.v1.PodSpec"].properties as Record<string, JsonObject>).containers;
  assert.equal(containers["x-kubernetes-patch-merge-key"], "name");
  assert.equal(containers["x-kubernetes-patch-strategy"], "merge");
  assert.deepEqual(containers["x-kubernetes-list-map-keys"], ["name"]);
  assert.deepEqual(containers.items, { $ref: "#/components/schemas/io.k8s.api.core.v1.Container" });
  assert.ok(s["io.k8s.api.core.v1.EnvVar"], "definitions reached through refs are included");
  assert.ok(!s["io.k8s.api.core.v1.ConfigMap"], "other group/versions' kinds are not");
  assert.deepEqual(s["io.k8s.apimachinery.pkg.util.intstr.IntOrString"], { type: "string", format: "int-or-string", "x-kubernetes-int-or-string": true });
  assert.ok(s["io.k8s.api.autoscaling.v1.Scale"]);
  // dangling refs would break explain: every $ref resolves within the document
  const refs = String(docs.get("apis/apps/v1")?.body).match(/"\$ref":"#\/components\/schemas\/[^"]+"/g) ?? [];
  assert.ok(refs.length > 10);
  for (const r of refs) assert.ok(s[r.replace(/^"\$ref":"#\/components\/schemas\//, "").slice(0, -1)], r);
});

test("serving: ETag, If-None-Match, immutable hash URLs, redirects, refusals", () => {
  const doc = docs.get("api/v1");
  assert.ok(doc);
  const plain = get("/openapi/v3/api/v1");
  assert.equal(plain?.status, 200);
  assert.equal(plain?.headers.etag, `"${doc.hash}"`);
  assert.equal(plain?.headers["cache-control"], undefined);
  const hashed = get("/openapi/v3/api/v1", `hash=${doc.hash}&timeout=32s`);
  assert.equal(hashed?.headers["cache-control"], "public, immutable");
  assert.equal(get("/openapi/v3/api/v1", "", { "if-none-match": `"${doc.hash}"` })?.status, 304);
  const old = get("/openapi/v3/api/v1", "hash=ABC");
  assert.equal(old?.status, 301);
  assert.equal(old?.headers.location, `/openapi/v3/api/v1?hash=${doc.hash}`);
  assert.equal(get("/openapi/v3/apis/nope/v1")?.status, 404);
  assert.equal(get("/openapi/v3", "", { accept: "application/com.github.proto-openapi.spec.v3@v1.0+protobuf" })?.status, 406);
  assert.equal(get("/openapi/v2")?.status, 404);
  assert.equal(get("/api/v1"), undefined);
});

test("a kind whose schema is missing is reported by name", () => {
  const broken = [{ ...testKinds[0], schemaRef: "io.k8s.api.core.v1.Nope" }];
  assert.throws(() => buildOpenApiV3(broken, testSchemas).index(), /schema "io.k8s.api.core.v1.Nope"/);
});
