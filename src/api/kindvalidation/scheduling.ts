/** scheduling.k8s.io/v1 PriorityClass validation as upstream's pkg/apis/scheduling/validation (1.32). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { asNumber } from "../access.ts";
import { forbidden, notSupported } from "../validation.ts";
import { unchanged } from "./common.ts";

/** The priority classes upstream builds in; only these may use the "system-" prefix. */
const SYSTEM_CLASSES: Record<string, number> = { "system-node-critical": 2000001000, "system-cluster-critical": 2000000000 };
const HIGHEST_USER_PRIORITY = 1000000000;

/** Upstream's IsKnownSystemPriorityClass, as the error it gives. */
function systemClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const expected = SYSTEM_CLASSES[name];
  if (expected === undefined) return `${name} is not a known system priority class`;
  if (value !== expected) return `value of ${name} PriorityClass must be ${expected}`;
  return globalDefault ? `globalDefault of ${name} PriorityClass must be false` : undefined;
}

/** Upstream's ValidatePriorityClass / ValidatePriorityClassUpdate. */
export function validatePriorityClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name ?? "";
  const value = asNumber(obj.value) ?? 0;
  if (name.startsWith("system-")) {
    const why = systemClassError(name, value, obj.globalDefault === true);
    if (why) errs.push(forbidden("metadata.name", `priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
  } else if (value > HIGHEST_USER_PRIORITY) {
    errs.push(forbidden("value", `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
  }
  const policy = obj.preemptionPolicy;
  if (policy !== undefined && policy !== null && policy !== "Never" && policy !== "PreemptLowerPriority") {
    errs.push(notSupported("preemptionPolicy", { value: policy, supported: ["Never", "PreemptLowerPriority"] }));
  }
  if (!old) return errs;
  if (obj.value !== old.value) errs.push(forbidden("value", "may not be changed in an update."));
  errs.push(...unchanged("preemptionPolicy", { value: obj.preemptionPolicy, old: old.preemptionPolicy }));
  return errs;
}
