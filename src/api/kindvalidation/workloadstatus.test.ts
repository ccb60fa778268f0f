/** Workload status updates: upstream's counters and "cannot be greater than status.replicas" rules. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../types.ts";
import { validateDaemonSetStatus, validateDeploymentStatus, validateJobStatus, validateReplicaSetStatus, validateStatefulSetStatus } from "./workloadstatus.ts";
import { lines } from "./testsupport.ts";

const withStatus = (status: Record<string, unknown>): KubeObject => ({ apiVersion: "apps/v1", kind: "X", metadata: { name: "x" }, status });

test("deployment status: counters not negative, updated/available within replicas, available within ready", () => {
  assert.deepEqual(validateDeploymentStatus(withStatus({ replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1 })), []);
  assert.deepEqual(lines(validateDeploymentStatus(withStatus({ replicas: 2, updatedReplicas: 3, readyReplicas: 1, availableReplicas: 2, unavailableReplicas: -1 }))), [
    "FieldValueInvalid status.unavailableReplicas: Invalid value: -1: must be greater than or equal to 0",
    "FieldValueInvalid status.updatedReplicas: Invalid value: 3: cannot be greater than status.replicas",
    "FieldValueInvalid status.availableReplicas: Invalid value: 2: cannot be greater than status.readyReplicas",
  ]);
});

test("replica set, stateful set, daemon set and job status", () => {
  assert.deepEqual(validateReplicaSetStatus(withStatus({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1 })), []);
  assert.deepEqual(lines(validateReplicaSetStatus(withStatus({ replicas: 1, readyReplicas: 2, availableReplicas: 2 }))), [
    "FieldValueInvalid status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas",
    "FieldValueInvalid status.availableReplicas: Invalid value: 2: cannot be greater than status.replicas",
  ]);
  assert.deepEqual(lines(validateStatefulSetStatus(withStatus({ replicas: 1, currentReplicas: 2, collisionCount: -1 }))), [
    "FieldValueInvalid status.collisionCount: Invalid value: -1: must be greater than or equal to 0",
    "FieldValueInvalid status.currentReplicas: Invalid value: 2: cannot be greater than status.replicas",
  ]);
  assert.deepEqual(lines(validateDaemonSetStatus(withStatus({ numberReady: -2 }))), ["FieldValueInvalid status.numberReady: Invalid value: -2: must be greater than or equal to 0"]);
  assert.deepEqual(lines(validateJobStatus(withStatus({ active: 1, failed: -1 }))), ["FieldValueInvalid status.failed: Invalid value: -1: must be greater than or equal to 0"]);
});
