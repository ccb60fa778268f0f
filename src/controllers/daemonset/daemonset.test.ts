/**
 * DaemonSet RollingUpdate with maxSurge over a real API server and SQLite,
 * with the scheduler; the test plays the kubelet (marks pods Ready, finishes
 * terminating ones).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { R } from "../../client/resources.ts";
import type { Pod } from "../../client/types.ts";
import { startControllerManager } from "../mod.ts";
import { startScheduler } from "../../scheduler/mod.ts";
import { addNode, listItems, markPodReady, startTestCluster, waitFor, type TestCluster } from "../testenv.ts";

const isReady = (p: Pod): boolean => p.status?.conditions?.some((x) => x.type === "Ready" && x.status === "True") === true;

// a new pod may not be bound yet: its node is then the one its affinity pins it to
function nodeOf(p: Pod): string | undefined {
  if (p.spec.nodeName) return p.spec.nodeName;
  for (const term of p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === "metadata.name") return f.values?.[0];
  }
  return undefined;
}

describe("daemonset rolling update with maxSurge", () => {
  let c: TestCluster;
  let stops: (() => Promise<void>)[] = [];
  before(async () => {
    c = await startTestCluster();
    for (const n of ["s1", "s2", "s3"]) await addNode(c.client, n);
    const cm = await startControllerManager(c.client, { leaderElection: false, controllers: ["daemonset"] });
    const sched = await startScheduler(c.client, { leaderElection: false });
    stops = [() => sched.stop(), () => cm.stop()];
  });
  after(async () => {
    for (const s of stops) await s();
    await c.close();
  });

  // as kubelets: finish terminating pods, report bound ones Ready; returns the list seen before acting
  const kubelets = async (): Promise<Pod[]> => {
    const all = await listItems<Pod>(c.client, R.pods, "default", "app=surge");
    for (const p of all) {
      if (p.metadata.deletionTimestamp) await c.client.delete(R.pods, "default", p.metadata.name ?? "", { gracePeriodSeconds: 0 }).catch(() => undefined);
      else if (p.spec.nodeName && !isReady(p)) await markPodReady(c.client, p).catch(() => undefined);
    }
    return all;
  };

  test("maxSurge 1, maxUnavailable 0: each node gets its new pod before losing its old one, one node at a time", async () => {
    await c.client.create(R.daemonsets, "default", {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "surge", namespace: "default" },
      spec: {
        selector: { matchLabels: { app: "surge" } },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: { metadata: { labels: { app: "surge" } }, spec: { containers: [{ name: "a", image: "busybox:1" }] } },
      },
    });
    await waitFor("a ready busybox:1 pod on every node", async () => {
      const live = (await kubelets()).filter((p) => !p.metadata.deletionTimestamp);
      return live.length === 3 && live.every(isReady) && new Set(live.map(nodeOf)).size === 3;
    });

    await c.client.patch(R.daemonsets, "default", "surge", "merge", { spec: { template: { spec: { containers: [{ name: "a", image: "busybox:2" }] } } } });
    let maxDoubled = 0;
    let sawSurge = false;
    const bare = new Set<string>();
    await waitFor("every node runs one busybox:2 pod", async () => {
      // one list is one consistent snapshot: judge it before the kubelets act on it
      const live = (await kubelets()).filter((p) => !p.metadata.deletionTimestamp);
      const byNode = new Map<string, Pod[]>();
      for (const p of live) byNode.set(nodeOf(p) ?? "", [...(byNode.get(nodeOf(p) ?? "") ?? []), p]);
      const doubled = [...byNode.values()].filter((l) => l.length > 1).length;
      maxDoubled = Math.max(maxDoubled, doubled);
      if (doubled) sawSurge = true;
      for (const n of ["s1", "s2", "s3"]) if (!(byNode.get(n) ?? []).some(isReady)) bare.add(n);
      return byNode.size === 3 && [...byNode.values()].every((l) => l.length === 1 && l[0].spec.containers[0].image === "busybox:2" && isReady(l[0]));
    }, 20_000);
    assert.ok(maxDoubled <= 1, `maxSurge 1: at most one node with two pods at a time (saw ${maxDoubled})`);
    assert.ok(sawSurge, "the new pod runs beside the old one before the old one goes");
    assert.deepEqual([...bare], [], "maxUnavailable 0: no node without a ready pod");

    // settled: still one pod per node a moment later, and the status says so
    await new Promise((r) => setTimeout(r, 300));
    const live = (await listItems<Pod>(c.client, R.pods, "default", "app=surge")).filter((p) => !p.metadata.deletionTimestamp);
    assert.deepEqual(live.map(nodeOf).sort(), ["s1", "s2", "s3"]);
    assert.ok(live.every((p) => p.spec.containers[0].image === "busybox:2"));
    const ds = await waitFor("status updated", async () => {
      const d = await c.client.get<{ metadata: object; status?: { updatedNumberScheduled?: number; numberAvailable?: number } }>(R.daemonsets, "default", "surge");
      return d.status?.updatedNumberScheduled === 3 && d.status.numberAvailable === 3 && d;
    });
    assert.ok(ds);
  });
});
