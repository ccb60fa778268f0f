/** StorageClass, EndpointSlice, CertificateSigningRequest and webhook configuration validation, with upstream's paths and wording. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../types.ts";
import { validateWebhookConfiguration } from "./admission.ts";
import { validateCertificateSigningRequest, validateCertificateSigningRequestStatus } from "./certificates.ts";
import { validateEndpointSlice } from "./discovery.ts";
import { validateCSIDriver, validateStorageClass, validateVolumeAttachment } from "./storage.ts";
import { validatePriorityClass } from "./scheduling.ts";
import { validateRuntimeClass } from "./runtime.ts";
import { ctx, defaulted, kindOf, lines } from "./testsupport.ts";

test("storage class: provisioner, enums, fixed parameters", () => {
  const sc = defaulted({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "local" }, provisioner: "rancher.io/local-path", parameters: { a: "1" } });
  assert.deepEqual(validateStorageClass(sc), []);
  assert.deepEqual(lines(validateStorageClass({ ...sc, provisioner: "", reclaimPolicy: "Recycle", volumeBindingMode: "Later" })), [
    "FieldValueRequired provisioner: Required value",
    'FieldValueNotSupported reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
    'FieldValueNotSupported volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
  ]);
  assert.deepEqual(lines(validateStorageClass({ ...sc, parameters: { a: "2" }, volumeBindingMode: "WaitForFirstConsumer" }, sc)), [
    "FieldValueForbidden parameters: Forbidden: updates to parameters are forbidden.",
    'FieldValueInvalid volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
  ]);
  assert.deepEqual(validateStorageClass({ ...sc, allowVolumeExpansion: true }, sc), []);
});

test("endpoint slice: addresses of the slice's type, ports, fixed address type", () => {
  const slice = (addressType: string, addresses: string[], ports: unknown[] = []): KubeObject => defaulted({
    apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: "s", namespace: "default" }, addressType, endpoints: [{ addresses }], ports,
  });
  assert.deepEqual(validateEndpointSlice(slice("IPv4", ["10.42.0.3"], [{ name: "http", port: 80 }])), []);
  assert.deepEqual(validateEndpointSlice(slice("FQDN", ["db.example.com"])), []);
  assert.deepEqual(lines(validateEndpointSlice(slice("IPv4", ["fd00::1", "10.0.0.1"], [{ name: "a", port: 0 }, { name: "a", protocol: "ICMP" }]))), [
    'FieldValueInvalid endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
    "FieldValueInvalid ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
    'FieldValueDuplicate ports[1].name: Duplicate value: "a"',
    'FieldValueNotSupported ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
  ]);
  assert.deepEqual(lines(validateEndpointSlice(slice("FQDN", ["localhost"]))), ['FieldValueInvalid endpoints[0].addresses[0]: Invalid value: "localhost": should be a domain with at least two segments separated by dots']);
  assert.deepEqual(lines(validateEndpointSlice(slice("IPv4", []))), ["FieldValueRequired endpoints[0].addresses: Required value: must contain at least 1 address"]);
  const v4 = slice("IPv4", ["10.0.0.1"]);
  assert.deepEqual(lines(validateEndpointSlice({ ...v4, addressType: "IPv6", endpoints: [] }, v4)), ['FieldValueInvalid addressType: Invalid value: "IPv6": field is immutable']);
});

test("certificate signing request: usages enum without duplicates, signer name, request block", () => {
  const request = Buffer.from("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n").toString("base64");
  const csr = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: "certificates.k8s.io/v1", kind: "CertificateSigningRequest", metadata: { name: "c" }, spec: { request, signerName: "kubernetes.io/kube-apiserver-client", usages: ["client auth"], ...spec } });
  assert.deepEqual(validateCertificateSigningRequest(csr({})), []);
  assert.deepEqual(lines(validateCertificateSigningRequest(csr({ usages: ["client auth", "client auth", "flying"], signerName: "kubernetes.io/legacy-unknown", request: Buffer.from("hello").toString("base64") }))), [
    'FieldValueInvalid spec.request: Invalid value: []: PEM block type must be CERTIFICATE REQUEST',
    'FieldValueDuplicate spec.usages[1]: Duplicate value: "client auth"',
    'FieldValueNotSupported spec.usages[2]: Unsupported value: "flying": supported values: "any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only", "digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping"',
    'FieldValueInvalid spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version',
  ]);
});

test("webhooks: names, rules, client config, side effects, timeouts, review versions", () => {
  const hook = { name: "check.example.com", sideEffects: "None", admissionReviewVersions: ["v1"], clientConfig: { service: { name: "s", namespace: "ns", port: 443 } },
    rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"], scope: "*" }] };
  const cfg = (webhooks: unknown[]): KubeObject => defaulted({ apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingWebhookConfiguration", metadata: { name: "v" }, webhooks });
  assert.deepEqual(validateWebhookConfiguration(cfg([hook]), false), []);
  const bad = { ...hook, name: "check", sideEffects: "Some", timeoutSeconds: 31, admissionReviewVersions: ["v2"], clientConfig: { url: "http://x.example.com/hook" },
    rules: [{ operations: ["*", "PATCH"], apiGroups: ["*", "apps"], apiVersions: ["v1"], resources: ["pods"] }] };
  assert.deepEqual(lines(validateWebhookConfiguration(cfg([bad, hook, hook]), false)), [
    'FieldValueInvalid webhooks[0].name: Invalid value: "check": should be a domain with at least three segments separated by dots',
    'FieldValueInvalid webhooks[0].rules[0].operations: Invalid value: ["*","PATCH"]: if \'*\' is present, must not specify other operations',
    'FieldValueNotSupported webhooks[0].rules[0].operations[1]: Unsupported value: "PATCH": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"',
    'FieldValueInvalid webhooks[0].rules[0].apiGroups: Invalid value: ["*","apps"]: if \'*\' is present, must not specify other API groups',
    'FieldValueNotSupported webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"',
    "FieldValueInvalid webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds",
    'FieldValueInvalid webhooks[0].admissionReviewVersions: Invalid value: ["v2"]: must include at least one of v1, v1beta1',
    "FieldValueInvalid webhooks[0].clientConfig.url: Invalid value: \"http://x.example.com/hook\": 'https' is the only allowed URL scheme",
    'FieldValueDuplicate webhooks[2].name: Duplicate value: "check.example.com"',
  ]);
  assert.deepEqual(lines(validateWebhookConfiguration(cfg([{ ...hook, reinvocationPolicy: "Always" }]), true)), [
    'FieldValueNotSupported webhooks[0].reinvocationPolicy: Unsupported value: "Always": supported values: "IfNeeded", "Never"',
  ]);
});

test("priority classes: system- prefix only for the built-in classes with their values, user cap, fixed value", () => {
  const pc = (name: string, value: number, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name }, value, ...extra });
  assert.deepEqual(validatePriorityClass(pc("system-node-critical", 2000001000)), []);
  assert.deepEqual(lines(validatePriorityClass(pc("system-node-critical", 5))), [
    "FieldValueForbidden metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000",
  ]);
  assert.deepEqual(lines(validatePriorityClass(pc("high", 1000000001, { preemptionPolicy: "Always" }))), [
    "FieldValueForbidden value: Forbidden: maximum allowed value of a user defined priority is 1000000000",
    'FieldValueNotSupported preemptionPolicy: Unsupported value: "Always": supported values: "Never", "PreemptLowerPriority"',
  ]);
  assert.deepEqual(lines(validatePriorityClass(pc("high", 10), pc("high", 5))), ["FieldValueForbidden value: Forbidden: may not be changed in an update."]);
});

test("certificate signing requests take kubelet-style names", () => {
  const def = kindOf({ apiVersion: "certificates.k8s.io/v1", kind: "CertificateSigningRequest", metadata: {} })!;
  const request = Buffer.from("-----BEGIN CERTIFICATE REQUEST-----\n").toString("base64");
  const csr: KubeObject = { apiVersion: "certificates.k8s.io/v1", kind: "CertificateSigningRequest", metadata: { name: "node-csr-Ab_9-xYz" },
    spec: { request, signerName: "kubernetes.io/kube-apiserver-client-kubelet", usages: ["client auth"] } };
  assert.deepEqual(def.validate!(csr, undefined, ctx), []);
});

test("volume attachments: CSI attacher name, exactly one source, node name, fixed spec", () => {
  const va = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: "storage.k8s.io/v1", kind: "VolumeAttachment", metadata: { name: "va" }, spec });
  const ok = va({ attacher: "ebs.csi.aws.com", source: { persistentVolumeName: "pv-1" }, nodeName: "n1" });
  assert.deepEqual(validateVolumeAttachment(ok), []);
  assert.deepEqual(lines(validateVolumeAttachment(va({ attacher: "-bad", source: {}, nodeName: "" }))).map((l) => l.split(": ").slice(0, 2).join(": ")), [
    "FieldValueInvalid spec.attacher: Invalid value",
    "FieldValueInvalid spec.attacher: Invalid value",
    "FieldValueRequired spec.source: Required value",
    "FieldValueRequired spec.nodeName: Required value",
  ]);
  assert.deepEqual(lines(validateVolumeAttachment(va({ ...ok.spec as object, nodeName: "n2" }), ok)).map((l) => l.replace(/: Invalid value: .*: /, ": ")), ["FieldValueInvalid spec: field is immutable"]);
});

test("csi drivers: name rule, required flags, enums, token requests, fixed attachRequired", () => {
  const driver = (spec: Record<string, unknown>, name = "ebs.csi.aws.com"): KubeObject => defaulted({ apiVersion: "storage.k8s.io/v1", kind: "CSIDriver", metadata: { name }, spec });
  const ok = driver({});
  assert.deepEqual(validateCSIDriver(ok), []);
  assert.deepEqual(lines(validateCSIDriver(driver({ fsGroupPolicy: "Always", volumeLifecycleModes: ["Temporary"], tokenRequests: [{ audience: "a", expirationSeconds: 60 }, { audience: "a" }] }))), [
    'FieldValueNotSupported spec.fsGroupPolicy: Unsupported value: "Always": supported values: "File", "None", "ReadWriteOnceWithFSType"',
    "FieldValueInvalid spec.tokenRequests[0].expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes",
    'FieldValueDuplicate spec.tokenRequests[1].audience: Duplicate value: "a"',
    'FieldValueNotSupported spec.volumeLifecycleModes[0]: Unsupported value: "Temporary": supported values: "Ephemeral", "Persistent"',
  ]);
  assert.deepEqual(lines(validateCSIDriver(driver({ attachRequired: false }), ok)), ["FieldValueInvalid spec.attachedRequired: Invalid value: false: field is immutable"]);
  const def = kindOf(ok)!;
  assert.equal(def.validate!(driver({}, "-csi"), undefined, ctx)[0]?.field, "metadata.name");
});

test("runtime classes: handler a DNS label and fixed, overhead amounts, scheduling labels and tolerations", () => {
  const rc = (body: Record<string, unknown>): KubeObject => ({ apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name: "gvisor" }, handler: "runsc", ...body });
  assert.deepEqual(validateRuntimeClass(rc({ overhead: { podFixed: { memory: "64Mi" } }, scheduling: { nodeSelector: { sandbox: "true" } } })), []);
  assert.deepEqual(lines(validateRuntimeClass(rc({ handler: "", overhead: { podFixed: { cpu: "-1" } }, scheduling: { nodeSelector: { "bad key!": "x" } } }))).map((l) => l.split(": ").slice(0, 3).join(": ")), [
    'FieldValueInvalid handler: Invalid value: ""',
    'FieldValueInvalid overhead.podFixed[cpu]: Invalid value: "-1"',
    'FieldValueInvalid scheduling.nodeSelector: Invalid value: "bad key!"',
  ]);
  assert.deepEqual(lines(validateRuntimeClass(rc({ handler: "kata" }), rc({}))), ['FieldValueInvalid handler: Invalid value: "kata": field is immutable']);
});

test("certificate signing request status: decisions only through /approval, never removed or both, an issued certificate kept", () => {
  const withStatus = (conditions: string[], certificate?: string): KubeObject => ({
    apiVersion: "certificates.k8s.io/v1", kind: "CertificateSigningRequest", metadata: { name: "c" },
    status: { conditions: conditions.map((type) => ({ type, status: "True" })), ...(certificate ? { certificate } : {}) },
  });
  const pending = withStatus([]);
  const approved = withStatus(["Approved"]);
  assert.deepEqual(validateCertificateSigningRequestStatus(approved, pending, "approval"), []);
  assert.deepEqual(lines(validateCertificateSigningRequestStatus(approved, pending, "status")), ['FieldValueForbidden status.conditions: Forbidden: updates may not add a condition of type "Approved"']);
  assert.deepEqual(lines(validateCertificateSigningRequestStatus(pending, approved, "approval")), ['FieldValueForbidden status.conditions: Forbidden: updates may not remove a condition of type "Approved"']);
  assert.deepEqual(lines(validateCertificateSigningRequestStatus(withStatus(["Approved", "Denied"]), approved, "approval")), [
    'FieldValueInvalid status.conditions: Invalid value: ["Approved","Denied"]: Approved and Denied conditions are mutually exclusive',
  ]);
  // the signer issues once through /status
  assert.deepEqual(validateCertificateSigningRequestStatus(withStatus(["Approved"], "Y2VydA=="), approved, "status"), []);
  assert.deepEqual(lines(validateCertificateSigningRequestStatus(withStatus(["Approved"], "b3RoZXI="), withStatus(["Approved"], "Y2VydA=="), "status")), [
    "FieldValueForbidden status.certificate: Forbidden: updates may not modify existing certificate content",
  ]);
});
