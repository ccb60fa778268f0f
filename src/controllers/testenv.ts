/**
 * Test support for the controller and scheduler tests: a real API server
 * core over a real SQLite datastore in a temp dir, reached through the
 * in-process client, plus helpers to register fake nodes and wait for state.
 * Not used at run time.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KindDef } from "../api/kind.ts";
import type { KubeObject } from "../api/types.ts";
import { coreKinds } from "../api/kinds/core.ts";
import { appsKinds } from "../api/kinds/apps.ts";
import { batchKinds } from "../api/kinds/batch.ts";
import { clusterKinds } from "../api/kinds/cluster.ts";
import { controlKinds } from "../api/kinds/control.ts";
import { generatedDefinitions } from "../api/schemas/index.ts";
import { createBackend, type KineBackend } from "../datastore/mod.ts";
import { createApiServer, type ApiServer } from "../apiserver/mod.ts";
import type { Client } from "../client/client.ts";
import { inProcessClient } from "../client/inprocess.ts";
import { R } from "../client/resources.ts";
import type { Node, Pod } from "../client/types.ts";
import { createBindingHandler } from "../scheduler/binding.ts";

export interface TestCluster {
  api: ApiServer;
  backend: KineBackend;
  client: Client;
  dir: string;
  close(): Promise<void>;
}

function allKinds(): KindDef[] {
  return [...coreKinds(), ...appsKinds(), ...batchKinds(), ...clusterKinds(), ...controlKinds()];
}

export interface TestClusterOptions {
  /** events the API server's watch cache keeps per resource (small values provoke 410 Gone) */
  watchCacheCapacity?: number;
}

/** Starts datastore + API server; the client acts as a system:masters user. */
export async function startTestCluster(opts: TestClusterOptions = {}): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), "controllers-test-"));
  const backend = await createBackend({ dataDir: dir });
  const api = await createApiServer({
    backend,
    kinds: allKinds(),
    schemas: generatedDefinitions,
    cluster: { serviceCIDR: "10.43.0.0/16", clusterCIDR: "10.42.0.0/16", serviceNodePortRange: [30000, 32767], clusterDNS: "10.43.0.10", clusterDomain: "cluster.local" },
    version: { major: "1", minor: "32", gitVersion: "v1.32.4+k3s-ts", gitCommit: "0000000", gitTreeState: "clean", buildDate: "2026-01-01T00:00:00Z", goVersion: "go1.23", compiler: "gc", platform: "linux/amd64" },
    bookmarkIntervalMs: 1000,
    watchCacheCapacity: opts.watchCacheCapacity,
  });
  // the REST core has no pods/binding yet: serve the scheduler's implementation
  api.registerSubresource("pods", "binding", createBindingHandler(backend));
  const client = inProcessClient(api.handler, { username: "system:admin", groups: ["system:masters", "system:authenticated"] });
  for (const ns of ["default", "kube-system", "kube-node-lease"]) {
    await client.create(R.namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }).catch(() => undefined);
  }
  return {
    api,
    backend,
    client,
    dir,
    async close() {
      await api.close();
      await (backend as { close?: () => Promise<void> }).close?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Registers a Ready node with the given allocatable (no kubelet behind it). */
export async function addNode(client: Client, name: string, opts: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string> } = {}): Promise<Node> {
  let node = await client.create<Node>(R.nodes, undefined, {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", ...(opts.labels ?? {}) } },
    spec: {},
  });
  const alloc = { cpu: opts.cpu ?? "4", memory: opts.memory ?? "8Gi", pods: opts.pods ?? "110" };
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const status = {
    capacity: alloc,
    allocatable: alloc,
    conditions: [{ type: "Ready" as const, status: "True" as const, reason: "KubeletReady", message: "kubelet is posting ready status", lastHeartbeatTime: now, lastTransitionTime: now }],
  };
  // controllers (IPAM) may change the node meanwhile: retry on conflict as a kubelet does
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.update<Node>(R.nodes, undefined, { ...node, status }, { subresource: "status" });
    } catch (err) {
      if ((err as { code?: number }).code !== 409 || attempt > 10) throw err;
      node = await client.get<Node>(R.nodes, undefined, name);
    }
  }
}

/** Marks a pod Running and Ready with an IP, as a kubelet would. */
export async function markPodReady(client: Client, pod: Pod, ip = "10.42.0.10"): Promise<Pod> {
  const cur = await client.get<Pod>(R.pods, pod.metadata.namespace, pod.metadata.name ?? "");
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const conditions = [
    { type: "Initialized", status: "True" as const, lastTransitionTime: now },
    { type: "Ready", status: "True" as const, lastTransitionTime: now },
    { type: "ContainersReady", status: "True" as const, lastTransitionTime: now },
    { type: "PodScheduled", status: "True" as const, lastTransitionTime: now },
  ];
  return client.update<Pod>(R.pods, cur.metadata.namespace, { ...cur, status: { ...(cur.status ?? {}), phase: "Running", podIP: ip, podIPs: [{ ip }], hostIP: "192.168.0.1", conditions, startTime: now } }, { subresource: "status" });
}

/** Polls until check returns a value (not undefined/false) or the timeout passes. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Lists a resource's objects in a namespace. */
export async function listItems<T extends KubeObject>(client: Client, ref: typeof R.pods, namespace?: string, labelSelector?: string): Promise<T[]> {
  return (await client.list<T>(ref, namespace, { labelSelector })).items;
}
