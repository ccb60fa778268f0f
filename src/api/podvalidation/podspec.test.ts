/** The whole pod spec: the parts podspec.ts checks itself (dns, gates, hostAliases, os, hostNetwork ports, names) and the order of causes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { validatePodCreate, validatePodOnly, validatePodSpec, validateTemplateOnly } from "./podspec.ts";
import { lines } from "./testutil.ts";

const defaulted = { restartPolicy: "Always", dnsPolicy: "ClusterFirst", terminationGracePeriodSeconds: 30, schedulerName: "default-scheduler", securityContext: {} };

test("a full, realistic pod spec is valid", () => {
  const spec = {
    ...defaulted,
    hostname: "web-0", subdomain: "web", serviceAccountName: "web", nodeName: "node-1", priorityClassName: "high", runtimeClassName: "runc",
    hostNetwork: true, dnsPolicy: "None", dnsConfig: { nameservers: ["10.43.0.10", "2001:db8::1"], searches: ["svc.cluster.local."], options: [{ name: "ndots", value: "2" }] },
    hostAliases: [{ ip: "127.0.0.1", hostnames: ["foo.local"] }], readinessGates: [{ conditionType: "example.com/ready" }], schedulingGates: [{ name: "example.com/wait" }],
    os: { name: "linux" }, overhead: { cpu: "250m" }, preemptionPolicy: "Never", activeDeadlineSeconds: 600,
    tolerations: [{ operator: "Exists" }, { key: "k", value: "v", effect: "NoExecute", tolerationSeconds: 30 }],
    containers: [{ name: "c", image: "x", ports: [{ containerPort: 8080, hostPort: 8080, protocol: "TCP" }] }],
  };
  assert.deepEqual(validatePodSpec(spec, { path: "spec", pod: true }), []);
});

test("pod-level fields as upstream words them", () => {
  const spec = {
    ...defaulted, dnsPolicy: "None", hostNetwork: true,
    containers: [{ name: "c", image: "x", ports: [{ containerPort: 80, hostPort: 81 }] }],
    hostname: "Web", activeDeadlineSeconds: 0, nodeName: "Node_1",
    hostAliases: [{ ip: "300.1.1.1", hostnames: ["ok", "Bad_Host"] }], readinessGates: [{ conditionType: "bad type!" }],
    schedulingGates: [{ name: "g" }, { name: "g" }], os: { name: "plan9" },
  };
  assert.deepEqual(lines(validatePodSpec(spec, { path: "spec", pod: true })), [
    "spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true",
    "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None",
    `spec.readinessGates[0].conditionType: Invalid value: "bad type!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    'spec.schedulingGates[1]: Duplicate value: "g"',
    `spec.nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
    `spec.hostname: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    'spec.hostAliases[0].ip: Invalid value: "300.1.1.1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    `spec.hostAliases[0].hostnames[1]: Invalid value: "Bad_Host": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    'spec.os: Unsupported value: "plan9": supported values: "linux", "windows"',
  ]);
});

test("dnsConfig limits, enums and per-OS restrictions", () => {
  const spec = {
    ...defaulted, restartPolicy: "Sometimes", dnsPolicy: "Cluster", containers: [{ name: "c", image: "x", securityContext: { windowsOptions: { runAsUserName: "u" } } }],
    dnsConfig: { nameservers: ["1.1.1.1", "8.8.8.8", "9.9.9.9", "nope"], searches: ["Bad_Domain."], options: [{ value: "1" }] },
    os: { name: "linux" },
  };
  assert.deepEqual(lines(validatePodSpec(spec, { path: "spec.template.spec", pod: false })), [
    'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.template.spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    'spec.template.spec.dnsConfig.nameservers: Invalid value: ["1.1.1.1","8.8.8.8","9.9.9.9","nope"]: must not have more than 3 nameservers',
    'spec.template.spec.dnsConfig.nameservers[3]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    `spec.template.spec.dnsConfig.searches[0]: Invalid value: "Bad_Domain": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    "spec.template.spec.dnsConfig.options[0]: Required value: must not be empty",
    "spec.template.spec.containers[0].securityContext.windowsOptions: Forbidden: windows options cannot be set for a linux pod",
  ]);
  const win = { ...defaulted, os: { name: "windows" }, hostPID: true, securityContext: { runAsUser: 1 }, containers: [{ name: "c", image: "x", securityContext: { privileged: false } }] };
  assert.deepEqual(lines(validatePodSpec(win, { path: "spec", pod: true })), [
    "spec.securityContext.runAsUser: Forbidden: cannot be set for a windows pod",
    "spec.hostPID: Forbidden: cannot be set for a windows pod",
    "spec.containers[0].securityContext.privileged: Forbidden: cannot be set for a windows pod",
  ]);
});

test("pod-only, create-only and template-only rules", () => {
  const spec = { volumes: [{ name: "t", projected: { sources: [{ serviceAccountToken: { path: "token" } }] } }], containers: [{ name: "c", image: " x " }] };
  assert.deepEqual(lines(validatePodOnly(spec)), [
    "spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set",
    'spec.containers[0].image: Invalid value: " x ": must not have leading or trailing whitespace',
  ]);
  assert.deepEqual(lines(validatePodCreate({ nodeName: "n", schedulingGates: [{ name: "g" }], ephemeralContainers: [{ name: "e" }] })), [
    "spec.ephemeralContainers: Forbidden: cannot be set on create",
    "spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared",
  ]);
  assert.deepEqual(lines(validateTemplateOnly({ ephemeralContainers: [{ name: "e" }] }, "spec.template.spec")), [
    "spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template",
  ]);
});

test("windows host process pods: all containers or none, and hostNetwork", () => {
  const hp = (v?: boolean) => ({ windowsOptions: v === undefined ? {} : { hostProcess: v } });
  const spec = { ...defaulted, securityContext: hp(true), containers: [{ name: "a", image: "x", securityContext: hp(false) }, { name: "b", image: "x" }] };
  assert.deepEqual(lines(validatePodSpec(spec, { path: "spec", pod: true })), [
    "spec.containers[0].securityContext.windowsOptions.hostProcess: Invalid value: false: pod hostProcess value must be identical if both are specified, was true",
    'spec: Invalid value: "": If pod contains any hostProcess containers then all containers must be HostProcess containers',
    "spec.hostNetwork: Invalid value: false: hostNetwork must be true if pod contains any hostProcess containers",
  ]);
  assert.deepEqual(validatePodSpec({ ...spec, hostNetwork: true, containers: [{ name: "a", image: "x" }] }, { path: "spec", pod: true }), []);
});

test("class names, preemption policy and overhead come after tolerations, in upstream's order", () => {
  const spec = { ...defaulted, containers: [{ name: "c", image: "x" }], tolerations: [{ key: "k", operator: "Maybe" }], priorityClassName: "High", runtimeClassName: "", preemptionPolicy: "Sometimes", overhead: { cpu: "-1" } };
  assert.deepEqual(lines(validatePodSpec(spec, { path: "spec", pod: true })).map((l) => l.slice(0, l.indexOf(":", l.indexOf(":") + 1))), [
    "spec.tolerations[0].operator: Unsupported value",
    "spec.priorityClassName: Invalid value",
    "spec.runtimeClassName: Invalid value",
    "spec.preemptionPolicy: Unsupported value",
    "spec.overhead.limits[cpu]: Invalid value",
  ]);
});

test("hostNetwork: a template may leave hostPort 0 (it is defaulted on the pod), a pod may not", () => {
  const spec = { ...defaulted, hostNetwork: true, containers: [{ name: "c", image: "x", ports: [{ containerPort: 80 }] }] };
  assert.deepEqual(validatePodSpec(spec, { path: "spec.template.spec", pod: false }), []);
  assert.deepEqual(lines(validatePodSpec(spec, { path: "spec", pod: true })), ["spec.containers[0].ports[0].hostPort: Invalid value: 0: must match `containerPort` when `hostNetwork` is true"]);
});
