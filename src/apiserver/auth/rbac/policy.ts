/**
 * The default RBAC objects kube-apiserver creates at start (its bootstrap
 * policy) plus the ones k3s adds, written as compact data: a rule is
 * `rule("verbs", "groups", "resources", "resourceNames")` with
 * space-separated lists and `core` for the "" group.
 */
import type { KubeObject } from "../../../api/types.ts";
import type { PolicyRule, Subject } from "./types.ts";

const RBAC_V1 = "rbac.authorization.k8s.io/v1";
const RBAC_GROUP = "rbac.authorization.k8s.io";
const BOOTSTRAP_LABELS = { "kubernetes.io/bootstrapping": "rbac-defaults" };
/** Roles carrying this annotation are kept up to date with the bootstrap rules at start. */
export const AUTOUPDATE_ANNOTATION = "rbac.authorization.kubernetes.io/autoupdate";

const words = (s: string): string[] => s.split(" ").filter((w) => w !== "");

function rule(verbs: string, groups: string, resources: string, names?: string): PolicyRule {
  const r: PolicyRule = { verbs: words(verbs), apiGroups: words(groups).map((g) => (g === "core" ? "" : g)), resources: words(resources) };
  if (names) r.resourceNames = words(names);
  return r;
}

function urls(verbs: string, paths: string): PolicyRule {
  return { verbs: words(verbs), nonResourceURLs: words(paths) };
}

const READ = "get list watch";
const WRITE = "create delete deletecollection patch update";
const EVENTS = rule("create patch update", "core events.k8s.io", "events");

interface RoleSpec {
  name: string;
  rules?: PolicyRule[];
  labels?: Record<string, string>;
  aggregateFrom?: string;
}

function clusterRole(spec: RoleSpec): KubeObject {
  const obj: KubeObject = {
    apiVersion: RBAC_V1,
    kind: "ClusterRole",
    metadata: {
      name: spec.name,
      labels: { ...BOOTSTRAP_LABELS, ...spec.labels },
      annotations: { [AUTOUPDATE_ANNOTATION]: "true" },
    },
    rules: spec.rules ?? [],
  };
  if (spec.aggregateFrom) {
    obj.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [spec.aggregateFrom]: "true" } }] };
  }
  return obj;
}

function user(name: string): Subject {
  return { apiGroup: RBAC_GROUP, kind: "User", name };
}
function group(name: string): Subject {
  return { apiGroup: RBAC_GROUP, kind: "Group", name };
}
function serviceAccount(namespace: string, name: string): Subject {
  return { kind: "ServiceAccount", name, namespace };
}

function clusterRoleBinding(name: string, role: string, subjects: Subject[]): KubeObject {
  return {
    apiVersion: RBAC_V1,
    kind: "ClusterRoleBinding",
    metadata: { name, labels: { ...BOOTSTRAP_LABELS }, annotations: { [AUTOUPDATE_ANNOTATION]: "true" } },
    roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: role },
    subjects,
  };
}

function namespacedRole(namespace: string, name: string, rules: PolicyRule[]): KubeObject {
  return {
    apiVersion: RBAC_V1,
    kind: "Role",
    metadata: { name, namespace, labels: { ...BOOTSTRAP_LABELS }, annotations: { [AUTOUPDATE_ANNOTATION]: "true" } },
    rules,
  };
}

function roleBinding(namespace: string, name: string, role: string, subjects: Subject[]): KubeObject {
  return {
    apiVersion: RBAC_V1,
    kind: "RoleBinding",
    metadata: { name, namespace, labels: { ...BOOTSTRAP_LABELS }, annotations: { [AUTOUPDATE_ANNOTATION]: "true" } },
    roleRef: { apiGroup: RBAC_GROUP, kind: "Role", name: role },
    subjects,
  };
}

const AGG_ADMIN = "rbac.authorization.k8s.io/aggregate-to-admin";
const AGG_EDIT = "rbac.authorization.k8s.io/aggregate-to-edit";
const AGG_VIEW = "rbac.authorization.k8s.io/aggregate-to-view";

function userFacingRoles(): RoleSpec[] {
  return [
    { name: "cluster-admin", rules: [rule("*", "*", "*"), urls("*", "*")] },
    { name: "admin", aggregateFrom: AGG_ADMIN },
    { name: "edit", aggregateFrom: AGG_EDIT, labels: { [AGG_ADMIN]: "true" } },
    { name: "view", aggregateFrom: AGG_VIEW, labels: { [AGG_EDIT]: "true" } },
    {
      name: "system:aggregate-to-admin",
      labels: { [AGG_ADMIN]: "true" },
      rules: [
        rule("create", "authorization.k8s.io", "localsubjectaccessreviews"),
        rule(`${WRITE} ${READ}`, "rbac.authorization.k8s.io", "rolebindings roles"),
      ],
    },
    {
      name: "system:aggregate-to-edit",
      labels: { [AGG_EDIT]: "true" },
      rules: [
        rule(READ, "core", "pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy"),
        rule("impersonate", "core", "serviceaccounts"),
        rule(WRITE, "core", "pods pods/attach pods/exec pods/portforward pods/proxy"),
        rule("create", "core", "pods/eviction"),
        rule(WRITE, "core", "configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale secrets serviceaccounts services services/proxy"),
        rule("create", "core", "serviceaccounts/token"),
        rule(WRITE, "apps", "daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale statefulsets statefulsets/scale"),
        rule(WRITE, "autoscaling", "horizontalpodautoscalers"),
        rule(WRITE, "batch", "cronjobs jobs"),
        rule(WRITE, "extensions", "daemonsets deployments deployments/rollback deployments/scale ingresses networkpolicies replicasets replicasets/scale replicationcontrollers/scale"),
        rule(WRITE, "policy", "poddisruptionbudgets"),
        rule(WRITE, "networking.k8s.io", "ingresses networkpolicies"),
        rule(`${WRITE} ${READ}`, "coordination.k8s.io", "leases"),
      ],
    },
    {
      name: "system:aggregate-to-view",
      labels: { [AGG_VIEW]: "true" },
      rules: [
        rule(READ, "core", "configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status pods replicationcontrollers replicationcontrollers/scale serviceaccounts services services/status"),
        rule(READ, "core", "bindings events limitranges namespaces/status pods/log pods/status replicationcontrollers/status resourcequotas resourcequotas/status"),
        rule(READ, "core", "namespaces"),
        rule(READ, "discovery.k8s.io", "endpointslices"),
        rule(READ, "apps", "controllerrevisions daemonsets daemonsets/status deployments deployments/scale deployments/status replicasets replicasets/scale replicasets/status statefulsets statefulsets/scale statefulsets/status"),
        rule(READ, "autoscaling", "horizontalpodautoscalers horizontalpodautoscalers/status"),
        rule(READ, "batch", "cronjobs cronjobs/status jobs jobs/status"),
        rule(READ, "extensions", "daemonsets daemonsets/status deployments deployments/scale deployments/status ingresses ingresses/status networkpolicies replicasets replicasets/scale replicasets/status replicationcontrollers/scale"),
        rule(READ, "policy", "poddisruptionbudgets poddisruptionbudgets/status"),
        rule(READ, "networking.k8s.io", "ingresses ingresses/status networkpolicies"),
      ],
    },
  ];
}

function approver(name: string, signer: string): RoleSpec {
  return { name: `system:certificates.k8s.io:${name}`, rules: [rule("approve", "certificates.k8s.io", "signers", signer)] };
}

function systemRoles(): RoleSpec[] {
  return [
    { name: "system:auth-delegator", rules: [rule("create", "authentication.k8s.io", "tokenreviews"), rule("create", "authorization.k8s.io", "subjectaccessreviews")] },
    {
      name: "system:basic-user",
      rules: [
        rule("create", "authorization.k8s.io", "selfsubjectaccessreviews selfsubjectrulesreviews"),
        rule("create", "authentication.k8s.io", "selfsubjectreviews"),
      ],
    },
    { name: "system:certificates.k8s.io:certificatesigningrequests:nodeclient", rules: [rule("create", "certificates.k8s.io", "certificatesigningrequests/nodeclient")] },
    { name: "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", rules: [rule("create", "certificates.k8s.io", "certificatesigningrequests/selfnodeclient")] },
    approver("kube-apiserver-client-approver", "kubernetes.io/kube-apiserver-client"),
    approver("kube-apiserver-client-kubelet-approver", "kubernetes.io/kube-apiserver-client-kubelet"),
    approver("kubelet-serving-approver", "kubernetes.io/kubelet-serving"),
    approver("legacy-unknown-approver", "kubernetes.io/legacy-unknown"),
    { name: "system:discovery", rules: [urls("get", "/api /api/* /apis /apis/* /healthz /livez /openapi /openapi/* /readyz /version /version/")] },
    { name: "system:heapster", rules: [rule(READ, "core", "events namespaces nodes pods"), rule(READ, "extensions", "deployments")] },
    { name: "system:kube-aggregator", rules: [rule(READ, "core", "endpoints services")] },
    {
      name: "system:kube-controller-manager",
      rules: [
        EVENTS,
        rule("create", "coordination.k8s.io", "leases"),
        rule("get update", "coordination.k8s.io", "leases", "kube-controller-manager"),
        rule("create", "core", "secrets serviceaccounts"),
        rule("delete", "core", "secrets"),
        rule("get", "core", "configmaps namespaces secrets serviceaccounts"),
        rule("update", "core", "secrets serviceaccounts"),
        rule("create", "authentication.k8s.io", "tokenreviews"),
        rule("create", "authorization.k8s.io", "subjectaccessreviews"),
        rule("list watch", "*", "*"),
        rule("create", "core", "serviceaccounts/token"),
      ],
    },
    { name: "system:kube-dns", rules: [rule("list watch", "core", "endpoints services")] },
    {
      name: "system:kube-scheduler",
      rules: [
        EVENTS,
        rule("create", "coordination.k8s.io", "leases"),
        rule("get update", "coordination.k8s.io", "leases", "kube-scheduler"),
        rule(READ, "core", "nodes"),
        rule(`delete ${READ}`, "core", "pods"),
        rule("create", "core", "bindings pods/binding"),
        rule("patch update", "core", "pods/status"),
        rule(READ, "core", "replicationcontrollers services"),
        rule(READ, "apps extensions", "replicasets"),
        rule(READ, "apps", "statefulsets"),
        rule(READ, "policy", "poddisruptionbudgets"),
        rule(READ, "core", "persistentvolumeclaims persistentvolumes"),
        rule("create", "authentication.k8s.io", "tokenreviews"),
        rule("create", "authorization.k8s.io", "subjectaccessreviews"),
        rule(READ, "storage.k8s.io", "csinodes"),
        rule(READ, "core", "namespaces"),
        rule(READ, "storage.k8s.io", "csidrivers"),
        rule(READ, "storage.k8s.io", "csistoragecapacities"),
      ],
    },
    {
      name: "system:kubelet-api-admin",
      rules: [rule(READ, "core", "nodes"), rule("proxy", "core", "nodes"), rule("*", "core", "nodes/log nodes/metrics nodes/proxy nodes/stats")],
    },
    { name: "system:monitoring", rules: [urls("get", "/healthz /healthz/* /livez /livez/* /metrics /metrics/slis /readyz /readyz/*")] },
    {
      name: "system:node",
      rules: [
        rule("create", "authentication.k8s.io", "tokenreviews"),
        rule("create", "authorization.k8s.io", "localsubjectaccessreviews subjectaccessreviews"),
        rule(READ, "core", "services"),
        rule(`create ${READ}`, "core", "nodes"),
        rule("patch update", "core", "nodes/status"),
        rule("patch update", "core", "nodes"),
        rule("create patch update", "core", "events"),
        rule(READ, "core", "pods"),
        rule("create delete", "core", "pods"),
        rule("patch update", "core", "pods/status"),
        rule("create", "core", "pods/eviction"),
        rule(READ, "core", "configmaps secrets"),
        rule("get", "core", "persistentvolumeclaims persistentvolumes"),
        rule("get", "core", "endpoints"),
        rule(`create ${READ}`, "certificates.k8s.io", "certificatesigningrequests"),
        rule("create delete get patch update", "coordination.k8s.io", "leases"),
        rule("get", "storage.k8s.io", "volumeattachments"),
        rule("create", "core", "serviceaccounts/token"),
        rule("get patch update", "core", "persistentvolumeclaims/status"),
        rule(READ, "storage.k8s.io", "csidrivers"),
        rule("create delete get patch update", "storage.k8s.io", "csinodes"),
        rule(READ, "node.k8s.io", "runtimeclasses"),
      ],
    },
    { name: "system:node-bootstrapper", rules: [rule(`create ${READ}`, "certificates.k8s.io", "certificatesigningrequests")] },
    { name: "system:node-problem-detector", rules: [rule("get", "core", "nodes"), rule("patch", "core", "nodes/status"), EVENTS] },
    {
      name: "system:node-proxier",
      rules: [rule("list watch", "core", "endpoints services"), rule(READ, "core", "nodes"), EVENTS, rule("list watch", "discovery.k8s.io", "endpointslices")],
    },
    {
      name: "system:persistent-volume-provisioner",
      rules: [
        rule(`create delete ${READ}`, "core", "persistentvolumes"),
        rule(`${READ} update`, "core", "persistentvolumeclaims"),
        rule(READ, "storage.k8s.io", "storageclasses"),
        rule("watch", "core", "events"),
        EVENTS,
      ],
    },
    { name: "system:public-info-viewer", rules: [urls("get", "/healthz /livez /readyz /version /version/")] },
    { name: "system:service-account-issuer-discovery", rules: [urls("get", "/.well-known/openid-configuration /openid/v1/jwks")] },
    {
      name: "system:volume-scheduler",
      rules: [rule(`${READ} patch update`, "core", "persistentvolumes"), rule(READ, "storage.k8s.io", "storageclasses"), rule(`${READ} patch update`, "core", "persistentvolumeclaims")],
    },
  ];
}

/** The kube-controller-manager controllers that run under their own service accounts, with their rules. */
function controllerRoles(): Array<[string, PolicyRule[]]> {
  return [
    ["attachdetach-controller", [rule("list watch", "core", "persistentvolumeclaims persistentvolumes"), rule(READ, "core", "nodes"), rule("patch update", "core", "nodes/status"), rule("list watch", "core", "pods"), EVENTS, rule(`create delete ${READ}`, "storage.k8s.io", "volumeattachments"), rule(READ, "storage.k8s.io", "csidrivers csinodes")]],
    ["certificate-controller", [rule(`delete ${READ}`, "certificates.k8s.io", "certificatesigningrequests"), rule("update", "certificates.k8s.io", "certificatesigningrequests/approval certificatesigningrequests/status"), rule("approve", "certificates.k8s.io", "signers", "kubernetes.io/kube-apiserver-client-kubelet"), rule("sign", "certificates.k8s.io", "signers", "kubernetes.io/kube-apiserver-client kubernetes.io/kube-apiserver-client-kubelet kubernetes.io/kubelet-serving kubernetes.io/legacy-unknown"), rule("create", "authorization.k8s.io", "subjectaccessreviews"), EVENTS]],
    ["clusterrole-aggregation-controller", [rule(`escalate ${READ} patch update`, "rbac.authorization.k8s.io", "clusterroles")]],
    ["cronjob-controller", [rule(`${READ} update`, "batch", "cronjobs"), rule(`create delete ${READ} patch update`, "batch", "jobs"), rule("update", "batch", "cronjobs/status cronjobs/finalizers"), rule("delete list watch", "core", "pods"), EVENTS]],
    ["daemon-set-controller", [rule(READ, "apps extensions", "daemonsets"), rule("update", "apps extensions", "daemonsets/status daemonsets/finalizers"), rule("list watch", "core", "nodes"), rule("create delete list patch watch", "core", "pods"), rule("create", "core", "pods/binding"), rule(`create delete ${READ} patch update`, "apps", "controllerrevisions"), EVENTS]],
    ["deployment-controller", [rule(`${READ} update`, "apps extensions", "deployments"), rule("update", "apps extensions", "deployments/status deployments/finalizers"), rule(`create delete ${READ} patch update`, "apps extensions", "replicasets"), rule(`${READ} update`, "core", "pods"), EVENTS]],
    ["disruption-controller", [rule(READ, "apps extensions", "deployments replicasets"), rule(READ, "core", "replicationcontrollers"), rule(READ, "policy", "poddisruptionbudgets"), rule(READ, "apps", "statefulsets"), rule("update", "policy", "poddisruptionbudgets/status"), rule("patch update", "core", "pods/status"), rule("get", "*", "*/scale"), EVENTS]],
    ["endpoint-controller", [rule(READ, "core", "pods services"), rule(`create delete ${READ} update`, "core", "endpoints"), rule("create", "core", "endpoints/restricted"), EVENTS]],
    ["endpointslice-controller", [rule(READ, "core", "nodes pods services"), rule("update", "core", "services/finalizers"), rule(`create delete ${READ} update`, "discovery.k8s.io", "endpointslices"), EVENTS]],
    ["endpointslicemirroring-controller", [rule(READ, "core", "endpoints services"), rule("update", "core", "services/finalizers endpoints/finalizers"), rule(`create delete ${READ} update`, "discovery.k8s.io", "endpointslices"), EVENTS]],
    ["ephemeral-volume-controller", [rule(READ, "core", "pods"), rule("update", "core", "pods/finalizers"), rule(`create ${READ}`, "core", "persistentvolumeclaims"), EVENTS]],
    ["expand-controller", [rule(`${READ} patch update`, "core", "persistentvolumes"), rule("patch update", "core", "persistentvolumeclaims/status"), rule(READ, "core", "persistentvolumeclaims"), EVENTS]],
    ["generic-garbage-collector", [rule(`delete ${READ} patch update`, "*", "*"), EVENTS]],
    ["horizontal-pod-autoscaler", [rule(READ, "autoscaling", "horizontalpodautoscalers"), rule("update", "autoscaling", "horizontalpodautoscalers/status"), rule("get update", "*", "*/scale"), rule("list watch", "core", "pods"), rule("list watch", "metrics.k8s.io", "pods"), rule(READ, "custom.metrics.k8s.io external.metrics.k8s.io", "*"), EVENTS]],
    ["job-controller", [rule(`${READ} patch update`, "batch", "jobs"), rule("update", "batch", "jobs/status jobs/finalizers"), rule("create delete list patch watch", "core", "pods"), EVENTS]],
    ["legacy-service-account-token-cleaner", [rule("get", "core", "configmaps", "kube-apiserver-legacy-service-account-token-tracking"), rule("delete patch", "core", "secrets")]],
    ["namespace-controller", [rule(`delete ${READ}`, "core", "namespaces"), rule("update", "core", "namespaces/finalize namespaces/status"), rule(`delete deletecollection ${READ}`, "*", "*")]],
    ["node-controller", [rule(`delete ${READ} patch update`, "core", "nodes"), rule("patch update", "core", "nodes/status pods/status"), rule(`delete ${READ}`, "core", "pods"), EVENTS]],
    ["persistent-volume-binder", [rule(`create delete ${READ} update`, "core", "persistentvolumes"), rule("update", "core", "persistentvolumes/status persistentvolumeclaims/status"), rule(`${READ} update`, "core", "persistentvolumeclaims"), rule(`create delete ${READ}`, "core", "pods"), rule(READ, "storage.k8s.io", "storageclasses"), rule("list watch", "core", "nodes"), EVENTS, rule("watch", "core", "events")]],
    ["pod-garbage-collector", [rule("delete list watch", "core", "pods"), rule(READ, "core", "nodes"), rule("patch", "core", "pods/status")]],
    ["pv-protection-controller", [rule(`${READ} update`, "core", "persistentvolumes"), EVENTS]],
    ["pvc-protection-controller", [rule(`${READ} update`, "core", "persistentvolumeclaims"), rule("update", "core", "persistentvolumeclaims/status"), rule(READ, "core", "pods"), EVENTS]],
    ["replicaset-controller", [rule(`${READ} update`, "apps extensions", "replicasets"), rule("update", "apps extensions", "replicasets/status replicasets/finalizers"), rule("create delete list patch watch", "core", "pods"), EVENTS]],
    ["replication-controller", [rule(`${READ} update`, "core", "replicationcontrollers"), rule("update", "core", "replicationcontrollers/status replicationcontrollers/finalizers"), rule("create delete list patch watch", "core", "pods"), EVENTS]],
    ["resourcequota-controller", [rule("list watch", "*", "*"), rule("update", "core", "resourcequotas/status"), EVENTS]],
    ["root-ca-cert-publisher", [rule("create update", "core", "configmaps"), EVENTS]],
    ["route-controller", [rule("list watch", "core", "nodes"), rule("patch", "core", "nodes/status"), EVENTS]],
    ["service-account-controller", [rule("create", "core", "serviceaccounts"), EVENTS]],
    ["service-controller", [rule(READ, "core", "services"), rule("patch update", "core", "services/status"), rule("list watch", "core", "nodes"), EVENTS]],
    ["statefulset-controller", [rule("list watch", "core", "pods"), rule(READ, "apps", "statefulsets"), rule("update", "apps", "statefulsets/status statefulsets/finalizers"), rule("create delete get patch update", "core", "pods"), rule(`create delete ${READ} patch update`, "apps", "controllerrevisions"), rule(`create ${READ}`, "core", "persistentvolumeclaims"), rule("delete update", "core", "persistentvolumeclaims"), rule("update", "core", "pods/finalizers"), EVENTS]],
    ["ttl-after-finished-controller", [rule(`delete ${READ}`, "batch", "jobs"), EVENTS]],
    ["ttl-controller", [rule("list patch update watch", "core", "nodes"), EVENTS]],
  ];
}

/** k3s's own roles: the tunnel/network-policy controller user and the embedded cloud controller. */
function k3sRoles(): RoleSpec[] {
  return [
    {
      name: "system:k3s-controller",
      rules: [
        rule("get", "core", "nodes"),
        rule("list watch", "core", "namespaces"),
        rule("list watch", "networking.k8s.io", "networkpolicies"),
        rule("list get watch", "core", "endpoints pods"),
      ],
    },
    {
      name: "k3s-cloud-controller-manager",
      rules: [
        rule("*", "core", "nodes"),
        rule("patch", "core", "nodes/status"),
        rule("get list update watch", "core", "services"),
        rule("patch update", "core", "services/status"),
        rule("create get list watch update", "core", "serviceaccounts"),
        rule("create patch update", "core", "events"),
        rule("get", "core", "namespaces"),
        rule("create get list watch update", "core", "configmaps"),
        rule("create get list watch update", "coordination.k8s.io", "leases"),
        rule("create get list watch update delete", "apps", "daemonsets"),
        rule("get list watch", "core", "pods"),
        rule("get list watch", "discovery.k8s.io", "endpointslices"),
      ],
    },
  ];
}

function clusterRoleBindings(opts: BootstrapPolicyOptions): KubeObject[] {
  const bindings = [
    clusterRoleBinding("cluster-admin", "cluster-admin", [group("system:masters")]),
    clusterRoleBinding("system:basic-user", "system:basic-user", [group("system:authenticated")]),
    clusterRoleBinding("system:discovery", "system:discovery", [group("system:authenticated")]),
    clusterRoleBinding("system:public-info-viewer", "system:public-info-viewer", [group("system:authenticated"), group("system:unauthenticated")]),
    clusterRoleBinding("system:kube-controller-manager", "system:kube-controller-manager", [user("system:kube-controller-manager")]),
    clusterRoleBinding("system:kube-dns", "system:kube-dns", [serviceAccount("kube-system", "kube-dns")]),
    clusterRoleBinding("system:kube-scheduler", "system:kube-scheduler", [user("system:kube-scheduler")]),
    clusterRoleBinding("system:volume-scheduler", "system:volume-scheduler", [user("system:kube-scheduler")]),
    clusterRoleBinding("system:monitoring", "system:monitoring", [group("system:monitoring")]),
    // without the Node authorizer, nodes get the system:node role through their group, as before Kubernetes 1.8
    clusterRoleBinding("system:node", "system:node", opts.nodeAuthorizer ? [] : [group("system:nodes")]),
    clusterRoleBinding("system:node-proxier", "system:node-proxier", [user("system:kube-proxy")]),
    clusterRoleBinding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", [group("system:serviceaccounts")]),
    clusterRoleBinding("kube-apiserver-kubelet-admin", "system:kubelet-api-admin", [user("kube-apiserver")]),
    clusterRoleBinding("system:k3s-controller", "system:k3s-controller", [user("system:k3s-controller")]),
    clusterRoleBinding("k3s-cloud-controller-manager", "k3s-cloud-controller-manager", [user("k3s-cloud-controller-manager")]),
    clusterRoleBinding("k3s-cloud-controller-manager-auth-delegator", "system:auth-delegator", [user("k3s-cloud-controller-manager")]),
  ];
  for (const [name] of controllerRoles()) {
    bindings.push(clusterRoleBinding(`system:controller:${name}`, `system:controller:${name}`, [serviceAccount("kube-system", name)]));
  }
  return bindings;
}

function namespacePolicy(): KubeObject[] {
  const ks = "kube-system";
  return [
    namespacedRole(ks, "extension-apiserver-authentication-reader", [rule(READ, "core", "configmaps", "extension-apiserver-authentication")]),
    namespacedRole(ks, "system::leader-locking-kube-controller-manager", [rule("watch", "core", "configmaps"), rule("get update", "core", "configmaps", "kube-controller-manager")]),
    namespacedRole(ks, "system::leader-locking-kube-scheduler", [rule("watch", "core", "configmaps"), rule("get update", "core", "configmaps", "kube-scheduler")]),
    namespacedRole(ks, "system:controller:bootstrap-signer", [rule(READ, "core", "secrets")]),
    namespacedRole(ks, "system:controller:cloud-provider", [rule(`create ${READ}`, "core", "configmaps")]),
    namespacedRole(ks, "system:controller:token-cleaner", [rule(`delete ${READ}`, "core", "secrets"), EVENTS]),
    namespacedRole("kube-public", "system:controller:bootstrap-signer", [rule(READ, "core", "configmaps"), rule("update", "core", "configmaps", "cluster-info"), EVENTS]),
    roleBinding(ks, "system::extension-apiserver-authentication-reader", "extension-apiserver-authentication-reader", [user("system:kube-controller-manager"), user("system:kube-scheduler")]),
    roleBinding(ks, "system::leader-locking-kube-controller-manager", "system::leader-locking-kube-controller-manager", [user("system:kube-controller-manager"), serviceAccount(ks, "kube-controller-manager")]),
    roleBinding(ks, "system::leader-locking-kube-scheduler", "system::leader-locking-kube-scheduler", [user("system:kube-scheduler"), serviceAccount(ks, "kube-scheduler")]),
    roleBinding(ks, "system:controller:bootstrap-signer", "system:controller:bootstrap-signer", [serviceAccount(ks, "bootstrap-signer")]),
    roleBinding(ks, "system:controller:cloud-provider", "system:controller:cloud-provider", [serviceAccount(ks, "cloud-provider")]),
    roleBinding(ks, "system:controller:token-cleaner", "system:controller:token-cleaner", [serviceAccount(ks, "token-cleaner")]),
    roleBinding("kube-public", "system:controller:bootstrap-signer", "system:controller:bootstrap-signer", [serviceAccount(ks, "bootstrap-signer")]),
  ];
}

export interface BootstrapPolicyOptions {
  /** the Node authorizer runs before RBAC: the system:node binding then names no one, as upstream */
  nodeAuthorizer?: boolean;
}

/** Every default ClusterRole, ClusterRoleBinding, Role and RoleBinding, in creation order. */
export function bootstrapPolicy(opts: BootstrapPolicyOptions = {}): KubeObject[] {
  const roles = [...userFacingRoles(), ...systemRoles(), ...k3sRoles()].map(clusterRole);
  for (const [name, rules] of controllerRoles()) roles.push(clusterRole({ name: `system:controller:${name}`, rules }));
  return [...roles, ...clusterRoleBindings(opts), ...namespacePolicy()];
}
