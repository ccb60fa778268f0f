// Checks that our descriptions cover the generated schemas: one test per
// schema file (so each file's table can be finished on its own) asserting
// every definition and every property has a non-empty text after
// withDescriptions; that no table names a definition or field that does not
// exist (a typo would silently describe nothing); and that the texts reach
// the OpenAPI v3 documents kubectl explain reads, nested fields included.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { SchemaRegistry } from "../kind.ts";
import { generatedDefinitions } from "../schemas/index.ts";
import { descriptions } from "./index.ts";
import { withDescriptions } from "./mod.ts";

const schemaDir = join(import.meta.dirname, "..", "schemas");
const schemaFiles = readdirSync(schemaDir).filter((f) => f.endsWith(".ts") && f !== "index.ts").sort();
// the registry as builtinSchemas() makes it, without loading every kind's code
const described = withDescriptions(structuredClone(generatedDefinitions));

/** "Definition" or "Definition.field" for every text that is missing or blank. */
function missingIn(definitions: SchemaRegistry): string[] {
  const missing: string[] = [];
  for (const name of Object.keys(definitions)) {
    const def = described[name];
    if (!def?.description?.trim()) missing.push(name);
    for (const [field, schema] of Object.entries(def?.properties ?? {})) {
      if (!schema.description?.trim()) missing.push(`${name}.${field}`);
    }
  }
  return missing;
}

for (const file of schemaFiles) {
  test(`${file}: every definition and property has a description`, async () => {
    const mod = (await import(join(schemaDir, file))) as { definitions: SchemaRegistry };
    const missing = missingIn(mod.definitions);
    assert.deepEqual(missing, [], `${missing.length} without a description:\n  ${missing.join("\n  ")}`);
  });
}

test("every table entry names a definition and field that exist", () => {
  const unknown: string[] = [];
  for (const [name, texts] of Object.entries(descriptions)) {
    const def = described[name];
    if (!def) {
      unknown.push(name);
      continue;
    }
    for (const field of Object.keys(texts)) {
      if (field !== "" && !def.properties?.[field]) unknown.push(`${name}.${field}`);
    }
  }
  assert.deepEqual(unknown, []);
});

test("list types get a description of what they hold", () => {
  const list = described["io.k8s.api.core.v1.PodList"];
  assert.equal(list.description, "PodList is a list of Pod objects.");
  assert.equal(list.properties?.items.description, "The Pod objects in the list.");
  assert.match(String(list.properties?.metadata.description), /list metadata/);
});

test("nested descriptions reach the OpenAPI v3 document", async () => {
  const { builtinKinds, builtinSchemas } = await import("../registry.ts");
  const { buildOpenApiV3 } = await import("../../apiserver/openapi/build.ts");
  const doc = buildOpenApiV3(builtinKinds(), builtinSchemas()).get("api/v1");
  const schemas = (JSON.parse(String(doc?.body)) as { components: { schemas: Record<string, { description?: string; properties?: Record<string, { description?: string }> }> } }).components.schemas;
  const probe = schemas["io.k8s.api.core.v1.Probe"];
  assert.equal(probe.description, described["io.k8s.api.core.v1.Probe"].description);
  assert.ok(probe.description, "Probe has a description");
  const ports = schemas["io.k8s.api.core.v1.ServicePort"];
  assert.equal(ports.properties?.targetPort.description, described["io.k8s.api.core.v1.ServicePort"].properties?.targetPort.description);
  assert.ok(ports.properties?.targetPort.description, "ServicePort.targetPort has a description");
});
