/**
 * The RBAC authorizer: system:masters is superuser; otherwise a request is
 * allowed when a ClusterRoleBinding, or a RoleBinding in the request's
 * namespace, binds the user to a role with a matching rule.
 */
import type { UserInfo } from "../../../api/types.ts";
import type { AuthzAttributes, AuthzDecision, Authorizer } from "../types.ts";
import { resolveClusterRoleRules } from "./aggregation.ts";
import { ruleAllows } from "./rules.ts";
import type { BindingObject, PolicyRule, RbacLister, RoleObject, RoleRef, Subject } from "./types.ts";

/** The group whose members may do anything. */
export const SUPERUSER_GROUP = "system:masters";

export interface RbacAuthorizerOptions {
  lister: RbacLister;
  /** re-list after this many ms even without invalidate() (default 1000; 0 = every request) */
  maxAgeMs?: number;
  /** groups treated as superusers (default [system:masters]) */
  superuserGroups?: string[];
}

/** The rules that apply to a user in one namespace, for SelfSubjectRulesReview. */
export interface SubjectRules {
  resourceRules: PolicyRule[];
  nonResourceRules: PolicyRule[];
  /** rules could not all be read (a missing role) */
  incomplete: boolean;
  evaluationError?: string;
}

export interface RbacAuthorizer extends Authorizer {
  /** drop the cached RBAC objects; call on any Role/ClusterRole/binding change */
  invalidate(): void;
  /** every rule that applies to user in namespace ("" = cluster-wide only) */
  rulesFor(user: UserInfo, namespace: string): Promise<SubjectRules>;
  /** the (aggregated) rules of the role a roleRef names, resolved in namespace for Roles; undefined when absent */
  rulesOfRole(ref: RoleRef, namespace: string): Promise<PolicyRule[] | undefined>;
}

interface Snapshot {
  loadedAt: number;
  roles: Map<string, PolicyRule[]>;
  clusterRoles: Map<string, PolicyRule[]>;
  roleBindings: Map<string, BindingObject[]>;
  clusterRoleBindings: BindingObject[];
}

interface Grant {
  rules: PolicyRule[];
  describe: () => string;
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === "ServiceAccount") return `${s.kind} "${s.name}/${s.namespace || bindingNamespace}"`;
  return `${s.kind} "${s.name}"`;
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

function roleNotFound(ref: BindingObject["roleRef"]): string {
  return ref.kind === "Role"
    ? `role.rbac.authorization.k8s.io "${ref.name}" not found`
    : `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`;
}

/** Creates the RBAC authorizer over a lister of RBAC objects. */
export function createRbacAuthorizer(opts: RbacAuthorizerOptions): RbacAuthorizer {
  const maxAge = opts.maxAgeMs ?? 1000;
  const superGroups = opts.superuserGroups ?? [SUPERUSER_GROUP];
  let snapshot: Snapshot | undefined;
  let loading: Promise<Snapshot> | undefined;
  let generation = 0;

  const load = async (): Promise<Snapshot> => {
    const started = generation;
    const [roles, roleBindings, clusterRoles, clusterRoleBindings] = await Promise.all([
      opts.lister.listRoles(),
      opts.lister.listRoleBindings(),
      opts.lister.listClusterRoles(),
      opts.lister.listClusterRoleBindings(),
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
    // an invalidate() while listing means this result may already be stale
    if (started !== generation) snap.loadedAt = 0;
    return snap;
  };

  const current = async (): Promise<Snapshot> => {
    if (snapshot && maxAge > 0 && Date.now() - snapshot.loadedAt < maxAge) return snapshot;
    if (!loading) {
      loading = load().finally(() => {
        loading = undefined;
      });
    }
    try {
      snapshot = await loading;
    } catch (err) {
      // a failed re-list keeps the last good view rather than denying everyone
      if (snapshot) return snapshot;
      throw new Error(`rbac objects cannot be listed: ${(err as Error).message}`);
    }
    return snapshot;
  };

  /** Calls visit for every grant that applies; stops when visit returns true. */
  const visitGrants = (snap: Snapshot, user: UserInfo, namespace: string, visit: (g: Grant) => boolean): string[] => {
    const errors: string[] = [];
    const rulesOf = (ref: BindingObject["roleRef"], ns: string): PolicyRule[] | undefined =>
      ref.kind === "Role" ? snap.roles.get(`${ns}/${ref.name}`) : snap.clusterRoles.get(ref.name);
    for (const b of snap.clusterRoleBindings) {
      const subject = (b.subjects ?? []).find((s) => subjectMatches(user, s, ""));
      if (!subject || b.roleRef.kind !== "ClusterRole") continue;
      const rules = rulesOf(b.roleRef, "");
      if (!rules) {
        errors.push(roleNotFound(b.roleRef));
        continue;
      }
      const describe = () => `ClusterRoleBinding "${b.metadata.name}" of ClusterRole "${b.roleRef.name}" to ${describeSubject(subject, "")}`;
      if (visit({ rules, describe })) return errors;
    }
    if (namespace === "") return errors;
    for (const b of snap.roleBindings.get(namespace) ?? []) {
      const subject = (b.subjects ?? []).find((s) => subjectMatches(user, s, namespace));
      if (!subject) continue;
      const rules = rulesOf(b.roleRef, namespace);
      if (!rules) {
        errors.push(roleNotFound(b.roleRef));
        continue;
      }
      const describe = () =>
        `RoleBinding "${b.metadata.name}/${namespace}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(subject, namespace)}`;
      if (visit({ rules, describe })) return errors;
    }
    return errors;
  };

  return {
    invalidate() {
      generation++;
      if (snapshot) snapshot.loadedAt = 0;
    },
    async authorize(attrs: AuthzAttributes): Promise<AuthzDecision> {
      if (attrs.user.groups.some((g) => superGroups.includes(g))) return { allowed: true, reason: "" };
      let snap: Snapshot;
      try {
        snap = await current();
      } catch (err) {
        return { allowed: false, reason: `RBAC: ${(err as Error).message}` };
      }
      let reason: string | undefined;
      const errors = visitGrants(snap, attrs.user, attrs.resourceRequest ? (attrs.namespace ?? "") : "", (g) => {
        if (!g.rules.some((r) => ruleAllows(attrs, r))) return false;
        reason = `RBAC: allowed by ${g.describe()}`;
        return true;
      });
      if (reason) return { allowed: true, reason };
      if (errors.length === 0) return { allowed: false, reason: "" };
      return { allowed: false, reason: `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`}` };
    },
    async rulesOfRole(ref, namespace) {
      const snap = await current();
      return ref.kind === "Role" ? snap.roles.get(`${namespace}/${ref.name}`) : snap.clusterRoles.get(ref.name);
    },
    async rulesFor(user, namespace) {
      const resourceRules: PolicyRule[] = [];
      const nonResourceRules: PolicyRule[] = [];
      if (user.groups.some((g) => superGroups.includes(g))) {
        resourceRules.push({ verbs: ["*"], apiGroups: ["*"], resources: ["*"] });
        nonResourceRules.push({ verbs: ["*"], nonResourceURLs: ["*"] });
      }
      const snap = await current();
      const errors = visitGrants(snap, user, namespace, (g) => {
        for (const r of g.rules) {
          if (r.nonResourceURLs && r.nonResourceURLs.length > 0) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
          if (r.resources && r.resources.length > 0) {
            const rule: PolicyRule = { verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources };
            if (r.resourceNames && r.resourceNames.length > 0) rule.resourceNames = r.resourceNames;
            resourceRules.push(rule);
          }
        }
        return false;
      });
      const out: SubjectRules = { resourceRules, nonResourceRules, incomplete: errors.length > 0 };
      if (errors.length > 0) out.evaluationError = errors.join(", ");
      return out;
    },
  };
}
