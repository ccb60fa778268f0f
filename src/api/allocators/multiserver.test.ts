/**
 * Two API servers on one PostgreSQL 15 or MariaDB datastore (k3s HA with an
 * external database): concurrent Service creates through both never share a ClusterIP
 * or NodePort, deletes free them for either server, and a restarted server
 * keeps refusing what the other holds. The ranges are small, so two
 * independent in-memory allocators would collide almost surely.
 *
 * Not run on SQLite: its driver is single-writer (one process owns the
 * revision counter and the watch), so two servers on one file are not a
 * supported setup, as in k3s, whose HA needs an external datastore or etcd.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createApiServer, type ApiServer } from "../../apiserver/mod.ts";
import { ApiError, type Client } from "../../client/client.ts";
import { bootstrapCluster } from "../../server/bootstrap.ts";
import { inProcessClient } from "../../client/mod.ts";
import { createBackend, type KineBackend } from "../../datastore/mod.ts";
import { startMariadb, startPostgres, type TestDatabase } from "../../datastore/testing/databases.ts";
import type { ClusterSettings } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { builtinKinds, builtinSchemas } from "../registry.ts";
import { withServiceAllocation } from "../services.ts";
import { startServiceAllocationRepair, storedServiceVia } from "./repair.ts";
import { ServiceAllocators } from "./services.ts";

// 510 addresses and 400 ports: 200 random picks by two unaware servers would meet
const settings: ClusterSettings = { serviceCIDR: "10.43.0.0/23", clusterCIDR: "10.42.0.0/16", serviceNodePortRange: [30000, 30399], clusterDNS: "10.43.0.10", clusterDomain: "cluster.local" };
const VERSION = { major: "1", minor: "32", gitVersion: "v1.32.4+k3s-ts", gitCommit: "0000000", gitTreeState: "clean", buildDate: "2026-01-01T00:00:00Z", goVersion: "go1.23", compiler: "gc", platform: "linux/amd64" };
const SERVICES = { group: "", version: "v1", resource: "services", namespaced: true };
const NAMESPACES = { group: "", version: "v1", resource: "namespaces", namespaced: false };

/** One API server process: its own datastore connection, allocators and repair pass. */
interface Server {
  api: ApiServer;
  backend: KineBackend;
  alloc: ServiceAllocators;
  client: Client;
  close(): Promise<void>;
}

function openDatastore(endpoint: string): Promise<KineBackend> {
  return createBackend({ dataDir: "/nonexistent", endpoint, pollIntervalMs: 200, connectTimeoutMs: 5000 });
}

async function startServer(backend: KineBackend): Promise<Server> {
  let client: Client | undefined;
  const alloc = new ServiceAllocators(settings, { store: backend, storedService: (ns, name) => storedServiceVia(client!)(ns, name) });
  const api = await createApiServer({ backend, kinds: withServiceAllocation(builtinKinds(), alloc), schemas: builtinSchemas(), cluster: settings, version: VERSION });
  client = inProcessClient(api.handler, { username: "system:apiserver", groups: ["system:masters"] });
  await ignoreConflict(client.create(NAMESPACES, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } }));
  const stopRepair = await startServiceAllocationRepair(client, { settings, allocators: alloc, intervalMs: 60_000 });
  return {
    api,
    backend,
    alloc,
    client,
    async close() {
      stopRepair();
      await api.close();
      await backend.close();
    },
  };
}

async function ignoreConflict(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 409)) throw err;
  }
}

function nodePortService(name: string, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace: "default" }, spec: { type: "NodePort", ports: [{ port: 80 }], ...extra } };
}

/** Creates count Services through each server at once; returns what was stored. */
async function createThroughBoth(servers: Server[], prefix: string, count: number): Promise<KubeObject[]> {
  const work = servers.flatMap((s, i) => Array.from({ length: count }, (_, n) => s.client.create(SERVICES, "default", nodePortService(`${prefix}-${i}-${n}`))));
  return Promise.all(work);
}

function ipOf(svc: KubeObject): string {
  return (svc.spec as { clusterIP: string }).clusterIP;
}

function portOf(svc: KubeObject): number {
  return (svc.spec as { ports: { nodePort: number }[] }).ports[0].nodePort;
}

function assertDistinct(svcs: KubeObject[], what: string): void {
  assert.equal(new Set(svcs.map(ipOf)).size, svcs.length, `${what}: cluster IPs are distinct`);
  assert.equal(new Set(svcs.map(portOf)).size, svcs.length, `${what}: node ports are distinct`);
}

/** The whole scenario on one database server; servers[] is filled so the caller can close what started. */
async function twoServers(endpoint: string, servers: Server[]): Promise<void> {
  // connections one after the other (the MySQL driver's first open of a fresh database does not take a racing peer),
  // then both servers at once: their first repair passes race to create the ranges
  const first = await openDatastore(endpoint);
  const second = await openDatastore(endpoint).catch(async (err: unknown) => {
    await first.close();
    throw err;
  });
  servers.push(...(await Promise.all([startServer(first), startServer(second)])));
  // and both create the start-up objects at once: the `kubernetes` Service's IP is taken by whichever is first
  await Promise.all(servers.map((s) => bootstrapCluster(s.client, s.api, settings, { address: "127.0.0.1", port: 6443 })));
  const kubernetes = await servers[1].client.get(SERVICES, "default", "kubernetes");
  assert.equal(ipOf(kubernetes), "10.43.0.1");
  const made = await createThroughBoth(servers, "a", 100);
  assert.equal(made.length, 200);
  assertDistinct(made, "200 concurrent creates through two servers");

  // one requested IP asked of both servers at once: exactly one gets it
  // in the static band, which dynamic allocation leaves alone while it has room
  const free = "10.43.0.20";
  const race = await Promise.allSettled(servers.map((s, i) => s.client.create(SERVICES, "default", nodePortService(`race-${i}`, { clusterIP: free }))));
  assert.equal(race.filter((r) => r.status === "fulfilled").length, 1, `one server wins the requested IP: ${race.map((r) => (r.status === "rejected" ? String(r.reason) : "ok")).join("; ")}`);
  const lost = race.find((r): r is PromiseRejectedResult => r.status === "rejected");
  assert.ok(lost?.reason instanceof ApiError && lost.reason.code === 422 && /provided IP is already allocated/.test(lost.reason.message), String(lost?.reason));

  // deletes through either server free the values for both
  const gone = made.filter((_, i) => i % 2 === 0);
  await Promise.all(gone.map((svc, i) => servers[i % 2].client.delete(SERVICES, "default", svc.metadata.name ?? "")));
  for (const svc of gone.slice(0, 20)) {
    assert.equal(await servers[1].alloc.ipAllocated(ipOf(svc)), false, `${ipOf(svc)} freed`);
    assert.equal(await servers[0].alloc.portAllocated(portOf(svc)), false, `${portOf(svc)} freed`);
  }
  const held = made.filter((_, i) => i % 2 === 1);
  const ipRange = await servers[0].alloc.ranges[0].offsets.read();
  assert.equal(ipRange?.bits.count, held.length + 2, "stored IP range holds the kept Services, the race winner and `kubernetes`");

  // a restart of one server keeps everything: it refuses held values and hands out only free ones
  await servers[0].close();
  servers[0] = await startServer(await openDatastore(endpoint));
  await assert.rejects(servers[0].client.create(SERVICES, "default", nodePortService("clash", { clusterIP: ipOf(held[0]) })), /provided IP is already allocated/);
  await assert.rejects(servers[0].client.create(SERVICES, "default", nodePortService("clash", { ports: [{ port: 80, nodePort: portOf(held[1]) }] })), /provided port is already allocated/);
  const more = await createThroughBoth(servers, "b", 50);
  assertDistinct([...held, ...more], "kept and new Services after a restart");
  const stored = (await servers[1].client.list(SERVICES, "default")).items.filter((s) => s.metadata.name !== "kubernetes");
  assertDistinct(stored, "every stored Service");
}

for (const db of [{ name: "PostgreSQL", start: startPostgres }, { name: "MariaDB", start: startMariadb }]) {
  test(`two API servers on one ${db.name} datastore never hand out one ClusterIP or NodePort twice`, async () => {
    const server: TestDatabase = await db.start();
    const servers: Server[] = [];
    try {
      await twoServers(server.endpoint("alloc_two_servers"), servers);
    } finally {
      for (const s of servers) await s.close().catch(() => undefined);
      await server.stop();
    }
  });
}
