/** The ServiceAccount controller: every active namespace has a "default" ServiceAccount. */
import type { KubeObject } from "../../api/types.ts";
import { R } from "../../client/resources.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";

/** Starts the controller. */
export function startServiceAccountController(ctx: ControllerContext): RunningController {
  const nsInformer = ctx.factory.informerFor(R.namespaces);
  const saInformer = ctx.factory.informerFor(R.serviceaccounts);
  const qc = new QueueController({ name: "serviceaccount-controller", sync });
  const offs = [
    nsInformer.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n) }),
    saInformer.addEventHandler({
      delete: (sa) => {
        if (sa.metadata.name === "default" && sa.metadata.namespace) qc.queue.add(sa.metadata.namespace);
      },
    }),
  ];
  async function sync(ns: string): Promise<void> {
    const namespace = nsInformer.store.get(ns);
    if (!namespace || namespace.metadata.deletionTimestamp || (namespace.status as { phase?: string } | undefined)?.phase === "Terminating") return;
    if (saInformer.store.get(`${ns}/default`)) return;
    const sa: KubeObject = { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: ns } };
    try {
      await ctx.client.create(R.serviceaccounts, ns, sa);
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }
  return startQueueController(qc, offs);
}
