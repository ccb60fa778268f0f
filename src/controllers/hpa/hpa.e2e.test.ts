/**
 * The HPA over a real API server: the target's /scale and a metrics.k8s.io
 * stand-in served on the API server's path hook (metrics-server is an addon
 * that does not run in this test).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../api/types.ts";
import { R } from "../../client/resources.ts";
import type { Deployment, Pod } from "../../client/types.ts";
import { startControllerManager } from "../mod.ts";
import { startTestCluster, waitFor } from "../testenv.ts";

test("a Deployment using 200% of its cpu request is scaled up to maxReplicas", async () => {
  const c = await startTestCluster();
  const cpuPerPod = "200m";
  c.api.registerPath("/apis/metrics.k8s.io/", async (req) => {
    const ns = /namespaces\/([^/]+)\/pods/.exec(req.path)?.[1] ?? "default";
    const pods = (await c.client.list<Pod>(R.pods, ns, { labelSelector: req.query.get("labelSelector") ?? undefined })).items;
    const items = pods.map((p) => ({ metadata: { name: p.metadata.name, namespace: ns }, timestamp: new Date().toISOString(), window: "15s", containers: [{ name: "c", usage: { cpu: cpuPerPod, memory: "10Mi" } }] }));
    return { status: 200, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify({ kind: "PodMetricsList", apiVersion: "metrics.k8s.io/v1beta1", metadata: {}, items })) };
  });
  const cm = await startControllerManager(c.client, { leaderElection: false, controllers: ["deployment", "replicaset", "horizontalpodautoscaling"] });
  try {
    await c.client.create(R.deployments, "default", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "busy", namespace: "default" },
      spec: { replicas: 2, selector: { matchLabels: { app: "busy" } }, template: { metadata: { labels: { app: "busy" } }, spec: { containers: [{ name: "c", image: "x", resources: { requests: { cpu: "100m" } } }] } } },
    });
    // pods run (no scheduler here: place them directly as running)
    await waitFor("2 pods", async () => {
      const ps = (await c.client.list<Pod>(R.pods, "default", { labelSelector: "app=busy" })).items;
      for (const p of ps) if (p.status?.phase !== "Running") await c.client.update(R.pods, "default", { ...p, status: { ...(p.status ?? {}), phase: "Running" } }, { subresource: "status" }).catch(() => undefined);
      return ps.length === 2 && ps.every((p) => p.status?.phase === "Running");
    });
    await c.client.create(R.horizontalpodautoscalers, "default", {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "busy" },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "busy" }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }] },
    });
    await waitFor("scaled to 5", async () => (await c.client.get<Deployment>(R.deployments, "default", "busy")).spec.replicas === 5);
    type Status = { desiredReplicas?: number; conditions?: { type: string; status: string; reason?: string }[]; currentMetrics?: { resource?: { current?: { averageUtilization?: number } } }[] };
    const st = await waitFor("hpa status", async () => {
      const h = await c.client.get<KubeObject & { status?: Status }>(R.horizontalpodautoscalers, "default", "busy");
      return h.status?.desiredReplicas === 5 && h.status;
    });
    assert.equal(st.currentMetrics?.[0]?.resource?.current?.averageUtilization, 200);
    assert.equal(st.conditions?.find((x) => x.type === "ScalingLimited")?.reason, "TooManyReplicas");
  } finally {
    await cm.stop();
    await c.close();
  }
});
