/**
 * core/v1 validation of the kinds besides Pod and Service: claims and volumes,
 * config maps and secrets, namespaces, nodes, endpoints, events, limit ranges
 * and quotas; each with upstream's field path and wording.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../types.ts";
import { validateConfigMap, validateSecret } from "./configdata.ts";
import { validateEvent, validateEventsV1 } from "./events.ts";
import { validateEndpoints, validateLimitRange, validateNamespace, validateNode, validateResourceQuota } from "./core.ts";
import { validatePersistentVolume, validatePersistentVolumeClaim } from "./volumes.ts";
import { validateReplicationController } from "./replication.ts";
import { defaulted, edit, lines } from "./testsupport.ts";

function core(kind: string, body: Record<string, unknown>, meta: Partial<KubeObject["metadata"]> = {}): KubeObject {
  return defaulted({ apiVersion: "v1", kind, metadata: { name: "x", namespace: "default", ...meta }, ...structuredClone(body) });
}

const claimSpec = { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } };

test("pvc: access modes, storage request, class name; spec fixed but for growing storage of bound claims", () => {
  const pvc = core("PersistentVolumeClaim", { spec: claimSpec });
  assert.deepEqual(validatePersistentVolumeClaim(pvc), []);
  assert.deepEqual(lines(validatePersistentVolumeClaim(edit(pvc, (s) => { s.accessModes = ["ReadWriteOncePod", "Shared"]; s.resources = { requests: { storage: "0" } }; s.storageClassName = "Fast"; }))), [
    'FieldValueNotSupported spec.accessModes: Unsupported value: "Shared": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    "FieldValueForbidden spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
    'FieldValueInvalid spec.resources[storage]: Invalid value: "0": must be greater than zero',
    "FieldValueInvalid spec.storageClassName: Invalid value: \"Fast\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  const grown = edit(pvc, (s) => { s.resources.requests.storage = "2Gi"; });
  assert.deepEqual(lines(validatePersistentVolumeClaim(grown, pvc)), ["FieldValueForbidden spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"]);
  const bound = { ...edit(pvc, (s) => { s.volumeName = "pv-1"; }), status: { phase: "Bound", capacity: { storage: "1Gi" } } };
  assert.deepEqual(validatePersistentVolumeClaim(edit(bound, (s) => { s.resources.requests.storage = "2Gi"; }), bound), []);
  assert.deepEqual(lines(validatePersistentVolumeClaim(edit(bound, (s) => { s.resources.requests.storage = "512Mi"; }), bound)), [
    "FieldValueForbidden spec.resources.requests.storage: Forbidden: field can not be less than status.capacity",
  ]);
  assert.deepEqual(validatePersistentVolumeClaim(edit(pvc, (s) => { s.volumeName = "pv-1"; }), pvc), [], "the binder sets volumeName once");
});

test("pv: one source, capacity, reclaim policy, local needs node affinity; source fixed", () => {
  const pv = core("PersistentVolume", { spec: { accessModes: ["ReadWriteOnce"], capacity: { storage: "1Gi" }, hostPath: { path: "/data" } } }, { namespace: undefined });
  assert.deepEqual(validatePersistentVolume(pv), []);
  assert.deepEqual(lines(validatePersistentVolume(edit(pv, (s) => { s.nfs = { server: "n", path: "/" }; s.persistentVolumeReclaimPolicy = "Keep"; s.capacity = { cpu: "1" }; }))), [
    'FieldValueNotSupported spec.capacity: Unsupported value: {"cpu":"1"}: supported values: "storage"',
    'FieldValueNotSupported spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"',
    "FieldValueForbidden spec.nfs: Forbidden: may not specify more than 1 volume type",
  ]);
  const local = edit(pv, (s) => { delete s.hostPath; s.local = { path: "/mnt/disk" }; });
  assert.deepEqual(lines(validatePersistentVolume(local)), ["FieldValueRequired spec.nodeAffinity: Required value: Local volume requires node affinity"]);
  assert.deepEqual(lines(validatePersistentVolume(edit(pv, (s) => { delete s.hostPath; }))), ["FieldValueRequired spec: Required value: must specify a volume type"]);
  assert.deepEqual(lines(validatePersistentVolume(edit(pv, (s) => { s.hostPath.path = "/other"; }), pv)), ["FieldValueForbidden spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation"]);
  assert.deepEqual(validatePersistentVolume(edit(pv, (s) => { s.persistentVolumeReclaimPolicy = "Delete"; }), pv), []);
});

test("configmap and secret: keys, type-specific keys, immutable content", () => {
  assert.deepEqual(lines(validateConfigMap(core("ConfigMap", { data: { "bad key": "v", a: "1" }, binaryData: { a: "AA==" } }))), [
    "FieldValueInvalid data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    'FieldValueInvalid binaryData[a]: Invalid value: "a": duplicate of key present in data',
  ]);
  const frozen = core("ConfigMap", { data: { a: "1" }, immutable: true });
  assert.deepEqual(lines(validateConfigMap({ ...frozen, data: { a: "2" }, immutable: false }, frozen)), [
    "FieldValueForbidden immutable: Forbidden: field is immutable when `immutable` is set",
    "FieldValueForbidden data: Forbidden: field is immutable when `immutable` is set",
  ]);
  const secret = (type: string, data: Record<string, string>, annotations?: Record<string, string>) => core("Secret", { type, data }, { annotations });
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  assert.deepEqual(lines(validateSecret(secret("kubernetes.io/tls", { "tls.crt": b64("c") }))), ["FieldValueRequired data[tls.key]: Required value"]);
  assert.deepEqual(lines(validateSecret(secret("kubernetes.io/dockerconfigjson", { ".dockerconfigjson": b64("{oops") }))), [
    "FieldValueInvalid data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid character '{' looking for beginning of value",
  ]);
  assert.deepEqual(validateSecret(secret("kubernetes.io/dockerconfigjson", { ".dockerconfigjson": b64('{"auths":{}}') })), []);
  assert.deepEqual(lines(validateSecret(secret("kubernetes.io/basic-auth", {}))), ["FieldValueRequired data[username]: Required value", "FieldValueRequired data[password]: Required value"]);
  assert.deepEqual(lines(validateSecret(secret("kubernetes.io/ssh-auth", {}))), ["FieldValueRequired data[ssh-privatekey]: Required value"]);
  assert.deepEqual(lines(validateSecret(secret("kubernetes.io/service-account-token", {}))), ["FieldValueRequired metadata.annotations[kubernetes.io/service-account.name]: Required value"]);
  const opaque = secret("Opaque", { a: b64("1") });
  assert.deepEqual(lines(validateSecret({ ...opaque, type: "kubernetes.io/tls", data: { "tls.crt": "", "tls.key": "" } }, opaque)), ['FieldValueInvalid type: Invalid value: "kubernetes.io/tls": field is immutable']);
});

test("namespace finalizers, node pod CIDRs and provider ID", () => {
  const ns = core("Namespace", { spec: { finalizers: ["kubernetes", "custom"] } }, { namespace: undefined });
  assert.deepEqual(lines(validateNamespace(ns)), ['FieldValueInvalid spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified']);
  const node = core("Node", { spec: { podCIDR: "10.42.0.0/24", podCIDRs: ["10.42.0.0/24"], providerID: "k3s://n1" } }, { namespace: undefined });
  assert.deepEqual(validateNode(node), []);
  assert.deepEqual(lines(validateNode(edit(node, (s) => { s.podCIDRs = ["10.42.0.0/24", "10.43.0.0/24"]; }))), [
    'FieldValueInvalid spec.podCIDRs: Invalid value: ["10.42.0.0/24","10.43.0.0/24"]: may specify no more than one CIDR for each IP family',
  ]);
  assert.deepEqual(lines(validateNode(edit(node, (s) => { s.podCIDRs = ["10.42.1.0/24"]; s.podCIDR = "10.42.1.0/24"; s.providerID = "x://y"; }), node)), [
    'FieldValueForbidden spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    'FieldValueForbidden spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
  ]);
  const fresh = core("Node", { spec: {} }, { namespace: undefined });
  assert.deepEqual(validateNode(node, fresh), [], "IPAM assigns a range once");
});

test("endpoints: addresses required, not special; ports named when several", () => {
  const ep = core("Endpoints", { subsets: [{ addresses: [{ ip: "10.42.0.5" }], ports: [{ port: 80 }] }] });
  assert.deepEqual(validateEndpoints(ep), []);
  const own = core("Endpoints", { subsets: [{ addresses: [{ ip: "127.0.0.1" }], ports: [{ name: "https", port: 6443 }] }] }, { name: "kubernetes" });
  assert.deepEqual(validateEndpoints(own), [], "the apiserver's own endpoints may be loopback");
  const bad = core("Endpoints", { subsets: [{ ports: [{ port: 80 }] }, { addresses: [{ ip: "127.0.0.1" }, { ip: "10.0.0.300" }], ports: [{ port: 80 }, { name: "b", port: 0, protocol: "ICMP" }] }] });
  assert.deepEqual(lines(validateEndpoints(bad)), [
    "FieldValueRequired subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`",
    'FieldValueInvalid subsets[1].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    'FieldValueInvalid subsets[1].addresses[1].ip: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    "FieldValueRequired subsets[1].ports[0].name: Required value",
    "FieldValueInvalid subsets[1].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
    'FieldValueNotSupported subsets[1].ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
  ]);
});

test("events: namespaces agree; events with eventTime name their reporter", () => {
  const old = core("Event", { involvedObject: { kind: "Pod", namespace: "other", name: "p" }, reason: "Started" });
  assert.deepEqual(lines(validateEvent(old)), ['FieldValueInvalid involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
  const nodeEvent = core("Event", { involvedObject: { kind: "Node", name: "n1" }, reason: "Ready" });
  assert.deepEqual(validateEvent(nodeEvent), [], "a cluster-scoped object's events live in default");
  const modern = core("Event", { involvedObject: { kind: "Pod", namespace: "default", name: "p" }, eventTime: "2024-01-01T00:00:00.000000Z", reason: "x".repeat(129) });
  assert.deepEqual(lines(validateEvent(modern)), [
    "FieldValueRequired reportingComponent: Required value",
    "FieldValueInvalid reportingComponent: Invalid value: \"\": name part must be non-empty",
    "FieldValueRequired reportingInstance: Required value",
    "FieldValueRequired action: Required value",
    'FieldValueInvalid reason: Invalid value: "": can have at most 128 characters',
  ]);
});

test("limit ranges and quotas: ordered bounds, no pod defaults, known scopes, non-negative amounts", () => {
  const lr = core("LimitRange", { spec: { limits: [
    { type: "Container", min: { cpu: "500m" }, max: { cpu: "250m" } },
    { type: "Pod", default: { cpu: "1" } },
    { type: "Container" },
    { type: "PersistentVolumeClaim", min: { storage: "-1Gi" } },
  ] } });
  assert.deepEqual(lines(validateLimitRange(lr)), [
    'FieldValueInvalid spec.limits[0][cpu]: Invalid value: "500m": min value 500m is greater than max value 250m',
    // the defaults copied max into default and defaultRequest, which then fall below min too, as upstream
    'FieldValueInvalid spec.limits[0][cpu]: Invalid value: "250m": min value 500m is greater than default request value 250m',
    'FieldValueInvalid spec.limits[0][cpu]: Invalid value: "500m": min value 500m is greater than default value 250m',
    "FieldValueForbidden spec.limits[1].default: Forbidden: may not be specified when `type` is 'Pod'",
    'FieldValueDuplicate spec.limits[2].type: Duplicate value: "Container"',
    'FieldValueInvalid spec.limits[3].min[storage]: Invalid value: "-1Gi": must be greater than or equal to 0',
  ]);
  const quota = core("ResourceQuota", { spec: { hard: { pods: "-1", cpu: "lots", "count/jobs.batch": "1.5" }, scopes: ["BestEffort", "NotBestEffort", "Everything"] } });
  assert.deepEqual(lines(validateResourceQuota(quota)), [
    'FieldValueInvalid spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0',
    "FieldValueInvalid spec.hard[cpu]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    'FieldValueInvalid spec.hard[count/jobs.batch]: Invalid value: "1.5": must be an integer',
    'FieldValueInvalid spec.scopes: Invalid value: ["BestEffort","NotBestEffort","Everything"]: unsupported scope',
    'FieldValueInvalid spec.scopes: Invalid value: ["BestEffort","NotBestEffort","Everything"]: conflicting scopes',
  ]);
});

test("replication controller: map selector required and selecting the template, long-running pods", () => {
  const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } };
  const rc = core("ReplicationController", { spec: { replicas: 2, template } });
  assert.deepEqual(validateReplicationController(rc), [], "the selector defaults to the template's labels");
  assert.deepEqual(lines(validateReplicationController(edit(rc, (s) => { s.selector = { app: "other" }; s.replicas = -1; s.template.spec.restartPolicy = "OnFailure"; }))), [
    "FieldValueInvalid spec.replicas: Invalid value: -1: must be greater than or equal to 0",
    'FieldValueInvalid spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    'FieldValueNotSupported spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
  ]);
  const bare = core("ReplicationController", { spec: { template: { spec: template.spec } } });
  assert.deepEqual(lines(validateReplicationController(bare)), ["FieldValueRequired spec.selector: Required value"]);
});

test("events.k8s.io events: reporter, type, no deprecated fields", () => {
  const ev: KubeObject = { apiVersion: "events.k8s.io/v1", kind: "Event", metadata: { name: "e", namespace: "default" }, eventTime: "2024-01-01T00:00:00.000000Z",
    regarding: { kind: "Pod", namespace: "default", name: "p" }, reportingController: "example.com/ctl", reportingInstance: "ctl-1", action: "Bind", reason: "Scheduled", type: "Normal" };
  assert.deepEqual(validateEventsV1(ev), []);
  // a cluster-scoped object's events belong in default or kube-system
  const elsewhere = { ...ev, metadata: { name: "e", namespace: "apps" }, regarding: { kind: "Node", name: "n1" } };
  assert.deepEqual(lines(validateEventsV1({ ...elsewhere, type: "Info", deprecatedCount: 3, reportingController: "" })), [
    'FieldValueInvalid regarding.namespace: Invalid value: "": does not match event.namespace',
    "FieldValueRequired reportingController: Required value",
    'FieldValueInvalid reportingController: Invalid value: "": name part must be non-empty',
    'FieldValueInvalid type: Invalid value: "": has invalid value: Info',
    'FieldValueInvalid deprecatedCount: Invalid value: "": needs to be unset',
  ]);
});
