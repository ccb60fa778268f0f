/** Container env and envFrom as upstream's ValidateEnv / ValidateEnvFrom. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asMap, asMaps, asString } from "../access.ts";
import { configMapKey, dns1123Subdomain, envVarName, invalid, required } from "../validation.ts";
import { ENV_FIELD_PATHS, validateFieldSelector, validateResourceFieldSelector } from "./downward.ts";

/** Upstream's validateConfigMapKeySelector / validateSecretKeySelector (names checked as secret names). */
function validateKeySelector(sel: JsonMap, path: string): FieldError[] {
  const name = asString(sel.name);
  const errs = dns1123Subdomain(name).map((detail) => invalid(`${path}.name`, { value: name, detail }));
  const key = asString(sel.key);
  if (!key) errs.push(required(`${path}.key`));
  else errs.push(...configMapKey(key).map((detail) => invalid(`${path}.key`, { value: key, detail })));
  return errs;
}

const SOURCES = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"];

function validateValueFrom(env: JsonMap, path: string): FieldError[] {
  const vf = asMap(env.valueFrom);
  if (!vf) return [];
  const errs: FieldError[] = [];
  const set = SOURCES.filter((k) => asMap(vf[k]));
  for (const k of set) {
    const src = asMap(vf[k]) ?? {};
    const p = `${path}.${k}`;
    if (k === "fieldRef") errs.push(...validateFieldSelector(src, p, ENV_FIELD_PATHS));
    else if (k === "resourceFieldRef") errs.push(...validateResourceFieldSelector(src, p, false));
    else errs.push(...validateKeySelector(src, p));
  }
  if (set.length === 0) errs.push(invalid(path, { value: "", detail: "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`" }));
  else if (asString(env.value)) errs.push(invalid(path, { value: "", detail: "may not be specified when `value` is not empty" }));
  else if (set.length > 1) errs.push(invalid(path, { value: "", detail: "may not have more than one field specified at a time" }));
  return errs;
}

/** Upstream's ValidateEnv, at path ("...containers[0].env"). */
export function validateEnv(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asMaps(list).forEach((env, i) => {
    const at = `${path}[${i}]`;
    const name = asString(env.name);
    if (!name) errs.push(required(`${at}.name`));
    else errs.push(...envVarName(name).map((detail) => invalid(`${at}.name`, { value: name, detail })));
    errs.push(...validateValueFrom(env, `${at}.valueFrom`));
  });
  return errs;
}

/** Upstream's ValidateEnvFrom: an env var prefix and exactly one of configMapRef / secretRef. */
export function validateEnvFrom(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asMaps(list).forEach((src, i) => {
    const at = `${path}[${i}]`;
    const prefix = asString(src.prefix);
    if (prefix) errs.push(...envVarName(prefix).map((detail) => invalid(`${at}.prefix`, { value: prefix, detail })));
    const set = ["configMapRef", "secretRef"].filter((k) => asMap(src[k]));
    for (const k of set) {
      const name = asString(asMap(src[k])?.name);
      if (!name) errs.push(required(`${at}.${k}.name`));
      else errs.push(...dns1123Subdomain(name).map((detail) => invalid(`${at}.${k}.name`, { value: name, detail })));
    }
    // upstream reports these two at the list's path
    if (set.length === 0) errs.push(invalid(path, { value: "", detail: "must specify one of: `configMapRef` or `secretRef`" }));
    else if (set.length > 1) errs.push(invalid(path, { value: "", detail: "may not have more than one field specified at a time" }));
  });
  return errs;
}
