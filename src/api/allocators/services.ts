/**
 * ClusterIP and NodePort allocation for Services. State is rebuilt from the
 * stored Services (restore, at start and on repair) and kept in-process;
 * strategy hooks run on one thread so check-and-take is atomic.
 */
import { isIP } from "node:net";
import type { ClusterSettings, FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asMap, asMaps, asNumber, asString } from "../access.ts";
import { InvalidObjectError } from "../errors.ts";
import { invalid } from "../validation.ts";
import { type Cidr, cidrContains, ipToBig, nthIp, parseCidr } from "./ip.ts";
import { OffsetRange } from "./range.ts";

/** One address family's ClusterIP range. */
class IpRange {
  readonly cidr: Cidr;
  readonly offsets: OffsetRange;
  constructor(text: string) {
    this.cidr = parseCidr(text);
    const hostBits = this.cidr.bits - this.cidr.prefix;
    // IPv4 loses network and broadcast; IPv6 ranges are capped as upstream's bitmap is
    const size = this.cidr.family === 4 ? Math.max(0, 2 ** hostBits - 2) : Math.min(2 ** Math.min(hostBits, 20), 65536) - 1;
    this.offsets = new OffsetRange(size, { staticBand: Math.min(Math.max(16, Math.floor(size / 16)), 256) });
  }
  offsetOf(ip: string): number | undefined {
    if (!cidrContains(this.cidr, ip)) return undefined;
    const o = Number(ipToBig(ip).value - this.cidr.base) - 1;
    return o >= 0 && o < this.offsets.size ? o : undefined;
  }
  ipAt(offset: number): string {
    return nthIp(this.cidr, offset + 1);
  }
}

function familyOf(ip: string): "IPv4" | "IPv6" {
  return ip.includes(":") ? "IPv6" : "IPv4";
}

/** Allocation of Service cluster IPs and node ports for one cluster. */
export class ServiceAllocators {
  readonly ranges: IpRange[];
  readonly portBase: number;
  readonly ports: OffsetRange;
  readonly settings: ClusterSettings;
  /** what each create/update attempt claimed, by the object instance the strategy saw */
  readonly #attempts = new WeakMap<KubeObject, { ips: string[]; ports: number[] }>();

  constructor(settings: ClusterSettings) {
    this.settings = settings;
    this.ranges = settings.serviceCIDR.split(",").filter((s) => s.trim()).map((s) => new IpRange(s));
    const [lo, hi] = settings.serviceNodePortRange;
    this.portBase = lo;
    const size = hi - lo + 1;
    this.ports = new OffsetRange(size, { staticBand: Math.min(Math.max(16, Math.floor(size / 32)), 128) });
  }

  /** The cluster's IP families in order (primary first). */
  families(): ("IPv4" | "IPv6")[] {
    return this.ranges.map((r) => (r.cidr.family === 4 ? "IPv4" : "IPv6"));
  }

  #rangeFor(family: string): IpRange | undefined {
    return this.ranges.find((r) => (r.cidr.family === 4 ? "IPv4" : "IPv6") === family);
  }

  /** Claims one requested IP for owner ("mine" when owner already holds it) or explains at field why not. */
  #claimIp(ip: string, field: string, owner: string): FieldError | "mine" | undefined {
    if (isIP(ip) === 0) return invalid(field, { value: ip, detail: "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)" });
    const range = this.#rangeFor(familyOf(ip));
    const offset = range?.offsetOf(ip);
    if (!range || offset === undefined) {
      const valid = range?.cidr.text ?? this.ranges.map((r) => r.cidr.text).join(",");
      return invalid(field, { value: ip, detail: `failed to allocate IP ${ip}: provided IP (${ip}) is not in the valid range. The range of valid IPs is ${valid}` });
    }
    if (owner && range.offsets.ownerOf(offset) === owner) return "mine";
    if (!range.offsets.take(offset, owner)) return invalid(field, { value: ip, detail: `failed to allocate IP ${ip}: provided IP is already allocated` });
    return undefined;
  }

  #claimPort(port: number, field: string, owner: string): FieldError | "mine" | undefined {
    const [lo, hi] = this.settings.serviceNodePortRange;
    if (port < lo || port > hi) {
      return invalid(field, { value: port, detail: `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}` });
    }
    if (owner && this.ports.ownerOf(port - lo) === owner) return "mine";
    if (!this.ports.take(port - lo, owner)) return invalid(field, { value: port, detail: "provided port is already allocated" });
    return undefined;
  }

  #nextPort(field: string, owner: string): number {
    const o = this.ports.next(owner);
    if (o === undefined) throw new InvalidObjectError([invalid(field, { value: 0, detail: "range is full" })]);
    return o + this.portBase;
  }

  /** Fills and claims clusterIPs and nodePorts of a Service being created or updated (old set). */
  allocate(svc: KubeObject, old?: KubeObject): void {
    const spec = asMap(svc.spec);
    if (!spec) return;
    const errs: FieldError[] = [];
    const undo: (() => void)[] = [];
    const claims = { ips: [] as string[], ports: [] as number[] };
    this.#attempts.set(svc, claims);
    const oldSpec = asMap(old?.spec);
    const oldIps = new Set(asStrings(oldSpec?.clusterIPs));
    const oldPorts = new Set(nodePortsOf(old));
    // a Service re-created under its own name (start-up bootstrap, a lost delete) keeps what it held
    const owner = ownerKey(svc);
    const mine = new Set<string | number>();
    if (spec.type !== "ExternalName" && !isNone(spec)) {
      const ips = requestedIps(spec);
      const families = (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length ? spec.ipFamilies.map(String) : [this.families()[0]]);
      const result: string[] = [];
      families.forEach((fam, i) => {
        const want = ips[i];
        const field = `spec.clusterIPs[${i}]`;
        if (want) {
          if (!oldIps.has(want)) {
            const e = this.#claimIp(want, field, owner);
            if (e === "mine") mine.add(want);
            else if (e) errs.push(e);
            else undo.push(() => this.#releaseIp(want));
          }
          result.push(want);
          return;
        }
        const range = this.#rangeFor(fam);
        const o = range?.offsets.next(owner);
        if (!range || o === undefined) {
          errs.push(invalid(field, { value: "", detail: `failed to allocate a serviceIP: range is full` }));
          return;
        }
        const ip = range.ipAt(o);
        undo.push(() => this.#releaseIp(ip));
        result.push(ip);
      });
      if (!errs.length && result.length) {
        spec.clusterIP = result[0];
        spec.clusterIPs = result;
      }
    }
    const wantsPorts = spec.type === "NodePort" || (spec.type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts !== false);
    const byNumber = new Map<string, number>();
    asMaps(spec.ports).forEach((p, i) => {
      const field = `spec.ports[${i}].nodePort`;
      const np = asNumber(p.nodePort);
      if (np) {
        const key = `${np}`;
        if (byNumber.has(key) || oldPorts.has(np)) return;
        const e = this.#claimPort(np, field, owner);
        if (e === "mine") {
          byNumber.set(key, np);
          mine.add(np);
        } else if (e) errs.push(e);
        else {
          byNumber.set(key, np);
          undo.push(() => this.ports.release(np - this.portBase));
        }
      } else if (wantsPorts) {
        // ports of the same number (TCP and UDP) share one node port, as upstream
        const shared = asMaps(spec.ports).find((q) => q !== p && q.port === p.port && asNumber(q.nodePort));
        if (shared) {
          p.nodePort = shared.nodePort;
          return;
        }
        const port = this.#nextPort(field, owner);
        undo.push(() => this.ports.release(port - this.portBase));
        p.nodePort = port;
      }
    });
    if (spec.type === "LoadBalancer" && spec.externalTrafficPolicy === "Local") {
      const h = asNumber(spec.healthCheckNodePort);
      if (h && !oldPorts.has(h)) {
        const e = this.#claimPort(h, "spec.healthCheckNodePort", owner);
        if (e === "mine") mine.add(h);
        else if (e) errs.push(e);
        else undo.push(() => this.ports.release(h - this.portBase));
      } else if (!h) {
        const port = this.#nextPort("spec.healthCheckNodePort", owner);
        undo.push(() => this.ports.release(port - this.portBase));
        spec.healthCheckNodePort = port;
      }
    }
    if (errs.length) {
      for (const u of undo) u();
      throw new InvalidObjectError(errs);
    }
    claims.ips.push(...asStrings(spec.clusterIPs).filter((ip) => ip !== "None" && !oldIps.has(ip) && !mine.has(ip)));
    claims.ports.push(...nodePortsOf(svc).filter((p) => !oldPorts.has(p) && !mine.has(p)));
  }

  #releaseIp(ip: string): void {
    const range = this.#rangeFor(familyOf(ip));
    const o = range?.offsetOf(ip);
    if (range && o !== undefined) range.offsets.release(o);
  }

  /**
   * Frees what svc holds and keep (if given) does not. For an object this allocator just
   * prepared (a failed create or update) only what that attempt claimed is freed: a refused
   * request for another Service's IP must not free that IP.
   */
  release(svc: KubeObject, keep?: KubeObject): void {
    const keepIps = new Set(asStrings(asMap(keep?.spec)?.clusterIPs));
    const keepPorts = new Set(nodePortsOf(keep));
    const attempt = this.#attempts.get(svc);
    this.#attempts.delete(svc);
    const ips = attempt ? attempt.ips : asStrings(asMap(svc.spec)?.clusterIPs);
    const ports = attempt ? attempt.ports : nodePortsOf(svc);
    for (const ip of ips) if (ip !== "None" && !keepIps.has(ip)) this.#releaseIp(ip);
    for (const p of ports) if (!keepPorts.has(p)) this.ports.release(p - this.portBase);
  }

  /** Rebuilds the state from every stored Service (start-up and periodic repair). */
  restore(services: KubeObject[]): void {
    const byRange = new Map<IpRange, Map<number, string>>(this.ranges.map((r) => [r, new Map()]));
    const ports = new Map<number, string>();
    for (const svc of services) {
      const owner = ownerKey(svc);
      for (const ip of asStrings(asMap(svc.spec)?.clusterIPs ?? [asMap(svc.spec)?.clusterIP])) {
        if (!ip || ip === "None") continue;
        const range = this.#rangeFor(familyOf(ip));
        const o = range?.offsetOf(ip);
        if (range && o !== undefined) byRange.get(range)!.set(o, owner);
      }
      for (const p of nodePortsOf(svc)) ports.set(p - this.portBase, owner);
    }
    for (const [r, offsets] of byRange) r.offsets.restore(offsets);
    this.ports.restore(ports);
  }

  /** Whether an IP is currently allocated (for tests and repair reports). */
  ipAllocated(ip: string): boolean {
    const range = this.#rangeFor(familyOf(ip));
    const o = range?.offsetOf(ip);
    return range !== undefined && o !== undefined && range.offsets.has(o);
  }
}

/** "namespace/name" of a Service ("" while its name is still to be generated). */
function ownerKey(svc: KubeObject): string {
  return svc.metadata.name ? `${svc.metadata.namespace ?? ""}/${svc.metadata.name}` : "";
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => asString(x)).filter((s) => s !== "") : [];
}

function isNone(spec: JsonMap): boolean {
  return spec.clusterIP === "None" || asStrings(spec.clusterIPs)[0] === "None";
}

function requestedIps(spec: JsonMap): string[] {
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

const shared = new Map<string, ServiceAllocators>();

/** The process-wide allocators for a cluster's settings (one per service CIDR and port range). */
export function serviceAllocatorsFor(settings: ClusterSettings): ServiceAllocators {
  const key = `${settings.serviceCIDR}|${settings.serviceNodePortRange.join("-")}`;
  let a = shared.get(key);
  if (!a) {
    a = new ServiceAllocators(settings);
    shared.set(key, a);
  }
  return a;
}
