/** Conversions between versions sharing storage round-trip what both versions can say. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { eventFromCore, eventToCore, hpaV1ToV2, hpaV2ToV1 } from "./conversion.ts";

test("events.k8s.io events are stored as core events and read back unchanged", () => {
  const ev = {
    apiVersion: "events.k8s.io/v1", kind: "Event", metadata: { name: "e", namespace: "default" },
    eventTime: "2024-01-01T00:00:00.000000Z", reportingController: "k3s-ts/scheduler", reportingInstance: "n1", action: "Binding", reason: "Scheduled",
    regarding: { kind: "Pod", name: "p", namespace: "default" }, note: "assigned default/p to n1", type: "Normal",
  };
  const core = eventToCore(ev);
  assert.equal(core.apiVersion, "v1");
  assert.deepEqual(core.involvedObject, ev.regarding);
  assert.equal(core.message, ev.note);
  assert.equal(core.reportingComponent, "k3s-ts/scheduler");
  assert.equal(core.regarding, undefined);
  assert.deepEqual(eventFromCore(core), ev);
});

test("autoscaling/v1 targetCPUUtilizationPercentage is a v2 cpu Resource metric", () => {
  const v1 = { apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", metadata: { name: "h" },
    spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 60 },
    status: { currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 12 } };
  const v2 = hpaV1ToV2(v1);
  assert.deepEqual((v2.spec as any).metrics, [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } } }]);
  assert.deepEqual(hpaV2ToV1(v2), v1);
});
