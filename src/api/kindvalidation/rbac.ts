/** rbac.authorization.k8s.io/v1 validation as upstream's pkg/apis/rbac/validation (1.32). */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { type JsonMap, asArray, asMap, asMaps, asString } from "../access.ts";
import { dns1123Subdomain, invalid, notSupported, pathSegmentName, required, validateLabelSelector } from "../validation.ts";
import { sameValue } from "./common.ts";

const RBAC_GROUP = "rbac.authorization.k8s.io";

/** Upstream's ValidatePolicyRule: verbs, and either resources (with groups) or non-resource URLs. */
function validateRule(rule: JsonMap, path: string, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!asArray(rule.verbs).length) errs.push(required(`${path}.verbs`, "verbs must contain at least one value"));
  const urls = asArray(rule.nonResourceURLs);
  if (urls.length) {
    if (namespaced) errs.push(invalid(`${path}.nonResourceURLs`, { value: urls, detail: "namespaced rules cannot apply to non-resource URLs" }));
    if (asArray(rule.apiGroups).length || asArray(rule.resources).length || asArray(rule.resourceNames).length) {
      errs.push(invalid(`${path}.nonResourceURLs`, { value: urls, detail: "rules cannot apply to both regular resources and non-resource URLs" }));
    }
    return errs;
  }
  if (!asArray(rule.apiGroups).length) errs.push(required(`${path}.apiGroups`, "resource rules must supply at least one api group"));
  if (!asArray(rule.resources).length) errs.push(required(`${path}.resources`, "resource rules must supply at least one resource"));
  return errs;
}

/** Upstream's ValidateRole (namespaced) and ValidateClusterRole, with its aggregation rule. */
export function validateRole(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errs = asMaps(obj.rules).flatMap((r, i) => validateRule(r, `rules[${i}]`, namespaced));
  const aggregation = asMap(obj.aggregationRule);
  if (!namespaced && aggregation) {
    const selectors = asMaps(aggregation.clusterRoleSelectors);
    const path = "aggregationRule.clusterRoleSelectors";
    if (!selectors.length) errs.push(required(path, "at least one clusterRoleSelector required if aggregationRule is non-nil"));
    selectors.forEach((s, i) => errs.push(...validateLabelSelector(s, `${path}[${i}]`)));
  }
  return errs;
}

function validateSubject(s: JsonMap, path: string, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = asString(s.name);
  if (!name) errs.push(required(`${path}.name`));
  switch (s.kind) {
    case "ServiceAccount":
      if (name) for (const m of dns1123Subdomain(name)) errs.push(invalid(`${path}.name`, { value: name, detail: m }));
      if (asString(s.apiGroup)) errs.push(notSupported(`${path}.apiGroup`, { value: s.apiGroup, supported: [""] }));
      if (!namespaced && !asString(s.namespace)) errs.push(required(`${path}.namespace`));
      break;
    case "User":
    case "Group":
      if (s.apiGroup !== RBAC_GROUP) errs.push(notSupported(`${path}.apiGroup`, { value: s.apiGroup ?? "", supported: [RBAC_GROUP] }));
      break;
    default:
      errs.push(notSupported(`${path}.kind`, { value: s.kind ?? "", supported: ["ServiceAccount", "User", "Group"] }));
  }
  return errs;
}

/** What differs between a RoleBinding and a ClusterRoleBinding check. */
export interface BindingRules {
  /** the stored binding on update */
  old?: KubeObject;
  /** a RoleBinding: may name a Role; its ServiceAccount subjects default to its namespace */
  namespaced: boolean;
}

/** Upstream's ValidateRoleBinding / ValidateClusterRoleBinding and their updates (roleRef never changes). */
export function validateBinding(obj: KubeObject, rules: BindingRules): FieldError[] {
  const { old, namespaced } = rules;
  const kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
  const errs: FieldError[] = [];
  const ref = asMap(obj.roleRef) ?? {};
  if (ref.apiGroup !== RBAC_GROUP) errs.push(notSupported("roleRef.apiGroup", { value: ref.apiGroup ?? "", supported: [RBAC_GROUP] }));
  if (!kinds.includes(asString(ref.kind))) errs.push(notSupported("roleRef.kind", { value: ref.kind ?? "", supported: kinds }));
  const name = asString(ref.name);
  if (!name) errs.push(required("roleRef.name"));
  else for (const m of pathSegmentName(name)) errs.push(invalid("roleRef.name", { value: name, detail: m }));
  asMaps(obj.subjects).forEach((s, i) => errs.push(...validateSubject(s, `subjects[${i}]`, namespaced)));
  if (old && !sameValue(obj.roleRef, old.roleRef)) errs.push(invalid("roleRef", { value: obj.roleRef ?? {}, detail: "cannot change roleRef" }));
  return errs;
}
