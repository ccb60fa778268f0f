/** Container resource requirements as upstream's ValidateContainerResourceRequirements. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asMap, asMaps, asString } from "../access.ts";
import { QUANTITY_MESSAGE, quantityValue } from "../quantity.ts";
import { dns1123Label, duplicate, forbidden, invalid, qualifiedName, required } from "../validation.ts";

const CONTAINER_RESOURCES = ["cpu", "memory", "ephemeral-storage"];
/** Upstream's standard resource names without a "/" (quota and limit names included). */
const STANDARD = new Set([
  ...CONTAINER_RESOURCES, "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
  "limits.ephemeral-storage", "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
  "persistentvolumeclaims", "storage", "requests.storage", "services.nodeports", "services.loadbalancers",
]);

function isHugePages(name: string): boolean {
  return name.startsWith("hugepages-");
}

/** A resource name with no "/" or in kubernetes.io is native; anything else is an extended resource. */
function isNative(name: string): boolean {
  return !name.includes("/") || name.includes("kubernetes.io/");
}

function isExtended(name: string): boolean {
  return !isNative(name) && !name.startsWith("requests.") && qualifiedName(`requests.${name}`).length === 0;
}

/** Upstream's validateContainerResourceName. */
function validateResourceName(name: string, field: string): FieldError[] {
  const errs = qualifiedName(name).map((detail) => invalid(field, { value: name, detail }));
  if (errs.length) return errs;
  if (!name.includes("/")) {
    if (!STANDARD.has(name) && !isHugePages(name)) errs.push(invalid(field, { value: name, detail: "must be a standard resource type or fully qualified" }));
    if (!CONTAINER_RESOURCES.includes(name) && !isHugePages(name)) errs.push(invalid(field, { value: name, detail: "must be a standard resource for containers" }));
  } else if (!isNative(name) && !isExtended(name)) {
    errs.push(invalid(field, { value: name, detail: "doesn't follow extended resource name standard" }));
  }
  return errs;
}

/** Upstream's ValidateResourceQuantityValue plus the quantity syntax our JSON input can get wrong. */
function validateQuantity(name: string, q: unknown, field: string): FieldError[] {
  const v = quantityValue(q);
  if (v === undefined) return [invalid(field, { value: q, detail: QUANTITY_MESSAGE })];
  if (v < 0) return [invalid(field, { value: q, detail: "must be greater than or equal to 0" })];
  if (isExtended(name) && !Number.isInteger(v)) return [invalid(field, { value: q, detail: "must be an integer" })];
  return [];
}

/** Huge pages must be a whole number of pages ("hugepages-2Mi": multiples of 2Mi). */
function validateHugePages(name: string, q: unknown, field: string): FieldError[] {
  const page = quantityValue(name.slice("hugepages-".length));
  const v = quantityValue(q);
  if (page === undefined || v === undefined || page <= 0 || (v > 0 && v % page === 0)) return [];
  return [invalid(field, { value: asString(q) || String(q), detail: `${asString(q) || String(q)} is not positive integer multiple of ${name}` })];
}

function text(q: unknown): string {
  return asString(q) || String(q);
}

/** Requests and limits: names, quantities, request <= limit (= for extended resources and huge pages); claims among the pod's. */
export function validateResources(raw: unknown, path: string, podClaims: Set<string> = new Set()): FieldError[] {
  const r = asMap(raw);
  if (!r) return [];
  const errs: FieldError[] = [];
  const limits = asMap(r.limits) ?? {};
  const requests = asMap(r.requests) ?? {};
  const all = [...Object.keys(limits), ...Object.keys(requests)];
  for (const [kind, map] of [["limits", limits], ["requests", requests]] as [string, JsonMap][]) {
    for (const [name, q] of Object.entries(map)) {
      const field = `${path}.${kind}[${name}]`;
      errs.push(...validateResourceName(name, field), ...validateQuantity(name, q, field));
      if (kind === "requests") errs.push(...requestAgainstLimit(name, q, { limits, path }));
      if (isHugePages(name)) errs.push(...validateHugePages(name, q, field));
    }
  }
  if (all.some(isHugePages) && !all.some((n) => n === "cpu" || n === "memory")) errs.push(forbidden(path, "HugePages require cpu or memory"));
  errs.push(...validateClaims(r.claims, `${path}.claims`, podClaims));
  return errs;
}

function requestAgainstLimit(name: string, q: unknown, ctx: { limits: JsonMap; path: string }): FieldError[] {
  const overcommit = isNative(name) && !isHugePages(name);
  const limit = ctx.limits[name];
  if (limit === undefined) return overcommit ? [] : [required(`${ctx.path}.limits`, "Limit must be set for non overcommitable resources")];
  const req = quantityValue(q);
  const lim = quantityValue(limit);
  if (req === undefined || lim === undefined) return [];
  if (!overcommit && req !== lim) return [invalid(`${ctx.path}.requests`, { value: text(q), detail: `must be equal to ${name} limit of ${text(limit)}` })];
  if (req > lim) return [invalid(`${ctx.path}.requests`, { value: text(q), detail: `must be less than or equal to ${name} limit of ${text(limit)}` })];
  return [];
}

/** Upstream's validateResourceClaimNames: each claim named once and one of the pod's spec.resourceClaims. */
function validateClaims(raw: unknown, path: string, podClaims: Set<string>): FieldError[] {
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  asMaps(raw).forEach((c, i) => {
    const at = `${path}[${i}]`;
    const name = asString(c.name);
    const request = asString(c.request);
    if (!name) {
      errs.push(required(at));
      return;
    }
    const key = request ? `${name}/${request}` : name;
    // naming the whole claim after one of its requests (or the reverse) also repeats it
    const overlaps = seen.has(name) || seen.has(key) || (!request && [...seen].some((k) => k.startsWith(`${name}/`)));
    if (overlaps) errs.push(duplicate(at, seen.has(name) ? name : key));
    if (request) errs.push(...dns1123Label(request).map((detail) => invalid(`${at}.request`, { value: request, detail })));
    seen.add(key);
    if (!podClaims.has(name)) {
      const list = [...podClaims].sort();
      const detail = list.length ? `: ${list.join(", ")}` : " which is empty";
      errs.push({ type: "FieldValueNotFound", field: at, message: `Not found: ${JSON.stringify(name)}: must be one of the names in pod.spec.resourceClaims${detail}` });
    }
  });
  return errs;
}
