/** Namespace, Node, Endpoints, LimitRange and ResourceQuota validation as upstream's core validation (1.32). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asArray, asMap, asMaps, asNumber, asString } from "../access.ts";
import { parseCidr } from "../allocators/ip.ts";
import { validateTaints } from "../podvalidation/mod.ts";
import { QUANTITY_MESSAGE, quantityValue } from "../quantity.ts";
import { dns1123Label, dns1123Subdomain, duplicate, forbidden, inclusiveRange, invalid, ipAddress, notSupported, qualifiedName, required } from "../validation.ts";
import { specOf } from "./common.ts";

const STANDARD_FINALIZERS = ["kubernetes", "orphan", "foregroundDeletion"];

/** Upstream's ValidateNamespace: finalizers are qualified names, or one of the standard ones. */
export function validateNamespace(obj: KubeObject): FieldError[] {
  return asArray(specOf(obj).finalizers).flatMap((raw) => {
    const f = asString(raw);
    const errs = qualifiedName(f).map((m) => invalid("spec.finalizers", { value: f, detail: m }));
    if (!f.includes("/") && !STANDARD_FINALIZERS.includes(f)) errs.push(invalid("spec.finalizers", { value: f, detail: "name is neither a standard finalizer name nor is it fully qualified" }));
    return errs;
  });
}

const CIDR_DETAIL = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

function familyOf(cidr: string): number | undefined {
  try {
    return parseCidr(cidr).family;
  } catch {
    return undefined;
  }
}

/** Upstream's ValidateNode / ValidateNodeUpdate (spec writes). */
export function validateNode(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs = validateTaints(spec.taints, "spec.taints");
  const cidrs = asArray(spec.podCIDRs).map(String);
  const families = cidrs.map(familyOf);
  cidrs.forEach((c, i) => {
    if (families[i] === undefined) errs.push(invalid(`spec.podCIDRs[${i}]`, { value: c, detail: CIDR_DETAIL }));
  });
  if (cidrs.length > 2 || (cidrs.length === 2 && families[0] === families[1])) {
    errs.push(invalid("spec.podCIDRs", { value: cidrs, detail: "may specify no more than one CIDR for each IP family" }));
  }
  if (!old) return errs;
  const oldSpec = specOf(old);
  // the node IPAM controller may assign a range once; after that it is fixed
  const oldCidrs = asArray(oldSpec.podCIDRs).map(String);
  const cidrChanged = oldCidrs.length > 0 && (oldCidrs.length !== cidrs.length || oldCidrs.some((c, i) => c !== cidrs[i]));
  const singleChanged = !!asString(oldSpec.podCIDR) && oldSpec.podCIDR !== spec.podCIDR;
  if (cidrChanged || singleChanged) errs.push(forbidden("spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid"));
  if (asString(oldSpec.providerID) && oldSpec.providerID !== spec.providerID) {
    errs.push(forbidden("spec.providerID", "node updates may not change providerID except from \"\" to valid"));
  }
  return errs;
}

/** Upstream's ValidateNonSpecialIP: endpoints may not point at the host itself or link-local space. */
function specialIP(ip: string): string | undefined {
  if (ip === "0.0.0.0" || ip === "::") return "may not be unspecified (0.0.0.0)";
  if (/^127\./.test(ip) || ip === "::1") return "may not be in the loopback range (127.0.0.0/8, ::1/128)";
  if (/^169\.254\./.test(ip) || /^fe[89ab][0-9a-f]:/i.test(ip)) return "may not be in the link-local range (169.254.0.0/16, fe80::/10)";
  if (/^224\.0\.0\./.test(ip) || /^ff02:/i.test(ip)) return "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)";
  return undefined;
}

function validateEndpointAddress(a: JsonMap, path: string, allowSpecial: boolean): FieldError[] {
  const ip = asString(a.ip);
  const errs = ipAddress(ip).map((m) => invalid(`${path}.ip`, { value: ip, detail: m }));
  const host = asString(a.hostname);
  if (host) for (const m of dns1123Label(host)) errs.push(invalid(`${path}.hostname`, { value: host, detail: m }));
  if (typeof a.nodeName === "string") for (const m of dns1123Subdomain(a.nodeName)) errs.push(invalid(`${path}.nodeName`, { value: a.nodeName, detail: m }));
  const special = errs.length || allowSpecial ? undefined : specialIP(ip);
  if (special) errs.push(invalid(`${path}.ip`, { value: ip, detail: special }));
  return errs;
}

function validateEndpointPort(p: JsonMap, path: string, named: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = asString(p.name);
  if (named && !name) errs.push(required(`${path}.name`));
  else if (name) for (const m of dns1123Label(name)) errs.push(invalid(`${path}.name`, { value: name, detail: m }));
  const port = asNumber(p.port) ?? 0;
  if (port < 1 || port > 65535) errs.push(invalid(`${path}.port`, { value: port, detail: inclusiveRange(1, 65535) }));
  if (!asString(p.protocol)) errs.push(required(`${path}.protocol`));
  else if (!["SCTP", "TCP", "UDP"].includes(asString(p.protocol))) errs.push(notSupported(`${path}.protocol`, { value: p.protocol, supported: ["SCTP", "TCP", "UDP"] }));
  return errs;
}

/**
 * Upstream's ValidateEndpoints: each subset has addresses, valid and not special, and well-formed ports.
 * The apiserver's own default/kubernetes Endpoints may point at loopback: a server with no other
 * address advertises 127.0.0.1 (src/server/advertise.ts).
 */
export function validateEndpoints(obj: KubeObject): FieldError[] {
  const own = obj.metadata.namespace === "default" && obj.metadata.name === "kubernetes";
  return asMaps(obj.subsets).flatMap((ss, i) => {
    const path = `subsets[${i}]`;
    const ready = asMaps(ss.addresses);
    const notReady = asMaps(ss.notReadyAddresses);
    const ports = asMaps(ss.ports);
    const errs = ready.length + notReady.length === 0 ? [required(path, "must specify `addresses` or `notReadyAddresses`")] : [];
    ready.forEach((a, j) => errs.push(...validateEndpointAddress(a, `${path}.addresses[${j}]`, own)));
    notReady.forEach((a, j) => errs.push(...validateEndpointAddress(a, `${path}.notReadyAddresses[${j}]`, own)));
    ports.forEach((p, j) => errs.push(...validateEndpointPort(p, `${path}.ports[${j}]`, ports.length > 1)));
    return errs;
  });
}

/** The resources only whole numbers of make sense (upstream's IsIntegerResourceName). */
const INTEGER_RESOURCES = ["pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers"];

/** Where an amount sits: its field path and the resource it counts. */
interface AmountAt {
  path: string;
  resource: string;
}

/** A resource amount: a quantity (reported when not), never negative, whole for countable resources. */
function quantityOf(v: unknown, at: AmountAt, errs: FieldError[]): number | undefined {
  const { path, resource } = at;
  const n = quantityValue(v);
  if (n === undefined) errs.push(invalid(path, { value: v, detail: QUANTITY_MESSAGE }));
  else if (n < 0) errs.push(invalid(path, { value: v, detail: "must be greater than or equal to 0" }));
  const countable = INTEGER_RESOURCES.includes(resource) || resource.startsWith("count/");
  if (n !== undefined && countable && !Number.isInteger(n)) errs.push(invalid(path, { value: v, detail: "must be an integer" }));
  return n;
}

/** min <= defaultRequest <= default <= max, and the ratio, for one resource of one limit item. */
function validateLimitOrder(item: JsonMap, resource: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const get = (k: string) => asMap(item[k])?.[resource];
  const q = (k: string) => (get(k) === undefined ? undefined : quantityOf(get(k), { path: `${path}.${k}[${resource}]`, resource }, errs));
  const [min, max, def, req, ratio] = ["min", "max", "default", "defaultRequest", "maxLimitRequestRatio"].map(q);
  const show = (k: string) => String(get(k));
  const at = `${path}[${resource}]`;
  if (min !== undefined && max !== undefined && min > max) errs.push(invalid(at, { value: get("min"), detail: `min value ${show("min")} is greater than max value ${show("max")}` }));
  if (req !== undefined && min !== undefined && min > req) errs.push(invalid(at, { value: get("defaultRequest"), detail: `min value ${show("min")} is greater than default request value ${show("defaultRequest")}` }));
  if (req !== undefined && max !== undefined && req > max) errs.push(invalid(at, { value: get("defaultRequest"), detail: `default request value ${show("defaultRequest")} is greater than max value ${show("max")}` }));
  if (def !== undefined && min !== undefined && min > def) errs.push(invalid(at, { value: get("min"), detail: `min value ${show("min")} is greater than default value ${show("default")}` }));
  if (def !== undefined && max !== undefined && def > max) errs.push(invalid(at, { value: get("default"), detail: `default value ${show("default")} is greater than max value ${show("max")}` }));
  if (req !== undefined && def !== undefined && req > def) errs.push(invalid(at, { value: get("defaultRequest"), detail: `default request value ${show("defaultRequest")} is greater than default limit value ${show("default")}` }));
  if (ratio !== undefined && ratio < 1) errs.push(invalid(at, { value: get("maxLimitRequestRatio"), detail: `ratio ${show("maxLimitRequestRatio")} is less than 1` }));
  if (ratio !== undefined && min !== undefined && max !== undefined && min > 0 && ratio > max / min) {
    errs.push(invalid(at, { value: get("maxLimitRequestRatio"), detail: `ratio ${show("maxLimitRequestRatio")} is greater than max/min = ${(max / min).toFixed(6)}` }));
  }
  return errs;
}

/** Upstream's ValidateLimitRange: one item per type, no defaults for Pods, ordered bounds. */
export function validateLimitRange(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asMaps(specOf(obj).limits).forEach((item, i) => {
    const path = `spec.limits[${i}]`;
    const type = asString(item.type);
    if (seen.has(type)) errs.push(duplicate(`${path}.type`, type));
    seen.add(type);
    if (type === "Pod") {
      if (asMap(item.default) && Object.keys(asMap(item.default) ?? {}).length) errs.push(forbidden(`${path}.default`, "may not be specified when `type` is 'Pod'"));
      if (asMap(item.defaultRequest) && Object.keys(asMap(item.defaultRequest) ?? {}).length) errs.push(forbidden(`${path}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
    }
    const resources = new Set(["min", "max", "default", "defaultRequest", "maxLimitRequestRatio"].flatMap((k) => Object.keys(asMap(item[k]) ?? {})));
    for (const r of resources) errs.push(...validateLimitOrder(item, r, path));
  });
  return errs;
}

const QUOTA_SCOPES = ["Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity"];

/** Upstream's ValidateResourceQuotaSpec: non-negative amounts, known and consistent scopes. */
export function validateResourceQuota(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(asMap(spec.hard) ?? {})) {
    const path = `spec.hard[${k}]`;
    for (const m of qualifiedName(k)) errs.push(invalid(path, { value: k, detail: m }));
    quantityOf(v, { path, resource: k }, errs);
  }
  const scopes = asArray(spec.scopes).map(String);
  if (scopes.some((s) => !QUOTA_SCOPES.includes(s))) errs.push(invalid("spec.scopes", { value: scopes, detail: "unsupported scope" }));
  const both = (a: string, b: string) => scopes.includes(a) && scopes.includes(b);
  if (both("Terminating", "NotTerminating") || both("BestEffort", "NotBestEffort")) errs.push(invalid("spec.scopes", { value: scopes, detail: "conflicting scopes" }));
  return errs;
}
