/**
 * Descriptions for core/v1 scheduling constraints (src/api/schemas/api_core_v1.ts):
 * node and pod affinity, node selectors, taints and tolerations, topology
 * spread and topology selectors.
 */
import type { DescriptionTable } from "./table.ts";

const C = "io.k8s.api.core.v1";

const REQUIRED_NOTE = "Checked only when scheduling: a pod already running is not evicted when the rule stops holding.";
const PREFERRED_NOTE = "The scheduler favours nodes by the summed weights of the terms they satisfy, but may choose a node that satisfies none.";

/** Fields PodAffinity and PodAntiAffinity share, worded for either. */
function podAffinityFields(verb: string): Record<string, string> {
  return {
    requiredDuringSchedulingIgnoredDuringExecution: `Terms that must all hold: the pod is only scheduled ${verb} pods matching each term. ${REQUIRED_NOTE}`,
    preferredDuringSchedulingIgnoredDuringExecution: `Weighted terms for placing the pod ${verb} matching pods. ${PREFERRED_NOTE}`,
  };
}

const affinity: DescriptionTable = {
  [`${C}.Affinity`]: {
    "": "Where a pod may or should be scheduled, relative to node labels and to other pods.",
    nodeAffinity: "Rules about which nodes the pod may or should run on.",
    podAffinity: "Rules for placing the pod in the same topology domain (node, zone, ...) as certain other pods.",
    podAntiAffinity: "Rules for keeping the pod out of topology domains where certain other pods run.",
  },
  [`${C}.NodeAffinity`]: {
    "": "Node affinity: constraints on the labels and fields of the node a pod runs on.",
    requiredDuringSchedulingIgnoredDuringExecution: `Nodes the pod may run on at all. ${REQUIRED_NOTE}`,
    preferredDuringSchedulingIgnoredDuringExecution: `Weighted node preferences. ${PREFERRED_NOTE}`,
  },
  [`${C}.PodAffinity`]: { "": "Pod affinity: rules that draw a pod towards topology domains where matching pods run.", ...podAffinityFields("near") },
  [`${C}.PodAntiAffinity`]: { "": "Pod anti-affinity: rules that keep a pod away from topology domains where matching pods run.", ...podAffinityFields("away from") },
  [`${C}.PodAffinityTerm`]: {
    "": "A set of pods (by labels and namespaces) and a topology key: the term holds on a node whose domain for that key runs such a pod.",
    labelSelector: "Which pods count; none when empty.",
    namespaces: "Namespaces whose pods count; together with namespaceSelector. Both empty means the pod's own namespace.",
    topologyKey: "The node label that defines a domain, such as kubernetes.io/hostname or topology.kubernetes.io/zone; must not be empty.",
    namespaceSelector: "Namespaces (by their labels) whose pods count, besides those listed; an empty selector means all namespaces.",
    matchLabelKeys: "Label keys whose values are copied from the incoming pod into labelSelector as key in (value), such as pod-template-hash.",
    mismatchLabelKeys: "Label keys whose values are copied from the incoming pod into labelSelector as key notin (value).",
  },
  [`${C}.WeightedPodAffinityTerm`]: {
    "": "A pod affinity term with a weight, for preferences.",
    weight: "How much satisfying the term counts, from 1 to 100.",
    podAffinityTerm: "The term.",
  },
  [`${C}.PreferredSchedulingTerm`]: {
    "": "A node selector term with a weight, for preferences.",
    weight: "How much matching the term counts, from 1 to 100.",
    preference: "The term a node should match.",
  },
  [`${C}.NodeSelector`]: {
    "": "Selects nodes: a node matches if it matches any of the terms.",
    nodeSelectorTerms: "The terms, combined with OR; at least one.",
  },
  [`${C}.NodeSelectorTerm`]: {
    "": "Requirements a node must all meet; an empty term matches no node.",
    matchExpressions: "Requirements on the node's labels.",
    matchFields: "Requirements on the node's fields; only metadata.name is supported.",
  },
  [`${C}.NodeSelectorRequirement`]: {
    "": "One condition on a node label or field: a key, an operator and values.",
    key: "The label key or field name.",
    operator: "In, NotIn, Exists, DoesNotExist, Gt or Lt.",
    values: "The values: at least one for In and NotIn, none for Exists and DoesNotExist, exactly one integer for Gt and Lt.",
  },
};

const taints: DescriptionTable = {
  [`${C}.Taint`]: {
    "": "A mark on a node that repels pods that do not tolerate it.",
    key: "The taint's key.",
    value: "The taint's value.",
    effect: "What happens to pods that do not tolerate it: NoSchedule (not scheduled there), PreferNoSchedule (avoided if possible) or NoExecute (also evicted if running).",
    timeAdded: "When a NoExecute taint was added; set by the system.",
  },
  [`${C}.Toleration`]: {
    "": "Lets a pod be scheduled on, or stay on, nodes with matching taints.",
    key: "The taint key to match; empty with operator Exists matches every taint.",
    operator: "Exists (any value) or Equal (the value must match). Defaults to Equal.",
    value: "The taint value to match; empty with Exists.",
    effect: "The taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty matches all effects.",
    tolerationSeconds: "For NoExecute: how long the pod may stay after the taint appears before it is evicted. Unset means forever; 0 or less means at once.",
  },
  [`${C}.TopologySpreadConstraint`]: {
    "": "How matching pods should be spread across the domains of one topology key.",
    maxSkew: "The most the number of matching pods may differ between the fullest domain and the emptiest eligible one; at least 1.",
    topologyKey: "The node label that defines a domain, such as topology.kubernetes.io/zone; nodes without it are ignored.",
    whenUnsatisfiable: "What to do when no placement keeps the skew: DoNotSchedule (the default) or ScheduleAnyway (prefer the placements that reduce it).",
    labelSelector: "Which pods are counted in each domain.",
    minDomains: "The least number of eligible domains; while fewer exist, the emptiest count is taken as 0. Only with DoNotSchedule; defaults to 1.",
    nodeAffinityPolicy: "Whether the pod's nodeAffinity and nodeSelector limit the nodes counted: Honor (the default) or Ignore.",
    nodeTaintsPolicy: "Whether node taints limit the nodes counted: Honor (skip nodes the pod does not tolerate) or Ignore (the default).",
    matchLabelKeys: "Label keys whose values from the incoming pod are added to labelSelector, such as pod-template-hash.",
  },
  [`${C}.TopologySelectorTerm`]: {
    "": "Topology requirements that must all hold; used by StorageClass allowedTopologies.",
    matchLabelExpressions: "Requirements on topology labels.",
  },
  [`${C}.TopologySelectorLabelRequirement`]: {
    "": "A topology label and the values it may have.",
    key: "The label key.",
    values: "The values; a match is any one of them.",
  },
  [`${C}.AvoidPods`]: {
    "": "Pods a node asks the scheduler to keep away; a legacy annotation format.",
    preferAvoidPods: "The entries, one per controller whose pods should avoid the node.",
  },
  [`${C}.PreferAvoidPodsEntry`]: {
    "": "A request that a controller's pods avoid a node.",
    podSignature: "Which pods the entry is about.",
    evictionTime: "When the entry was added.",
    reason: "A CamelCase word saying why.",
    message: "A human-readable explanation.",
  },
  [`${C}.PodSignature`]: {
    "": "Identifies a group of pods by their controller.",
    podController: "The controller that owns the pods.",
  },
};

export const descriptions: DescriptionTable = { ...affinity, ...taints };
