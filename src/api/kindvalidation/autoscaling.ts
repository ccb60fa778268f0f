/**
 * autoscaling validation as upstream's pkg/apis/autoscaling/validation (1.32),
 * on the v2 form: an autoscaling/v1 object is checked as its v2 conversion,
 * as upstream checks the internal version.
 */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asMap, asMaps, asNumber, asString } from "../access.ts";
import { hpaV1ToV2 } from "../conversion.ts";
import { quantityValue } from "../quantity.ts";
import { dns1123Label, forbidden, invalid, notSupported, pathSegmentName, required, validateLabelSelector } from "../validation.ts";
import { specOf } from "./common.ts";

const SOURCE_TYPES = ["ContainerResource", "External", "Object", "Pods", "Resource"];
const TARGET_TYPES = ["AverageValue", "Utilization", "Value"];

function has(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** Upstream's ValidateCrossVersionObjectReference (scaleTargetRef, describedObject). */
function validateReference(ref: JsonMap, path: string): FieldError[] {
  return ["kind", "name"].flatMap((k) => {
    const v = asString(ref[k]);
    if (!v) return [required(`${path}.${k}`)];
    return pathSegmentName(v).map((m) => invalid(`${path}.${k}`, { value: v, detail: m }));
  });
}

function validateTarget(target: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const t = target.type;
  if (!has(t) || t === "") errs.push(required(`${path}.type`, "must specify a metric target type"));
  else if (!TARGET_TYPES.includes(asString(t))) errs.push(notSupported(`${path}.type`, { value: t, supported: TARGET_TYPES }));
  for (const k of ["value", "averageValue"]) {
    if (has(target[k]) && !((quantityValue(target[k]) ?? 0) > 0)) errs.push(invalid(`${path}.${k}`, { value: target[k], detail: "must be positive" }));
  }
  const u = asNumber(target.averageUtilization);
  if (u !== undefined && u < 1) errs.push(invalid(`${path}.averageUtilization`, { value: u, detail: "must be greater than 0" }));
  return errs;
}

function validateIdentifier(metric: JsonMap, path: string): FieldError[] {
  const errs = asString(metric.name) ? [] : [required(`${path}.name`, "must specify a metric name")];
  if (has(metric.selector)) errs.push(...validateLabelSelector(metric.selector, `${path}.selector`));
  return errs;
}

/** The rules of each source kind, after its own target checks. */
function validateSource(type: string, src: JsonMap, path: string): FieldError[] {
  const target = asMap(src.target) ?? {};
  const errs = validateTarget(target, `${path}.target`);
  const value = has(target.value);
  const average = has(target.averageValue);
  switch (type) {
    case "object":
      errs.push(...validateReference(asMap(src.describedObject) ?? {}, `${path}.describedObject`), ...validateIdentifier(asMap(src.metric) ?? {}, `${path}.metric`));
      if (!value && !average) errs.push(required(`${path}.target.averageValue`, "must set either a target value or averageValue"));
      break;
    case "external":
      errs.push(...validateIdentifier(asMap(src.metric) ?? {}, `${path}.metric`));
      if (!value && !average) errs.push(required(`${path}.target.averageValue`, "must set either a target value for metric or a per-pod target"));
      if (value && average) errs.push(forbidden(`${path}.target.value`, "may not set both a target value for metric and a per-pod target"));
      break;
    case "pods":
      errs.push(...validateIdentifier(asMap(src.metric) ?? {}, `${path}.metric`));
      if (!average) errs.push(required(`${path}.target.averageValue`, "must specify a positive target averageValue"));
      break;
    default: {
      // resource and containerResource
      if (!asString(src.name)) errs.push(required(`${path}.name`, "must specify a resource name"));
      if (type === "containerResource") {
        const c = asString(src.container);
        if (!c) errs.push(required(`${path}.container`, "must specify a container"));
        else for (const m of dns1123Label(c)) errs.push(invalid(`${path}.container`, { value: c, detail: m }));
      }
      const util = has(target.averageUtilization);
      if (!util && !average) errs.push(required(`${path}.target.averageUtilization`, "must set either a target raw value or a target utilization"));
      if (util && average) errs.push(forbidden(`${path}.target.averageValue`, "may not set both a target raw value and a target utilization"));
    }
  }
  return errs;
}

/** Upstream's validateMetricSpec: a known type, and exactly its source populated. */
function validateMetric(metric: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = asString(metric.type);
  if (!type) errs.push(required(`${path}.type`, "must specify a metric source type"));
  if (!SOURCE_TYPES.includes(type)) errs.push(notSupported(`${path}.type`, { value: type, supported: SOURCE_TYPES }));
  const present = ["object", "pods", "resource", "external", "containerResource"].filter((k) => asMap(metric[k]));
  if (present.length) errs.push(...validateSource(present[0], asMap(metric[present[0]]) ?? {}, `${path}.${present[0]}`));
  const expected = type ? type[0].toLowerCase() + type.slice(1) : "";
  if (!present.includes(expected)) errs.push(required(`${path}.${expected}`, "must populate information for the given metric source"));
  if (present.length !== 1) for (const k of present.filter((p) => p !== expected)) errs.push(forbidden(`${path}.${k}`, "must populate the given metric source only"));
  return errs;
}

function validatePolicy(policy: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (policy.type !== "Pods" && policy.type !== "Percent") errs.push(notSupported(`${path}.type`, { value: policy.type ?? "", supported: ["Percent", "Pods"] }));
  const value = asNumber(policy.value) ?? 0;
  if (value <= 0) errs.push(invalid(`${path}.value`, { value, detail: "must be greater than zero" }));
  const period = asNumber(policy.periodSeconds) ?? 0;
  if (period <= 0) errs.push(invalid(`${path}.periodSeconds`, { value: period, detail: "must be greater than zero" }));
  if (period > 1800) errs.push(invalid(`${path}.periodSeconds`, { value: period, detail: "must be less than or equal to 1800" }));
  return errs;
}

/** Upstream's validateScalingRules for behavior.scaleUp / scaleDown. */
function validateScalingRules(rules: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const window = asNumber(rules.stabilizationWindowSeconds);
  if (window !== undefined && window < 0) errs.push(invalid(`${path}.stabilizationWindowSeconds`, { value: window, detail: "must be greater than or equal to zero" }));
  if (window !== undefined && window > 3600) errs.push(invalid(`${path}.stabilizationWindowSeconds`, { value: window, detail: "must be less than or equal to 3600" }));
  const select = rules.selectPolicy;
  if (has(select) && !["Disabled", "Max", "Min"].includes(asString(select))) errs.push(notSupported(`${path}.selectPolicy`, { value: select, supported: ["Disabled", "Max", "Min"] }));
  const policies = asMaps(rules.policies);
  if (policies.length === 0) errs.push(required(`${path}.policies`, "must specify at least one Policy"));
  policies.forEach((p, i) => errs.push(...validatePolicy(p, `${path}.policies[${i}]`)));
  return errs;
}

/** Upstream's validateHorizontalPodAutoscalerSpec on the v2 form. */
function validateSpec(spec: JsonMap): FieldError[] {
  const errs: FieldError[] = [];
  const min = asNumber(spec.minReplicas);
  const max = asNumber(spec.maxReplicas) ?? 0;
  if (min !== undefined && min < 1) errs.push(invalid("spec.minReplicas", { value: min, detail: "must be greater than or equal to 1" }));
  if (max < 1) errs.push(invalid("spec.maxReplicas", { value: max, detail: "must be greater than 0" }));
  if (min !== undefined && max < min) errs.push(invalid("spec.maxReplicas", { value: max, detail: "must be greater than or equal to `minReplicas`" }));
  errs.push(...validateReference(asMap(spec.scaleTargetRef) ?? {}, "spec.scaleTargetRef"));
  asMaps(spec.metrics).forEach((m, i) => errs.push(...validateMetric(m, `spec.metrics[${i}]`)));
  const behavior = asMap(spec.behavior);
  for (const k of ["scaleUp", "scaleDown"]) {
    const rules = asMap(behavior?.[k]);
    if (rules) errs.push(...validateScalingRules(rules, `spec.behavior.${k}`));
  }
  return errs;
}

/** Upstream's ValidateHorizontalPodAutoscaler (create and update check the same) on an autoscaling/v2 object. */
export function validateHorizontalPodAutoscaler(obj: KubeObject): FieldError[] {
  return validateSpec(specOf(obj));
}

/** An autoscaling/v1 object is checked as its v2 form, as upstream checks the internal version. */
export function validateHorizontalPodAutoscalerV1(obj: KubeObject): FieldError[] {
  return validateHorizontalPodAutoscaler(hpaV1ToV2(obj));
}
