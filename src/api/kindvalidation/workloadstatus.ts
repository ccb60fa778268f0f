/**
 * Status updates of the workload kinds as upstream's Validate*StatusUpdate
 * (apps and batch, 1.32): counters never negative, and the counts that are
 * subsets of status.replicas never above it.
 */
import type { FieldError } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { asMap, asNumber } from "../access.ts";
import { invalid, nonNegative } from "../validation.ts";

function statusOf(obj: KubeObject): Record<string, unknown> {
  return asMap(obj.status) ?? {};
}

function counters(status: Record<string, unknown>, fields: string[]): FieldError[] {
  return fields.flatMap((f) => nonNegative(status[f], `status.${f}`));
}

/** each listed count must not exceed the `than` count (upstream: "cannot be greater than status.<than>") */
function atMost(status: Record<string, unknown>, pairs: [string, string][]): FieldError[] {
  const errs: FieldError[] = [];
  for (const [field, than] of pairs) {
    const v = asNumber(status[field]) ?? 0;
    const limit = asNumber(status[than]) ?? 0;
    if (v > limit) errs.push(invalid(`status.${field}`, { value: v, detail: `cannot be greater than status.${than}` }));
  }
  return errs;
}

/** Deployment status (ValidateDeploymentStatus). */
export function validateDeploymentStatus(obj: KubeObject): FieldError[] {
  const s = statusOf(obj);
  return [
    ...counters(s, ["observedGeneration", "replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas", "collisionCount"]),
    ...atMost(s, [["updatedReplicas", "replicas"], ["availableReplicas", "replicas"], ["availableReplicas", "readyReplicas"]]),
  ];
}

/** ReplicaSet and ReplicationController status (ValidateReplicaSetStatus / ValidateReplicationControllerStatus). */
export function validateReplicaSetStatus(obj: KubeObject): FieldError[] {
  const s = statusOf(obj);
  return [
    ...counters(s, ["replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas", "observedGeneration"]),
    ...atMost(s, [["fullyLabeledReplicas", "replicas"], ["readyReplicas", "replicas"], ["availableReplicas", "replicas"], ["availableReplicas", "readyReplicas"]]),
  ];
}

/** StatefulSet status (ValidateStatefulSetStatus). */
export function validateStatefulSetStatus(obj: KubeObject): FieldError[] {
  const s = statusOf(obj);
  return [
    ...counters(s, ["replicas", "readyReplicas", "currentReplicas", "updatedReplicas", "availableReplicas", "observedGeneration", "collisionCount"]),
    ...atMost(s, [["readyReplicas", "replicas"], ["currentReplicas", "replicas"], ["updatedReplicas", "replicas"], ["availableReplicas", "replicas"], ["availableReplicas", "readyReplicas"]]),
  ];
}

/** DaemonSet status (ValidateDaemonSetStatusUpdate's counters). */
export function validateDaemonSetStatus(obj: KubeObject): FieldError[] {
  return counters(statusOf(obj), [
    "currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady", "observedGeneration",
    "updatedNumberScheduled", "numberAvailable", "numberUnavailable", "collisionCount",
  ]);
}

/** Job status counters (the non-negative part of ValidateJobStatusUpdate). */
export function validateJobStatus(obj: KubeObject): FieldError[] {
  return counters(statusOf(obj), ["active", "succeeded", "failed", "ready", "terminating"]);
}
