/** Downward API selectors (env valueFrom and downwardAPI volume files) as upstream's validateObjectFieldSelector. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asMap, asString } from "../access.ts";
import { quantityValue } from "../quantity.ts";
import { invalid, notSupported, qualifiedName, required } from "../validation.ts";
import { fileMode, localNonReservedPath } from "./common.ts";

/** The field paths upstream's v1 conversion knows (ConvertDownwardAPIFieldLabel). */
const KNOWN_FIELDS = [
  "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
  "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
  "status.hostIP", "status.hostIPs", "status.phase", "status.podIP", "status.podIPs",
];

/** Paths an env var may read. */
export const ENV_FIELD_PATHS = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"];
/** Paths a downwardAPI volume file may read. */
export const VOLUME_FIELD_PATHS = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];

const RESOURCE_PATHS = ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"];
const SUBSCRIPT = /^(metadata\.(?:annotations|labels))\['(.*)'\]$/;

/** Upstream's validateObjectFieldSelector, with the paths the caller allows. */
export function validateFieldSelector(fs: JsonMap, path: string, allowed: string[]): FieldError[] {
  if (!asString(fs.apiVersion)) return [required(`${path}.apiVersion`)];
  const fp = asString(fs.fieldPath);
  if (!fp) return [required(`${path}.fieldPath`)];
  const sub = SUBSCRIPT.exec(fp);
  let why = "";
  if (fs.apiVersion !== "v1") why = `unsupported pod version: ${asString(fs.apiVersion)}`;
  else if (!sub && !KNOWN_FIELDS.includes(fp)) why = `field label not supported: ${fp}`;
  if (why) return [invalid(`${path}.fieldPath`, { value: fp, detail: `error converting fieldPath: ${why}` })];
  if (sub) {
    const key = sub[1] === "metadata.annotations" ? sub[2].toLowerCase() : sub[2];
    return qualifiedName(key).map((detail) => invalid(path, { value: key, detail }));
  }
  return allowed.includes(fp) ? [] : [notSupported(`${path}.fieldPath`, { value: fp, supported: allowed })];
}

const DIVISORS: Record<string, string[]> = {
  cpu: ["1m", "1"],
  memory: ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"],
};

function validateDivisor(resource: string, divisor: unknown, path: string): FieldError[] {
  const d = quantityValue(divisor);
  if (divisor === undefined || d === undefined || d === 0) return [];
  const kind = resource.replace(/^(limits|requests)\./, "");
  const what = kind === "cpu" ? "cpu" : kind === "memory" ? "memory" : kind === "ephemeral-storage" ? "local ephemeral storage" : kind.startsWith("hugepages-") ? "hugepages" : "";
  if (!what) return [];
  const allowed = DIVISORS[kind === "cpu" ? "cpu" : "memory"];
  if (allowed.some((a) => quantityValue(a) === d)) return [];
  return [invalid(`${path}.divisor`, { value: resource, detail: `only divisor's values ${allowed.join(", ")} are supported with the ${what} resource` })];
}

/** Upstream's validateContainerResourceFieldSelector; a volume file must name its container. */
export function validateResourceFieldSelector(fs: JsonMap, path: string, volume: boolean): FieldError[] {
  const resource = asString(fs.resource);
  const errs: FieldError[] = [];
  if (volume && !asString(fs.containerName)) errs.push(required(`${path}.containerName`));
  else if (!resource) errs.push(required(`${path}.resource`));
  else if (!RESOURCE_PATHS.includes(resource) && !/^(requests|limits)\.hugepages-/.test(resource)) {
    errs.push(notSupported(`${path}.resource`, { value: resource, supported: RESOURCE_PATHS }));
  }
  return [...errs, ...validateDivisor(resource, fs.divisor, path)];
}

/** Upstream's validateDownwardAPIVolumeFile; path is where upstream reports (the source, not the item). */
export function validateDownwardAPIFile(file: JsonMap, path: string): FieldError[] {
  const p = asString(file.path);
  const errs = p ? [] : [required(`${path}.path`)];
  errs.push(...localNonReservedPath(`${path}.path`, p));
  const fieldRef = asMap(file.fieldRef);
  const resRef = asMap(file.resourceFieldRef);
  if (fieldRef) {
    errs.push(...validateFieldSelector(fieldRef, `${path}.fieldRef`, VOLUME_FIELD_PATHS));
    if (resRef) errs.push(invalid(path, { value: "resource", detail: "fieldRef and resourceFieldRef can not be specified simultaneously" }));
  } else if (resRef) {
    errs.push(...validateResourceFieldSelector(resRef, `${path}.resourceFieldRef`, true));
  } else {
    errs.push(required(path, "one of fieldRef and resourceFieldRef is required"));
  }
  return [...errs, ...fileMode(`${path}.mode`, file.mode)];
}
