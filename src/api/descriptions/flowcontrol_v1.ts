/** Descriptions for io.k8s.api.flowcontrol.v1 (src/api/schemas/api_flowcontrol_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { COND_MESSAGE, COND_REASON, COND_STATUS, COND_TRANSITION, KIND, LIST_META, OBJECT_META, apiVersionText } from "./common.ts";

const F = "io.k8s.api.flowcontrol.v1";

const API_VERSION = apiVersionText("flowcontrol.apiserver.k8s.io/v1");
const NOMINAL_SHARES = "This level's share of the API server's total concurrency limit, relative to the other levels' shares; a larger share means more requests at once.";
const LENDABLE = "The percentage (0 to 100) of this level's nominal concurrency that other levels may borrow while it is idle. Defaults to 0.";

export const descriptions: DescriptionTable = {
  [`${F}.ExemptPriorityLevelConfiguration`]: {
    "": "Settings of an exempt priority level, whose requests are never queued or limited.",
    nominalConcurrencyShares: NOMINAL_SHARES + " Defaults to 0 for exempt levels.",
    lendablePercent: LENDABLE,
  },
  [`${F}.FlowDistinguisherMethod`]: {
    "": "How requests of a flow schema are split into flows for fair queuing.",
    type: "\"ByUser\" makes one flow per requesting user; \"ByNamespace\" one per namespace of the object.",
  },
  [`${F}.FlowSchema`]: {
    "": "Classifies incoming API requests by who sends them and what they touch, and assigns them to a priority level (API Priority and Fairness).",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "Which requests match and the priority level they go to.",
    status: "The latest observations of the flow schema; written by the system.",
  },
  [`${F}.FlowSchemaCondition`]: {
    "": "One aspect of a flow schema's state at a point in time, such as Dangling.",
    type: "The kind of condition, e.g. Dangling (the priority level it names does not exist).",
    status: COND_STATUS,
    lastTransitionTime: COND_TRANSITION,
    reason: COND_REASON,
    message: COND_MESSAGE,
  },
  [`${F}.FlowSchemaList`]: {
    "": "A list of FlowSchemas.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The FlowSchemas.",
  },
  [`${F}.FlowSchemaSpec`]: {
    "": "What a flow schema matches and where it sends the requests.",
    priorityLevelConfiguration: "The priority level matching requests are handled at; a missing level makes the schema dangling.",
    matchingPrecedence: "The order the schemas are tried in, lowest first; the first schema that matches wins. Between 1 and 10000; defaults to 1000.",
    distinguisherMethod: "How matching requests are split into flows. Unset puts them all into one flow.",
    rules: "The rules a request is checked against; it matches when any rule does. Empty matches nothing.",
  },
  [`${F}.FlowSchemaStatus`]: {
    "": "The observed state of a flow schema.",
    conditions: "The latest observations of the flow schema's state.",
  },
  [`${F}.GroupSubject`]: {
    "": "A user group as a flow schema subject.",
    name: "The group name, e.g. \"system:authenticated\"; \"*\" matches every group.",
  },
  [`${F}.LimitResponse`]: {
    "": "What a limited priority level does with a request that cannot run at once.",
    type: "\"Queue\" holds it in a queue until it can run or times out; \"Reject\" answers 429 right away.",
    queuing: "The queue settings; only with type Queue.",
  },
  [`${F}.LimitedPriorityLevelConfiguration`]: {
    "": "Settings of a limited priority level: how much concurrency it gets and what it does with the excess.",
    nominalConcurrencyShares: NOMINAL_SHARES + " Defaults to 30.",
    limitResponse: "What to do with requests that cannot run at once.",
    lendablePercent: LENDABLE,
    borrowingLimitPercent: "The most this level may borrow from others, as a percentage of its nominal concurrency. Unset means no limit.",
  },
  [`${F}.NonResourcePolicyRule`]: {
    "": "Matches requests for non-resource URLs, such as /healthz or /metrics, by verb and path.",
    verbs: "The verbs that match, e.g. \"get\"; \"*\" matches all.",
    nonResourceURLs: "The URL paths that match, e.g. \"/healthz\"; a trailing \"/*\" matches a prefix and \"*\" matches every path.",
  },
  [`${F}.PolicyRulesWithSubjects`]: {
    "": "A rule of a flow schema: a request matches when its sender is one of the subjects and it matches a resource or non-resource rule.",
    subjects: "The senders that match; at least one is required.",
    resourceRules: "Rules over resource requests.",
    nonResourceRules: "Rules over non-resource requests.",
  },
  [`${F}.PriorityLevelConfiguration`]: {
    "": "A priority level of API Priority and Fairness: a share of the API server's concurrency and how requests over it are queued.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The level's concurrency and queuing settings.",
    status: "The latest observations of the priority level; written by the system.",
  },
  [`${F}.PriorityLevelConfigurationCondition`]: {
    "": "One aspect of a priority level's state at a point in time.",
    type: "The kind of condition.",
    status: COND_STATUS,
    lastTransitionTime: COND_TRANSITION,
    reason: COND_REASON,
    message: COND_MESSAGE,
  },
  [`${F}.PriorityLevelConfigurationList`]: {
    "": "A list of PriorityLevelConfigurations.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The PriorityLevelConfigurations.",
  },
  [`${F}.PriorityLevelConfigurationReference`]: {
    "": "Names the priority level a flow schema uses.",
    name: "The name of the PriorityLevelConfiguration.",
  },
  [`${F}.PriorityLevelConfigurationSpec`]: {
    "": "How a priority level treats its requests; type says which one of limited and exempt is set.",
    type: "\"Limited\" caps the level's concurrency and queues or rejects the excess; \"Exempt\" runs its requests without limits.",
    limited: "The settings of a Limited level.",
    exempt: "The settings of an Exempt level.",
  },
  [`${F}.PriorityLevelConfigurationStatus`]: {
    "": "The observed state of a priority level.",
    conditions: "The latest observations of the priority level's state.",
  },
  [`${F}.QueuingConfiguration`]: {
    "": "How a limited priority level queues requests it cannot run at once (shuffle sharding over queues).",
    queues: "How many queues the level has; 1 turns off shuffle sharding. Defaults to 64.",
    handSize: "How many queues each flow is dealt; a request joins the shortest of them. Must not exceed queues. Defaults to 8.",
    queueLengthLimit: "How many requests a queue may hold; more are rejected with 429. Defaults to 50.",
  },
  [`${F}.ResourcePolicyRule`]: {
    "": "Matches resource requests by verb, group, resource and namespace.",
    verbs: "The verbs that match, e.g. \"list\"; \"*\" matches all.",
    apiGroups: "The API groups that match; \"\" is the core group and \"*\" every group.",
    resources: "The resources that match, e.g. \"pods\" or \"pods/log\"; \"*\" matches all.",
    clusterScope: "Whether requests without a namespace (cluster-scoped objects, or lists across all namespaces) match.",
    namespaces: "The namespaces whose requests match; \"*\" matches every namespace. Empty matches only via clusterScope.",
  },
  [`${F}.ServiceAccountSubject`]: {
    "": "A service account as a flow schema subject.",
    namespace: "The namespace of the service account; \"*\" matches every namespace.",
    name: "The name of the service account; \"*\" matches every name.",
  },
  [`${F}.Subject`]: {
    "": "Who sent a request: a user, a group or a service account; kind says which field is set.",
    kind: "\"User\", \"Group\" or \"ServiceAccount\".",
    user: "The user, when kind is User.",
    group: "The group, when kind is Group.",
    serviceAccount: "The service account, when kind is ServiceAccount.",
  },
  [`${F}.UserSubject`]: {
    "": "A user as a flow schema subject.",
    name: "The user name; \"*\" matches every user.",
  },
};
