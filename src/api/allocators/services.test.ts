/** Service ClusterIP/NodePort allocation on one server: uniqueness, requests, refusals, release and repair after a restart. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ClusterSettings, StrategyContext } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { builtinKinds } from "../registry.ts";
import { InvalidObjectError } from "../errors.ts";
import { AllocationRepair } from "./repair.ts";
import { ServiceAllocators } from "./services.ts";

const settings: ClusterSettings = {
  serviceCIDR: "10.43.0.0/16", clusterCIDR: "10.42.0.0/16", serviceNodePortRange: [30000, 32767], clusterDNS: "10.43.0.10", clusterDomain: "cluster.local",
};
const svcKind = builtinKinds().find((k) => k.kind === "Service" && k.group === "")!;

function ctxWith(alloc: ServiceAllocators, cluster = settings): StrategyContext {
  return { user: { username: "admin", groups: [] }, subresource: "", cluster, serviceAllocation: alloc };
}

function service(name: string, spec: Record<string, unknown> = {}): KubeObject {
  const obj: KubeObject = { apiVersion: "v1", kind: "Service", metadata: { name, namespace: "default" }, spec: { ports: [{ port: 80 }], ...spec } };
  svcKind.defaults!(obj);
  return obj;
}

async function create(alloc: ServiceAllocators, obj: KubeObject): Promise<KubeObject> {
  await svcKind.prepareForCreate!(obj, ctxWith(alloc));
  return obj;
}

function spec(o: KubeObject): Record<string, any> {
  return o.spec as Record<string, any>;
}

test("200 concurrent creates get 200 distinct cluster IPs inside the CIDR, none the network address", async () => {
  const alloc = new ServiceAllocators(settings);
  const made = await Promise.all(Array.from({ length: 200 }, (_, i) => create(alloc, service(`s${i}`))));
  const ips = made.map((o) => spec(o).clusterIP as string);
  assert.equal(new Set(ips).size, 200);
  for (const ip of ips) {
    assert.match(ip, /^10\.43\.\d+\.\d+$/);
    assert.notEqual(ip, "10.43.0.0");
    assert.notEqual(ip, "10.43.255.255");
    assert.deepEqual(spec(made[0]).clusterIPs.length, 1);
  }
});

test("200 concurrent NodePort services get 200 distinct node ports in range", async () => {
  const alloc = new ServiceAllocators(settings);
  const made = await Promise.all(Array.from({ length: 200 }, (_, i) => create(alloc, service(`n${i}`, { type: "NodePort" }))));
  const ports = made.map((o) => spec(o).ports[0].nodePort as number);
  assert.equal(new Set(ports).size, 200);
  for (const p of ports) assert.ok(p >= 30000 && p <= 32767, `port ${p} out of range`);
});

test("requested values are honoured and a second claim is refused with the field path", async () => {
  const alloc = new ServiceAllocators(settings);
  const a = await create(alloc, service("a", { clusterIP: "10.43.0.10", type: "NodePort", ports: [{ port: 53, nodePort: 30053 }] }));
  assert.equal(spec(a).clusterIP, "10.43.0.10");
  assert.deepEqual(spec(a).clusterIPs, ["10.43.0.10"]);
  assert.equal(spec(a).ports[0].nodePort, 30053);
  await assert.rejects(create(alloc, service("b", { clusterIP: "10.43.0.10" })), (err: unknown) => {
    assert.ok(err instanceof InvalidObjectError);
    assert.equal(err.errors[0].field, "spec.clusterIPs[0]");
    assert.equal(err.errors[0].message, 'Invalid value: "10.43.0.10": failed to allocate IP 10.43.0.10: provided IP is already allocated');
    return true;
  });
  await assert.rejects(create(alloc, service("c", { type: "NodePort", ports: [{ port: 80, nodePort: 30053 }] })), (err: unknown) => {
    assert.ok(err instanceof InvalidObjectError);
    assert.deepEqual(err.errors[0], { type: "FieldValueInvalid", field: "spec.ports[0].nodePort", message: "Invalid value: 30053: provided port is already allocated" });
    return true;
  });
});

test("out-of-range IPs and ports are refused as upstream words it", async () => {
  const alloc = new ServiceAllocators(settings);
  await assert.rejects(create(alloc, service("x", { clusterIP: "10.0.0.5" })), (err: unknown) => {
    assert.ok(err instanceof InvalidObjectError);
    assert.equal(err.errors[0].message, 'Invalid value: "10.0.0.5": failed to allocate IP 10.0.0.5: provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.43.0.0/16');
    return true;
  });
  await assert.rejects(create(alloc, service("y", { type: "NodePort", ports: [{ port: 80, nodePort: 20000 }] })), (err: unknown) => {
    assert.ok(err instanceof InvalidObjectError);
    assert.equal(err.errors[0].message, "Invalid value: 20000: provided port is not in the valid range. The range of valid ports is 30000-32767");
    return true;
  });
});

test("a refused create leaves nothing allocated", async () => {
  const alloc = new ServiceAllocators(settings);
  await create(alloc, service("holder", { type: "NodePort", ports: [{ port: 80, nodePort: 30100 }] }));
  await assert.rejects(create(alloc, service("bad", { clusterIP: "10.43.1.1", type: "NodePort", ports: [{ port: 80, nodePort: 30100 }] })));
  assert.equal(await alloc.ipAllocated("10.43.1.1"), false);
});

test("release on delete frees the IP and ports for reuse; headless and ExternalName take none", async () => {
  const alloc = new ServiceAllocators(settings);
  const a = await create(alloc, service("a", { clusterIP: "10.43.5.5", type: "NodePort", ports: [{ port: 80, nodePort: 31000 }] }));
  await svcKind.release!(a, ctxWith(alloc));
  assert.equal(await alloc.ipAllocated("10.43.5.5"), false);
  const b = await create(alloc, service("b", { clusterIP: "10.43.5.5", type: "NodePort", ports: [{ port: 80, nodePort: 31000 }] }));
  assert.equal(spec(b).clusterIP, "10.43.5.5");
  const h = await create(alloc, service("h", { clusterIP: "None" }));
  assert.deepEqual(spec(h).clusterIPs, ["None"]);
  const e = await create(alloc, service("e", { type: "ExternalName", externalName: "example.com", ports: [] }));
  assert.equal(spec(e).clusterIP, undefined);
});

test("restore after a restart keeps stored allocations taken", async () => {
  const first = new ServiceAllocators(settings);
  const stored = await Promise.all(Array.from({ length: 50 }, (_, i) => create(first, service(`s${i}`, { type: "NodePort" }))));
  const second = new ServiceAllocators(settings);
  await new AllocationRepair(second).runOnce(async () => stored);
  for (const s of stored) assert.equal(await second.ipAllocated(spec(s).clusterIP), true);
  const more = await Promise.all(Array.from({ length: 200 }, (_, i) => create(second, service(`m${i}`, { type: "NodePort" }))));
  const ips = new Set([...stored, ...more].map((o) => spec(o).clusterIP));
  const ports = new Set([...stored, ...more].map((o) => spec(o).ports[0].nodePort));
  assert.equal(ips.size, 250);
  assert.equal(ports.size, 250);
});

test("updates keep allocated values the client omitted and free dropped node ports on release", async () => {
  const alloc = new ServiceAllocators(settings);
  const old = await create(alloc, service("u", { type: "NodePort" }));
  const oldPort = spec(old).ports[0].nodePort;
  const next = service("u", { type: "ClusterIP" });
  await svcKind.prepareForUpdate!(next, old, ctxWith(alloc));
  assert.equal(spec(next).clusterIP, spec(old).clusterIP);
  assert.equal(spec(next).ports[0].nodePort, undefined);
  await svcKind.release!(old, { ...ctxWith(alloc), keep: next });
  assert.equal(await alloc.ipAllocated(spec(next).clusterIP), true, "the kept IP stays");
  const again = await create(alloc, service("v", { type: "NodePort", ports: [{ port: 80, nodePort: oldPort }] }));
  assert.equal(spec(again).ports[0].nodePort, oldPort);
});

test("changing clusterIP on update is refused as immutable", () => {
  const alloc = new ServiceAllocators(settings);
  const old = service("i", { clusterIP: "10.43.0.20", clusterIPs: ["10.43.0.20"] });
  const next = service("i", { clusterIP: "10.43.0.21", clusterIPs: ["10.43.0.21"] });
  const errs = svcKind.validate!(next, old, ctxWith(alloc));
  assert.deepEqual(errs.map((e) => e.field), ["spec.clusterIPs[0]"]);
  assert.match(errs[0].message, /may not change once set/);
});

test("dual-stack CIDRs allocate one IP per family when asked", async () => {
  const dual = { ...settings, serviceCIDR: "10.43.0.0/16,2001:cafe:43::/112" };
  const alloc = new ServiceAllocators(dual);
  const obj = service("d", { ipFamilyPolicy: "PreferDualStack" });
  await svcKind.prepareForCreate!(obj, ctxWith(alloc, dual));
  assert.deepEqual(spec(obj).ipFamilies, ["IPv4", "IPv6"]);
  assert.match(spec(obj).clusterIPs[0], /^10\.43\./);
  assert.match(spec(obj).clusterIPs[1], /^2001:cafe:43::/);
});

test("releasing a refused create frees nothing another Service holds", async () => {
  const alloc = new ServiceAllocators(settings);
  await create(alloc, service("a", { clusterIP: "10.43.0.10", type: "NodePort", ports: [{ port: 53, nodePort: 30053 }] }));
  const b = service("b", { clusterIP: "10.43.0.10", type: "NodePort", ports: [{ port: 53, nodePort: 30053 }] });
  await assert.rejects(create(alloc, b));
  // the REST core releases what a failed create holds: here nothing, the IP and port stay a's
  await svcKind.release!(b, ctxWith(alloc));
  assert.equal(await alloc.ipAllocated("10.43.0.10"), true);
  // a second "a" passes allocation (storage then answers AlreadyExists) and its release frees nothing either
  const again = await create(alloc, service("a", { clusterIP: "10.43.0.10", type: "NodePort", ports: [{ port: 53, nodePort: 30053 }] }));
  await svcKind.release!(again, ctxWith(alloc));
  assert.equal(await alloc.ipAllocated("10.43.0.10"), true);
  await assert.rejects(create(alloc, service("c", { type: "NodePort", ports: [{ port: 80, nodePort: 30053 }] })));
  // a create that succeeded in the strategy but failed in storage gives back what it claimed
  const d = await create(alloc, service("d", { clusterIP: "10.43.0.11" }));
  await svcKind.release!(d, ctxWith(alloc));
  assert.equal(await alloc.ipAllocated("10.43.0.11"), false);
});

test("a malformed clusterIP is refused as an invalid address, not as out of range", async () => {
  const alloc = new ServiceAllocators(settings);
  await assert.rejects(create(alloc, service("m", { clusterIP: "10.43.0.300" })), (err: unknown) => {
    assert.ok(err instanceof InvalidObjectError);
    assert.equal(err.errors[0].message, 'Invalid value: "10.43.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)');
    return true;
  });
});

test("bootstrap objects re-created after a restart keep their IP instead of a 422", async () => {
  const alloc = new ServiceAllocators(settings);
  const stored = await create(alloc, service("kubernetes", { clusterIP: "10.43.0.1", ports: [{ name: "https", port: 443, targetPort: 6443 }] }));
  const restarted = new ServiceAllocators(settings);
  await new AllocationRepair(restarted).runOnce(async () => [stored]);
  const again = await create(restarted, service("kubernetes", { clusterIP: "10.43.0.1", ports: [{ name: "https", port: 443, targetPort: 6443 }] }));
  assert.equal(spec(again).clusterIP, "10.43.0.1");
  await assert.rejects(create(restarted, service("other", { clusterIP: "10.43.0.1" })));
});
