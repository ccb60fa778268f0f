/**
 * FieldSchema (our schema data) → OpenAPI v3 schema objects, with the
 * Kubernetes extensions kubectl reads for strategic merge and explain.
 */
import type { FieldSchema, SchemaRegistry } from "../../api/kind.ts";

/** A JSON value of an OpenAPI document. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };
/** An OpenAPI schema object (or any other JSON object of the document). */
export type JsonObject = { [key: string]: JsonValue | undefined };

/** Where a definition lives in a v3 document. */
export function schemaRef(name: string): string {
  return `#/components/schemas/${name}`;
}

const EXTENSIONS: Array<[keyof FieldSchema, string]> = [
  ["patchStrategy", "x-kubernetes-patch-strategy"],
  ["patchMergeKey", "x-kubernetes-patch-merge-key"],
  ["listType", "x-kubernetes-list-type"],
  ["listMapKeys", "x-kubernetes-list-map-keys"],
  ["mapType", "x-kubernetes-map-type"],
  ["intOrString", "x-kubernetes-int-or-string"],
  ["preserveUnknownFields", "x-kubernetes-preserve-unknown-fields"],
  ["embeddedResource", "x-kubernetes-embedded-resource"],
];

const PLAIN: Array<keyof FieldSchema> = [
  "type", "format", "description", "enum", "nullable", "default", "minimum", "maximum", "pattern", "maxLength", "minLength", "maxItems", "minItems",
];

/** Converts one schema; references become $ref (wrapped in allOf when the field adds its own keys). */
export function toOpenApiSchema(fs: FieldSchema): JsonObject {
  const out: JsonObject = {};
  for (const key of PLAIN) {
    const v = fs[key];
    if (v !== undefined) out[key] = v as JsonValue;
  }
  if (fs.properties) {
    const props: JsonObject = {};
    for (const [name, child] of Object.entries(fs.properties)) props[name] = toOpenApiSchema(child);
    out.properties = props;
  }
  if (fs.required && fs.required.length > 0) out.required = [...fs.required];
  if (fs.additionalProperties !== undefined) {
    out.additionalProperties = typeof fs.additionalProperties === "boolean" ? fs.additionalProperties : toOpenApiSchema(fs.additionalProperties);
  }
  if (fs.items) out.items = toOpenApiSchema(fs.items);
  for (const [key, ext] of EXTENSIONS) {
    const v = fs[key];
    if (v !== undefined && v !== false) out[ext] = v as JsonValue;
  }
  if (fs.ref) {
    if (Object.keys(out).length === 0) return { $ref: schemaRef(fs.ref) };
    // OpenAPI 3.0 ignores keys beside $ref; allOf keeps the field's own description and extensions
    out.allOf = [{ $ref: schemaRef(fs.ref) }];
    delete out.type;
  }
  return out;
}

/** Every definition name reachable from the roots (the roots included), in a stable order. */
export function referencedDefinitions(roots: string[], registry: SchemaRegistry): string[] {
  const seen = new Set<string>();
  const walk = (fs: FieldSchema | undefined): void => {
    if (!fs) return;
    if (fs.ref) visit(fs.ref);
    for (const child of Object.values(fs.properties ?? {})) walk(child);
    if (typeof fs.additionalProperties === "object") walk(fs.additionalProperties);
    walk(fs.items);
  };
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    walk(registry[name]);
  };
  for (const r of roots) visit(r);
  return [...seen].sort();
}
