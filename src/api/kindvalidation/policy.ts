/** policy/v1 validation as upstream's pkg/apis/policy/validation (1.32). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { invalid, notSupported, validateLabelSelector } from "../validation.ts";
import { notMoreThan100Percent, positiveIntOrPercent, specOf } from "./common.ts";

const EVICTION_POLICIES = ["AlwaysAllow", "IfHealthyBudget"];

/** Upstream's ValidatePodDisruptionBudgetSpec: minAvailable xor maxUnavailable, each a count or a percent up to 100%. */
export function validatePodDisruptionBudget(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  const has = (k: string) => spec[k] !== undefined && spec[k] !== null;
  if (has("minAvailable") && has("maxUnavailable")) errs.push(invalid("spec", { value: spec, detail: "minAvailable and maxUnavailable cannot be both set" }));
  for (const k of ["minAvailable", "maxUnavailable"]) {
    if (!has(k)) continue;
    errs.push(...positiveIntOrPercent(spec[k], `spec.${k}`), ...notMoreThan100Percent(spec[k], `spec.${k}`));
  }
  errs.push(...validateLabelSelector(spec.selector, "spec.selector"));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && policy !== null && !EVICTION_POLICIES.includes(String(policy))) {
    errs.push(notSupported("spec.unhealthyPodEvictionPolicy", { value: policy, supported: EVICTION_POLICIES }));
  }
  return errs;
}
