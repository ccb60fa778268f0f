/** Pods and pod templates: defaults, validation and the kubectl printer, as upstream. */
import type { FieldError, PrinterColumn } from "./kind.ts";
import type { KubeObject } from "./types.ts";
import { type JsonMap, asArray, asMap, asMaps, asNumber, asString, ensureMap, setDefaults } from "./access.ts";
import { AGE, NAME, col, since } from "./printing.ts";
import { QUANTITY_MESSAGE, quantityValue } from "./quantity.ts";
import { dns1123Label, duplicate, forbidden, invalid, labelValue, notSupported, qualifiedName, required, validateLabels } from "./validation.ts";

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
    // the Priority and DefaultTolerationSeconds admission plugins, applied here for pods
    if (spec.priority === undefined && !spec.priorityClassName) spec.priority = 0;
    setDefaults(spec, { preemptionPolicy: "PreemptLowerPriority" });
    const tolerations = asMaps(spec.tolerations);
    for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
      const has = tolerations.some((t) => t.key === key && (t.effect === "NoExecute" || !t.effect));
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

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const ENV_MSG = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

function validateContainers(list: JsonMap[], path: string, volumes: Set<string>, names: Set<string>, pod: boolean): FieldError[] {
  const errs: FieldError[] = [];
  list.forEach((c, i) => {
    const p = `${path}[${i}]`;
    const name = asString(c.name);
    if (!name) errs.push(required(`${p}.name`));
    else {
      for (const e of dns1123Label(name)) errs.push(invalid(`${p}.name`, { value: name, detail: e }));
      if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
      names.add(name);
    }
    if (pod && !asString(c.image)) errs.push(required(`${p}.image`));
    const ipp = c.imagePullPolicy;
    if (ipp !== undefined && !["Always", "IfNotPresent", "Never"].includes(asString(ipp))) {
      errs.push(notSupported(`${p}.imagePullPolicy`, { value: ipp, supported: ["Always", "IfNotPresent", "Never"] }));
    }
    asMaps(c.ports).forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      const cp = asNumber(port.containerPort);
      if (cp === undefined) errs.push(required(`${pp}.containerPort`));
      else if (cp < 1 || cp > 65535) errs.push(invalid(`${pp}.containerPort`, { value: cp, detail: "must be between 1 and 65535, inclusive" }));
      if (port.protocol !== undefined && !["SCTP", "TCP", "UDP"].includes(asString(port.protocol))) {
        errs.push(notSupported(`${pp}.protocol`, { value: port.protocol, supported: ["SCTP", "TCP", "UDP"] }));
      }
    });
    errs.push(...validateResources(c.resources, `${p}.resources`));
    const portNames = new Set<string>();
    asMaps(c.ports).forEach((port, j) => {
      const n = asString(port.name);
      if (!n) return;
      if (portNames.has(n)) errs.push(duplicate(`${p}.ports[${j}].name`, n));
      portNames.add(n);
      const hp = asNumber(port.hostPort);
      if (hp !== undefined && hp !== 0 && (hp < 1 || hp > 65535)) errs.push(invalid(`${p}.ports[${j}].hostPort`, { value: hp, detail: "must be between 1 and 65535, inclusive" }));
    });
    asMaps(c.env).forEach((env, j) => {
      const n = asString(env.name);
      if (!n) errs.push(required(`${p}.env[${j}].name`));
      else if (!ENV_NAME.test(n)) errs.push(invalid(`${p}.env[${j}].name`, { value: n, detail: ENV_MSG }));
    });
    asMaps(c.volumeMounts).forEach((m, j) => {
      const mp = `${p}.volumeMounts[${j}]`;
      const n = asString(m.name);
      if (!n) errs.push(required(`${mp}.name`));
      else if (!volumes.has(n)) errs.push({ type: "FieldValueNotFound", field: `${mp}.name`, message: `Not found: ${JSON.stringify(n)}` });
      if (!asString(m.mountPath)) errs.push(required(`${mp}.mountPath`));
    });
  });
  return errs;
}

/** Requests and limits are quantities and no request exceeds its limit (upstream's ValidateResourceRequirements). */
export function validateResources(res: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const r = asMap(res);
  if (!r) return errs;
  const limits = asMap(r.limits) ?? {};
  const requests = asMap(r.requests) ?? {};
  for (const [kind, map] of [["limits", limits], ["requests", requests]] as const) {
    for (const [name, q] of Object.entries(map)) {
      const v = quantityValue(q);
      if (v === undefined) errs.push(invalid(`${path}.${kind}[${name}]`, { value: q, detail: QUANTITY_MESSAGE }));
      else if (v < 0) errs.push(invalid(`${path}.${kind}[${name}]`, { value: q, detail: "must be greater than or equal to 0" }));
    }
  }
  for (const [name, q] of Object.entries(requests)) {
    const req = quantityValue(q);
    const lim = quantityValue(limits[name]);
    if (req !== undefined && lim !== undefined && req > lim) {
      errs.push(invalid(`${path}.requests`, { value: asString(q) || String(q), detail: `must be less than or equal to ${name} limit of ${asString(limits[name]) || String(limits[name])}` }));
    }
  }
  return errs;
}

const TAINT_EFFECTS = ["NoExecute", "NoSchedule", "PreferNoSchedule"];

/** Upstream's toleration rules: operators, value with Exists, tolerationSeconds only for NoExecute. */
export function validateTolerations(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asMaps(list).forEach((t, i) => {
    const p = `${path}[${i}]`;
    const op = asString(t.operator) || "Equal";
    const key = asString(t.key);
    if (key) for (const e of qualifiedName(key)) errs.push(invalid(`${p}.key`, { value: key, detail: e }));
    if (!key && op !== "Exists") errs.push(invalid(`${p}.operator`, { value: op, detail: "operator must be Exists when `key` is empty, which means \"match all values and all keys\"" }));
    if (op === "Exists" && asString(t.value)) errs.push(invalid(`${p}.operator`, { value: t.value, detail: "value must be empty when `operator` is 'Exists'" }));
    if (op !== "Exists" && op !== "Equal") errs.push(notSupported(`${p}.operator`, { value: op, supported: ["Equal", "Exists"] }));
    if (t.tolerationSeconds !== undefined && t.effect !== "NoExecute") {
      errs.push(invalid(`${p}.effect`, { value: t.effect ?? "", detail: "effect must be 'NoExecute' when `tolerationSeconds` is set" }));
    }
    if (t.effect !== undefined && t.effect !== "" && !TAINT_EFFECTS.includes(asString(t.effect))) errs.push(notSupported(`${p}.effect`, { value: t.effect, supported: TAINT_EFFECTS }));
  });
  return errs;
}

/** Upstream's node taint rules: key, effect, no duplicate key+effect. */
export function validateTaints(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asMaps(list).forEach((t, i) => {
    const p = `${path}[${i}]`;
    const key = asString(t.key);
    if (!key) errs.push(required(`${p}.key`));
    else for (const e of qualifiedName(key)) errs.push(invalid(`${p}.key`, { value: key, detail: e }));
    const effect = asString(t.effect);
    if (!effect) errs.push(required(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(effect)) errs.push(notSupported(`${p}.effect`, { value: effect, supported: TAINT_EFFECTS }));
    for (const e of labelValue(asString(t.value))) errs.push(invalid(`${p}.value`, { value: t.value, detail: e }));
    const id = `${key}:${effect}`;
    if (seen.has(id)) errs.push(duplicate(p, { key, effect }));
    seen.add(id);
  });
  return errs;
}

export interface PodSpecValidationOptions {
  /** where the spec sits: "spec" or "spec.template.spec" */
  path: string;
  /** a Pod itself: images are required */
  pod: boolean;
  /** volume names provided from outside the spec (a StatefulSet's volumeClaimTemplates) */
  extraVolumes?: string[];
}

/** Upstream's ValidatePodSpec essentials, at path ("spec" or "spec.template.spec"). */
export function validatePodSpec(specRaw: unknown, opts: PodSpecValidationOptions): FieldError[] {
  const { path } = opts;
  const errs: FieldError[] = [];
  const spec = asMap(specRaw) ?? {};
  const volumes = new Set<string>(opts.extraVolumes ?? []);
  asMaps(spec.volumes).forEach((v, i) => {
    const sources = Object.keys(v).filter((k) => k !== "name");
    if (sources.length > 1) errs.push(forbidden(`${path}.volumes[${i}].${sources[1]}`, "may not specify more than 1 volume type"));
    const n = asString(v.name);
    if (!n) errs.push(required(`${path}.volumes[${i}].name`));
    else {
      for (const e of dns1123Label(n)) errs.push(invalid(`${path}.volumes[${i}].name`, { value: n, detail: e }));
      if (volumes.has(n)) errs.push(duplicate(`${path}.volumes[${i}].name`, n));
      volumes.add(n);
    }
  });
  const containers = asMaps(spec.containers);
  if (containers.length === 0) errs.push(required(`${path}.containers`));
  const names = new Set<string>();
  errs.push(...validateContainers(asMaps(spec.initContainers), `${path}.initContainers`, volumes, names, opts.pod));
  errs.push(...validateContainers(containers, `${path}.containers`, volumes, names, opts.pod));
  const rp = spec.restartPolicy;
  if (rp !== undefined && !["Always", "OnFailure", "Never"].includes(asString(rp))) {
    errs.push(notSupported(`${path}.restartPolicy`, { value: rp, supported: ["Always", "Never", "OnFailure"] }));
  }
  const dp = spec.dnsPolicy;
  if (dp !== undefined && !["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"].includes(asString(dp))) {
    errs.push(notSupported(`${path}.dnsPolicy`, { value: dp, supported: ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"] }));
  }
  const ads = spec.activeDeadlineSeconds;
  if (typeof ads === "number" && ads <= 0) errs.push(invalid(`${path}.activeDeadlineSeconds`, { value: ads, detail: "must be between 1 and 2147483647, inclusive" }));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  const tgps = spec.terminationGracePeriodSeconds;
  if (typeof tgps === "number" && tgps < 0 && opts.pod === false) {
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, { value: tgps, detail: "must be greater than or equal to 0" }));
  }
  return errs;
}

/** The fields of a pod spec an update may change (upstream's ValidatePodUpdate). */
export function validatePodSpecUpdate(spec: unknown, old: unknown): FieldError[] {
  const mutable = (s: unknown): JsonMap => {
    const copy = structuredClone(asMap(s) ?? {});
    for (const c of [...asMaps(copy.containers), ...asMaps(copy.initContainers)]) delete c.image;
    delete copy.activeDeadlineSeconds;
    delete copy.tolerations;
    delete copy.terminationGracePeriodSeconds;
    delete copy.schedulingGates;
    return copy;
  };
  if (JSON.stringify(mutable(spec)) === JSON.stringify(mutable(old))) return [];
  return [forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)")];
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

/** Validation of a pod template (in deployments, jobs, ...). */
export function validatePodTemplate(template: unknown, opts: PodTemplateValidationOptions): FieldError[] {
  const { path, extraVolumes = [] } = opts;
  const t = asMap(template);
  if (!t) return [required(path)];
  const errs = validateLabels(asMap(t.metadata)?.labels, `${path}.metadata.labels`);
  errs.push(...validatePodSpec(t.spec, { path: `${path}.spec`, pod: false, extraVolumes }));
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

