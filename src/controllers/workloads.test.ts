/**
 * Deployments end to end over a real API server and SQLite: the controller
 * manager and the scheduler against nodes the test registers (no kubelet:
 * the test marks pods Ready itself).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../api/types.ts";
import { R } from "../client/resources.ts";
import type { Deployment, Pod, ReplicaSet } from "../client/types.ts";
import { startControllerManager } from "./mod.ts";
import { startScheduler } from "../scheduler/mod.ts";
import { addNode, listItems, markPodReady, startTestCluster, waitFor, type TestCluster } from "./testenv.ts";

function deployment(name: string, replicas: number, image: string, extra: Partial<Deployment["spec"]> = {}): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image, resources: { requests: { cpu: "100m" } } }] } },
      ...extra,
    },
  };
}

describe("deployments with the controller manager and scheduler", () => {
  let c: TestCluster;
  let stops: (() => Promise<void>)[] = [];
  before(async () => {
    c = await startTestCluster();
    for (const n of ["node1", "node2", "node3"]) await addNode(c.client, n);
    const cm = await startControllerManager(c.client, { leaderElection: false, controllers: ["replicaset", "replicationcontroller", "deployment", "garbagecollector"] });
    const sched = await startScheduler(c.client, { leaderElection: false });
    stops = [() => sched.stop(), () => cm.stop()];
  });
  after(async () => {
    for (const s of stops) await s();
    await c.close();
  });

  const podsOf = (app: string): Promise<Pod[]> => listItems<Pod>(c.client, R.pods, "default", `app=${app}`);
  const live = (pods: Pod[]): Pod[] => pods.filter((p) => !p.metadata.deletionTimestamp);

  async function readyAll(app: string): Promise<void> {
    for (const p of live(await podsOf(app))) {
      if (p.spec.nodeName && p.status?.conditions?.find((x) => x.type === "Ready")?.status !== "True") await markPodReady(c.client, p).catch(() => undefined);
    }
  }

  test("3 replicas get 3 pods bound to nodes, with Scheduled events", async () => {
    await c.client.create(R.deployments, "default", deployment("web", 3, "nginx:1.27"));
    const pods = await waitFor("3 bound pods", async () => {
      const ps = live(await podsOf("web"));
      return ps.length === 3 && ps.every((p) => p.spec.nodeName) && ps;
    });
    assert.equal(new Set(pods.map((p) => p.spec.nodeName)).size, 3, "spread over the three nodes");
    const rs = await listItems<ReplicaSet>(c.client, R.replicasets, "default", "app=web");
    assert.equal(rs.length, 1);
    assert.equal(rs[0].metadata.annotations?.["deployment.kubernetes.io/revision"], "1");
    assert.ok(rs[0].metadata.labels?.["pod-template-hash"]);
    assert.equal(rs[0].metadata.ownerReferences?.[0].kind, "Deployment");
    const events = await waitFor("Scheduled event", async () => {
      const evs = (await c.client.list(R.events, "default")).items as (KubeObject & { reason?: string; message?: string })[];
      return evs.some((e) => e.reason === "Scheduled") && evs;
    });
    const msg = events.find((e) => e.reason === "Scheduled")!.message ?? "";
    assert.match(msg, /^Successfully assigned default\/web-[a-z0-9]+-[a-z0-9]+ to node[123]$/);
    assert.ok(events.some((e) => e.reason === "ScalingReplicaSet" && /^Scaled up replica set web-\w+ to 3 from 0$/.test(e.message ?? "")));
    assert.ok(events.some((e) => e.reason === "SuccessfulCreate"));
    await readyAll("web");
    await waitFor("deployment available", async () => {
      const d = await c.client.get<Deployment>(R.deployments, "default", "web");
      const avail = d.status?.conditions?.find((x) => x.type === "Available");
      return d.status?.availableReplicas === 3 && avail?.status === "True" && d.status.observedGeneration === d.metadata.generation;
    });
  });

  test("an image change rolls out without exceeding maxUnavailable, then undo returns to revision 1's template", async () => {
    const d0 = await c.client.get<Deployment>(R.deployments, "default", "web");
    d0.spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    d0.spec.template.spec.containers[0].image = "nginx:1.28";
    await c.client.update(R.deployments, "default", d0);
    // act as kubelets: mark each new pod ready, and check availability never drops below 3
    let minAvailable = Infinity;
    await waitFor(
      "rollout to nginx:1.28",
      async () => {
        const pods = live(await podsOf("web"));
        const ready = pods.filter((p) => p.status?.conditions?.some((x) => x.type === "Ready" && x.status === "True"));
        minAvailable = Math.min(minAvailable, ready.length);
        await readyAll("web");
        const d = await c.client.get<Deployment>(R.deployments, "default", "web");
        return (
          d.status?.updatedReplicas === 3 &&
          d.status.availableReplicas === 3 &&
          d.status.replicas === 3 &&
          pods.length === 3 &&
          pods.every((p) => p.spec.containers[0].image === "nginx:1.28")
        );
      },
      30_000,
    );
    assert.ok(minAvailable >= 3, `ready pods never dropped below 3 (saw ${minAvailable})`);
    const rss = await listItems<ReplicaSet>(c.client, R.replicasets, "default", "app=web");
    assert.equal(rss.length, 2);
    const byRev = new Map(rss.map((rs) => [rs.metadata.annotations?.["deployment.kubernetes.io/revision"], rs]));
    assert.equal(byRev.get("2")?.spec.replicas, 3);
    assert.equal(byRev.get("1")?.spec.replicas, 0);
    const d1 = await c.client.get<Deployment>(R.deployments, "default", "web");
    assert.equal(d1.metadata.annotations?.["deployment.kubernetes.io/revision"], "2");
    assert.equal(d1.status?.conditions?.find((x) => x.type === "Progressing")?.reason, "NewReplicaSetAvailable");

    // kubectl rollout undo: copy revision 1's template (minus pod-template-hash) into the deployment
    const old = byRev.get("1")!;
    const template = structuredClone(old.spec.template);
    delete template.metadata!.labels!["pod-template-hash"];
    await c.client.patch(R.deployments, "default", "web", "merge", { spec: { template } });
    await waitFor(
      "undo back to nginx:1.27",
      async () => {
        await readyAll("web");
        const pods = live(await podsOf("web"));
        const rs1 = await c.client.get<ReplicaSet>(R.replicasets, "default", old.metadata.name ?? "");
        return pods.length === 3 && pods.every((p) => p.spec.containers[0].image === "nginx:1.27") && rs1.spec.replicas === 3 && rs1.metadata.annotations?.["deployment.kubernetes.io/revision"] === "3";
      },
      30_000,
    );
    const d2 = await c.client.get<Deployment>(R.deployments, "default", "web");
    assert.equal(d2.metadata.annotations?.["deployment.kubernetes.io/revision"], "3");
  });

  test("scale to 0 and back", async () => {
    await c.client.patch(R.deployments, "default", "web", "merge", { spec: { replicas: 0 } });
    await waitFor("no pods", async () => live(await podsOf("web")).length === 0);
    await c.client.patch(R.deployments, "default", "web", "merge", { spec: { replicas: 2 } });
    await waitFor("2 bound pods", async () => {
      const ps = live(await podsOf("web"));
      return ps.length === 2 && ps.every((p) => p.spec.nodeName);
    });
  });

  test("deleting the deployment (background) removes its ReplicaSets and pods", async () => {
    await c.client.delete(R.deployments, "default", "web", { propagationPolicy: "Background" });
    await waitFor("replicasets gone", async () => (await listItems(c.client, R.replicasets, "default", "app=web")).length === 0);
    await waitFor("pods gone or terminating", async () => live(await podsOf("web")).length === 0);
  });

  // what a kubelet does for a terminating pod: confirm it is gone
  async function finishTerminating(app: string): Promise<void> {
    for (const p of await podsOf(app)) {
      if (p.metadata.deletionTimestamp) await c.client.delete(R.pods, "default", p.metadata.name ?? "", { gracePeriodSeconds: 0 }).catch(() => undefined);
    }
  }

  test("foreground deletion waits for dependents; orphan keeps them", async () => {
    await c.client.create(R.deployments, "default", deployment("fg", 2, "nginx"));
    await waitFor("2 pods", async () => live(await podsOf("fg")).length === 2);
    await c.client.delete(R.deployments, "default", "fg", { propagationPolicy: "Foreground" });
    const held = await c.client.get<Deployment>(R.deployments, "default", "fg");
    assert.ok(held.metadata.finalizers?.includes("foregroundDeletion"), "held by the foregroundDeletion finalizer");
    await waitFor("pods terminating", async () => live(await podsOf("fg")).length === 0);
    assert.ok((await c.client.get(R.deployments, "default", "fg")).metadata.deletionTimestamp, "still there while pods terminate");
    await waitFor("deployment gone after its dependents", async () => {
      await finishTerminating("fg");
      try {
        await c.client.get(R.deployments, "default", "fg");
        return false;
      } catch (err) {
        return (err as { code?: number }).code === 404;
      }
    });
    assert.equal((await listItems(c.client, R.replicasets, "default", "app=fg")).length, 0);

    await c.client.create(R.deployments, "default", deployment("orph", 2, "nginx"));
    await waitFor("2 pods", async () => live(await podsOf("orph")).length === 2);
    await c.client.delete(R.deployments, "default", "orph", { propagationPolicy: "Orphan" });
    await waitFor("deployment gone", async () => c.client.get(R.deployments, "default", "orph").then(() => false, () => true));
    const rss = await waitFor("replicaset released", async () => {
      const l = await listItems<ReplicaSet>(c.client, R.replicasets, "default", "app=orph");
      return l.length === 1 && !l[0].metadata.ownerReferences?.length && l;
    });
    assert.equal(rss[0].spec.replicas, 2);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(live(await podsOf("orph")).length, 2, "pods kept");
  });

  test("Recreate scales the old ReplicaSet to zero before the new one starts", async () => {
    await c.client.create(R.deployments, "default", deployment("rec", 2, "app:1", { strategy: { type: "Recreate" } }));
    await waitFor("2 pods", async () => live(await podsOf("rec")).length === 2);
    await readyAll("rec");
    await c.client.patch(R.deployments, "default", "rec", "merge", { spec: { template: { spec: { containers: [{ name: "web", image: "app:2", resources: { requests: { cpu: "100m" } } }] } } } });
    let mixed = false;
    await waitFor(
      "2 pods of app:2",
      async () => {
        const all = await podsOf("rec");
        const images = new Set(live(all).map((p) => p.spec.containers[0].image));
        if (images.size > 1) mixed = true;
        await finishTerminating("rec");
        const ps = live(all);
        return ps.length === 2 && ps.every((p) => p.spec.containers[0].image === "app:2");
      },
      20_000,
    );
    assert.equal(mixed, false, "old and new pods never ran together");
  });

  test("a paused Deployment does not roll out; resuming does; a stuck rollout reports ProgressDeadlineExceeded", async () => {
    await c.client.create(R.deployments, "default", deployment("pz", 1, "app:1", { progressDeadlineSeconds: 2 }));
    await waitFor("1 pod", async () => live(await podsOf("pz")).length === 1);
    await readyAll("pz");
    await c.client.patch(R.deployments, "default", "pz", "merge", { spec: { paused: true } });
    await waitFor("DeploymentPaused", async () => (await c.client.get<Deployment>(R.deployments, "default", "pz")).status?.conditions?.some((x) => x.reason === "DeploymentPaused"));
    await c.client.patch(R.deployments, "default", "pz", "merge", { spec: { template: { spec: { containers: [{ name: "web", image: "app:2", resources: { requests: { cpu: "100m" } } }] } } } });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await listItems(c.client, R.replicasets, "default", "app=pz")).length, 1, "no new ReplicaSet while paused");
    await c.client.patch(R.deployments, "default", "pz", "merge", { spec: { paused: false } });
    await waitFor("new ReplicaSet", async () => (await listItems(c.client, R.replicasets, "default", "app=pz")).length === 2);
    // nobody marks the new pod ready: after 2 s the rollout is declared stuck
    const cond = await waitFor(
      "ProgressDeadlineExceeded",
      async () => (await c.client.get<Deployment>(R.deployments, "default", "pz")).status?.conditions?.find((x) => x.type === "Progressing" && x.status === "False"),
      15_000,
    );
    assert.equal(cond.reason, "ProgressDeadlineExceeded");
    assert.match(cond.message ?? "", /^ReplicaSet "pz-\w+" has timed out progressing\.$/);
  });

  test("scaling in the middle of a rollout is spread in proportion (within maxSurge), then the rollout completes", async () => {
    await c.client.create(R.deployments, "default", deployment("mid", 4, "app:1", { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await waitFor("available", async () => {
      await readyAll("mid");
      return (await c.client.get<Deployment>(R.deployments, "default", "mid")).status?.availableReplicas === 4;
    });
    await c.client.patch(R.deployments, "default", "mid", "merge", { spec: { template: { spec: { containers: [{ name: "web", image: "app:2", resources: { requests: { cpu: "100m" } } }] } } } });
    // the new pod is never marked ready: the rollout stalls at old 4 + new 1
    await waitFor("surge pod", async () => (await listItems<ReplicaSet>(c.client, R.replicasets, "default", "app=mid")).length === 2);
    await c.client.patch(R.deployments, "default", "mid", "merge", { spec: { replicas: 8 } });
    const sizes = await waitFor("proportional", async () => {
      const l = await listItems<ReplicaSet>(c.client, R.replicasets, "default", "app=mid");
      const byImage = Object.fromEntries(l.map((rs) => [rs.spec.template.spec.containers[0].image, rs.spec.replicas ?? 0]));
      return byImage["app:1"] + byImage["app:2"] === 9 && byImage;
    });
    // 4 more to spread 4:1 → 3 and 0, the rounding leftover to the larger: as upstream
    assert.deepEqual(sizes, { "app:1": 8, "app:2": 1 });
    await waitFor(
      "rollout completes at 8",
      async () => {
        await readyAll("mid");
        await finishTerminating("mid");
        const d = await c.client.get<Deployment>(R.deployments, "default", "mid");
        return d.status?.updatedReplicas === 8 && d.status.availableReplicas === 8 && d.status.replicas === 8;
      },
      30_000,
    );
  });

  test("a ReplicationController keeps its replicas, adopting a matching orphan and replacing a deleted pod", async () => {
    await c.client.create(R.pods, "default", { apiVersion: "v1", kind: "Pod", metadata: { name: "stray", namespace: "default", labels: { app: "rc" } }, spec: { containers: [{ name: "c", image: "x" }] } });
    await c.client.create(R.replicationcontrollers, "default", {
      apiVersion: "v1",
      kind: "ReplicationController",
      metadata: { name: "rc", namespace: "default" },
      spec: { replicas: 2, selector: { app: "rc" }, template: { metadata: { labels: { app: "rc" } }, spec: { containers: [{ name: "c", image: "x" }] } } },
    });
    const ps = await waitFor("2 pods, one adopted", async () => {
      const l = live(await podsOf("rc"));
      return l.length === 2 && l.every((p) => p.metadata.ownerReferences?.[0]?.kind === "ReplicationController") && l;
    });
    assert.ok(ps.some((p) => p.metadata.name === "stray"), "the orphan was adopted, not duplicated");
    await c.client.delete(R.pods, "default", "stray", { gracePeriodSeconds: 0 });
    await waitFor("replaced", async () => live(await podsOf("rc")).length === 2 && !live(await podsOf("rc")).some((p) => p.metadata.name === "stray"));
  });

  test("pods that fit nowhere get FailedScheduling, then land when a node with room appears", async () => {
    const big: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "big", namespace: "default" },
      spec: { containers: [{ name: "c", image: "x", resources: { requests: { cpu: "16" } } }] },
    };
    await c.client.create(R.pods, "default", big);
    const cond = await waitFor("PodScheduled=False", async () => {
      const p = await c.client.get<Pod>(R.pods, "default", "big");
      return p.status?.conditions?.find((x) => x.type === "PodScheduled" && x.status === "False");
    });
    assert.equal(cond.reason, "Unschedulable");
    assert.match(cond.message ?? "", /^0\/3 nodes are available: 3 Insufficient cpu\./);
    await waitFor("FailedScheduling event", async () =>
      ((await c.client.list(R.events, "default")).items as (KubeObject & { reason?: string; involvedObject?: { name?: string } })[]).some((e) => e.reason === "FailedScheduling" && e.involvedObject?.name === "big"),
    );
    await addNode(c.client, "bignode", { cpu: "32" });
    const bound = await waitFor("bound to bignode", async () => (await c.client.get<Pod>(R.pods, "default", "big")).spec.nodeName);
    assert.equal(bound, "bignode");
  });
});
