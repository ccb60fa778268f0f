/** Generic ObjectMeta rules every kind shares (upstream's ValidateObjectMeta and friends). */
import { randomBytes } from "node:crypto";
import type { FieldError } from "../api/kind.ts";
import type { KubeObject } from "../api/types.ts";

/** RFC 3339 at second precision, as metav1.Time marshals. */
export function nowTimestamp(offsetSeconds = 0): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000 + offsetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** generateName plus upstream's 5-character random suffix (no vowels). */
export function generateName(base: string): string {
  const bytes = randomBytes(5);
  let out = "";
  for (const b of bytes) out += SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length];
  return `${base.length > 58 ? base.slice(0, 58) : base}${out}`;
}

const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function qualifiedNameErrors(key: string, field: string): FieldError[] {
  const slash = key.indexOf("/");
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const errs: FieldError[] = [];
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    errs.push({ type: "FieldValueInvalid", field, message: `Invalid value: ${JSON.stringify(key)}: prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character` });
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    errs.push({
      type: "FieldValueInvalid",
      field,
      message: `Invalid value: ${JSON.stringify(key)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    });
  }
  return errs;
}

/** Validates name presence, path-safety, labels, annotations and owner references. */
export function validateObjectMeta(obj: KubeObject, opts: { namespaced: boolean }): FieldError[] {
  const errs: FieldError[] = [];
  const md = obj.metadata;
  const name = md.name ?? "";
  if (!name) {
    errs.push({ type: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" });
  } else {
    if (name === "." || name === ".." || name.includes("/") || name.includes("%")) {
      errs.push({ type: "FieldValueInvalid", field: "metadata.name", message: `Invalid value: ${JSON.stringify(name)}: may not contain '/' or '%' and may not be '.' or '..'` });
    }
  }
  if (opts.namespaced && !md.namespace) {
    errs.push({ type: "FieldValueRequired", field: "metadata.namespace", message: "Required value" });
  }
  if (!opts.namespaced && md.namespace) {
    errs.push({ type: "FieldValueForbidden", field: "metadata.namespace", message: "Forbidden: not allowed on this type" });
  }
  for (const [k, v] of Object.entries(md.labels ?? {})) {
    errs.push(...qualifiedNameErrors(k, "metadata.labels"));
    if (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v)) {
      errs.push({
        type: "FieldValueInvalid",
        field: "metadata.labels",
        message: `Invalid value: ${JSON.stringify(v)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      });
    }
  }
  let total = 0;
  for (const [k, v] of Object.entries(md.annotations ?? {})) {
    errs.push(...qualifiedNameErrors(k.toLowerCase(), "metadata.annotations"));
    total += k.length + (typeof v === "string" ? v.length : 0);
  }
  if (total > 256 * 1024) {
    errs.push({ type: "FieldValueTooLong", field: "metadata.annotations", message: `Too long: must have at most 262144 bytes` });
  }
  (md.ownerReferences ?? []).forEach((ref, i) => {
    for (const f of ["apiVersion", "kind", "name", "uid"] as const) {
      if (!ref[f]) errs.push({ type: "FieldValueRequired", field: `metadata.ownerReferences[${i}].${f}`, message: "Required value" });
    }
  });
  return errs;
}

/** Everything but metadata and status: what a generation bump watches. */
export function specOf(obj: KubeObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return JSON.stringify(rest);
}

// core kinds whose 1.32 strategies never set metadata.generation, spec or not
const NO_GENERATION = new Set(["Pod", "Service", "Node", "Namespace", "PersistentVolume", "PersistentVolumeClaim"]);

/** Whether objects of this kind carry metadata.generation: those with a spec, but for the core kinds upstream leaves without. */
export function hasGeneration(kind: { group: string; kind: string }, obj: KubeObject): boolean {
  return obj.spec !== undefined && !(kind.group === "" && NO_GENERATION.has(kind.kind));
}
