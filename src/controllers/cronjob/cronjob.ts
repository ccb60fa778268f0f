/**
 * The CronJob controller: creates a Job for the latest missed schedule time
 * (honouring startingDeadlineSeconds, suspend and concurrencyPolicy), tracks
 * active jobs, and keeps the successful/failed history limits.
 */
import type { KubeObject } from "../../api/types.ts";
import { R } from "../../client/resources.ts";
import { Lister } from "../../client/lister.ts";
import { controllerRef, isControlledBy, newControllerRef } from "../util/owners.ts";

import { canonicalJSON } from "../util/hash.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";
import { withKind } from "../util/typemeta.ts";
import { jobFinished, type Job } from "../job/job.ts";
import { nextTime, parseCron, scheduledTimes } from "./cron.ts";

interface CronJob extends KubeObject {
  spec: {
    schedule: string;
    timeZone?: string;
    startingDeadlineSeconds?: number;
    concurrencyPolicy?: "Allow" | "Forbid" | "Replace";
    suspend?: boolean;
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
    jobTemplate: { metadata?: KubeObject["metadata"]; spec: Job["spec"] };
  };
  status?: { active?: { apiVersion?: string; kind: string; name?: string; namespace?: string; uid?: string; resourceVersion?: string }[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
}

const GVK = { apiVersion: "batch/v1", kind: "CronJob" };
const SCHEDULED = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/** Job name for a scheduled time: <cronjob>-<minutes since epoch>, as upstream. */
export function jobNameFor(cronJob: string, scheduled: number): string {
  return `${cronJob}-${Math.floor(scheduled / 60_000)}`;
}

/** Starts the controller. */
export function startCronJobController(ctx: ControllerContext): RunningController {
  const { client } = ctx;
  const cjInformer = ctx.factory.informerFor<CronJob>(R.cronjobs);
  const jobInformer = ctx.factory.informerFor<Job>(R.jobs);
  const cjLister = new Lister(cjInformer);
  const jobLister = new Lister(jobInformer);
  const recorder = ctx.recorder("cronjob-controller");
  const qc = new QueueController({ name: "cronjob-controller", workers: 2, sync });
  const onJob = (j: Job): void => {
    const ref = controllerRef(j);
    if (ref?.kind !== "CronJob") return;
    const cj = cjLister.get(j.metadata.namespace, ref.name);
    if (cj?.metadata.uid === ref.uid) qc.enqueue(cj);
  };
  const offs = [
    cjInformer.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n) }),
    jobInformer.addEventHandler({ add: onJob, update: (_o, n) => onJob(n), delete: onJob }),
  ];

  async function deleteJob(cj: CronJob, job: Job): Promise<void> {
    try {
      await client.delete(R.jobs, job.metadata.namespace, job.metadata.name ?? "", { propagationPolicy: "Background" });
      recorder.event(withKind(cj, GVK), "Normal", "SuccessfulDelete", `Deleted job ${job.metadata.name}`);
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }

  async function sync(key: string): Promise<void> {
    const cj = cjInformer.store.get(key);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const jobs = jobLister.list(cj.metadata.namespace ?? "").filter((j) => isControlledBy(j, cj.metadata.uid) && !j.metadata.deletionTimestamp);
    const status = structuredClone(cj.status ?? {});
    const active = jobs.filter((j) => !jobFinished(j));
    for (const j of jobs) {
      const done = jobFinished(j);
      if (!done) continue;
      const wasActive = (status.active ?? []).some((a) => a.uid === j.metadata.uid);
      if (wasActive) recorder.event(withKind(cj, GVK), "Normal", "SawCompletedJob", `Saw completed job: ${j.metadata.name}, condition: ${done}`);
      if (done === "Complete") {
        const t = j.status?.completionTime;
        if (t && (!status.lastSuccessfulTime || t > status.lastSuccessfulTime)) status.lastSuccessfulTime = t;
      }
    }
    status.active = active.map((j) => ({ apiVersion: "batch/v1", kind: "Job", name: j.metadata.name, namespace: j.metadata.namespace, uid: j.metadata.uid, resourceVersion: j.metadata.resourceVersion }));
    if (status.active.length === 0) delete status.active;

    // history limits, oldest first
    const byStart = (a: Job, b: Job): number => (a.status?.startTime ?? a.metadata.creationTimestamp ?? "").localeCompare(b.status?.startTime ?? b.metadata.creationTimestamp ?? "");
    const succeeded = jobs.filter((j) => jobFinished(j) === "Complete").sort(byStart);
    const failed = jobs.filter((j) => jobFinished(j) === "Failed").sort(byStart);
    for (const j of succeeded.slice(0, Math.max(0, succeeded.length - (cj.spec.successfulJobsHistoryLimit ?? 3)))) await deleteJob(cj, j);
    for (const j of failed.slice(0, Math.max(0, failed.length - (cj.spec.failedJobsHistoryLimit ?? 1)))) await deleteJob(cj, j);

    let schedule;
    try {
      schedule = parseCron(cj.spec.schedule, cj.spec.timeZone);
    } catch (err) {
      recorder.event(withKind(cj, GVK), "Warning", "UnparseableSchedule", `unparseable schedule: ${JSON.stringify(cj.spec.schedule)} : ${(err as Error).message}`);
      return;
    }
    const now = Date.now();
    const since = Date.parse(status.lastScheduleTime ?? cj.metadata.creationTimestamp ?? "") || now;
    const deadline = cj.spec.startingDeadlineSeconds;
    const earliest = deadline !== undefined ? Math.max(since, now - deadline * 1000) : since;
    const missed = scheduledTimes(schedule, { after: earliest, upTo: now });
    if (missed.length > 100) recorder.event(withKind(cj, GVK), "Warning", "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
    const latest = missed[missed.length - 1];
    if (latest !== undefined && !cj.spec.suspend) {
      const name = jobNameFor(cj.metadata.name ?? "", latest);
      const policy = cj.spec.concurrencyPolicy ?? "Allow";
      const exists = jobs.some((j) => j.metadata.name === name);
      if (!exists && policy === "Forbid" && active.length > 0) {
        recorder.event(withKind(cj, GVK), "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
      } else if (!exists) {
        if (policy === "Replace") for (const j of active) await deleteJob(cj, j);
        const tmpl = cj.spec.jobTemplate;
        try {
          const job = await client.create<Job>(R.jobs, cj.metadata.namespace, {
            apiVersion: "batch/v1",
            kind: "Job",
            metadata: {
              name,
              namespace: cj.metadata.namespace,
              labels: { ...(tmpl.metadata?.labels ?? {}) },
              annotations: { ...(tmpl.metadata?.annotations ?? {}), [SCHEDULED]: new Date(latest).toISOString().replace(/\.\d+Z$/, "Z") },
              ownerReferences: [newControllerRef(cj, GVK)],
            },
            spec: structuredClone(tmpl.spec),
          });
          recorder.event(withKind(cj, GVK), "Normal", "SuccessfulCreate", `Created job ${job.metadata.name}`);
          status.active = [...(policy === "Replace" ? [] : status.active ?? []), { apiVersion: "batch/v1", kind: "Job", name: job.metadata.name, namespace: job.metadata.namespace, uid: job.metadata.uid, resourceVersion: job.metadata.resourceVersion }];
        } catch (err) {
          if ((err as { code?: number }).code !== 409) throw err;
        }
        status.lastScheduleTime = new Date(latest).toISOString().replace(/\.\d+Z$/, "Z");
      }
    }
    if (canonicalJSON(status) !== canonicalJSON(cj.status ?? {})) {
      await client.update(R.cronjobs, cj.metadata.namespace, { ...cj, status }, { subresource: "status" });
    }
    // from the last scheduled (or missed) time: an @every schedule counts from there, not from now
    const next = nextTime(schedule, latest ?? earliest);
    if (next !== undefined) qc.queue.addAfter(key, next - now + 100);
  }

  return startQueueController(qc, offs);
}

