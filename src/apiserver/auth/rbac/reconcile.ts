/**
 * Start-up reconciliation of the bootstrap policy, as kube-apiserver's
 * post-start hook does: missing objects are created; existing ones whose
 * autoupdate annotation is not "false" gain missing rules, subjects,
 * labels and annotations. Nothing is ever removed.
 */
import type { KubeObject } from "../../../api/types.ts";
import { aggregateClusterRoles, resolveClusterRoleRules } from "./aggregation.ts";
import { AUTOUPDATE_ANNOTATION, bootstrapPolicy } from "./policy.ts";
import type { BindingObject, PolicyRule, RoleObject, Subject } from "./types.ts";

export interface PolicyChanges {
  create: KubeObject[];
  /** full objects to PUT (they keep the existing resourceVersion) */
  update: KubeObject[];
}

function key(obj: KubeObject): string {
  return `${obj.kind}/${obj.metadata.namespace ?? ""}/${obj.metadata.name}`;
}

function ruleKey(r: PolicyRule): string {
  const sorted = (l: string[] | undefined) => [...(l ?? [])].sort();
  return JSON.stringify([sorted(r.verbs), sorted(r.apiGroups), sorted(r.resources), sorted(r.resourceNames), sorted(r.nonResourceURLs)]);
}

function subjectKey(s: Subject): string {
  return `${s.kind}/${s.namespace ?? ""}/${s.name}`;
}

function mergeMeta(have: KubeObject, want: KubeObject): { obj: KubeObject; changed: boolean } {
  let changed = false;
  const labels = { ...have.metadata.labels };
  const annotations = { ...have.metadata.annotations };
  for (const [k, v] of Object.entries(want.metadata.labels ?? {})) {
    if (labels[k] !== undefined) continue;
    labels[k] = v;
    changed = true;
  }
  for (const [k, v] of Object.entries(want.metadata.annotations ?? {})) {
    if (annotations[k] !== undefined) continue;
    annotations[k] = v;
    changed = true;
  }
  return { obj: { ...have, metadata: { ...have.metadata, labels, annotations } }, changed };
}

function reconcileRole(have: RoleObject, want: RoleObject): KubeObject | undefined {
  const merged = mergeMeta(have, want);
  let changed = merged.changed;
  const obj = merged.obj as RoleObject;
  if (want.aggregationRule) {
    // the aggregation controller owns the rules of aggregated roles
    if (!have.aggregationRule) {
      obj.aggregationRule = want.aggregationRule;
      changed = true;
    }
  } else {
    const present = new Set((have.rules ?? []).map(ruleKey));
    const missing = (want.rules ?? []).filter((r) => !present.has(ruleKey(r)));
    if (missing.length > 0) {
      obj.rules = [...(have.rules ?? []), ...missing];
      changed = true;
    }
  }
  return changed ? obj : undefined;
}

function reconcileBinding(have: BindingObject, want: BindingObject): KubeObject | undefined {
  const merged = mergeMeta(have, want);
  let changed = merged.changed;
  const obj = merged.obj as BindingObject;
  const present = new Set((have.subjects ?? []).map(subjectKey));
  const missing = (want.subjects ?? []).filter((s) => !present.has(subjectKey(s)));
  if (missing.length > 0) {
    obj.subjects = [...(have.subjects ?? []), ...missing];
    changed = true;
  }
  return changed ? obj : undefined;
}

/** What to create and update so that the existing RBAC objects include the bootstrap policy. */
export function reconcilePolicy(existing: KubeObject[], desired: KubeObject[] = bootstrapPolicy()): PolicyChanges {
  const byKey = new Map(existing.map((o) => [key(o), o]));
  const out: PolicyChanges = { create: [], update: [] };
  for (const want of desired) {
    const have = byKey.get(key(want));
    if (!have) {
      out.create.push(want);
      continue;
    }
    if (have.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === "false") continue;
    const updated = want.kind === "ClusterRole" || want.kind === "Role"
      ? reconcileRole(have as RoleObject, want as RoleObject)
      : reconcileBinding(have as BindingObject, want as BindingObject);
    if (updated) out.update.push(updated);
  }
  fillAggregatedRules(existing, out);
  return out;
}

/**
 * Gives aggregated ClusterRoles (admin, edit, view) their rules at once, so
 * they read right before the aggregation controller first runs.
 */
function fillAggregatedRules(existing: KubeObject[], changes: PolicyChanges): void {
  const latest = new Map<string, KubeObject>();
  for (const o of [...existing, ...changes.create, ...changes.update]) if (o.kind === "ClusterRole") latest.set(o.metadata.name ?? "", o);
  const rules = resolveClusterRoleRules([...latest.values()]);
  for (const list of [changes.create, changes.update]) {
    for (let i = 0; i < list.length; i++) {
      const o = list[i] as RoleObject;
      if (o.kind !== "ClusterRole" || !o.aggregationRule) continue;
      list[i] = { ...o, rules: rules.get(o.metadata.name ?? "") ?? [] };
    }
  }
  const touched = new Set([...changes.create, ...changes.update].map(key));
  for (const stale of aggregateClusterRoles(existing.filter((o) => o.kind === "ClusterRole").map((o) => latest.get(o.metadata.name ?? "") ?? o))) {
    if (touched.has(key(stale)) || stale.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === "false") continue;
    changes.update.push({ ...stale, rules: rules.get(stale.metadata.name ?? "") ?? [] });
  }
}
