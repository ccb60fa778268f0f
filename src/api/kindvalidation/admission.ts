/** admissionregistration.k8s.io/v1 webhook configuration validation as upstream's pkg/apis/admissionregistration/validation (1.32). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asArray, asMap, asMaps, asNumber, asString } from "../access.ts";
import { dns1123Label, duplicate, inclusiveRange, invalid, notSupported, required, validateLabelSelector } from "../validation.ts";
import { fullyQualified, optionalEnum } from "./common.ts";

const OPERATIONS = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"];

/** A list where "*" must stand alone ("if '*' is present, must not specify other <what>"). */
function starAlone(list: string[], path: string, what: string): FieldError[] {
  return list.length > 1 && list.includes("*") ? [invalid(path, { value: list, detail: `if '*' is present, must not specify other ${what}` })] : [];
}

/** Upstream's validateRuleWithOperations. */
function validateRule(rule: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ops = asArray(rule.operations).map(String);
  if (ops.length === 0) errs.push(required(`${path}.operations`));
  errs.push(...starAlone(ops, `${path}.operations`, "operations"));
  ops.forEach((op, i) => {
    if (!OPERATIONS.includes(op)) errs.push(notSupported(`${path}.operations[${i}]`, { value: op, supported: OPERATIONS }));
  });
  const lists: [string, string][] = [["apiGroups", "API groups"], ["apiVersions", "API versions"], ["resources", "resources"]];
  for (const [k, what] of lists) {
    const list = asArray(rule[k]).map(String);
    if (list.length === 0) errs.push(required(`${path}.${k}`));
    if (k !== "resources") errs.push(...starAlone(list, `${path}.${k}`, what));
    if (k === "apiVersions") list.forEach((v, i) => { if (!v) errs.push(required(`${path}.apiVersions[${i}]`, "version must not be empty")); });
  }
  errs.push(...optionalEnum(rule.scope, `${path}.scope`, ["*", "Cluster", "Namespaced"]));
  return errs;
}

/** Upstream's ValidateWebhookClientConfig: exactly one of an https url or an in-cluster service. */
function validateClientConfig(cc: JsonMap, path: string): FieldError[] {
  const url = asString(cc.url);
  const svc = asMap(cc.service);
  if ((url ? 1 : 0) + (svc ? 1 : 0) !== 1) return [required(path, "exactly one of url or service is required")];
  if (url) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      return [invalid(`${path}.url`, { value: url, detail: "host must be specified" })];
    }
    if (parsed.protocol !== "https:") return [invalid(`${path}.url`, { value: url, detail: "'https' is the only allowed URL scheme" })];
    if (parsed.username || parsed.password) return [invalid(`${path}.url`, { value: url, detail: "user information is not permitted in the URL" })];
    return parsed.hash || parsed.search ? [invalid(`${path}.url`, { value: url, detail: "fragments and query parameters are not permitted in the URL" })] : [];
  }
  const s = svc ?? {};
  const errs: FieldError[] = [];
  if (!asString(s.name)) errs.push(required(`${path}.service.name`, "service name is required"));
  if (!asString(s.namespace)) errs.push(required(`${path}.service.namespace`, "service namespace is required"));
  const port = asNumber(s.port);
  if (port !== undefined && (port < 1 || port > 65535)) errs.push(invalid(`${path}.service.port`, { value: port, detail: `port is not valid: ${inclusiveRange(1, 65535)}` }));
  const p = s.path;
  if (typeof p === "string" && p && !p.startsWith("/")) errs.push(invalid(`${path}.service.path`, { value: p, detail: "must start with a '/'" }));
  return errs;
}

function validateReviewVersions(versions: string[], path: string): FieldError[] {
  if (versions.length === 0) return [required(path, "must specify one of v1, v1beta1")];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    for (const m of dns1123Label(v)) errs.push(invalid(`${path}[${i}]`, { value: v, detail: m }));
    if (seen.has(v)) errs.push(invalid(`${path}[${i}]`, { value: v, detail: "duplicate version" }));
    seen.add(v);
  });
  if (!versions.includes("v1") && !versions.includes("v1beta1")) errs.push(invalid(path, { value: versions, detail: "must include at least one of v1, v1beta1" }));
  return errs;
}

function validateWebhook(w: JsonMap, path: string, mutating: boolean): FieldError[] {
  const errs = fullyQualified(asString(w.name), `${path}.name`, 3);
  asMaps(w.rules).forEach((r, i) => errs.push(...validateRule(r, `${path}.rules[${i}]`)));
  errs.push(...optionalEnum(w.failurePolicy, `${path}.failurePolicy`, ["Fail", "Ignore"]));
  errs.push(...optionalEnum(w.matchPolicy, `${path}.matchPolicy`, ["Equivalent", "Exact"]));
  if (w.sideEffects === undefined || w.sideEffects === null) errs.push(required(`${path}.sideEffects`, "must specify one of None, NoneOnDryRun"));
  else errs.push(...optionalEnum(w.sideEffects, `${path}.sideEffects`, ["None", "NoneOnDryRun"]));
  const timeout = asNumber(w.timeoutSeconds);
  if (timeout !== undefined && (timeout < 1 || timeout > 30)) errs.push(invalid(`${path}.timeoutSeconds`, { value: timeout, detail: "the timeout value must be between 1 and 30 seconds" }));
  for (const k of ["namespaceSelector", "objectSelector"]) if (asMap(w[k])) errs.push(...validateLabelSelector(w[k], `${path}.${k}`));
  errs.push(...validateReviewVersions(asArray(w.admissionReviewVersions).map(String), `${path}.admissionReviewVersions`));
  errs.push(...validateClientConfig(asMap(w.clientConfig) ?? {}, `${path}.clientConfig`));
  if (mutating) errs.push(...optionalEnum(w.reinvocationPolicy, `${path}.reinvocationPolicy`, ["IfNeeded", "Never"]));
  return errs;
}

/** Upstream's ValidateValidatingWebhookConfiguration / ValidateMutatingWebhookConfiguration. */
export function validateWebhookConfiguration(obj: KubeObject, mutating: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asMaps(obj.webhooks).forEach((w, i) => {
    const name = asString(w.name);
    if (name && seen.has(name)) errs.push(duplicate(`webhooks[${i}].name`, name));
    seen.add(name);
    errs.push(...validateWebhook(w, `webhooks[${i}]`, mutating));
  });
  return errs;
}
