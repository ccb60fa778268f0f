/** Matching one PolicyRule against a request, with upstream's wildcard rules. */
import type { AuthzAttributes } from "../types.ts";
import type { LabelSelector, PolicyRule } from "./types.ts";

function hasOrStar(list: string[] | undefined, value: string): boolean {
  return list !== undefined && (list.includes("*") || list.includes(value));
}

/** Resource match: exact, `*`, `pods/log` style, or `*\/scale` for a subresource of anything. */
function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource === "" ? resource : `${resource}/${subresource}`;
  for (const r of rule.resources ?? []) {
    if (r === "*" || r === combined) return true;
    if (subresource !== "" && r === `*/${subresource}`) return true;
  }
  return false;
}

/** A non-resource URL rule: exact path, `*`, or a prefix ending in `*`. */
function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === "*" || u === path) return true;
    if (u.endsWith("*") && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

/** Whether the rule grants the request. */
export function ruleAllows(attrs: AuthzAttributes, rule: PolicyRule): boolean {
  if (!hasOrStar(rule.verbs, attrs.verb)) return false;
  if (!attrs.resourceRequest) return nonResourceURLMatches(rule, attrs.path ?? "");
  if (!hasOrStar(rule.apiGroups, attrs.apiGroup ?? "")) return false;
  if (!resourceMatches(rule, attrs.resource ?? "", attrs.subresource ?? "")) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(attrs.name ?? "");
}

/** Label selector semantics of metav1.LabelSelector (an empty selector matches everything). */
export function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const req of selector.matchExpressions ?? []) {
    const present = Object.prototype.hasOwnProperty.call(l, req.key);
    switch (req.operator) {
      case "In":
        if (!present || !(req.values ?? []).includes(l[req.key])) return false;
        break;
      case "NotIn":
        if (present && (req.values ?? []).includes(l[req.key])) return false;
        break;
      case "Exists":
        if (!present) return false;
        break;
      case "DoesNotExist":
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
