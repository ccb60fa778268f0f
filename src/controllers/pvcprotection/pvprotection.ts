/**
 * The pv-protection controller (upstream pkg/controller/volume/pvprotection):
 * a PersistentVolume being deleted keeps its kubernetes.io/pv-protection
 * finalizer while its status says Bound, and loses it once the volume is
 * released (the binder moves it on when its claim goes), so the delete ends.
 */
import type { KubeObject } from "../../api/types.ts";
import { R } from "../../client/resources.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";

/** The finalizer that keeps a bound volume from going away. */
export const PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection";

/** Starts the controller. */
export function startPVProtectionController(ctx: ControllerContext): RunningController {
  const volumes = ctx.factory.informerFor<KubeObject>(R.persistentvolumes);
  const qc = new QueueController({ name: "pv-protection-controller", sync });
  const off = volumes.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n) });

  async function sync(key: string): Promise<void> {
    const pv = volumes.store.get(key);
    if (!pv?.metadata.deletionTimestamp || !(pv.metadata.finalizers ?? []).includes(PV_PROTECTION_FINALIZER)) return;
    if ((pv.status as { phase?: string } | undefined)?.phase === "Bound") return;
    const finalizers = (pv.metadata.finalizers ?? []).filter((f) => f !== PV_PROTECTION_FINALIZER);
    await ctx.client.update(R.persistentvolumes, undefined, { ...pv, metadata: { ...pv.metadata, finalizers } }).catch((err: { code?: number }) => {
      if (err.code !== 404) throw err;
    });
  }
  return startQueueController(qc, [off]);
}
