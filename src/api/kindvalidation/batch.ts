/** batch/v1 validation as upstream's pkg/apis/batch/validation (1.32), with the job strategy's options. */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asMap, asNumber, asString } from "../access.ts";
import { dns1123Label, invalid, nonNegative, notSupported, required, selectorMatches, validateLabelSelector } from "../validation.ts";
import { nonNegativeFields, requiredEnum, sameValue, specOf, unchanged } from "./common.ts";
import { cronScheduleError, knownTimeZone } from "./cron.ts";
import { validateJobSpecFields } from "./jobspec.ts";

/** The labels a generated Job selector stands for (upstream's RequirePrefixedLabels is on in 1.32). */
function generatedLabels(obj: KubeObject): Record<string, string> {
  const uid = obj.metadata.uid ?? "";
  const name = obj.metadata.name ?? "";
  return { "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name, "controller-uid": uid, "job-name": name };
}

/** Upstream's validateGeneratedSelector: a generated selector and its labels are what the server made. */
function validateGeneratedSelector(obj: KubeObject, spec: JsonMap): FieldError[] {
  if (spec.manualSelector === true || !asMap(spec.selector)) return [];
  const errs: FieldError[] = obj.metadata.uid ? [] : [required("metadata.uid")];
  const expected = generatedLabels(obj);
  const labels = (asMap(asMap(asMap(spec.template)?.metadata)?.labels) ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(expected)) {
    const field = `spec.template.metadata.labels[${k}]`;
    if (labels[k] === undefined) errs.push(required(field, `must be '${v}'`));
    else if (labels[k] !== v) errs.push(invalid(field, { value: labels, detail: `must be '${v}'` }));
  }
  if (!selectorMatches(spec.selector, expected)) errs.push(invalid("spec.selector", { value: spec.selector, detail: "`selector` not auto-generated" }));
  return errs;
}

/** Upstream's ValidateJobSpec: the spec's own rules, a selector that selects the template. */
function validateJobSpec(spec: JsonMap): FieldError[] {
  const errs = validateJobSpecFields(spec, "spec");
  const sel = asMap(spec.selector);
  if (!sel) return [...errs, required("spec.selector")];
  errs.push(...validateLabelSelector(sel, "spec.selector"));
  const labels = asMap(asMap(asMap(spec.template)?.metadata)?.labels) as Record<string, string> | undefined;
  if (!selectorMatches(sel, labels)) errs.push(invalid("spec.template.metadata.labels", { value: labels ?? {}, detail: "`selector` does not match template `labels`" }));
  return errs;
}

/**
 * A suspended Job that never started may still move: its template's labels,
 * annotations, node selector, tolerations, scheduling gates and node affinity
 * are left out of the template's immutability (AllowMutableSchedulingDirectives).
 */
function schedulingFree(template: unknown): JsonMap {
  const t = structuredClone(asMap(template) ?? {});
  const meta = asMap(t.metadata);
  if (meta) for (const k of ["labels", "annotations"]) delete meta[k];
  const podSpec = asMap(t.spec);
  if (podSpec) {
    for (const k of ["nodeSelector", "tolerations", "schedulingGates"]) delete podSpec[k];
    const affinity = asMap(podSpec.affinity);
    if (affinity) delete affinity.nodeAffinity;
    if (affinity && Object.keys(affinity).length === 0) delete podSpec.affinity;
  }
  return t;
}

function validateTemplateUpdate(spec: JsonMap, oldJob: KubeObject): FieldError[] {
  const oldSpec = specOf(oldJob);
  const free = oldSpec.suspend === true && !asString(asMap(oldJob.status)?.startTime);
  const same = free ? sameValue(schedulingFree(spec.template), schedulingFree(oldSpec.template)) : sameValue(spec.template, oldSpec.template);
  return same ? [] : [invalid("spec.template", { value: spec.template, detail: "field is immutable" })];
}

/** Elastic Indexed Jobs (GA in 1.31) may change completions, but only together with parallelism. */
function validateCompletionsUpdate(spec: JsonMap, oldSpec: JsonMap): FieldError[] {
  if (spec.completionMode !== "Indexed") return unchanged("spec.completions", { value: spec.completions, old: oldSpec.completions });
  if (sameValue(spec.completions, oldSpec.completions) || asNumber(spec.completions) === undefined) return [];
  return spec.completions === spec.parallelism ? [] : [invalid("spec.completions", { value: spec.completions, detail: "can only be modified in tandem with spec.parallelism" })];
}

/** Upstream's ValidateJob / ValidateJobUpdate (spec writes). */
export function validateJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs = validateJobSpec(spec);
  if (!old) {
    errs.push(...validateGeneratedSelector(obj, spec));
    const completions = asNumber(spec.completions);
    if (spec.completionMode === "Indexed" && completions !== undefined && completions > 0) {
      // the controller names pods <job>-<index>, which must stay a DNS label
      const host = `${obj.metadata.name ?? ""}-${completions - 1}`;
      if (dns1123Label(host).length) errs.push(invalid("metadata.name", { value: obj.metadata.name ?? "", detail: `will not able to create pod with invalid DNS label: ${host}` }));
    }
    return errs;
  }
  const oldSpec = specOf(old);
  errs.push(...validateCompletionsUpdate(spec, oldSpec));
  errs.push(...unchanged("spec.selector", { value: spec.selector, old: oldSpec.selector }));
  errs.push(...validateTemplateUpdate(spec, old));
  for (const k of ["completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy"]) {
    errs.push(...unchanged(`spec.${k}`, { value: spec[k], old: oldSpec[k] }));
  }
  return errs;
}

function validateSchedule(spec: JsonMap, oldSpec: JsonMap | undefined): FieldError[] {
  const schedule = asString(spec.schedule);
  if (!schedule) return [required("spec.schedule")];
  const errs: FieldError[] = [];
  const bad = cronScheduleError(schedule);
  if (bad) errs.push(invalid("spec.schedule", { value: schedule, detail: bad }));
  // TZ in the schedule is only tolerated on objects that already had it
  const allowTZ = asString(oldSpec?.schedule).includes("TZ");
  if (allowTZ && schedule.includes("TZ") && spec.timeZone !== undefined && spec.timeZone !== null) {
    errs.push(invalid("spec.schedule", { value: schedule, detail: "cannot use both timeZone field and TZ or CRON_TZ in schedule" }));
  } else if (!allowTZ && schedule.includes("TZ")) {
    errs.push(invalid("spec.schedule", { value: schedule, detail: "cannot use TZ or CRON_TZ in schedule, use timeZone field instead" }));
  }
  return errs;
}

/** Upstream's validateTimeZone: an IANA name, explicit (not "Local"), that exists. */
export function validateTimeZone(tz: unknown): FieldError[] {
  if (tz === undefined || tz === null) return [];
  const zone = asString(tz);
  const field = "spec.timeZone";
  if (!zone) return [invalid(field, { value: zone, detail: "timeZone must be nil or non-empty string" })];
  const badPart = zone.split("/").some((p) => p === "." || p === ".." || p.startsWith("-") || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(p));
  if (badPart) return [invalid(field, { value: zone, detail: `unknown time zone ${zone}` })];
  if (zone.toLowerCase() === "local") return [invalid(field, { value: zone, detail: "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones" })];
  return knownTimeZone(zone) ? [] : [invalid(field, { value: zone, detail: `unknown time zone ${zone}` })];
}

function validateJobTemplate(spec: JsonMap): FieldError[] {
  const jt = asMap(asMap(spec.jobTemplate)?.spec) ?? {};
  const path = "spec.jobTemplate.spec";
  const errs = validateJobSpecFields(jt, path);
  if (asMap(jt.selector)) errs.push(invalid(`${path}.selector`, { value: jt.selector, detail: "`selector` will be auto-generated" }));
  if (jt.manualSelector === true) errs.push(notSupported(`${path}.manualSelector`, { value: true, supported: ["nil", "false"] }));
  return errs;
}

/** Upstream's ValidateCronJobCreate / ValidateCronJobUpdate. */
export function validateCronJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const oldSpec = old ? specOf(old) : undefined;
  const errs = validateSchedule(spec, oldSpec);
  errs.push(...nonNegative(spec.startingDeadlineSeconds, "spec.startingDeadlineSeconds"));
  if (!oldSpec || !sameValue(oldSpec.timeZone, spec.timeZone)) errs.push(...validateTimeZone(spec.timeZone));
  errs.push(...requiredEnum(spec.concurrencyPolicy, "spec.concurrencyPolicy", ["Allow", "Forbid", "Replace"]));
  errs.push(...validateJobTemplate(spec));
  errs.push(...nonNegativeFields(spec, "spec", ["successfulJobsHistoryLimit", "failedJobsHistoryLimit"]));
  // the controller names jobs <cronjob>-<11 characters>: only checked on create, so old long names stay updatable
  const name = obj.metadata.name ?? "";
  if (!old && name.length > 52) errs.push(invalid("metadata.name", { value: name, detail: "must be no more than 52 characters" }));
  return errs;
}
