/**
 * The PersistentVolume binder: binds pending claims to fitting volumes (both
 * sides: PV claimRef + Bound, PVC volumeName + Bound), hands claims of a
 * provisioning StorageClass to their provisioner (waiting for the
 * scheduler's selected-node with WaitForFirstConsumer), marks volumes of
 * deleted claims Released and deletes them under the Delete policy.
 */
import type { KubeObject } from "../../api/types.ts";
import { R } from "../../client/resources.ts";
import { QueueController, type ControllerContext, type RunningController } from "../util/context.ts";
import { bestMatch, type PersistentVolume, type PersistentVolumeClaim } from "./match.ts";

interface StorageClass extends KubeObject {
  provisioner?: string;
  volumeBindingMode?: string;
}

export const SELECTED_NODE = "volume.kubernetes.io/selected-node";
const PROVISIONER = "volume.kubernetes.io/storage-provisioner";
const BETA_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";

/** Starts the binder. */
export function startPersistentVolumeBinder(ctx: ControllerContext): RunningController {
  const { client } = ctx;
  const pvcInformer = ctx.factory.informerFor<PersistentVolumeClaim>(R.persistentvolumeclaims);
  const pvInformer = ctx.factory.informerFor<PersistentVolume>(R.persistentvolumes);
  const scInformer = ctx.factory.informerFor<StorageClass>(R.storageclasses);
  const claims = new QueueController({ name: "persistentvolume-binder-claims", sync: syncClaim });
  const volumes = new QueueController({ name: "persistentvolume-binder-volumes", sync: syncVolume });
  const allClaims = (): void => {
    for (const c of pvcInformer.store.list()) if (!c.spec.volumeName || c.status?.phase !== "Bound") claims.enqueue(c);
  };
  const offs = [
    pvcInformer.addEventHandler({ add: claims.enqueue, update: (_o, n) => claims.enqueue(n), delete: () => pvInformer.store.list().forEach(volumes.enqueue) }),
    pvInformer.addEventHandler({ add: (v) => (volumes.enqueue(v), allClaims()), update: (_o, v) => (volumes.enqueue(v), allClaims()) }),
  ];

  async function bind(pv: PersistentVolume, pvc: PersistentVolumeClaim): Promise<void> {
    let volume = pv;
    const ref = pv.spec.claimRef;
    if (!ref || ref.uid !== pvc.metadata.uid) {
      volume = await client.update<PersistentVolume>(R.persistentvolumes, undefined, {
        ...pv,
        metadata: { ...pv.metadata, annotations: { ...(pv.metadata.annotations ?? {}), "pv.kubernetes.io/bound-by-controller": "yes" } },
        spec: { ...pv.spec, claimRef: { kind: "PersistentVolumeClaim", apiVersion: "v1", namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, resourceVersion: pvc.metadata.resourceVersion } },
      });
    }
    if (volume.status?.phase !== "Bound") {
      volume = await client.update<PersistentVolume>(R.persistentvolumes, undefined, { ...volume, status: { ...(volume.status ?? {}), phase: "Bound" } }, { subresource: "status" });
    }
    let claim = pvc;
    if (pvc.spec.volumeName !== pv.metadata.name) {
      claim = await client.update<PersistentVolumeClaim>(R.persistentvolumeclaims, pvc.metadata.namespace, {
        ...pvc,
        metadata: { ...pvc.metadata, annotations: { ...(pvc.metadata.annotations ?? {}), "pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes" } },
        spec: { ...pvc.spec, volumeName: pv.metadata.name },
      });
    }
    if (claim.status?.phase !== "Bound") {
      await client.update(R.persistentvolumeclaims, claim.metadata.namespace, { ...claim, status: { phase: "Bound", accessModes: volume.spec.accessModes, capacity: volume.spec.capacity } }, { subresource: "status" });
    }
  }

  async function syncClaim(key: string): Promise<void> {
    const pvc = pvcInformer.store.get(key);
    if (!pvc || pvc.metadata.deletionTimestamp) return;
    if (pvc.spec.volumeName) {
      const pv = pvInformer.store.get(pvc.spec.volumeName);
      if (pv) await bind(pv, pvc);
      else if (pvc.status?.phase !== "Lost" && pvc.status?.phase === "Bound") {
        await client.update(R.persistentvolumeclaims, pvc.metadata.namespace, { ...pvc, status: { ...(pvc.status ?? {}), phase: "Lost" } }, { subresource: "status" });
      }
      return;
    }
    const sc = pvc.spec.storageClassName ? scInformer.store.get(pvc.spec.storageClassName) : undefined;
    const waitForConsumer = sc?.volumeBindingMode === "WaitForFirstConsumer";
    const selectedNode = pvc.metadata.annotations?.[SELECTED_NODE];
    const match = bestMatch(pvInformer.store.list(), pvc);
    if (match && (!waitForConsumer || selectedNode || match.spec.claimRef)) return bind(match, pvc);
    if (pvc.status?.phase !== "Pending") {
      await client.update(R.persistentvolumeclaims, pvc.metadata.namespace, { ...pvc, status: { ...(pvc.status ?? {}), phase: "Pending" } }, { subresource: "status" });
      return;
    }
    // no volume: let the class's provisioner make one (after scheduling, for WaitForFirstConsumer)
    if (sc?.provisioner && sc.provisioner !== "kubernetes.io/no-provisioner" && (!waitForConsumer || selectedNode)) {
      const ann = pvc.metadata.annotations ?? {};
      if (ann[PROVISIONER] !== sc.provisioner) {
        await client.patch(R.persistentvolumeclaims, pvc.metadata.namespace, pvc.metadata.name ?? "", "merge", {
          metadata: { annotations: { [PROVISIONER]: sc.provisioner, [BETA_PROVISIONER]: sc.provisioner } },
        });
        ctx.recorder("persistentvolume-controller").event({ ...pvc, apiVersion: "v1", kind: "PersistentVolumeClaim" }, "Normal", "ExternalProvisioning", `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
      }
    } else if (waitForConsumer && !selectedNode) {
      ctx.recorder("persistentvolume-controller").event({ ...pvc, apiVersion: "v1", kind: "PersistentVolumeClaim" }, "Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
    }
  }

  async function syncVolume(name: string): Promise<void> {
    const pv = pvInformer.store.get(name);
    if (!pv || pv.metadata.deletionTimestamp) return;
    const ref = pv.spec.claimRef;
    if (!ref) {
      if (!pv.status?.phase || pv.status.phase === "Pending") {
        await client.update(R.persistentvolumes, undefined, { ...pv, status: { ...(pv.status ?? {}), phase: "Available" } }, { subresource: "status" });
      }
      return;
    }
    const claim = pvcInformer.store.get(`${ref.namespace}/${ref.name}`);
    if (claim && (!ref.uid || claim.metadata.uid === ref.uid)) return;
    if (!ref.uid) return; // pre-bound to a claim that does not exist yet
    // the claim is gone: the volume is released
    if (pv.status?.phase !== "Released" && pv.status?.phase !== "Failed") {
      await client.update(R.persistentvolumes, undefined, { ...pv, status: { ...(pv.status ?? {}), phase: "Released" } }, { subresource: "status" });
      return;
    }
    const provisioned = pv.metadata.annotations?.["pv.kubernetes.io/provisioned-by"];
    if (pv.spec.persistentVolumeReclaimPolicy === "Delete" && !provisioned) {
      await client.delete(R.persistentvolumes, undefined, name).catch(() => undefined);
    }
  }

  claims.start();
  volumes.start();
  return {
    async stop() {
      for (const off of offs) off();
      await claims.stop();
      await volumes.stop();
    },
  };
}
