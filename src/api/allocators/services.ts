/**
 * ClusterIP and NodePort allocation for Services. Each range's truth is a
 * RangeAllocation in the datastore, changed only by compare-and-swap (see
 * range.ts), so API servers sharing one datastore never hand out the same IP
 * or port. Without a datastore a process-local store applies the same rules
 * for one server (tests, the default of the Service kind).
 */
import { isIP } from "node:net";
import type { ClusterSettings, FieldError, ServiceAllocation } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asMap, asMaps, asNumber } from "../access.ts";
import { InvalidObjectError } from "../errors.ts";
import { invalid } from "../validation.ts";
import { type Cidr, cidrContains, ipToBig, nthIp, parseCidr } from "./ip.ts";
import { StoredRange } from "./range.ts";
import { MemoryRangeStore, RANGE_KEYS, type RangeStore } from "./store.ts";
import { asStrings, holdingsOf, isNone, nodePortsOf, ownerKey, requestedIps } from "./servicespec.ts";

export { nodePortsOf } from "./servicespec.ts";

/** One address family's ClusterIP range. */
class IpRange {
  readonly cidr: Cidr;
  readonly offsets: StoredRange;
  constructor(text: string, where: { store: RangeStore; key: string; createMissing: boolean }) {
    this.cidr = parseCidr(text);
    const hostBits = this.cidr.bits - this.cidr.prefix;
    // IPv4 loses network and broadcast; IPv6 ranges are capped as upstream's bitmap is
    const size = this.cidr.family === 4 ? Math.max(0, 2 ** hostBits - 2) : Math.min(2 ** Math.min(hostBits, 20), 65536) - 1;
    const staticBand = Math.min(Math.max(16, Math.floor(size / 16)), 256);
    this.offsets = new StoredRange({ ...where, range: this.cidr.text, size, staticBand, resource: "serviceipallocations" });
  }
  get family(): "IPv4" | "IPv6" {
    return this.cidr.family === 4 ? "IPv4" : "IPv6";
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

/** What one create/update attempt claimed: given back when the attempt fails. */
interface Claims {
  ips: string[];
  ports: number[];
}

/** One allocate() call's working state. */
interface Attempt {
  svc: KubeObject;
  claims: Claims;
  errs: FieldError[];
}

export interface ServiceAllocatorsOptions {
  /** the datastore holding the ranges (default: a process-local store, for one server) */
  store?: RangeStore;
  /**
   * reads a stored Service, to tell a Service re-created under its own name (it then reaches
   * storage's AlreadyExists, not a 422) from a clash; default: who this process saw take what
   */
  storedService?(namespace: string, name: string): Promise<KubeObject | undefined>;
}

/** Allocation of Service cluster IPs and node ports for one cluster. */
export class ServiceAllocators implements ServiceAllocation {
  readonly ranges: IpRange[];
  readonly portBase: number;
  readonly ports: StoredRange;
  readonly settings: ClusterSettings;
  readonly #attempts = new WeakMap<KubeObject, Claims>();
  /** "ip/10.43.0.1", "port/30053" → "namespace/name": who this process saw take what */
  readonly #holders = new Map<string, string>();
  readonly #storedService: ServiceAllocatorsOptions["storedService"];

  constructor(settings: ClusterSettings, opts: ServiceAllocatorsOptions = {}) {
    this.settings = settings;
    const store = opts.store ?? new MemoryRangeStore();
    // a process-local store starts empty; a datastore's ranges are created by repair from the stored Services
    const createMissing = !opts.store;
    this.#storedService = opts.storedService;
    const texts = settings.serviceCIDR.split(",").filter((s) => s.trim());
    this.ranges = texts.map((s, i) => new IpRange(s, { store, key: i === 0 ? RANGE_KEYS.serviceIPs : RANGE_KEYS.secondaryServiceIPs, createMissing }));
    const [lo, hi] = settings.serviceNodePortRange;
    this.portBase = lo;
    const size = hi - lo + 1;
    const staticBand = Math.min(Math.max(16, Math.floor(size / 32)), 128);
    this.ports = new StoredRange({ store, key: RANGE_KEYS.nodePorts, range: `${lo}-${hi}`, size, staticBand, resource: "servicenodeportallocations", createMissing });
  }

  /** The cluster's IP families in order (primary first). */
  families(): ("IPv4" | "IPv6")[] {
    return this.ranges.map((r) => r.family);
  }

  /** Every stored range (IP ranges, then node ports), for repair. */
  storedRanges(): StoredRange[] {
    return [...this.ranges.map((r) => r.offsets), this.ports];
  }

  #rangeFor(family: string): IpRange | undefined {
    return this.ranges.find((r) => r.family === family);
  }

  /** Whether svc, re-created under its own name, is the one holding value ("ip/..." or "port/..."). */
  async #heldBySelf(svc: KubeObject, value: string): Promise<boolean> {
    const owner = ownerKey(svc);
    if (!owner) return false;
    if (!this.#storedService) return this.#holders.get(value) === owner;
    const stored = await this.#storedService(svc.metadata.namespace ?? "", svc.metadata.name ?? "");
    return stored !== undefined && holdingsOf(stored).includes(value);
  }

  /** Claims one requested IP ("mine" when svc already holds it) or explains at field why not. */
  async #claimIp(ip: string, field: string, svc: KubeObject): Promise<FieldError | "mine" | undefined> {
    if (isIP(ip) === 0) return invalid(field, { value: ip, detail: "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)" });
    const range = this.#rangeFor(familyOf(ip));
    const offset = range?.offsetOf(ip);
    if (!range || offset === undefined) {
      const valid = range?.cidr.text ?? this.ranges.map((r) => r.cidr.text).join(",");
      return invalid(field, { value: ip, detail: `failed to allocate IP ${ip}: provided IP (${ip}) is not in the valid range. The range of valid IPs is ${valid}` });
    }
    if (await range.offsets.take(offset)) return undefined;
    if (await this.#heldBySelf(svc, `ip/${ip}`)) return "mine";
    return invalid(field, { value: ip, detail: `failed to allocate IP ${ip}: provided IP is already allocated` });
  }

  async #claimPort(port: number, field: string, svc: KubeObject): Promise<FieldError | "mine" | undefined> {
    const [lo, hi] = this.settings.serviceNodePortRange;
    if (port < lo || port > hi) {
      return invalid(field, { value: port, detail: `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}` });
    }
    if (await this.ports.take(port - lo)) return undefined;
    if (await this.#heldBySelf(svc, `port/${port}`)) return "mine";
    return invalid(field, { value: port, detail: "provided port is already allocated" });
  }

  /** Claims a requested port into the attempt, or records why not; false when refused. */
  async #requestPort(port: number, field: string, a: Attempt): Promise<boolean> {
    const e = await this.#claimPort(port, field, a.svc);
    if (e === undefined) a.claims.ports.push(port);
    else if (e !== "mine") a.errs.push(e);
    return e === undefined || e === "mine";
  }

  async #nextPort(field: string, a: Attempt): Promise<number> {
    const o = await this.ports.next();
    if (o === undefined) throw new InvalidObjectError([invalid(field, { value: 0, detail: "range is full" })]);
    a.claims.ports.push(o + this.portBase);
    return o + this.portBase;
  }

  /** Fills and claims clusterIPs and nodePorts of a Service being created or updated (old set). */
  async allocate(svc: KubeObject, old?: KubeObject): Promise<void> {
    const spec = asMap(svc.spec);
    if (!spec) return;
    const claims: Claims = { ips: [], ports: [] };
    this.#attempts.set(svc, claims);
    const ipPart: Attempt = { svc, claims, errs: [] };
    const portPart: Attempt = { svc, claims, errs: [] };
    // the two ranges are independent: claim both at once, and give back everything if either fails
    const done = await Promise.allSettled([this.#allocateIps(spec, old, ipPart), this.#allocatePorts(spec, old, portPart)]);
    const thrown = done.find((d): d is PromiseRejectedResult => d.status === "rejected");
    const errs = [...ipPart.errs, ...portPart.errs];
    if (thrown || errs.length) {
      await this.#giveBack(claims);
      throw thrown ? thrown.reason : new InvalidObjectError(errs);
    }
    const owner = ownerKey(svc);
    if (owner) for (const v of [...claims.ips.map((ip) => `ip/${ip}`), ...claims.ports.map((p) => `port/${p}`)]) this.#holders.set(v, owner);
  }

  async #allocateIps(spec: JsonMap, old: KubeObject | undefined, a: Attempt): Promise<void> {
    if (spec.type === "ExternalName" || isNone(spec)) return;
    const oldIps = new Set(asStrings(asMap(old?.spec)?.clusterIPs));
    const ips = requestedIps(spec);
    const families = Array.isArray(spec.ipFamilies) && spec.ipFamilies.length ? spec.ipFamilies.map(String) : [this.families()[0]];
    const result: string[] = [];
    for (const [i, fam] of families.entries()) {
      const want = ips[i];
      const field = `spec.clusterIPs[${i}]`;
      if (want) {
        if (!oldIps.has(want)) {
          const e = await this.#claimIp(want, field, a.svc);
          if (e === undefined) a.claims.ips.push(want);
          else if (e !== "mine") a.errs.push(e);
        }
        result.push(want);
        continue;
      }
      const range = this.#rangeFor(fam);
      const o = range ? await range.offsets.next() : undefined;
      if (!range || o === undefined) {
        a.errs.push(invalid(field, { value: "", detail: `failed to allocate a serviceIP: range is full` }));
        continue;
      }
      const ip = range.ipAt(o);
      a.claims.ips.push(ip);
      result.push(ip);
    }
    if (!a.errs.length && result.length) {
      spec.clusterIP = result[0];
      spec.clusterIPs = result;
    }
  }

  async #allocatePorts(spec: JsonMap, old: KubeObject | undefined, a: Attempt): Promise<void> {
    const oldPorts = new Set(nodePortsOf(old));
    const wantsPorts = spec.type === "NodePort" || (spec.type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts !== false);
    const requested = new Set<number>();
    const ports = asMaps(spec.ports);
    for (const [i, p] of ports.entries()) {
      const field = `spec.ports[${i}].nodePort`;
      const np = asNumber(p.nodePort);
      if (np) {
        // one node port named by two entries (TCP and UDP) is claimed once
        if (requested.has(np) || oldPorts.has(np)) continue;
        if (await this.#requestPort(np, field, a)) requested.add(np);
      } else if (wantsPorts) {
        // ports of the same number (TCP and UDP) share one node port, as upstream
        const shared = ports.find((q) => q !== p && q.port === p.port && asNumber(q.nodePort));
        p.nodePort = shared ? shared.nodePort : await this.#nextPort(field, a);
      }
    }
    if (spec.type !== "LoadBalancer" || spec.externalTrafficPolicy !== "Local") return;
    const h = asNumber(spec.healthCheckNodePort);
    if (h && !oldPorts.has(h)) await this.#requestPort(h, "spec.healthCheckNodePort", a);
    else if (!h) spec.healthCheckNodePort = await this.#nextPort("spec.healthCheckNodePort", a);
  }

  /** Frees what a failed attempt claimed, so that its later release() frees nothing more. */
  async #giveBack(claims: Claims): Promise<void> {
    const ips = claims.ips.splice(0);
    const ports = claims.ports.splice(0);
    await this.#free(ips, ports);
  }

  async #free(ips: string[], ports: number[]): Promise<void> {
    const work: Promise<void>[] = [];
    for (const ip of ips) {
      const range = this.#rangeFor(familyOf(ip));
      const o = range?.offsetOf(ip);
      if (range && o !== undefined) work.push(range.offsets.release(o));
      this.#holders.delete(`ip/${ip}`);
    }
    for (const p of ports) {
      work.push(this.ports.release(p - this.portBase));
      this.#holders.delete(`port/${p}`);
    }
    await Promise.all(work);
  }

  /**
   * Frees what svc holds and keep (if given) does not. For an object this allocator just
   * prepared (a failed create or update) only what that attempt claimed is freed: a refused
   * request for another Service's IP must not free that IP.
   */
  async release(svc: KubeObject, keep?: KubeObject): Promise<void> {
    const keepIps = new Set(asStrings(asMap(keep?.spec)?.clusterIPs));
    const keepPorts = new Set(nodePortsOf(keep));
    const attempt = this.#attempts.get(svc);
    this.#attempts.delete(svc);
    const ips = attempt ? attempt.ips : asStrings(asMap(svc.spec)?.clusterIPs);
    const ports = attempt ? attempt.ports : nodePortsOf(svc);
    await this.#free(
      ips.filter((ip) => ip !== "None" && !keepIps.has(ip)),
      ports.filter((p) => !keepPorts.has(p)),
    );
  }

  /**
   * Offsets each stored range should hold for these Services (repair), remembering who holds
   * what; problems name values held twice or outside the ranges, in upstream's words.
   */
  learn(services: KubeObject[]): { held: Map<StoredRange, Map<number, string>>; problems: string[] } {
    const held = new Map<StoredRange, Map<number, string>>(this.storedRanges().map((r) => [r, new Map()]));
    const problems: string[] = [];
    this.#holders.clear();
    const mark = (range: StoredRange, offset: number, v: { value: string; owner: string; what: string }): void => {
      const offsets = held.get(range)!;
      const other = offsets.get(offset);
      if (other !== undefined && other !== v.owner) {
        problems.push(`the ${v.what} for service ${v.owner} was assigned to multiple services; please recreate`);
        return;
      }
      offsets.set(offset, v.owner);
      this.#holders.set(v.value, v.owner);
    };
    for (const svc of services) {
      const owner = ownerKey(svc);
      for (const ip of asStrings(asMap(svc.spec)?.clusterIPs ?? [asMap(svc.spec)?.clusterIP])) {
        if (ip === "None") continue;
        const range = this.#rangeFor(familyOf(ip));
        const o = range?.offsetOf(ip);
        if (range && o !== undefined) mark(range.offsets, o, { value: `ip/${ip}`, owner, what: `cluster IP ${ip}` });
        else problems.push(`the cluster IP ${ip} for service ${owner} is not within the service CIDR ${this.settings.serviceCIDR}; please recreate`);
      }
      for (const p of nodePortsOf(svc)) {
        const o = p - this.portBase;
        if (o >= 0 && o < this.ports.size) mark(this.ports, o, { value: `port/${p}`, owner, what: `node port ${p}` });
        else problems.push(`the node port ${p} for service ${owner} is not within the port range ${this.ports.opts.range}; please recreate`);
      }
    }
    return { held, problems };
  }

  /** Whether an IP is allocated in storage now (tests, reports). */
  async ipAllocated(ip: string): Promise<boolean> {
    const range = this.#rangeFor(familyOf(ip));
    const o = range?.offsetOf(ip);
    return range !== undefined && o !== undefined && (await range.offsets.has(o));
  }

  /** Whether a node port is allocated in storage now. */
  async portAllocated(port: number): Promise<boolean> {
    return this.ports.has(port - this.portBase);
  }
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
