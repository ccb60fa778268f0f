/** A restarted server's allocators learn what storage holds before handing out addresses. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { startTestServer } from "../../apiserver/testenv.ts";
import { inProcessClient } from "../../client/mod.ts";
import type { KindDef, StrategyContext } from "../kind.ts";
import { builtinKinds, builtinSchemas } from "../registry.ts";
import { startServiceAllocationRepair } from "./repair.ts";
import { ServiceAllocators } from "./services.ts";

const settings = { serviceCIDR: "10.43.0.0/24", clusterCIDR: "10.42.0.0/16", serviceNodePortRange: [30000, 30100] as [number, number], clusterDNS: "10.43.0.10", clusterDomain: "cluster.local" };

/** The Service kind bound to one allocator (a stand-in for one server process's state). */
function serviceKindWith(alloc: ServiceAllocators): KindDef {
  const k = builtinKinds().find((d) => d.kind === "Service" && d.group === "")!;
  const bind = (ctx: StrategyContext) => ({ ...ctx, serviceAllocation: alloc });
  return { ...k, prepareForCreate: (o, c) => k.prepareForCreate?.(o, bind(c)), prepareForUpdate: (o, old, c) => k.prepareForUpdate?.(o, old, bind(c)), release: (o, c) => k.release?.(o, { ...c, serviceAllocation: alloc }) };
}

test("after a restart, repair loads stored Services so no held IP or port is handed out again", async () => {
  let alloc = new ServiceAllocators(settings);
  const kinds = builtinKinds().map((k) => (k.kind === "Service" && k.group === "" ? serviceKindWith(alloc) : k));
  const ts = await startTestServer({ kinds, schemas: builtinSchemas(), cluster: settings });
  try {
    const held: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await ts.request("POST", "/api/v1/namespaces/default/services", { body: { apiVersion: "v1", kind: "Service", metadata: { name: `s${i}` }, spec: { type: "NodePort", ports: [{ port: 80 }] } } });
      assert.equal(r.status, 201, r.body.toString());
      held.push(r.json().spec.clusterIP);
    }
    // "restart": a fresh allocator knows nothing until repair has run
    alloc = new ServiceAllocators(settings);
    const fresh = alloc;
    ts.api.kinds.register(serviceKindWith(fresh));
    const client = inProcessClient(ts.api.handler, { username: "system:apiserver", groups: ["system:masters"] });
    const stop = await startServiceAllocationRepair(client, { settings, allocators: fresh, intervalMs: 60_000 });
    stop();
    for (const ip of held) assert.equal(fresh.ipAllocated(ip), true, `${ip} not restored`);
    const taken = await ts.request("POST", "/api/v1/namespaces/default/services", { body: { apiVersion: "v1", kind: "Service", metadata: { name: "clash" }, spec: { clusterIP: held[0], ports: [{ port: 80 }] } } });
    assert.equal(taken.status, 422);
    assert.match(taken.json().message, /provided IP is already allocated/);
  } finally {
    await ts.close();
  }
});
