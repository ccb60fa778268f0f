/**
 * The pvc-protection controller (upstream pkg/controller/volume/pvcprotection):
 * a PersistentVolumeClaim being deleted keeps its kubernetes.io/pvc-protection
 * finalizer (added by the StorageObjectInUseProtection admission plugin) while
 * a scheduled pod in its namespace still uses it, and loses it once none does,
 * so the delete finishes. The cache answers first; the API server confirms
 * before the finalizer goes, so a pod created a moment ago is not missed.
 */
import type { KubeObject } from "../../api/types.ts";
import { R } from "../../client/resources.ts";
import type { Pod } from "../../client/types.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";

/** The finalizer that keeps a claim in use from going away. */
export const PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection";
const CLAIM_INDEX = "claims";

/** Claims (namespace/name) a pod refers to: its claim volumes and the claims of its generic ephemeral volumes. */
export function claimsOf(pod: Pod, opts: { running: boolean }): string[] {
  const ns = pod.metadata.namespace ?? "";
  const out: string[] = [];
  for (const v of pod.spec.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName) out.push(`${ns}/${v.persistentVolumeClaim.claimName}`);
    // an ephemeral volume's claim is the pod's own: it stops mattering once the pod has finished
    else if (v.ephemeral && opts.running) out.push(`${ns}/${pod.metadata.name}-${v.name}`);
  }
  return out;
}

/** Whether this pod holds the claim (upstream's podUsesPVC: only scheduled pods count, the kubelet starts no others). */
export function podUsesClaim(pod: Pod, claimKey: string): boolean {
  if (!pod.spec.nodeName) return false;
  const running = pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed";
  return claimsOf(pod, { running }).includes(claimKey);
}

/** Starts the controller. */
export function startPVCProtectionController(ctx: ControllerContext): RunningController {
  const { client } = ctx;
  const claims = ctx.factory.informerFor<KubeObject>(R.persistentvolumeclaims);
  const pods = ctx.factory.informerFor<Pod>(R.pods);
  pods.addIndexer(CLAIM_INDEX, (p) => claimsOf(p, { running: true }));
  const qc = new QueueController({ name: "pvc-protection-controller", sync });
  const podChanged = (p: Pod): void => {
    for (const key of claimsOf(p, { running: true })) qc.queue.add(key);
  };
  const offs = [
    claims.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n) }),
    // a pod going away (or finishing) may be what a deleting claim waits for
    pods.addEventHandler({ update: (_o, n) => podChanged(n), delete: podChanged }),
  ];

  async function inUse(pvc: KubeObject, key: string): Promise<boolean> {
    if (pods.store.byIndex(CLAIM_INDEX, key).some((p) => podUsesClaim(p, key))) return true;
    const live = await client.list<Pod>(R.pods, pvc.metadata.namespace);
    return live.items.some((p) => podUsesClaim(p, key));
  }

  async function sync(key: string): Promise<void> {
    const pvc = claims.store.get(key);
    if (!pvc?.metadata.deletionTimestamp || !(pvc.metadata.finalizers ?? []).includes(PVC_PROTECTION_FINALIZER)) return;
    if (await inUse(pvc, key)) return;
    const finalizers = (pvc.metadata.finalizers ?? []).filter((f) => f !== PVC_PROTECTION_FINALIZER);
    // the cached resourceVersion makes a stale view fail with a conflict (and retry) rather than win
    await client.update(R.persistentvolumeclaims, pvc.metadata.namespace, { ...pvc, metadata: { ...pvc.metadata, finalizers } }).catch((err: { code?: number }) => {
      if (err.code !== 404) throw err;
    });
  }
  return startQueueController(qc, offs);
}
