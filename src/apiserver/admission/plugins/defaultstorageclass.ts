/**
 * DefaultStorageClass admission (upstream plugin/pkg/admission/storage/
 * storageclass/setdefault): a new PersistentVolumeClaim that names no class
 * (neither spec.storageClassName, not even "", nor the beta annotation) gets
 * the StorageClass annotated storageclass.kubernetes.io/is-default-class=true.
 * This is what makes a plain claim bind through k3s's local-path class.
 */
import type { KubeObject } from "../../../api/types.ts";
import type { Client } from "../../../client/client.ts";
import type { SharedInformerFactory } from "../../../client/factory.ts";
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { isCore, REFS } from "./common.ts";
import { annotatedTrue, newestDefault } from "./defaultclass.ts";
import { ClusterLookup } from "./lookup.ts";

/** The annotations that mark a default StorageClass (GA and beta). */
export const DEFAULT_STORAGE_CLASS_ANNOTATIONS = ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"];
/** The beta annotation a claim may name its class with instead of spec.storageClassName. */
export const BETA_CLAIM_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

export interface DefaultStorageClassOptions {
  client: Client;
  informers: SharedInformerFactory;
}

/** The class a claim names (beta annotation first, as upstream's GetPersistentVolumeClaimClass), undefined when it names none. */
export function claimClass(pvc: KubeObject): string | undefined {
  const beta = pvc.metadata.annotations?.[BETA_CLAIM_CLASS_ANNOTATION];
  if (beta !== undefined) return beta;
  const name = (pvc.spec as { storageClassName?: string | null } | undefined)?.storageClassName;
  return name === null ? undefined : name;
}

/** Creates the DefaultStorageClass admission plugin. */
export function defaultStorageClassAdmission(opts: DefaultStorageClassOptions): AdmissionHook {
  const classes = new ClusterLookup(opts.informers.informerFor(REFS.storageclasses), { client: opts.client, ref: REFS.storageclasses });
  return {
    async mutate(attrs: AdmissionAttributes): Promise<void> {
      if (attrs.operation !== "CREATE" || !isCore(attrs, "persistentvolumeclaims") || !attrs.object) return;
      const pvc = attrs.object;
      // "" is a choice too: it asks for a volume with no class
      if (claimClass(pvc) !== undefined) return;
      const def = newestDefault(await classes.list(), (sc) => annotatedTrue(sc, DEFAULT_STORAGE_CLASS_ANNOTATIONS));
      if (!def) return;
      pvc.spec = { ...(pvc.spec ?? {}), storageClassName: def.metadata.name };
    },
    async validate(): Promise<void> {},
  };
}
