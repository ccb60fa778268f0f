/**
 * A whole node for kubelet tests: a real API server core on SQLite (in-process
 * client), a throwaway containerd with its own bridge, and a kubelet whose
 * node already has a pod CIDR. Test files share this so each feature test
 * states only its pods and checks.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appsKinds } from "../api/kinds/apps.ts";
import { clusterKinds } from "../api/kinds/cluster.ts";
import { coreKinds } from "../api/kinds/core.ts";
import { generatedDefinitions } from "../api/schemas/index.ts";
import { createApiServer, type ApiServer } from "../apiserver/mod.ts";
import type { KubeObject } from "../api/types.ts";
import { ApiError, inProcessClient, R, type Client, type Node } from "../client/mod.ts";
import { createBackend } from "../datastore/mod.ts";
import { removePodCgroups } from "./cgroups.ts";
import { startTestRuntime, type TestRuntime } from "./cri/fixture.ts";
import { startKubelet, type Kubelet, type KubeletOptions } from "./kubelet.ts";
import type { KPod } from "./types.ts";

/** A running test node. */
export interface KubeletTestEnv {
  rt: TestRuntime;
  /** temp dir of this env (kubelet root, logs, datastore) */
  dir: string;
  client: Client;
  kubelet: Kubelet;
  nodeName: string;
  /** the cgroupfs root of the kubelet's pod cgroups */
  cgroupRoot: string;
  /** stops everything this env started and removes its files */
  cleanup(): Promise<void>;
}

/** Polls fn every 200 ms until it returns something other than undefined. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts API server core, containerd and kubelet (with extra kubelet options); resolves once the node is Ready. */
export async function startKubeletTestEnv(extra: Partial<KubeletOptions> = {}): Promise<KubeletTestEnv> {
  const rt = await startTestRuntime({ withCni: false });
  const dir = mkdtempSync(join(tmpdir(), "k3sts-kubelet-"));
  const nodeName = `k3sts-node-${process.pid}`;
  const cgroupRoot = `/k3sts-test-${process.pid}`;
  const backend = await createBackend({ dataDir: dir });
  let api: ApiServer | undefined;
  let kubelet: Kubelet | undefined;
  const cleanup = async (): Promise<void> => {
    await kubelet?.stop();
    await api?.close();
    await backend.close();
    await rt.cleanup();
    for (const qos of ["", "/burstable", "/besteffort"]) removePodCgroups(`${cgroupRoot}${qos}`);
    removePodCgroups(cgroupRoot);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    api = await createApiServer({
      backend,
      kinds: [...coreKinds(), ...appsKinds(), ...clusterKinds()],
      schemas: generatedDefinitions,
      cluster: { serviceCIDR: "10.43.0.0/16", clusterCIDR: "10.42.0.0/16", serviceNodePortRange: [30000, 32767], clusterDNS: "10.43.0.10", clusterDomain: "cluster.local" },
      version: { major: "1", minor: "32", gitVersion: "v1.32.6+k3s-ts" },
    });
    const client = inProcessClient(api.handler, { username: "system:admin", groups: ["system:masters"] });
    for (const ns of ["default", "kube-node-lease"]) {
      await client.create(R.namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }).catch((e: unknown) => {
        if (!(e instanceof ApiError && e.code === 409)) throw e;
      });
    }
    kubelet = await startKubelet({
      client,
      nodeName,
      nodeIPs: ["127.0.0.1"],
      criSocket: rt.containerd.socket,
      dataDir: dir,
      rootDir: join(dir, "kubelet"),
      podLogsDir: join(dir, "pods-logs"),
      clusterDNS: "10.43.0.10",
      clusterDomain: "cluster.local",
      cgroupRoot,
      cni: { confDir: rt.containerd.cniConfDir, bridge: rt.bridge, ipamDataDir: join(dir, "ipam") },
      statusIntervalSeconds: 1,
      resyncSeconds: 1,
      log: () => {},
      ...extra,
    });
    await client.patch(R.nodes, undefined, nodeName, "merge", { spec: { podCIDR: rt.podCIDR, podCIDRs: [rt.podCIDR] } });
    await waitFor("node Ready", async () => {
      const n = await client.get<Node>(R.nodes, undefined, nodeName);
      return n.status?.conditions?.find((c) => c.type === "Ready")?.status === "True" ? n : undefined;
    });
    return { rt, dir, client, kubelet, nodeName, cgroupRoot, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** Waits until the pod matches pred, returning it. */
export async function waitForPod(env: KubeletTestEnv, name: string, what: string, pred: (p: KPod) => boolean, timeoutMs = 60_000): Promise<KPod> {
  let last: KPod | undefined;
  try {
    return await waitFor(`pod ${name}: ${what}`, async () => {
      last = await env.client.get<KPod>(R.pods, "default", name);
      return pred(last) ? last : undefined;
    }, timeoutMs);
  } catch (err) {
    // the status the pod was left in is what tells a flaky wait from a kubelet bug
    throw new Error(`${(err as Error).message}; last status ${JSON.stringify(last?.status)}`);
  }
}

/** Waits until the kubelet has removed the pod object after a delete. */
export function waitForPodGone(env: KubeletTestEnv, name: string, timeoutMs = 60_000): Promise<true> {
  return waitFor(`pod ${name} removed`, async () => {
    try {
      await env.client.get(R.pods, "default", name);
      return undefined;
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return true;
      throw e;
    }
  }, timeoutMs);
}

/** The events recorded about one object. */
export async function eventsFor(env: KubeletTestEnv, name: string): Promise<{ reason: string; message: string; type: string }[]> {
  const list = await env.client.list<KubeObject>(R.events, "default");
  return list.items
    .filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === name)
    .map((e) => ({ reason: String(e.reason ?? ""), message: String(e.message ?? ""), type: String(e.type ?? "") }));
}
