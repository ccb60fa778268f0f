/** batch/v1 kinds. */
import { randomUUID } from "node:crypto";
import type { FieldError, KindDef, StrategyContext } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { asMap, asMaps, asNumber, asString, ensureMap, setDefaults } from "../access.ts";
import { defaultPodTemplate, validatePodTemplate } from "../pods.ts";
import { AGE, NAME, age, col, humanDuration, since } from "../printing.ts";
import { immutable, invalid, nonNegative, notSupported, required, selectorMatches } from "../validation.ts";
import { workloadWideCells } from "../workloads.ts";
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

function validateJobTemplate(spec: Record<string, unknown>, path: string): FieldError[] {
  const errs = validatePodTemplate(spec.template, { path: `${path}.template` });
  const rp = asMap(asMap(spec.template)?.spec)?.restartPolicy;
  if (rp !== "OnFailure" && rp !== "Never") {
    if (rp === undefined || rp === "") errs.push(required(`${path}.template.spec.restartPolicy`, `valid values: "OnFailure", "Never"`));
    else errs.push(notSupported(`${path}.template.spec.restartPolicy`, { value: rp, supported: ["OnFailure", "Never"] }));
  }
  errs.push(...nonNegative(spec.parallelism, `${path}.parallelism`));
  errs.push(...nonNegative(spec.completions, `${path}.completions`));
  errs.push(...nonNegative(spec.backoffLimit, `${path}.backoffLimit`));
  const ads = asNumber(spec.activeDeadlineSeconds);
  if (ads !== undefined && ads <= 0) errs.push(invalid(`${path}.activeDeadlineSeconds`, { value: ads, detail: "must be greater than or equal to 1" }));
  if (spec.completionMode !== undefined && !["Indexed", "NonIndexed"].includes(asString(spec.completionMode))) {
    errs.push(notSupported(`${path}.completionMode`, { value: spec.completionMode, supported: ["NonIndexed", "Indexed"] }));
  }
  return errs;
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

function validateJob(obj: KubeObject, old: KubeObject | undefined, ctx: StrategyContext): FieldError[] {
  if (ctx.subresource === "status") return [];
  const spec = asMap(obj.spec) ?? {};
  const errs = validateJobTemplate(spec, "spec");
  const sel = asMap(spec.selector);
  if (!sel && (spec.manualSelector === true || old)) errs.push(required("spec.selector"));
  const labels = asMap(asMap(asMap(spec.template)?.metadata)?.labels) as Record<string, string> | undefined;
  if (sel && !selectorMatches(sel, labels)) errs.push(invalid("spec.template.metadata.labels", { value: labels ?? {}, detail: "`selector` does not match template `labels`" }));
  if (old) {
    const oldSpec = asMap(old.spec) ?? {};
    errs.push(...immutable("spec.selector", { value: spec.selector, old: oldSpec.selector }));
    errs.push(...immutable("spec.completionMode", { value: spec.completionMode, old: oldSpec.completionMode }));
    const mutableSched = old && asMap(old.spec)?.suspend === true;
    const strip = (t: unknown) => {
      const c = structuredClone(asMap(t) ?? {});
      if (mutableSched) {
        const s = asMap(c.spec);
        if (s) for (const k of ["nodeSelector", "affinity", "tolerations", "schedulingGates"]) delete s[k];
        const m = asMap(c.metadata);
        if (m) { delete m.labels; delete m.annotations; }
      }
      return JSON.stringify(c);
    };
    if (strip(spec.template) !== strip(oldSpec.template)) errs.push(invalid("spec.template", { value: spec.template, detail: "field is immutable" }));
  }
  return errs;
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

const SCHEDULE_FIELDS = 5;

function validateSchedule(schedule: string): string | undefined {
  const s = schedule.trim();
  if (!s) return "empty";
  if (s.startsWith("@")) {
    return ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"].includes(s) || s.startsWith("@every ") ? undefined : `unrecognized descriptor: ${s}`;
  }
  const fields = s.replace(/^(TZ|CRON_TZ)=\S+\s+/, "").split(/\s+/);
  return fields.length === SCHEDULE_FIELDS ? undefined : `expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`;
}

/** The batch/v1 kinds. */
export function batchKinds(): KindDef[] {
  return [
    define({
      ...batch, kind: "Job", resource: "jobs", namespaced: true, categories: ["all"], statusSubresource: true,
      defaults: (obj) => defaultJobSpec(ensureMap(obj, "spec")),
      validateSpec: validateJob,
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
      nameRule: (n) => (n.length > 52 ? ["must be no more than 52 characters"] : []).concat(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(n) ? [] : ["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]),
      defaults(obj) {
        const spec = ensureMap(obj, "spec");
        setDefaults(spec, { concurrencyPolicy: "Allow" });
        if (spec.suspend === undefined) spec.suspend = false;
        setDefaults(spec, { successfulJobsHistoryLimit: 3 });
        setDefaults(spec, { failedJobsHistoryLimit: 1 });
        defaultPodTemplate(asMap(asMap(spec.jobTemplate)?.spec)?.template);
      },
      validateSpec(obj, _old, ctx) {
        if (ctx.subresource === "status") return [];
        const spec = asMap(obj.spec) ?? {};
        const errs: FieldError[] = [];
        const schedule = asString(spec.schedule);
        if (!schedule) errs.push(required("spec.schedule"));
        else {
          const bad = validateSchedule(schedule);
          if (bad) errs.push(invalid("spec.schedule", { value: schedule, detail: bad }));
        }
        if (spec.concurrencyPolicy !== undefined && !["Allow", "Forbid", "Replace"].includes(asString(spec.concurrencyPolicy))) {
          errs.push(notSupported("spec.concurrencyPolicy", { value: spec.concurrencyPolicy, supported: ["Allow", "Forbid", "Replace"] }));
        }
        const jt = asMap(asMap(spec.jobTemplate)?.spec);
        if (!jt) errs.push(required("spec.jobTemplate"));
        else errs.push(...validateJobTemplate(jt, "spec.jobTemplate.spec"));
        errs.push(...nonNegative(spec.startingDeadlineSeconds, "spec.startingDeadlineSeconds"));
        return errs;
      },
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
