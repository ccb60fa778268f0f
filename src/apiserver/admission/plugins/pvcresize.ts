/**
 * PersistentVolumeClaimResize admission (upstream plugin/pkg/admission/
 * storage/persistentvolume/resize): a claim's storage request may grow only
 * while it is bound and only when the StorageClass it was provisioned from
 * (the same before and after) sets allowVolumeExpansion: true; otherwise the
 * update is 403 in upstream's words.
 */
import type { KubeObject } from "../../../api/types.ts";
import type { Client } from "../../../client/client.ts";
import type { SharedInformerFactory } from "../../../client/factory.ts";
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { admissionForbidden, isCore, REFS } from "./common.ts";
import { claimClass } from "./defaultstorageclass.ts";
import { ClusterLookup } from "./lookup.ts";
import { milliOf } from "./quantity.ts";

export interface PVCResizeOptions {
  client: Client;
  informers: SharedInformerFactory;
}

interface StorageClass extends KubeObject {
  allowVolumeExpansion?: boolean;
}

function requestedStorage(pvc: KubeObject): bigint {
  const q = (pvc.spec as { resources?: { requests?: { storage?: string | number } } } | undefined)?.resources?.requests?.storage;
  try {
    return q === undefined ? 0n : milliOf(q);
  } catch {
    // validation refuses a malformed quantity; here it simply is no growth
    return 0n;
  }
}

/** Creates the PersistentVolumeClaimResize admission plugin. */
export function pvcResizeAdmission(opts: PVCResizeOptions): AdmissionHook {
  const classes = new ClusterLookup<StorageClass>(opts.informers.informerFor<StorageClass>(REFS.storageclasses), { client: opts.client, ref: REFS.storageclasses });

  async function allowResize(pvc: KubeObject, old: KubeObject): Promise<boolean> {
    const now = claimClass(pvc);
    const before = claimClass(old);
    if (!now || !before || now !== before) return false;
    return (await classes.get(now))?.allowVolumeExpansion === true;
  }

  return {
    async mutate(): Promise<void> {},
    async validate(attrs: AdmissionAttributes): Promise<void> {
      if (attrs.operation !== "UPDATE" || !isCore(attrs, "persistentvolumeclaims") || !attrs.object || !attrs.oldObject) return;
      const pvc = attrs.object;
      const old = attrs.oldObject;
      if (requestedStorage(pvc) <= requestedStorage(old)) return;
      if ((old.status as { phase?: string } | undefined)?.phase !== "Bound") {
        throw admissionForbidden(attrs, "Only bound persistent volume claims can be expanded");
      }
      if (!(await allowResize(pvc, old))) {
        throw admissionForbidden(attrs, "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize");
      }
    },
  };
}
