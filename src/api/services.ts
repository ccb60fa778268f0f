/** Services: defaults, validation, allocation and the kubectl printer, as upstream. */
import { isIP } from "node:net";
import type { FieldError, KindDef, PrinterColumn, ReleaseContext, ServiceAllocation, StrategyContext } from "./kind.ts";
import type { KubeObject } from "./types.ts";
import { type JsonMap, asMap, asMaps, asNumber, asString, ensureMap, setDefaults } from "./access.ts";
import { serviceAllocatorsFor } from "./allocators/services.ts";
import { AGE, NAME, age, col, formatLabels } from "./printing.ts";
import { dns1035Label, duplicate, forbidden, invalid, notSupported, required } from "./validation.ts";

const TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

/** Upstream's SetDefaults_Service. */
function defaultService(obj: KubeObject): void {
  const spec = ensureMap(obj, "spec");
  setDefaults(spec, { type: "ClusterIP" });
  setDefaults(spec, { sessionAffinity: "None" });
  if (spec.sessionAffinity === "None") delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === "ClientIP") {
    const cfg = ensureMap(spec, "sessionAffinityConfig.clientIP");
    setDefaults(cfg, { timeoutSeconds: 10800 });
  }
  for (const p of asMaps(spec.ports)) {
    setDefaults(p, { protocol: "TCP" });
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === "") p.targetPort = p.port;
  }
  const externalIPs = Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0;
  const external = spec.type === "NodePort" || spec.type === "LoadBalancer" || (spec.type === "ClusterIP" && externalIPs);
  if (external) setDefaults(spec, { externalTrafficPolicy: "Cluster" });
  if (spec.type !== "ExternalName") setDefaults(spec, { internalTrafficPolicy: "Cluster" });
  if (spec.type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  if (!asMap(obj.status)) obj.status = { loadBalancer: {} };
}

function allocationOf(ctx: StrategyContext) {
  return ctx.serviceAllocation ?? serviceAllocatorsFor(ctx.cluster);
}

function clusterFamilies(ctx: StrategyContext): string[] {
  return ctx.cluster.serviceCIDR.split(",").filter((s) => s.trim()).map((s) => (s.includes(":") ? "IPv6" : "IPv4"));
}

/** Sets ipFamilies/ipFamilyPolicy as upstream's REST layer does before allocation. */
function defaultFamilies(spec: JsonMap, ctx: StrategyContext): void {
  if (spec.type === "ExternalName") return;
  const families = clusterFamilies(ctx);
  const headless = spec.clusterIP === "None";
  setDefaults(spec, { ipFamilyPolicy: headless && families.length > 1 && !asMap(spec.selector) ? "RequireDualStack" : "SingleStack" });
  const want = Array.isArray(spec.ipFamilies) && spec.ipFamilies.length ? spec.ipFamilies.map(String) : [];
  if (!want.length) {
    const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(String) : spec.clusterIP ? [asString(spec.clusterIP)] : [];
    if (ips.length && ips[0] !== "None") want.push(...ips.map((ip) => (ip.includes(":") ? "IPv6" : "IPv4")));
    else want.push(families[0]);
    if (spec.ipFamilyPolicy !== "SingleStack" && families.length > 1 && want.length < 2) {
      want.push(families.find((f) => f !== want[0]) ?? families[0]);
    }
  }
  spec.ipFamilies = want;
  if (headless) spec.clusterIPs = ["None"];
}

/** Strategy before create: families, cluster IPs and node ports. */
async function prepareServiceCreate(obj: KubeObject, ctx: StrategyContext): Promise<void> {
  const spec = ensureMap(obj, "spec");
  obj.status = { loadBalancer: {} };
  defaultFamilies(spec, ctx);
  await allocationOf(ctx).allocate(obj);
}

/** Strategy before update: keep allocated values the client omitted, claim new ones. */
async function prepareServiceUpdate(obj: KubeObject, old: KubeObject, ctx: StrategyContext): Promise<void> {
  if (ctx.subresource === "status") return;
  const spec = ensureMap(obj, "spec");
  const oldSpec = asMap(old.spec) ?? {};
  obj.status = old.status;
  if (spec.type !== "ExternalName" && oldSpec.type !== "ExternalName") {
    if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if (!Array.isArray(spec.clusterIPs) && Array.isArray(oldSpec.clusterIPs)) spec.clusterIPs = oldSpec.clusterIPs;
    // upstream's normalizeClusterIPs: a change to the singular field alone changes the primary IP (which validation refuses)
    const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(String) : [];
    if (spec.clusterIP && spec.clusterIP !== oldSpec.clusterIP && ips[0] === oldSpec.clusterIP) spec.clusterIPs = [spec.clusterIP, ...ips.slice(1)];
    if (!spec.ipFamilies && oldSpec.ipFamilies) spec.ipFamilies = oldSpec.ipFamilies;
    if (!spec.ipFamilyPolicy && oldSpec.ipFamilyPolicy) spec.ipFamilyPolicy = oldSpec.ipFamilyPolicy;
  }
  if (spec.type === oldSpec.type || spec.type === "LoadBalancer") {
    // a client that omits nodePort keeps the one it had on the same port
    const oldPorts = asMaps(oldSpec.ports);
    for (const p of asMaps(spec.ports)) {
      if (p.nodePort) continue;
      const prev = oldPorts.find((q) => q.port === p.port && (q.protocol ?? "TCP") === (p.protocol ?? "TCP"));
      if (prev?.nodePort && spec.type !== "ClusterIP") p.nodePort = prev.nodePort;
    }
  }
  if (spec.type === "ClusterIP" || spec.type === "ExternalName") for (const p of asMaps(spec.ports)) delete p.nodePort;
  if (spec.type === "ExternalName") {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  }
  defaultFamilies(spec, ctx);
  await allocationOf(ctx).allocate(obj, old);
}

/**
 * The kinds with core/v1 Service's allocation hooks bound to alloc: one API server's
 * allocators (over its datastore) instead of the process-wide in-memory default.
 */
export function withServiceAllocation(kinds: KindDef[], alloc: ServiceAllocation): KindDef[] {
  return kinds.map((k) => {
    if (k.kind !== "Service" || k.group !== "") return k;
    const bind = <C extends StrategyContext>(ctx: C): C => ({ ...ctx, serviceAllocation: alloc });
    return {
      ...k,
      prepareForCreate: (obj, ctx) => k.prepareForCreate?.(obj, bind(ctx)),
      prepareForUpdate: (obj, old, ctx) => k.prepareForUpdate?.(obj, old, bind(ctx)),
      release: (obj, ctx) => k.release?.(obj, bind(ctx)),
    };
  });
}

/** Frees a Service's IPs and ports (see KindDef.release). */
async function releaseService(obj: KubeObject, ctx: ReleaseContext): Promise<void> {
  await allocationOf(ctx).release(obj, ctx.keep);
}

const PORT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Upstream's ValidateService essentials and ValidateServiceUpdate's immutable clusterIP. */
function validateService(obj: KubeObject, old: KubeObject | undefined, ctx: StrategyContext): FieldError[] {
  if (ctx.subresource === "status") return [];
  const errs: FieldError[] = [];
  const spec = asMap(obj.spec) ?? {};
  const type = asString(spec.type) || "ClusterIP";
  if (!TYPES.includes(type)) errs.push(notSupported("spec.type", { value: spec.type, supported: TYPES }));
  const ports = asMaps(spec.ports);
  const headless = spec.clusterIP === "None";
  if (ports.length === 0 && type !== "ExternalName" && !headless) errs.push(required("spec.ports"));
  const seenNames = new Set<string>();
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    const name = asString(p.name);
    if (ports.length > 1 && !name) errs.push(required(`${path}.name`));
    if (name) {
      if (!PORT_NAME.test(name) || name.length > 15) errs.push(invalid(`${path}.name`, { value: name, detail: dns1035Label(name)[0] ?? "must contain only lower-case letters, digits and '-', and be no more than 15 characters" }));
      if (seenNames.has(name)) errs.push(duplicate(`${path}.name`, name));
      seenNames.add(name);
    }
    const port = asNumber(p.port);
    if (port === undefined) errs.push(required(`${path}.port`));
    else if (port < 1 || port > 65535) errs.push(invalid(`${path}.port`, { value: port, detail: "must be between 1 and 65535, inclusive" }));
    const proto = asString(p.protocol) || "TCP";
    if (!["SCTP", "TCP", "UDP"].includes(proto)) errs.push(notSupported(`${path}.protocol`, { value: p.protocol, supported: ["SCTP", "TCP", "UDP"] }));
    const key = `${port}/${proto}`;
    if (seenPorts.has(key)) errs.push(duplicate(path, { port, protocol: proto }));
    seenPorts.add(key);
    const tp = p.targetPort;
    if (typeof tp === "number" && (tp < 1 || tp > 65535)) errs.push(invalid(`${path}.targetPort`, { value: tp, detail: "must be between 1 and 65535, inclusive" }));
    if (p.nodePort && type === "ClusterIP") errs.push(forbidden(`${path}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
  });
  if (type === "ExternalName") {
    const en = asString(spec.externalName);
    if (!en) errs.push(required("spec.externalName"));
  }
  const ci = asString(spec.clusterIP);
  if (ci && ci !== "None" && isIP(ci) === 0) {
    errs.push(invalid("spec.clusterIPs[0]", { value: ci, detail: "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)" }));
  }
  if (spec.sessionAffinity !== undefined && !["ClientIP", "None"].includes(asString(spec.sessionAffinity))) {
    errs.push(notSupported("spec.sessionAffinity", { value: spec.sessionAffinity, supported: ["ClientIP", "None"] }));
  }
  if (old) {
    const oldSpec = asMap(old.spec) ?? {};
    const oldIps = Array.isArray(oldSpec.clusterIPs) ? oldSpec.clusterIPs.map(String) : [];
    const newIps = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(String) : ci ? [ci] : [];
    if (oldSpec.type !== "ExternalName" && type !== "ExternalName" && oldIps.length && newIps.length && oldIps[0] !== newIps[0]) {
      errs.push(invalid("spec.clusterIPs[0]", { value: newIps, detail: "may not change once set" }));
    }
  }
  return errs;
}

/** Ingress points of a load balancer status: IPs else hostnames, unique and sorted (upstream's sets.String). */
export function loadBalancerAddresses(status: JsonMap): string[] {
  const found = asMaps(asMap(status.loadBalancer)?.ingress).map((i) => asString(i.ip) || asString(i.hostname)).filter((s) => s);
  return [...new Set(found)].sort();
}

function portString(spec: JsonMap): string {
  const parts = asMaps(spec.ports).map((p) => {
    const proto = asString(p.protocol) || "TCP";
    return p.nodePort ? `${p.port}:${p.nodePort}/${proto}` : `${p.port}/${proto}`;
  });
  return parts.length ? parts.join(",") : "<none>";
}

function externalIp(spec: JsonMap, status: JsonMap): string {
  const ext = Array.isArray(spec.externalIPs) ? spec.externalIPs.map(String) : [];
  switch (spec.type) {
    case "ClusterIP":
    case "NodePort":
      return ext.length ? ext.join(",") : "<none>";
    case "LoadBalancer": {
      const lb = loadBalancerAddresses(status);
      if (ext.length) return [...lb, ...ext].join(",");
      return lb.length ? lb.join(",") : "<pending>";
    }
    case "ExternalName":
      return asString(spec.externalName);
  }
  return "<unknown>";
}

/** Service columns (kubectl get svc [-o wide]). */
const serviceColumns: PrinterColumn[] = [
  NAME,
  col("Type", { type: "string", description: "type determines how the Service is exposed." }),
  col("Cluster-IP", { type: "string", description: "clusterIP is the IP address of the service." }),
  col("External-IP", { type: "string", description: "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service." }),
  col("Port(s)", { type: "string", description: "The list of ports that are exposed by this service." }),
  AGE,
  col("Selector", { type: "string", description: "Route service traffic to pods with label keys and values matching this selector.", priority: 1 }),
];

/** One row of `kubectl get svc -o wide`. */
function serviceRow(obj: KubeObject): unknown[] {
  const spec = asMap(obj.spec) ?? {};
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(String) : [];
  return [obj.metadata.name ?? "", asString(spec.type), ips[0] ?? "<none>", externalIp(spec, asMap(obj.status) ?? {}), portString(spec), age(obj), formatLabels(spec.selector)];
}

/** The Service kind's hooks: defaults, validation, allocation, release and printing. */
export const serviceHooks: Pick<KindDef, "defaults" | "validate" | "prepareForCreate" | "prepareForUpdate" | "release" | "columns" | "row"> = {
  defaults: defaultService,
  validate: validateService,
  prepareForCreate: prepareServiceCreate,
  prepareForUpdate: prepareServiceUpdate,
  release: releaseService,
  columns: serviceColumns,
  row: serviceRow,
};
