/** Small rules shared by the kinds' validators, worded as upstream's apimachinery and core validation. */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asMap } from "../access.ts";
import { dns1123Subdomain, invalid, nonNegative, notSupported, required } from "../validation.ts";

/** The object's spec (or an empty one), for validators that only read it. */
export function specOf(obj: KubeObject): JsonMap {
  return asMap(obj.spec) ?? {};
}

/**
 * Absent in Go terms: null, undefined, an empty list, or a map with nothing
 * but absent values (a nil and an empty slice compare equal; a struct of nil
 * pointers is an empty struct).
 */
function absent(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  const m = asMap(v);
  return m !== undefined && Object.values(m).every(absent);
}

/**
 * Upstream compares with apiequality.Semantic.DeepEqual on Go structs, where an
 * absent pointer, an omitted field and an empty list or map are all the same:
 * so do we; key order does not matter either.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (absent(a) || absent(b)) return absent(a) && absent(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => sameValue(v, b[i]));
  }
  const ma = asMap(a);
  const mb = asMap(b);
  if (!ma || !mb) return a === b;
  const keys = new Set([...Object.keys(ma), ...Object.keys(mb)]);
  for (const k of keys) if (!sameValue(ma[k], mb[k])) return false;
  return true;
}

/** Upstream's ValidateImmutableField: "field is immutable" when the values differ semantically. */
export function unchanged(field: string, change: { value: unknown; old: unknown }): FieldError[] {
  return sameValue(change.value, change.old) ? [] : [invalid(field, { value: change.value ?? null, detail: "field is immutable" })];
}

/** A copy of a map without the given keys, for "everything but these may not change" rules. */
export function without(m: unknown, keys: string[]): JsonMap {
  const copy: JsonMap = { ...(asMap(m) ?? {}) };
  for (const k of keys) delete copy[k];
  return copy;
}

/** ValidateNonnegativeField for each named field of a map, at prefix.field. */
export function nonNegativeFields(m: JsonMap, prefix: string, keys: string[]): FieldError[] {
  return keys.flatMap((k) => nonNegative(m[k], `${prefix}.${k}`));
}

/** An enum check that also says "Required value" when the field is absent or empty (upstream's switch with case ""). */
export function requiredEnum(v: unknown, field: string, supported: string[]): FieldError[] {
  if (v === undefined || v === null || v === "") return [required(field)];
  return supported.includes(String(v)) ? [] : [notSupported(field, { value: v, supported })];
}

/** An enum check for an optional field: absent is fine. */
export function optionalEnum(v: unknown, field: string, supported: string[]): FieldError[] {
  if (v === undefined || v === null) return [];
  return supported.includes(String(v)) ? [] : [notSupported(field, { value: v, supported })];
}

const PERCENT = /^[0-9]+%$/;
const PERCENT_DETAIL = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** Upstream's ValidatePositiveIntOrPercent: a non-negative integer or a "N%" string. */
export function positiveIntOrPercent(v: unknown, field: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === "number") return nonNegative(v, field);
  if (typeof v === "string") return PERCENT.test(v) ? [] : [invalid(field, { value: v, detail: PERCENT_DETAIL })];
  return [invalid(field, { value: v, detail: "must be an integer or percentage (e.g '5%')" })];
}

/** The number of an IntOrString (a percent's number), as upstream's getIntOrPercentValue; 0 when unparsable. */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && PERCENT.test(v)) return Number(v.slice(0, -1));
  // IntOrString.IntValue parses a plain numeric string too
  return typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : 0;
}

/** Upstream's IsNotMoreThan100Percent. */
export function notMoreThan100Percent(v: unknown, field: string): FieldError[] {
  if (typeof v !== "string" || !PERCENT.test(v) || Number(v.slice(0, -1)) <= 100) return [];
  return [invalid(field, { value: v, detail: "must not be greater than 100%" })];
}

/** "Too many: n: must have at most max items". */
export function tooMany(field: string, count: number, max: number): FieldError {
  return { type: "FieldValueTooMany", field, message: `Too many: ${count}: must have at most ${max} items` };
}

/** True when a LabelSelector has neither matchLabels nor matchExpressions. */
export function emptySelector(sel: JsonMap): boolean {
  const labels = Object.keys(asMap(sel.matchLabels) ?? {}).length;
  const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0;
  return labels + exprs === 0;
}

/** Upstream's ValidatePositiveField: greater than 0. */
export function positive(v: unknown, field: string): FieldError[] {
  return typeof v === "number" && v <= 0 ? [invalid(field, { value: v, detail: "must be greater than 0" })] : [];
}

const HTTP_PATH = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";

/** Upstream's IsDomainPrefixedPath ("acme.io/foo"), for controller names and spec.managedBy. */
export function domainPrefixedPath(v: string, path: string): FieldError[] {
  if (!v) return [required(path)];
  const slash = v.indexOf("/");
  if (slash <= 0 || slash === v.length - 1) return [invalid(path, { value: v, detail: "must be a domain-prefixed path (such as \"acme.io/foo\")" })];
  const host = v.slice(0, slash);
  const errs = dns1123Subdomain(host).map((m) => invalid(path, { value: host, detail: m }));
  const rest = v.slice(slash + 1);
  if (!new RegExp(`^${HTTP_PATH}$`).test(rest)) errs.push(invalid(path, { value: rest, detail: `Invalid path (regex used for validation is '${HTTP_PATH}')` }));
  return errs;
}

/**
 * Upstream's IsFullyQualifiedDomainName (two segments, FQDN addresses) and
 * IsFullyQualifiedName (three segments, webhook names).
 */
export function fullyQualified(name: string, path: string, segments: 2 | 3): FieldError[] {
  if (!name) return [required(path)];
  const bare = segments === 2 && name.endsWith(".") ? name.slice(0, -1) : name;
  const sub = dns1123Subdomain(bare);
  if (sub.length) return [invalid(path, { value: bare, detail: sub.join(",") })];
  const words = segments === 2 ? "two" : "three";
  if (bare.split(".").length < segments) return [invalid(path, { value: bare, detail: `should be a domain with at least ${words} segments separated by dots` })];
  return [];
}
