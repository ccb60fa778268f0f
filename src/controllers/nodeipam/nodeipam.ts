/** Node IPAM: each node gets spec.podCIDR(s), a /24 (by default) of the cluster CIDR. */
import type { Node } from "../../client/types.ts";
import { R } from "../../client/resources.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";
import { CIDRAllocator } from "./cidrs.ts";

/** Starts the allocator once the node cache is complete (so held CIDRs are known). */
export async function startNodeIpamController(ctx: ControllerContext): Promise<RunningController> {
  const v4 = ctx.settings.clusterCIDR.split(",").map((c) => c.trim()).find((c) => !c.includes(":"));
  if (!v4) return { stop: async () => undefined };
  const alloc = new CIDRAllocator(v4, ctx.settings.nodeCIDRMaskSize);
  const nodeInformer = ctx.factory.informerFor<Node>(R.nodes);
  const recorder = ctx.recorder("node-controller");
  const qc = new QueueController({ name: "node-ipam-controller", workers: 1, sync });
  const off = nodeInformer.addEventHandler({
    add: (n) => {
      if (n.spec?.podCIDR) alloc.occupy(n.spec.podCIDR);
      else qc.enqueue(n);
    },
    update: (_o, n) => {
      if (n.spec?.podCIDR) alloc.occupy(n.spec.podCIDR);
      else qc.enqueue(n);
    },
    delete: (n) => {
      if (n.spec?.podCIDR) alloc.release(n.spec.podCIDR);
    },
  });
  ctx.factory.start();
  await nodeInformer.waitForSync();

  async function sync(name: string): Promise<void> {
    const node = nodeInformer.store.get(name);
    if (!node || node.spec?.podCIDR) return;
    const cidr = alloc.allocate();
    if (!cidr) {
      recorder.event({ ...node, apiVersion: "v1", kind: "Node" }, "Normal", "CIDRNotAvailable", `Node ${name} status is now: CIDRNotAvailable`);
      return;
    }
    try {
      await ctx.client.patch(R.nodes, undefined, name, "merge", { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
    } catch (err) {
      alloc.release(cidr);
      if ((err as { code?: number }).code === 404) return;
      throw err;
    }
  }
  return startQueueController(qc, [off]);
}
