/** Unknown-field detection against a kind's schema, for fieldValidation=Warn|Strict. */
import type { FieldSchema, SchemaRegistry } from "../api/kind.ts";

function resolve(schema: FieldSchema | undefined, registry: SchemaRegistry): FieldSchema | undefined {
  let s = schema;
  for (let i = 0; s?.ref && i < 16; i++) s = registry[s.ref];
  return s;
}

function walk(value: unknown, schema: FieldSchema | undefined, registry: SchemaRegistry, path: string, out: string[]): void {
  const s = resolve(schema, registry);
  if (!s || s.preserveUnknownFields || s.embeddedResource && !s.properties) return;
  if (Array.isArray(value)) {
    if (s.items) value.forEach((v, i) => walk(v, s.items, registry, `${path}[${i}]`, out));
    return;
  }
  if (value === null || typeof value !== "object") return;
  const obj = value as Record<string, unknown>;
  if (s.properties) {
    for (const [k, v] of Object.entries(obj)) {
      const child = s.properties[k];
      const p = path ? `${path}.${k}` : k;
      if (child === undefined) {
        if (s.additionalProperties === undefined || s.additionalProperties === false) out.push(p);
        else if (typeof s.additionalProperties === "object") walk(v, s.additionalProperties, registry, p, out);
        continue;
      }
      walk(v, child, registry, p, out);
    }
  } else if (typeof s.additionalProperties === "object") {
    for (const [k, v] of Object.entries(obj)) walk(v, s.additionalProperties, registry, path ? `${path}.${k}` : k, out);
  }
}

/** Paths of fields the schema does not know, as upstream prints them ("spec.foo"). */
export function unknownFields(obj: unknown, opts: { schemaRef: string; registry: SchemaRegistry }): string[] {
  const root = opts.registry[opts.schemaRef];
  if (!root) return [];
  const out: string[] = [];
  const { apiVersion: _a, kind: _k, ...rest } = (obj ?? {}) as Record<string, unknown>;
  walk(rest, root, opts.registry, "", out);
  return out;
}
