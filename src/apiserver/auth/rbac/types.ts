/** RBAC object shapes (rbac.authorization.k8s.io/v1) as the authorizer reads them. */
import type { KubeObject } from "../../../api/types.ts";

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: "User" | "Group" | "ServiceAccount" | string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: "Role" | "ClusterRole" | string;
  name: string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface AggregationRule {
  clusterRoleSelectors?: LabelSelector[];
}

/** Role or ClusterRole. */
export interface RoleObject extends KubeObject {
  rules?: PolicyRule[] | null;
  aggregationRule?: AggregationRule;
}

/** RoleBinding or ClusterRoleBinding. */
export interface BindingObject extends KubeObject {
  subjects?: Subject[] | null;
  roleRef: RoleRef;
}

/** Where the authorizer reads RBAC objects; the integrator backs it with informers or the watch cache. */
export interface RbacLister {
  listRoles(): Promise<KubeObject[]>;
  listRoleBindings(): Promise<KubeObject[]>;
  listClusterRoles(): Promise<KubeObject[]>;
  listClusterRoleBindings(): Promise<KubeObject[]>;
}
