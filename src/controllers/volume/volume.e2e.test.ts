/** The PV binder and the scheduler's volume binding over a real API server and SQLite. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../api/types.ts";
import { R } from "../../client/resources.ts";
import type { Pod } from "../../client/types.ts";
import { startControllerManager } from "../mod.ts";
import { startScheduler } from "../../scheduler/mod.ts";
import { addNode, startTestCluster, waitFor } from "../testenv.ts";
import type { PersistentVolume, PersistentVolumeClaim } from "./match.ts";

test("static volumes bind to claims; WaitForFirstConsumer claims get the scheduler's node and their provisioner", async () => {
  const c = await startTestCluster();
  await addNode(c.client, "vn1");
  const cm = await startControllerManager(c.client, { leaderElection: false, controllers: ["persistentvolume-binder"] });
  const sched = await startScheduler(c.client, { leaderElection: false });
  try {
    await c.client.create(R.persistentvolumes, undefined, { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv-small" }, spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/tmp/a" }, storageClassName: "" } });
    await c.client.create(R.persistentvolumes, undefined, { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv-big" }, spec: { capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/tmp/b" }, storageClassName: "" } });
    await c.client.create(R.persistentvolumeclaims, "default", { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "static" }, spec: { storageClassName: "", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "500Mi" } } } });
    const claim = await waitFor("claim bound", async () => {
      const x = await c.client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, "default", "static");
      return x.status?.phase === "Bound" && x;
    });
    assert.equal(claim.spec.volumeName, "pv-small", "the smallest volume that fits");
    const pv = await waitFor("volume bound", async () => {
      const x = await c.client.get<PersistentVolume>(R.persistentvolumes, undefined, "pv-small");
      return x.status?.phase === "Bound" && x;
    });
    assert.equal(pv.spec.claimRef?.uid, claim.metadata.uid);

    await c.client.create(R.storageclasses, undefined, { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "local-path" }, provisioner: "rancher.io/local-path", volumeBindingMode: "WaitForFirstConsumer", reclaimPolicy: "Delete" });
    await c.client.create(R.persistentvolumeclaims, "default", { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "lazy" }, spec: { storageClassName: "local-path", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } });
    await new Promise((r) => setTimeout(r, 300));
    const before = await c.client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, "default", "lazy");
    assert.equal(before.metadata.annotations?.["volume.kubernetes.io/storage-provisioner"], undefined, "not provisioned before a consumer is scheduled");
    await c.client.create(R.pods, "default", { apiVersion: "v1", kind: "Pod", metadata: { name: "consumer" }, spec: { containers: [{ name: "c", image: "x" }], volumes: [{ name: "d", persistentVolumeClaim: { claimName: "lazy" } }] } });
    const annotated = await waitFor("selected node and provisioner", async () => {
      const x = await c.client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, "default", "lazy");
      const a = x.metadata.annotations ?? {};
      return a["volume.kubernetes.io/selected-node"] && a["volume.kubernetes.io/storage-provisioner"] ? a : undefined;
    });
    assert.equal(annotated["volume.kubernetes.io/selected-node"], "vn1");
    assert.equal(annotated["volume.kubernetes.io/storage-provisioner"], "rancher.io/local-path");
    assert.equal((await c.client.get<Pod>(R.pods, "default", "consumer")).spec.nodeName, "vn1");
    // the provisioner's part: a volume pre-bound to the claim
    const lazy = await c.client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, "default", "lazy");
    await c.client.create(R.persistentvolumes, undefined, {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "pvc-lazy", annotations: { "pv.kubernetes.io/provisioned-by": "rancher.io/local-path" } },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/tmp/c" }, storageClassName: "local-path", claimRef: { kind: "PersistentVolumeClaim", namespace: "default", name: "lazy", uid: lazy.metadata.uid }, persistentVolumeReclaimPolicy: "Delete" },
    } as KubeObject);
    await waitFor("provisioned claim bound", async () => (await c.client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, "default", "lazy")).status?.phase === "Bound");

    await c.client.create(R.pods, "default", { apiVersion: "v1", kind: "Pod", metadata: { name: "orphan" }, spec: { containers: [{ name: "c", image: "x" }], volumes: [{ name: "d", persistentVolumeClaim: { claimName: "missing" } }] } });
    const cond = await waitFor("unschedulable without its claim", async () => (await c.client.get<Pod>(R.pods, "default", "orphan")).status?.conditions?.find((x) => x.type === "PodScheduled" && x.status === "False"));
    assert.match(cond.message ?? "", /persistentvolumeclaim "missing" not found/);
  } finally {
    await sched.stop();
    await cm.stop();
    await c.close();
  }
});
