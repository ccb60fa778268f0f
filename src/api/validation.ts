/** Field errors and name rules worded as upstream's apimachinery validation. */
import type { FieldError } from "./kind.ts";
import type { ObjectMeta } from "./types.ts";
import { asMap, asString } from "./access.ts";

/** Renders a value the way Go's %#v does for the common scalar cases. */
export function showValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === undefined || v === null) return "null";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** "Required value" at field. */
export function required(field: string, detail = ""): FieldError {
  return { type: "FieldValueRequired", field, message: detail ? `Required value: ${detail}` : "Required value" };
}

/** What was wrong with a value, for invalid(). */
export interface InvalidValue {
  value: unknown;
  /** upstream's explanation, e.g. "must be between 1 and 65535, inclusive" */
  detail: string;
}

/** "Invalid value: v: detail" at field. */
export function invalid(field: string, why: InvalidValue): FieldError {
  return { type: "FieldValueInvalid", field, message: `Invalid value: ${showValue(why.value)}: ${why.detail}` };
}

/** A value outside an enum, for notSupported(). */
export interface UnsupportedValue {
  value: unknown;
  supported: string[];
}

/** "Unsupported value: v: supported values: ..." at field. */
export function notSupported(field: string, why: UnsupportedValue): FieldError {
  const list = why.supported.map((s) => JSON.stringify(s)).join(", ");
  return { type: "FieldValueNotSupported", field, message: `Unsupported value: ${showValue(why.value)}: supported values: ${list}` };
}

/** "Duplicate value: v" at field. */
export function duplicate(field: string, value: unknown): FieldError {
  return { type: "FieldValueDuplicate", field, message: `Duplicate value: ${showValue(value)}` };
}

/** "Forbidden: detail" at field. */
export function forbidden(field: string, detail: string): FieldError {
  return { type: "FieldValueForbidden", field, message: `Forbidden: ${detail}` };
}

/** "Too long: may not be more than N bytes" at field. */
export function tooLong(field: string, max: number): FieldError {
  return { type: "FieldValueTooLong", field, message: `Too long: may not be more than ${max} bytes` };
}

/** A field's new and old value, for immutable(). */
export interface ValueChange {
  value: unknown;
  old: unknown;
}

/** "Invalid value: v: field is immutable" when the values differ. */
export function immutable(field: string, change: ValueChange): FieldError[] {
  const { value, old } = change;
  return JSON.stringify(value ?? null) === JSON.stringify(old ?? null) ? [] : [invalid(field, { value: value ?? null, detail: "field is immutable" })];
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Problems with a value as an RFC 1123 label (namespaces, container names). */
export function dns1123Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push("must be no more than 63 characters");
  // upstream names the dots when the value would be a valid subdomain
  if (!LABEL.test(v) && SUBDOMAIN.test(v)) errs.push("must not contain dots");
  else if (!LABEL.test(v)) {
    errs.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
  }
  return errs;
}

/** Problems with a value as an RFC 1123 subdomain (most object names). */
export function dns1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push("must be no more than 253 characters");
  if (!SUBDOMAIN.test(v)) {
    errs.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }
  return errs;
}

/** Problems with a value as a DNS-1035 label (service names, port names). */
export function dns1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push("must be no more than 63 characters");
  if (!DNS1035.test(v)) {
    errs.push("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
  }
  return errs;
}

/** Problems with a name used as a path segment (RBAC objects). */
export function pathSegmentName(v: string): string[] {
  if (v === "." || v === "..") return [`may not be '${v}'`];
  for (const bad of ["/", "%"]) if (v.includes(bad)) return [`may not contain '${bad}'`];
  return [];
}

/** Problems with a qualified name (label and annotation keys: [prefix/]name). */
export function qualifiedName(v: string): string[] {
  const parts = v.split("/");
  let name = v;
  const errs: string[] = [];
  if (parts.length === 2) {
    if (parts[0].length === 0) errs.push("prefix part must be non-empty");
    else errs.push(...dns1123Subdomain(parts[0]).map((e) => `prefix part ${e}`));
    name = parts[1];
  } else if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (name.length > 63) errs.push("name part must be no more than 63 characters");
  if (name.length && !QUALIFIED_NAME.test(name)) {
    errs.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  }
  return errs;
}

/** Problems with a label value. */
export function labelValue(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push("must be no more than 63 characters");
  if (!LABEL_VALUE.test(v)) {
    errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  }
  return errs;
}

/** Validates a label map at path (keys and values). */
export function validateLabels(labels: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const m = asMap(labels);
  if (!m) return errs;
  for (const [k, v] of Object.entries(m)) {
    for (const e of qualifiedName(k)) errs.push(invalid(path, { value: k, detail: e }));
    for (const e of labelValue(asString(v))) errs.push(invalid(`${path}[${k}]`, { value: v, detail: e }));
  }
  return errs;
}

/** Validates annotation keys and total size as upstream (256 KiB). */
export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const m = asMap(annotations);
  if (!m) return errs;
  let size = 0;
  for (const [k, v] of Object.entries(m)) {
    for (const e of qualifiedName(k.toLowerCase())) errs.push(invalid(path, { value: k, detail: e }));
    size += k.length + asString(v).length;
  }
  if (size > 256 * 1024) errs.push(tooLong(path, 256 * 1024));
  return errs;
}

/** How an object's name is checked. */
export type NameRule = (name: string) => string[];

export interface ObjectMetaOptions {
  namespaced: boolean;
  nameRule: NameRule;
}

/** The kind-specific part of ObjectMeta validation: the name rule and the namespace's form. */
export function validateMetaNames(meta: ObjectMeta, opts: ObjectMetaOptions): FieldError[] {
  const errs: FieldError[] = [];
  const name = meta.name ?? "";
  if (name) for (const e of opts.nameRule(name)) errs.push(invalid("metadata.name", { value: name, detail: e }));
  if (meta.generateName && !name) {
    const base = meta.generateName.replace(/-$/, "x");
    for (const e of opts.nameRule(base)) errs.push(invalid("metadata.generateName", { value: meta.generateName, detail: e }));
  }
  if (opts.namespaced && meta.namespace) for (const e of dns1123Label(meta.namespace)) errs.push(invalid("metadata.namespace", { value: meta.namespace, detail: e }));
  return errs;
}

/** Upstream's ValidateObjectMeta: name, namespace, labels, annotations. */
export function validateObjectMeta(meta: ObjectMeta, opts: ObjectMetaOptions): FieldError[] {
  const errs: FieldError[] = [];
  const name = meta.name ?? "";
  if (!name && !meta.generateName) errs.push(required("metadata.name", "name or generateName is required"));
  if (name) for (const e of opts.nameRule(name)) errs.push(invalid("metadata.name", { value: name, detail: e }));
  if (meta.generateName) {
    const base = meta.generateName.replace(/-$/, "x");
    for (const e of opts.nameRule(base)) errs.push(invalid("metadata.generateName", { value: meta.generateName, detail: e }));
  }
  if (opts.namespaced) {
    if (!meta.namespace) errs.push(required("metadata.namespace", ""));
    else for (const e of dns1123Label(meta.namespace)) errs.push(invalid("metadata.namespace", { value: meta.namespace, detail: e }));
  } else if (meta.namespace) {
    errs.push(forbidden("metadata.namespace", "not allowed on this type"));
  }
  errs.push(...validateLabels(meta.labels, "metadata.labels"));
  errs.push(...validateAnnotations(meta.annotations, "metadata.annotations"));
  return errs;
}

/** Upstream's ValidateObjectMetaUpdate: name, namespace and uid are immutable. */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta): FieldError[] {
  return [
    ...immutable("metadata.name", { value: meta.name, old: old.name }),
    ...immutable("metadata.namespace", { value: meta.namespace, old: old.namespace }),
    ...(meta.uid && old.uid ? immutable("metadata.uid", { value: meta.uid, old: old.uid }) : []),
  ];
}

/** Validates a metav1.LabelSelector at path. */
export function validateLabelSelector(sel: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const m = asMap(sel);
  if (!m) return errs;
  errs.push(...validateLabels(m.matchLabels, `${path}.matchLabels`));
  const exprs = Array.isArray(m.matchExpressions) ? m.matchExpressions : [];
  exprs.forEach((raw, i) => {
    const e = asMap(raw) ?? {};
    const p = `${path}.matchExpressions[${i}]`;
    const op = asString(e.operator);
    const values = Array.isArray(e.values) ? e.values : [];
    if (op === "In" || op === "NotIn") {
      if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === "Exists" || op === "DoesNotExist") {
      if (values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(invalid(`${p}.operator`, { value: op, detail: "not a valid selector operator" }));
    }
    for (const q of qualifiedName(asString(e.key))) errs.push(invalid(`${p}.key`, { value: e.key, detail: q }));
    values.forEach((v, j) => {
      for (const q of labelValue(asString(v))) errs.push(invalid(`${p}.values[${j}]`, { value: v, detail: q }));
    });
  });
  return errs;
}

/** True when a label selector (matchLabels + matchExpressions) selects the labels. */
export function selectorMatches(sel: unknown, labels: Record<string, string> | undefined): boolean {
  const m = asMap(sel);
  if (!m) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(asMap(m.matchLabels) ?? {})) if (l[k] !== v) return false;
  for (const raw of Array.isArray(m.matchExpressions) ? m.matchExpressions : []) {
    const e = asMap(raw) ?? {};
    const key = asString(e.key);
    const values = (Array.isArray(e.values) ? e.values : []).map(String);
    const has = Object.prototype.hasOwnProperty.call(l, key);
    switch (e.operator) {
      case "In": if (!has || !values.includes(l[key])) return false; break;
      case "NotIn": if (has && values.includes(l[key])) return false; break;
      case "Exists": if (!has) return false; break;
      case "DoesNotExist": if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Upstream's ValidateNonnegativeField. */
export function nonNegative(v: unknown, field: string): FieldError[] {
  return typeof v === "number" && v < 0 ? [invalid(field, { value: v, detail: "must be greater than or equal to 0" })] : [];
}

/** Upstream's InclusiveRangeError. */
export function inclusiveRange(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** Problems with a port name (IANA_SVC_NAME: at most 15 of [-a-z0-9], one letter, no "--", no edge hyphen). */
export function portName(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 15) errs.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(v)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(v)) errs.push("must contain at least one letter (a-z)");
  if (v.includes("--")) errs.push("must not contain consecutive hyphens");
  if (v.startsWith("-") || v.endsWith("-")) errs.push("must not begin or end with a hyphen");
  return errs;
}

/** Upstream's hasChDirPrefix: keys and names that would walk out of a directory. */
function chDirPrefix(v: string): string[] {
  if (v === ".") return ["must not be '.'"];
  if (v === "..") return ["must not be '..'"];
  return v.startsWith("..") ? ["must not start with '..'"] : [];
}

/**
 * Problems with an environment variable name. Kubernetes 1.32 relaxes the
 * rule (feature RelaxedEnvironmentVariableValidation, on by default): any
 * printable ASCII but '='.
 */
export function envVarName(v: string): string[] {
  if (v.length === 0) return ["environment variable name must be non-empty"];
  return /^[\x20-\x3c\x3e-\x7e]+$/.test(v) ? [] : ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
}

/** Problems with a ConfigMap or Secret key. */
export function configMapKey(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push("must be no more than 253 characters");
  if (!/^[-._a-zA-Z0-9]+$/.test(v)) {
    errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  }
  return [...errs, ...chDirPrefix(v)];
}

/** Problems with an HTTP header name. */
export function httpHeaderName(v: string): string[] {
  return /^[-A-Za-z0-9]+$/.test(v) ? [] : ["a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"];
}

/** Problems with an IP address (upstream's IsValidIP, which accepts IPv4 with leading zeros). */
export function ipAddress(v: string): string[] {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v);
  if (v4 && v4.slice(1).every((o) => Number(o) <= 255)) return [];
  if (!v4 && v.includes(":") && isIPv6(v)) return [];
  return ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"];
}

function isIPv6(v: string): boolean {
  const tail = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(v);
  // an embedded IPv4 tail stands for the last two groups
  const text = tail ? `${tail[1]}0:0` : v;
  if (tail && ipAddress(tail[2]).length) return false;
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groups = halves.map((h) => (h === "" ? [] : h.split(":")));
  if (!groups.flat().every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = groups.flat().length;
  return halves.length === 2 ? count < 8 : count === 8;
}
