/** TTL after finished: a finished Job with ttlSecondsAfterFinished is deleted (with its pods) once the TTL passes. */
import { R } from "../../client/resources.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";
import { jobFinished, type Job } from "../job/job.ts";

/** When a finished job expires (ms), or undefined when it never does. */
export function expiresAt(job: Job): number | undefined {
  const ttl = job.spec.ttlSecondsAfterFinished;
  if (ttl === undefined || !jobFinished(job)) return undefined;
  const c = job.status?.conditions?.find((x) => (x.type === "Complete" || x.type === "Failed") && x.status === "True");
  const finishedAt = Date.parse(job.status?.completionTime ?? c?.lastTransitionTime ?? "") || Date.now();
  return finishedAt + ttl * 1000;
}

/** Starts the controller. */
export function startTTLAfterFinishedController(ctx: ControllerContext): RunningController {
  const jobInformer = ctx.factory.informerFor<Job>(R.jobs);
  const qc = new QueueController({ name: "ttl-after-finished-controller", sync });
  const off = jobInformer.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n) });
  async function sync(key: string): Promise<void> {
    const job = jobInformer.store.get(key);
    if (!job || job.metadata.deletionTimestamp) return;
    const at = expiresAt(job);
    if (at === undefined) return;
    const left = at - Date.now();
    if (left > 0) return qc.queue.addAfter(key, left + 50);
    await ctx.client
      .delete(R.jobs, job.metadata.namespace, job.metadata.name ?? "", { propagationPolicy: "Foreground", preconditions: { uid: job.metadata.uid } })
      .catch((err: { code?: number }) => {
        if (err.code !== 404 && err.code !== 409) throw err;
      });
  }
  return startQueueController(qc, [off]);
}
