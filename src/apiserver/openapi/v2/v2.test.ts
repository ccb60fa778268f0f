// What the v2 document holds and how it is served, checked on the decoded
// protobuf the way client-go reads it: top-level field numbers, GVK and patch
// vendor extensions as YAML-readable text, every $ref resolvable, PATCH
// operations with fieldValidation, Accept negotiation, ETag and rebuilds.
import { test } from "node:test";
import assert from "node:assert/strict";
import protobuf from "protobufjs";
import type { ApiRequest } from "../../request.ts";
import { testKinds, testSchemas } from "../testkinds.ts";
import type { OpenApiKind } from "../build.ts";
import { buildOpenApiV2 } from "./build.ts";
import { openApiV2DocumentType } from "./proto.ts";
import { negotiateOpenApiV2, openApiV2Handler } from "./serve.ts";
import { downgradeSchema } from "./swagger.ts";

const PB = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

interface NamedAny { name: string; value?: { yaml?: string } }
interface Schema { _ref?: string; type?: { value: string[] }; vendor_extension?: NamedAny[]; properties?: { additional_properties: { name: string; value: Schema }[] }; items?: { schema: Schema[] }; additional_properties?: { schema?: Schema } }
interface Param { parameter?: { body_parameter?: { name: string; schema?: Schema }; non_body_parameter?: { query_parameter_sub_schema?: { name: string }; path_parameter_sub_schema?: { name: string } } } }
interface Operation { consumes?: string[]; parameters?: Param[]; vendor_extension?: NamedAny[] }
interface Decoded {
  swagger: string;
  paths: { path: { name: string; value: Record<string, Operation | undefined> }[] };
  definitions: { additional_properties: { name: string; value: Schema }[] };
}

const doc = buildOpenApiV2(testKinds, testSchemas);
const decoded = openApiV2DocumentType().toObject(openApiV2DocumentType().decode(doc.protobuf), { defaults: false }) as Decoded;
const definition = (name: string): Schema => {
  const d = decoded.definitions.additional_properties.find((x) => x.name === name);
  assert.ok(d, `no definition ${name}`);
  return d.value;
};
const property = (s: Schema, name: string): Schema => {
  const p = s.properties?.additional_properties.find((x) => x.name === name);
  assert.ok(p, `no property ${name}`);
  return p.value;
};
// client-go reads Any.yaml with a YAML decoder; our text is JSON, which YAML reads the same way
const extension = (list: NamedAny[] | undefined, name: string): unknown => {
  const e = list?.find((x) => x.name === name);
  return e?.value?.yaml === undefined ? undefined : JSON.parse(e.value.yaml);
};
const operation = (path: string, method: string): Operation => {
  const op = decoded.paths.path.find((p) => p.name === path)?.value[method];
  assert.ok(op, `no ${method} ${path}`);
  return op;
};

test("the protobuf is an openapi.v2.Document: swagger (1), info (2), paths (8), definitions (9) on the wire", () => {
  const reader = protobuf.Reader.create(doc.protobuf);
  const fields: number[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    fields.push(tag >>> 3);
    reader.skipType(tag & 7);
  }
  for (const f of [1, 2, 8, 9]) assert.ok(fields.includes(f), `field ${f} missing from ${fields.join(",")}`);
  assert.equal(doc.protobuf[0], 0x0a);
  assert.equal(doc.protobuf.subarray(2, 2 + doc.protobuf[1]).toString(), "2.0");
  assert.equal(decoded.swagger, "2.0");
});

test("definitions carry the GVK and the patch metadata kubectl reads", () => {
  assert.deepEqual(extension(definition("io.k8s.api.apps.v1.Deployment").vendor_extension, "x-kubernetes-group-version-kind"), [{ group: "apps", kind: "Deployment", version: "v1" }]);
  assert.deepEqual(extension(definition("io.k8s.api.apps.v1.DeploymentList").vendor_extension, "x-kubernetes-group-version-kind"), [{ group: "apps", kind: "DeploymentList", version: "v1" }]);
  const env = property(definition("io.k8s.api.core.v1.Container"), "env");
  assert.equal(extension(env.vendor_extension, "x-kubernetes-patch-merge-key"), "name");
  assert.equal(extension(env.vendor_extension, "x-kubernetes-patch-strategy"), "merge");
  assert.deepEqual(env.type?.value, ["array"]);
  assert.equal(env.items?.schema[0]._ref, "#/definitions/io.k8s.api.core.v1.EnvVar");
  assert.equal(property(definition("io.k8s.api.apps.v1.Deployment"), "spec")._ref, "#/definitions/io.k8s.api.apps.v1.DeploymentSpec");
  assert.deepEqual(property(definition("io.k8s.api.core.v1.ConfigMap"), "data").additional_properties?.schema?.type?.value, ["string"]);
});

test("every $ref names a definition of the document (kubectl refuses the whole document otherwise)", () => {
  const names = new Set(decoded.definitions.additional_properties.map((d) => d.name));
  const refs = [...doc.json.toString().matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
  assert.ok(refs.length > 10);
  for (const r of refs) {
    assert.ok(r.startsWith("#/definitions/"), r);
    assert.ok(names.has(r.slice("#/definitions/".length)), `dangling ${r}`);
  }
});

test("PATCH operations carry the GVK and fieldValidation; only built-ins consume strategic merge patches", () => {
  const patch = operation("/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "patch");
  assert.deepEqual(extension(patch.vendor_extension, "x-kubernetes-group-version-kind"), { group: "apps", version: "v1", kind: "Deployment" });
  assert.equal(extension(patch.vendor_extension, "x-kubernetes-action"), "patch");
  const queries = patch.parameters?.map((p) => p.parameter?.non_body_parameter?.query_parameter_sub_schema?.name).filter(Boolean);
  assert.ok(queries?.includes("fieldValidation"), JSON.stringify(queries));
  assert.equal(patch.parameters?.[0].parameter?.body_parameter?.name, "body");
  assert.ok(patch.consumes?.includes("application/strategic-merge-patch+json"));
  const scale = operation("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "patch");
  assert.deepEqual(extension(scale.vendor_extension, "x-kubernetes-group-version-kind"), { group: "autoscaling", version: "v1", kind: "Scale" });
  const widget = operation("/apis/example.com/v1/namespaces/{namespace}/widgets/{name}", "patch");
  assert.ok(!widget.consumes?.includes("application/strategic-merge-patch+json"));
  assert.ok(widget.consumes?.includes("application/merge-patch+json"));
  const post = operation("/api/v1/namespaces/{namespace}/configmaps", "post");
  assert.equal(post.parameters?.[0].parameter?.body_parameter?.schema?._ref, "#/definitions/io.k8s.api.core.v1.ConfigMap");
  const json = JSON.parse(doc.json.toString()) as { paths: Record<string, unknown> };
  assert.equal(decoded.paths.path.length, Object.keys(json.paths).length);
});

test("v3-only schema forms become swagger 2.0 forms", () => {
  const s = downgradeSchema({ description: "d", allOf: [{ $ref: "#/components/schemas/X" }], "x-kubernetes-patch-strategy": "merge" });
  assert.deepEqual(s, { $ref: "#/definitions/X", description: "d", "x-kubernetes-patch-strategy": "merge" });
  assert.deepEqual(downgradeSchema({ type: "array", nullable: true }), { type: "array", items: {} });
  assert.deepEqual(downgradeSchema({ type: "object", properties: { a: { anyOf: [{ type: "string" }], type: "string" } } }), { type: "object", properties: { a: { type: "string" } } });
});

test("Accept picks protobuf or JSON in the client's order; anything else is 406", () => {
  assert.equal(negotiateOpenApiV2(PB), "protobuf");
  assert.equal(negotiateOpenApiV2("application/com.github.proto-openapi.spec.v2.v1.0+protobuf"), "protobuf");
  assert.equal(negotiateOpenApiV2(`application/json, ${PB}`), "json");
  assert.equal(negotiateOpenApiV2(`application/json;q=0, ${PB}`), "protobuf");
  assert.equal(negotiateOpenApiV2(undefined), "json");
  assert.equal(negotiateOpenApiV2("*/*"), "json");
  assert.equal(negotiateOpenApiV2("text/html"), undefined);
});

function request(path: string, headers: Record<string, string> = {}): ApiRequest {
  return { method: "GET", path, query: new URLSearchParams(), headers, user: { username: "admin", groups: [] }, signal: new AbortController().signal };
}

test("the handler serves both forms with one ETag, answers If-None-Match with 304, and rebuilds only when the kinds change", async () => {
  let kinds: OpenApiKind[] = [...testKinds];
  const handler = openApiV2Handler(() => [...kinds], testSchemas);
  const pb = await handler(request("/openapi/v2", { accept: PB }));
  assert.equal(pb.status, 200);
  // Go's mime parser (client-go) refuses the "@" form, so the answer names the "." form
  assert.equal(pb.headers["content-type"], "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
  assert.deepEqual(pb.body, doc.protobuf);
  const json = await handler(request("/openapi/v2/", { accept: "application/json" }));
  assert.equal(json.headers["content-type"], "application/json");
  assert.equal(json.headers.etag, pb.headers.etag);
  assert.equal((JSON.parse((json.body as Buffer).toString()) as { swagger: string }).swagger, "2.0");
  assert.equal((await handler(request("/openapi/v2", { accept: PB, "if-none-match": pb.headers.etag }))).status, 304);
  assert.equal((await handler(request("/openapi/v2", { accept: "text/html" }))).status, 406);
  assert.equal((await handler(request("/openapi/v2/nope"))).status, 404);
  // same kind objects in a fresh array: the cached bytes are served
  assert.equal((await handler(request("/openapi/v2", { accept: PB }))).body, pb.body);
  const gadget: OpenApiKind = { ...testKinds[2], kind: "Gadget", listKind: "GadgetList", resource: "gadgets", singular: "gadget" };
  kinds = [...kinds, gadget];
  const after = await handler(request("/openapi/v2", { accept: "application/json" }));
  assert.notEqual(after.headers.etag, pb.headers.etag);
  assert.match((after.body as Buffer).toString(), /"\/apis\/example.com\/v1\/namespaces\/\{namespace\}\/gadgets\/\{name\}"/);
});
