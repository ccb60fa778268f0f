/**
 * Validation of a custom resource against its version's openAPIV3Schema,
 * worded as kube-openapi's validator words it inside apiextensions-apiserver
 * ("spec.replicas in body must be of type integer: \"x\"").
 */
import type { FieldError } from "../../api/kind.ts";
import { duplicate, invalid, notSupported, required, showValue, tooLong } from "../../api/validation.ts";
import type { Schema } from "./types.ts";

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(want: string, v: unknown): boolean {
  const got = typeOf(v);
  if (want === "number") return got === "number" || got === "integer";
  return got === want;
}

function typeError(path: string, v: unknown, want: string): FieldError {
  const shown = v === null ? '"null"' : showValue(v);
  return { type: "FieldValueTypeInvalid", field: path, message: `Invalid value: ${shown}: ${path} in body must be of type ${want}: ${shown}` };
}

function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function numberRules(s: Schema, v: number, path: string, out: FieldError[]): void {
  if (s.minimum !== undefined) {
    if (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum) {
      out.push(invalid(path, { value: v, detail: `${path} in body should be greater than ${s.exclusiveMinimum ? "" : "or equal to "}${s.minimum}` }));
    }
  }
  if (s.maximum !== undefined) {
    if (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum) {
      out.push(invalid(path, { value: v, detail: `${path} in body should be less than ${s.exclusiveMaximum ? "" : "or equal to "}${s.maximum}` }));
    }
  }
  if (s.multipleOf !== undefined && s.multipleOf !== 0 && !Number.isInteger(v / s.multipleOf)) {
    out.push(invalid(path, { value: v, detail: `${path} in body should be a multiple of ${s.multipleOf}` }));
  }
}

function stringRules(s: Schema, v: string, path: string, out: FieldError[]): void {
  const len = [...v].length;
  if (s.maxLength !== undefined && len > s.maxLength) out.push(tooLong(path, s.maxLength));
  if (s.minLength !== undefined && len < s.minLength) out.push(invalid(path, { value: v, detail: `${path} in body should be at least ${s.minLength} chars long` }));
  if (s.pattern !== undefined) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(s.pattern, "u");
    } catch {
      re = undefined;
    }
    if (re && !re.test(v)) out.push(invalid(path, { value: v, detail: `${path} in body should match '${s.pattern}'` }));
  }
  if (s.format === "date-time" && Number.isNaN(Date.parse(v))) out.push(invalid(path, { value: v, detail: `${path} in body must be of type date-time: ${JSON.stringify(v)}` }));
}

function arrayRules(s: Schema, v: unknown[], path: string, out: FieldError[]): void {
  if (s.maxItems !== undefined && v.length > s.maxItems) {
    out.push({ type: "FieldValueTooMany", field: path, message: `Too many: ${v.length}: must have at most ${s.maxItems} items` });
  }
  if (s.minItems !== undefined && v.length < s.minItems) out.push(invalid(path, { value: v.length, detail: `${path} in body should have at least ${s.minItems} items` }));
  const setLike = s.uniqueItems || s["x-kubernetes-list-type"] === "set";
  if (setLike) {
    const seen = new Set<string>();
    v.forEach((item, i) => {
      const k = JSON.stringify(item);
      if (seen.has(k)) out.push(duplicate(`${path}[${i}]`, item));
      seen.add(k);
    });
  }
  if (s["x-kubernetes-list-type"] === "map" && s["x-kubernetes-list-map-keys"]?.length) {
    const keys = s["x-kubernetes-list-map-keys"];
    const seen = new Set<string>();
    v.forEach((item, i) => {
      const m = (item ?? {}) as Record<string, unknown>;
      const k = JSON.stringify(keys.map((key) => m[key] ?? null));
      if (seen.has(k)) out.push(duplicate(`${path}[${i}]`, Object.fromEntries(keys.map((key) => [key, m[key]]))));
      seen.add(k);
    });
  }
  if (s.items) v.forEach((item, i) => walk(s.items!, item, `${path}[${i}]`, out));
}

function objectRules(s: Schema, v: Record<string, unknown>, path: string, out: FieldError[]): void {
  const n = Object.keys(v).length;
  if (s.maxProperties !== undefined && n > s.maxProperties) {
    out.push({ type: "FieldValueTooMany", field: path, message: `Too many: ${n}: must have at most ${s.maxProperties} items` });
  }
  if (s.minProperties !== undefined && n < s.minProperties) out.push(invalid(path, { value: n, detail: `${path} in body should have at least ${s.minProperties} properties` }));
  for (const r of s.required ?? []) if (v[r] === undefined) out.push(required(child(path, r)));
  if (s["x-kubernetes-embedded-resource"]) {
    if (!v.apiVersion) out.push(required(child(path, "apiVersion"), "must not be empty"));
    if (!v.kind) out.push(required(child(path, "kind"), "must not be empty"));
  }
  for (const [k, val] of Object.entries(v)) {
    const p = child(path, k);
    const prop = s.properties?.[k];
    if (prop) walk(prop, val, p, out);
    else if (typeof s.additionalProperties === "object") walk(s.additionalProperties, val, p, out);
  }
}

function combinators(s: Schema, v: unknown, path: string, out: FieldError[]): void {
  for (const sub of s.allOf ?? []) walk(sub, v, path, out);
  const passes = (sub: Schema): boolean => {
    const errs: FieldError[] = [];
    walk(sub, v, path, errs);
    return errs.length === 0;
  };
  if (s.anyOf && !s.anyOf.some(passes)) out.push(invalid(path, { value: v, detail: `${path} in body must validate at least one schema (anyOf)` }));
  if (s.oneOf && s.oneOf.filter(passes).length !== 1) out.push(invalid(path, { value: v, detail: `${path} in body must validate one and only one schema (oneOf)` }));
  if (s.not && passes(s.not)) out.push(invalid(path, { value: v, detail: `${path} in body must not validate the schema (not)` }));
}

function walk(s: Schema, v: unknown, path: string, out: FieldError[]): void {
  if (v === null) {
    if (!s.nullable && s.type && !s["x-kubernetes-preserve-unknown-fields"]) out.push(typeError(path, v, s.type));
    return;
  }
  if (s["x-kubernetes-int-or-string"]) {
    if (typeOf(v) !== "integer" && typeOf(v) !== "string") {
      out.push(typeError(path, v, "integer,string"));
      return;
    }
  } else if (s.type && !typeMatches(s.type, v)) {
    out.push(typeError(path, v, s.type));
    return;
  }
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    out.push(notSupported(path, { value: v, supported: s.enum.map((e) => (typeof e === "string" ? e : JSON.stringify(e))) }));
  }
  if (typeof v === "number") numberRules(s, v, path, out);
  else if (typeof v === "string") stringRules(s, v, path, out);
  else if (Array.isArray(v)) arrayRules(s, v, path, out);
  else if (typeof v === "object") objectRules(s, v as Record<string, unknown>, path, out);
  combinators(s, v, path, out);
}

/** Field errors of a custom resource (or any value) against a schema; metadata is left to the REST core. */
export function validateAgainstSchema(value: unknown, schema: Schema): FieldError[] {
  const out: FieldError[] = [];
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    walk(schema, value, "", out);
    return out;
  }
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = value as Record<string, unknown>;
  const props = { ...(schema.properties ?? {}) };
  delete props.metadata;
  delete props.apiVersion;
  delete props.kind;
  const top = (schema.required ?? []).filter((r) => r !== "metadata" && r !== "apiVersion" && r !== "kind");
  walk({ ...schema, properties: props, required: top }, rest, "", out);
  return out;
}
