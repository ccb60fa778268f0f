/**
 * e2e: the controller manager and scheduler inside `k3s server
 * --disable-agent` (issue 6's "Shows"), with no container runtime: the test
 * registers Nodes and plays their kubelet (pod status through the status
 * subresource, final deletion of terminating pods), and drives the workloads
 * with the real kubectl 1.32.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { eventually, startServer, type RunningServer } from "./harness.ts";
import { pool, registerNode, restClient, type Rest } from "./fixtures/rest.ts";

interface OwnerRef {
  kind: string;
  name: string;
  uid: string;
}
interface Meta {
  name: string;
  namespace?: string;
  uid: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  ownerReferences?: OwnerRef[];
}
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface Pod {
  metadata: Meta;
  spec: { nodeName?: string; containers: { name: string; image: string }[] };
  status?: { phase?: string; conditions?: Condition[] };
}
interface ReplicaSet {
  metadata: Meta;
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
  status?: { replicas?: number; readyReplicas?: number };
}
interface Deployment {
  metadata: Meta & { generation: number };
  spec: { replicas: number };
  status?: { observedGeneration?: number; replicas?: number; availableReplicas?: number; updatedReplicas?: number; readyReplicas?: number; conditions?: Condition[] };
}
interface List<T> {
  items: T[];
}
interface Event {
  reason: string;
  message: string;
  type: string;
  involvedObject: { kind: string; name: string };
  source?: { component?: string };
}

/** `eventually` for checks that answer a value or nothing yet. */
async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  return (await eventually(check, timeoutMs, what)) as T;
}

const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

/**
 * Plays the kubelet of the fake nodes: marks bound pods Running and Ready
 * (when `autoReady`) and removes pods the API server marked for deletion, as
 * a kubelet confirms a graceful deletion once the containers are gone.
 */
class FakeKubelet {
  autoReady = true;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  constructor(private rest: Rest, private nodes: Set<string>) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), 300);
  }
  stop(): void {
    clearInterval(this.timer);
  }
  addNode(name: string): void {
    this.nodes.add(name);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const res = await this.rest("GET", "/api/v1/pods");
      if (res.status !== 200) return;
      const pods = (res.body as List<Pod>).items.filter((p) => p.spec.nodeName && this.nodes.has(p.spec.nodeName));
      await pool(pods, 8, async (p) => {
        const path = `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`;
        if (p.metadata.deletionTimestamp) {
          await this.rest("DELETE", path, { apiVersion: "v1", kind: "DeleteOptions", gracePeriodSeconds: 0, preconditions: { uid: p.metadata.uid } });
        } else if (p.metadata.labels?.["e2e-outcome"] === "succeed") {
          // a run-to-completion pod: its containers exit 0 right away
          if (p.status?.phase !== "Succeeded") await this.rest("PATCH", `${path}/status`, { status: succeededStatus(p) }, "application/strategic-merge-patch+json");
        } else if (this.autoReady && !isReady(p)) {
          await this.rest("PATCH", `${path}/status`, { status: runningStatus(p) }, "application/strategic-merge-patch+json");
        }
      });
    } catch {
      // the next tick retries
    } finally {
      this.busy = false;
    }
  }
}

/** The status a kubelet posts once every container of the pod runs and passes its probes. */
function runningStatus(p: Pod): Record<string, unknown> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const cond = (type: string) => ({ type, status: "True", lastProbeTime: null, lastTransitionTime: now });
  const n = Math.floor(Math.random() * 250) + 2;
  return {
    phase: "Running",
    hostIP: "10.0.0.1",
    podIP: `10.42.0.${n}`,
    podIPs: [{ ip: `10.42.0.${n}` }],
    startTime: now,
    conditions: [cond("Initialized"), cond("Ready"), cond("ContainersReady"), cond("PodScheduled")],
    containerStatuses: p.spec.containers.map((c) => ({
      name: c.name,
      image: c.image,
      imageID: `${c.image}@sha256:${"0".repeat(64)}`,
      containerID: `containerd://${p.metadata.uid.replace(/-/g, "")}${c.name}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
    })),
  };
}

/** The status a kubelet posts once every container of the pod exited 0. */
function succeededStatus(p: Pod): Record<string, unknown> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const cond = (type: string, status: string) => ({ type, status, lastProbeTime: null, lastTransitionTime: now, ...(status === "False" ? { reason: "PodCompleted" } : {}) });
  return {
    phase: "Succeeded",
    hostIP: "10.0.0.1",
    startTime: now,
    conditions: [cond("Initialized", "True"), cond("Ready", "False"), cond("ContainersReady", "False"), cond("PodScheduled", "True")],
    containerStatuses: p.spec.containers.map((c) => ({
      name: c.name,
      image: c.image,
      imageID: `${c.image}@sha256:${"0".repeat(64)}`,
      containerID: `containerd://${p.metadata.uid.replace(/-/g, "")}${c.name}`,
      ready: false,
      started: false,
      restartCount: 0,
      state: { terminated: { exitCode: 0, reason: "Completed", startedAt: now, finishedAt: now } },
    })),
  };
}

describe("controllers and scheduler (--disable-agent, fake nodes)", () => {
  let server: RunningServer;
  let rest: Rest;
  let kubelet: FakeKubelet;
  const renewals: (() => Promise<void>)[] = [];
  let renewTimer: NodeJS.Timeout | undefined;
  const nodes = ["node-1", "node-2", "node-3"];
  const ns = "ctl";

  before(async () => {
    server = await startServer({ args: ["--disable-agent"] });
    rest = restClient(server.kubeconfig);
    for (const [i, n] of nodes.entries()) renewals.push(await registerNode(rest, n, { cpu: "4", memory: "8Gi", pods: "110", address: `10.0.0.${i + 1}` }));
    renewTimer = setInterval(() => void Promise.all(renewals.map((r) => r())).catch(() => undefined), 10_000);
    kubelet = new FakeKubelet(rest, new Set(nodes));
    kubelet.start();
    ok(k(["create", "namespace", ns]));
  });
  after(async () => {
    kubelet?.stop();
    clearInterval(renewTimer);
    // E2E_SERVER_LOG=path keeps what the server printed, for diagnosing a failure
    if (process.env.E2E_SERVER_LOG) (await import("node:fs")).writeFileSync(process.env.E2E_SERVER_LOG, server?.output() ?? "");
    await server?.stop();
  });

  function k(args: string[], input?: string) {
    return server.kubectl(args.includes("-n") || args.includes("-A") ? args : ["-n", ns, ...args], input);
  }
  function ok(r: { status: number; stdout: string; stderr: string }): string {
    assert.equal(r.status, 0, `kubectl failed: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }
  /** What a reader of a failure needs: the workloads, pods and nodes as kubectl shows them. */
  function state(): string {
    return k(["get", "deployments,replicasets,pods,nodes", "-o", "wide"]).stdout + k(["get", "events", "--sort-by=.lastTimestamp"]).stdout.split("\n").slice(-15).join("\n");
  }
  /**
   * kubectl without blocking this process: the fake kubelet and the lease
   * renewals must keep running while kubectl waits (rollout status, a
   * foreground delete), which the harness's spawnSync would stop.
   */
  function kAsync(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn("kubectl", ["--kubeconfig", server.kubeconfig, "-n", ns, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (code) => resolve({ status: code ?? -1, stdout, stderr }));
    });
  }
  async function rollout(name: string, timeout = "60s"): Promise<void> {
    const r = await kAsync(["rollout", "status", `deployment/${name}`, `--timeout=${timeout}`]);
    assert.equal(r.status, 0, `rollout of ${name}: ${r.stderr}\n${state()}`);
  }
  async function list<T>(path: string): Promise<T[]> {
    const r = await rest("GET", path);
    assert.equal(r.status, 200, r.text);
    return (r.body as List<T>).items;
  }
  const podsOf = (app: string, namespace = ns) => list<Pod>(`/api/v1/namespaces/${namespace}/pods?labelSelector=app%3D${app}`);
  const replicaSetsOf = (app: string) => list<ReplicaSet>(`/apis/apps/v1/namespaces/${ns}/replicasets?labelSelector=app%3D${app}`);
  async function deployment(name: string): Promise<Deployment> {
    const r = await rest("GET", `/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
    assert.equal(r.status, 200, r.text);
    return r.body as Deployment;
  }
  const live = (pods: Pod[]) => pods.filter((p) => !p.metadata.deletionTimestamp);
  const manifest = (name: string, image: string, replicas: number) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: web
        image: ${image}
        resources: {requests: {cpu: 100m, memory: 64Mi}}
`;
  async function available(name: string, replicas: number): Promise<void> {
    await eventually(async () => {
      const d = await deployment(name);
      const avail = d.status?.conditions?.find((c) => c.type === "Available");
      return d.status?.observedGeneration === d.metadata.generation && d.status?.availableReplicas === replicas && d.status?.updatedReplicas === replicas && (replicas === 0 || avail?.status === "True");
    }, 60_000, `deployment ${name} available with ${replicas}`);
  }

  describe("a Deployment", () => {
    it("gets 3 pods bound to the nodes, then becomes Available once they are Ready", async () => {
      kubelet.autoReady = false;
      ok(k(["apply", "-f", "-"], manifest("web", "nginx:1.27", 3)));
      const bound = await until(async () => {
        const pods = live(await podsOf("web"));
        return pods.length === 3 && pods.every((p) => p.spec.nodeName) ? pods : undefined;
      }, 30_000, "3 pods bound");
      for (const p of bound) assert.ok(nodes.includes(p.spec.nodeName ?? ""), `${p.metadata.name} on a registered node`);
      // least-allocated scoring spreads 3 equal pods over 3 equal nodes
      assert.equal(new Set(bound.map((p) => p.spec.nodeName)).size, 3, "spread over the 3 nodes");
      for (const p of bound) assert.equal(p.status?.conditions?.find((c) => c.type === "PodScheduled")?.status, "True");
      let d = await deployment("web");
      assert.notEqual(d.status?.conditions?.find((c) => c.type === "Available")?.status, "True", "not Available before the pods are Ready");
      const events = JSON.parse(ok(k(["get", "events", "-o", "json"]))) as List<Event>;
      assert.ok(events.items.some((e) => e.reason === "Scheduled" && e.involvedObject.name === bound[0].metadata.name && /Successfully assigned ctl\/\S+ to node-\d/.test(e.message)), "a Scheduled event");
      assert.ok(events.items.some((e) => e.reason === "ScalingReplicaSet" && /Scaled up replica set web-\w+ to 3/.test(e.message)), "a ScalingReplicaSet event");
      assert.ok(events.items.some((e) => e.reason === "SuccessfulCreate" && e.involvedObject.kind === "ReplicaSet"), "a SuccessfulCreate event");
      kubelet.autoReady = true;
      await available("web", 3);
      await rollout("web");
      d = await deployment("web");
      assert.equal(d.status?.readyReplicas, 3);
      assert.match(ok(k(["get", "deployment", "web"])), /web\s+3\/3\s+3\s+3\s/);
    });

    it("rolls out a new image keeping every replica available (maxUnavailable 0 of 3, maxSurge 1)", async () => {
      const oldRs = (await replicaSetsOf("web")).find((r) => r.spec.replicas === 3);
      assert.ok(oldRs);
      let minAvailable = Infinity;
      let maxLive = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const pods = live(await podsOf("web"));
          minAvailable = Math.min(minAvailable, pods.filter(isReady).length);
          maxLive = Math.max(maxLive, pods.length);
          await new Promise((r) => setTimeout(r, 150));
        }
      })();
      ok(k(["set", "image", "deployment/web", "web=nginx:1.28"]));
      await rollout("web", "90s");
      sampling = false;
      await sampler;
      const sets = await replicaSetsOf("web");
      assert.equal(sets.length, 2);
      const next = sets.find((r) => r.metadata.uid !== oldRs.metadata.uid);
      assert.ok(next);
      assert.equal(next.spec.replicas, 3);
      assert.equal(next.spec.template.spec.containers[0].image, "nginx:1.28");
      assert.equal(sets.find((r) => r.metadata.uid === oldRs.metadata.uid)?.spec.replicas, 0, "old ReplicaSet scaled down");
      await eventually(async () => {
        const pods = live(await podsOf("web"));
        return pods.length === 3 && pods.every((p) => p.spec.containers[0].image === "nginx:1.28");
      }, 30_000, "3 new pods only");
      assert.ok(minAvailable >= 3, `never fewer than 3 ready pods (saw ${minAvailable})`);
      assert.ok(maxLive <= 4, `never more than 4 pods (saw ${maxLive})`);
      assert.match(ok(k(["rollout", "history", "deployment/web"])), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    });

    it("goes back with kubectl rollout undo", async () => {
      const before = await replicaSetsOf("web");
      ok(k(["rollout", "undo", "deployment/web"]));
      await rollout("web", "90s");
      await available("web", 3);
      const sets = await replicaSetsOf("web");
      assert.equal(sets.length, 2, "the first ReplicaSet is reused, none created");
      assert.deepEqual(sets.map((r) => r.metadata.uid).sort(), before.map((r) => r.metadata.uid).sort());
      const current = sets.find((r) => r.spec.replicas === 3);
      assert.equal(current?.spec.template.spec.containers[0].image, "nginx:1.27");
      assert.equal(current?.metadata.annotations?.["deployment.kubernetes.io/revision"], "3");
      await eventually(async () => {
        const pods = live(await podsOf("web"));
        return pods.length === 3 && pods.every((p) => p.spec.containers[0].image === "nginx:1.27");
      }, 30_000, "3 pods of the first template");
      assert.match(ok(k(["rollout", "history", "deployment/web"])), /2\s+<none>\n3\s+<none>/);
    });

    it("scales to 0 and back", async () => {
      ok(k(["scale", "deployment/web", "--replicas=0"]));
      await eventually(async () => (await podsOf("web")).length === 0, 30_000, "no pods");
      await available("web", 0);
      ok(k(["scale", "deployment/web", "--replicas=3"]));
      await available("web", 3);
      assert.equal(live(await podsOf("web")).length, 3);
    });

    it("deletes its ReplicaSets and pods with it (background)", async () => {
      ok(await kAsync(["delete", "deployment", "web", "--timeout=30s"]));
      await eventually(async () => (await replicaSetsOf("web")).length === 0 && (await podsOf("web")).length === 0, 30_000, "ReplicaSets and pods of web gone");
    });

    it("deletes its ReplicaSets and pods before itself (foreground)", async () => {
      ok(k(["apply", "-f", "-"], manifest("fg", "nginx:1.27", 2)));
      await available("fg", 2);
      // kubectl waits for the deployment itself to go, which foreground deletion allows only after its dependents
      ok(await kAsync(["delete", "deployment", "fg", "--cascade=foreground", "--timeout=60s"]));
      assert.equal((await replicaSetsOf("fg")).length, 0);
      assert.equal(live(await podsOf("fg")).length, 0);
      assert.notEqual(k(["get", "deployment", "fg"]).status, 0);
    });

    it("orphans its ReplicaSets and pods with --cascade=orphan", async () => {
      ok(k(["apply", "-f", "-"], manifest("orphan", "nginx:1.27", 2)));
      await available("orphan", 2);
      ok(await kAsync(["delete", "deployment", "orphan", "--cascade=orphan", "--timeout=30s"]));
      await eventually(() => k(["get", "deployment", "orphan"]).status !== 0, 20_000, "deployment orphan gone");
      // give the garbage collector time to (wrongly) act
      await new Promise((r) => setTimeout(r, 3000));
      const sets = await replicaSetsOf("orphan");
      assert.equal(sets.length, 1);
      assert.equal((sets[0].metadata.ownerReferences ?? []).length, 0, "the ReplicaSet's owner reference is removed");
      assert.equal(sets[0].spec.replicas, 2);
      assert.equal(live(await podsOf("orphan")).length, 2);
      ok(k(["delete", "replicaset", sets[0].metadata.name]));
      await eventually(async () => (await podsOf("orphan")).length === 0, 30_000, "orphaned pods removed with their ReplicaSet");
    });
  });

  it("deletes a namespace with 100 objects completely", async () => {
    const doomed = "doomed";
    ok(k(["create", "namespace", doomed]));
    const base = `/api/v1/namespaces/${doomed}`;
    const objects: [string, Record<string, unknown>][] = [];
    for (let i = 0; i < 50; i++) objects.push([`${base}/configmaps`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${i}` }, data: { i: String(i) } }]);
    for (let i = 0; i < 25; i++) objects.push([`${base}/secrets`, { apiVersion: "v1", kind: "Secret", metadata: { name: `s-${i}` }, stringData: { i: String(i) } }]);
    for (let i = 0; i < 15; i++) objects.push([`${base}/services`, { apiVersion: "v1", kind: "Service", metadata: { name: `svc-${i}` }, spec: { selector: { app: "x" }, ports: [{ port: 80 }] } }]);
    for (let i = 0; i < 8; i++) objects.push([`${base}/serviceaccounts`, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: `sa-${i}` } }]);
    objects.push([`/apis/apps/v1/namespaces/${doomed}/deployments`, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "app" }, spec: { replicas: 2, selector: { matchLabels: { app: "app" } }, template: { metadata: { labels: { app: "app" } }, spec: { containers: [{ name: "c", image: "busybox" }] } } } }]);
    objects.push([`${base}/configmaps`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "held", finalizers: ["example.com/wait"] } }]);
    const made = await pool(objects, 16, ([path, body]) => rest("POST", path, body));
    assert.deepEqual([...new Set(made.map((r) => r.status))], [201]);
    await eventually(async () => live(await podsOf("app", doomed)).length === 2, 30_000, "the deployment's pods");
    ok(k(["delete", "namespace", doomed, "--wait=false"]));
    // Terminating while a finalizer holds one object, with upstream's conditions
    const terminating = await until(async () => {
      const r = await rest("GET", `/api/v1/namespaces/${doomed}`);
      const n = r.body as { status?: { phase?: string; conditions?: Condition[] } };
      return n.status?.phase === "Terminating" && n.status.conditions?.some((c) => c.type === "NamespaceFinalizersRemaining" && c.status === "True") ? n : undefined;
    }, 60_000, "namespace Terminating with NamespaceFinalizersRemaining");
    assert.ok(terminating.status?.conditions?.some((c) => c.type === "NamespaceContentRemaining"));
    const left = await list<{ metadata: Meta }>(`${base}/configmaps`);
    assert.deepEqual(left.map((c) => c.metadata.name), ["held"], "everything else is gone already");
    assert.equal(k(["-n", doomed, "create", "configmap", "late"]).status === 0, false, "no creates in a terminating namespace");
    ok(k(["-n", doomed, "patch", "configmap", "held", "--type", "json", "-p", '[{"op":"remove","path":"/metadata/finalizers"}]']));
    await eventually(async () => (await rest("GET", `/api/v1/namespaces/${doomed}`)).status === 404, 60_000, "namespace gone");
    for (const path of [`${base}/configmaps`, `${base}/secrets`, `${base}/services`, `${base}/serviceaccounts`, `${base}/pods`, `/apis/apps/v1/namespaces/${doomed}/replicasets`, `/apis/apps/v1/namespaces/${doomed}/deployments`, `/apis/discovery.k8s.io/v1/namespaces/${doomed}/endpointslices`, `${base}/endpoints`]) {
      assert.deepEqual((await list<{ metadata: Meta }>(path)).map((o) => o.metadata.name), [], `${path} empty`);
    }
  });

  it("keeps a pod that fits nowhere Pending with FailedScheduling, and schedules it once a big node appears", async () => {
    ok(k(["run", "huge", "--image=busybox", "--restart=Never", "--overrides", JSON.stringify({ spec: { containers: [{ name: "huge", image: "busybox", resources: { requests: { cpu: "64" } } }] } })]));
    const event = await until(async () => {
      const events = JSON.parse(ok(k(["get", "events", "--field-selector", "involvedObject.name=huge", "-o", "json"]))) as List<Event>;
      return events.items.find((e) => e.reason === "FailedScheduling");
    }, 30_000, "a FailedScheduling event");
    assert.equal(event.type, "Warning");
    assert.match(event.message, /0\/3 nodes are available: 3 Insufficient cpu\./);
    const pending = JSON.parse(ok(k(["get", "pod", "huge", "-o", "json"]))) as Pod;
    assert.equal(pending.status?.phase, "Pending");
    assert.equal(pending.spec.nodeName, undefined);
    const cond = pending.status?.conditions?.find((c) => c.type === "PodScheduled");
    assert.equal(cond?.status, "False");
    assert.equal(cond?.reason, "Unschedulable");
    assert.match(cond?.message ?? "", /Insufficient cpu/);
    assert.match(ok(k(["describe", "pod", "huge"])), /Warning\s+FailedScheduling\s+.*Insufficient cpu/);
    renewals.push(await registerNode(rest, "node-big", { cpu: "96", memory: "256Gi", address: "10.0.0.9" }));
    kubelet.addNode("node-big");
    const placed = await until(async () => {
      const p = JSON.parse(ok(k(["get", "pod", "huge", "-o", "json"]))) as Pod;
      return p.spec.nodeName;
    }, 60_000, "huge scheduled");
    assert.equal(placed, "node-big");
  });

  describe("other workloads", () => {
    it("runs a DaemonSet pod on every untainted node", async () => {
      renewals.push(await registerNode(rest, "node-tainted", { address: "10.0.0.8" }));
      kubelet.addNode("node-tainted");
      ok(k(["taint", "node", "node-tainted", "dedicated=infra:NoSchedule"]));
      ok(k(["create", "-f", "-"], JSON.stringify({
        apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent" },
        spec: { selector: { matchLabels: { app: "agent" } }, template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "c", image: "busybox" }] } } },
      })));
      const untainted = [...nodes, "node-big"].sort();
      await eventually(async () => {
        const pods = live(await podsOf("agent"));
        return JSON.stringify(pods.map((p) => p.spec.nodeName).sort()) === JSON.stringify(untainted) && pods.every(isReady);
      }, 30_000, `one agent pod on each of ${untainted.join(", ")}`);
      await eventually(async () => /agent\s+4\s+4\s+4\s+4\s+4\s/.test(ok(k(["get", "daemonset", "agent"]))), 30_000, "DaemonSet status 4/4");
    });

    it("creates a StatefulSet's pods in order with their claims", async () => {
      for (let i = 0; i < 3; i++) {
        ok(k(["create", "-f", "-"], JSON.stringify({
          apiVersion: "v1", kind: "PersistentVolume", metadata: { name: `pv-${i}` },
          spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: `/tmp/e2e-pv-${i}` }, persistentVolumeReclaimPolicy: "Retain" },
        })));
      }
      ok(k(["create", "-f", "-"], `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: sts}}
  template:
    metadata: {labels: {app: sts}}
    spec: {containers: [{name: c, image: busybox, volumeMounts: [{name: data, mountPath: /data}]}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], storageClassName: "", resources: {requests: {storage: 1Gi}}}
`));
      const pods = await until(async () => {
        const ps = live(await podsOf("sts"));
        return ps.length === 3 && ps.every(isReady) ? ps : undefined;
      }, 60_000, "web-0..2 ready");
      assert.deepEqual(pods.map((p) => p.metadata.name).sort(), ["web-0", "web-1", "web-2"]);
      // OrderedReady: each pod is created only once the one before it is Ready
      const created = JSON.parse(ok(k(["get", "events", "--field-selector", "involvedObject.kind=StatefulSet,involvedObject.name=web", "-o", "json"]))) as List<Event>;
      const order = created.items.filter((e) => e.reason === "SuccessfulCreate" && /create Pod/.test(e.message)).map((e) => /Pod (web-\d)/.exec(e.message)?.[1]);
      assert.deepEqual(order, ["web-0", "web-1", "web-2"]);
      const claims = JSON.parse(ok(k(["get", "pvc", "-o", "json"]))) as List<{ metadata: Meta; status: { phase: string } }>;
      assert.deepEqual(claims.items.map((c) => `${c.metadata.name}:${c.status.phase}`).sort(), ["data-web-0:Bound", "data-web-1:Bound", "data-web-2:Bound"]);
    });

    it("completes a Job of 3 completions, at most 2 at a time", async () => {
      let maxActive = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const pods = live(await podsOf("batch"));
          maxActive = Math.max(maxActive, pods.filter((p) => p.status?.phase !== "Succeeded").length);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      ok(k(["create", "-f", "-"], JSON.stringify({
        apiVersion: "batch/v1", kind: "Job", metadata: { name: "batch" },
        spec: { completions: 3, parallelism: 2, template: { metadata: { labels: { app: "batch", "e2e-outcome": "succeed" } }, spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } },
      })));
      const done = await kAsync(["wait", "--for=condition=Complete", "job/batch", "--timeout=60s"]);
      sampling = false;
      await sampler;
      assert.equal(done.status, 0, `${done.stderr}\n${state()}`);
      const pods = await podsOf("batch");
      assert.equal(pods.filter((p) => p.status?.phase === "Succeeded").length, 3);
      assert.ok(maxActive <= 2, `parallelism 2 (saw ${maxActive} running)`);
      assert.match(ok(k(["get", "job", "batch"])), /batch\s+Complete\s+3\/3\s/);
    });

    it("evicts pods through pods/eviction honouring a PodDisruptionBudget (kubectl drain)", async () => {
      ok(k(["apply", "-f", "-"], manifest("guarded", "nginx:1.27", 2)));
      await available("guarded", 2);
      ok(k(["create", "pdb", "guarded", "--selector=app=guarded", "--min-available=2"]));
      await eventually(() => /guarded\s+2\s+N\/A\s+0\s/.test(k(["get", "pdb", "guarded"]).stdout), 30_000, "PDB status: 0 disruptions allowed");
      const [victim] = live(await podsOf("guarded"));
      const evict = (name: string) => rest("POST", `/api/v1/namespaces/${ns}/pods/${name}/eviction`, { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace: ns } });
      const refused = await evict(victim.metadata.name);
      assert.equal(refused.status, 429, refused.text);
      assert.match(refused.text, /Cannot evict pod as it would violate the pod's disruption budget/);
      ok(k(["patch", "pdb", "guarded", "--type", "merge", "-p", '{"spec":{"minAvailable":1}}']));
      await eventually(() => /guarded\s+1\s+N\/A\s+1\s/.test(k(["get", "pdb", "guarded"]).stdout), 30_000, "PDB status: 1 disruption allowed");
      const allowed = await evict(victim.metadata.name);
      assert.equal(allowed.status, 201, allowed.text);
      await eventually(async () => !(await podsOf("guarded")).some((p) => p.metadata.uid === victim.metadata.uid), 30_000, "the evicted pod gone");
    });
  });
});
