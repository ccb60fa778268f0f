/** Descriptions for io.k8s.api.policy.v1 (src/api/schemas/api_policy_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { KIND, LIST_META, OBJECT_META, apiVersionText } from "./common.ts";

const P = "io.k8s.api.policy.v1";

const API_VERSION = apiVersionText("policy/v1");

export const descriptions: DescriptionTable = {
  [`${P}.Eviction`]: {
    "": "A request, posted to a pod's eviction subresource, to delete the pod while respecting its disruption budgets; refused with 429 when a budget does not allow it.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: "The name and namespace of the pod to evict.",
    deleteOptions: "Options for the deletion, such as a grace period.",
  },
  [`${P}.PodDisruptionBudget`]: {
    "": "Limits how many pods of a set may be down at once through voluntary disruptions such as evictions by a node drain.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The pods covered and how many must stay up.",
    status: "The most recently observed state of the budget; written by the system.",
  },
  [`${P}.PodDisruptionBudgetList`]: {
    "": "A list of PodDisruptionBudgets.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The PodDisruptionBudgets.",
  },
  [`${P}.PodDisruptionBudgetSpec`]: {
    "": "The pods a disruption budget covers and the limit; set only one of minAvailable and maxUnavailable.",
    minAvailable: "Evictions are allowed only while at least this many covered pods (a number or a percentage) stay available afterwards; \"100%\" forbids all evictions.",
    selector: "Label query over the pods covered, in the budget's namespace. An empty selector covers every pod of the namespace.",
    maxUnavailable: "Evictions are allowed only while at most this many covered pods (a number or a percentage) are unavailable afterwards; 0 forbids all evictions.",
    unhealthyPodEvictionPolicy: "When running but not-ready pods may be evicted: \"IfHealthyBudget\" only while the budget is met, \"AlwaysAllow\" whatever the budget. Defaults to IfHealthyBudget.",
  },
  [`${P}.PodDisruptionBudgetStatus`]: {
    "": "The observed state of a disruption budget.",
    observedGeneration: "The most recent metadata.generation the disruption controller has acted on.",
    disruptedPods: "Pods whose eviction the API server has allowed but that have not yet been deleted, with the time of the eviction; entries expire after about two minutes.",
    disruptionsAllowed: "How many more pods may be disrupted now.",
    currentHealthy: "Covered pods that are healthy now.",
    desiredHealthy: "The fewest healthy pods the budget wants.",
    expectedPods: "The covered pods counted, from the replicas of their controllers.",
    conditions: "The latest observations of the budget, e.g. DisruptionAllowed.",
  },
};
