// Checks the CRD schema translation: upstream's definition name, metadata
// forced to ObjectMeta, extensions carried over, and a custom kind built
// from it published without strategic merge patch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildOpenApiV3 } from "./build.ts";
import { customResourceDefinitionName, customResourceSchema } from "./crd.ts";
import { testSchemas } from "./testkinds.ts";

test("a CronTab CRD version becomes com.example.stable.v1.CronTab", () => {
  assert.equal(customResourceDefinitionName("stable.example.com", "v1", "CronTab"), "com.example.stable.v1.CronTab");
  const { name, schema } = customResourceSchema({
    group: "stable.example.com",
    version: "v1",
    kind: "CronTab",
    openAPIV3Schema: {
      type: "object",
      properties: {
        metadata: { type: "object" },
        spec: {
          type: "object",
          required: ["cronSpec"],
          properties: {
            cronSpec: { type: "string", pattern: "^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$", description: "When to run." },
            port: { "x-kubernetes-int-or-string": true },
            ports: { type: "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"], items: { type: "object", properties: { name: { type: "string" } } } },
            extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
            mode: { type: "string", enum: ["a", "b"] },
          },
        },
      },
    },
  });
  assert.equal(name, "com.example.stable.v1.CronTab");
  assert.deepEqual(schema.properties?.metadata, { ref: "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" });
  assert.deepEqual(schema.properties?.kind, { type: "string" });
  const spec = schema.properties?.spec;
  assert.deepEqual(spec?.required, ["cronSpec"]);
  assert.equal(spec?.properties?.port.intOrString, true);
  assert.deepEqual(spec?.properties?.ports.listMapKeys, ["name"]);
  assert.equal(spec?.properties?.extra.preserveUnknownFields, true);

  const docs = buildOpenApiV3(
    [{ group: "stable.example.com", version: "v1", kind: "CronTab", listKind: "CronTabList", resource: "crontabs", singular: "crontab", namespaced: true, schemaRef: name }],
    { ...testSchemas, [name]: schema },
  );
  const doc = JSON.parse(String(docs.get("apis/stable.example.com/v1")?.body));
  const crSchema = doc.components.schemas[name];
  assert.deepEqual(crSchema["x-kubernetes-group-version-kind"], [{ group: "stable.example.com", kind: "CronTab", version: "v1" }]);
  assert.equal(crSchema.properties.spec.properties.port["x-kubernetes-int-or-string"], true);
  const patch = doc.paths["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"].patch;
  assert.ok(!("application/strategic-merge-patch+json" in patch.requestBody.content), "custom resources take no strategic merge");
});

test("CRDs of *.k8s.io groups are still custom resources", () => {
  const { name, schema } = customResourceSchema({ group: "snapshot.storage.k8s.io", version: "v1", kind: "VolumeSnapshot" });
  assert.equal(name, "io.k8s.storage.snapshot.v1.VolumeSnapshot");
  const docs = buildOpenApiV3(
    [{ group: "snapshot.storage.k8s.io", version: "v1", kind: "VolumeSnapshot", listKind: "VolumeSnapshotList", resource: "volumesnapshots", singular: "volumesnapshot", namespaced: true, schemaRef: name }],
    { ...testSchemas, [name]: schema },
  );
  const doc = JSON.parse(String(docs.get("apis/snapshot.storage.k8s.io/v1")?.body));
  const patch = doc.paths["/apis/snapshot.storage.k8s.io/v1/namespaces/{namespace}/volumesnapshots/{name}"].patch;
  assert.ok(!("application/strategic-merge-patch+json" in patch.requestBody.content));
});

test("a CRD version without a schema accepts anything", () => {
  const { schema } = customResourceSchema({ group: "a.b", version: "v1", kind: "Free" });
  assert.equal(schema.preserveUnknownFields, true);
  assert.equal(schema.type, "object");
});
