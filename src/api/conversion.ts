/**
 * Conversions between versions that share one stored form, as upstream's:
 * events.k8s.io/v1 Events are stored as core/v1 Events, and
 * autoscaling/v1 HorizontalPodAutoscalers as autoscaling/v2.
 */
import type { KubeObject } from "./types.ts";
import { type JsonMap, asMap, asMaps, asNumber } from "./access.ts";

const RENAMES: [core: string, events: string][] = [
  ["involvedObject", "regarding"],
  ["message", "note"],
  ["reportingComponent", "reportingController"],
  ["source", "deprecatedSource"],
  ["firstTimestamp", "deprecatedFirstTimestamp"],
  ["lastTimestamp", "deprecatedLastTimestamp"],
  ["count", "deprecatedCount"],
];

function rename(obj: KubeObject, apiVersion: string, pairs: [string, string][]): KubeObject {
  const out: KubeObject = { ...obj, apiVersion, kind: "Event" };
  for (const [from, to] of pairs) {
    delete out[to];
    if (obj[from] !== undefined) out[to] = obj[from];
    delete out[from];
  }
  return out;
}

/** An events.k8s.io/v1 Event as the core/v1 Event it is stored as. */
export function eventToCore(obj: KubeObject): KubeObject {
  return rename(obj, "v1", RENAMES.map(([c, e]) => [e, c]));
}

/** A stored core/v1 Event as events.k8s.io/v1 serves it. */
export function eventFromCore(obj: KubeObject): KubeObject {
  return rename(obj, "events.k8s.io/v1", RENAMES);
}

function cpuUtilization(metrics: JsonMap[], key: "target" | "current"): number | undefined {
  for (const m of metrics) {
    const r = asMap(m.resource);
    if (m.type === "Resource" && r?.name === "cpu") {
      const v = asNumber(asMap(r[key])?.averageUtilization);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/** An autoscaling/v1 HPA as the autoscaling/v2 object it is stored as. */
export function hpaV1ToV2(obj: KubeObject): KubeObject {
  const spec = { ...(asMap(obj.spec) ?? {}) };
  const target = asNumber(spec.targetCPUUtilizationPercentage);
  delete spec.targetCPUUtilizationPercentage;
  if (target !== undefined) spec.metrics = [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: target } } }];
  const out: KubeObject = { ...obj, apiVersion: "autoscaling/v2", spec };
  const status = asMap(obj.status);
  if (status) {
    const s = { ...status };
    const cur = asNumber(s.currentCPUUtilizationPercentage);
    delete s.currentCPUUtilizationPercentage;
    if (cur !== undefined) s.currentMetrics = [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: cur } } }];
    out.status = s;
  }
  return out;
}

/** A stored autoscaling/v2 HPA as autoscaling/v1 serves it (the cpu utilization metric only). */
export function hpaV2ToV1(obj: KubeObject): KubeObject {
  const spec = { ...(asMap(obj.spec) ?? {}) };
  const target = cpuUtilization(asMaps(spec.metrics), "target");
  delete spec.metrics;
  delete spec.behavior;
  if (target !== undefined) spec.targetCPUUtilizationPercentage = target;
  const out: KubeObject = { ...obj, apiVersion: "autoscaling/v1", spec };
  const status = asMap(obj.status);
  if (status) {
    const s: JsonMap = {};
    for (const k of ["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"]) if (status[k] !== undefined) s[k] = status[k];
    const cur = cpuUtilization(asMaps(status.currentMetrics), "current");
    if (cur !== undefined) s.currentCPUUtilizationPercentage = cur;
    out.status = s;
  }
  return out;
}
