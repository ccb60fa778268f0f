// Checks PersistentVolumeClaimResize against the real REST core: a bound
// claim grows only when its StorageClass allows expansion, with upstream's
// words otherwise; shrinking or keeping the size is not this plugin's call.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../api/types.ts";
import { REFS } from "./common.ts";
import { refusal, startPluginServer, type PluginTestEnv } from "./testsupport.ts";

const storageClass = (name: string, allowVolumeExpansion?: boolean): KubeObject => ({
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name },
  provisioner: "rancher.io/local-path",
  ...(allowVolumeExpansion === undefined ? {} : { allowVolumeExpansion }),
});

describe("PersistentVolumeClaimResize admission", () => {
  let env: PluginTestEnv;
  /** A claim of 1Gi in `cls`, marked Bound with that capacity. */
  async function boundClaim(name: string, cls: string): Promise<KubeObject> {
    await env.admin.create(REFS.persistentvolumeclaims, "default", {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name },
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: cls, resources: { requests: { storage: "1Gi" } } },
    });
    const cur = await env.admin.get<KubeObject>(REFS.persistentvolumeclaims, "default", name);
    return env.admin.update(REFS.persistentvolumeclaims, "default", { ...cur, status: { phase: "Bound", capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"] } }, { subresource: "status" });
  }
  const grow = (pvc: KubeObject, size: string): Promise<KubeObject> => {
    const spec = structuredClone(pvc.spec) as { resources: { requests: { storage: string } } };
    spec.resources.requests.storage = size;
    return env.admin.update(REFS.persistentvolumeclaims, "default", { ...pvc, spec });
  };
  before(async () => {
    env = await startPluginServer({ disable: ["PodSecurity"] });
    await env.admin.create(REFS.storageclasses, undefined, storageClass("expandable", true));
    await env.admin.create(REFS.storageclasses, undefined, storageClass("fixed"));
  });
  after(async () => {
    await env.close();
  });

  it("lets a bound claim of an expandable class grow", async () => {
    const pvc = await boundClaim("grows", "expandable");
    const grown = await grow(pvc, "2Gi");
    assert.equal((grown.spec as { resources: { requests: { storage: string } } }).resources.requests.storage, "2Gi");
  });

  it("refuses growing a claim whose class does not allow expansion", async () => {
    const pvc = await boundClaim("stuck", "fixed");
    const r = await refusal(grow(pvc, "2Gi"));
    assert.equal(r.code, 403);
    assert.equal(r.message, 'persistentvolumeclaims "stuck" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
    const missing = await boundClaim("classless", "gone");
    assert.match((await refusal(grow(missing, "5Gi"))).message, /only dynamically provisioned pvc can be resized/);
  });
});
