/** A JobSpec's own rules (upstream's validateJobSpec), shared by Jobs and CronJobs' jobTemplate. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asArray, asMap, asMaps, asNumber, asString } from "../access.ts";
import { validatePodTemplate } from "../pods.ts";
import { duplicate, invalid, notSupported, qualifiedName, required, tooLong } from "../validation.ts";
import { domainPrefixedPath, nonNegativeFields, tooMany } from "./common.ts";

const MAX_INDEXED_PARALLELISM = 100_000;
const MAX_FAILED_INDEXES = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const PARALLELISM_FOR_HIGH_COMPLETIONS = 10_000;
const FAILED_INDEXES_FOR_HIGH_COMPLETIONS = 10_000;
const ACTIONS = ["Count", "FailIndex", "FailJob", "Ignore"];
const CONDITION_STATUSES = ["False", "True", "Unknown"];

function has(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function validateIndexedRules(spec: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const completions = asNumber(spec.completions);
  const parallelism = asNumber(spec.parallelism);
  const maxFailed = asNumber(spec.maxFailedIndexes);
  if (completions === undefined) errs.push(required(`${path}.completions`, "when completion mode is Indexed"));
  if (parallelism !== undefined && parallelism > MAX_INDEXED_PARALLELISM) {
    errs.push(invalid(`${path}.parallelism`, { value: parallelism, detail: `must be less than or equal to ${MAX_INDEXED_PARALLELISM} when completion mode is Indexed` }));
  }
  if (completions !== undefined && maxFailed !== undefined && maxFailed > completions) errs.push(invalid(`${path}.maxFailedIndexes`, { value: maxFailed, detail: "must be less than or equal to completions" }));
  if (maxFailed !== undefined && maxFailed > MAX_FAILED_INDEXES) errs.push(invalid(`${path}.maxFailedIndexes`, { value: maxFailed, detail: `must be less than or equal to ${MAX_FAILED_INDEXES}` }));
  if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && has(spec.backoffLimitPerIndex)) {
    const why = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
    if (maxFailed === undefined) errs.push(required(`${path}.maxFailedIndexes`, `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
    if (parallelism !== undefined && parallelism > PARALLELISM_FOR_HIGH_COMPLETIONS) errs.push(invalid(`${path}.parallelism`, { value: parallelism, detail: `must be less than or equal to ${PARALLELISM_FOR_HIGH_COMPLETIONS} ${why}` }));
    if (maxFailed !== undefined && maxFailed > FAILED_INDEXES_FOR_HIGH_COMPLETIONS) errs.push(invalid(`${path}.maxFailedIndexes`, { value: maxFailed, detail: `must be less than or equal to ${FAILED_INDEXES_FOR_HIGH_COMPLETIONS} ${why}` }));
  }
  return errs;
}

function validateCompletionMode(spec: JsonMap, path: string): FieldError[] {
  const mode = spec.completionMode;
  const errs: FieldError[] = [];
  if (has(mode) && mode !== "NonIndexed" && mode !== "Indexed") errs.push(notSupported(`${path}.completionMode`, { value: mode, supported: ["NonIndexed", "Indexed"] }));
  if (mode === "Indexed") errs.push(...validateIndexedRules(spec, path));
  if (!has(mode) || mode === "NonIndexed") {
    for (const k of ["backoffLimitPerIndex", "maxFailedIndexes"]) if (has(spec[k])) errs.push(invalid(`${path}.${k}`, { value: spec[k], detail: "requires indexed completion mode" }));
  }
  return errs;
}

function validateExitCodes(req: JsonMap, path: string, containers: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const op = req.operator;
  if (!has(op) || op === "") errs.push(required(`${path}.operator`, 'valid values: ["In" "NotIn"]'));
  else if (op !== "In" && op !== "NotIn") errs.push(notSupported(`${path}.operator`, { value: op, supported: ["In", "NotIn"] }));
  if (has(req.containerName) && !containers.has(asString(req.containerName))) {
    errs.push(invalid(`${path}.containerName`, { value: req.containerName, detail: "must be one of the container or initContainer names in the pod template" }));
  }
  const values = asArray(req.values).map(Number);
  if (values.length === 0) errs.push(invalid(`${path}.values`, { value: [], detail: "at least one value is required" }));
  else if (values.length > 255) errs.push(tooMany(`${path}.values`, values.length, 255));
  const seen = new Set<number>();
  values.forEach((v, j) => {
    if (op === "In" && v === 0) errs.push(invalid(`${path}.values[${j}]`, { value: v, detail: "must not be 0 for the In operator" }));
    if (seen.has(v)) errs.push(duplicate(`${path}.values[${j}]`, v));
    seen.add(v);
  });
  if (values.some((v, j) => j > 0 && values[j - 1] > v)) errs.push(invalid(`${path}.values`, { value: values, detail: "must be ordered" }));
  return errs;
}

function validatePodConditions(patterns: JsonMap[], path: string): FieldError[] {
  const errs: FieldError[] = patterns.length > 20 ? [tooMany(path, patterns.length, 20)] : [];
  patterns.forEach((p, j) => {
    for (const m of qualifiedName(asString(p.type))) errs.push(invalid(`${path}[${j}].type`, { value: p.type ?? "", detail: m }));
    if (!has(p.status) || p.status === "") errs.push(required(`${path}[${j}].status`, 'valid values: ["False" "True" "Unknown"]'));
    else if (!CONDITION_STATUSES.includes(asString(p.status))) errs.push(notSupported(`${path}[${j}].status`, { value: p.status, supported: CONDITION_STATUSES }));
  });
  return errs;
}

function validatePodFailurePolicy(spec: JsonMap, path: string): FieldError[] {
  const rules = asMaps(asMap(spec.podFailurePolicy)?.rules);
  const errs: FieldError[] = rules.length > 20 ? [tooMany(`${path}.rules`, rules.length, 20)] : [];
  const podSpec = asMap(asMap(spec.template)?.spec) ?? {};
  const containers = new Set([...asMaps(podSpec.containers), ...asMaps(podSpec.initContainers)].map((c) => asString(c.name)));
  rules.forEach((rule, i) => {
    const p = `${path}.rules[${i}]`;
    const action = rule.action;
    if (!has(action) || action === "") errs.push(required(`${p}.action`, 'valid values: ["Count" "FailIndex" "FailJob" "Ignore"]'));
    else if (action === "FailIndex") {
      if (!has(spec.backoffLimitPerIndex)) errs.push(invalid(`${p}.action`, { value: action, detail: "requires the backoffLimitPerIndex to be set" }));
    } else if (!ACTIONS.includes(asString(action))) errs.push(notSupported(`${p}.action`, { value: action, supported: ACTIONS }));
    const exit = asMap(rule.onExitCodes);
    const conditions = asMaps(rule.onPodConditions);
    if (exit) errs.push(...validateExitCodes(exit, `${p}.onExitCodes`, containers));
    if (conditions.length) errs.push(...validatePodConditions(conditions, `${p}.onPodConditions`));
    // upstream omits the value (OmitValueType): the message has no "Invalid value:" part
    if (exit && conditions.length) errs.push({ type: "FieldValueInvalid", field: p, message: "Invalid value: specifying both OnExitCodes and OnPodConditions is not supported" });
    if (!exit && !conditions.length) errs.push({ type: "FieldValueInvalid", field: p, message: "Invalid value: specifying one of OnExitCodes and OnPodConditions is required" });
  });
  return errs;
}

/** Upstream's validateIndexesFormat: "1,3-5,7", increasing, each below completions; the count of indexes or the error. */
export function indexesError(text: string, completions: number): { total: number; error?: string } {
  if (!text) return { total: 0 };
  let last: number | undefined;
  let total = 0;
  for (const interval of text.split(",")) {
    const parts = interval.split("-");
    if (parts.length > 2) return { total: 0, error: `the fragment ${JSON.stringify(interval)} violates the requirement that an index interval can have at most two parts separated by '-'` };
    const nums: number[] = [];
    for (const part of parts) {
      if (!/^[+-]?\d+$/.test(part)) return { total: 0, error: `cannot convert string to integer for index: ${JSON.stringify(part)}` };
      if (Number(part) >= completions) return { total: 0, error: `too large index: ${JSON.stringify(part)}` };
      nums.push(Number(part));
    }
    const [x, y = x] = nums;
    if (nums.length === 2 && x >= y) return { total: 0, error: `non-increasing order, previous: ${x}, current: ${y}` };
    if (last !== undefined && last >= x) return { total: 0, error: `non-increasing order, previous: ${last}, current: ${x}` };
    total += y - x + 1;
    last = y;
  }
  return { total };
}

function validateSuccessPolicy(spec: JsonMap, path: string): FieldError[] {
  const rules = asMaps(asMap(spec.successPolicy)?.rules);
  const errs: FieldError[] = [];
  if (rules.length === 0) errs.push(required(`${path}.rules`, "at least one rules must be specified when the successPolicy is specified"));
  if (rules.length > 20) errs.push(tooMany(`${path}.rules`, rules.length, 20));
  const completions = asNumber(spec.completions) ?? 0;
  rules.forEach((rule, i) => {
    const p = `${path}.rules[${i}]`;
    if (!has(rule.succeededCount) && !has(rule.succeededIndexes)) errs.push(required(p, "at least one of succeededCount or succeededIndexes must be specified"));
    let total = 0;
    if (has(rule.succeededIndexes)) {
      const text = asString(rule.succeededIndexes);
      if (text.length > 64 * 1024) errs.push(tooLong(`${p}.succeededIndexes`, 64 * 1024));
      const parsed = indexesError(text, completions);
      total = parsed.total;
      if (parsed.error) errs.push(invalid(`${p}.succeededIndexes`, { value: text, detail: `error parsing succeededIndexes: ${parsed.error}` }));
    }
    const count = asNumber(rule.succeededCount);
    if (count === undefined) return;
    errs.push(...nonNegativeFields(rule, p, ["succeededCount"]));
    if (count > completions) errs.push(invalid(`${p}.succeededCount`, { value: count, detail: `must be less than or equal to ${completions} (the number of specified completions)` }));
    if (has(rule.succeededIndexes) && count > total) {
      errs.push(invalid(`${p}.succeededCount`, { value: count, detail: `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)` }));
    }
  });
  return errs;
}

function validateRestartPolicy(spec: JsonMap, path: string): FieldError[] {
  const field = `${path}.template.spec.restartPolicy`;
  const rp = asMap(asMap(spec.template)?.spec)?.restartPolicy;
  // the pod defaults make an unset policy "Always": both mean the user chose none
  if (!has(rp) || rp === "" || rp === "Always") return [required(field, 'valid values: "OnFailure", "Never"')];
  if (rp !== "OnFailure" && rp !== "Never") return [notSupported(field, { value: rp, supported: ["OnFailure", "Never"] })];
  if (has(spec.podFailurePolicy) && rp !== "Never") return [invalid(field, { value: rp, detail: 'only "Never" is supported when podFailurePolicy is specified' })];
  return [];
}

function validateReplacementPolicy(spec: JsonMap, path: string): FieldError[] {
  const v = spec.podReplacementPolicy;
  if (!has(v)) return [];
  const supported = has(spec.podFailurePolicy) ? ["Failed"] : ["Failed", "TerminatingOrFailed"];
  return supported.includes(asString(v)) ? [] : [notSupported(`${path}.podReplacementPolicy`, { value: v, supported })];
}

/** Upstream's validateJobSpec at path ("spec" or "spec.jobTemplate.spec"). */
export function validateJobSpecFields(spec: JsonMap, path: string): FieldError[] {
  const errs = nonNegativeFields(spec, path, ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes"]);
  if (has(spec.maxFailedIndexes) && !has(spec.backoffLimitPerIndex)) errs.push(required(`${path}.backoffLimitPerIndex`, "when maxFailedIndexes is specified"));
  if (has(spec.managedBy)) {
    const mb = asString(spec.managedBy);
    errs.push(...domainPrefixedPath(mb, `${path}.managedBy`));
    if (mb.length > 63) errs.push(tooLong(`${path}.managedBy`, 63));
  }
  errs.push(...validateCompletionMode(spec, path));
  if (has(spec.podFailurePolicy)) errs.push(...validatePodFailurePolicy(spec, `${path}.podFailurePolicy`));
  if (has(spec.successPolicy)) {
    if (spec.completionMode !== "Indexed") errs.push(invalid(`${path}.successPolicy`, { value: spec.successPolicy, detail: "requires indexed completion mode" }));
    else errs.push(...validateSuccessPolicy(spec, `${path}.successPolicy`));
  }
  errs.push(...validateReplacementPolicy(spec, path));
  errs.push(...validatePodTemplate(spec.template, { path: `${path}.template` }));
  errs.push(...validateRestartPolicy(spec, path));
  return errs;
}
