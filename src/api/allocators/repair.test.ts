/**
 * Allocation kept in the datastore on one API server: nothing is handed out before repair
 * has built the ranges, a restarted server's allocators refuse what storage holds, deletes
 * free, and repair re-marks lost values and frees leaked ones only after several passes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../../apiserver/testenv.ts";
import type { Client } from "../../client/client.ts";
import { inProcessClient } from "../../client/mod.ts";
import type { ServiceAllocation } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { builtinKinds, builtinSchemas } from "../registry.ts";
import { withServiceAllocation } from "../services.ts";
import { AllocationRepair, startServiceAllocationRepair } from "./repair.ts";
import { ServiceAllocators } from "./services.ts";

const settings = { serviceCIDR: "10.43.0.0/24", clusterCIDR: "10.42.0.0/16", serviceNodePortRange: [30000, 30100] as [number, number], clusterDNS: "10.43.0.10", clusterDomain: "cluster.local" };
const SERVICES = { group: "", version: "v1", resource: "services", namespaced: true };

/** A test server whose Service kind allocates through `holder.current` (swapped to simulate a restart). */
async function serverWithSwappableAllocators(): Promise<{ ts: TestServer; holder: { current?: ServiceAllocators } }> {
  const holder: { current?: ServiceAllocators } = {};
  const via: ServiceAllocation = {
    allocate: (svc, old) => holder.current!.allocate(svc, old),
    release: (svc, keep) => holder.current!.release(svc, keep),
  };
  const ts = await startTestServer({ kinds: withServiceAllocation(builtinKinds(), via), schemas: builtinSchemas(), cluster: settings });
  return { ts, holder };
}

/** A test server allocating from ranges in its datastore, after the first repair pass built them. */
async function serverWithStoredAllocation(): Promise<{ ts: TestServer; alloc: ServiceAllocators; client: Client }> {
  const { ts, holder } = await serverWithSwappableAllocators();
  const client = inProcessClient(ts.api.handler, { username: "system:apiserver", groups: ["system:masters"] });
  const alloc = new ServiceAllocators(settings, { store: ts.backend });
  holder.current = alloc;
  (await startServiceAllocationRepair(client, { settings, allocators: alloc }))();
  return { ts, alloc, client };
}

function nodePortService(name: string, extra: Record<string, unknown> = {}): unknown {
  return { apiVersion: "v1", kind: "Service", metadata: { name }, spec: { type: "NodePort", ports: [{ port: 80 }], ...extra } };
}

test("stored allocation: nothing before repair, held values survive a restart, deletes free, repair heals", async () => {
  const { ts, holder } = await serverWithSwappableAllocators();
  try {
    const client = inProcessClient(ts.api.handler, { username: "system:apiserver", groups: ["system:masters"] });
    const list = async () => (await client.list(SERVICES, undefined)).items;
    holder.current = new ServiceAllocators(settings, { store: ts.backend });
    const early = await ts.request("POST", "/api/v1/namespaces/default/services", { body: nodePortService("early") });
    assert.notEqual(early.status, 201, "no allocation before repair has created the ranges");
    assert.match(early.body.toString(), /cannot allocate resources of type serviceipallocations at this time/);
    const stop = await startServiceAllocationRepair(client, { settings, allocators: holder.current, intervalMs: 60_000 });
    stop();
    const made = await Promise.all(Array.from({ length: 20 }, (_, i) => ts.request("POST", "/api/v1/namespaces/default/services", { body: nodePortService(`s${i}`) })));
    for (const r of made) assert.equal(r.status, 201, r.body.toString());
    const ips = made.map((r) => r.json().spec.clusterIP as string);
    const ports = made.map((r) => r.json().spec.ports[0].nodePort as number);
    assert.equal(new Set(ips).size, 20);
    assert.equal(new Set(ports).size, 20);

    // "restart": fresh allocators with nothing in memory still refuse what storage holds
    holder.current = new ServiceAllocators(settings, { store: ts.backend });
    const clash = await ts.request("POST", "/api/v1/namespaces/default/services", { body: nodePortService("clash", { clusterIP: ips[0] }) });
    assert.equal(clash.status, 422);
    assert.match(clash.json().message, /provided IP is already allocated/);
    const portClash = await ts.request("POST", "/api/v1/namespaces/default/services", { body: nodePortService("clash", { ports: [{ port: 80, nodePort: ports[0] }] }) });
    assert.equal(portClash.status, 422);
    assert.match(portClash.json().message, /provided port is already allocated/);
    assert.equal((await holder.current.ranges[0].offsets.read())?.bits.count, 20, "refused creates leave no IP behind");
    assert.equal((await holder.current.ports.read())?.bits.count, 20, "refused creates leave no port behind");

    const del = await ts.request("DELETE", "/api/v1/namespaces/default/services/s0");
    assert.equal(del.status, 200);
    assert.equal(await holder.current.ipAllocated(ips[0]), false, "delete frees the IP");
    assert.equal(await holder.current.portAllocated(ports[0]), false, "delete frees the node port");

    const repair = new AllocationRepair(holder.current);
    // a lost mark (s1's IP cleared behind the allocator's back) comes back on the next pass
    await holder.current.ranges[0].offsets.release(Number(ips[1].split(".")[3]) - 1);
    assert.equal(await holder.current.ipAllocated(ips[1]), false);
    const healed = await repair.runOnce(list);
    assert.deepEqual(healed.remarked, { "/registry/ranges/serviceips": 1 });
    assert.equal(await holder.current.ipAllocated(ips[1]), true);

    // a leak (taken, no Service holds it) is freed on the third pass, not before; offset 5 sits in the
    // static band, which random picks leave alone while the rest has room, so no created Service holds it
    assert.equal(await holder.current.ports.take(5), true);
    for (let pass = 1; pass <= 2; pass++) {
      const r = await repair.runOnce(list);
      assert.deepEqual(r.freed, {}, `pass ${pass} frees nothing yet`);
      assert.equal(await holder.current.portAllocated(30005), true);
    }
    const third = await repair.runOnce(list);
    assert.deepEqual(third.freed, { "/registry/ranges/servicenodeports": 1 });
    assert.equal(await holder.current.portAllocated(30005), false);
    for (const p of ports.slice(1)) assert.equal(await holder.current.portAllocated(p), true, `held port ${p} kept`);
  } finally {
    await ts.close();
  }
});

test("one server over SQLite: 200 concurrent creates get 200 distinct cluster IPs from the stored range", async () => {
  const { ts, alloc, client } = await serverWithStoredAllocation();
  try {
    const made = await Promise.all(
      Array.from({ length: 200 }, (_, i) => client.create(SERVICES, "default", { apiVersion: "v1", kind: "Service", metadata: { name: `c${i}` }, spec: { ports: [{ port: 80 }] } })),
    );
    const ips = made.map((s) => String((s.spec as Record<string, unknown>).clusterIP));
    assert.equal(new Set(ips).size, 200);
    assert.equal((await alloc.ranges[0].offsets.read())?.bits.count, 200);
  } finally {
    await ts.close();
  }
});

test("updates through the server claim and free node ports in the stored range", async () => {
  const { ts, alloc, client } = await serverWithStoredAllocation();
  try {
    const path = "/api/v1/namespaces/default/services/u";
    const made = await ts.request("POST", "/api/v1/namespaces/default/services", { body: nodePortService("u", { type: "ClusterIP" }) });
    assert.equal(made.status, 201, made.body.toString());
    const toNodePort = await ts.request("PATCH", path, { body: { spec: { type: "NodePort" } }, headers: { "content-type": "application/merge-patch+json" } });
    assert.equal(toNodePort.status, 200, toNodePort.body.toString());
    const port = toNodePort.json().spec.ports[0].nodePort as number;
    assert.equal(await alloc.portAllocated(port), true, "the new node port is stored");
    const back = await ts.request("PATCH", path, { body: { spec: { type: "ClusterIP", ports: [{ port: 80, nodePort: null }] } }, headers: { "content-type": "application/merge-patch+json" } });
    assert.equal(back.status, 200, back.body.toString());
    assert.equal(await alloc.portAllocated(port), false, "dropping the node port frees it");
    assert.equal(await alloc.ipAllocated(made.json().spec.clusterIP), true, "the cluster IP stays");
  } finally {
    await ts.close();
  }
});

test("repair names Services holding one value twice or a value outside the ranges, as upstream's repair does", async () => {
  const alloc = new ServiceAllocators(settings);
  const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: "default" }, spec });
  const report = await new AllocationRepair(alloc).runOnce(async () => [
    svc("a", { clusterIPs: ["10.43.0.5"], ports: [{ port: 80, nodePort: 30005 }] }),
    svc("b", { clusterIPs: ["10.43.0.5"], ports: [{ port: 80, nodePort: 30005 }] }),
    svc("c", { clusterIPs: ["10.99.0.1"], ports: [{ port: 80, nodePort: 31000 }] }),
  ]);
  assert.deepEqual(report.problems, [
    "the cluster IP 10.43.0.5 for service default/b was assigned to multiple services; please recreate",
    "the node port 30005 for service default/b was assigned to multiple services; please recreate",
    "the cluster IP 10.99.0.1 for service default/c is not within the service CIDR 10.43.0.0/24; please recreate",
    "the node port 31000 for service default/c is not within the port range 30000-30100; please recreate",
  ]);
  assert.equal(await alloc.ipAllocated("10.43.0.5"), true, "the first holder keeps it marked");
  assert.equal(await alloc.portAllocated(30005), true);
});
