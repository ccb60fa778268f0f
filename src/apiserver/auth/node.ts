/**
 * The Node authorizer k3s runs before RBAC (--authorization-mode=Node,RBAC):
 * a kubelet (user system:node:<name> in system:nodes) may read only the
 * secrets, configmaps, persistent volume claims/volumes and service-account
 * tokens of pods bound to its node; for everything else it gets the
 * system:node role's rules. Anyone else gets no opinion here.
 */
import type { KubeObject } from "../../api/types.ts";
import { ruleAllows } from "./rbac/rules.ts";
import { bootstrapPolicy } from "./rbac/policy.ts";
import type { RbacAuthorizer } from "./rbac/authorizer.ts";
import type { PolicyRule, RoleObject } from "./rbac/types.ts";
import type { AuthzAttributes, AuthzDecision, Authorizer } from "./types.ts";

/** What the Node authorizer reads: the pods on a node and single objects (PVCs for their volumes). */
export interface NodeGraph {
  /** pods whose spec.nodeName is nodeName */
  podsOnNode(nodeName: string): Promise<KubeObject[]>;
  getObject(resource: string, namespace: string, name: string): Promise<KubeObject | undefined>;
}

export interface NodeAuthorizerOptions {
  graph: NodeGraph;
  /** rules every node holds beyond its pods' objects (default: the bootstrap system:node role) */
  nodeRules?: PolicyRule[];
}

const NODE_PREFIX = "system:node:";
const NODES_GROUP = "system:nodes";
const READ_VERBS = new Set(["get", "list", "watch"]);

interface PodSpecish {
  serviceAccountName?: string;
  imagePullSecrets?: { name?: string }[];
  volumes?: Record<string, unknown>[];
  containers?: ContainerIsh[];
  initContainers?: ContainerIsh[];
  ephemeralContainers?: ContainerIsh[];
}

interface ContainerIsh {
  env?: { valueFrom?: { secretKeyRef?: { name?: string }; configMapKeyRef?: { name?: string } } }[];
  envFrom?: { secretRef?: { name?: string }; configMapRef?: { name?: string } }[];
}

/** The names of the objects of one kind a pod refers to. */
export function podReferences(pod: KubeObject): { secrets: Set<string>; configmaps: Set<string>; pvcs: Set<string>; serviceaccount: string } {
  const spec = (pod.spec ?? {}) as PodSpecish;
  const secrets = new Set<string>();
  const configmaps = new Set<string>();
  const pvcs = new Set<string>();
  const add = (set: Set<string>, name: unknown) => {
    if (typeof name === "string" && name !== "") set.add(name);
  };
  for (const s of spec.imagePullSecrets ?? []) add(secrets, s.name);
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])]) {
    for (const e of c.env ?? []) {
      add(secrets, e.valueFrom?.secretKeyRef?.name);
      add(configmaps, e.valueFrom?.configMapKeyRef?.name);
    }
    for (const e of c.envFrom ?? []) {
      add(secrets, e.secretRef?.name);
      add(configmaps, e.configMapRef?.name);
    }
  }
  // volume sources name their secrets in several shapes: secretName, secretRef, nodePublishSecretRef...
  const walk = (node: unknown, key: string): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, key);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if (key === "secret" || /SecretRef$|^secretRef$/.test(key)) add(secrets, o.secretName ?? o.name);
    if (key === "configMap") add(configmaps, o.name);
    if (key === "persistentVolumeClaim") add(pvcs, o.claimName);
    if (typeof o.secretName === "string") add(secrets, o.secretName);
    for (const [k, v] of Object.entries(o)) walk(v, k);
  };
  for (const v of spec.volumes ?? []) {
    walk(v, "");
    // generic ephemeral volumes get a claim named <pod>-<volume>
    if (v.ephemeral && typeof v.name === "string") pvcs.add(`${pod.metadata.name}-${v.name}`);
  }
  return { secrets, configmaps, pvcs, serviceaccount: spec.serviceAccountName || "default" };
}

function defaultNodeRules(): PolicyRule[] {
  const role = bootstrapPolicy().find((o) => o.kind === "ClusterRole" && o.metadata.name === "system:node") as RoleObject;
  return role.rules ?? [];
}

const NO_OPINION: AuthzDecision = { allowed: false, reason: "" };

/** Creates the Node authorizer; chain it before RBAC with unionAuthorizers. */
export function createNodeAuthorizer(opts: NodeAuthorizerOptions): Authorizer {
  const rules = opts.nodeRules ?? defaultNodeRules();
  return {
    async authorize(attrs: AuthzAttributes): Promise<AuthzDecision> {
      const user = attrs.user;
      if (!user.username.startsWith(NODE_PREFIX) || !user.groups.includes(NODES_GROUP)) return NO_OPINION;
      const nodeName = user.username.slice(NODE_PREFIX.length);
      if (!attrs.resourceRequest || (attrs.apiGroup ?? "") !== "") return decideByRules(attrs, rules);
      const resource = attrs.resource ?? "";
      const sub = attrs.subresource ?? "";
      const graphResource = (resource === "secrets" || resource === "configmaps" || resource === "persistentvolumeclaims" || resource === "persistentvolumes") && sub === "";
      const tokenRequest = resource === "serviceaccounts" && sub === "token";
      if (!graphResource && !tokenRequest) return decideByRules(attrs, rules);
      if (tokenRequest ? attrs.verb !== "create" : !READ_VERBS.has(attrs.verb)) {
        return { allowed: false, reason: `node '${nodeName}' cannot ${attrs.verb} ${resource}` };
      }
      if (!attrs.name) return { allowed: false, reason: `node '${nodeName}' can only ${attrs.verb} individual ${resource}` };
      const related = await relates(opts.graph, { nodeName, resource, namespace: attrs.namespace ?? "", name: attrs.name });
      if (related) return { allowed: true, reason: "" };
      return { allowed: false, reason: `no relationship found between node '${nodeName}' and this object` };
    },
  };
}

function decideByRules(attrs: AuthzAttributes, rules: PolicyRule[]): AuthzDecision {
  return rules.some((r) => ruleAllows(attrs, r)) ? { allowed: true, reason: "" } : NO_OPINION;
}

interface Relation {
  nodeName: string;
  resource: string;
  namespace: string;
  name: string;
}

async function relates(graph: NodeGraph, r: Relation): Promise<boolean> {
  const pods = await graph.podsOnNode(r.nodeName);
  for (const pod of pods) {
    const podNs = pod.metadata.namespace ?? "";
    const refs = podReferences(pod);
    if (r.resource === "persistentvolumes") {
      for (const claim of refs.pvcs) {
        const pvc = await graph.getObject("persistentvolumeclaims", podNs, claim);
        if ((pvc?.spec as { volumeName?: string } | undefined)?.volumeName === r.name) return true;
      }
      continue;
    }
    if (podNs !== r.namespace) continue;
    if (r.resource === "secrets" && refs.secrets.has(r.name)) return true;
    if (r.resource === "configmaps" && refs.configmaps.has(r.name)) return true;
    if (r.resource === "persistentvolumeclaims" && refs.pvcs.has(r.name)) return true;
    if (r.resource === "serviceaccounts" && refs.serviceaccount === r.name) return true;
  }
  return false;
}

/** Asks each authorizer in turn; the first that allows decides, otherwise the reasons are joined. Keeps the first member's rulesFor (for SelfSubjectRulesReview). */
export function unionAuthorizers(authorizers: Array<Authorizer & Partial<Pick<RbacAuthorizer, "rulesFor">>>): Authorizer & Partial<Pick<RbacAuthorizer, "rulesFor">> {
  const withRules = authorizers.find((a) => a.rulesFor);
  return {
    rulesFor: withRules?.rulesFor?.bind(withRules),
    async authorize(attrs) {
      const reasons: string[] = [];
      for (const a of authorizers) {
        const d = await a.authorize(attrs);
        if (d.allowed) return d;
        if (d.reason) reasons.push(d.reason);
      }
      return { allowed: false, reason: reasons.join(", ") };
    },
  };
}
