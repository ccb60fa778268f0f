/** Node and pod (anti-)affinity validation as upstream's validateAffinity. */
import type { FieldError } from "../kind.ts";
import { type JsonMap, asArray, asMap, asMaps, asNumber, asString } from "../access.ts";
import { dns1123Label, dns1123Subdomain, forbidden, invalid, labelValue, qualifiedName, required, validateLabelSelector } from "../validation.ts";

/** Invalid errors for a label key (upstream's ValidateLabelName). */
export function labelName(field: string, key: string): FieldError[] {
  return qualifiedName(key).map((detail) => invalid(field, { value: key, detail }));
}

/** Upstream's ValidateNodeSelectorRequirement (matchExpressions of a node selector term). */
export function validateNodeSelectorRequirement(rq: JsonMap, path: string, checkValues: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const values = asArray(rq.values);
  const op = rq.operator;
  if (op === "In" || op === "NotIn") {
    if (values.length === 0) errs.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
  } else if (op === "Exists" || op === "DoesNotExist") {
    if (values.length > 0) errs.push(forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
  } else if (op === "Gt" || op === "Lt") {
    if (values.length !== 1) errs.push(required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
  } else {
    errs.push(invalid(`${path}.operator`, { value: op ?? "", detail: "not a valid selector operator" }));
  }
  errs.push(...labelName(`${path}.key`, asString(rq.key)));
  if (checkValues) {
    values.forEach((v, i) => errs.push(...labelValue(asString(v)).map((detail) => invalid(`${path}.values[${i}]`, { value: v, detail }))));
  }
  return errs;
}

/** Upstream's ValidateNodeFieldSelectorRequirement: only metadata.name with In/NotIn and one value. */
function validateNodeFieldRequirement(rq: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = asArray(rq.values);
  if (rq.operator === "In" || rq.operator === "NotIn") {
    if (values.length !== 1) errs.push(required(`${path}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else {
    errs.push(invalid(`${path}.operator`, { value: rq.operator ?? "", detail: "not a valid selector operator" }));
  }
  if (rq.key !== "metadata.name") errs.push(invalid(`${path}.key`, { value: rq.key ?? "", detail: "not a valid field selector key" }));
  else values.forEach((v, i) => errs.push(...dns1123Subdomain(asString(v)).map((detail) => invalid(`${path}.values[${i}]`, { value: v, detail }))));
  return errs;
}

/** Upstream's ValidateNodeSelectorTerm. */
export function validateNodeSelectorTerm(raw: unknown, path: string, checkValues: boolean): FieldError[] {
  const term = asMap(raw) ?? {};
  return [
    ...asMaps(term.matchExpressions).flatMap((rq, j) => validateNodeSelectorRequirement(rq, `${path}.matchExpressions[${j}]`, checkValues)),
    ...asMaps(term.matchFields).flatMap((rq, j) => validateNodeFieldRequirement(rq, `${path}.matchFields[${j}]`)),
  ];
}

/** Upstream's ValidateNodeSelector: at least one term, each valid. */
export function validateNodeSelector(raw: unknown, path: string): FieldError[] {
  const terms = asArray(asMap(raw)?.nodeSelectorTerms);
  if (terms.length === 0) return [required(`${path}.nodeSelectorTerms`, "must have at least one node selector term")];
  return terms.flatMap((t, i) => validateNodeSelectorTerm(t, `${path}.nodeSelectorTerms[${i}]`, true));
}

function weight(path: string, w: unknown): FieldError[] {
  const n = asNumber(w) ?? 0;
  return n <= 0 || n > 100 ? [invalid(`${path}.weight`, { value: n, detail: "must be in the range 1-100" })] : [];
}

function validateNodeAffinity(na: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const req = na.requiredDuringSchedulingIgnoredDuringExecution;
  if (asMap(req)) errs.push(...validateNodeSelector(req, `${path}.requiredDuringSchedulingIgnoredDuringExecution`));
  asMaps(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    const p = `${path}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    // preferred terms may name label values that do not exist yet, as upstream allows
    errs.push(...weight(p, t.weight), ...validateNodeSelectorTerm(t.preference, `${p}.preference`, false));
  });
  return errs;
}

/** Upstream's validateLabelKeys + the matchLabelKeys/mismatchLabelKeys overlap rules. */
function validateLabelKeyLists(term: JsonMap, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const selector = asMap(term.labelSelector);
  const match = asArray(term.matchLabelKeys).map(asString);
  const mismatch = asArray(term.mismatchLabelKeys).map(asString);
  for (const [name, keys] of [["matchLabelKeys", match], ["mismatchLabelKeys", mismatch]] as const) {
    if (keys.length === 0) continue;
    if (!selector) errs.push(forbidden(`${path}.${name}`, "must not be specified when labelSelector is not set"));
    else keys.forEach((k, i) => errs.push(...labelName(`${path}.${name}[${i}]`, k)));
  }
  if (selector) {
    const inLabels = new Set(Object.keys(asMap(selector.matchLabels) ?? {}));
    for (const e of asMaps(selector.matchExpressions)) {
      const key = asString(e.key);
      const i = match.lastIndexOf(key);
      // the label keys became matchExpressions already: a key both there and in matchLabels is a user duplicate
      if (i >= 0 && inLabels.has(key)) errs.push(invalid(`${path}[${i}]`, { value: key, detail: "exists in both matchLabelKeys and labelSelector" }));
      inLabels.add(key);
    }
  }
  match.forEach((k, i) => {
    if (mismatch.includes(k)) errs.push(invalid(`${path}.matchLabelKeys[${i}]`, { value: k, detail: "exists in both matchLabelKeys and mismatchLabelKeys" }));
  });
  return errs;
}

/** Upstream's validatePodAffinityTerm. */
function validatePodAffinityTerm(raw: unknown, path: string): FieldError[] {
  const term = asMap(raw) ?? {};
  const errs = [
    ...validateLabelSelector(term.labelSelector, `${path}.labelSelector`),
    ...validateLabelSelector(term.namespaceSelector, `${path}.namespaceSelector`),
  ];
  for (const ns of asArray(term.namespaces)) {
    errs.push(...dns1123Label(asString(ns)).map((detail) => invalid(`${path}.namespace`, { value: ns, detail })));
  }
  errs.push(...validateLabelKeyLists(term, path));
  const key = asString(term.topologyKey);
  if (!key) errs.push(required(`${path}.topologyKey`, "can not be empty"));
  return [...errs, ...labelName(`${path}.topologyKey`, key)];
}

function validatePodAffinity(pa: JsonMap, path: string): FieldError[] {
  const req = `${path}.requiredDuringSchedulingIgnoredDuringExecution`;
  const pref = `${path}.preferredDuringSchedulingIgnoredDuringExecution`;
  return [
    ...asArray(pa.requiredDuringSchedulingIgnoredDuringExecution).flatMap((t, i) => validatePodAffinityTerm(t, `${req}[${i}]`)),
    ...asMaps(pa.preferredDuringSchedulingIgnoredDuringExecution).flatMap((t, i) => [
      ...weight(`${pref}[${i}]`, t.weight),
      ...validatePodAffinityTerm(t.podAffinityTerm, `${pref}[${i}].podAffinityTerm`),
    ]),
  ];
}

/** Upstream's validateAffinity, at path ("spec.affinity"). */
export function validateAffinity(raw: unknown, path: string): FieldError[] {
  const a = asMap(raw);
  if (!a) return [];
  const errs: FieldError[] = [];
  const na = asMap(a.nodeAffinity);
  if (na) errs.push(...validateNodeAffinity(na, `${path}.nodeAffinity`));
  const pa = asMap(a.podAffinity);
  if (pa) errs.push(...validatePodAffinity(pa, `${path}.podAffinity`));
  const anti = asMap(a.podAntiAffinity);
  if (anti) errs.push(...validatePodAffinity(anti, `${path}.podAntiAffinity`));
  return errs;
}
