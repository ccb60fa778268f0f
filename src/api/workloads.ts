/** Shared rules of the workload controllers' kinds (selector vs template, replicas). */
import type { FieldError } from "./kind.ts";
import type { KubeObject } from "./types.ts";
import { asMap, asNumber, at } from "./access.ts";
import { validatePodTemplate } from "./pods.ts";
import { containersAndImages, formatLabelSelector } from "./printing.ts";
import { immutable, invalid, nonNegative, notSupported, required, selectorMatches, validateLabelSelector } from "./validation.ts";

export interface WorkloadRules {
  /** the stored object on update */
  old?: KubeObject;
  /** kind name lower-case as upstream's messages use it ("deployment") */
  noun: string;
  /** allowed pod restart policies in the template */
  restartPolicies: string[];
  /** selector may not change on update */
  immutableSelector: boolean;
  /** volume names the template may mount without declaring them (claim templates) */
  extraVolumes?: string[];
}

/** Selector present, non-empty, matching the template labels; template valid; replicas >= 0. */
export function validateWorkload(obj: KubeObject, rules: WorkloadRules): FieldError[] {
  const { old } = rules;
  const errs: FieldError[] = [];
  const spec = asMap(obj.spec) ?? {};
  const template = asMap(spec.template);
  const sel = asMap(spec.selector);
  if (!sel) errs.push(required("spec.selector"));
  else {
    errs.push(...validateLabelSelector(sel, "spec.selector"));
    const empty = !Object.keys(asMap(sel.matchLabels) ?? {}).length && !(Array.isArray(sel.matchExpressions) && sel.matchExpressions.length);
    if (empty) errs.push(invalid("spec.selector", { value: sel, detail: `empty selector is invalid for ${rules.noun}` }));
    const labels = asMap(asMap(template?.metadata)?.labels) as Record<string, string> | undefined;
    if (!empty && template && !selectorMatches(sel, labels)) {
      errs.push(invalid("spec.template.metadata.labels", { value: labels ?? {}, detail: "`selector` does not match template `labels`" }));
    }
  }
  errs.push(...validatePodTemplate(template, { path: "spec.template", extraVolumes: rules.extraVolumes }));
  const rp = asMap(template?.spec)?.restartPolicy;
  if (rp !== undefined && !rules.restartPolicies.includes(String(rp))) {
    errs.push(notSupported("spec.template.spec.restartPolicy", { value: rp, supported: rules.restartPolicies }));
  }
  errs.push(...nonNegative(spec.replicas, "spec.replicas"));
  errs.push(...nonNegative(spec.minReadySeconds, "spec.minReadySeconds"));
  errs.push(...nonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit"));
  if (old && rules.immutableSelector) errs.push(...immutable("spec.selector", { value: spec.selector, old: asMap(old.spec)?.selector }));
  return errs;
}

/** CONTAINERS, IMAGES and SELECTOR cells of a workload. */
export function workloadWideCells(obj: KubeObject): string[] {
  const spec = asMap(obj.spec) ?? {};
  const [c, i] = containersAndImages(asMap(spec.template)?.spec);
  return [c, i, formatLabelSelector(spec.selector)];
}

/** A counter at a dotted path such as "status.readyReplicas" (0 when unset). */
export function count(obj: KubeObject, path: string): number {
  return asNumber(at(obj, path)) ?? 0;
}

/** Validates an IntOrString percentage or count field. */
export function intOrPercent(v: unknown, field: string): FieldError[] {
  if (v === undefined || typeof v === "number") return nonNegative(v, field);
  if (typeof v === "string" && /^\d+%$/.test(v)) return [];
  return [invalid(field, { value: v, detail: "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')" })];
}
