/** Descriptions for io.k8s.api.rbac.v1 (src/api/schemas/api_rbac_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { KIND, LIST_META, OBJECT_META, apiVersionText } from "./common.ts";

const R = "io.k8s.api.rbac.v1";

const API_VERSION = apiVersionText("rbac.authorization.k8s.io/v1");
const SUBJECTS = "The users, groups and service accounts granted the role.";
const ROLE_REF = "The role granted. Cannot be changed: delete and recreate the binding to grant another role.";

export const descriptions: DescriptionTable = {
  [`${R}.AggregationRule`]: {
    "": "Builds a cluster role's rules from the rules of other cluster roles chosen by label.",
    clusterRoleSelectors: "Label queries over cluster roles; the rules of every cluster role matching any of them are copied into this one by the controller.",
  },
  [`${R}.ClusterRole`]: {
    "": "A named set of permissions valid cluster-wide; granted in one namespace by a RoleBinding or everywhere by a ClusterRoleBinding.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    rules: "The permissions this role grants. With an aggregationRule, the controller overwrites them.",
    aggregationRule: "When set, the rules are the union of the rules of the selected cluster roles, kept up to date by the controller.",
  },
  [`${R}.ClusterRoleBinding`]: {
    "": "Grants a cluster role to subjects in every namespace and for cluster-scoped resources.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    subjects: SUBJECTS,
    roleRef: ROLE_REF + " Must name a ClusterRole.",
  },
  [`${R}.ClusterRoleBindingList`]: {
    "": "A list of ClusterRoleBindings.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The ClusterRoleBindings.",
  },
  [`${R}.ClusterRoleList`]: {
    "": "A list of ClusterRoles.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The ClusterRoles.",
  },
  [`${R}.PolicyRule`]: {
    "": "One permission: the verbs allowed on some resources or on some non-resource URLs.",
    verbs: "The allowed verbs, e.g. get, list, watch, create, update, patch, delete; \"*\" allows all.",
    apiGroups: "The API groups of the resources; \"\" is the core group and \"*\" every group.",
    resources: "The resources allowed, e.g. \"pods\" or \"pods/log\" for a subresource; \"*\" allows all.",
    resourceNames: "When set, only objects with these names are allowed. A create cannot be limited by name, and a list or watch only when it selects one object by metadata.name.",
    nonResourceURLs: "URL paths that are not resources, e.g. \"/healthz\"; a trailing \"*\" matches a prefix. Only in cluster roles bound cluster-wide, and not with resources.",
  },
  [`${R}.Role`]: {
    "": "A named set of permissions within one namespace, granted by a RoleBinding.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    rules: "The permissions this role grants.",
  },
  [`${R}.RoleBinding`]: {
    "": "Grants a role or cluster role to subjects within the binding's namespace.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    subjects: SUBJECTS,
    roleRef: ROLE_REF + " Names a Role in the binding's namespace or a ClusterRole.",
  },
  [`${R}.RoleBindingList`]: {
    "": "A list of RoleBindings.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The RoleBindings.",
  },
  [`${R}.RoleList`]: {
    "": "A list of Roles.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The Roles.",
  },
  [`${R}.RoleRef`]: {
    "": "Points at the role a binding grants.",
    apiGroup: "The API group of the role, \"rbac.authorization.k8s.io\".",
    kind: "\"Role\" or \"ClusterRole\".",
    name: "The name of the role.",
  },
  [`${R}.Subject`]: {
    "": "Who a binding grants a role to: a user, a group or a service account.",
    kind: "\"User\", \"Group\" or \"ServiceAccount\".",
    apiGroup: "\"rbac.authorization.k8s.io\" for users and groups, \"\" for service accounts (the defaults).",
    name: "The name of the user, group or service account.",
    namespace: "The namespace of a service account; must be empty for users and groups.",
  },
};
