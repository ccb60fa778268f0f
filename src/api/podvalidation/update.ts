/** What a pod update may change, as upstream's ValidatePodUpdate. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asArray, asMap, asMaps, asNumber, asString } from "../access.ts";
import { forbidden, inclusiveRange, invalid, required } from "../validation.ts";
import { sameValue } from "../kindvalidation/common.ts";
import { validateImageWhitespace } from "./ephemeral.ts";
import { validateTolerationsUpdate } from "./tolerations.ts";

const UPDATABLE = [
  "`spec.containers[*].image`",
  "`spec.initContainers[*].image`",
  "`spec.activeDeadlineSeconds`",
  "`spec.tolerations` (only additions to existing tolerations)",
  "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
];

/** Upstream's ValidateContainerUpdates; stop is true when containers were added or removed. */
function validateContainerUpdates(now: JsonMap[], old: JsonMap[], path: string): { errs: FieldError[]; stop: boolean } {
  if (now.length !== old.length) return { errs: [forbidden(path, "pod updates may not add or remove containers")], stop: true };
  const errs = now.flatMap((c, i) => [...(asString(c.image) ? [] : [required(`${path}[${i}].image`)]), ...validateImageWhitespace(c, `${path}[${i}]`)]);
  return { errs, stop: false };
}

function validateDeadlineUpdate(spec: JsonMap, old: JsonMap): FieldError[] {
  const now = asNumber(spec.activeDeadlineSeconds);
  const before = asNumber(old.activeDeadlineSeconds);
  if (now !== undefined) {
    if (now < 0 || now > 2147483647) return [invalid("spec.activeDeadlineSeconds", { value: now, detail: inclusiveRange(0, 2147483647) })];
    if (before !== undefined && before < now) return [invalid("spec.activeDeadlineSeconds", { value: now, detail: "must be less than or equal to previous value" })];
    return [];
  }
  return before !== undefined ? [invalid("spec.activeDeadlineSeconds", { value: null, detail: "must not update from a positive integer to nil value" })] : [];
}

function validateGatesUpdate(spec: JsonMap, old: JsonMap): FieldError[] {
  const before = new Set(asMaps(old.schedulingGates).map((g) => asString(g.name)));
  return asMaps(spec.schedulingGates).flatMap((g, i) => {
    const name = asString(g.name);
    return before.has(name) ? [] : [forbidden(`spec.schedulingGates[${i}].name`, `only deletion is allowed, but found new scheduling gate '${name}'`)];
  });
}

/** For a gated pod: node selector entries may be added, never changed or removed. */
function nodeSelectorOnlyAdded(now: unknown, before: unknown): boolean {
  const n = asMap(now) ?? {};
  return Object.entries(asMap(before) ?? {}).every(([k, v]) => n[k] === v);
}

const TERMS = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";

/** Upstream's validateNodeAffinityMutation for a gated pod: required terms keep their number and only gain requirements. */
function nodeAffinityMutation(now: unknown, before: unknown): FieldError[] {
  const terms = (a: unknown): JsonMap[] => asMaps(asMap(asMap(asMap(a)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution)?.nodeSelectorTerms);
  const old = terms(before);
  const fresh = terms(now);
  if (old.length === 0) return [];
  if (old.length !== fresh.length) return [invalid(TERMS, { value: fresh, detail: "no additions/deletions to non-empty NodeSelectorTerms list are allowed" })];
  const count = (t: JsonMap): number => asArray(t.matchExpressions).length + asArray(t.matchFields).length;
  const onlyAdded = (t: JsonMap, n: JsonMap): boolean => {
    // an empty old term stays empty; a non-empty one keeps its requirements as a prefix
    if (count(t) === 0) return count(n) === 0;
    return ["matchExpressions", "matchFields"].every((k) => sameValue(asArray(n[k]).slice(0, asArray(t[k]).length), asArray(t[k])));
  };
  return old.flatMap((t, i) => (onlyAdded(t, fresh[i]) ? [] : [invalid(`${TERMS}[${i}]`, { value: fresh[i], detail: "only additions are allowed (no mutations or deletions)" })]));
}

/** The spec with every field an update may change set back to the old value. */
function munged(spec: JsonMap, old: JsonMap): JsonMap {
  const copy = structuredClone(spec);
  for (const key of ["containers", "initContainers"]) asMaps(copy[key]).forEach((c, i) => { c.image = asMaps(old[key])[i]?.image; });
  for (const key of ["activeDeadlineSeconds", "schedulingGates", "tolerations"]) copy[key] = old[key];
  const oldGrace = asNumber(old.terminationGracePeriodSeconds);
  if (oldGrace !== undefined && oldGrace < 0 && copy.terminationGracePeriodSeconds === 1) copy.terminationGracePeriodSeconds = oldGrace;
  if (asArray(old.schedulingGates).length && nodeSelectorOnlyAdded(copy.nodeSelector, old.nodeSelector)) copy.nodeSelector = old.nodeSelector;
  if (asArray(old.schedulingGates).length && nodeAffinityMutation(copy.affinity, old.affinity).length === 0) {
    const na = asMap(old.affinity)?.nodeAffinity;
    copy.affinity = asMap(copy.affinity) ? { ...asMap(copy.affinity), nodeAffinity: na } : old.affinity;
  }
  return copy;
}

/** Upstream's ValidatePodUpdate for the spec. */
export function validatePodSpecUpdate(specRaw: unknown, oldRaw: unknown): FieldError[] {
  const spec = asMap(specRaw) ?? {};
  const old = asMap(oldRaw) ?? {};
  const errs: FieldError[] = [];
  for (const key of ["containers", "initContainers"]) {
    const r = validateContainerUpdates(asMaps(spec[key]), asMaps(old[key]), `spec.${key}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const deadline = validateDeadlineUpdate(spec, old);
  if (deadline.length) return [...errs, ...deadline];
  errs.push(...validateTolerationsUpdate(spec.tolerations, old.tolerations, "spec.tolerations"));
  errs.push(...validateGatesUpdate(spec, old));
  if (asArray(old.schedulingGates).length) {
    if (!nodeSelectorOnlyAdded(spec.nodeSelector, old.nodeSelector)) {
      errs.push(invalid("spec.nodeSelector", { value: spec.nodeSelector ?? null, detail: "only additions to spec.nodeSelector are allowed (no mutations or deletions)" }));
    }
    errs.push(...nodeAffinityMutation(spec.affinity, old.affinity));
  }
  if (!sameValue(munged(spec, old), old)) errs.push(forbidden("spec", `pod updates may not change fields other than ${UPDATABLE.join(",")}`));
  return errs;
}
