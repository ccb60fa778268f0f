/** core/v1 kinds. */
import type { KindDef } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { asMap, asMaps, asNumber, asString, ensureMap, setDefaults } from "../access.ts";
import { defaultPod, defaultPodTemplate, podColumns, podRow, podSelectableFields, qosClassOf, validatePodObject, validatePodTemplate } from "../pods.ts";
import { AGE, NAME, age, col, containersAndImages, formatLabels, rfc3339, since } from "../printing.ts";
import { serviceHooks } from "../services.ts";
import { dns1035Label, dns1123Label } from "../validation.ts";
import { validateConfigMap, validateEndpoints, validateEvent, validateLimitRange, validateNamespace, validateNode, validatePersistentVolume, validatePersistentVolumeClaim, validateReplicationController, validateResourceQuota, validateSecret } from "../kindvalidation/mod.ts";
import { define } from "./define.ts";

const core = { group: "", version: "v1" };
const CREATED_AT = col("Created At", { type: "date", description: "CreationTimestamp is a timestamp representing the server time when this object was created." });

function nodeRoles(labels: Record<string, string> | undefined): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const r = k.slice("node-role.kubernetes.io/".length);
      if (r) roles.add(r);
    } else if (k === "kubernetes.io/role" && v) roles.add(v);
  }
  return [...roles].sort().join(",") || "<none>";
}

function nodeRow(obj: KubeObject): unknown[] {
  const status = asMap(obj.status) ?? {};
  const conds = asMaps(status.conditions);
  const ready = conds.find((c) => c.type === "Ready");
  const st: string[] = [];
  if (ready) st.push(ready.status === "True" ? "Ready" : "NotReady");
  else st.push("Unknown");
  if (asMap(obj.spec)?.unschedulable === true) st.push("SchedulingDisabled");
  const info = asMap(status.nodeInfo) ?? {};
  const addrs = asMaps(status.addresses);
  const addr = (t: string) => asString(addrs.find((a) => a.type === t)?.address) || "<none>";
  return [
    obj.metadata.name ?? "", st.join(","), nodeRoles(obj.metadata.labels), age(obj), asString(info.kubeletVersion),
    addr("InternalIP"), addr("ExternalIP"), asString(info.osImage) || "<unknown>", asString(info.kernelVersion) || "<unknown>",
    asString(info.containerRuntimeVersion) || "<unknown>",
  ];
}

function endpointsCell(obj: KubeObject): string {
  const subsets = asMaps(obj.subsets);
  if (subsets.length === 0) return "<none>";
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs = asMaps(ss.addresses);
    const ports = asMaps(ss.ports);
    if (ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) { more = true; break; }
        list.push(asString(a.ip));
      }
      continue;
    }
    for (const p of ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) { more = true; break; }
        const ip = asString(a.ip);
        list.push(ip.includes(":") ? `[${ip}]:${p.port}` : `${ip}:${p.port}`);
      }
    }
  }
  const ret = list.join(",");
  return more ? `${ret} + ${count - max} more...` : ret;
}

/** The event printer shared by core and events.k8s.io events (upstream converts both to one shape). */
export function eventRow(obj: KubeObject): unknown[] {
  const inv = asMap(obj.involvedObject) ?? asMap(obj.regarding) ?? {};
  const first = asString(obj.firstTimestamp) || asString(obj.deprecatedFirstTimestamp);
  const firstCell = first ? since(first) : since(obj.eventTime);
  const lastTs = asString(obj.lastTimestamp) || asString(obj.deprecatedLastTimestamp);
  let last = lastTs ? since(lastTs) : firstCell;
  let count = asNumber(obj.count) ?? asNumber(obj.deprecatedCount) ?? 0;
  const series = asMap(obj.series);
  if (series) {
    last = since(series.lastObservedTime);
    count = asNumber(series.count) ?? count;
  } else if (count === 0) count = 1;
  const kind = asString(inv.kind).toLowerCase();
  const target = asString(inv.name) ? `${kind}/${asString(inv.name)}` : kind;
  const src = asMap(obj.source) ?? asMap(obj.deprecatedSource) ?? {};
  const component = asString(src.component) || asString(obj.reportingController) || asString(obj.reportingComponent);
  const instance = asString(src.host) || asString(obj.reportingInstance);
  const source = instance ? `${component}, ${instance}` : component;
  const message = (asString(obj.message) || asString(obj.note)).trim();
  return [last, asString(obj.type), asString(obj.reason), target, asString(inv.fieldPath), source, message, firstCell, count, obj.metadata.name ?? ""];
}

/** Event columns (kubectl get events). */
export const eventColumns = [
  col("Last Seen", { type: "string", description: "The time at which the most recent occurrence of this event was recorded." }),
  col("Type", { type: "string", description: "Type of this event (Normal, Warning), new types could be added in the future." }),
  col("Reason", { type: "string", description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status." }),
  col("Object", { type: "string", description: "The object that this event is about." }),
  col("Subobject", { type: "string", description: "The field of the involved object this event is about.", priority: 1 }),
  col("Source", { type: "string", description: "The component reporting this event.", priority: 1 }),
  col("Message", { type: "string", description: "A human-readable description of the status of this operation." }),
  col("First Seen", { type: "string", description: "The time at which the event was first recorded.", priority: 1 }),
  col("Count", { type: "string", description: "The number of times this event has occurred.", priority: 1 }),
  { ...NAME, priority: 1 },
];

function dataCount(obj: KubeObject): number {
  return Object.keys(asMap(obj.data) ?? {}).length + Object.keys(asMap(obj.binaryData) ?? {}).length;
}

/** The core/v1 kinds. */
export function coreKinds(): KindDef[] {
  return [
    define({
      ...core, kind: "Pod", resource: "pods", namespaced: true, shortNames: ["po"], categories: ["all"], statusSubresource: true,
      extraSubresources: ["attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy"],
      defaults: defaultPod,
      validateSpec: (obj, old, ctx) => validatePodObject(obj, old, ctx.subresource),
      prepareForCreate(obj) {
        obj.status = { phase: "Pending", qosClass: qosClassOf(obj.spec) };
      },
      prepareForUpdate(obj, old, ctx) {
        if (ctx.subresource === "status") obj.spec = old.spec;
        else if (ctx.subresource === "") obj.status = old.status;
      },
      columns: podColumns, row: podRow, selectableFields: podSelectableFields,
    }),
    define({
      ...core, kind: "Service", resource: "services", namespaced: true, shortNames: ["svc"], categories: ["all"], statusSubresource: true,
      extraSubresources: ["proxy"], nameRule: dns1035Label,
      defaults: serviceHooks.defaults, validateSpec: serviceHooks.validate, prepareForCreate: serviceHooks.prepareForCreate,
      prepareForUpdate: serviceHooks.prepareForUpdate, release: serviceHooks.release, columns: serviceHooks.columns, row: serviceHooks.row,
    }),
    define({
      ...core, kind: "Namespace", resource: "namespaces", namespaced: false, shortNames: ["ns"], statusSubresource: true,
      extraSubresources: ["finalize"], nameRule: dns1123Label,
      defaults(obj) {
        const spec = ensureMap(obj, "spec");
        if (!Array.isArray(spec.finalizers)) spec.finalizers = ["kubernetes"];
        const status = ensureMap(obj, "status");
        setDefaults(status, { phase: "Active" });
        const labels = (obj.metadata.labels ??= {});
        if (obj.metadata.name) labels["kubernetes.io/metadata.name"] = obj.metadata.name;
      },
      // finalizers come through the main resource on create and through /finalize afterwards
      validateSpec: (obj, _old, ctx) => (ctx.subresource === "status" ? [] : validateNamespace(obj)),
      prepareForCreate(obj) {
        // a new namespace is Active and carries the kubernetes finalizer, whatever the client sent
        obj.status = { phase: "Active" };
        ensureMap(obj, "spec").finalizers = ["kubernetes"];
      },
      prepareForUpdate(obj, old, ctx) {
        // spec.finalizers change only through /finalize, status only through /status
        const spec = ensureMap(obj, "spec");
        const oldSpec = asMap(old.spec) ?? {};
        if (ctx.subresource !== "finalize") spec.finalizers = oldSpec.finalizers;
        if (ctx.subresource !== "status") obj.status = old.status;
      },
      columns: [NAME, col("Status", { type: "string", description: "The status of the namespace" }), AGE],
      row: (o) => [o.metadata.name ?? "", asString(asMap(o.status)?.phase), age(o)],
      selectableFields: (o) => ({ "status.phase": asString(asMap(o.status)?.phase) }),
    }),
    define({
      ...core, kind: "Node", resource: "nodes", namespaced: false, shortNames: ["no"], statusSubresource: true, extraSubresources: ["proxy"],
      defaults(obj) {
        const status = asMap(obj.status);
        if (status && asMap(status.capacity) && !asMap(status.allocatable)) status.allocatable = { ...asMap(status.capacity) };
      },
      validateSpec: (obj, old) => validateNode(obj, old),
      columns: [
        NAME, col("Status", { type: "string", description: "The status of the node" }), col("Roles", { type: "string", description: "The roles of the node" }), AGE,
        col("Version", { type: "string", description: "Kubelet Version reported by the node." }),
        col("Internal-IP", { type: "string", description: "List of addresses reachable to the node. Queried from cloud provider, if available.", priority: 1 }),
        col("External-IP", { type: "string", description: "List of addresses reachable to the node. Queried from cloud provider, if available.", priority: 1 }),
        col("OS-Image", { type: "string", description: "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", priority: 1 }),
        col("Kernel-Version", { type: "string", description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", priority: 1 }),
        col("Container-Runtime", { type: "string", description: "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", priority: 1 }),
      ],
      row: nodeRow,
      selectableFields: (o) => ({ "spec.unschedulable": String(asMap(o.spec)?.unschedulable === true) }),
    }),
    define({
      ...core, kind: "ConfigMap", resource: "configmaps", namespaced: true, shortNames: ["cm"],
      validateSpec: (o, old) => validateConfigMap(o, old),
      columns: [NAME, col("Data", { type: "string", description: "Data contains the configuration data." }), AGE],
      row: (o) => [o.metadata.name ?? "", dataCount(o), age(o)],
    }),
    define({
      ...core, kind: "Secret", resource: "secrets", namespaced: true,
      defaults(obj) {
        setDefaults(obj, { type: "Opaque" });
      },
      validateSpec: (obj, old) => validateSecret(obj, old),
      prepareForCreate(obj) {
        // stringData is write-only: merged into data as upstream's conversion does
        const sd = asMap(obj.stringData);
        if (sd) {
          const data = (asMap(obj.data) ?? {}) as Record<string, unknown>;
          for (const [k, v] of Object.entries(sd)) data[k] = Buffer.from(asString(v)).toString("base64");
          obj.data = data;
          delete obj.stringData;
        }
      },
      prepareForUpdate(obj) {
        const sd = asMap(obj.stringData);
        if (sd) {
          const data = (asMap(obj.data) ?? {}) as Record<string, unknown>;
          for (const [k, v] of Object.entries(sd)) data[k] = Buffer.from(asString(v)).toString("base64");
          obj.data = data;
          delete obj.stringData;
        }
      },
      columns: [NAME, col("Type", { type: "string", description: "The type of the secret" }), col("Data", { type: "string", description: "Data contains the secret data." }), AGE],
      row: (o) => [o.metadata.name ?? "", asString(o.type), Object.keys(asMap(o.data) ?? {}).length, age(o)],
      selectableFields: (o) => ({ type: asString(o.type) }),
    }),
    define({
      ...core, kind: "ServiceAccount", resource: "serviceaccounts", namespaced: true, shortNames: ["sa"], extraSubresources: ["token"],
      columns: [NAME, col("Secrets", { type: "string", description: "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use." }), AGE],
      row: (o) => [o.metadata.name ?? "", asMaps(o.secrets).length, age(o)],
    }),
    define({
      ...core, kind: "Endpoints", resource: "endpoints", namespaced: true, shortNames: ["ep"], listKind: "EndpointsList", singular: "endpoints",
      defaults(obj) {
        for (const ss of asMaps(obj.subsets)) for (const p of asMaps(ss.ports)) setDefaults(p, { protocol: "TCP" });
      },
      validateSpec: (obj) => validateEndpoints(obj),
      columns: [NAME, col("Endpoints", { type: "string", description: "The set of all endpoints is the union of all subsets." }), AGE],
      row: (o) => [o.metadata.name ?? "", endpointsCell(o), age(o)],
    }),
    define({
      ...core, kind: "Event", resource: "events", namespaced: true, shortNames: ["ev"],
      validateSpec: (obj) => validateEvent(obj),
      columns: eventColumns, row: eventRow,
      selectableFields(o) {
        const inv = asMap(o.involvedObject) ?? {};
        const src = asMap(o.source) ?? {};
        return {
          "involvedObject.kind": asString(inv.kind), "involvedObject.namespace": asString(inv.namespace), "involvedObject.name": asString(inv.name),
          "involvedObject.uid": asString(inv.uid), "involvedObject.apiVersion": asString(inv.apiVersion), "involvedObject.resourceVersion": asString(inv.resourceVersion),
          "involvedObject.fieldPath": asString(inv.fieldPath), reason: asString(o.reason), reportingComponent: asString(o.reportingComponent),
          source: asString(src.component), type: asString(o.type),
        };
      },
    }),
    define({
      ...core, kind: "LimitRange", resource: "limitranges", namespaced: true, shortNames: ["limits"],
      defaults(obj) {
        // container limits: default from max, default request from default, then from min
        for (const item of asMaps(asMap(obj.spec)?.limits)) {
          if (item.type !== "Container") continue;
          const def = (asMap(item.default) ?? {}) as Record<string, unknown>;
          const req = (asMap(item.defaultRequest) ?? {}) as Record<string, unknown>;
          for (const [k, v] of Object.entries(asMap(item.max) ?? {})) if (def[k] === undefined) def[k] = v;
          for (const [k, v] of Object.entries(def)) if (req[k] === undefined) req[k] = v;
          for (const [k, v] of Object.entries(asMap(item.min) ?? {})) if (req[k] === undefined) req[k] = v;
          item.default = def;
          item.defaultRequest = req;
        }
      },
      validateSpec: (obj) => validateLimitRange(obj),
      columns: [NAME, CREATED_AT], row: (o) => [o.metadata.name ?? "", rfc3339(o.metadata.creationTimestamp)],
    }),
    define({
      ...core, kind: "ResourceQuota", resource: "resourcequotas", namespaced: true, shortNames: ["quota"], statusSubresource: true,
      validateSpec: (obj, _old, ctx) => (ctx.subresource === "status" ? [] : validateResourceQuota(obj)),
      columns: [NAME, col("Request", { type: "string", description: "Request represents a minimum amount of cpu/memory that a container may consume." }), col("Limit", { type: "string", description: "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node." }), AGE],
      row(o) {
        const hard = asMap(asMap(o.status)?.hard) ?? {};
        const used = asMap(asMap(o.status)?.used) ?? {};
        const req: string[] = [];
        const lim: string[] = [];
        for (const k of Object.keys(hard).sort()) {
          const cell = `${k}: ${asString(used[k]) || "0"}/${asString(hard[k])}`;
          if (k.split(".").length > 1 && k.split(".")[0] === "limits") lim.push(cell);
          else req.push(cell);
        }
        return [o.metadata.name ?? "", req.join(", "), lim.join(", "), age(o)];
      },
    }),
    define({
      ...core, kind: "ReplicationController", resource: "replicationcontrollers", namespaced: true, shortNames: ["rc"], categories: ["all"],
      statusSubresource: true, scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" },
      defaults(obj) {
        const spec = ensureMap(obj, "spec");
        setDefaults(spec, { replicas: 1 });
        setDefaults(spec, { minReadySeconds: 0 });
        const labels = asMap(asMap(asMap(spec.template)?.metadata)?.labels);
        if (!asMap(spec.selector) && labels) spec.selector = { ...labels };
        if (!obj.metadata.labels && labels) obj.metadata.labels = { ...(labels as Record<string, string>) };
        defaultPodTemplate(spec.template);
      },
      validateSpec: (o, _old, ctx) => (ctx.subresource === "" ? validateReplicationController(o) : []),
      columns: [NAME, col("Desired", { type: "integer", description: "Replicas is the number of desired replicas." }), col("Current", { type: "integer", description: "Replicas is the most recently observed number of replicas." }), col("Ready", { type: "integer", description: "The number of ready replicas for this replication controller." }), AGE,
        col("Containers", { type: "string", description: "Names of each container in the template.", priority: 1 }), col("Images", { type: "string", description: "Images referenced by each container in the template.", priority: 1 }), col("Selector", { type: "string", description: "Selector is a label query over pods that should match the Replicas count.", priority: 1 })],
      selectableFields: (o) => ({ "status.replicas": String(asNumber(asMap(o.status)?.replicas) ?? 0) }),
      row(o) {
        const spec = asMap(o.spec) ?? {};
        const st = asMap(o.status) ?? {};
        const [c, i] = containersAndImages(asMap(spec.template)?.spec);
        return [o.metadata.name ?? "", asNumber(spec.replicas) ?? 0, asNumber(st.replicas) ?? 0, asNumber(st.readyReplicas) ?? 0, age(o), c, i, formatLabels(spec.selector)];
      },
    }),
    define({
      ...core, kind: "PodTemplate", resource: "podtemplates", namespaced: true,
      defaults: (o) => defaultPodTemplate(o.template),
      validateSpec: (o) => validatePodTemplate(o.template, { path: "template" }),
      columns: [NAME, col("Containers", { type: "string", description: "Names of each container in the template." }), col("Images", { type: "string", description: "Images referenced by each container in the template." }), col("Pod Labels", { type: "string", description: "The labels for the pod template." })],
      row(o) {
        const t = asMap(o.template) ?? {};
        const [c, i] = containersAndImages(t.spec);
        return [o.metadata.name ?? "", c, i, formatLabels(asMap(t.metadata)?.labels)];
      },
    }),
    define({
      ...core, kind: "PersistentVolume", resource: "persistentvolumes", namespaced: false, shortNames: ["pv"], statusSubresource: true,
      defaults(obj) {
        const spec = ensureMap(obj, "spec");
        setDefaults(spec, { persistentVolumeReclaimPolicy: "Retain" });
        setDefaults(spec, { volumeMode: "Filesystem" });
        const status = ensureMap(obj, "status");
        setDefaults(status, { phase: "Pending" });
      },
      validateSpec: (obj, old, ctx) => (ctx.subresource === "status" ? [] : validatePersistentVolume(obj, old)),
      columns: [NAME, col("Capacity", { type: "string", description: "capacity is the description of the persistent volume's resources and capacity." }), col("Access Modes", { type: "string", description: "accessModes contains all ways the volume can be mounted." }),
        col("Reclaim Policy", { type: "string", description: "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim." }), col("Status", { type: "string", description: "phase indicates if a volume is available, bound to a claim, or released by a claim." }),
        col("Claim", { type: "string", description: "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim." }), col("StorageClass", { type: "string", description: "StorageClass of the pv" }),
        col("VolumeAttributesClass", { type: "string", description: "VolumeAttributesClass of the pv" }), col("Reason", { type: "string", description: "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI." }),
        AGE, col("VolumeMode", { type: "string", description: "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.", priority: 1 })],
      row(o) {
        const spec = asMap(o.spec) ?? {};
        const st = asMap(o.status) ?? {};
        const claim = asMap(spec.claimRef);
        const phase = o.metadata.deletionTimestamp ? "Terminating" : asString(st.phase);
        return [o.metadata.name ?? "", asString(asMap(spec.capacity)?.storage) || "0", accessModes(spec.accessModes), asString(spec.persistentVolumeReclaimPolicy), phase,
          claim ? `${asString(claim.namespace)}/${asString(claim.name)}` : "", storageClassOf(o), unset(spec.volumeAttributesClassName), asString(st.reason), age(o), unset(spec.volumeMode)];
      },
    }),
    define({
      ...core, kind: "PersistentVolumeClaim", resource: "persistentvolumeclaims", namespaced: true, shortNames: ["pvc"], statusSubresource: true,
      defaults(obj) {
        const spec = ensureMap(obj, "spec");
        setDefaults(spec, { volumeMode: "Filesystem" });
        const status = ensureMap(obj, "status");
        setDefaults(status, { phase: "Pending" });
      },
      validateSpec: (obj, old, ctx) => (ctx.subresource === "status" ? [] : validatePersistentVolumeClaim(obj, old)),
      columns: [NAME, col("Status", { type: "string", description: "phase represents the current phase of PersistentVolumeClaim." }), col("Volume", { type: "string", description: "volumeName is the binding reference to the PersistentVolume backing this claim." }),
        col("Capacity", { type: "string", description: "capacity represents the actual resources of the underlying volume." }), col("Access Modes", { type: "string", description: "accessModes contains the actual access modes the volume backing the PVC has." }),
        col("StorageClass", { type: "string", description: "StorageClass of the pvc" }), col("VolumeAttributesClass", { type: "string", description: "VolumeAttributesClass of the pvc" }),
        AGE, col("VolumeMode", { type: "string", description: "volumeMode defines what type of volume is required by the claim.", priority: 1 })],
      row(o) {
        const spec = asMap(o.spec) ?? {};
        const st = asMap(o.status) ?? {};
        const phase = o.metadata.deletionTimestamp ? "Terminating" : asString(st.phase);
        const bound = !!asString(spec.volumeName);
        return [o.metadata.name ?? "", phase, asString(spec.volumeName), bound ? asString(asMap(st.capacity)?.storage) || "0" : "", bound ? accessModes(st.accessModes) : "",
          storageClassOf(o), unset(spec.volumeAttributesClassName), age(o), unset(spec.volumeMode)];
      },
    }),
    define({ ...core, kind: "Binding", resource: "bindings", namespaced: true, verbs: ["create"] }),
    define({
      ...core, kind: "ComponentStatus", resource: "componentstatuses", namespaced: false, shortNames: ["cs"], verbs: ["get", "list"],
      columns: [NAME, col("Status", { type: "string", description: "Status of the component conditions" }), col("Message", { type: "string", description: "Message of the component conditions" }), col("Error", { type: "string", description: "Error of the component conditions" })],
      row(o) {
        const c = asMaps(o.conditions).find((x) => x.type === "Healthy");
        const status = c ? (c.status === "True" ? "Healthy" : "Unhealthy") : "Unknown";
        return [o.metadata.name ?? "", status, asString(c?.message), asString(c?.error)];
      },
    }),
  ];
}

/** "<unset>" for an absent optional string, as upstream's storage printers show it. */
function unset(v: unknown): string {
  return typeof v === "string" ? v : "<unset>";
}

/** The storage class of a PV or PVC: the beta annotation wins, as upstream's helper reads it. */
export function storageClassOf(o: KubeObject): string {
  const beta = o.metadata.annotations?.["volume.beta.kubernetes.io/storage-class"];
  return beta ?? asString(asMap(o.spec)?.storageClassName);
}

/** Upstream's GetAccessModesAsString: RWO,ROX,RWX,RWOP. */
export function accessModes(v: unknown): string {
  const modes = Array.isArray(v) ? v.map(String) : [];
  const out: string[] = [];
  const short: Record<string, string> = { ReadWriteOnce: "RWO", ReadOnlyMany: "ROX", ReadWriteMany: "RWX", ReadWriteOncePod: "RWOP" };
  for (const m of ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]) if (modes.includes(m)) out.push(short[m]);
  return out.join(",");
}

