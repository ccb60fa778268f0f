/** The disruption controller: PodDisruptionBudget status (healthy pods, disruptions allowed). */
import type { KubeObject } from "../../api/types.ts";
import type { Condition, Pod } from "../../client/types.ts";
import { R } from "../../client/resources.ts";
import { Lister } from "../../client/lister.ts";
import { selectorFromLabelSelector, type LabelSelector } from "../../client/selectors.ts";
import { isPodReady, nowISO } from "../util/pods.ts";
import { canonicalJSON } from "../util/hash.ts";
import { resolveIntOrPercent } from "../deployment/rollout.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";

interface PDB extends KubeObject {
  spec: { selector?: LabelSelector; minAvailable?: number | string; maxUnavailable?: number | string };
  status?: Record<string, unknown> & { conditions?: Condition[] };
}

/** The numbers of a PDB's status from the pods it selects. */
export function budget(pdb: PDB, pods: Pod[]): { expectedPods: number; currentHealthy: number; desiredHealthy: number; disruptionsAllowed: number } {
  const expectedPods = pods.length;
  const currentHealthy = pods.filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp).length;
  let desiredHealthy: number;
  if (pdb.spec.maxUnavailable !== undefined) desiredHealthy = Math.max(0, expectedPods - resolveIntOrPercent(pdb.spec.maxUnavailable, { total: expectedPods, roundUp: true, dflt: "0" }));
  else desiredHealthy = resolveIntOrPercent(pdb.spec.minAvailable ?? 1, { total: expectedPods, roundUp: true, dflt: "1" });
  return { expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy) };
}

/** Starts the controller. */
export function startDisruptionController(ctx: ControllerContext): RunningController {
  const pdbInformer = ctx.factory.informerFor<PDB>(R.poddisruptionbudgets);
  const podInformer = ctx.factory.informerFor<Pod>(R.pods);
  const pdbLister = new Lister(pdbInformer);
  const podLister = new Lister(podInformer);
  const qc = new QueueController({ name: "disruption-controller", sync });
  const byPod = (p: Pod): void => {
    for (const pdb of pdbLister.list(p.metadata.namespace ?? "")) if (selectorFromLabelSelector(pdb.spec.selector).matches(p.metadata.labels)) qc.enqueue(pdb);
  };
  const offs = [
    pdbInformer.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n) }),
    podInformer.addEventHandler({ add: byPod, update: (_o, n) => byPod(n), delete: byPod }),
  ];
  async function sync(key: string): Promise<void> {
    const pdb = pdbInformer.store.get(key);
    if (!pdb) return;
    const pods = podLister.list(pdb.metadata.namespace ?? "", selectorFromLabelSelector(pdb.spec.selector)).filter((p) => p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
    const b = budget(pdb, pods);
    const allowed = b.disruptionsAllowed > 0;
    const prev = pdb.status?.conditions?.find((c) => c.type === "DisruptionAllowed");
    const cond: Condition = {
      type: "DisruptionAllowed",
      status: allowed ? "True" : "False",
      reason: allowed ? "SufficientPods" : "InsufficientPods",
      message: "",
      observedGeneration: pdb.metadata.generation,
      lastTransitionTime: prev && prev.status === (allowed ? "True" : "False") ? prev.lastTransitionTime : nowISO(),
    };
    const status = { ...(pdb.status ?? {}), ...b, observedGeneration: pdb.metadata.generation, disruptedPods: pdb.status?.disruptedPods, conditions: [cond] };
    if (canonicalJSON(status) !== canonicalJSON(pdb.status ?? {})) {
      await ctx.client.update(R.poddisruptionbudgets, pdb.metadata.namespace, { ...pdb, status }, { subresource: "status" });
    }
  }
  return startQueueController(qc, offs);
}
