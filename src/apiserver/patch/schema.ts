/**
 * Reading a kind's FieldSchema the way strategic merge and structured merge
 * need it: resolve refs, find a field's child schema, and classify a value as
 * scalar, object (struct or map, granular or atomic) or list (atomic, set or
 * map-keyed), falling back to what the value itself looks like when the
 * schema says nothing (custom resources, preserveUnknownFields).
 */
import type { FieldSchema, SchemaRegistry } from "../../api/kind.ts";
import { isObject } from "./json.ts";

/** How the elements of a list relate, in structured-merge-diff terms. */
export type ListRelation = "atomic" | "set" | "map";

/** A value classified against its schema. */
export type Shape =
  | { kind: "scalar" }
  | {
      kind: "object";
      /** replaced whole (x-kubernetes-map-type: atomic) */
      atomic: boolean;
      /** a declared struct (properties and no additionalProperties schema) */
      struct: boolean;
      schema: FieldSchema | undefined;
    }
  | { kind: "list"; relation: ListRelation; keys: string[]; item: FieldSchema | undefined };

/** Schema look-ups against one registry. */
export class Schemas {
  constructor(readonly registry: SchemaRegistry) {}

  /** The schema named `ref`, resolved. */
  root(ref: string | undefined): FieldSchema | undefined {
    if (!ref) return undefined;
    return this.resolve({ ref });
  }

  /** Follows `ref` chains; keys on the referring field win over the definition's. */
  resolve(fs: FieldSchema | undefined): FieldSchema | undefined {
    if (!fs) return undefined;
    let out: FieldSchema = fs;
    for (let depth = 0; out.ref !== undefined && depth < 32; depth++) {
      const { ref, ...own } = out;
      const target = this.registry[ref];
      out = target ? { ...target, ...own } : own;
    }
    return out;
  }

  /** The resolved schema of field `key` of an object schema (declared field, else the map's values). */
  child(parent: FieldSchema | undefined, key: string): FieldSchema | undefined {
    if (!parent) return undefined;
    const declared = parent.properties?.[key];
    if (declared) return this.resolve(declared);
    if (isObject(parent.additionalProperties)) return this.resolve(parent.additionalProperties as FieldSchema);
    return undefined;
  }

  /** True when `key` is a declared struct field of the schema (not a map entry). */
  declared(parent: FieldSchema | undefined, key: string): boolean {
    return parent?.properties?.[key] !== undefined;
  }

  /** The resolved item schema of a list schema. */
  item(list: FieldSchema | undefined): FieldSchema | undefined {
    return this.resolve(list?.items);
  }

  /** Classifies `value` under the (resolved) schema `fs`. */
  shape(fs: FieldSchema | undefined, value: unknown): Shape {
    if (Array.isArray(value)) {
      if (!fs || !isListSchema(fs)) return { kind: "list", relation: "atomic", keys: [], item: undefined };
      const { relation, keys } = listRelation(fs);
      return { kind: "list", relation, keys, item: this.item(fs) };
    }
    if (isObject(value)) {
      if (!fs || !isObjectSchema(fs)) return { kind: "object", atomic: false, struct: false, schema: undefined };
      const struct = fs.properties !== undefined && !isObject(fs.additionalProperties);
      return { kind: "object", atomic: fs.mapType === "atomic", struct, schema: fs };
    }
    return { kind: "scalar" };
  }
}

function isListSchema(fs: FieldSchema): boolean {
  return fs.type === "array" || fs.items !== undefined;
}

function isObjectSchema(fs: FieldSchema): boolean {
  return (
    fs.type === "object" ||
    fs.properties !== undefined ||
    fs.additionalProperties !== undefined ||
    fs.mapType !== undefined
  );
}

/** The patch strategies of a field: "merge" and/or "retainKeys" (or "replace"). */
export function patchStrategies(fs: FieldSchema | undefined): string[] {
  return fs?.patchStrategy ? fs.patchStrategy.split(",").map((s) => s.trim()).filter(Boolean) : [];
}

/**
 * A list's relation as the API server's OpenAPI conversion derives it: the
 * explicit x-kubernetes-list-type first, else merge + merge key → map, merge
 * alone → set, anything else atomic.
 */
export function listRelation(fs: FieldSchema): { relation: ListRelation; keys: string[] } {
  const keys = fs.listMapKeys ?? (fs.patchMergeKey ? [fs.patchMergeKey] : []);
  if (fs.listType === "atomic") return { relation: "atomic", keys: [] };
  if (fs.listType === "set") return { relation: "set", keys: [] };
  if (fs.listType === "map") return keys.length ? { relation: "map", keys } : { relation: "atomic", keys: [] };
  if (patchStrategies(fs).includes("merge")) {
    return fs.patchMergeKey ? { relation: "map", keys } : { relation: "set", keys: [] };
  }
  return { relation: "atomic", keys: [] };
}
