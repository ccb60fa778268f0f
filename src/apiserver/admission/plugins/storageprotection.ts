/**
 * StorageObjectInUseProtection admission (upstream plugin/pkg/admission/
 * storage/storageobjectinuseprotection): new PersistentVolumeClaims get the
 * kubernetes.io/pvc-protection finalizer and new PersistentVolumes
 * kubernetes.io/pv-protection, so deleting one still in use waits; the
 * pvc-protection and pv-protection controllers (src/controllers/pvcprotection)
 * lift them once the claim is unused or the volume unbound.
 */
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { isCore } from "./common.ts";

const FINALIZERS: Record<string, string> = {
  persistentvolumeclaims: "kubernetes.io/pvc-protection",
  persistentvolumes: "kubernetes.io/pv-protection",
};

/** Creates the StorageObjectInUseProtection admission plugin. */
export function storageProtectionAdmission(): AdmissionHook {
  return {
    async mutate(attrs: AdmissionAttributes): Promise<void> {
      if (attrs.operation !== "CREATE" || !attrs.object) return;
      const resource = Object.keys(FINALIZERS).find((r) => isCore(attrs, r));
      if (!resource) return;
      const md = attrs.object.metadata;
      const finalizer = FINALIZERS[resource];
      if (!(md.finalizers ?? []).includes(finalizer)) md.finalizers = [...(md.finalizers ?? []), finalizer];
    },
    async validate(): Promise<void> {},
  };
}
