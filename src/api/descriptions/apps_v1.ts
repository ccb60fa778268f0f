/** Descriptions for io.k8s.api.apps.v1 (src/api/schemas/api_apps_v1.ts). */
import type { DescriptionTable } from "./table.ts";

const A = "io.k8s.api.apps.v1";

const KIND = "The REST resource this object represents, in CamelCase.";
const API_VERSION = "The group and version of this object's schema, here \"apps/v1\".";
const OBJECT_META = "Standard object metadata: name, namespace, labels, annotations and the server-set fields.";
const LIST_META = "Standard list metadata: the collection's resourceVersion and the continue token for paging.";
const COND_STATUS = "Whether the condition holds: \"True\", \"False\" or \"Unknown\".";
const COND_TRANSITION = "When the condition last changed its status.";
const COND_REASON = "A short CamelCase word that says why the condition last changed.";
const COND_MESSAGE = "A human-readable explanation of the last change.";
const MIN_READY = "Seconds a new pod must stay ready, with none of its containers crashing, before it counts as available. Defaults to 0 (available as soon as it is ready).";
const HISTORY_LIMIT = "How many old revisions to keep so that a rollback stays possible. Defaults to 10.";
const OBSERVED_GENERATION = "The most recent metadata.generation the controller has acted on.";
const COLLISION_COUNT = "Count of hash collisions met while naming revisions; the controller mixes it into the name of the next revision to avoid the collision.";

export const descriptions: DescriptionTable = {
  [`${A}.ControllerRevision`]: {
    "": "An immutable snapshot of a workload's state data, used by DaemonSet and StatefulSet controllers to roll updates forward and back.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    data: "The serialized state this revision records (for workloads, a patch of the pod template).",
    revision: "The revision number of this state; higher numbers are newer.",
  },
  [`${A}.ControllerRevisionList`]: {
    "": "A list of ControllerRevisions.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The ControllerRevisions.",
  },
  [`${A}.DaemonSet`]: {
    "": "Runs one copy of a pod on each eligible node, adding pods to nodes as they join and removing them as nodes go.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The desired behaviour of the daemon set.",
    status: "The most recently observed state of the daemon set; written by the system.",
  },
  [`${A}.DaemonSetCondition`]: {
    "": "One aspect of a daemon set's state at a point in time.",
    type: "The kind of condition.",
    status: COND_STATUS,
    lastTransitionTime: COND_TRANSITION,
    reason: COND_REASON,
    message: COND_MESSAGE,
  },
  [`${A}.DaemonSetList`]: {
    "": "A list of DaemonSets.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The DaemonSets.",
  },
  [`${A}.DaemonSetSpec`]: {
    "": "The desired behaviour of a daemon set.",
    selector: "Label query over the pods the daemon set manages; must match the template's labels and cannot be changed after creation.",
    template: "The pod created on every eligible node. Its restartPolicy must be Always (the default).",
    updateStrategy: "How existing daemon pods are replaced when the template changes.",
    minReadySeconds: MIN_READY,
    revisionHistoryLimit: HISTORY_LIMIT,
  },
  [`${A}.DaemonSetStatus`]: {
    "": "The observed state of a daemon set.",
    currentNumberScheduled: "Nodes that run at least one daemon pod and are meant to.",
    numberMisscheduled: "Nodes that run a daemon pod but are not meant to.",
    desiredNumberScheduled: "Nodes that should run the daemon pod, including those that already do.",
    numberReady: "Nodes whose daemon pod is running and ready.",
    observedGeneration: OBSERVED_GENERATION,
    updatedNumberScheduled: "Nodes whose daemon pod comes from the current template.",
    numberAvailable: "Nodes whose daemon pod has been ready for at least minReadySeconds.",
    numberUnavailable: "Nodes that should run the daemon pod but have none that is available.",
    collisionCount: COLLISION_COUNT,
    conditions: "The latest observations of the daemon set's state.",
  },
  [`${A}.DaemonSetUpdateStrategy`]: {
    "": "How a daemon set replaces its pods when the template changes.",
    type: "\"RollingUpdate\" replaces pods node by node within the rollingUpdate limits; \"OnDelete\" creates a new pod only after the old one is deleted by hand. Defaults to RollingUpdate.",
    rollingUpdate: "Limits of a rolling update; only with type RollingUpdate.",
  },
  [`${A}.Deployment`]: {
    "": "Declarative updates for a set of identical pods: keeps the wanted number of replicas running and rolls out template changes through ReplicaSets.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The desired behaviour of the deployment.",
    status: "The most recently observed state of the deployment; written by the system.",
  },
  [`${A}.DeploymentCondition`]: {
    "": "One aspect of a deployment's state at a point in time, such as Available or Progressing.",
    type: "The kind of condition: Available, Progressing or ReplicaFailure.",
    status: COND_STATUS,
    lastUpdateTime: "When the controller last wrote this condition.",
    lastTransitionTime: COND_TRANSITION,
    reason: COND_REASON,
    message: COND_MESSAGE,
  },
  [`${A}.DeploymentList`]: {
    "": "A list of Deployments.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The Deployments.",
  },
  [`${A}.DeploymentSpec`]: {
    "": "The desired behaviour of a deployment.",
    replicas: "How many pods to run. Defaults to 1; leave it unset when an autoscaler manages the count.",
    selector: "Label query over the pods this deployment manages; must match the template's labels and cannot be changed in apps/v1.",
    template: "The pod every replica is created from. Its restartPolicy must be Always.",
    strategy: "How old pods are replaced by new ones when the template changes.",
    minReadySeconds: MIN_READY,
    revisionHistoryLimit: "How many old ReplicaSets to keep so that a rollback stays possible. Defaults to 10.",
    paused: "While true, template changes do not start a rollout.",
    progressDeadlineSeconds: "Seconds a rollout may go without progress before its Progressing condition turns False with reason ProgressDeadlineExceeded; the rollout itself is not stopped. Defaults to 600.",
  },
  [`${A}.DeploymentStatus`]: {
    "": "The observed state of a deployment.",
    observedGeneration: OBSERVED_GENERATION,
    replicas: "Pods (not terminating) that this deployment's ReplicaSets own.",
    updatedReplicas: "Pods (not terminating) made from the current template.",
    readyReplicas: "Pods that are ready.",
    availableReplicas: "Pods that have been ready for at least minReadySeconds.",
    unavailableReplicas: "Pods still missing before the deployment reaches 100% availability: the desired count less the available pods.",
    conditions: "The latest observations of the deployment's state.",
    collisionCount: COLLISION_COUNT,
  },
  [`${A}.DeploymentStrategy`]: {
    "": "How a deployment replaces old pods with new ones.",
    type: "\"RollingUpdate\" swaps pods gradually within the rollingUpdate limits; \"Recreate\" deletes all old pods before creating new ones. Defaults to RollingUpdate.",
    rollingUpdate: "Limits of a rolling update; only with type RollingUpdate.",
  },
  [`${A}.ReplicaSet`]: {
    "": "Keeps a given number of identical pods running. Usually created and managed by a Deployment rather than by hand.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The desired behaviour of the replica set.",
    status: "The most recently observed state of the replica set; written by the system.",
  },
  [`${A}.ReplicaSetCondition`]: {
    "": "One aspect of a replica set's state at a point in time.",
    type: "The kind of condition, such as ReplicaFailure.",
    status: COND_STATUS,
    lastTransitionTime: COND_TRANSITION,
    reason: COND_REASON,
    message: COND_MESSAGE,
  },
  [`${A}.ReplicaSetList`]: {
    "": "A list of ReplicaSets.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The ReplicaSets.",
  },
  [`${A}.ReplicaSetSpec`]: {
    "": "The desired behaviour of a replica set.",
    replicas: "How many pods to run. Defaults to 1.",
    minReadySeconds: MIN_READY,
    selector: "Label query over the pods this replica set counts; must match the template's labels.",
    template: "The pod created when too few replicas exist.",
  },
  [`${A}.ReplicaSetStatus`]: {
    "": "The observed state of a replica set.",
    replicas: "Pods the replica set currently counts.",
    fullyLabeledReplicas: "Pods whose labels match the template's labels.",
    readyReplicas: "Pods that are ready.",
    availableReplicas: "Pods that have been ready for at least minReadySeconds.",
    observedGeneration: OBSERVED_GENERATION,
    conditions: "The latest observations of the replica set's state.",
  },
  [`${A}.RollingUpdateDaemonSet`]: {
    "": "Limits of a daemon set's rolling update.",
    maxUnavailable: "How many nodes (a number or a percentage of the desired nodes, rounded up) may be without an available daemon pod during the update. Defaults to 1; cannot be 0 when maxSurge is 0.",
    maxSurge: "How many nodes (a number or a percentage of the desired nodes, rounded up) may run an old and a new daemon pod at once; the old pod is deleted once the new one is available. Defaults to 0.",
  },
  [`${A}.RollingUpdateDeployment`]: {
    "": "Limits of a deployment's rolling update.",
    maxUnavailable: "How many pods (a number or a percentage of replicas, rounded down) may be unavailable below the desired count during the update. Defaults to 25%; cannot be 0 when maxSurge is 0.",
    maxSurge: "How many pods (a number or a percentage of replicas, rounded up) may be created above the desired count during the update. Defaults to 25%.",
  },
  [`${A}.RollingUpdateStatefulSetStrategy`]: {
    "": "Limits of a stateful set's rolling update.",
    partition: "Only pods with an ordinal at or above this number are updated; lower ordinals keep the old revision. Defaults to 0 (all pods).",
    maxUnavailable: "How many pods (a number or a percentage of replicas, rounded up) may be unavailable during the update. Defaults to 1; only honoured when the MaxUnavailableStatefulSet feature is on.",
  },
  [`${A}.StatefulSet`]: {
    "": "Runs pods with stable identities: each keeps its ordinal name, network identity and own persistent volume claims across restarts and rescheduling.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The desired identities and behaviour of the stateful set's pods.",
    status: "The most recently observed state of the stateful set; written by the system.",
  },
  [`${A}.StatefulSetCondition`]: {
    "": "One aspect of a stateful set's state at a point in time.",
    type: "The kind of condition.",
    status: COND_STATUS,
    lastTransitionTime: COND_TRANSITION,
    reason: COND_REASON,
    message: COND_MESSAGE,
  },
  [`${A}.StatefulSetList`]: {
    "": "A list of StatefulSets.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The StatefulSets.",
  },
  [`${A}.StatefulSetOrdinals`]: {
    "": "How a stateful set numbers its replicas.",
    start: "The ordinal of the first replica; replicas are numbered start to start+replicas-1. Defaults to 0.",
  },
  [`${A}.StatefulSetPersistentVolumeClaimRetentionPolicy`]: {
    "": "What happens to the claims made from volumeClaimTemplates when the stateful set is deleted or scaled down.",
    whenDeleted: "\"Retain\" keeps the claims when the stateful set is deleted; \"Delete\" deletes them after their pods are gone. Defaults to Retain.",
    whenScaled: "\"Retain\" keeps the claims of pods removed by a scale-down; \"Delete\" deletes them once the pods are gone. Defaults to Retain.",
  },
  [`${A}.StatefulSetSpec`]: {
    "": "The desired behaviour of a stateful set.",
    replicas: "How many pods to run. Defaults to 1.",
    selector: "Label query over the pods this stateful set manages; must match the template's labels and cannot be changed after creation.",
    template: "The pod every replica is made from; each replica gets a name with its ordinal and its own claims.",
    volumeClaimTemplates: "Claims every pod gets its own copy of, named after the template and the pod; each must match a volume mount in the template.",
    serviceName: "The headless service that gives the pods their network identities (pod-N.service.namespace); it must exist before the pods need DNS.",
    podManagementPolicy: "\"OrderedReady\" creates pods one by one in ordinal order and removes them in reverse, each waiting for the previous; \"Parallel\" creates and deletes them all at once. Defaults to OrderedReady.",
    updateStrategy: "How pods are replaced when the template changes.",
    revisionHistoryLimit: HISTORY_LIMIT,
    minReadySeconds: MIN_READY,
    persistentVolumeClaimRetentionPolicy: "Whether the claims made from volumeClaimTemplates are deleted when the stateful set is deleted or scaled down. By default they are kept.",
    ordinals: "The numbering of the replicas. By default they are numbered from 0.",
  },
  [`${A}.StatefulSetStatus`]: {
    "": "The observed state of a stateful set.",
    observedGeneration: OBSERVED_GENERATION,
    replicas: "Pods created by the stateful set controller.",
    readyReplicas: "Pods that are ready.",
    currentReplicas: "Pods made from the currentRevision.",
    updatedReplicas: "Pods made from the updateRevision.",
    currentRevision: "The revision the pods below the partition (or all pods before an update) are made from.",
    updateRevision: "The revision made from the current template, which updated pods run.",
    collisionCount: COLLISION_COUNT,
    conditions: "The latest observations of the stateful set's state.",
    availableReplicas: "Pods that have been ready for at least minReadySeconds.",
  },
  [`${A}.StatefulSetUpdateStrategy`]: {
    "": "How a stateful set replaces its pods when the template changes.",
    type: "\"RollingUpdate\" replaces pods one at a time from the highest ordinal down; \"OnDelete\" creates a pod from the new template only after the old one is deleted by hand. Defaults to RollingUpdate.",
    rollingUpdate: "Limits of a rolling update; only with type RollingUpdate.",
  },
};
