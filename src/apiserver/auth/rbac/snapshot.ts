/** An in-memory view of the RBAC objects and the walk over the bindings that apply to a user. */
import type { UserInfo } from "../../../api/types.ts";
import { resolveClusterRoleRules } from "./aggregation.ts";
import type { BindingObject, PolicyRule, RbacLister, RoleObject, RoleRef, Subject } from "./types.ts";

/** Roles by key, aggregated ClusterRoles by name, bindings by namespace. */
export interface Snapshot {
  loadedAt: number;
  /** "<namespace>/<name>" → rules */
  roles: Map<string, PolicyRule[]>;
  clusterRoles: Map<string, PolicyRule[]>;
  roleBindings: Map<string, BindingObject[]>;
  clusterRoleBindings: BindingObject[];
}

/** One binding that applies, with its role's rules. */
export interface Grant {
  rules: PolicyRule[];
  /** upstream's wording: ClusterRoleBinding "x" of ClusterRole "y" to User "z" */
  describe(): string;
}

export interface GrantQuery {
  user: UserInfo;
  /** "" = cluster bindings only */
  namespace: string;
  /** return true to stop the walk */
  visit(g: Grant): boolean;
}

/** Lists the four kinds and indexes them, resolving aggregation. */
export async function loadSnapshot(lister: RbacLister): Promise<Snapshot> {
  const [roles, roleBindings, clusterRoles, clusterRoleBindings] = await Promise.all([
    lister.listRoles(),
    lister.listRoleBindings(),
    lister.listClusterRoles(),
    lister.listClusterRoleBindings(),
  ]);
  const snap: Snapshot = {
    loadedAt: Date.now(),
    roles: new Map((roles as RoleObject[]).map((r) => [`${r.metadata.namespace}/${r.metadata.name}`, r.rules ?? []])),
    clusterRoles: resolveClusterRoleRules(clusterRoles),
    roleBindings: new Map(),
    clusterRoleBindings: clusterRoleBindings as BindingObject[],
  };
  for (const b of roleBindings as BindingObject[]) {
    const ns = b.metadata.namespace ?? "";
    const list = snap.roleBindings.get(ns) ?? [];
    list.push(b);
    snap.roleBindings.set(ns, list);
  }
  return snap;
}

/** The rules a roleRef names (Roles resolved in namespace); undefined when the role is missing. */
export function rulesOfRef(snap: Snapshot, ref: { ref: RoleRef; namespace: string }): PolicyRule[] | undefined {
  return ref.ref.kind === "Role" ? snap.roles.get(`${ref.namespace}/${ref.ref.name}`) : snap.clusterRoles.get(ref.ref.name);
}

/** Whether a binding subject names this user (ServiceAccount subjects default to the binding's namespace). */
export function subjectMatches(user: UserInfo, s: Subject, bindingNamespace: string): boolean {
  switch (s.kind) {
    case "User":
      return user.username === s.name;
    case "Group":
      return user.groups.includes(s.name);
    case "ServiceAccount": {
      const ns = s.namespace || bindingNamespace;
      return ns !== "" && user.username === `system:serviceaccount:${ns}:${s.name}`;
    }
    default:
      return false;
  }
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === "ServiceAccount") return `${s.kind} "${s.name}/${s.namespace || bindingNamespace}"`;
  return `${s.kind} "${s.name}"`;
}

function roleNotFound(ref: RoleRef): string {
  return ref.kind === "Role" ? `role.rbac.authorization.k8s.io "${ref.name}" not found` : `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`;
}

/** Visits every grant that applies to the user (cluster bindings first); returns the missing-role errors met. */
export function visitGrants(snap: Snapshot, q: GrantQuery): string[] {
  const errors: string[] = [];
  const scopes: Array<[BindingObject[], string]> = [[snap.clusterRoleBindings, ""]];
  if (q.namespace !== "") scopes.push([snap.roleBindings.get(q.namespace) ?? [], q.namespace]);
  for (const [bindings, ns] of scopes) {
    for (const b of bindings) {
      if (ns === "" && b.roleRef.kind !== "ClusterRole") continue;
      const subject = (b.subjects ?? []).find((s) => subjectMatches(q.user, s, ns));
      if (!subject) continue;
      const rules = rulesOfRef(snap, { ref: b.roleRef, namespace: ns });
      if (!rules) {
        errors.push(roleNotFound(b.roleRef));
        continue;
      }
      const describe =
        ns === ""
          ? () => `ClusterRoleBinding "${b.metadata.name}" of ClusterRole "${b.roleRef.name}" to ${describeSubject(subject, "")}`
          : () => `RoleBinding "${b.metadata.name}/${ns}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(subject, ns)}`;
      if (q.visit({ rules, describe })) return errors;
    }
  }
  return errors;
}
