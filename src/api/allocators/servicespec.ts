/** What a Service's spec holds of the allocation ranges: its cluster IPs and node ports. */
import type { KubeObject } from "../types.ts";
import { type JsonMap, asMap, asMaps, asNumber, asString } from "../access.ts";

/** "namespace/name" of a Service ("" while its name is still to be generated). */
export function ownerKey(svc: KubeObject): string {
  return svc.metadata.name ? `${svc.metadata.namespace ?? ""}/${svc.metadata.name}` : "";
}

/** The non-empty strings of a list value. */
export function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => asString(x)).filter((s) => s !== "") : [];
}

/** A headless Service (clusterIP None) holds no IP. */
export function isNone(spec: JsonMap): boolean {
  return spec.clusterIP === "None" || asStrings(spec.clusterIPs)[0] === "None";
}

/** The cluster IPs a spec asks for (clusterIPs, else the singular clusterIP). */
export function requestedIps(spec: JsonMap): string[] {
  const ips = asStrings(spec.clusterIPs);
  if (ips.length) return ips;
  const one = asString(spec.clusterIP);
  return one ? [one] : [];
}

/** Every node port a Service holds (ports and health check). */
export function nodePortsOf(svc: KubeObject | undefined): number[] {
  const spec = asMap(svc?.spec);
  if (!spec) return [];
  const out = asMaps(spec.ports).map((p) => asNumber(p.nodePort)).filter((n): n is number => !!n);
  const h = asNumber(spec.healthCheckNodePort);
  if (h) out.push(h);
  return [...new Set(out)];
}

/** What a Service holds as "ip/<address>" and "port/<number>" values. */
export function holdingsOf(svc: KubeObject): string[] {
  const ips = asStrings(asMap(svc.spec)?.clusterIPs).filter((ip) => ip !== "None");
  return [...ips.map((ip) => `ip/${ip}`), ...nodePortsOf(svc).map((p) => `port/${p}`)];
}
