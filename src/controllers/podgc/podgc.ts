/**
 * Pod GC: deletes terminated pods beyond the threshold (oldest first), pods
 * bound to nodes that no longer exist, and unscheduled pods being deleted.
 */
import type { Node, Pod } from "../../client/types.ts";
import { R } from "../../client/resources.ts";
import type { ControllerContext, RunningController } from "../util/context.ts";

const PERIOD_MS = 20_000;
// a node missing this long is gone, not just late in the cache
const QUARANTINE_MS = 40_000;

/** Starts the collector. */
export function startPodGC(ctx: ControllerContext): RunningController {
  const { client } = ctx;
  const podInformer = ctx.factory.informerFor<Pod>(R.pods);
  const nodeInformer = ctx.factory.informerFor<Node>(R.nodes);
  const missingSince = new Map<string, number>();
  let running = false;

  const force = (p: Pod): Promise<unknown> => client.delete(R.pods, p.metadata.namespace, p.metadata.name ?? "", { gracePeriodSeconds: 0 }).catch(() => undefined);

  async function gc(): Promise<void> {
    if (running || !podInformer.hasSynced() || !nodeInformer.hasSynced()) return;
    running = true;
    try {
      const pods = podInformer.store.list();
      const terminated = pods
        .filter((p) => (p.status?.phase === "Succeeded" || p.status?.phase === "Failed") && !p.metadata.deletionTimestamp)
        .sort((a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? ""));
      const excess = terminated.length - ctx.settings.terminatedPodGCThreshold;
      for (const p of terminated.slice(0, Math.max(0, excess))) await force(p);
      const now = Date.now();
      for (const p of pods) {
        const node = p.spec.nodeName;
        if (!node) {
          if (p.metadata.deletionTimestamp) await force(p);
          continue;
        }
        if (nodeInformer.store.get(node)) {
          missingSince.delete(node);
          continue;
        }
        const since = missingSince.get(node) ?? now;
        missingSince.set(node, since);
        if (now - since >= QUARANTINE_MS) await force(p);
      }
    } finally {
      running = false;
    }
  }
  const timer = setInterval(() => void gc(), PERIOD_MS);
  return {
    async stop() {
      clearInterval(timer);
    },
  };
}
