/** discovery.k8s.io/v1 EndpointSlice validation as upstream's pkg/apis/discovery/validation (1.32). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asArray, asMaps, asNumber, asString } from "../access.ts";
import { dns1123Label, dns1123Subdomain, duplicate, inclusiveRange, invalid, ipAddress, notSupported, required } from "../validation.ts";
import { fullyQualified, requiredEnum, tooMany, unchanged } from "./common.ts";

const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;

/** An address of the slice's type: an IP of that family, or a fully qualified domain name. */
function validateAddress(address: string, type: string, path: string): FieldError[] {
  if (type === "FQDN") return fullyQualified(address, path, 2);
  const family = type === "IPv4" ? 4 : 6;
  const isIP = ipAddress(address).length === 0;
  const fits = isIP && (family === 4) === !address.includes(":");
  return fits ? [] : [invalid(path, { value: address, detail: `must be a valid IPv${family} address` })];
}

function validateEndpoint(e: JsonMap, type: string, path: string): FieldError[] {
  const addresses = asArray(e.addresses).map(String);
  const errs: FieldError[] = [];
  if (addresses.length === 0) errs.push(required(`${path}.addresses`, "must contain at least 1 address"));
  else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(`${path}.addresses`, addresses.length, MAX_ADDRESSES));
  // with an unknown type the addressType error is the one that matters
  if (["FQDN", "IPv4", "IPv6"].includes(type)) addresses.forEach((a, i) => errs.push(...validateAddress(a, type, `${path}.addresses[${i}]`)));
  if (typeof e.nodeName === "string") for (const m of dns1123Subdomain(e.nodeName)) errs.push(invalid(`${path}.nodeName`, { value: e.nodeName, detail: m }));
  if (typeof e.hostname === "string") for (const m of dns1123Label(e.hostname)) errs.push(invalid(`${path}.hostname`, { value: e.hostname, detail: m }));
  return errs;
}

function validatePorts(ports: JsonMap[]): FieldError[] {
  const errs: FieldError[] = ports.length > MAX_PORTS ? [tooMany("ports", ports.length, MAX_PORTS)] : [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `ports[${i}]`;
    const name = asString(p.name);
    if (name) for (const m of dns1123Label(name)) errs.push(invalid(`${path}.name`, { value: name, detail: m }));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    names.add(name);
    if (!asString(p.protocol)) errs.push(required(`${path}.protocol`));
    else if (!["SCTP", "TCP", "UDP"].includes(asString(p.protocol))) errs.push(notSupported(`${path}.protocol`, { value: p.protocol, supported: ["SCTP", "TCP", "UDP"] }));
    const port = asNumber(p.port);
    if (port !== undefined && (port < 1 || port > 65535)) errs.push(invalid(`${path}.port`, { value: port, detail: inclusiveRange(1, 65535) }));
  });
  return errs;
}

/** Upstream's ValidateEndpointSlice / ValidateEndpointSliceUpdate. */
export function validateEndpointSlice(obj: KubeObject, old?: KubeObject): FieldError[] {
  const type = asString(obj.addressType);
  const errs = requiredEnum(obj.addressType, "addressType", ["FQDN", "IPv4", "IPv6"]);
  const endpoints = asMaps(obj.endpoints);
  if (endpoints.length > MAX_ENDPOINTS) errs.push(tooMany("endpoints", endpoints.length, MAX_ENDPOINTS));
  endpoints.forEach((e, i) => errs.push(...validateEndpoint(e, type, `endpoints[${i}]`)));
  errs.push(...validatePorts(asMaps(obj.ports)));
  if (old) errs.push(...unchanged("addressType", { value: obj.addressType, old: old.addressType }));
  return errs;
}
