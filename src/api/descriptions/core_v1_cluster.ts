/**
 * Descriptions for the remaining core/v1 kinds (src/api/schemas/api_core_v1.ts):
 * configuration (ConfigMap, Secret, ServiceAccount), namespaces, events,
 * limits and quotas, replication controllers, component statuses and the
 * reference types many kinds use.
 */
import type { DescriptionTable } from "./table.ts";

const C = "io.k8s.api.core.v1";

const CONDITION_STATUS = "True, False or Unknown.";
const TRANSITION = "When status last changed.";
const REASON = "A CamelCase word saying why status last changed.";
const MESSAGE = "A human-readable explanation of the last change.";
const IMMUTABLE = "When true, the data can no longer be changed, only the object deleted; this also spares the kubelet from watching it. Cannot be unset.";

const config: DescriptionTable = {
  [`${C}.ConfigMap`]: {
    "": "A ConfigMap holds non-confidential configuration as key/value pairs that pods use as environment variables, arguments or files.",
    immutable: IMMUTABLE,
    data: "Text values by key; keys consist of letters, digits, '-', '_' and '.' and must not also be in binaryData.",
    binaryData: "Binary values by key, base64 encoded; keys must not also be in data.",
  },
  [`${C}.Secret`]: {
    "": "A Secret holds a small amount of confidential data, such as a password, token or key, that pods use as files or environment variables.",
    immutable: IMMUTABLE,
    data: "Values by key, base64 encoded; keys consist of letters, digits, '-', '_' and '.'. The whole secret is limited to 1 MiB.",
    stringData: "Plain-text values by key, a write-only convenience: they are merged into data on write, replacing keys of the same name, and never read back.",
    type: "What the secret holds, which decides the keys it must have: Opaque (the default), kubernetes.io/tls, kubernetes.io/dockerconfigjson, kubernetes.io/service-account-token, kubernetes.io/basic-auth, kubernetes.io/ssh-auth and others.",
  },
  [`${C}.ServiceAccount`]: {
    "": "A ServiceAccount is an identity for processes running in pods, which they use to authenticate to the API server.",
    secrets: "Deprecated: Secrets holding long-lived tokens of this account; pods now get short-lived projected tokens instead.",
    imagePullSecrets: "Registry credential Secrets added to every pod that runs as this account.",
    automountServiceAccountToken: "Whether pods running as this account get its API token mounted; a pod's own setting wins.",
  },
  [`${C}.Namespace`]: {
    "": "A Namespace is a scope for names: most objects live in one, and deleting it deletes them.",
    spec: "The namespace's finalizers.",
    status: "The namespace's phase and conditions.",
  },
  [`${C}.NamespaceSpec`]: {
    "": "The desired state of a Namespace.",
    finalizers: "Finalizers that must be removed before the namespace is deleted from storage; kubernetes is added by the system and removed once the contents are gone.",
  },
  [`${C}.NamespaceStatus`]: {
    "": "The observed state of a Namespace.",
    phase: "Active, or Terminating while the namespace and its contents are being deleted.",
    conditions: "The namespace's conditions, such as problems while deleting its contents.",
  },
  [`${C}.NamespaceCondition`]: {
    "": "One condition of a Namespace, such as NamespaceDeletionContentFailure.",
    type: "The condition's type.",
    status: CONDITION_STATUS,
    lastTransitionTime: TRANSITION,
    reason: REASON,
    message: MESSAGE,
  },
};

const events: DescriptionTable = {
  [`${C}.Event`]: {
    "": "An Event reports something that happened to an object, such as a pod being scheduled or an image failing to pull. Events expire after an hour by default.",
    involvedObject: "The object the event is about.",
    reason: "A short CamelCase word for what happened, such as Scheduled, Pulled or BackOff.",
    message: "A human-readable description of what happened.",
    source: "The component and host that reported the event.",
    firstTimestamp: "When the event was first recorded.",
    lastTimestamp: "When the event was most recently recorded.",
    count: "How many times the event has happened.",
    type: "Normal or Warning.",
    eventTime: "When the event first happened, with microseconds.",
    series: "Data about a series of repeated events; unset for a single one.",
    action: "What was done or failed, such as Binding or Pulling.",
    related: "A second object involved, such as the node a pod was preempted for.",
    reportingComponent: "The controller that emitted the event, such as kubelet.",
    reportingInstance: "The instance of that controller, such as the kubelet's node name.",
  },
  [`${C}.EventSource`]: {
    "": "The component that reported an event.",
    component: "The component's name, such as kubelet.",
    host: "The node the component runs on.",
  },
  [`${C}.EventSeries`]: {
    "": "Data about a series of repeated events.",
    count: "How many times the event has happened so far.",
    lastObservedTime: "When the event was last seen.",
  },
};

/** The five bounds LimitRangeItem sets, by field. */
const LIMIT_BOUNDS: Record<string, string> = {
  max: "The most of each resource one object of this type may ask for.",
  min: "The least of each resource one object of this type must ask for.",
  default: "The limits given to containers that set none.",
  defaultRequest: "The requests given to containers that set none.",
  maxLimitRequestRatio: "The largest allowed ratio of limit to request for each resource.",
};

const policy: DescriptionTable = {
  [`${C}.LimitRange`]: {
    "": "A LimitRange bounds and defaults the resources that pods, containers and claims of a namespace ask for.",
    spec: "The limits to apply.",
  },
  [`${C}.LimitRangeSpec`]: { "": "The limits a LimitRange applies.", limits: "One entry per object type." },
  [`${C}.LimitRangeItem`]: { "": "The bounds and defaults for one type of object.", type: "Pod, Container or PersistentVolumeClaim.", ...LIMIT_BOUNDS },
  [`${C}.ResourceQuota`]: {
    "": "A ResourceQuota caps the total resources and object counts a namespace may use.",
    spec: "The limits to enforce.",
    status: "The limits in force and how much is used.",
  },
  [`${C}.ResourceQuotaSpec`]: {
    "": "The limits a ResourceQuota enforces.",
    hard: "The most of each resource the namespace may use, such as requests.cpu, limits.memory, pods or count/deployments.apps.",
    scopes: "Only count objects in all these scopes, such as Terminating or BestEffort.",
    scopeSelector: "Only count objects that match these scope expressions; like scopes but with operators.",
  },
  [`${C}.ResourceQuotaStatus`]: {
    "": "The state of a ResourceQuota.",
    hard: "The limits in force.",
    used: "How much of each limited resource is in use.",
  },
  [`${C}.ScopeSelector`]: {
    "": "Scope expressions that must all hold for an object to be counted.",
    matchExpressions: "The expressions.",
  },
  [`${C}.ScopedResourceSelectorRequirement`]: {
    "": "One condition on a quota scope.",
    scopeName: "The scope: Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass or CrossNamespacePodAffinity.",
    operator: "In, NotIn, Exists or DoesNotExist.",
    values: "The values for In and NotIn (at least one); empty for Exists and DoesNotExist.",
  },
};

const workloads: DescriptionTable = {
  [`${C}.ReplicationController`]: {
    "": "A ReplicationController keeps a number of identical pods running. Superseded by Deployment and ReplicaSet.",
    spec: "How many pods to keep and what they look like.",
    status: "How many pods exist and are ready.",
  },
  [`${C}.ReplicationControllerSpec`]: {
    "": "The desired state of a ReplicationController.",
    replicas: "How many pods to keep running. Defaults to 1.",
    minReadySeconds: "Seconds a new pod must be ready without a container crashing to count as available. Defaults to 0.",
    selector: "Pods whose labels match this are counted as the controller's. Defaults to the template's labels.",
    template: "The pods to create when there are too few.",
  },
  [`${C}.ReplicationControllerStatus`]: {
    "": "The observed state of a ReplicationController.",
    replicas: "How many pods exist.",
    fullyLabeledReplicas: "How many pods have all the template's labels.",
    readyReplicas: "How many pods are ready.",
    availableReplicas: "How many pods have been ready for at least minReadySeconds.",
    observedGeneration: "The generation last acted on.",
    conditions: "The controller's conditions, such as ReplicaFailure.",
  },
  [`${C}.ReplicationControllerCondition`]: {
    "": "One condition of a ReplicationController.",
    type: "The condition, such as ReplicaFailure.",
    status: CONDITION_STATUS,
    lastTransitionTime: TRANSITION,
    reason: REASON,
    message: MESSAGE,
  },
  [`${C}.ComponentStatus`]: {
    "": "Deprecated: the health of a control plane component, such as the scheduler or etcd.",
    conditions: "The component's conditions.",
  },
  [`${C}.ComponentCondition`]: {
    "": "One condition of a control plane component.",
    type: "The condition; only Healthy exists.",
    status: CONDITION_STATUS,
    message: "What the health check returned.",
    error: "The error of the health check, if it failed.",
  },
  [`${C}.RangeAllocation`]: {
    "": "Internal record of which addresses or ports of a range are allocated.",
    range: "The range, such as a CIDR or a port range.",
    data: "A bitmap of the allocated entries.",
  },
};

const references: DescriptionTable = {
  [`${C}.ObjectReference`]: {
    "": "Names an object with enough detail to find it, or a field within it.",
    kind: "The object's kind.",
    namespace: "The object's namespace.",
    name: "The object's name.",
    uid: "The object's UID.",
    apiVersion: "The object's API version.",
    resourceVersion: "The object's resourceVersion the reference was made at.",
    fieldPath: "A field within the object instead of the whole, such as spec.containers{app} for one container of a pod.",
  },
  [`${C}.LocalObjectReference`]: {
    "": "Names an object in the same namespace.",
    name: "The object's name.",
  },
  [`${C}.SerializedReference`]: {
    "": "A reference to an object, serialized; used in the created-by annotation.",
    reference: "The object referred to.",
  },
  [`${C}.Preconditions`]: {
    "": "Conditions an object must meet for an operation to proceed.",
    uid: "The object must have this UID.",
  },
};

export const descriptions: DescriptionTable = { ...config, ...events, ...policy, ...workloads, ...references };
