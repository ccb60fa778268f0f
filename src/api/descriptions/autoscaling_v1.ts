/** Descriptions for io.k8s.api.autoscaling.v1 (src/api/schemas/api_autoscaling_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { COND_MESSAGE, COND_REASON, COND_STATUS, COND_TRANSITION, KIND, LIST_META, OBJECT_META, apiVersionText } from "./common.ts";

const H = "io.k8s.api.autoscaling.v1";

const API_VERSION = apiVersionText("autoscaling/v1");
const RESOURCE_NAME = "The resource whose usage is measured, e.g. \"cpu\" or \"memory\".";
const CONTAINER = "The name of the container in the scaled pods.";
const METRIC_NAME = "The name of the metric.";
const METRIC_SELECTOR = "Labels that narrow which series of the metric count. Unset uses only the metric name.";
const TARGET_UTILIZATION = "The target average use as a percentage of the pods' resource requests.";
const TARGET_AVERAGE = "The target value per pod, averaged over the pods, as a quantity.";
const CURRENT_UTILIZATION = "The current average use as a percentage of the pods' resource requests.";
const CURRENT_AVERAGE = "The current value per pod, averaged over the pods, as a quantity.";

export const descriptions: DescriptionTable = {
  [`${H}.ContainerResourceMetricSource`]: {
    "": "Scales on the CPU or memory use of one container in each pod rather than of the whole pod.",
    name: RESOURCE_NAME,
    targetAverageUtilization: TARGET_UTILIZATION,
    targetAverageValue: TARGET_AVERAGE,
    container: CONTAINER,
  },
  [`${H}.ContainerResourceMetricStatus`]: {
    "": "The current value of a container resource metric.",
    name: RESOURCE_NAME,
    currentAverageUtilization: CURRENT_UTILIZATION,
    currentAverageValue: CURRENT_AVERAGE,
    container: CONTAINER,
  },
  [`${H}.CrossVersionObjectReference`]: {
    "": "Names the object to scale or describe, by kind, name and API version.",
    kind: "The kind of the object, e.g. \"Deployment\".",
    name: "The name of the object, in the autoscaler's namespace.",
    apiVersion: "The group and version of the object, e.g. \"apps/v1\".",
  },
  [`${H}.ExternalMetricSource`]: {
    "": "Scales on a metric from outside the cluster, served by an external metrics API; one of the two targets is set.",
    metricName: METRIC_NAME,
    metricSelector: METRIC_SELECTOR,
    targetValue: "The target value of the metric as a whole.",
    targetAverageValue: "The target value of the metric divided by the number of pods.",
  },
  [`${H}.ExternalMetricStatus`]: {
    "": "The current value of an external metric.",
    metricName: METRIC_NAME,
    metricSelector: METRIC_SELECTOR,
    currentValue: "The current value of the metric as a whole.",
    currentAverageValue: "The current value of the metric divided by the number of pods.",
  },
  [`${H}.HorizontalPodAutoscaler`]: {
    "": "Adjusts the replica count of a scalable workload to keep its pods' average CPU use at a target; autoscaling/v2 offers more metrics.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The target workload, the replica bounds and the CPU target.",
    status: "The most recently observed state of the autoscaler; written by the system.",
  },
  [`${H}.HorizontalPodAutoscalerCondition`]: {
    "": "One aspect of an autoscaler's state at a point in time.",
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
    "": "What an autoscaler scales, within which bounds, and at which CPU use.",
    scaleTargetRef: "The workload to scale; it must have a scale subresource.",
    minReplicas: "The fewest replicas the autoscaler sets. Defaults to 1.",
    maxReplicas: "The most replicas the autoscaler sets; must not be below minReplicas.",
    targetCPUUtilizationPercentage: "The average CPU use to aim for, as a percentage of the pods' CPU requests. Unset uses the default policy (80%).",
  },
  [`${H}.HorizontalPodAutoscalerStatus`]: {
    "": "The observed state of an autoscaler.",
    observedGeneration: "The most recent metadata.generation the autoscaler has acted on.",
    lastScaleTime: "When the autoscaler last changed the replica count.",
    currentReplicas: "The replica count of the target as last seen.",
    desiredReplicas: "The replica count the autoscaler last computed.",
    currentCPUUtilizationPercentage: "The pods' current average CPU use, as a percentage of their CPU requests.",
  },
  [`${H}.MetricSpec`]: {
    "": "One metric to scale on and its target; type says which one of the source fields is set.",
    type: "The source of the metric: \"ContainerResource\", \"External\", \"Object\", \"Pods\" or \"Resource\".",
    object: "A metric of one object in the namespace.",
    pods: "A metric averaged over the target's pods.",
    resource: "The CPU or memory use of the target's pods.",
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
  [`${H}.ObjectMetricSource`]: {
    "": "Scales on a metric that describes one object in the namespace.",
    target: "The object the metric describes.",
    metricName: METRIC_NAME,
    targetValue: "The target value of the metric.",
    selector: METRIC_SELECTOR,
    averageValue: "The target value per pod, averaged over the pods, as a quantity.",
  },
  [`${H}.ObjectMetricStatus`]: {
    "": "The current value of an object metric.",
    target: "The object the metric describes.",
    metricName: METRIC_NAME,
    currentValue: "The current value of the metric.",
    selector: METRIC_SELECTOR,
    averageValue: CURRENT_AVERAGE,
  },
  [`${H}.PodsMetricSource`]: {
    "": "Scales on a custom metric of the target's pods, averaged over them.",
    metricName: METRIC_NAME,
    targetAverageValue: TARGET_AVERAGE,
    selector: METRIC_SELECTOR,
  },
  [`${H}.PodsMetricStatus`]: {
    "": "The current value of a pods metric.",
    metricName: METRIC_NAME,
    currentAverageValue: CURRENT_AVERAGE,
    selector: METRIC_SELECTOR,
  },
  [`${H}.ResourceMetricSource`]: {
    "": "Scales on the CPU or memory use of the target's pods; one of the two targets is set.",
    name: RESOURCE_NAME,
    targetAverageUtilization: TARGET_UTILIZATION,
    targetAverageValue: TARGET_AVERAGE,
  },
  [`${H}.ResourceMetricStatus`]: {
    "": "The current value of a resource metric.",
    name: RESOURCE_NAME,
    currentAverageUtilization: CURRENT_UTILIZATION,
    currentAverageValue: CURRENT_AVERAGE,
  },
  [`${H}.Scale`]: {
    "": "The scale subresource of a workload: its desired and current replica counts, as autoscalers and kubectl scale see them.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The desired replica count.",
    status: "The current replica count and pod selector; read-only.",
  },
  [`${H}.ScaleSpec`]: {
    "": "The desired scale of a workload.",
    replicas: "The desired number of replicas.",
  },
  [`${H}.ScaleStatus`]: {
    "": "The observed scale of a workload.",
    replicas: "The number of replicas last observed.",
    selector: "The workload's pod label selector, in the string form of label queries (e.g. \"app=web,tier in (a,b)\").",
  },
};
