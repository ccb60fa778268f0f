/** ConfigMap and Secret validation as upstream's core validation (1.32): keys, sizes, type-specific keys, immutability. */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asMap, asString } from "../access.ts";
import { configMapKey, forbidden, invalid, required } from "../validation.ts";
import { sameValue, unchanged } from "./common.ts";

/** Upstream's MaxSecretSize, which bounds ConfigMaps too. */
const MAX_SIZE = 1024 * 1024;

function tooLongTotal(field: string): FieldError {
  return { type: "FieldValueTooLong", field, message: `Too long: may not be more than ${MAX_SIZE} bytes` };
}

function keyErrors(data: JsonMap, field: string): FieldError[] {
  return Object.keys(data).flatMap((k) => configMapKey(k).map((m) => invalid(`${field}[${k}]`, { value: k, detail: m })));
}

/** The bytes of a base64 value as stored (Secret data, ConfigMap binaryData). */
function decodedLength(v: unknown): number {
  return Buffer.from(asString(v), "base64").length;
}

/** Upstream's ValidateConfigMap. */
export function validateConfigMap(obj: KubeObject, old?: KubeObject): FieldError[] {
  const data = asMap(obj.data) ?? {};
  const binary = asMap(obj.binaryData) ?? {};
  const errs = [...keyErrors(data, "data"), ...keyErrors(binary, "binaryData")];
  for (const k of Object.keys(binary)) if (k in data) errs.push(invalid(`binaryData[${k}]`, { value: k, detail: "duplicate of key present in data" }));
  let size = 0;
  for (const v of Object.values(data)) size += Buffer.byteLength(asString(v));
  for (const v of Object.values(binary)) size += decodedLength(v);
  if (size > MAX_SIZE) errs.push(tooLongTotal(""));
  if (old) errs.push(...immutableContent(obj, old, ["data", "binaryData"]));
  return errs;
}

/** Upstream's rule for `immutable: true` objects: the flag stays and so does the content. */
function immutableContent(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  const why = "field is immutable when `immutable` is set";
  if (obj.immutable !== true) errs.push(forbidden("immutable", why));
  for (const f of fields) if (!sameValue(obj[f], old[f])) errs.push(forbidden(f, why));
  return errs;
}

/** Go's json.Unmarshal verdict on a value, worded close to Go's errors. */
function jsonError(text: string): string | undefined {
  if (!text.trim()) return "unexpected end of JSON input";
  try {
    const v: unknown = JSON.parse(text);
    return asMap(v) ? undefined : "json: cannot unmarshal into Go value of type map[string]interface {}";
  } catch {
    const first = text.trim()[0];
    return `invalid character '${first}' looking for beginning of value`;
  }
}

/** The keys a Secret of each well-known type must carry. */
function typeErrors(obj: KubeObject, data: JsonMap): FieldError[] {
  const key = (k: string) => `data[${k}]`;
  switch (obj.type) {
    case "kubernetes.io/service-account-token":
      // the uid annotation and the token are filled in later by the token controller
      return obj.metadata.annotations?.["kubernetes.io/service-account.name"] ? [] : [required("metadata.annotations[kubernetes.io/service-account.name]")];
    case "kubernetes.io/dockercfg":
    case "kubernetes.io/dockerconfigjson": {
      const k = obj.type === "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson";
      if (!(k in data)) return [required(key(k))];
      const bad = jsonError(Buffer.from(asString(data[k]), "base64").toString("utf8"));
      return bad ? [invalid(key(k), { value: "<secret contents redacted>", detail: bad })] : [];
    }
    case "kubernetes.io/basic-auth":
      // either may be empty, but one must be there
      return "username" in data || "password" in data ? [] : [required(key("username")), required(key("password"))];
    case "kubernetes.io/ssh-auth":
      return decodedLength(data["ssh-privatekey"]) > 0 ? [] : [required(key("ssh-privatekey"))];
    case "kubernetes.io/tls":
      return ["tls.crt", "tls.key"].filter((k) => !(k in data)).map((k) => required(key(k)));
    default:
      return [];
  }
}

/** Upstream's ValidateSecret / ValidateSecretUpdate. */
export function validateSecret(obj: KubeObject, old?: KubeObject): FieldError[] {
  const data = asMap(obj.data) ?? {};
  const errs = keyErrors(data, "data");
  const size = Object.values(data).reduce((n: number, v) => n + decodedLength(v), 0);
  if (size > MAX_SIZE) errs.push(tooLongTotal("data"));
  errs.push(...typeErrors(obj, data));
  if (old) {
    errs.push(...unchanged("type", { value: obj.type, old: old.type }));
    errs.push(...immutableContent(obj, old, ["data"]));
  }
  return errs;
}
