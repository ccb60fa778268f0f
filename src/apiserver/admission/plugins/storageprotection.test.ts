// Checks StorageObjectInUseProtection against the real REST core: new claims
// and volumes get their protection finalizer once, other kinds none.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../api/types.ts";
import { REFS } from "./common.ts";
import { startPluginServer, type PluginTestEnv } from "./testsupport.ts";

describe("StorageObjectInUseProtection admission", () => {
  let env: PluginTestEnv;
  before(async () => {
    env = await startPluginServer({ disable: ["PodSecurity"] });
  });
  after(async () => {
    await env.close();
  });

  it("adds kubernetes.io/pvc-protection to new claims, once", async () => {
    const spec = { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } };
    const plain = await env.admin.create<KubeObject>(REFS.persistentvolumeclaims, "default", { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "plain" }, spec });
    assert.deepEqual(plain.metadata.finalizers, ["kubernetes.io/pvc-protection"]);
    const given = await env.admin.create<KubeObject>(REFS.persistentvolumeclaims, "default", {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "given", finalizers: ["example.com/keep", "kubernetes.io/pvc-protection"] },
      spec,
    });
    assert.deepEqual(given.metadata.finalizers, ["example.com/keep", "kubernetes.io/pvc-protection"]);
  });

  it("adds kubernetes.io/pv-protection to new volumes and nothing to other kinds", async () => {
    const pv: KubeObject = {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "vol" },
      spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/tmp/vol" } },
    };
    assert.deepEqual((await env.admin.create(REFS.persistentvolumes, undefined, pv)).metadata.finalizers, ["kubernetes.io/pv-protection"]);
    const cm = await env.admin.create<KubeObject>(REFS.configmaps, "default", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" } });
    assert.equal(cm.metadata.finalizers, undefined);
  });
});
