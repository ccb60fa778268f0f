/** autoscaling, networking, policy, storage, scheduling, node, coordination, discovery and events kinds. */
import type { FieldError, KindDef } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { asMap, asMaps, asNumber, asString, ensureMap, setDefaults } from "../access.ts";
import { AGE, NAME, age, col, formatLabelSelector } from "../printing.ts";
import { invalid, required } from "../validation.ts";
import { loadBalancerAddresses } from "../services.ts";
import { eventFromCore, eventToCore, hpaV1ToV2, hpaV2ToV1 } from "../conversion.ts";
import { eventColumns, eventRow } from "./core.ts";
import { csiDriverName, validateCSIDriver, validateEndpointSlice, validateEventsV1, validateHorizontalPodAutoscaler, validateHorizontalPodAutoscalerV1, validateIngress, validateIngressClass, validateNetworkPolicy, validatePodDisruptionBudget, validatePriorityClass, validateRuntimeClass, validateStorageClass, validateVolumeAttachment } from "../kindvalidation/mod.ts";
import { define } from "./define.ts";

function statusSplit(obj: KubeObject, old: KubeObject, ctx: { subresource: string }): void {
  if (ctx.subresource === "status") obj.spec = old.spec;
  else if (ctx.subresource === "") obj.status = old.status;
}

function scalingRules(given: unknown, defaults: Record<string, unknown>): Record<string, unknown> {
  const rules = { ...(asMap(given) ?? {}) };
  for (const [k, v] of Object.entries(defaults)) if (rules[k] === undefined) rules[k] = v;
  return rules;
}

function hpaTargets(o: KubeObject): string {
  const spec = asMap(o.spec) ?? {};
  const statuses = asMaps(asMap(o.status)?.currentMetrics);
  if (spec.targetCPUUtilizationPercentage !== undefined || o.apiVersion === "autoscaling/v1") {
    // autoscaling/v1 objects print as their v2 form: one cpu Resource metric
    const target = asNumber(spec.targetCPUUtilizationPercentage);
    const cur = asNumber(asMap(o.status)?.currentCPUUtilizationPercentage);
    if (target === undefined) return "<none>";
    return `cpu: ${cur === undefined ? "<unknown>" : `${cur}%`}/${target}%`;
  }
  const metrics = asMaps(spec.metrics);
  if (!metrics.length) return "<none>";
  const list = metrics.map((m, i) => hpaMetric(m, statuses[i]));
  const max = 2;
  return list.length > max ? `${list.slice(0, max).join(", ")} + ${list.length - max} more...` : list.join(", ");
}

function hpaMetric(m: Record<string, unknown>, status: Record<string, unknown> | undefined): string {
  const q = (v: unknown) => (v === undefined || v === null ? "" : String(v));
  switch (m.type) {
    case "External":
    case "Object": {
      const key = m.type === "External" ? "external" : "object";
      const target = asMap(asMap(m[key])?.target) ?? {};
      const cur = asMap(asMap(status?.[key])?.current);
      if (target.averageValue !== undefined) {
        return `${cur?.averageValue !== undefined ? q(cur.averageValue) : "<unknown>"}/${q(target.averageValue)} (avg)`;
      }
      return `${cur ? q(cur.value) : "<unknown>"}/${q(target.value)}`;
    }
    case "Pods": {
      const target = asMap(asMap(m.pods)?.target) ?? {};
      const cur = asMap(asMap(status?.pods)?.current);
      return `${cur ? q(cur.averageValue) : "<unknown>"}/${q(target.averageValue)}`;
    }
    case "Resource":
    case "ContainerResource": {
      const key = m.type === "Resource" ? "resource" : "containerResource";
      const src = asMap(m[key]) ?? {};
      const target = asMap(src.target) ?? {};
      const cur = asMap(asMap(status?.[key])?.current);
      if (target.averageValue !== undefined) return `${asString(src.name)}: ${cur ? q(cur.averageValue) : "<unknown>"}/${q(target.averageValue)}`;
      const c = cur?.averageUtilization !== undefined ? `${q(cur.averageUtilization)}%` : "<unknown>";
      const t = target.averageUtilization !== undefined ? `${q(target.averageUtilization)}%` : "<auto>";
      return `${asString(src.name)}: ${c}/${t}`;
    }
  }
  return "<unknown type>";
}

const hpaColumns = [NAME, col("Reference", { type: "string", description: "Reference to the target object" }), col("Targets", { type: "string", description: "Current and target metric values" }),
  col("MinPods", { type: "string", description: "Lower limit for the number of pods that can be set by the autoscaler, default 1." }),
  col("MaxPods", { type: "string", description: "Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas." }),
  col("Replicas", { type: "string", description: "Current number of replicas of pods managed by this autoscaler." }), AGE];

function hpaRow(o: KubeObject): unknown[] {
  const spec = asMap(o.spec) ?? {};
  const ref = asMap(spec.scaleTargetRef) ?? {};
  const min = asNumber(spec.minReplicas);
  return [o.metadata.name ?? "", `${asString(ref.kind)}/${asString(ref.name)}`, hpaTargets(o), min === undefined ? "<unset>" : String(min),
    asNumber(spec.maxReplicas) ?? 0, asNumber(asMap(o.status)?.currentReplicas) ?? 0, age(o)];
}

function ingressRow(o: KubeObject): unknown[] {
  const spec = asMap(o.spec) ?? {};
  const rules = asMaps(spec.rules);
  const hosts: string[] = [];
  let more = false;
  for (const r of rules) {
    if (hosts.length === 3) more = true;
    if (!more && asString(r.host)) hosts.push(asString(r.host));
  }
  let hostCell = hosts.length ? hosts.join(",") : "*";
  if (hosts.length && more) hostCell = `${hostCell} + ${rules.length - 3} more...`;
  const addrs = loadBalancerAddresses(asMap(o.status) ?? {});
  const ports = asMaps(spec.tls).length ? "80, 443" : "80";
  const cls = typeof spec.ingressClassName === "string" ? spec.ingressClassName : "<none>";
  return [o.metadata.name ?? "", cls, hostCell, addrs.join(","), ports, age(o)];
}

function pdbRow(o: KubeObject): unknown[] {
  const spec = asMap(o.spec) ?? {};
  const show = (v: unknown) => (v === undefined ? "N/A" : String(v));
  return [o.metadata.name ?? "", show(spec.minAvailable), show(spec.maxUnavailable), asNumber(asMap(o.status)?.disruptionsAllowed) ?? 0, age(o)];
}

function isDefaultClass(o: KubeObject): boolean {
  const a = o.metadata.annotations ?? {};
  return a["storageclass.kubernetes.io/is-default-class"] === "true" || a["storageclass.beta.kubernetes.io/is-default-class"] === "true";
}

function sliceEndpoints(o: KubeObject): string {
  const addrs = asMaps(o.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? e.addresses.map(String) : []));
  if (!addrs.length) return "<unset>";
  return addrs.length > 3 ? `${addrs.slice(0, 3).join(",")} + ${addrs.length - 3} more...` : addrs.join(",");
}

function slicePorts(o: KubeObject): string {
  const ports = asMaps(o.ports).map((p) => (typeof p.port === "number" ? String(p.port) : typeof p.name === "string" ? p.name : "*"));
  if (!ports.length) return "<unset>";
  return ports.length > 3 ? `${ports.slice(0, 3).join(",")} + ${ports.length - 3} more...` : ports.join(",");
}

/** The kinds of the autoscaling, networking, policy, storage, scheduling, node, coordination, discovery and events groups. */
export function clusterKinds(): KindDef[] {
  const hpaBase = { kind: "HorizontalPodAutoscaler", resource: "horizontalpodautoscalers", namespaced: true, shortNames: ["hpa"], categories: ["all"], statusSubresource: true, prepareForUpdate: statusSplit, columns: hpaColumns, row: hpaRow };
  return [
    define({
      ...hpaBase, group: "autoscaling", version: "v2",
      validateSpec: (o, _old, ctx) => (ctx.subresource === "status" ? [] : validateHorizontalPodAutoscaler(o)),
      defaults(obj) {
        const spec = ensureMap(obj, "spec");
        setDefaults(spec, { minReplicas: 1 });
        if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
          spec.metrics = [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }];
        }
        const behavior = asMap(spec.behavior);
        if (behavior) {
          // a behavior that is given gets upstream's rules wherever it leaves a gap
          behavior.scaleUp = scalingRules(behavior.scaleUp, { stabilizationWindowSeconds: 0, selectPolicy: "Max", policies: [{ type: "Pods", value: 4, periodSeconds: 15 }, { type: "Percent", value: 100, periodSeconds: 15 }] });
          behavior.scaleDown = scalingRules(behavior.scaleDown, { stabilizationWindowSeconds: 300, selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] });
        }
      },
    }),
    define({
      ...hpaBase, group: "autoscaling", version: "v1", storageVersion: "v2", toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1,
      validateSpec: (o, _old, ctx) => (ctx.subresource === "status" ? [] : validateHorizontalPodAutoscalerV1(o)),
      defaults: (obj) => setDefaults(ensureMap(obj, "spec"), { minReplicas: 1 }),
    }),
    define({
      group: "networking.k8s.io", version: "v1", kind: "Ingress", resource: "ingresses", namespaced: true, shortNames: ["ing"], statusSubresource: true,
      prepareForUpdate: statusSplit, validateSpec: (o, old, ctx) => (ctx.subresource === "status" ? [] : validateIngress(o, old)),
      columns: [NAME, col("Class", { type: "string", description: "The name of the IngressClass resource that should be used." }), col("Hosts", { type: "string", description: "Hosts that incoming requests are matched against before the ingress rule" }),
        col("Address", { type: "string", description: "Address is a list containing ingress points for the load-balancer" }), col("Ports", { type: "string", description: "Ports of TLS configurations that open" }), AGE],
      row: ingressRow,
    }),
    define({
      group: "networking.k8s.io", version: "v1", kind: "IngressClass", resource: "ingressclasses", namespaced: false,
      validateSpec: (o, old) => validateIngressClass(o, old),
      columns: [NAME, col("Controller", { type: "string", description: "Controller that is responsible for handling this class" }), col("Parameters", { type: "string", description: "A reference to a resource with additional parameters" }), AGE],
      row(o) {
        const spec = asMap(o.spec) ?? {};
        const p = asMap(spec.parameters);
        const params = p ? `${asString(p.kind)}${typeof p.apiGroup === "string" ? `.${p.apiGroup}` : ""}/${asString(p.name)}` : "<none>";
        return [o.metadata.name ?? "", asString(spec.controller), params, age(o)];
      },
    }),
    define({
      group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy", resource: "networkpolicies", namespaced: true, shortNames: ["netpol"],
      defaults(obj) {
        const spec = ensureMap(obj, "spec");
        if (!asMap(spec.podSelector)) spec.podSelector = {};
        for (const rule of [...asMaps(spec.ingress), ...asMaps(spec.egress)]) for (const p of asMaps(rule.ports)) setDefaults(p, { protocol: "TCP" });
        if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
          spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length ? ["Ingress", "Egress"] : ["Ingress"];
        }
      },
      validateSpec: (o) => validateNetworkPolicy(o),
      columns: [NAME, col("Pod-Selector", { type: "string", description: "Selects the pods to which this NetworkPolicy object applies." }), AGE],
      row: (o) => [o.metadata.name ?? "", formatLabelSelector(asMap(o.spec)?.podSelector), age(o)],
    }),
    define({
      group: "policy", version: "v1", kind: "PodDisruptionBudget", resource: "poddisruptionbudgets", namespaced: true, shortNames: ["pdb"], statusSubresource: true,
      prepareForUpdate: statusSplit,
      validateSpec: (o, _old, ctx) => (ctx.subresource === "status" ? [] : validatePodDisruptionBudget(o)),
      columns: [NAME, col("Min Available", { type: "string", description: "The minimum number of pods that must be available." }), col("Max Unavailable", { type: "string", description: "The maximum number of pods that may be unavailable." }),
        col("Allowed Disruptions", { type: "integer", description: "Calculated number of pods that may be disrupted at this time." }), AGE],
      row: pdbRow,
    }),
    define({
      group: "storage.k8s.io", version: "v1", kind: "StorageClass", resource: "storageclasses", namespaced: false, shortNames: ["sc"],
      defaults(obj) {
        setDefaults(obj, { reclaimPolicy: "Delete" });
        setDefaults(obj, { volumeBindingMode: "Immediate" });
      },
      validateSpec: (o, old) => validateStorageClass(o, old),
      columns: [NAME, col("Provisioner", { type: "string", description: "Indicates the type of the provisioner." }), col("ReclaimPolicy", { type: "string", description: "Indicates the type of the reclaim policy." }),
        col("VolumeBindingMode", { type: "string", description: "Indicates when volume binding and dynamic provisioning should occur." }), col("AllowVolumeExpansion", { type: "string", description: "Indicates whether the storage class allow volume expand." }), AGE],
      row: (o) => [`${o.metadata.name ?? ""}${isDefaultClass(o) ? " (default)" : ""}`, asString(o.provisioner), asString(o.reclaimPolicy) || "Delete",
        asString(o.volumeBindingMode) || "Immediate", o.allowVolumeExpansion === true, age(o)],
    }),
    define({
      group: "storage.k8s.io", version: "v1", kind: "CSIDriver", resource: "csidrivers", namespaced: false, nameRule: csiDriverName,
      defaults(obj) {
        const spec = ensureMap(obj, "spec");
        if (spec.attachRequired === undefined) spec.attachRequired = true;
        if (spec.podInfoOnMount === undefined) spec.podInfoOnMount = false;
        if (spec.storageCapacity === undefined) spec.storageCapacity = false;
        setDefaults(spec, { fsGroupPolicy: "ReadWriteOnceWithFSType" });
        if (spec.requiresRepublish === undefined) spec.requiresRepublish = false;
        if (!Array.isArray(spec.volumeLifecycleModes)) spec.volumeLifecycleModes = ["Persistent"];
        if (spec.seLinuxMount === undefined) spec.seLinuxMount = false;
      },
      validateSpec: (o, old) => validateCSIDriver(o, old),
      columns: [NAME, col("AttachRequired", { type: "boolean", description: "Indicates this CSI volume driver requires an attach operation" }), col("PodInfoOnMount", { type: "boolean", description: "Indicates this CSI volume driver requires additional pod information during mount operations" }),
        col("StorageCapacity", { type: "boolean", description: "Indicates this CSI volume driver supports storage capacity tracking" }), col("TokenRequests", { type: "string", description: "Indicates this CSI volume driver requires the pods' service account tokens" }),
        col("RequiresRepublish", { type: "boolean", description: "Indicates this CSI volume driver requires periodic NodePublishVolume calls" }), col("Modes", { type: "string", description: "Lists the volume lifecycle modes supported by the driver" }), AGE],
      row(o) {
        const spec = asMap(o.spec) ?? {};
        const tokens = Array.isArray(spec.tokenRequests) ? asMaps(spec.tokenRequests).map((t) => asString(t.audience)).join(",") : "<unset>";
        const modes = Array.isArray(spec.volumeLifecycleModes) ? spec.volumeLifecycleModes.map(String).join(",") : "";
        return [o.metadata.name ?? "", spec.attachRequired !== false, spec.podInfoOnMount === true, spec.storageCapacity === true, tokens, spec.requiresRepublish === true, modes || "<none>", age(o)];
      },
    }),
    define({
      group: "storage.k8s.io", version: "v1", kind: "CSINode", resource: "csinodes", namespaced: false,
      columns: [NAME, col("Drivers", { type: "integer", description: "Drivers indicates the number of CSI drivers registered on the node" }), AGE],
      row: (o) => [o.metadata.name ?? "", asMaps(asMap(o.spec)?.drivers).length, age(o)],
    }),
    define({
      group: "storage.k8s.io", version: "v1", kind: "VolumeAttachment", resource: "volumeattachments", namespaced: false, statusSubresource: true,
      prepareForUpdate: statusSplit,
      validateSpec: (o, old, ctx) => (ctx.subresource === "status" ? [] : validateVolumeAttachment(o, old)),
      columns: [NAME, col("Attacher", { type: "string", description: "Attacher indicates the name of the volume driver that MUST handle this request." }), col("PV", { type: "string", description: "Name of the persistent volume to attach." }),
        col("Node", { type: "string", description: "The node that the volume should be attached to." }), col("Attached", { type: "boolean", description: "Indicates the volume is successfully attached." }), AGE],
      row(o) {
        const spec = asMap(o.spec) ?? {};
        return [o.metadata.name ?? "", asString(spec.attacher), asString(asMap(spec.source)?.persistentVolumeName), asString(spec.nodeName), asMap(o.status)?.attached === true, age(o)];
      },
    }),
    define({
      group: "storage.k8s.io", version: "v1", kind: "CSIStorageCapacity", resource: "csistoragecapacities", namespaced: true,
      validateSpec: (o) => (asString(o.storageClassName) ? [] : [required("storageClassName")]),
      columns: [NAME, col("StorageClassName", { type: "string", description: "The name of the StorageClass that the reported capacity applies to." }), col("Capacity", { type: "string", description: "The capacity reported by the CSI driver." })],
      row: (o) => [o.metadata.name ?? "", asString(o.storageClassName), asString(o.capacity) || "<unset>"],
    }),
    define({
      group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass", resource: "priorityclasses", namespaced: false, shortNames: ["pc"],
      defaults: (obj) => setDefaults(obj, { preemptionPolicy: "PreemptLowerPriority" }),
      validateSpec: validatePriorityClass,
      columns: [NAME, col("Value", { type: "integer", description: "The value of this priority class." }), col("Global-Default", { type: "boolean", description: "globalDefault specifies whether this PriorityClass should be considered as the default priority." }),
        AGE, col("PreemptionPolicy", { type: "string", description: "PreemptionPolicy is the Policy for preempting pods with lower priority." })],
      row: (o) => [o.metadata.name ?? "", asNumber(o.value) ?? 0, o.globalDefault === true, age(o), asString(o.preemptionPolicy)],
    }),
    define({
      group: "node.k8s.io", version: "v1", kind: "RuntimeClass", resource: "runtimeclasses", namespaced: false,
      validateSpec: (o, old) => validateRuntimeClass(o, old),
      columns: [NAME, col("Handler", { type: "string", description: "Handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class." }), AGE],
      row: (o) => [o.metadata.name ?? "", asString(o.handler), age(o)],
    }),
    define({
      group: "coordination.k8s.io", version: "v1", kind: "Lease", resource: "leases", namespaced: true,
      validateSpec(o) {
        const spec = asMap(o.spec) ?? {};
        const errs: FieldError[] = [];
        const d = asNumber(spec.leaseDurationSeconds);
        if (d !== undefined && d <= 0) errs.push(invalid("spec.leaseDurationSeconds", { value: d, detail: "must be greater than 0" }));
        const t = asNumber(spec.leaseTransitions);
        if (t !== undefined && t < 0) errs.push(invalid("spec.leaseTransitions", { value: t, detail: "must be greater than or equal to 0" }));
        return errs;
      },
      columns: [NAME, col("Holder", { type: "string", description: "The holder of the lease" }), AGE],
      row: (o) => [o.metadata.name ?? "", asString(asMap(o.spec)?.holderIdentity), age(o)],
    }),
    define({
      group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", resource: "endpointslices", namespaced: true,
      defaults(obj) {
        for (const p of asMaps(obj.ports)) {
          setDefaults(p, { protocol: "TCP" });
          if (p.name === undefined) p.name = "";
        }
      },
      validateSpec: (o, old) => validateEndpointSlice(o, old),
      columns: [NAME, col("AddressType", { type: "string", description: "Type of address carried by this EndpointSlice" }), col("Ports", { type: "string", description: "Ports advertised by this EndpointSlice" }),
        col("Endpoints", { type: "string", description: "Endpoints represented by this EndpointSlice" }), AGE],
      row: (o) => [o.metadata.name ?? "", asString(o.addressType), slicePorts(o), sliceEndpoints(o), age(o)],
    }),
    define({
      group: "events.k8s.io", version: "v1", kind: "Event", resource: "events", namespaced: true, shortNames: ["ev"],
      toStorage: eventToCore, fromStorage: eventFromCore,
      selectableFields(o) {
        const r = asMap(o.regarding) ?? {};
        return {
          "regarding.kind": asString(r.kind), "regarding.namespace": asString(r.namespace), "regarding.name": asString(r.name), "regarding.uid": asString(r.uid),
          "regarding.apiVersion": asString(r.apiVersion), "regarding.resourceVersion": asString(r.resourceVersion), "regarding.fieldPath": asString(r.fieldPath),
          reason: asString(o.reason), reportingController: asString(o.reportingController), type: asString(o.type),
        };
      },
      validateSpec: (o) => validateEventsV1(o),
      columns: eventColumns, row: eventRow,
    }),
  ];
}
