/**
 * ClusterRole aggregation: a role with an aggregationRule holds the rules of
 * every ClusterRole its selectors pick (in selector order, by name, without
 * duplicates), as the clusterrole-aggregation controller writes them.
 */
import type { KubeObject } from "../../../api/types.ts";
import { labelSelectorMatches } from "./rules.ts";
import type { PolicyRule, RoleObject } from "./types.ts";

function canonicalRule(rule: PolicyRule): string {
  const norm = (l: string[] | undefined) => (l && l.length > 0 ? l : undefined);
  return JSON.stringify([norm(rule.verbs), norm(rule.apiGroups), norm(rule.resources), norm(rule.resourceNames), norm(rule.nonResourceURLs)]);
}

function cleanRule(rule: PolicyRule): PolicyRule {
  const out: PolicyRule = { verbs: [...(rule.verbs ?? [])] };
  if (rule.apiGroups && rule.apiGroups.length > 0) out.apiGroups = [...rule.apiGroups];
  if (rule.resources && rule.resources.length > 0) out.resources = [...rule.resources];
  if (rule.resourceNames && rule.resourceNames.length > 0) out.resourceNames = [...rule.resourceNames];
  if (rule.nonResourceURLs && rule.nonResourceURLs.length > 0) out.nonResourceURLs = [...rule.nonResourceURLs];
  return out;
}

/** The effective rules of every ClusterRole by name, with aggregation resolved to its fixed point. */
export function resolveClusterRoleRules(clusterRoles: KubeObject[]): Map<string, PolicyRule[]> {
  const roles = [...(clusterRoles as RoleObject[])].sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
  const byName = new Map(roles.map((r) => [r.metadata.name ?? "", r]));
  const resolved = new Map<string, PolicyRule[]>();
  const visiting = new Set<string>();
  const resolve = (name: string): PolicyRule[] => {
    const done = resolved.get(name);
    if (done) return done;
    const role = byName.get(name);
    if (!role) return [];
    const selectors = role.aggregationRule?.clusterRoleSelectors;
    if (!selectors) {
      resolved.set(name, role.rules ?? []);
      return role.rules ?? [];
    }
    // a selector cycle: use what is stored rather than recursing forever
    if (visiting.has(name)) return role.rules ?? [];
    visiting.add(name);
    const rules: PolicyRule[] = [];
    const seen = new Set<string>();
    for (const selector of selectors) {
      for (const other of roles) {
        const otherName = other.metadata.name ?? "";
        if (otherName === name || !labelSelectorMatches(selector, other.metadata.labels)) continue;
        for (const rule of resolve(otherName)) {
          const key = canonicalRule(rule);
          if (seen.has(key)) continue;
          seen.add(key);
          rules.push(cleanRule(rule));
        }
      }
    }
    visiting.delete(name);
    resolved.set(name, rules);
    return rules;
  };
  for (const name of byName.keys()) resolve(name);
  return resolved;
}

/** For the aggregation controller: copies of the aggregated ClusterRoles whose stored rules are out of date. */
export function aggregateClusterRoles(clusterRoles: KubeObject[]): KubeObject[] {
  const effective = resolveClusterRoleRules(clusterRoles);
  const changed: KubeObject[] = [];
  for (const role of clusterRoles as RoleObject[]) {
    if (!role.aggregationRule?.clusterRoleSelectors) continue;
    const want = effective.get(role.metadata.name ?? "") ?? [];
    const have = (role.rules ?? []).map(canonicalRule);
    const same = have.length === want.length && want.every((r, i) => canonicalRule(r) === have[i]);
    if (!same) changed.push({ ...role, rules: want });
  }
  return changed;
}
