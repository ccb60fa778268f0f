/** The VolumeBinding filter: claims must exist, bound volumes' node affinity must match, immediate claims must be bound. */
import type { KubeObject } from "../api/types.ts";
import type { Pod } from "../client/types.ts";
import type { NodeInfo } from "./nodeinfo.ts";
import { nodeMatchesTerm } from "./nodeaffinity.ts";

/** What the scheduler knows of claims, volumes and classes. */
export interface VolumeLookup {
  claim(namespace: string, name: string): (KubeObject & { spec: { volumeName?: string; storageClassName?: string | null } }) | undefined;
  volume(name: string): (KubeObject & { spec: { nodeAffinity?: { required?: { nodeSelectorTerms: { matchExpressions?: { key: string; operator: string; values?: string[] }[] }[] } } } }) | undefined;
  storageClass(name: string): (KubeObject & { volumeBindingMode?: string }) | undefined;
}

/** The PVC names a pod uses. */
export function podClaims(pod: Pod): string[] {
  return (pod.spec.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => !!n);
}

/** Claims of the pod that wait for the scheduler's choice of node (WaitForFirstConsumer, unbound). */
export function claimsWaitingForNode(pod: Pod, lookup: VolumeLookup): string[] {
  return podClaims(pod).filter((name) => {
    const pvc = lookup.claim(pod.metadata.namespace ?? "default", name);
    if (!pvc || pvc.spec.volumeName) return false;
    const sc = pvc.spec.storageClassName ? lookup.storageClass(pvc.spec.storageClassName) : undefined;
    return sc?.volumeBindingMode === "WaitForFirstConsumer";
  });
}

/** Why the pod's volumes rule the node out, or undefined. */
export function volumeReason(pod: Pod, on: { node: NodeInfo; lookup: VolumeLookup }): string | undefined {
  const { node, lookup } = on;
  for (const name of podClaims(pod)) {
    const pvc = lookup.claim(pod.metadata.namespace ?? "default", name);
    if (!pvc) return `persistentvolumeclaim "${name}" not found`;
    if (pvc.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if (!pvc.spec.volumeName) {
      const sc = pvc.spec.storageClassName ? lookup.storageClass(pvc.spec.storageClassName) : undefined;
      if (sc?.volumeBindingMode !== "WaitForFirstConsumer") return "pod has unbound immediate PersistentVolumeClaims";
      continue;
    }
    const pv = lookup.volume(pvc.spec.volumeName);
    const terms = pv?.spec.nodeAffinity?.required?.nodeSelectorTerms;
    if (terms?.length && !terms.some((t) => nodeMatchesTerm(node.node, t as Parameters<typeof nodeMatchesTerm>[1]))) return "node(s) had volume node affinity conflict";
  }
  return undefined;
}
