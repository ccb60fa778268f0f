/** Which PersistentVolume fits a claim (upstream's findBestMatchForClaim, simplified). */
import type { KubeObject } from "../../api/types.ts";
import { parseQuantity } from "../../client/quantity.ts";
import { selectorFromLabelSelector, type LabelSelector } from "../../client/selectors.ts";

export interface PersistentVolume extends KubeObject {
  spec: {
    capacity?: { storage?: string };
    accessModes?: string[];
    storageClassName?: string;
    volumeMode?: string;
    claimRef?: { kind?: string; apiVersion?: string; namespace?: string; name?: string; uid?: string; resourceVersion?: string } | null;
    persistentVolumeReclaimPolicy?: string;
    nodeAffinity?: { required?: { nodeSelectorTerms: { matchExpressions?: { key: string; operator: string; values?: string[] }[] }[] } };
    [k: string]: unknown;
  };
  status?: { phase?: string; message?: string };
}

export interface PersistentVolumeClaim extends KubeObject {
  spec: {
    accessModes?: string[];
    resources?: { requests?: { storage?: string } };
    storageClassName?: string | null;
    volumeName?: string;
    volumeMode?: string;
    selector?: LabelSelector;
  };
  status?: { phase?: string; accessModes?: string[]; capacity?: { storage?: string } };
}

/** Whether the PV can serve the claim (ignoring who it is bound to). */
export function pvFits(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  if ((pv.spec.storageClassName ?? "") !== (pvc.spec.storageClassName ?? "")) return false;
  if ((pv.spec.volumeMode ?? "Filesystem") !== (pvc.spec.volumeMode ?? "Filesystem")) return false;
  const modes = new Set(pv.spec.accessModes ?? []);
  if (!(pvc.spec.accessModes ?? []).every((m) => modes.has(m))) return false;
  if (parseQuantity(pv.spec.capacity?.storage) < parseQuantity(pvc.spec.resources?.requests?.storage)) return false;
  if (pvc.spec.selector && !selectorFromLabelSelector(pvc.spec.selector).matches(pv.metadata.labels)) return false;
  return true;
}

/** The smallest available PV that fits, preferring one already pre-bound to this claim. */
export function bestMatch(pvs: PersistentVolume[], pvc: PersistentVolumeClaim): PersistentVolume | undefined {
  const preBound = pvs.find((pv) => pv.spec.claimRef?.name === pvc.metadata.name && pv.spec.claimRef?.namespace === pvc.metadata.namespace && (!pv.spec.claimRef?.uid || pv.spec.claimRef.uid === pvc.metadata.uid));
  if (preBound && pvFits(preBound, pvc)) return preBound;
  return pvs
    .filter((pv) => !pv.spec.claimRef && (pv.status?.phase ?? "Available") === "Available" && !pv.metadata.deletionTimestamp && pvFits(pv, pvc))
    .sort((a, b) => parseQuantity(a.spec.capacity?.storage) - parseQuantity(b.spec.capacity?.storage))[0];
}
