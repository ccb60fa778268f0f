// Checks custom resource validation messages and paths, pruning (with
// preserve-unknown-fields and embedded resources), defaulting, structural
// schema rules and printer-column cells.
import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultObject, pruneObject } from "./structural.ts";
import { validateAgainstSchema } from "./validate.ts";
import { structuralErrors } from "./schemacheck.ts";
import { parseJsonPath, printerColumns } from "./printer.ts";
import type { CrdSpec, Schema } from "./types.ts";

const schema: Schema = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      required: ["cronSpec"],
      properties: {
        cronSpec: { type: "string", pattern: "^\\S+ \\S+$" },
        replicas: { type: "integer", minimum: 1, maximum: 10, default: 1 },
        mode: { type: "string", enum: ["a", "b"] },
        port: { "x-kubernetes-int-or-string": true },
        note: { type: "string", nullable: true },
        tags: { type: "array", maxItems: 2, items: { type: "string" } },
        labels: { type: "object", additionalProperties: { type: "string" } },
        extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { keep: { type: "object", properties: { a: { type: "string" } } } } },
        template: { type: "object", "x-kubernetes-embedded-resource": true, properties: { spec: { type: "object", properties: { x: { type: "string" } } } } },
        nested: { type: "object", default: {}, properties: { level: { type: "string", default: "info" } } },
      },
    },
  },
};

test("values that break the schema get upstream's messages at their paths", () => {
  const errs = validateAgainstSchema(
    { apiVersion: "a/v1", kind: "K", metadata: { name: "x", anything: 1 }, spec: { replicas: "two", mode: "c", port: 1.5, note: null, tags: ["a", "b", "c"], labels: { k: 3 }, template: {} } },
    schema,
  );
  const byField = Object.fromEntries(errs.map((e) => [e.field, e.message]));
  assert.equal(byField["spec.cronSpec"], "Required value");
  assert.equal(byField["spec.replicas"], 'Invalid value: "two": spec.replicas in body must be of type integer: "two"');
  assert.equal(byField["spec.mode"], 'Unsupported value: "c": supported values: "a", "b"');
  assert.equal(byField["spec.port"], "Invalid value: 1.5: spec.port in body must be of type integer,string: 1.5");
  assert.equal(byField["spec.tags"], "Too many: 3: must have at most 2 items");
  assert.equal(byField["spec.labels.k"], "Invalid value: 3: spec.labels.k in body must be of type string: 3");
  assert.equal(byField["spec.template.apiVersion"], "Required value: must not be empty");
  assert.equal(byField["spec.note"], undefined, "nullable allows null");
  assert.equal(byField["spec.template.kind"], "Required value: must not be empty");
  assert.equal(errs.length, 8);
});

test("numbers and patterns are checked with their bounds", () => {
  const errs = validateAgainstSchema({ metadata: {}, spec: { cronSpec: "nospace", replicas: 11 } }, schema);
  assert.deepEqual(
    errs.map((e) => `${e.field}: ${e.message}`),
    ['spec.cronSpec: Invalid value: "nospace": spec.cronSpec in body should match \'^\\S+ \\S+$\'', "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10"],
  );
  assert.deepEqual(validateAgainstSchema({ metadata: {}, spec: { cronSpec: "* *", replicas: 3, port: "http" } }, schema), []);
});

test("pruning drops unknown fields except where preserved or embedded", () => {
  const obj = {
    apiVersion: "a/v1",
    kind: "K",
    metadata: { name: "x" },
    junk: true,
    spec: {
      cronSpec: "* *",
      unknown: 1,
      labels: { a: "b" },
      extra: { free: { deep: 1 }, keep: { a: "x", b: "pruned" } },
      template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { x: "y", z: "gone" } },
    },
  };
  pruneObject(obj, schema);
  assert.deepEqual(obj, {
    apiVersion: "a/v1",
    kind: "K",
    metadata: { name: "x" },
    spec: {
      cronSpec: "* *",
      labels: { a: "b" },
      extra: { free: { deep: 1 }, keep: { a: "x" } },
      template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { x: "y" } },
    },
  });
});

test("defaults fill missing fields, nested into defaulted objects, and replace disallowed nulls", () => {
  const obj: Record<string, unknown> = { metadata: {}, spec: { cronSpec: "* *", replicas: null } };
  defaultObject(obj, schema);
  assert.deepEqual(obj.spec, { cronSpec: "* *", replicas: 1, nested: { level: "info" } });
  const kept: Record<string, unknown> = { metadata: {}, spec: { replicas: 5, nested: { level: "debug" } } };
  defaultObject(kept, schema);
  assert.deepEqual(kept.spec, { replicas: 5, nested: { level: "debug" } });
});

test("structural rules: types, items, exclusive properties, root object, valid defaults", () => {
  const spec: CrdSpec = {
    group: "a.b",
    scope: "Namespaced",
    names: { plural: "ks", kind: "K" },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: { properties: { list: { type: "array" }, both: { type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "string" } }, d: { type: "integer", default: "x" } } },
            },
          },
        },
      },
    ],
  };
  const fields = structuralErrors(spec).map((e) => e.field);
  assert.deepEqual(fields.sort(), [
    "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[both].additionalProperties",
    "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[d].default",
    "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items",
    "spec.versions[0].schema.openAPIV3Schema.properties[spec].type",
  ]);
  // a default that only validates once its nested defaults are in is fine
  spec.versions[0].schema = {
    openAPIV3Schema: { type: "object", properties: { spec: { type: "object", default: {}, required: ["level"], properties: { level: { type: "string", default: "info" } } } } },
  };
  assert.deepEqual(structuralErrors(spec), []);
  spec.versions[0].schema = { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } };
  assert.deepEqual(structuralErrors(spec), []);
});

test("printer columns read JSON paths and type their cells", () => {
  assert.deepEqual(parseJsonPath(".spec.containers[0].image"), ["spec", "containers", 0, "image"]);
  assert.deepEqual(parseJsonPath(".metadata.labels['app.kubernetes.io/name']"), ["metadata", "labels", "app.kubernetes.io/name"]);
  assert.throws(() => parseJsonPath(".spec[?(@.x)]"), /unsupported json path/);
  const p = printerColumns([
    { name: "Spec", type: "string", jsonPath: ".spec.cronSpec" },
    { name: "Replicas", type: "integer", jsonPath: ".spec.replicas", priority: 1 },
    { name: "First", type: "string", jsonPath: ".spec.tags[0]" },
    { name: "Missing", type: "string", jsonPath: ".status.nothing" },
  ]);
  assert.deepEqual(p.columns.map((c) => [c.name, c.priority]), [["Name", 0], ["Spec", 0], ["Replicas", 1], ["First", 0], ["Missing", 0]]);
  assert.deepEqual(p.row({ metadata: { name: "n" }, spec: { cronSpec: "* *", replicas: 3, tags: ["t"] } }), ["n", "* *", 3, "t", null]);
  const age = printerColumns(undefined);
  assert.deepEqual(age.columns.map((c) => c.name), ["Name", "Age"]);
  assert.match(String(age.row({ metadata: { name: "n", creationTimestamp: new Date(Date.now() - 120_000).toISOString() } })[1]), /^2m/);
});
