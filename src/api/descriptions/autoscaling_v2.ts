/** Descriptions for io.k8s.api.autoscaling.v2 (src/api/schemas/api_autoscaling_v2.ts). */
import type { DescriptionTable } from "./table.ts";
import { COND_MESSAGE, COND_REASON, COND_STATUS, COND_TRANSITION, KIND, LIST_META, OBJECT_META, apiVersionText } from "./common.ts";

const H = "io.k8s.api.autoscaling.v2";

const API_VERSION = apiVersionText("autoscaling/v2");
const TARGET = "The value the autoscaler aims to keep the metric at.";
const CURRENT = "The metric's current value.";
const METRIC = "The name and selector of the metric.";
const RESOURCE_NAME = "The resource whose usage is measured, e.g. \"cpu\" or \"memory\".";

export const descriptions: DescriptionTable = {
  [`${H}.ContainerResourceMetricSource`]: {
    "": "Scales on the CPU or memory use of one container in each pod, as the kubelet reports it, rather than of the whole pod.",
    name: RESOURCE_NAME,
    target: TARGET,
    container: "The name of the container in the scaled pods.",
  },
  [`${H}.ContainerResourceMetricStatus`]: {
    "": "The current value of a container resource metric.",
    name: RESOURCE_NAME,
    current: CURRENT,
    container: "The name of the container in the scaled pods.",
  },
  [`${H}.CrossVersionObjectReference`]: {
    "": "Names the object to scale or describe, by kind, name and API version.",
    kind: "The kind of the object, e.g. \"Deployment\".",
    name: "The name of the object, in the autoscaler's namespace.",
    apiVersion: "The group and version of the object, e.g. \"apps/v1\".",
  },
  [`${H}.ExternalMetricSource`]: {
    "": "Scales on a metric from outside the cluster, such as a cloud queue length, served by an external metrics API.",
    metric: METRIC,
    target: TARGET,
  },
  [`${H}.ExternalMetricStatus`]: {
    "": "The current value of an external metric.",
    metric: METRIC,
    current: CURRENT,
  },
  [`${H}.HPAScalingPolicy`]: {
    "": "One limit on how fast the autoscaler may change the replica count within a time window.",
    type: "\"Pods\" limits the change to value pods; \"Percent\" to value percent of the current replicas.",
    value: "The size of the allowed change; must be above 0.",
    periodSeconds: "The window, in seconds, the limit applies to; between 1 and 1800.",
  },
  [`${H}.HPAScalingRules`]: {
    "": "How fast the autoscaler may scale in one direction: a stabilization window and rate limits.",
    stabilizationWindowSeconds: "Seconds of past recommendations to consider: scaling up uses the lowest and scaling down the highest of them, which smooths out flapping. Between 0 and 3600; defaults to 0 for scaling up and 300 for scaling down.",
    selectPolicy: "Which policy applies when several do: \"Max\" the one allowing the largest change, \"Min\" the smallest, \"Disabled\" forbids scaling in this direction. Defaults to Max.",
    policies: "The rate limits. By default scale up allows the larger of 4 pods or 100% per 15 seconds, and scale down 100% per 15 seconds.",
  },
  [`${H}.HorizontalPodAutoscaler`]: {
    "": "Adjusts the replica count of a scalable workload, such as a Deployment, to keep the chosen metrics at their targets.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The target workload, the replica bounds and the metrics to follow.",
    status: "The most recently observed state of the autoscaler; written by the system.",
  },
  [`${H}.HorizontalPodAutoscalerBehavior`]: {
    "": "Separate speed limits for scaling up and scaling down.",
    scaleUp: "Rules for scaling up. Defaults: no stabilization window; the larger of 4 pods or 100% per 15 seconds.",
    scaleDown: "Rules for scaling down. Defaults: a 300-second stabilization window; up to 100% per 15 seconds.",
  },
  [`${H}.HorizontalPodAutoscalerCondition`]: {
    "": "One aspect of an autoscaler's state at a point in time, such as AbleToScale or ScalingActive.",
    type: "The kind of condition: AbleToScale, ScalingActive or ScalingLimited.",
    status: COND_STATUS,
    lastTransitionTime: COND_TRANSITION,
    reason: COND_REASON,
    message: COND_MESSAGE,
  },
  [`${H}.HorizontalPodAutoscalerList`]: {
    "": "A list of HorizontalPodAutoscalers.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The HorizontalPodAutoscalers.",
  },
  [`${H}.HorizontalPodAutoscalerSpec`]: {
    "": "What an autoscaler scales, within which bounds, and on which metrics.",
    scaleTargetRef: "The workload to scale; it must have a scale subresource.",
    minReplicas: "The fewest replicas the autoscaler sets. Defaults to 1; 0 is allowed only with object or external metrics when the HPAScaleToZero feature is on.",
    maxReplicas: "The most replicas the autoscaler sets; must not be below minReplicas.",
    metrics: "The metrics to follow; the autoscaler computes a replica count for each and takes the highest. Defaults to 80% average CPU utilization.",
    behavior: "Speed limits for scaling up and down. Unset uses the defaults of HPAScalingRules.",
  },
  [`${H}.HorizontalPodAutoscalerStatus`]: {
    "": "The observed state of an autoscaler.",
    observedGeneration: "The most recent metadata.generation the autoscaler has acted on.",
    lastScaleTime: "When the autoscaler last changed the replica count.",
    currentReplicas: "The replica count of the target as last seen.",
    desiredReplicas: "The replica count the autoscaler last computed.",
    currentMetrics: "The last read values of the metrics.",
    conditions: "The latest observations of the autoscaler's state.",
  },
  [`${H}.MetricIdentifier`]: {
    "": "Names a metric, optionally narrowed by labels.",
    name: "The name of the metric.",
    selector: "Labels that narrow which series of the metric count. Unset uses only the metric name.",
  },
  [`${H}.MetricSpec`]: {
    "": "One metric to scale on and its target; type says which one of the source fields is set.",
    type: "The source of the metric: \"ContainerResource\", \"External\", \"Object\", \"Pods\" or \"Resource\".",
    object: "A metric of one object in the namespace, such as requests per second of an Ingress.",
    pods: "A metric averaged over the target's pods, such as packets per second.",
    resource: "The CPU or memory use of the target's pods, from resource metrics.",
    containerResource: "The CPU or memory use of one container in each of the target's pods.",
    external: "A metric not tied to any cluster object.",
  },
  [`${H}.MetricStatus`]: {
    "": "The last read value of one metric; type says which one of the source fields is set.",
    type: "The source of the metric: \"ContainerResource\", \"External\", \"Object\", \"Pods\" or \"Resource\".",
    object: "The value of an object metric.",
    pods: "The value of a pods metric.",
    resource: "The value of a resource metric.",
    containerResource: "The value of a container resource metric.",
    external: "The value of an external metric.",
  },
  [`${H}.MetricTarget`]: {
    "": "The value a metric should be kept at, in one of three forms.",
    type: "Which form the target takes: \"Utilization\", \"Value\" or \"AverageValue\".",
    value: "The target value of the metric as a quantity (type Value).",
    averageValue: "The target value per pod, averaged over the pods, as a quantity (type AverageValue).",
    averageUtilization: "The target average use as a percentage of the pods' resource requests (type Utilization); only for resource and container resource metrics.",
  },
  [`${H}.MetricValueStatus`]: {
    "": "The current value of a metric, in the forms that apply.",
    value: "The current value of the metric as a quantity.",
    averageValue: "The current value per pod, averaged over the pods, as a quantity.",
    averageUtilization: "The current average use as a percentage of the pods' resource requests.",
  },
  [`${H}.ObjectMetricSource`]: {
    "": "Scales on a metric that describes one object in the namespace, such as an Ingress's hits per second.",
    describedObject: "The object the metric describes.",
    target: TARGET,
    metric: METRIC,
  },
  [`${H}.ObjectMetricStatus`]: {
    "": "The current value of an object metric.",
    metric: METRIC,
    current: CURRENT,
    describedObject: "The object the metric describes.",
  },
  [`${H}.PodsMetricSource`]: {
    "": "Scales on a custom metric of the target's pods, averaged over them, against an average value target.",
    metric: METRIC,
    target: TARGET,
  },
  [`${H}.PodsMetricStatus`]: {
    "": "The current value of a pods metric.",
    metric: METRIC,
    current: CURRENT,
  },
  [`${H}.ResourceMetricSource`]: {
    "": "Scales on the CPU or memory use of the target's pods, summed over each pod's containers, as the kubelet reports it.",
    name: RESOURCE_NAME,
    target: TARGET,
  },
  [`${H}.ResourceMetricStatus`]: {
    "": "The current value of a resource metric.",
    name: RESOURCE_NAME,
    current: CURRENT,
  },
};
