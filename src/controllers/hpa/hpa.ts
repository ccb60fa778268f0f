/**
 * The HorizontalPodAutoscaler controller (autoscaling/v2, Resource metrics
 * from metrics.k8s.io): every 15 s, read the target's /scale and its pods'
 * usage, compute the desired replicas, and scale.
 */
import type { KubeObject } from "../../api/types.ts";
import type { Client, ResourceRef } from "../../client/client.ts";
import type { Condition, Pod } from "../../client/types.ts";
import { R } from "../../client/resources.ts";
import { parseQuantity } from "../../client/quantity.ts";
import { Lister } from "../../client/lister.ts";
import { parseLabelSelector } from "../../client/selectors.ts";
import { discoverResources } from "../util/discovery.ts";
import { canonicalJSON } from "../util/hash.ts";
import { nowISO } from "../util/pods.ts";
import { QueueController, type ControllerContext, type RunningController } from "../util/context.ts";
import { withKind } from "../util/typemeta.ts";
import { desiredFromRatio, stabilize } from "./replicas.ts";

const GVK = { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler" };

interface MetricTarget {
  type: "Utilization" | "AverageValue" | "Value";
  averageUtilization?: number;
  averageValue?: string;
}

interface HPA extends KubeObject {
  spec: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: { type: string; resource?: { name: string; target: MetricTarget } }[];
    behavior?: { scaleDown?: { stabilizationWindowSeconds?: number } };
  };
  status?: { currentReplicas?: number; desiredReplicas?: number; lastScaleTime?: string; currentMetrics?: unknown[]; conditions?: Condition[] };
}

interface PodMetrics {
  metadata: { name?: string; namespace?: string };
  containers: { name: string; usage: Record<string, string> }[];
}

const PERIOD_MS = 15_000;

async function getJSON<T>(client: Client, path: string, query?: Record<string, string>): Promise<T | undefined> {
  const res = await client.raw({ method: "GET", path, query });
  if (res.status !== 200) return undefined;
  return JSON.parse(res.body.toString("utf8")) as T;
}

function setCond(conds: Condition[], c: Omit<Condition, "lastTransitionTime">): Condition[] {
  const prev = conds.find((x) => x.type === c.type);
  const next = { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : nowISO() };
  return [...conds.filter((x) => x.type !== c.type), next];
}

/** Starts the controller. */
export function startHPAController(ctx: ControllerContext): RunningController {
  const { client } = ctx;
  const hpaInformer = ctx.factory.informerFor<HPA>(R.horizontalpodautoscalers);
  const podLister = new Lister(ctx.factory.informerFor<Pod>(R.pods));
  const recorder = ctx.recorder("horizontal-pod-autoscaler");
  const recommendations = new Map<string, { at: number; replicas: number }[]>();
  const kinds = new Map<string, ResourceRef>();
  const qc = new QueueController({ name: "horizontal-pod-autoscaler", sync });
  const off = hpaInformer.addEventHandler({ add: qc.enqueue, update: (o, n) => canonicalJSON(o.spec) !== canonicalJSON(n.spec) && qc.enqueue(n) });
  const timer = setInterval(() => hpaInformer.store.list().forEach(qc.enqueue), PERIOD_MS);

  async function targetRef(apiVersion: string, kind: string): Promise<ResourceRef | undefined> {
    const key = `${apiVersion}/${kind}`;
    if (!kinds.has(key)) for (const r of await discoverResources(client)) kinds.set(`${r.apiVersion}/${r.kind}`, r.ref);
    return kinds.get(key);
  }

  /** usage/target ratio for one metric, and the currentMetrics entry. */
  function ratioFor(metric: NonNullable<HPA["spec"]["metrics"]>[number], pods: Pod[], usage: Map<string, PodMetrics>): { ratio: number; current: unknown } | undefined {
    const res = metric.resource;
    if (metric.type !== "Resource" || !res) return undefined;
    let used = 0;
    let requested = 0;
    let counted = 0;
    for (const p of pods) {
      const m = usage.get(p.metadata.name ?? "");
      if (!m) continue;
      counted++;
      for (const c of m.containers) used += parseQuantity(c.usage[res.name]);
      for (const c of p.spec.containers) requested += parseQuantity(c.resources?.requests?.[res.name]);
    }
    if (counted === 0) return undefined;
    if (res.target.type === "Utilization") {
      if (requested === 0) return undefined;
      const util = Math.round((used * 100) / requested);
      const avg = used / counted;
      return { ratio: util / (res.target.averageUtilization ?? 80), current: { type: "Resource", resource: { name: res.name, current: { averageUtilization: util, averageValue: res.name === "cpu" ? `${Math.round(avg * 1000)}m` : String(Math.round(avg)) } } } };
    }
    const target = parseQuantity(res.target.averageValue);
    const avg = used / counted;
    return { ratio: target > 0 ? avg / target : NaN, current: { type: "Resource", resource: { name: res.name, current: { averageValue: res.name === "cpu" ? `${Math.round(avg * 1000)}m` : String(Math.round(avg)) } } } };
  }

  async function sync(key: string): Promise<void> {
    const hpa = hpaInformer.store.get(key);
    if (!hpa) {
      recommendations.delete(key);
      return;
    }
    const ns = hpa.metadata.namespace ?? "default";
    const t = hpa.spec.scaleTargetRef;
    let conds = hpa.status?.conditions ?? [];
    const ref = await targetRef(t.apiVersion ?? "apps/v1", t.kind);
    const scale = ref ? await getJSON<KubeObject & { spec?: { replicas?: number }; status?: { replicas?: number; selector?: string } }>(client, `${ref.group ? `/apis/${ref.group}` : "/api"}/${ref.version}/namespaces/${ns}/${ref.resource}/${t.name}/scale`) : undefined;
    if (!ref || !scale) {
      conds = setCond(conds, { type: "AbleToScale", status: "False", reason: "FailedGetScale", message: `the HPA controller was unable to get the target's current scale: ${t.kind}/${t.name}` });
      recorder.event(withKind(hpa, GVK), "Warning", "FailedGetScale", `${t.kind}/${t.name} scale not found`);
      return writeStatus(hpa, { ...(hpa.status ?? {}), conditions: conds });
    }
    conds = setCond(conds, { type: "AbleToScale", status: "True", reason: "SucceededGetScale", message: "the HPA controller was able to get the target's current scale" });
    const current = scale.spec?.replicas ?? 0;
    const selector = scale.status?.selector ? parseLabelSelector(scale.status.selector) : undefined;
    const pods = selector ? podLister.list(ns, selector).filter((p) => p.status?.phase === "Running" && !p.metadata.deletionTimestamp) : [];
    const metricsList = await getJSON<{ items: PodMetrics[] }>(client, `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`, scale.status?.selector ? { labelSelector: scale.status.selector } : undefined);
    const usage = new Map((metricsList?.items ?? []).map((m) => [m.metadata.name ?? "", m]));
    const metrics = hpa.spec.metrics?.length ? hpa.spec.metrics : [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization" as const, averageUtilization: 80 } } }];
    // with several metrics the largest proposal wins
    const proposals: number[] = [];
    const currentMetrics: unknown[] = [];
    for (const m of metrics) {
      const r = ratioFor(m, pods, usage);
      if (!r) continue;
      currentMetrics.push(r.current);
      proposals.push(desiredFromRatio(current, r.ratio));
    }
    const desired = Math.max(...proposals);
    if (proposals.length === 0) {
      conds = setCond(conds, { type: "ScalingActive", status: "False", reason: "FailedGetResourceMetric", message: "the HPA was unable to compute the replica count: unable to get metrics for resource cpu" });
      recorder.event(withKind(hpa, GVK), "Warning", "FailedGetResourceMetric", "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API");
      return writeStatus(hpa, { ...(hpa.status ?? {}), currentReplicas: current, desiredReplicas: current, conditions: conds });
    }
    conds = setCond(conds, { type: "ScalingActive", status: "True", reason: "ValidMetricFound", message: "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)" });
    const recent = recommendations.get(key) ?? [];
    const windowMs = (hpa.spec.behavior?.scaleDown?.stabilizationWindowSeconds ?? 300) * 1000;
    const min = hpa.spec.minReplicas ?? 1;
    const final = stabilize(desired, { min, max: hpa.spec.maxReplicas, recent, windowMs });
    recent.push({ at: Date.now(), replicas: desired });
    recommendations.set(key, recent.filter((r) => Date.now() - r.at <= Math.max(windowMs, PERIOD_MS)));
    const limited = final !== desired && (final === min || final === hpa.spec.maxReplicas);
    conds = setCond(conds, limited
      ? { type: "ScalingLimited", status: "True", reason: final === hpa.spec.maxReplicas ? "TooManyReplicas" : "TooFewReplicas", message: `the desired replica count is ${final === hpa.spec.maxReplicas ? "more than the maximum" : "less than the minimum"} replica count` }
      : { type: "ScalingLimited", status: "False", reason: "DesiredWithinRange", message: "the desired count is within the acceptable range" });
    let lastScaleTime = hpa.status?.lastScaleTime;
    if (final !== current) {
      await client.patch(ref, ns, t.name, "merge", { spec: { replicas: final } }, { subresource: "scale" });
      lastScaleTime = nowISO();
      recorder.event(withKind(hpa, GVK), "Normal", "SuccessfulRescale", `New size: ${final}; reason: ${final > current ? "cpu resource utilization (percentage of request) above target" : "All metrics below target"}`);
    }
    await writeStatus(hpa, { currentReplicas: current, desiredReplicas: final, currentMetrics, lastScaleTime, conditions: conds });
  }

  async function writeStatus(hpa: HPA, status: NonNullable<HPA["status"]>): Promise<void> {
    if (canonicalJSON(status) === canonicalJSON(hpa.status ?? {})) return;
    await client.update(R.horizontalpodautoscalers, hpa.metadata.namespace, { ...hpa, status }, { subresource: "status" });
  }

  qc.start();
  return {
    async stop() {
      clearInterval(timer);
      off();
      await qc.stop();
    },
  };
}
