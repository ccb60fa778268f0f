/** HPA (v2 and v1 through its v2 form) and PDB validation: replicas bounds, metric sources and targets, behavior policies, budgets. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../types.ts";
import { validateHorizontalPodAutoscaler, validateHorizontalPodAutoscalerV1 } from "./autoscaling.ts";
import { validatePodDisruptionBudget } from "./policy.ts";
import { defaulted, lines } from "./testsupport.ts";

const ref = { apiVersion: "apps/v1", kind: "Deployment", name: "shop" };

function hpa(spec: Record<string, unknown>): KubeObject {
  return defaulted({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "h", namespace: "default" }, spec: { scaleTargetRef: ref, maxReplicas: 5, ...spec } });
}

test("hpa: replica bounds and target reference", () => {
  assert.deepEqual(validateHorizontalPodAutoscaler(hpa({})), []);
  assert.deepEqual(lines(validateHorizontalPodAutoscaler(hpa({ minReplicas: 0, maxReplicas: 0, scaleTargetRef: { kind: "Deployment", name: "a/b" } }))), [
    "FieldValueInvalid spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
    "FieldValueInvalid spec.maxReplicas: Invalid value: 0: must be greater than 0",
    "FieldValueInvalid spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'",
  ]);
  assert.deepEqual(lines(validateHorizontalPodAutoscaler(hpa({ minReplicas: 4, maxReplicas: 2 }))), ["FieldValueInvalid spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"]);
});

test("hpa: metric source types, populated sources and target rules", () => {
  const metrics = [
    { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 0 } } },
    { type: "Pods", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } },
    { type: "External", external: { metric: { name: "queue" }, target: { type: "Value", value: "10", averageValue: "1" } } },
    { type: "Object", object: { describedObject: { kind: "Service" }, metric: {}, target: { type: "Total", value: "-1" } } },
    { type: "ContainerResource", containerResource: { name: "memory", container: "", target: { type: "AverageValue", averageValue: "1Gi", averageUtilization: 60 } } },
  ];
  assert.deepEqual(lines(validateHorizontalPodAutoscaler(hpa({ metrics }))), [
    "FieldValueInvalid spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0",
    "FieldValueRequired spec.metrics[1].pods: Required value: must populate information for the given metric source",
    "FieldValueForbidden spec.metrics[2].external.target.value: Forbidden: may not set both a target value for metric and a per-pod target",
    'FieldValueNotSupported spec.metrics[3].object.target.type: Unsupported value: "Total": supported values: "AverageValue", "Utilization", "Value"',
    'FieldValueInvalid spec.metrics[3].object.target.value: Invalid value: "-1": must be positive',
    "FieldValueRequired spec.metrics[3].object.describedObject.name: Required value",
    "FieldValueRequired spec.metrics[3].object.metric.name: Required value: must specify a metric name",
    "FieldValueRequired spec.metrics[4].containerResource.container: Required value: must specify a container",
    "FieldValueForbidden spec.metrics[4].containerResource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization",
  ]);
  assert.deepEqual(lines(validateHorizontalPodAutoscaler(hpa({ metrics: [{ type: "Magic" }] }))), [
    'FieldValueNotSupported spec.metrics[0].type: Unsupported value: "Magic": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
    "FieldValueRequired spec.metrics[0].magic: Required value: must populate information for the given metric source",
  ]);
});

test("hpa: behavior windows, select policy and scaling policies", () => {
  const h = hpa({ behavior: { scaleUp: { stabilizationWindowSeconds: 4000, selectPolicy: "Avg", policies: [{ type: "Nodes", value: 0, periodSeconds: 2000 }] }, scaleDown: { policies: [] } } });
  assert.deepEqual(lines(validateHorizontalPodAutoscaler(h)), [
    "FieldValueInvalid spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600",
    'FieldValueNotSupported spec.behavior.scaleUp.selectPolicy: Unsupported value: "Avg": supported values: "Disabled", "Max", "Min"',
    'FieldValueNotSupported spec.behavior.scaleUp.policies[0].type: Unsupported value: "Nodes": supported values: "Percent", "Pods"',
    "FieldValueInvalid spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero",
    "FieldValueInvalid spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 2000: must be less than or equal to 1800",
    "FieldValueRequired spec.behavior.scaleDown.policies: Required value: must specify at least one Policy",
  ]);
  // a behavior given in part gets upstream's default rules for the rest
  assert.deepEqual(validateHorizontalPodAutoscaler(hpa({ behavior: { scaleDown: { selectPolicy: "Disabled" } } })), []);
});

test("hpa v1: checked as its v2 form", () => {
  const v1: KubeObject = { apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", metadata: { name: "h" }, spec: { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 0 } };
  assert.deepEqual(lines(validateHorizontalPodAutoscalerV1(v1)), ["FieldValueInvalid spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0"]);
});

test("pdb: minAvailable xor maxUnavailable, percents up to 100%, eviction policy enum", () => {
  const pdb = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "p" }, spec: { selector: { matchLabels: { app: "shop" } }, ...spec } });
  assert.deepEqual(validatePodDisruptionBudget(pdb({ minAvailable: "50%" })), []);
  assert.deepEqual(lines(validatePodDisruptionBudget(pdb({ minAvailable: 1, maxUnavailable: "150%", unhealthyPodEvictionPolicy: "Never" }))), [
    'FieldValueInvalid spec: Invalid value: {"selector":{"matchLabels":{"app":"shop"}},"minAvailable":1,"maxUnavailable":"150%","unhealthyPodEvictionPolicy":"Never"}: minAvailable and maxUnavailable cannot be both set',
    'FieldValueInvalid spec.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
    'FieldValueNotSupported spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
  ]);
  assert.deepEqual(lines(validatePodDisruptionBudget(pdb({ minAvailable: -1 }))), ["FieldValueInvalid spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"]);
});
