/** The scheduler over a real API server and SQLite: taints, preemption, and leader election between two schedulers. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../api/types.ts";
import { R } from "../client/resources.ts";
import type { Node, Pod } from "../client/types.ts";
import { addNode, startTestCluster, waitFor } from "../controllers/testenv.ts";
import { startScheduler } from "./mod.ts";

const pod = (name: string, spec: Partial<Pod["spec"]> = {}, cpu = "100m"): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: { containers: [{ name: "c", image: "x", resources: { requests: { cpu } } }], ...spec },
});

test("taints keep pods off unless tolerated; a high-priority pod preempts a low one", async () => {
  const c = await startTestCluster();
  await addNode(c.client, "gpu", { cpu: "1" });
  const n = await c.client.get<Node>(R.nodes, undefined, "gpu");
  await c.client.update(R.nodes, undefined, { ...n, spec: { ...n.spec, taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }] } });
  const s = await startScheduler(c.client, { leaderElection: false });
  try {
    await c.client.create(R.pods, "default", pod("plain"));
    const cond = await waitFor("plain unschedulable", async () => (await c.client.get<Pod>(R.pods, "default", "plain")).status?.conditions?.find((x) => x.type === "PodScheduled" && x.status === "False"));
    assert.match(cond.message ?? "", /^0\/1 nodes are available: 1 node\(s\) had untolerated taint \{gpu: true\}\./);
    const tolerate = [{ key: "gpu", operator: "Exists" as const }];
    await c.client.create(R.pods, "default", pod("low", { tolerations: tolerate, priority: 0 }, "800m"));
    await waitFor("low bound", async () => (await c.client.get<Pod>(R.pods, "default", "low")).spec.nodeName === "gpu");
    await c.client.create(R.pods, "default", pod("high", { tolerations: tolerate, priority: 1000 }, "500m"));
    const victim = await waitFor("low preempted", async () => (await c.client.get<Pod>(R.pods, "default", "low")).metadata.deletionTimestamp);
    assert.ok(victim);
    const high = await waitFor("nominated", async () => (await c.client.get<Pod>(R.pods, "default", "high")).status?.nominatedNodeName);
    assert.equal(high, "gpu");
    // the kubelet finishes the victim; the preemptor lands
    await c.client.delete(R.pods, "default", "low", { gracePeriodSeconds: 0 });
    await waitFor("high bound", async () => (await c.client.get<Pod>(R.pods, "default", "high")).spec.nodeName === "gpu");
    const events = (await c.client.list(R.events, "default")).items as (KubeObject & { reason?: string; involvedObject?: { name?: string } })[];
    assert.ok(events.some((e) => e.reason === "Preempted" && e.involvedObject?.name === "low"));
  } finally {
    await s.stop();
    await c.close();
  }
});

test("two schedulers on one datastore: one binds, the other takes over when it stops", async () => {
  const c = await startTestCluster();
  await addNode(c.client, "n1");
  const timings = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 };
  const a = await startScheduler(c.client, { identity: "a", ...timings });
  const b = await startScheduler(c.client, { identity: "b", ...timings });
  try {
    type Lease = KubeObject & { spec?: { holderIdentity?: string } };
    const leader = await waitFor("a leader", async () => (await c.client.get<Lease>(R.leases, "kube-system", "kube-scheduler")).spec?.holderIdentity);
    await c.client.create(R.pods, "default", pod("p1"));
    await waitFor("p1 bound", async () => (await c.client.get<Pod>(R.pods, "default", "p1")).spec.nodeName);
    await (leader === "a" ? a : b).stop();
    await waitFor("the other leads", async () => {
      const h = (await c.client.get<Lease>(R.leases, "kube-system", "kube-scheduler")).spec?.holderIdentity;
      return h && h !== leader;
    });
    await c.client.create(R.pods, "default", pod("p2"));
    await waitFor("p2 bound by the new leader", async () => (await c.client.get<Pod>(R.pods, "default", "p2")).spec.nodeName);
    // events are written after the binding: wait for them, then make sure no pod was bound twice
    const scheduledEvents = async (): Promise<number> => ((await c.client.list(R.events, "default")).items as (KubeObject & { reason?: string })[]).filter((e) => e.reason === "Scheduled").length;
    await waitFor("2 Scheduled events", async () => (await scheduledEvents()) >= 2);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await scheduledEvents(), 2, "each pod bound once");
  } finally {
    await a.stop();
    await b.stop();
    await c.close();
  }
});
