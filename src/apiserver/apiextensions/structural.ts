/**
 * What a structural schema does to a value: pruning of fields the schema
 * does not specify (unless x-kubernetes-preserve-unknown-fields), dropping of
 * nulls the schema does not allow, and `default` values, as
 * apiextensions-apiserver does on decode.
 */
import type { Schema } from "./types.ts";

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function pruneValue(s: Schema, v: unknown): void {
  if (Array.isArray(v)) {
    if (s.items) for (const item of v) pruneValue(s.items, item);
    return;
  }
  if (!isObj(v)) return;
  const embedded = s["x-kubernetes-embedded-resource"] === true;
  for (const key of Object.keys(v)) {
    if (embedded && (key === "apiVersion" || key === "kind" || key === "metadata")) continue;
    const prop = s.properties?.[key];
    if (prop) pruneValue(prop, v[key]);
    else if (isObj(s.additionalProperties)) pruneValue(s.additionalProperties, v[key]);
    else if (!s["x-kubernetes-preserve-unknown-fields"] && s.additionalProperties !== true) delete v[key];
  }
}

/** Removes, in place, fields of a custom resource the schema does not specify (metadata is the REST core's). */
export function pruneObject(obj: Obj, schema: Schema): void {
  for (const key of Object.keys(obj)) {
    if (key === "apiVersion" || key === "kind" || key === "metadata") continue;
    const prop = schema.properties?.[key];
    if (prop) pruneValue(prop, obj[key]);
    else if (isObj(schema.additionalProperties)) pruneValue(schema.additionalProperties, obj[key]);
    else if (!schema["x-kubernetes-preserve-unknown-fields"]) delete obj[key];
  }
}

function defaultValue(s: Schema, v: unknown): void {
  if (Array.isArray(v)) {
    if (s.items) for (const item of v) defaultValue(s.items, item);
    return;
  }
  if (!isObj(v)) return;
  for (const [key, prop] of Object.entries(s.properties ?? {})) {
    // a null the schema does not allow is dropped so that the default can take its place
    if (v[key] === null && !prop.nullable && prop.default !== undefined) delete v[key];
    if (v[key] === undefined && prop.default !== undefined) v[key] = structuredClone(prop.default);
    if (v[key] !== undefined) defaultValue(prop, v[key]);
  }
  if (isObj(s.additionalProperties)) {
    for (const key of Object.keys(v)) if (!s.properties?.[key]) defaultValue(s.additionalProperties, v[key]);
  }
}

/** Fills `default` values of the schema into a custom resource, in place (metadata untouched). */
export function defaultObject(obj: Obj, schema: Schema): void {
  const props = { ...(schema.properties ?? {}) };
  delete props.metadata;
  delete props.apiVersion;
  delete props.kind;
  defaultValue({ ...schema, properties: props }, obj);
}

/** Fills nested `default` values into any value (a default value itself, before it is checked). */
export function applyDefaults(value: unknown, schema: Schema): void {
  defaultValue(schema, value);
}
