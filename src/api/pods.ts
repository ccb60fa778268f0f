/** Pods and pod templates: defaults, validation and the kubectl printer, as upstream. */
import type { FieldError, PrinterColumn } from "./kind.ts";
import type { KubeObject } from "./types.ts";
import { type JsonMap, asMap, asMaps, asNumber, asString, ensureMap, setDefaults } from "./access.ts";
import { AGE, NAME, col, since } from "./printing.ts";
import { required, validateAnnotations, validateLabels } from "./validation.ts";
import {
  validatePodSpec as validateSpec, validateAnnotationsMatchFields, validateEphemeralContainersUpdate, validatePodAnnotations, validatePodAnnotationsUpdate,
  validatePodCreate, validatePodOnly, validatePodSpecUpdate, validatePodStatus, validateTemplateOnly,
} from "./podvalidation/mod.ts";

export { validatePodSpecUpdate, validateResources, validateTaints, validateTolerations } from "./podvalidation/mod.ts";

export interface PodSpecDefaultOptions {
  /** a Pod itself (not a template): admission-time defaults apply too */
  pod: boolean;
}

/** The image pull policy upstream derives from the image reference. */
export function defaultPullPolicy(image: string): string {
  if (image.includes("@")) return "IfNotPresent";
  const last = image.slice(image.lastIndexOf("/") + 1);
  const colon = last.lastIndexOf(":");
  const tag = colon < 0 ? "" : last.slice(colon + 1);
  return tag === "" || tag === "latest" ? "Always" : "IfNotPresent";
}

function defaultProbe(p: unknown): void {
  const probe = asMap(p);
  if (!probe) return;
  setDefaults(probe, { timeoutSeconds: 1 });
  setDefaults(probe, { periodSeconds: 10 });
  setDefaults(probe, { successThreshold: 1 });
  setDefaults(probe, { failureThreshold: 3 });
  const http = asMap(probe.httpGet);
  if (http) {
    setDefaults(http, { path: "/" });
    setDefaults(http, { scheme: "HTTP" });
  }
}

function defaultContainer(c: JsonMap, hostNetwork: boolean, pod: boolean): void {
  if (typeof c.image === "string") setDefaults(c, { imagePullPolicy: defaultPullPolicy(c.image) });
  setDefaults(c, { terminationMessagePath: "/dev/termination-log" });
  setDefaults(c, { terminationMessagePolicy: "File" });
  for (const port of asMaps(c.ports)) {
    setDefaults(port, { protocol: "TCP" });
    if (hostNetwork && pod && !port.hostPort) port.hostPort = port.containerPort;
  }
  for (const env of asMaps(c.env)) {
    const ref = asMap(asMap(env.valueFrom)?.fieldRef);
    if (ref) setDefaults(ref, { apiVersion: "v1" });
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  const res = asMap(c.resources);
  const limits = asMap(res?.limits);
  if (pod && res && limits) {
    const requests = asMap(res.requests) ?? {};
    for (const [k, v] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = v;
    res.requests = requests;
  }
}

function defaultVolume(v: JsonMap): void {
  const sources = Object.keys(v).filter((k) => k !== "name");
  if (sources.length === 0) v.emptyDir = {};
  for (const k of ["configMap", "secret", "downwardAPI", "projected"]) {
    const src = asMap(v[k]);
    if (src) setDefaults(src, { defaultMode: 420 });
  }
  const hp = asMap(v.hostPath);
  if (hp) setDefaults(hp, { type: "" });
  const fieldRefs = asMaps(asMap(v.downwardAPI)?.items).map((i) => asMap(i.fieldRef));
  for (const src of asMaps(asMap(v.projected)?.sources)) {
    const token = asMap(src.serviceAccountToken);
    if (token) setDefaults(token, { expirationSeconds: 3600 });
    fieldRefs.push(...asMaps(asMap(src.downwardAPI)?.items).map((i) => asMap(i.fieldRef)));
  }
  for (const ref of fieldRefs) if (ref) setDefaults(ref, { apiVersion: "v1" });
}

/** Upstream's SetDefaults for a PodSpec (in pods and in every template). */
export function defaultPodSpec(spec: JsonMap, opts: PodSpecDefaultOptions): void {
  setDefaults(spec, { restartPolicy: "Always" });
  setDefaults(spec, { dnsPolicy: "ClusterFirst" });
  setDefaults(spec, { terminationGracePeriodSeconds: 30 });
  setDefaults(spec, { schedulerName: "default-scheduler" });
  // upstream defaults enableServiceLinks and host ports on Pods only, never in templates
  if (opts.pod && spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  if (!asMap(spec.securityContext)) spec.securityContext = {};
  const hostNetwork = spec.hostNetwork === true;
  for (const c of [...asMaps(spec.containers), ...asMaps(spec.initContainers)]) defaultContainer(c, hostNetwork, opts.pod);
  for (const v of asMaps(spec.volumes)) defaultVolume(v);
  if (opts.pod) {
    // the DefaultTolerationSeconds admission plugin, applied here for pods (priority and
    // preemptionPolicy come from the Priority admission plugin, which must see them unset)
    const tolerations = asMaps(spec.tolerations);
    for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
      // an empty key (operator Exists) tolerates every taint already
      const has = tolerations.some((t) => (t.key === key || !t.key) && (t.effect === "NoExecute" || !t.effect));
      if (!has) tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
    }
    spec.tolerations = tolerations;
  }
}

/** Upstream's defaults for a Pod object. */
export function defaultPod(obj: KubeObject): void {
  defaultPodSpec(ensureMap(obj, "spec"), { pod: true });
  // upstream's v1 conversion: the singular podIP/hostIP is authoritative and fills the plural (which printers read)
  const status = asMap(obj.status);
  for (const [one, many] of [["podIP", "podIPs"], ["hostIP", "hostIPs"]]) {
    const ip = asString(status?.[one]);
    if (status && ip && asString(asMaps(status[many])[0]?.ip) !== ip) status[many] = [{ ip }];
  }
}

/** Upstream's QoS class of a pod spec. */
export function qosClassOf(spec: unknown): "Guaranteed" | "Burstable" | "BestEffort" {
  const cs = [...asMaps(asMap(spec)?.containers), ...asMaps(asMap(spec)?.initContainers)];
  let any = false;
  let guaranteed = cs.length > 0;
  for (const c of cs) {
    const res = asMap(c.resources);
    const req = asMap(res?.requests) ?? {};
    const lim = asMap(res?.limits) ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ["cpu", "memory"]) {
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

export interface PodSpecValidationOptions {
  /** where the spec sits: "spec" or "spec.template.spec" */
  path: string;
  /** a Pod itself: the pod-only rules apply too */
  pod: boolean;
  /** volume names provided from outside the spec (a StatefulSet's volumeClaimTemplates) */
  extraVolumes?: string[];
  /** the Pod's name (for the PVCs of generic ephemeral volumes) */
  podName?: string;
}

/**
 * Upstream's ValidatePodSpec, at path ("spec" or "spec.template.spec"); for a Pod also its pod-only rules.
 * A negative terminationGracePeriodSeconds is accepted, as upstream does (it only warns; a Pod's becomes 1).
 */
export function validatePodSpec(specRaw: unknown, opts: PodSpecValidationOptions): FieldError[] {
  const errs = validateSpec(specRaw, opts);
  if (opts.pod) errs.push(...validatePodOnly(specRaw));
  return errs;
}

/** Upstream's ValidatePodCreate + ValidatePodUpdate + the ephemeralcontainers subresource, for a Pod's spec. */
export function validatePodObject(obj: KubeObject, old: KubeObject | undefined, subresource: string): FieldError[] {
  if (subresource === "status") {
    const errs = old ? validatePodAnnotationsUpdate(obj.metadata.annotations, old.metadata.annotations) : [];
    return [...errs, ...validatePodStatus(obj.status, old?.status, obj.spec)];
  }
  const annotations = obj.metadata.annotations;
  const errs = validatePodAnnotations(annotations, obj.spec, { path: "metadata.annotations", old: old?.metadata.annotations });
  errs.push(...validatePodSpec(obj.spec, { path: "spec", pod: true, podName: obj.metadata.name }));
  if (!old) return [...errs, ...validatePodCreate(obj.spec), ...validateAnnotationsMatchFields(annotations, obj.spec, "spec")];
  errs.push(...validatePodAnnotationsUpdate(annotations, old.metadata.annotations));
  if (subresource === "") errs.push(...validatePodSpecUpdate(obj.spec, old.spec));
  if (subresource === "ephemeralcontainers") errs.push(...validateEphemeralContainersUpdate(asMap(obj.spec) ?? {}, asMap(old.spec) ?? {}, old.metadata.annotations));
  return errs;
}

/** The pod phase ("Pending" when unset). */
export function podPhaseOf(pod: KubeObject): string {
  return asString(asMap(pod.status)?.phase) || "Pending";
}

/** Pod columns as upstream's printers (kubectl get pods [-o wide]). */
export const podColumns: PrinterColumn[] = [
  NAME,
  col("Ready", { type: "string", description: "The aggregate readiness state of this pod for accepting traffic." }),
  col("Status", { type: "string", description: "The aggregate status of the containers in this pod." }),
  col("Restarts", { type: "string", description: "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted." }),
  AGE,
  col("IP", { type: "string", description: "podIP is an IP address allocated to the pod.", priority: 1 }),
  col("Node", { type: "string", description: "NodeName indicates in which node this pod is scheduled.", priority: 1 }),
  col("Nominated Node", { type: "string", description: "nominatedNodeName is set when this pod preempts other pods on the node.", priority: 1 }),
  col("Readiness Gates", { type: "string", description: "If specified, all readiness gates will be evaluated for pod readiness.", priority: 1 }),
];

function isRestartableInit(c: JsonMap | undefined): boolean {
  return c?.restartPolicy === "Always";
}

function laterOf(a: string, b: unknown): string {
  const s = asString(b);
  if (!s) return a;
  return !a || Date.parse(s) > Date.parse(a) ? s : a;
}

function terminatedReason(t: JsonMap, prefix: string): string {
  const reason = asString(t.reason);
  if (reason) return prefix + reason;
  const signal = asNumber(t.signal) ?? 0;
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${asNumber(t.exitCode) ?? 0}`;
}

/** The STATUS, READY and RESTARTS cells, derived exactly as upstream's printPod. */
export function podStatusCells(pod: KubeObject): { ready: string; status: string; restarts: string } {
  const spec = asMap(pod.spec) ?? {};
  const status = asMap(pod.status) ?? {};
  const initSpecs = new Map(asMaps(spec.initContainers).map((c) => [asString(c.name), c]));
  let total = asMaps(spec.containers).length;
  for (const c of initSpecs.values()) if (isRestartableInit(c)) total++;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = "";
  let lastSidecarRestart = "";
  const phase = asString(status.phase);
  let reason = asString(status.reason) || phase;
  for (const cond of asMaps(status.conditions)) {
    if (cond.type === "PodScheduled" && cond.reason === "SchedulingGated") reason = "SchedulingGated";
  }
  let initializing = false;
  const initStatuses = asMaps(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    const state = asMap(c.state) ?? {};
    const lastTerm = asMap(asMap(c.lastState)?.terminated);
    restarts += asNumber(c.restartCount) ?? 0;
    if (lastTerm) lastRestart = laterOf(lastRestart, lastTerm.finishedAt);
    const sidecar = isRestartableInit(initSpecs.get(asString(c.name)));
    if (sidecar) {
      sidecarRestarts += asNumber(c.restartCount) ?? 0;
      if (lastTerm) lastSidecarRestart = laterOf(lastSidecarRestart, lastTerm.finishedAt);
    }
    const term = asMap(state.terminated);
    const waiting = asMap(state.waiting);
    if (term && (asNumber(term.exitCode) ?? 0) === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready === true) ready++;
      continue;
    }
    if (term) reason = terminatedReason(term, "Init:");
    else if (waiting && asString(waiting.reason) && waiting.reason !== "PodInitializing") reason = `Init:${asString(waiting.reason)}`;
    else reason = `Init:${i}/${initSpecs.size}`;
    initializing = true;
    break;
  }
  const initialized = asMaps(status.conditions).some((c) => c.type === "Initialized" && c.status === "True");
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = asMaps(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      const state = asMap(c.state) ?? {};
      restarts += asNumber(c.restartCount) ?? 0;
      const lastTerm = asMap(asMap(c.lastState)?.terminated);
      if (lastTerm) lastRestart = laterOf(lastRestart, lastTerm.finishedAt);
      const waiting = asMap(state.waiting);
      const term = asMap(state.terminated);
      if (waiting && asString(waiting.reason)) reason = asString(waiting.reason);
      else if (term) reason = terminatedReason(term, "");
      else if (c.ready === true && asMap(state.running)) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === "Completed" && hasRunning) {
      const podReady = asMaps(status.conditions).some((c) => c.type === "Ready" && c.status === "True");
      reason = podReady ? "Running" : "NotReady";
    }
  }
  if (pod.metadata.deletionTimestamp && status.reason === "NodeLost") reason = "Unknown";
  else if (pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed") reason = "Terminating";
  const restartsCell = restarts !== 0 && lastRestart ? `${restarts} (${since(lastRestart)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsCell };
}

/** One row of `kubectl get pods -o wide`. */
export function podRow(pod: KubeObject): unknown[] {
  const spec = asMap(pod.spec) ?? {};
  const status = asMap(pod.status) ?? {};
  const cells = podStatusCells(pod);
  const gates = asMaps(spec.readinessGates);
  let gatesCell = "<none>";
  if (gates.length) {
    const conds = asMaps(status.conditions);
    const trueCount = gates.filter((g) => conds.find((c) => c.type === g.conditionType)?.status === "True").length;
    gatesCell = `${trueCount}/${gates.length}`;
  }
  return [
    pod.metadata.name ?? "",
    cells.ready,
    cells.status,
    cells.restarts,
    since(pod.metadata.creationTimestamp),
    asString(asMaps(status.podIPs)[0]?.ip) || "<none>",
    asString(spec.nodeName) || "<none>",
    asString(status.nominatedNodeName) || "<none>",
    gatesCell,
  ];
}

/** Field selectors pods support beyond metadata.* (upstream's PodToSelectableFields). */
export function podSelectableFields(pod: KubeObject): Record<string, string> {
  const spec = asMap(pod.spec) ?? {};
  const status = asMap(pod.status) ?? {};
  return {
    "spec.nodeName": asString(spec.nodeName),
    "spec.restartPolicy": asString(spec.restartPolicy),
    "spec.schedulerName": asString(spec.schedulerName),
    "spec.serviceAccountName": asString(spec.serviceAccountName),
    "spec.hostNetwork": String(spec.hostNetwork === true),
    "status.phase": asString(status.phase),
    "status.podIP": asString(status.podIP),
    "status.nominatedNodeName": asString(status.nominatedNodeName),
  };
}

export interface PodTemplateValidationOptions {
  /** where the template sits: "spec.template" */
  path: string;
  /** as in PodSpecValidationOptions */
  extraVolumes?: string[];
}

/** Upstream's ValidatePodTemplateSpec (in deployments, jobs, ...). */
export function validatePodTemplate(template: unknown, opts: PodTemplateValidationOptions): FieldError[] {
  const { path, extraVolumes = [] } = opts;
  const t = asMap(template);
  if (!t) return [required(path)];
  const meta = asMap(t.metadata);
  // upstream names the template's labels and annotations without "metadata" (the template embeds its ObjectMeta)
  const errs = validateLabels(meta?.labels, `${path}.labels`);
  errs.push(...validateAnnotations(meta?.annotations, `${path}.annotations`));
  errs.push(...validatePodAnnotations(meta?.annotations, t.spec, { path: `${path}.annotations` }));
  errs.push(...validatePodSpec(t.spec, { path: `${path}.spec`, pod: false, extraVolumes }));
  errs.push(...validateAnnotationsMatchFields(meta?.annotations, t.spec, `${path}.spec`));
  errs.push(...validateTemplateOnly(t.spec, `${path}.spec`));
  return errs;
}

/** Defaults of a pod template (in deployments, jobs, ...). */
export function defaultPodTemplate(template: unknown): void {
  const t = asMap(template);
  if (!t) return;
  defaultPodSpec(ensureMap(t, "spec"), { pod: false });
}

/** Containers of a pod spec (typed view). */
export function containersOf(spec: unknown): JsonMap[] {
  return asMaps(asMap(spec)?.containers);
}

