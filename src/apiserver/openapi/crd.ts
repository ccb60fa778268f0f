/**
 * A CustomResourceDefinition version's openAPIV3Schema as a FieldSchema
 * registry entry, under the definition name kube-apiserver publishes for it
 * (reversed group, version, kind), so that custom resources appear in the
 * OpenAPI documents and in `kubectl explain`.
 */
import type { FieldSchema } from "../../api/kind.ts";

const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/** JSONSchemaProps as CRDs carry them (the subset we translate). */
export interface JSONSchemaProps {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: "atomic" | "granular";
}

/** The definition name upstream gives a custom resource: "stable.example.com", v1, CronTab → com.example.stable.v1.CronTab. */
export function customResourceDefinitionName(group: string, version: string, kind: string): string {
  return `${group.split(".").reverse().join(".")}.${version}.${kind}`;
}

const TYPES = new Set(["object", "array", "string", "integer", "number", "boolean"]);

/** Translates one JSONSchemaProps node. */
export function fromJSONSchemaProps(p: JSONSchemaProps): FieldSchema {
  const out: FieldSchema = {};
  if (p.type && TYPES.has(p.type)) out.type = p.type as FieldSchema["type"];
  if (p.format) out.format = p.format;
  if (p.description) out.description = p.description;
  if (p.properties) out.properties = Object.fromEntries(Object.entries(p.properties).map(([k, v]) => [k, fromJSONSchemaProps(v)]));
  if (p.additionalProperties !== undefined) {
    out.additionalProperties = typeof p.additionalProperties === "boolean" ? p.additionalProperties : fromJSONSchemaProps(p.additionalProperties);
  }
  if (p.items) out.items = fromJSONSchemaProps(p.items);
  if (p.required && p.required.length > 0) out.required = [...p.required];
  if (p.enum) out.enum = p.enum.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
  for (const key of ["nullable", "default", "minimum", "maximum", "pattern", "maxLength", "minLength", "maxItems", "minItems"] as const) {
    if (p[key] !== undefined) (out as Record<string, unknown>)[key] = p[key];
  }
  if (p["x-kubernetes-preserve-unknown-fields"]) out.preserveUnknownFields = true;
  if (p["x-kubernetes-int-or-string"]) out.intOrString = true;
  if (p["x-kubernetes-embedded-resource"]) out.embeddedResource = true;
  if (p["x-kubernetes-list-type"]) out.listType = p["x-kubernetes-list-type"];
  if (p["x-kubernetes-list-map-keys"]) out.listMapKeys = [...p["x-kubernetes-list-map-keys"]];
  if (p["x-kubernetes-map-type"]) out.mapType = p["x-kubernetes-map-type"];
  return out;
}

export interface CustomResourceSchemaInput {
  group: string;
  version: string;
  kind: string;
  /** spec.versions[].schema.openAPIV3Schema; absent = anything goes */
  openAPIV3Schema?: JSONSchemaProps;
}

/** The registry entry for one served CRD version: its name and top-level schema (metadata, apiVersion, kind filled in). */
export function customResourceSchema(input: CustomResourceSchemaInput): { name: string; schema: FieldSchema } {
  const base = input.openAPIV3Schema ? fromJSONSchemaProps(input.openAPIV3Schema) : { type: "object" as const, preserveUnknownFields: true };
  const properties: Record<string, FieldSchema> = { ...(base.properties ?? {}) };
  properties.apiVersion = { type: "string", ...properties.apiVersion };
  properties.kind = { type: "string", ...properties.kind };
  properties.metadata = { ref: OBJECT_META };
  const schema: FieldSchema = { ...base, type: "object", properties };
  return { name: customResourceDefinitionName(input.group, input.version, input.kind), schema };
}
