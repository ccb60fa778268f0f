/** batch/v1 kinds. */
import { randomUUID } from "node:crypto";
import type { KindDef } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { asMap, asMaps, asNumber, asString, ensureMap, setDefaults } from "../access.ts";
import { defaultPodTemplate } from "../pods.ts";
import { AGE, NAME, age, col, humanDuration, since } from "../printing.ts";
import { workloadWideCells } from "../workloads.ts";
import { validateCronJob, validateJob, validateJobStatus } from "../kindvalidation/mod.ts";
import { define } from "./define.ts";

const batch = { group: "batch", version: "v1" };
const WIDE = [
  col("Containers", { type: "string", description: "Names of each container in the template.", priority: 1 }),
  col("Images", { type: "string", description: "Images referenced by each container in the template.", priority: 1 }),
  col("Selector", { type: "string", description: "Label selector for pods.", priority: 1 }),
];

function hasCondition(obj: KubeObject, type: string): boolean {
  return asMaps(asMap(obj.status)?.conditions).find((c) => c.type === type)?.status === "True";
}

/** Upstream's SetDefaults_Job. */
export function defaultJobSpec(spec: Record<string, unknown>): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefaults(spec, { parallelism: 1 });
  if (spec.backoffLimit === undefined) spec.backoffLimit = spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  setDefaults(spec, { completionMode: "NonIndexed" });
  if (spec.suspend === undefined) spec.suspend = false;
  setDefaults(spec, { podReplacementPolicy: spec.podFailurePolicy ? "Failed" : "TerminatingOrFailed" });
  defaultPodTemplate(spec.template);
}

/** Job strategy on create: generated selector and labels (unless manualSelector), fresh status. */
function prepareJob(obj: KubeObject): void {
  const spec = ensureMap(obj, "spec");
  obj.status = {};
  if (spec.manualSelector === true) return;
  const uid = (obj.metadata.uid ??= randomUUID());
  const name = obj.metadata.name ?? "";
  const t = ensureMap(spec, "template");
  const meta = ensureMap(t, "metadata");
  const labels = (asMap(meta.labels) ?? {}) as Record<string, string>;
  labels["batch.kubernetes.io/controller-uid"] = uid;
  labels["batch.kubernetes.io/job-name"] = name;
  labels["controller-uid"] = uid;
  labels["job-name"] = name;
  meta.labels = labels;
  spec.selector = { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
  // upstream defaults a Job's own labels from its template's whenever it has none
  if (!obj.metadata.labels || Object.keys(obj.metadata.labels).length === 0) obj.metadata.labels = { ...labels };
}

function jobRow(o: KubeObject): unknown[] {
  const spec = asMap(o.spec) ?? {};
  const st = asMap(o.status) ?? {};
  const succeeded = asNumber(st.succeeded) ?? 0;
  let completions: string;
  if (asNumber(spec.completions) !== undefined) completions = `${succeeded}/${asNumber(spec.completions)}`;
  else {
    const par = asNumber(spec.parallelism) ?? 0;
    completions = par > 1 ? `${succeeded}/1 of ${par}` : `${succeeded}/1`;
  }
  let duration = "";
  const start = asString(st.startTime);
  const done = asString(st.completionTime);
  if (start && !done) duration = since(start);
  else if (start && done) duration = humanDuration(Date.parse(done) - Date.parse(start));
  let status = "Running";
  if (hasCondition(o, "Complete")) status = "Complete";
  else if (hasCondition(o, "Failed")) status = "Failed";
  else if (o.metadata.deletionTimestamp) status = "Terminating";
  else if (hasCondition(o, "Suspended")) status = "Suspended";
  else if (hasCondition(o, "FailureTarget")) status = "FailureTarget";
  return [o.metadata.name ?? "", status, completions, duration, age(o), ...workloadWideCells(o)];
}

/** The batch/v1 kinds. */
export function batchKinds(): KindDef[] {
  return [
    define({
      ...batch, kind: "Job", resource: "jobs", namespaced: true, categories: ["all"], statusSubresource: true,
      defaults: (obj) => defaultJobSpec(ensureMap(obj, "spec")),
      validateSpec: (obj, old, ctx) => (ctx.subresource === "status" ? validateJobStatus(obj) : validateJob(obj, old)),
      prepareForCreate: prepareJob,
      prepareForUpdate(obj, old, ctx) {
        if (ctx.subresource === "status") obj.spec = old.spec;
        else if (ctx.subresource === "") obj.status = old.status;
      },
      columns: [NAME, col("Status", { type: "string", description: "Status of the job." }), col("Completions", { type: "string", description: "The completed job" }), col("Duration", { type: "string", description: "Time required to complete the job." }), AGE, ...WIDE],
      row: jobRow,
      selectableFields: (o) => ({ "status.successful": String(asNumber(asMap(o.status)?.succeeded) ?? 0) }),
    }),
    define({
      ...batch, kind: "CronJob", resource: "cronjobs", namespaced: true, shortNames: ["cj"], categories: ["all"], statusSubresource: true,
      defaults(obj) {
        const spec = ensureMap(obj, "spec");
        setDefaults(spec, { concurrencyPolicy: "Allow" });
        if (spec.suspend === undefined) spec.suspend = false;
        setDefaults(spec, { successfulJobsHistoryLimit: 3 });
        setDefaults(spec, { failedJobsHistoryLimit: 1 });
        defaultPodTemplate(asMap(asMap(spec.jobTemplate)?.spec)?.template);
      },
      validateSpec: (obj, old, ctx) => (ctx.subresource === "status" ? [] : validateCronJob(obj, old)),
      prepareForCreate(obj) {
        obj.status = {};
      },
      prepareForUpdate(obj, old, ctx) {
        if (ctx.subresource === "status") obj.spec = old.spec;
        else if (ctx.subresource === "") obj.status = old.status;
      },
      columns: [NAME, col("Schedule", { type: "string", description: "The schedule in Cron format" }), col("Timezone", { type: "string", description: "The time zone name for the given schedule" }), col("Suspend", { type: "boolean", description: "This flag tells the controller to suspend subsequent executions" }),
        col("Active", { type: "integer", description: "A list of pointers to currently running jobs." }), col("Last Schedule", { type: "string", description: "Information when was the last time the job was successfully scheduled." }), AGE, ...WIDE],
      row(o) {
        const spec = asMap(o.spec) ?? {};
        const st = asMap(o.status) ?? {};
        const jt = asMap(asMap(spec.jobTemplate)?.spec) ?? {};
        const wide = workloadWideCells({ metadata: {}, spec: jt });
        const suspend = typeof spec.suspend === "boolean" ? (spec.suspend ? "True" : "False") : "<unset>";
        const last = asString(st.lastScheduleTime) ? since(st.lastScheduleTime) : "<none>";
        return [o.metadata.name ?? "", asString(spec.schedule), asString(spec.timeZone) || "<none>", suspend, asMaps(st.active).length, last, age(o), ...wide];
      },
    }),
  ];
}
