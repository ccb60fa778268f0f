/**
 * Node-pressure eviction against the real containerd and host signals.
 * First no thresholds: a pod writing 5 MiB into a 1Mi emptyDir is evicted
 * (local storage limit). Then a memory.available threshold of the whole
 * machine memory, certainly crossed: the node reports MemoryPressure True,
 * the BestEffort pod is evicted with upstream's message while the
 * system-node-critical one keeps running, and a new BestEffort pod is
 * refused by admission. Then nodefs.available<99.9%: DiskPressure, and
 * every new pod is refused.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BUSYBOX_IMAGE } from "../../agent/images/mod.ts";
import { R, type Node } from "../../client/mod.ts";
import { eventsFor, startKubeletTestEnv, waitFor, waitForPod, type KubeletTestEnv } from "../testenv.ts";
import type { KPod } from "../types.ts";
import { collectPodUsage } from "./podstats.ts";
import { parseEvictionConfig } from "./thresholds.ts";

let env: KubeletTestEnv;
// EVICTION_DEBUG=1 shows the kubelet's log
// no thresholds at first; the memory one is added once the pods run
const config = parseEvictionConfig({ "eviction-hard": "", "eviction-pressure-transition-period": "1s" });

before(async () => {
  env = await startKubeletTestEnv({ eviction: { config, intervalSeconds: 1 }, ...(process.env.EVICTION_DEBUG ? { log: (m: string) => console.error(`kubelet: ${m}`) } : {}) });
});

after(async () => {
  await env?.cleanup();
});

function pod(name: string, spec: Partial<KPod["spec"]> & { priorityClassName?: string } = {}): KPod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: { nodeName: env.nodeName, terminationGracePeriodSeconds: 30, containers: [{ name: "c", image: BUSYBOX_IMAGE, command: ["sleep", "3600"] }], ...spec },
  };
}

const running = (p: KPod): boolean => p.status?.phase === "Running";

test("an emptyDir past its 1Mi sizeLimit gets its pod evicted with upstream's message", async () => {
  await env.client.create(
    R.pods,
    "default",
    pod("fill", {
      containers: [{ name: "c", image: BUSYBOX_IMAGE, command: ["sh", "-c", "dd if=/dev/zero of=/data/big bs=1048576 count=5 && sync; sleep 3600"], volumeMounts: [{ name: "data", mountPath: "/data" }] }],
      volumes: [{ name: "data", emptyDir: { sizeLimit: "1Mi" } }],
    }),
  );
  const p = await waitForPod(env, "fill", "evicted", (x) => x.status?.phase === "Failed", 40_000);
  assert.equal(p.status?.reason, "Evicted");
  assert.equal(p.status?.message, 'Usage of EmptyDir volume "data" exceeds the limit "1Mi". ');
  assert.equal(p.status?.conditions?.some((c) => c.type === "DisruptionTarget"), false, "local storage limits are no node disruption");
  const ev = (await eventsFor(env, "fill")).find((e) => e.reason === "Evicted");
  assert.equal(ev?.type, "Warning");
});

test("a container writing past its ephemeral-storage limit gets its pod evicted (the pod's total limit is checked first, as upstream)", async () => {
  await env.client.create(
    R.pods,
    "default",
    pod("scribbler", { containers: [{ name: "c", image: BUSYBOX_IMAGE, command: ["sh", "-c", "dd if=/dev/zero of=/big bs=1048576 count=5 && sync; sleep 3600"], resources: { limits: { "ephemeral-storage": "2Mi" } } }] }),
  );
  const p = await waitForPod(env, "scribbler", "evicted", (x) => x.status?.phase === "Failed", 40_000);
  assert.equal(p.status?.reason, "Evicted");
  assert.equal(p.status?.message, "Pod ephemeral local storage usage exceeds the total limit of containers 2Mi. ");
});

test("pod usage from the runtime and the disk: working set, emptyDir bytes, log bytes, tasks of the pod cgroup", async () => {
  await env.client.create(
    R.pods,
    "default",
    pod("usage", {
      containers: [{ name: "c", image: BUSYBOX_IMAGE, command: ["sh", "-c", "dd if=/dev/zero of=/scratch/f bs=1048576 count=2 && sync && echo written && sleep 3600"], volumeMounts: [{ name: "scratch", mountPath: "/scratch" }] }],
      volumes: [{ name: "scratch", emptyDir: {} }],
    }),
  );
  const p = await waitForPod(env, "usage", "running", running);
  const sandbox = { clusterDNS: [], clusterDomain: "cluster.local", resolvConf: "/etc/resolv.conf", podLogsDir: join(env.dir, "pods-logs"), cgroupRoot: env.cgroupRoot };
  const u = await waitFor("usage measured", async () => {
    const got = (await collectPodUsage([p], { cri: env.kubelet.cri, rootDir: join(env.dir, "kubelet"), sandbox })).get(p.metadata.uid!);
    return got && got.containers[0]!.logs > 0 && (got.volumes.get("scratch") ?? 0) >= 2 * 1024 * 1024 ? got : undefined;
  });
  assert.ok(u.memory > 0, `working set ${u.memory}`);
  assert.equal(u.containers[0]!.name, "c");
  assert.ok(u.processes >= 1, `tasks ${u.processes}`);
  await env.client.delete(R.pods, "default", "usage", { gracePeriodSeconds: 0 });
});

test("memory.available below the whole machine's memory: MemoryPressure, the BestEffort pod evicted, the critical one kept, new BestEffort pods refused", async (t) => {
  // a failure here must not leave the next test under memory pressure
  t.after(() => {
    config.thresholds.length = 0;
  });
  await env.client.create(R.pods, "default", pod("besteffort"));
  await env.client.create(R.pods, "default", pod("critical", { priorityClassName: "system-node-critical" }));
  await waitForPod(env, "besteffort", "running", running);
  await waitForPod(env, "critical", "running", running);
  const totalKi = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync("/proc/meminfo", "utf8"))![1]);
  config.thresholds.push(...parseEvictionConfig({ "eviction-hard": `memory.available<${totalKi}Ki` }).thresholds);

  const cond = await waitFor("MemoryPressure True", async () => {
    const n = await env.client.get<Node>(R.nodes, undefined, env.nodeName);
    return n.status?.conditions?.find((c) => c.type === "MemoryPressure" && c.status === "True");
  });
  assert.equal(cond.reason, "KubeletHasInsufficientMemory");
  assert.equal(cond.message, "kubelet has insufficient memory available");

  const evicted = await waitForPod(env, "besteffort", "evicted", (x) => x.status?.phase === "Failed", 40_000);
  assert.equal(evicted.status?.reason, "Evicted");
  assert.match(evicted.status?.message ?? "", new RegExp(`^The node was low on resource: memory\\. Threshold quantity: ${totalKi}Ki, available: \\d+(Ki|Mi)?\\. Container c was using \\d+(Ki|Mi)?, request is 0, has larger consumption of memory\\. $`));
  const disruption = evicted.status?.conditions?.find((c) => c.type === "DisruptionTarget");
  assert.deepEqual([disruption?.status, disruption?.reason, disruption?.message], ["True", "TerminationByKubelet", evicted.status?.message]);
  await waitForPod(env, "besteffort", "container stopped", (x) => x.status?.containerStatuses?.[0]?.state.terminated !== undefined, 60_000);
  assert.ok((await eventsFor(env, "besteffort")).some((e) => e.reason === "Evicted" && e.type === "Warning"));

  await env.client.create(R.pods, "default", pod("late"));
  const refused = await waitForPod(env, "late", "refused", (x) => x.status?.phase === "Failed", 30_000);
  assert.equal(refused.status?.reason, "Evicted");
  assert.equal(refused.status?.message, "The node had condition: [MemoryPressure]. ");

  // several passes later the critical pod still runs
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal((await env.client.get<KPod>(R.pods, "default", "critical")).status?.phase, "Running");

  // pressure gone: the condition clears after the 1 s transition period
  config.thresholds.length = 0;
  await waitFor("MemoryPressure False", async () => {
    const n = await env.client.get<Node>(R.nodes, undefined, env.nodeName);
    return n.status?.conditions?.find((c) => c.type === "MemoryPressure" && c.status === "False" && c.reason === "KubeletHasSufficientMemory");
  });
});

test("nodefs.available<99.9%: DiskPressure True with upstream's reason, every new pod refused", async (t) => {
  t.after(() => {
    config.thresholds.length = 0;
  });
  await waitFor("no MemoryPressure left from before", async () => {
    const n = await env.client.get<Node>(R.nodes, undefined, env.nodeName);
    return n.status?.conditions?.some((c) => c.type === "MemoryPressure" && c.status === "False");
  });
  config.thresholds.push(...parseEvictionConfig({ "eviction-hard": "nodefs.available<99.9%" }).thresholds);
  const cond = await waitFor("DiskPressure True", async () => {
    const n = await env.client.get<Node>(R.nodes, undefined, env.nodeName);
    return n.status?.conditions?.find((c) => c.type === "DiskPressure" && c.status === "True");
  });
  assert.deepEqual([cond.reason, cond.message], ["KubeletHasDiskPressure", "kubelet has disk pressure"]);
  const burstable = pod("disk-late", { containers: [{ name: "c", image: BUSYBOX_IMAGE, command: ["sleep", "3600"], resources: { requests: { memory: "8Mi" } } }] });
  await env.client.create(R.pods, "default", burstable);
  const refused = await waitForPod(env, "disk-late", "refused", (x) => x.status?.phase === "Failed", 30_000);
  assert.deepEqual([refused.status?.reason, refused.status?.message], ["Evicted", "The node had condition: [DiskPressure]. "]);
  assert.ok((await eventsFor(env, "disk-late")).some((e) => e.reason === "Evicted" && e.message === "The node had condition: [DiskPressure]. "));
  config.thresholds.length = 0;
});
