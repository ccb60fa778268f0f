/**
 * The Job controller: keeps min(parallelism, remaining completions) pods
 * running, counts successes and failures (backoffLimit, activeDeadlineSeconds,
 * podFailurePolicy basics), Indexed completion mode, suspend, and the
 * Complete/Failed conditions.
 */
import type { KubeObject } from "../../api/types.ts";
import type { Condition, Pod, PodTemplateSpec } from "../../client/types.ts";
import { R } from "../../client/resources.ts";
import { objectKey } from "../../client/store.ts";
import { Lister } from "../../client/lister.ts";
import { selectorFromLabelSelector, type LabelSelector } from "../../client/selectors.ts";
import { adoptPatch, controllerRef, isControlledBy, newControllerRef } from "../util/owners.ts";
import { isPodReady, nowISO } from "../util/pods.ts";
import { Expectations } from "../util/expectations.ts";
import { canonicalJSON } from "../util/hash.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";
import { withKind } from "../util/typemeta.ts";
import { formatIndexes, parseIndexes } from "./indexes.ts";

const INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";
const INDEX_LABEL = "batch.kubernetes.io/job-completion-index";
const GVK = { apiVersion: "batch/v1", kind: "Job" };

interface PodFailurePolicyRule {
  action: "FailJob" | "Ignore" | "Count" | "FailIndex";
  onExitCodes?: { containerName?: string; operator: "In" | "NotIn"; values: number[] };
  onPodConditions?: { type: string; status?: string }[];
}

export interface Job extends KubeObject {
  spec: {
    parallelism?: number;
    completions?: number | null;
    backoffLimit?: number;
    activeDeadlineSeconds?: number;
    completionMode?: "NonIndexed" | "Indexed";
    suspend?: boolean;
    selector?: LabelSelector;
    template: PodTemplateSpec;
    podFailurePolicy?: { rules: PodFailurePolicyRule[] };
    ttlSecondsAfterFinished?: number;
  };
  status?: {
    active?: number;
    succeeded?: number;
    failed?: number;
    ready?: number;
    terminating?: number;
    startTime?: string;
    completionTime?: string;
    completedIndexes?: string;
    conditions?: Condition[];
    [k: string]: unknown;
  };
}

/** Whether a Job has a Complete or Failed condition. */
export function jobFinished(job: Job): "Complete" | "Failed" | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === "Complete" || c.type === "Failed") && c.status === "True") return c.type;
  }
  return undefined;
}

/** Which podFailurePolicy rule a failed pod matches (undefined = none, counts as usual). */
export function matchFailurePolicy(job: Job, pod: Pod): PodFailurePolicyRule | undefined {
  for (const rule of job.spec.podFailurePolicy?.rules ?? []) {
    if (rule.onExitCodes) {
      const { containerName, operator, values } = rule.onExitCodes;
      const codes = (pod.status?.containerStatuses ?? [])
        .filter((cs) => !containerName || cs.name === containerName)
        .map((cs) => (cs.state as { terminated?: { exitCode?: number } } | undefined)?.terminated?.exitCode)
        .filter((c): c is number => c !== undefined && c !== 0);
      if (codes.some((c) => (operator === "In" ? values.includes(c) : !values.includes(c)))) return rule;
    }
    if (rule.onPodConditions) {
      const conds = pod.status?.conditions ?? [];
      if (rule.onPodConditions.some((pc) => conds.some((c) => c.type === pc.type && c.status === (pc.status ?? "True")))) return rule;
    }
  }
  return undefined;
}

function indexOf(pod: Pod): number | undefined {
  const v = pod.metadata.annotations?.[INDEX_ANNOTATION] ?? pod.metadata.labels?.[INDEX_LABEL];
  return v === undefined ? undefined : Number(v);
}

function condition(type: string, reason: string, message: string): Condition {
  const now = nowISO();
  return { type, status: "True", reason, message, lastProbeTime: now, lastTransitionTime: now };
}

/** Starts the controller. */
export function startJobController(ctx: ControllerContext): RunningController {
  const { client } = ctx;
  const jobInformer = ctx.factory.informerFor<Job>(R.jobs);
  const podInformer = ctx.factory.informerFor<Pod>(R.pods);
  const jobLister = new Lister(jobInformer);
  const podLister = new Lister(podInformer);
  const expectations = new Expectations();
  const recorder = ctx.recorder("job-controller");
  const qc = new QueueController({ name: "job-controller", workers: 4, sync });

  function ownerKey(pod: Pod): string | undefined {
    const ref = controllerRef(pod);
    if (ref?.kind !== "Job") return undefined;
    const job = jobLister.get(pod.metadata.namespace, ref.name);
    return job?.metadata.uid === ref.uid ? objectKey(job) : undefined;
  }
  const offs = [
    jobInformer.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n), delete: (j) => expectations.delete(objectKey(j)) }),
    podInformer.addEventHandler({
      add(p) {
        const k = ownerKey(p);
        if (k) {
          expectations.creationObserved(k);
          qc.queue.add(k);
        }
      },
      update(o, p) {
        const k = ownerKey(p);
        if (!k) return;
        if (p.metadata.deletionTimestamp && !o.metadata.deletionTimestamp) expectations.deletionObserved(k, objectKey(p));
        qc.queue.add(k);
      },
      delete(p) {
        const k = ownerKey(p);
        if (k) {
          expectations.deletionObserved(k, objectKey(p));
          qc.queue.add(k);
        }
      },
    }),
  ];

  function podFromTemplate(job: Job, index: number | undefined): Pod {
    const t = structuredClone(job.spec.template);
    const annotations = { ...(t.metadata?.annotations ?? {}) };
    const labels = { ...(t.metadata?.labels ?? {}) };
    const spec = t.spec;
    if (index !== undefined) {
      annotations[INDEX_ANNOTATION] = String(index);
      labels[INDEX_LABEL] = String(index);
      spec.hostname = `${job.metadata.name}-${index}`;
      const env = { name: "JOB_COMPLETION_INDEX", valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${INDEX_ANNOTATION}']` } } };
      for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
        const list = ((c.env as unknown[] | undefined) ?? []).filter((e) => (e as { name?: string }).name !== "JOB_COMPLETION_INDEX");
        c.env = [...list, env];
      }
    }
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        generateName: index !== undefined ? `${job.metadata.name}-${index}-` : `${job.metadata.name}-`,
        namespace: job.metadata.namespace,
        labels,
        annotations,
        ownerReferences: [newControllerRef(job, GVK)],
      },
      spec,
    };
  }

  async function claim(job: Job): Promise<Pod[]> {
    const sel = selectorFromLabelSelector(job.spec.selector);
    const out: Pod[] = [];
    for (const pod of podLister.list(job.metadata.namespace ?? "")) {
      if (isControlledBy(pod, job.metadata.uid)) out.push(pod);
      else if (!controllerRef(pod) && sel.matches(pod.metadata.labels) && !jobFinished(job) && !pod.metadata.deletionTimestamp) {
        try {
          out.push(await client.patch<Pod>(R.pods, pod.metadata.namespace, pod.metadata.name ?? "", "merge", adoptPatch(pod, newControllerRef(job, GVK))));
        } catch {
          // next sync
        }
      }
    }
    return out;
  }

  async function deletePods(job: Job, key: string, pods: Pod[]): Promise<void> {
    if (pods.length === 0) return;
    expectations.expectDeletions(key, pods.map(objectKey));
    await Promise.all(
      pods.map(async (p) => {
        try {
          await client.delete(R.pods, p.metadata.namespace, p.metadata.name ?? "", { propagationPolicy: "Background" });
          recorder.event(withKind(job, GVK), "Normal", "SuccessfulDelete", `Deleted pod: ${p.metadata.name}`);
        } catch {
          expectations.deletionObserved(key, objectKey(p));
        }
      }),
    );
  }

  async function sync(key: string): Promise<void> {
    const job = jobInformer.store.get(key);
    if (!job || job.metadata.deletionTimestamp) return;
    const pods = await claim(job);
    const active = pods.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
    const succeededPods = pods.filter((p) => p.status?.phase === "Succeeded");
    const failedPods = pods.filter((p) => p.status?.phase === "Failed");
    const indexed = job.spec.completionMode === "Indexed";
    const completions = job.spec.completions ?? null;
    const parallelism = job.spec.parallelism ?? 1;
    const prev = job.status ?? {};
    const status: NonNullable<Job["status"]> = { ...prev };
    let conditions = [...(prev.conditions ?? [])];
    const finished = jobFinished(job);

    // failures that a podFailurePolicy rule ignores do not count
    let failJobRule: PodFailurePolicyRule | undefined;
    let failJobPod: Pod | undefined;
    const counted = failedPods.filter((p) => {
      const rule = matchFailurePolicy(job, p);
      if (rule?.action === "FailJob" && !failJobRule) {
        failJobRule = rule;
        failJobPod = p;
      }
      return rule?.action !== "Ignore";
    });
    const completed = indexed
      ? new Set([...parseIndexes(prev.completedIndexes), ...succeededPods.map(indexOf).filter((i): i is number => i !== undefined && (completions === null || i < completions))])
      : undefined;
    const succeeded = indexed ? completed!.size : Math.max(succeededPods.length, prev.succeeded ?? 0);
    const failed = Math.max(counted.length, prev.failed ?? 0);

    if (!finished && !job.spec.suspend && !status.startTime) status.startTime = nowISO();
    let failure: { reason: string; message: string } | undefined;
    if (!finished) {
      if (failJobRule) {
        failure = { reason: "PodFailurePolicy", message: `Pod ${failJobPod!.metadata.namespace}/${failJobPod!.metadata.name} has condition or exit code matching FailJob rule` };
      } else if (failed > (job.spec.backoffLimit ?? 6)) {
        failure = { reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" };
      } else if (job.spec.activeDeadlineSeconds && status.startTime && !job.spec.suspend) {
        const left = Date.parse(status.startTime) + job.spec.activeDeadlineSeconds * 1000 - Date.now();
        if (left <= 0) failure = { reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" };
        else qc.queue.addAfter(key, left + 50);
      }
    }
    const complete =
      !finished &&
      !failure &&
      (completions === null ? succeeded > 0 && active.length === 0 : indexed ? completed!.size >= completions : succeeded >= completions);

    if (finished || failure || complete) {
      await deletePods(job, key, active);
      if (failure) {
        conditions = [...conditions.filter((c) => c.type !== "FailureTarget" && c.type !== "Failed"), condition("FailureTarget", failure.reason, failure.message), condition("Failed", failure.reason, failure.message)];
        recorder.event(withKind(job, GVK), "Warning", failure.reason, failure.message);
      } else if (complete) {
        conditions = [...conditions.filter((c) => c.type !== "SuccessCriteriaMet" && c.type !== "Complete"), condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"), condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods")];
        status.completionTime = nowISO();
        recorder.event(withKind(job, GVK), "Normal", "Completed", "Job completed");
      }
    } else if (expectations.satisfied(key)) {
      await manage(job, key, active, { succeeded, completed, completions, parallelism, indexed });
    }
    const suspended = conditions.find((c) => c.type === "Suspended");
    if (job.spec.suspend && suspended?.status !== "True" && !finished) {
      conditions = [...conditions.filter((c) => c.type !== "Suspended"), condition("Suspended", "JobSuspended", "Job suspended")];
      recorder.event(withKind(job, GVK), "Normal", "Suspended", "Job suspended");
    } else if (!job.spec.suspend && suspended?.status === "True") {
      conditions = conditions.map((c) => (c.type === "Suspended" ? { ...c, status: "False" as const, reason: "JobResumed", message: "Job resumed", lastTransitionTime: nowISO() } : c));
      recorder.event(withKind(job, GVK), "Normal", "Resumed", "Job resumed");
    }
    status.active = finished || failure || complete ? 0 : active.length;
    status.ready = active.filter(isPodReady).length;
    status.succeeded = succeeded;
    status.failed = failed;
    status.terminating = pods.filter((p) => p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed").length;
    if (indexed) status.completedIndexes = formatIndexes(completed!);
    status.conditions = conditions.length ? conditions : undefined;
    if (canonicalJSON(status) !== canonicalJSON(prev)) {
      await client.update(R.jobs, job.metadata.namespace, { ...job, status }, { subresource: "status" });
    }
  }

  async function manage(job: Job, key: string, active: Pod[], s: { succeeded: number; completed?: Set<number>; completions: number | null; parallelism: number; indexed: boolean }): Promise<void> {
    let want = job.spec.suspend ? 0 : s.parallelism;
    if (s.completions !== null) want = Math.min(want, Math.max(0, s.completions - s.succeeded));
    else if (s.succeeded > 0) want = 0;
    if (active.length > want) {
      // the newest go first
      const victims = [...active].sort((a, b) => (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? "")).slice(0, active.length - want);
      await deletePods(job, key, victims);
      return;
    }
    const toCreate: (number | undefined)[] = [];
    if (s.indexed) {
      const running = new Set(active.map(indexOf));
      for (let i = 0; i < (s.completions ?? 0) && toCreate.length < want - active.length; i++) {
        if (!s.completed!.has(i) && !running.has(i)) toCreate.push(i);
      }
    } else {
      for (let i = active.length; i < want; i++) toCreate.push(undefined);
    }
    if (toCreate.length === 0) return;
    expectations.expectCreations(key, toCreate.length);
    const results = await Promise.allSettled(toCreate.map((i) => client.create<Pod>(R.pods, job.metadata.namespace, podFromTemplate(job, i))));
    let failures = 0;
    for (const r of results) {
      if (r.status === "fulfilled") recorder.event(withKind(job, GVK), "Normal", "SuccessfulCreate", `Created pod: ${r.value.metadata.name}`);
      else failures++;
    }
    if (failures) {
      expectations.lowerCreations(key, failures);
      const err = (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as Error;
      recorder.event(withKind(job, GVK), "Warning", "FailedCreate", `Error creating: ${err.message}`);
      throw err;
    }
  }

  return startQueueController(qc, offs);
}
