/** apps/v1 validation as upstream's pkg/apis/apps/validation (1.32) plus the apps/v1 strategies' update rules. */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asMap, asMaps, asNumber, asString } from "../access.ts";
import { validatePodTemplate } from "../pods.ts";
import { dns1123Label, forbidden, invalid, nonNegative, notSupported, required, selectorMatches, validateLabelSelector } from "../validation.ts";
import { validateClaimSpec } from "./claims.ts";
import {
  emptySelector, intOrPercentValue, nonNegativeFields, notMoreThan100Percent, positiveIntOrPercent, sameValue, specOf, unchanged, without,
} from "./common.ts";

interface TemplateRules {
  /** the word upstream's "empty selector is invalid for X" uses */
  noun: string;
  /** the kind upstream's "activeDeadlineSeconds in X is not Supported" names */
  owner: string;
  /** volume names the template may mount without declaring (claim templates) */
  extraVolumes?: string[];
  /** a DaemonSet's missing selector is not "required": it selects nothing, so its template "does not match" */
  selectorOptional?: boolean;
}

/** Selector present, valid and non-empty; template valid, selected, restartPolicy Always, no activeDeadlineSeconds. */
function validateSelectedTemplate(spec: JsonMap, rules: TemplateRules): FieldError[] {
  const errs: FieldError[] = [];
  const sel = asMap(spec.selector);
  if (!sel && !rules.selectorOptional) errs.push(required("spec.selector"));
  else if (sel) {
    errs.push(...validateLabelSelector(sel, "spec.selector"));
    if (emptySelector(sel)) errs.push(invalid("spec.selector", { value: sel, detail: `empty selector is invalid for ${rules.noun}` }));
  }
  const template = asMap(spec.template);
  if (!template) return [...errs, required("spec.template")];
  const labels = asMap(asMap(template.metadata)?.labels) as Record<string, string> | undefined;
  const mismatch = sel ? !emptySelector(sel) && !selectorMatches(sel, labels) : rules.selectorOptional;
  if (mismatch) {
    errs.push(invalid("spec.template.metadata.labels", { value: labels ?? {}, detail: "`selector` does not match template `labels`" }));
  }
  return [...errs, ...validateLongRunningTemplate(template, rules)];
}

/** A template of pods that run for good: valid, restartPolicy Always, no activeDeadlineSeconds. */
export function validateLongRunningTemplate(template: JsonMap, rules: { owner: string; extraVolumes?: string[] }): FieldError[] {
  const errs = validatePodTemplate(template, { path: "spec.template", extraVolumes: rules.extraVolumes });
  const podSpec = asMap(template.spec) ?? {};
  if (podSpec.restartPolicy !== "Always") errs.push(notSupported("spec.template.spec.restartPolicy", { value: podSpec.restartPolicy ?? "", supported: ["Always"] }));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(forbidden("spec.template.spec.activeDeadlineSeconds", `activeDeadlineSeconds in ${rules.owner} is not Supported`));
  }
  return errs;
}

/** The apps/v1 strategies keep a controller's selector for life. */
function selectorUpdate(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  return old ? unchanged("spec.selector", { value: specOf(obj).selector, old: specOf(old).selector }) : [];
}

function validateDeploymentStrategy(strategy: JsonMap): FieldError[] {
  const path = "spec.strategy";
  const ru = asMap(strategy.rollingUpdate);
  switch (strategy.type) {
    case "Recreate":
      return strategy.rollingUpdate ? [forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
    case "RollingUpdate": {
      if (!ru) return [required(`${path}.rollingUpdate`, "this should be defaulted and never be nil")];
      const errs = [...positiveIntOrPercent(ru.maxUnavailable, `${path}.rollingUpdate.maxUnavailable`), ...positiveIntOrPercent(ru.maxSurge, `${path}.rollingUpdate.maxSurge`)];
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(invalid(`${path}.rollingUpdate.maxUnavailable`, { value: ru.maxUnavailable ?? 0, detail: "may not be 0 when `maxSurge` is 0" }));
      }
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${path}.rollingUpdate.maxUnavailable`));
      return errs;
    }
    default:
      return [notSupported(path, { value: strategy, supported: ["Recreate", "RollingUpdate"] })];
  }
}

/** Upstream's ValidateDeployment / ValidateDeploymentUpdate (spec only; status writes skip it). */
export function validateDeployment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs = nonNegativeFields(spec, "spec", ["replicas"]);
  errs.push(...validateSelectedTemplate(spec, { noun: "deployment", owner: "ReplicaSet" }));
  errs.push(...validateDeploymentStrategy(asMap(spec.strategy) ?? {}));
  errs.push(...nonNegativeFields(spec, "spec", ["minReadySeconds", "revisionHistoryLimit"]));
  const pds = asNumber(spec.progressDeadlineSeconds);
  if (pds !== undefined) {
    errs.push(...nonNegative(pds, "spec.progressDeadlineSeconds"));
    if (pds <= (asNumber(spec.minReadySeconds) ?? 0)) errs.push(invalid("spec.progressDeadlineSeconds", { value: pds, detail: "must be greater than minReadySeconds" }));
  }
  return [...errs, ...selectorUpdate(obj, old)];
}

/** Upstream's ValidateReplicaSet (its empty-selector message says "deployment", as upstream's does). */
export function validateReplicaSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs = nonNegativeFields(spec, "spec", ["replicas", "minReadySeconds"]);
  errs.push(...validateSelectedTemplate(spec, { noun: "deployment", owner: "ReplicaSet" }));
  return [...errs, ...selectorUpdate(obj, old)];
}

function validateDaemonSetStrategy(strategy: JsonMap): FieldError[] {
  const path = "spec.updateStrategy";
  if (strategy.type === "OnDelete") return [];
  if (strategy.type !== "RollingUpdate") return [notSupported(path, { value: strategy, supported: ["RollingUpdate", "OnDelete"] })];
  const ru = asMap(strategy.rollingUpdate);
  if (!ru) return [required(`${path}.rollingUpdate`)];
  const p = `${path}.rollingUpdate`;
  const errs = [...positiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`), ...positiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`)];
  errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`), ...notMoreThan100Percent(ru.maxSurge, `${p}.maxSurge`));
  const unavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const surge = intOrPercentValue(ru.maxSurge) !== 0;
  if (unavailable && surge) errs.push(invalid(`${p}.maxSurge`, { value: ru.maxSurge, detail: "may not be set when maxUnavailable is non-zero" }));
  if (!unavailable && !surge) errs.push(required(`${p}.maxUnavailable`, "cannot be 0 when maxSurge is 0"));
  return errs;
}

/** Upstream's ValidateDaemonSet / ValidateDaemonSetUpdate. */
export function validateDaemonSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs = validateSelectedTemplate(spec, { noun: "daemonset", owner: "DaemonSet", selectorOptional: true });
  errs.push(...nonNegativeFields(spec, "spec", ["minReadySeconds"]));
  errs.push(...validateDaemonSetStrategy(asMap(spec.updateStrategy) ?? {}));
  errs.push(...nonNegativeFields(spec, "spec", ["revisionHistoryLimit"]));
  return [...errs, ...selectorUpdate(obj, old)];
}

function validateStatefulSetStrategy(strategy: JsonMap): FieldError[] {
  const path = "spec.updateStrategy";
  const ru = asMap(strategy.rollingUpdate);
  switch (strategy.type) {
    case undefined:
    case null:
    case "":
      return [required(path)];
    case "OnDelete":
      return strategy.rollingUpdate ? [invalid(`${path}.rollingUpdate`, { value: strategy.rollingUpdate, detail: "only allowed for updateStrategy 'RollingUpdate'" })] : [];
    case "RollingUpdate": {
      if (!ru) return [];
      const p = `${path}.rollingUpdate`;
      const errs = nonNegative(ru.partition, `${p}.partition`);
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        errs.push(...positiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
        if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(invalid(`${p}.maxUnavailable`, { value: ru.maxUnavailable, detail: "cannot be 0" }));
        errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      }
      return errs;
    }
    default:
      return [invalid(path, { value: strategy, detail: "must be 'RollingUpdate' or 'OnDelete'" })];
  }
}

function validateRetentionPolicy(policy: JsonMap | undefined): FieldError[] {
  if (!policy) return [];
  const path = "spec.persistentVolumeClaimRetentionPolicy";
  return ["whenDeleted", "whenScaled"].flatMap((k) => {
    const v = policy[k];
    return v === "Retain" || v === "Delete" ? [] : [notSupported(`${path}.${k}`, { value: v ?? "", supported: ["Retain", "Delete"] })];
  });
}

function validateClaimTemplates(spec: JsonMap): FieldError[] {
  return asMaps(spec.volumeClaimTemplates).flatMap((t, i) => {
    const path = `spec.volumeClaimTemplates[${i}]`;
    const errs = asString(asMap(t.metadata)?.name) ? [] : [required(`${path}.metadata.name`)];
    return [...errs, ...validateClaimSpec(asMap(t.spec) ?? {}, `${path}.spec`)];
  });
}

/** What a StatefulSet update may change; the rest of its spec is fixed at creation. */
const STATEFULSET_MUTABLE = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];

/** Upstream's ValidateStatefulSet / ValidateStatefulSetUpdate. */
export function validateStatefulSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  // optional, but it becomes each pod's subdomain, a DNS label (upstream checks it from 1.33; such a set never ran anyway)
  const serviceName = asString(spec.serviceName);
  if (serviceName) for (const m of dns1123Label(serviceName)) errs.push(invalid("spec.serviceName", { value: serviceName, detail: m }));
  const pmp = spec.podManagementPolicy;
  if (pmp === undefined || pmp === null || pmp === "") errs.push(required("spec.podManagementPolicy"));
  else if (pmp !== "OrderedReady" && pmp !== "Parallel") errs.push(invalid("spec.podManagementPolicy", { value: pmp, detail: "must be 'OrderedReady' or 'Parallel'" }));
  errs.push(...validateStatefulSetStrategy(asMap(spec.updateStrategy) ?? {}));
  errs.push(...validateRetentionPolicy(asMap(spec.persistentVolumeClaimRetentionPolicy)));
  errs.push(...nonNegativeFields(spec, "spec", ["replicas", "minReadySeconds"]));
  const ordinals = asMap(spec.ordinals);
  if (ordinals) errs.push(...nonNegative(ordinals.start, "spec.ordinals.start"));
  const claims = asMaps(spec.volumeClaimTemplates).map((t) => asString(asMap(t.metadata)?.name)).filter((n) => n);
  errs.push(...validateSelectedTemplate(spec, { noun: "statefulset", owner: "StatefulSet", extraVolumes: claims }));
  errs.push(...validateClaimTemplates(spec));
  if (old && !sameValue(without(spec, STATEFULSET_MUTABLE), without(old.spec, STATEFULSET_MUTABLE))) {
    errs.push(forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
  }
  return errs;
}

/** Upstream's ValidateControllerRevision / ValidateControllerRevisionUpdate. */
export function validateControllerRevision(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.data === undefined || obj.data === null) errs.push(required("data", "data is mandatory"));
  errs.push(...nonNegative(obj.revision, "revision"));
  if (old) errs.push(...unchanged("data", { value: obj.data, old: old.data }));
  return errs;
}
