/** Node lifecycle over a real API server: a node that stops heartbeating goes Unknown, is tainted, and its pods are evicted. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Node, Pod } from "../../client/types.ts";
import { R } from "../../client/resources.ts";
import { startControllerManager } from "../mod.ts";
import { addNode, startTestCluster, waitFor } from "../testenv.ts";

test("a silent node becomes Unknown, gets the unreachable taints, and loses its pods after their tolerationSeconds", async () => {
  const c = await startTestCluster();
  await addNode(c.client, "quiet");
  await addNode(c.client, "chatty");
  const mk = (name: string, node: string, tolerationSeconds?: number): Pod => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: {
      nodeName: node,
      containers: [{ name: "c", image: "x" }],
      tolerations: tolerationSeconds === undefined ? [] : [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds }],
    },
  });
  // (the API server gives every pod 300 s tolerations by default: be explicit)
  await c.client.create(R.pods, "default", mk("doomed", "quiet", 1));
  await c.client.create(R.pods, "default", mk("patient", "quiet", 3600));
  await c.client.create(R.pods, "default", mk("fine", "chatty"));
  const cm = await startControllerManager(c.client, { leaderElection: false, controllers: ["nodelifecycle"], nodeMonitorGracePeriodMs: 1500 });
  // "chatty" keeps renewing its Lease as a kubelet does
  const renew = setInterval(() => {
    const now = new Date().toISOString().replace(/Z$/, "000Z");
    c.client
      .create(R.leases, "kube-node-lease", { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "chatty", namespace: "kube-node-lease" }, spec: { holderIdentity: "chatty", leaseDurationSeconds: 40, renewTime: now } })
      .catch(() => c.client.patch(R.leases, "kube-node-lease", "chatty", "merge", { spec: { renewTime: now } }))
      .catch(() => undefined);
  }, 300);
  try {
    const node = await waitFor(
      "quiet node Unknown",
      async () => {
        const n = await c.client.get<Node>(R.nodes, undefined, "quiet");
        return n.status?.conditions?.find((x) => x.type === "Ready")?.status === "Unknown" && n;
      },
      20_000,
    );
    assert.equal(node.status?.conditions?.find((x) => x.type === "Ready")?.reason, "NodeStatusUnknown");
    const tainted = await waitFor("taints", async () => {
      const n = await c.client.get<Node>(R.nodes, undefined, "quiet");
      return (n.spec?.taints?.length ?? 0) >= 2 && n.spec!.taints!;
    });
    assert.deepEqual(tainted.map((t) => `${t.key}:${t.effect}`).sort(), ["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"]);
    await waitFor("pod evicted once its toleration runs out", async () => (await c.client.get<Pod>(R.pods, "default", "doomed")).metadata.deletionTimestamp);
    const patient = await c.client.get<Pod>(R.pods, "default", "patient");
    assert.equal(patient.metadata.deletionTimestamp, undefined, "tolerates for an hour");
    const chatty = await c.client.get<Node>(R.nodes, undefined, "chatty");
    assert.equal(chatty.status?.conditions?.find((x) => x.type === "Ready")?.status, "True", "a node renewing its lease stays Ready");
    assert.equal(chatty.spec?.taints?.length ?? 0, 0);
  } finally {
    clearInterval(renew);
    await cm.stop();
    await c.close();
  }
});

test("a node reporting MemoryPressure gets the memory-pressure NoSchedule taint, removed when the pressure ends", async () => {
  const c = await startTestCluster();
  await addNode(c.client, "pressed");
  const cm = await startControllerManager(c.client, { leaderElection: false, controllers: ["nodelifecycle"], nodeMonitorGracePeriodMs: 60_000 });
  const report = (status: "True" | "False"): Promise<unknown> => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const conditions = [
      { type: "MemoryPressure", status, reason: status === "True" ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory", lastHeartbeatTime: now, lastTransitionTime: now },
      { type: "Ready", status: "True", reason: "KubeletReady", lastHeartbeatTime: now, lastTransitionTime: now },
    ];
    return c.client.patch(R.nodes, undefined, "pressed", "merge", { status: { conditions } }, { subresource: "status" });
  };
  const taintKeys = async (): Promise<string[]> => ((await c.client.get<Node>(R.nodes, undefined, "pressed")).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
  try {
    await report("True");
    await waitFor("memory-pressure taint", async () => (await taintKeys()).includes("node.kubernetes.io/memory-pressure:NoSchedule") || undefined);
    await report("False");
    await waitFor("taint removed", async () => ((await taintKeys()).length === 0 ? true : undefined));
  } finally {
    await cm.stop();
    await c.close();
  }
});
