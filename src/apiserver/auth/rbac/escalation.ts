/**
 * RBAC escalation prevention, as kube-apiserver's RBAC registry enforces it:
 * a user may write a Role/ClusterRole only with rules they already hold (or
 * the `escalate` verb), and a binding only to a role whose rules they hold
 * (or the `bind` verb on that role). Only cluster-wide superusers may set an
 * aggregationRule.
 */
import type { KindDef, StrategyContext } from "../../../api/kind.ts";
import type { KubeObject, Status, UserInfo } from "../../../api/types.ts";
import { ApiStatusError } from "../../errors.ts";
import type { RbacAuthorizer } from "./authorizer.ts";
import type { BindingObject, PolicyRule, RoleObject } from "./types.ts";

const GROUP = "rbac.authorization.k8s.io";

function has(list: string[] | undefined, value: string): boolean {
  return list !== undefined && (list.includes("*") || list.includes(value));
}

function resourceCovered(owner: string[] | undefined, resource: string): boolean {
  if (has(owner, resource)) return true;
  const slash = resource.indexOf("/");
  return slash > 0 && (owner ?? []).includes(`*${resource.slice(slash)}`);
}

/** One verb on one resource (and name) or one non-resource URL. */
interface Atom {
  verb: string;
  group?: string;
  resource?: string;
  name?: string;
  url?: string;
}

function atoms(rule: PolicyRule): Atom[] {
  const out: Atom[] = [];
  for (const verb of rule.verbs ?? []) {
    for (const url of rule.nonResourceURLs ?? []) out.push({ verb, url });
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const names = rule.resourceNames && rule.resourceNames.length > 0 ? rule.resourceNames : [undefined];
        for (const name of names) out.push({ verb, group, resource, name });
      }
    }
  }
  return out;
}

function covers(owner: PolicyRule, atom: Atom): boolean {
  if (!has(owner.verbs, atom.verb)) return false;
  if (atom.url !== undefined) {
    return (owner.nonResourceURLs ?? []).some((u) => u === "*" || u === atom.url || (u.endsWith("*") && atom.url!.startsWith(u.slice(0, -1))));
  }
  if (!has(owner.apiGroups, atom.group ?? "")) return false;
  if (!resourceCovered(owner.resources, atom.resource ?? "")) return false;
  const names = owner.resourceNames ?? [];
  return names.length === 0 || (atom.name !== undefined && names.includes(atom.name));
}

/** The parts of `wanted` that `held` does not cover, as rules of one verb each. */
export function uncoveredRules(held: PolicyRule[], wanted: PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const rule of wanted) {
    for (const a of atoms(rule)) {
      if (held.some((h) => covers(h, a))) continue;
      if (a.url !== undefined) missing.push({ verbs: [a.verb], nonResourceURLs: [a.url] });
      else missing.push({ verbs: [a.verb], apiGroups: [a.group ?? ""], resources: [a.resource ?? ""], ...(a.name !== undefined ? { resourceNames: [a.name] } : {}) });
    }
  }
  return missing;
}

function describe(rule: PolicyRule): string {
  const q = (l: string[]) => `[${l.map((v) => JSON.stringify(v)).join(" ")}]`;
  const parts: string[] = [];
  if (rule.apiGroups) parts.push(`APIGroups:${q(rule.apiGroups)}`);
  if (rule.resources) parts.push(`Resources:${q(rule.resources)}`);
  if (rule.resourceNames) parts.push(`ResourceNames:${q(rule.resourceNames)}`);
  if (rule.nonResourceURLs) parts.push(`NonResourceURLs:${q(rule.nonResourceURLs)}`);
  parts.push(`Verbs:${q(rule.verbs)}`);
  return `{${parts.join(", ")}}`;
}

function forbidden(obj: KubeObject, message: string): Status {
  const resource = `${(obj.kind ?? "").toLowerCase()}s`;
  const name = obj.metadata.name ?? "";
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `${resource}.${GROUP} "${name}" is forbidden: ${message}`,
    reason: "Forbidden",
    details: { name, group: GROUP, kind: resource },
    code: 403,
  };
}

function heldBy(user: UserInfo): string {
  return `user "${user.username}" (groups=[${user.groups.map((g) => JSON.stringify(g)).join(" ")}])`;
}

export interface EscalationCheck {
  authorizer: RbacAuthorizer;
  /** who writes the object */
  user: UserInfo;
}

/** Undefined when the user may create/update this Role, ClusterRole or binding; else the 403 Status. */
export async function checkRbacEscalation(obj: KubeObject, check: EscalationCheck): Promise<Status | undefined> {
  const { authorizer, user } = check;
  const namespace = obj.metadata.namespace ?? "";
  const may = async (verb: string, resource: string, name: string) =>
    (await authorizer.authorize({ user, verb, resourceRequest: true, apiGroup: GROUP, resource, namespace: namespace || undefined, name })).allowed;
  const held = async () => {
    const rules = await authorizer.rulesFor(user, namespace);
    return [...rules.resourceRules, ...rules.nonResourceRules];
  };
  if (obj.kind === "Role" || obj.kind === "ClusterRole") {
    const role = obj as RoleObject;
    if (role.aggregationRule) {
      const full = uncoveredRules(await held(), [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }, { verbs: ["*"], nonResourceURLs: ["*"] }]);
      if (full.length > 0) return forbidden(obj, "must have cluster-admin privileges to use the aggregationRule");
      return undefined;
    }
    if (await may("escalate", obj.kind === "Role" ? "roles" : "clusterroles", obj.metadata.name ?? "")) return undefined;
    const missing = uncoveredRules(await held(), role.rules ?? []);
    if (missing.length === 0) return undefined;
    return forbidden(obj, `${heldBy(user)} is attempting to grant RBAC permissions not currently held:\n${missing.map(describe).join("\n")}`);
  }
  if (obj.kind === "RoleBinding" || obj.kind === "ClusterRoleBinding") {
    const ref = (obj as BindingObject).roleRef;
    if (await may("bind", ref.kind === "Role" ? "roles" : "clusterroles", ref.name)) return undefined;
    const rules = await authorizer.rulesOfRole(ref, namespace);
    if (!rules) return forbidden(obj, `${ref.kind.toLowerCase()}.${GROUP} "${ref.name}" not found`);
    const missing = uncoveredRules(await held(), rules);
    if (missing.length === 0) return undefined;
    return forbidden(obj, `${heldBy(user)} is attempting to grant RBAC permissions not currently held:\n${missing.map(describe).join("\n")}`);
  }
  return undefined;
}

function grantsOf(obj: KubeObject): string {
  return JSON.stringify([obj.rules ?? null, obj.aggregationRule ?? null, obj.roleRef ?? null, obj.subjects ?? null]);
}

/**
 * The kinds with escalation prevention added to the four RBAC kinds'
 * prepareForCreate/prepareForUpdate hooks (updates that leave rules,
 * aggregationRule, roleRef and subjects alone pass unchecked).
 */
export function withEscalationChecks(kinds: KindDef[], authorizer: RbacAuthorizer): KindDef[] {
  return kinds.map((k) => {
    if (k.group !== GROUP || !["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"].includes(k.kind)) return k;
    const enforce = async (obj: KubeObject, ctx: StrategyContext) => {
      const denied = await checkRbacEscalation({ ...obj, kind: k.kind }, { authorizer, user: ctx.user });
      if (denied) throw new ApiStatusError(denied);
    };
    return {
      ...k,
      async prepareForCreate(obj, ctx) {
        await enforce(obj, ctx);
        await k.prepareForCreate?.(obj, ctx);
      },
      async prepareForUpdate(obj, old, ctx) {
        if (grantsOf(obj) !== grantsOf(old)) await enforce(obj, ctx);
        await k.prepareForUpdate?.(obj, old, ctx);
      },
    };
  });
}
