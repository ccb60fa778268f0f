/**
 * The RBAC authorizer: system:masters is superuser; otherwise a request is
 * allowed when a ClusterRoleBinding, or a RoleBinding in the request's
 * namespace, binds the user to a role with a matching rule.
 */
import type { UserInfo } from "../../../api/types.ts";
import type { AuthzAttributes, AuthzDecision, Authorizer } from "../types.ts";
import { ruleAllows } from "./rules.ts";
import { loadSnapshot, rulesOfRef, visitGrants } from "./snapshot.ts";
import type { Snapshot } from "./snapshot.ts";
import type { PolicyRule, RbacLister, RoleRef } from "./types.ts";

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

const SUPERUSER_RULES: SubjectRules = {
  resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }],
  nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
  incomplete: false,
};

/** Keeps one snapshot, re-listing when it is older than maxAge or invalidated; one listing at a time. */
class SnapshotCache {
  private snapshot: Snapshot | undefined;
  private loading: Promise<Snapshot> | undefined;
  private generation = 0;

  constructor(
    private readonly lister: RbacLister,
    private readonly maxAgeMs: number,
  ) {}

  invalidate(): void {
    this.generation++;
    if (this.snapshot) this.snapshot.loadedAt = 0;
  }

  /** The snapshot, re-listed first when older than maxAgeMs (or than fresherThanMs, when given). */
  async current(fresherThanMs?: number): Promise<Snapshot> {
    const snap = this.snapshot;
    const maxAge = Math.min(this.maxAgeMs, fresherThanMs ?? Infinity);
    if (snap && maxAge > 0 && Date.now() - snap.loadedAt < maxAge) return snap;
    if (!this.loading) {
      const started = this.generation;
      this.loading = loadSnapshot(this.lister)
        .then((loaded) => {
          // an invalidate() while listing means this result may already be stale
          if (started !== this.generation) loaded.loadedAt = 0;
          return loaded;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    try {
      this.snapshot = await this.loading;
    } catch (err) {
      // a failed re-list keeps the last good view rather than denying everyone
      if (this.snapshot) return this.snapshot;
      throw new Error(`rbac objects cannot be listed: ${(err as Error).message}`);
    }
    return this.snapshot;
  }
}

/** Denials and rule listings use a snapshot at most this old (ms). */
const RECHECK_AFTER_MS = 50;

/** RBAC's answer from one snapshot. */
function decide(snap: Snapshot, attrs: AuthzAttributes): AuthzDecision {
  let reason: string | undefined;
  const errors = visitGrants(snap, {
    user: attrs.user,
    namespace: attrs.resourceRequest ? (attrs.namespace ?? "") : "",
    visit: (g) => {
      if (!g.rules.some((r) => ruleAllows(attrs, r))) return false;
      reason = `RBAC: allowed by ${g.describe()}`;
      return true;
    },
  });
  if (reason) return { allowed: true, reason };
  if (errors.length === 0) return { allowed: false, reason: "" };
  return { allowed: false, reason: `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`}` };
}

/** Flattens grants into SelfSubjectRulesReview's resource and non-resource rules. */
function collectRules(snap: Snapshot, query: { user: UserInfo; namespace: string }): SubjectRules {
  const resourceRules: PolicyRule[] = [];
  const nonResourceRules: PolicyRule[] = [];
  const errors = visitGrants(snap, {
    ...query,
    visit: (g) => {
      for (const r of g.rules) {
        if (r.nonResourceURLs && r.nonResourceURLs.length > 0) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
        if (!r.resources || r.resources.length === 0) continue;
        const rule: PolicyRule = { verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources };
        if (r.resourceNames && r.resourceNames.length > 0) rule.resourceNames = r.resourceNames;
        resourceRules.push(rule);
      }
      return false;
    },
  });
  const out: SubjectRules = { resourceRules, nonResourceRules, incomplete: errors.length > 0 };
  if (errors.length > 0) out.evaluationError = errors.join(", ");
  return out;
}

/** Creates the RBAC authorizer over a lister of RBAC objects. */
export function createRbacAuthorizer(opts: RbacAuthorizerOptions): RbacAuthorizer {
  const cache = new SnapshotCache(opts.lister, opts.maxAgeMs ?? 1000);
  const superGroups = opts.superuserGroups ?? [SUPERUSER_GROUP];
  const isSuperuser = (user: UserInfo) => user.groups.some((g) => superGroups.includes(g));
  return {
    invalidate: () => cache.invalidate(),
    async authorize(attrs: AuthzAttributes): Promise<AuthzDecision> {
      if (isSuperuser(attrs.user)) return { allowed: true, reason: "" };
      try {
        const first = decide(await cache.current(), attrs);
        if (first.allowed) return first;
        // a denial re-checks a snapshot that is not brand new: a binding made just before must count
        return decide(await cache.current(RECHECK_AFTER_MS), attrs);
      } catch (err) {
        return { allowed: false, reason: `RBAC: ${(err as Error).message}` };
      }
    },
    async rulesOfRole(ref, namespace) {
      return rulesOfRef(await cache.current(), { ref, namespace });
    },
    async rulesFor(user, namespace) {
      const rules = collectRules(await cache.current(RECHECK_AFTER_MS), { user, namespace });
      if (!isSuperuser(user)) return rules;
      return {
        ...rules,
        resourceRules: [...SUPERUSER_RULES.resourceRules, ...rules.resourceRules],
        nonResourceRules: [...SUPERUSER_RULES.nonResourceRules, ...rules.nonResourceRules],
      };
    },
  };
}
