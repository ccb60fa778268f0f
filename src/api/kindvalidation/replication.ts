/** core/v1 ReplicationController validation as upstream's ValidateReplicationController (1.32). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { asMap } from "../access.ts";
import { invalid, required, validateLabels } from "../validation.ts";
import { validateLongRunningTemplate } from "./apps.ts";
import { nonNegativeFields, specOf } from "./common.ts";

/** A map selector (not a LabelSelector): non-empty, valid labels, selecting the template. */
export function validateReplicationController(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs = nonNegativeFields(spec, "spec", ["minReadySeconds"]);
  const selector = (asMap(spec.selector) ?? {}) as Record<string, string>;
  const keys = Object.keys(selector);
  if (keys.length === 0) errs.push(required("spec.selector"));
  else errs.push(...validateLabels(selector, "spec.selector"));
  errs.push(...nonNegativeFields(spec, "spec", ["replicas"]));
  const template = asMap(spec.template);
  if (!template) return [...errs, required("spec.template")];
  const labels = (asMap(asMap(template.metadata)?.labels) ?? {}) as Record<string, string>;
  if (keys.length && keys.some((k) => labels[k] !== selector[k])) {
    errs.push(invalid("spec.template.metadata.labels", { value: labels, detail: "`selector` does not match template `labels`" }));
  }
  return [...errs, ...validateLongRunningTemplate(template, { owner: "ReplicationController" })];
}
