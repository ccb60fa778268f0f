/** Owner references: controller refs, adoption and release. */
import type { KubeObject, OwnerReference } from "../../api/types.ts";

/** The controlling owner reference of an object, if any. */
export function controllerRef(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** A controller owner reference pointing at `owner` (blockOwnerDeletion as upstream sets it). */
export function newControllerRef(owner: KubeObject, gvk: { apiVersion: string; kind: string }): OwnerReference {
  return {
    apiVersion: gvk.apiVersion,
    kind: gvk.kind,
    name: owner.metadata.name ?? "",
    uid: owner.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Whether obj is controlled by the owner with this uid. */
export function isControlledBy(obj: KubeObject, uid: string | undefined): boolean {
  return !!uid && controllerRef(obj)?.uid === uid;
}

/** The merge patch that adopts obj (adds the controller ref, guarded by uid). */
export function adoptPatch(obj: KubeObject, ref: OwnerReference): unknown {
  return {
    metadata: {
      ownerReferences: [...(obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid), ref],
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
    },
  };
}

/** The merge patch that releases obj from the owner with this uid. */
export function releasePatch(obj: KubeObject, ownerUID: string): unknown {
  const rest = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUID);
  return { metadata: { ownerReferences: rest.length ? rest : null, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion } };
}
