/**
 * batch/v1 validation: Job ranges, completion modes, pod failure and success
 * policies, generated selectors, immutable fields; CronJob schedules, time
 * zones and job templates; each with upstream's field path and wording.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../types.ts";
import { ctx, edit, kinds, lines } from "./testsupport.ts";
import { validateCronJob, validateJob } from "./batch.ts";
import { cronScheduleError } from "./cron.ts";
import { indexesError } from "./jobspec.ts";

const podTemplate = { spec: { containers: [{ name: "main", image: "busybox" }], restartPolicy: "Never" } };

/** A Job as the REST core has it before validation: defaulted, then prepared (generated selector). */
function job(spec: Record<string, unknown>, name = "pi"): KubeObject {
  const o: KubeObject = { apiVersion: "batch/v1", kind: "Job", metadata: { name, namespace: "default", uid: "u-1" }, spec: { template: structuredClone(podTemplate), ...structuredClone(spec) } };
  const def = kinds.find((k) => k.kind === "Job")!;
  def.defaults!(o);
  def.prepareForCreate!(o, ctx);
  return o;
}

test("job: ranges, restart policy and completion mode rules", () => {
  assert.deepEqual(validateJob(job({})), []);
  assert.deepEqual(lines(validateJob(job({ parallelism: -1, backoffLimit: -1, ttlSecondsAfterFinished: -5, activeDeadlineSeconds: -1 }))), [
    "FieldValueInvalid spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
    "FieldValueInvalid spec.activeDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0",
    "FieldValueInvalid spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0",
    "FieldValueInvalid spec.ttlSecondsAfterFinished: Invalid value: -5: must be greater than or equal to 0",
  ]);
  const always = job({ template: { spec: { containers: [{ name: "main", image: "busybox" }] } } });
  assert.deepEqual(lines(validateJob(always)), ['FieldValueRequired spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  assert.deepEqual(lines(validateJob(job({ completionMode: "Sparse" }))), ['FieldValueNotSupported spec.completionMode: Unsupported value: "Sparse": supported values: "NonIndexed", "Indexed"']);
  assert.deepEqual(lines(validateJob(job({ completionMode: "Indexed", parallelism: 2 }))), ["FieldValueRequired spec.completions: Required value: when completion mode is Indexed"]);
  assert.deepEqual(lines(validateJob(job({ backoffLimitPerIndex: 1, maxFailedIndexes: 2 }))), [
    "FieldValueInvalid spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode",
    "FieldValueInvalid spec.maxFailedIndexes: Invalid value: 2: requires indexed completion mode",
  ]);
  const long = job({ completionMode: "Indexed", completions: 100 }, "a".repeat(61));
  assert.deepEqual(lines(validateJob(long)), [`FieldValueInvalid metadata.name: Invalid value: "${"a".repeat(61)}": will not able to create pod with invalid DNS label: ${"a".repeat(61)}-99`]);
});

test("job: pod failure policy and success policy rules", () => {
  const pfp = job({ podFailurePolicy: { rules: [
    { action: "FailJob", onExitCodes: { operator: "In", values: [3, 0, 3], containerName: "other" } },
    { action: "Retry", onPodConditions: [{ type: "DisruptionTarget" }] },
    { action: "Ignore" },
  ] } });
  assert.deepEqual(lines(validateJob(pfp)), [
    'FieldValueInvalid spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "other": must be one of the container or initContainer names in the pod template',
    "FieldValueInvalid spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator",
    "FieldValueDuplicate spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3",
    "FieldValueInvalid spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [3,0,3]: must be ordered",
    'FieldValueNotSupported spec.podFailurePolicy.rules[1].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"',
    'FieldValueRequired spec.podFailurePolicy.rules[1].onPodConditions[0].status: Required value: valid values: ["False" "True" "Unknown"]',
    "FieldValueInvalid spec.podFailurePolicy.rules[2]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required",
  ]);
  const onFailure = job({ podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }] } });
  (onFailure.spec as any).template.spec.restartPolicy = "OnFailure";
  assert.deepEqual(lines(validateJob(onFailure)), ['FieldValueInvalid spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified']);
  assert.deepEqual(lines(validateJob(job({ successPolicy: { rules: [{ succeededCount: 1 }] } }))), [
    'FieldValueInvalid spec.successPolicy: Invalid value: {"rules":[{"succeededCount":1}]}: requires indexed completion mode',
  ]);
  const indexed = job({ completionMode: "Indexed", completions: 5, parallelism: 5, successPolicy: { rules: [{ succeededIndexes: "0-2,4", succeededCount: 6 }, {}] } });
  assert.deepEqual(lines(validateJob(indexed)), [
    "FieldValueInvalid spec.successPolicy.rules[0].succeededCount: Invalid value: 6: must be less than or equal to 5 (the number of specified completions)",
    "FieldValueInvalid spec.successPolicy.rules[0].succeededCount: Invalid value: 6: must be less than or equal to 4 (the number of indexes in the specified succeededIndexes field)",
    "FieldValueRequired spec.successPolicy.rules[1]: Required value: at least one of succeededCount or succeededIndexes must be specified",
  ]);
  assert.deepEqual(indexesError("1,3-5", 6), { total: 4 });
  assert.equal(indexesError("3,1", 6).error, "non-increasing order, previous: 3, current: 1");
  assert.equal(indexesError("9", 6).error, 'too large index: "9"');
});

test("job: generated selector checked on create; selector, template, completions immutable on update", () => {
  const j = job({});
  const foreign = edit(j, (s) => { s.selector = { matchLabels: { "batch.kubernetes.io/controller-uid": "other" } }; s.template.metadata.labels["batch.kubernetes.io/controller-uid"] = "other"; });
  assert.deepEqual(lines(validateJob(foreign)), [
    'FieldValueInvalid spec.template.metadata.labels[batch.kubernetes.io/controller-uid]: Invalid value: {"batch.kubernetes.io/controller-uid":"other","batch.kubernetes.io/job-name":"pi","controller-uid":"u-1","job-name":"pi"}: must be \'u-1\'',
    'FieldValueInvalid spec.selector: Invalid value: {"matchLabels":{"batch.kubernetes.io/controller-uid":"other"}}: `selector` not auto-generated',
  ]);
  const image = edit(j, (s) => { s.template.spec.containers[0].image = "alpine"; });
  assert.match(lines(validateJob(image, j))[0], /^FieldValueInvalid spec\.template: Invalid value: .*: field is immutable$/);
  assert.deepEqual(lines(validateJob(edit(j, (s) => { s.completions = 3; }), j)), ["FieldValueInvalid spec.completions: Invalid value: 3: field is immutable"]);
  // a suspended job that never ran may still be placed elsewhere
  const suspended = edit(j, (s) => { s.suspend = true; });
  const moved = edit(suspended, (s) => { s.template.spec.nodeSelector = { zone: "b" }; });
  assert.deepEqual(validateJob(moved, suspended), []);
  assert.equal(validateJob(moved, j).length, 1);
  // elastic Indexed Jobs scale completions and parallelism together
  const idx = job({ completionMode: "Indexed", completions: 3, parallelism: 3 });
  assert.deepEqual(validateJob(edit(idx, (s) => { s.completions = 5; s.parallelism = 5; }), idx), []);
  assert.deepEqual(lines(validateJob(edit(idx, (s) => { s.completions = 5; }), idx)), ["FieldValueInvalid spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism"]);
});

function cron(spec: Record<string, unknown>, name = "report"): KubeObject {
  const o: KubeObject = { apiVersion: "batch/v1", kind: "CronJob", metadata: { name, namespace: "default" }, spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: structuredClone(podTemplate) } }, ...spec } };
  kinds.find((k) => k.kind === "CronJob")!.defaults!(o);
  return o;
}

test("cronjob: schedule syntax, TZ rules, time zone, policies, job template and name length", () => {
  assert.deepEqual(validateCronJob(cron({ timeZone: "Etc/UTC" })), []);
  for (const ok of ["@hourly", "@every 1h30m", "*/5 * * * *", "0 0 1-15/2 jan,jun MON-FRI", "? * * * ?"]) assert.equal(cronScheduleError(ok), undefined, ok);
  assert.deepEqual(lines(validateCronJob(cron({ schedule: "0 3 * *" }))), ['FieldValueInvalid spec.schedule: Invalid value: "0 3 * *": expected exactly 5 fields, found 4: [0 3 * *]']);
  assert.equal(cronScheduleError("61 * * * *"), "end of range (61) above maximum (59): 61");
  assert.equal(cronScheduleError("* * 0 * *"), "beginning of range (0) below minimum (1): 0");
  assert.equal(cronScheduleError("5-1 * * * *"), "beginning of range (5) beyond end of range (1): 5-1");
  assert.equal(cronScheduleError("@fortnightly"), "unrecognized descriptor: @fortnightly");
  assert.equal(cronScheduleError("x * * * *"), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
  assert.deepEqual(lines(validateCronJob(cron({ schedule: "TZ=UTC 0 3 * * *" }))), [
    'FieldValueInvalid spec.schedule: Invalid value: "TZ=UTC 0 3 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
  ]);
  const legacy = cron({ schedule: "TZ=UTC 0 3 * * *" });
  assert.deepEqual(validateCronJob(legacy, legacy), [], "objects that already had TZ keep it");
  assert.deepEqual(lines(validateCronJob(cron({ timeZone: "Mars/Olympus" }))), ['FieldValueInvalid spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
  assert.deepEqual(lines(validateCronJob(cron({ timeZone: "Local" }))), ['FieldValueInvalid spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones']);
  assert.deepEqual(lines(validateCronJob(cron({ concurrencyPolicy: "Sometimes", successfulJobsHistoryLimit: -1, startingDeadlineSeconds: -3 }))), [
    "FieldValueInvalid spec.startingDeadlineSeconds: Invalid value: -3: must be greater than or equal to 0",
    'FieldValueNotSupported spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    "FieldValueInvalid spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
  ]);
  const manual = cron({});
  Object.assign((manual.spec as any).jobTemplate.spec, { manualSelector: true, selector: { matchLabels: { a: "b" } } });
  assert.deepEqual(lines(validateCronJob(manual)), [
    'FieldValueInvalid spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
    'FieldValueNotSupported spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
  ]);
  const long = cron({}, "r".repeat(53));
  assert.deepEqual(lines(validateCronJob(long)), [`FieldValueInvalid metadata.name: Invalid value: "${"r".repeat(53)}": must be no more than 52 characters`]);
  assert.deepEqual(validateCronJob(long, long), [], "only creates are held to 52 characters");
});
