// Checks the storage-protection controllers over a real API server and
// SQLite: a deleting claim waits while a scheduled pod uses it and goes once
// the pod is gone; a deleting volume waits while Bound and goes once released.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../api/types.ts";
import { R } from "../../client/resources.ts";
import type { Pod } from "../../client/types.ts";
import { startTestCluster, waitFor } from "../testenv.ts";
import { newControllerContext } from "../util/context.ts";
import { claimsOf, podUsesClaim, PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER, startPVCProtectionController, startPVProtectionController } from "./mod.ts";

const pod = (name: string, claim: string, nodeName?: string): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default" },
  spec: { nodeName, containers: [{ name: "c", image: "x" }], volumes: [{ name: "data", persistentVolumeClaim: { claimName: claim } }] },
});

const gone = async (read: () => Promise<unknown>): Promise<true | undefined> => {
  try {
    await read();
    return undefined;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return true;
    throw err;
  }
};

test("which pods hold a claim: scheduled ones, ephemeral claims only while running", () => {
  const p = pod("p", "data", "n1");
  p.spec.volumes!.push({ name: "scratch", ephemeral: { volumeClaimTemplate: { spec: {} } } });
  assert.deepEqual(claimsOf(p, { running: true }), ["default/data", "default/p-scratch"]);
  assert.equal(podUsesClaim(p, "default/data"), true);
  assert.equal(podUsesClaim(pod("q", "data"), "default/data"), false, "an unscheduled pod holds nothing");
  p.status = { phase: "Succeeded" };
  assert.equal(podUsesClaim(p, "default/p-scratch"), false);
  assert.equal(podUsesClaim(p, "default/data"), true);
});

test("a claim in use and a bound volume wait for their finalizers to be lifted", async () => {
  const c = await startTestCluster();
  const ctx = newControllerContext(c.client, { clusterCIDR: "10.42.0.0/16", serviceCIDR: "10.43.0.0/16", nodeCIDRMaskSize: 24, nodeMonitorGracePeriodMs: 40_000, terminatedPodGCThreshold: 100 });
  const pvc = startPVCProtectionController(ctx);
  const pv = startPVProtectionController(ctx);
  ctx.factory.start();
  try {
    await c.client.create(R.persistentvolumeclaims, "default", {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", finalizers: [PVC_PROTECTION_FINALIZER] },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    });
    await c.client.create(R.pods, "default", pod("user", "data", "n1"));
    await c.client.delete(R.persistentvolumeclaims, "default", "data");
    await new Promise((r) => setTimeout(r, 500));
    const held = await c.client.get<KubeObject>(R.persistentvolumeclaims, "default", "data");
    assert.ok(held.metadata.deletionTimestamp && held.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER), "the claim waits for its pod");
    await c.client.delete(R.pods, "default", "user", { gracePeriodSeconds: 0 });
    await waitFor("claim gone", () => gone(() => c.client.get(R.persistentvolumeclaims, "default", "data")));

    await c.client.create(R.persistentvolumes, undefined, {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "vol", finalizers: [PV_PROTECTION_FINALIZER] },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/tmp/vol" } },
    });
    const vol = await c.client.get<KubeObject>(R.persistentvolumes, undefined, "vol");
    await c.client.update(R.persistentvolumes, undefined, { ...vol, status: { phase: "Bound" } }, { subresource: "status" });
    await c.client.delete(R.persistentvolumes, undefined, "vol");
    await new Promise((r) => setTimeout(r, 500));
    const bound = await c.client.get<KubeObject>(R.persistentvolumes, undefined, "vol");
    assert.ok(bound.metadata.finalizers?.includes(PV_PROTECTION_FINALIZER), "a bound volume waits");
    await c.client.update(R.persistentvolumes, undefined, { ...bound, status: { phase: "Released" } }, { subresource: "status" });
    await waitFor("volume gone", () => gone(() => c.client.get(R.persistentvolumes, undefined, "vol")));
  } finally {
    await pvc.stop();
    await pv.stop();
    ctx.factory.stop();
    await c.close();
  }
});
