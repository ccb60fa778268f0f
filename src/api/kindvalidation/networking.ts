/** networking.k8s.io/v1 validation as upstream's pkg/apis/networking/validation (1.32). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asArray, asMap, asMaps, asString } from "../access.ts";
import { parseCidr } from "../allocators/ip.ts";
import {
  dns1035Label, dns1123Label, dns1123Subdomain, forbidden, inclusiveRange, invalid, ipAddress, notSupported, pathSegmentName, portName, required, tooLong, validateLabelSelector,
} from "../validation.ts";
import { domainPrefixedPath, specOf, unchanged } from "./common.ts";

const PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"];
const WILDCARD = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Upstream's IsWildcardDNS1123Subdomain. */
function wildcardSubdomain(v: string): string[] {
  const errs = v.length > 253 ? ["must be no more than 253 characters"] : [];
  if (!WILDCARD.test(v)) {
    errs.push("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }
  return errs;
}

/** A host of a rule or a TLS entry: a DNS subdomain, or "*." and one. */
function hostErrors(host: string, path: string): FieldError[] {
  const msgs = host.includes("*") ? wildcardSubdomain(host) : dns1123Subdomain(host);
  return msgs.map((m) => invalid(path, { value: host, detail: m }));
}

function portNumber(n: unknown, path: string): FieldError[] {
  return typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 65535 ? [] : [invalid(path, { value: n, detail: inclusiveRange(1, 65535) })];
}

function validateTypedReference(ref: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof ref.apiGroup === "string") for (const m of dns1123Subdomain(ref.apiGroup)) errs.push(invalid(`${path}.apiGroup`, { value: ref.apiGroup, detail: m }));
  for (const k of ["kind", "name"]) {
    const v = asString(ref[k]);
    if (!v) errs.push(required(`${path}.${k}`));
    else for (const m of pathSegmentName(v)) errs.push(invalid(`${path}.${k}`, { value: v, detail: m }));
  }
  return errs;
}

function validateServiceBackend(svc: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = asString(svc.name);
  if (!name) errs.push(required(`${path}.service.name`));
  else for (const m of dns1035Label(name)) errs.push(invalid(`${path}.service.name`, { value: name, detail: m }));
  const port = asMap(svc.port) ?? {};
  const pname = asString(port.name);
  const pnum = typeof port.number === "number" && port.number !== 0 ? port.number : undefined;
  if (pname && pnum !== undefined) errs.push(invalid(path, { value: "", detail: "cannot set both port name & port number" }));
  else if (pname) for (const m of portName(pname)) errs.push(invalid(`${path}.service.port.name`, { value: pname, detail: m }));
  else if (pnum !== undefined) errs.push(...portNumber(pnum, `${path}.service.port.number`));
  else errs.push(required(path, "port name or number is required"));
  return errs;
}

/** Upstream's validateIngressBackend: exactly one of service or resource. */
function validateBackend(backend: JsonMap, path: string): FieldError[] {
  const svc = asMap(backend.service);
  const res = asMap(backend.resource);
  if (svc && res) return [invalid(path, { value: "", detail: "cannot set both resource and service backends" })];
  if (res) return validateTypedReference(res, `${path}.resource`);
  if (svc) return validateServiceBackend(svc, path);
  return [invalid(path, { value: "", detail: "resource or service backend is required" })];
}

function validatePathValue(p: JsonMap, path: string): FieldError[] {
  const pt = p.pathType;
  const value = asString(p.path);
  if (pt === undefined || pt === null) return [required(`${path}.pathType`, "pathType must be specified")];
  if (pt === "ImplementationSpecific") return value && !value.startsWith("/") ? [invalid(`${path}.path`, { value, detail: "must be an absolute path" })] : [];
  if (pt !== "Exact" && pt !== "Prefix") return [notSupported(`${path}.pathType`, { value: pt, supported: PATH_TYPES })];
  const errs = value.startsWith("/") ? [] : [invalid(`${path}.path`, { value, detail: "must be an absolute path" })];
  for (const seq of ["//", "/./", "/../", "%2f", "%2F"]) if (value.includes(seq)) errs.push(invalid(`${path}.path`, { value, detail: `must not contain '${seq}'` }));
  for (const suffix of ["/..", "/."]) if (value.endsWith(suffix)) errs.push(invalid(`${path}.path`, { value, detail: `cannot end with '${suffix}'` }));
  return errs;
}

function validateRules(rules: JsonMap[]): FieldError[] {
  return rules.flatMap((rule, i) => {
    const path = `spec.rules[${i}]`;
    const host = asString(rule.host);
    const errs: FieldError[] = [];
    if (host && ipAddress(host).length === 0) errs.push(invalid(`${path}.host`, { value: host, detail: "must be a DNS name, not an IP address" }));
    if (host) errs.push(...hostErrors(host, `${path}.host`));
    const http = asMap(rule.http);
    if (!http) return errs;
    const paths = asMaps(http.paths);
    if (paths.length === 0) errs.push(required(`${path}.http.paths`));
    paths.forEach((p, j) => {
      const pp = `${path}.http.paths[${j}]`;
      const pathErrs = validatePathValue(p, pp);
      errs.push(...pathErrs);
      // upstream returns before the backend only when pathType is missing
      if (!pathErrs.some((e) => e.type === "FieldValueRequired")) errs.push(...validateBackend(asMap(p.backend) ?? {}, `${pp}.backend`));
    });
    return errs;
  });
}

function validateTLS(tls: JsonMap[]): FieldError[] {
  return tls.flatMap((t, i) => {
    const path = `spec.tls[${i}]`;
    const errs = asArray(t.hosts).flatMap((h, j) => hostErrors(asString(h), `${path}.hosts[${j}]`));
    const secret = asString(t.secretName);
    if (secret) for (const m of dns1123Subdomain(secret)) errs.push(invalid(`${path}.secretName`, { value: secret, detail: m }));
    return errs;
  });
}

/** Upstream's ValidateIngressCreate / ValidateIngressUpdate (spec writes). */
export function validateIngress(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const rules = asMaps(spec.rules);
  const errs: FieldError[] = [];
  if (rules.length === 0 && !asMap(spec.defaultBackend)) errs.push(invalid("spec", { value: spec.rules ?? null, detail: "either `defaultBackend` or `rules` must be specified" }));
  const def = asMap(spec.defaultBackend);
  if (def) errs.push(...validateBackend(def, "spec.defaultBackend"));
  errs.push(...validateRules(rules));
  errs.push(...validateTLS(asMaps(spec.tls)));
  if (typeof spec.ingressClassName === "string") {
    for (const m of dns1123Subdomain(spec.ingressClassName)) errs.push(invalid("spec.ingressClassName", { value: spec.ingressClassName, detail: m }));
  }
  const annotated = obj.metadata.annotations?.["kubernetes.io/ingress.class"];
  if (!old && annotated !== undefined && typeof spec.ingressClassName === "string" && annotated !== spec.ingressClassName) {
    errs.push(invalid("annotations.kubernetes.io/ingress.class", { value: annotated, detail: "must match `ingressClassName` when both are specified" }));
  }
  return errs;
}

function validateClassParameters(params: JsonMap): FieldError[] {
  const path = "spec.parameters";
  const errs = validateTypedReference(params, path);
  const scope = params.scope;
  if (scope === undefined || scope === null) return [...errs, required(`${path}.scope`)];
  if (scope !== "Cluster" && scope !== "Namespace") return [...errs, notSupported(`${path}.scope`, { value: scope, supported: ["Cluster", "Namespace"] })];
  const ns = params.namespace;
  if (scope === "Namespace") {
    if (typeof ns !== "string") errs.push(required(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else for (const m of dns1123Label(ns)) errs.push(invalid(`${path}.namespace`, { value: ns, detail: m }));
  } else if (ns !== undefined && ns !== null) errs.push(forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  return errs;
}

/** Upstream's ValidateIngressClass / ValidateIngressClassUpdate. */
export function validateIngressClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const controller = asString(spec.controller);
  const errs: FieldError[] = [];
  if (!controller) errs.push(required("spec.controller"));
  else {
    if (controller.length > 250) errs.push(tooLong("spec.controller", 250));
    errs.push(...domainPrefixedPath(controller, "spec.controller"));
  }
  const params = asMap(spec.parameters);
  if (params) errs.push(...validateClassParameters(params));
  if (old) errs.push(...unchanged("spec.controller", { value: spec.controller, old: specOf(old).controller }));
  return errs;
}

function validatePolicyPort(port: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const proto = port.protocol;
  if (proto !== undefined && proto !== null && !["TCP", "UDP", "SCTP"].includes(asString(proto))) errs.push(notSupported(`${path}.protocol`, { value: proto, supported: ["TCP", "UDP", "SCTP"] }));
  const p = port.port;
  const end = port.endPort;
  const hasEnd = end !== undefined && end !== null;
  if (typeof p === "number") {
    errs.push(...portNumber(p, `${path}.port`));
    if (hasEnd) {
      if (typeof end === "number" && end < p) errs.push(invalid(`${path}.endPort`, { value: end, detail: "must be greater than or equal to `port`" }));
      errs.push(...portNumber(end, `${path}.endPort`));
    }
  } else if (typeof p === "string") {
    if (hasEnd) errs.push(invalid(`${path}.endPort`, { value: end, detail: "may not be specified when `port` is non-numeric" }));
    for (const m of portName(p)) errs.push(invalid(`${path}.port`, { value: p, detail: m }));
  } else if (hasEnd) errs.push(invalid(`${path}.endPort`, { value: end, detail: "may not be specified when `port` is not specified" }));
  return errs;
}

const CIDR_DETAIL = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

function cidrOf(text: string): ReturnType<typeof parseCidr> | undefined {
  try {
    return parseCidr(text);
  } catch {
    return undefined;
  }
}

/** Upstream's ValidateIPBlock: a CIDR, and each except a strict subset of it. */
function validateIPBlock(block: JsonMap, path: string): FieldError[] {
  const text = asString(block.cidr);
  if (!text) return [required(`${path}.cidr`)];
  const cidr = cidrOf(text);
  if (!cidr) return [invalid(`${path}.cidr`, { value: text, detail: CIDR_DETAIL })];
  return asArray(block.except).flatMap((raw, i): FieldError[] => {
    const ex = asString(raw);
    const exPath = `${path}.except[${i}]`;
    const inner = cidrOf(ex);
    if (!inner) return [invalid(exPath, { value: ex, detail: CIDR_DETAIL })];
    const shift = BigInt(cidr.bits - cidr.prefix);
    const inside = inner.family === cidr.family && inner.base >> shift === cidr.base >> shift && cidr.prefix < inner.prefix;
    return inside ? [] : [invalid(exPath, { value: ex, detail: "must be a strict subset of `cidr`" })];
  });
}

/** Upstream's ValidateNetworkPolicyPeer: a selector pair, or an ipBlock alone. */
function validatePeer(peer: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const k of ["podSelector", "namespaceSelector"]) {
    if (!asMap(peer[k])) continue;
    count++;
    errs.push(...validateLabelSelector(peer[k], `${path}.${k}`));
  }
  const block = asMap(peer.ipBlock);
  if (block) {
    count++;
    errs.push(...validateIPBlock(block, `${path}.ipBlock`));
  }
  if (count === 0) errs.push(required(path, "must specify a peer"));
  else if (count > 1 && block) errs.push(forbidden(path, "may not specify both ipBlock and another peer"));
  return errs;
}

function validatePolicyRules(rules: JsonMap[], path: string, peers: string): FieldError[] {
  return rules.flatMap((rule, i) => [
    ...asMaps(rule.ports).flatMap((p, j) => validatePolicyPort(p, `${path}[${i}].ports[${j}]`)),
    ...asMaps(rule[peers]).flatMap((p, j) => validatePeer(p, `${path}[${i}].${peers}[${j}]`)),
  ]);
}

/** Upstream's ValidateNetworkPolicySpec. */
export function validateNetworkPolicy(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs = validateLabelSelector(spec.podSelector, "spec.podSelector");
  errs.push(...validatePolicyRules(asMaps(spec.ingress), "spec.ingress", "from"));
  errs.push(...validatePolicyRules(asMaps(spec.egress), "spec.egress", "to"));
  const types = asArray(spec.policyTypes);
  if (types.length > 2) return [...errs, invalid("spec.policyTypes", { value: types, detail: "may not specify more than two policyTypes" })];
  types.forEach((t, i) => {
    if (t !== "Ingress" && t !== "Egress") errs.push(notSupported(`spec.policyTypes[${i}]`, { value: t, supported: ["Ingress", "Egress"] }));
  });
  return errs;
}
