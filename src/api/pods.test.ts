/** Pod defaults, validation and the STATUS/READY/RESTARTS derivation of upstream's printer. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { StrategyContext } from "./kind.ts";
import type { KubeObject } from "./types.ts";
import { builtinKinds } from "./registry.ts";
import { defaultPullPolicy, podStatusCells, qosClassOf, validatePodTemplate } from "./pods.ts";

const pod = builtinKinds().find((k) => k.kind === "Pod")!;
const ctx: StrategyContext = {
  user: { username: "admin", groups: [] }, subresource: "",
  cluster: { serviceCIDR: "10.43.0.0/16", clusterCIDR: "10.42.0.0/16", serviceNodePortRange: [30000, 32767], clusterDNS: "10.43.0.10", clusterDomain: "cluster.local" },
};

function mk(spec: Record<string, unknown>, status?: Record<string, unknown>, meta: Partial<KubeObject["metadata"]> = {}): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default", ...meta }, spec, ...(status ? { status } : {}) };
}

const agoIso = (s: number) => new Date(Date.now() - s * 1000).toISOString();

test("defaults as upstream: policies, grace period, scheduler, pull policy from the tag, tolerations", () => {
  const p = mk({ containers: [{ name: "a", image: "nginx:1.27", ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { port: 80 } } }, { name: "b", image: "busybox" }] });
  pod.defaults!(p);
  const spec = p.spec as Record<string, any>;
  assert.equal(spec.restartPolicy, "Always");
  assert.equal(spec.dnsPolicy, "ClusterFirst");
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.equal(spec.schedulerName, "default-scheduler");
  assert.equal(spec.enableServiceLinks, true);
  assert.deepEqual(spec.securityContext, {});
  assert.equal(spec.containers[0].imagePullPolicy, "IfNotPresent");
  assert.equal(spec.containers[1].imagePullPolicy, "Always");
  assert.equal(spec.containers[0].terminationMessagePath, "/dev/termination-log");
  assert.equal(spec.containers[0].terminationMessagePolicy, "File");
  assert.deepEqual(spec.containers[0].ports, [{ containerPort: 80, protocol: "TCP" }]);
  assert.deepEqual(spec.containers[0].livenessProbe, { httpGet: { port: 80, path: "/", scheme: "HTTP" }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.deepEqual(spec.tolerations, [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
  ]);
  pod.defaults!(p);
  assert.equal(spec.tolerations.length, 2, "defaulting twice adds nothing");
});

test("pull policy: latest, no tag and digests", () => {
  assert.equal(defaultPullPolicy("nginx"), "Always");
  assert.equal(defaultPullPolicy("nginx:latest"), "Always");
  assert.equal(defaultPullPolicy("registry:5000/nginx"), "Always");
  assert.equal(defaultPullPolicy("registry:5000/nginx:1.2"), "IfNotPresent");
  assert.equal(defaultPullPolicy("nginx@sha256:abc"), "IfNotPresent");
});

test("validation: missing containers, bad names, duplicates, missing volume, bad port, worded as upstream", () => {
  const errs = pod.validate!(mk({ containers: [] }, undefined, { name: "Bad_Name" }), undefined, ctx);
  assert.deepEqual(errs.map((e) => [e.field, e.type]), [["metadata.name", "FieldValueInvalid"], ["spec.containers", "FieldValueRequired"]]);
  assert.match(errs[0].message, /^Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
  const p = mk({ containers: [{ name: "a", image: "x", ports: [{ containerPort: 70000 }], volumeMounts: [{ name: "nope", mountPath: "/d" }] }, { name: "a" }], restartPolicy: "Sometimes" });
  const fields = pod.validate!(p, undefined, ctx).map((e) => `${e.field}: ${e.message}`);
  assert.deepEqual(fields, [
    "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
    'spec.containers[0].volumeMounts[0].name: Not found: "nope"',
    "spec.containers[1].image: Required value",
    'spec.containers[1].name: Duplicate value: "a"',
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  ]);
});

test("update may change images but not other spec fields", () => {
  const old = mk({ containers: [{ name: "a", image: "x:1" }] });
  pod.defaults!(old);
  const imageOnly = structuredClone(old);
  (imageOnly.spec as any).containers[0].image = "x:2";
  assert.deepEqual(pod.validate!(imageOnly, old, ctx), []);
  const other = structuredClone(old);
  (other.spec as any).containers[0].command = ["sh"];
  const errs = pod.validate!(other, old, ctx);
  assert.equal(errs.length, 1);
  assert.equal(errs[0].field, "spec");
  assert.match(errs[0].message, /^Forbidden: pod updates may not change fields other than/);
});

test("create starts Pending with a QoS class", () => {
  const p = mk({ containers: [{ name: "a", image: "x", resources: { limits: { cpu: "1", memory: "1Gi" } } }] });
  pod.defaults!(p);
  pod.prepareForCreate!(p, ctx);
  assert.deepEqual(p.status, { phase: "Pending", qosClass: "Guaranteed" });
  assert.equal(qosClassOf({ containers: [{ name: "a" }] }), "BestEffort");
  assert.equal(qosClassOf({ containers: [{ name: "a", resources: { requests: { cpu: "1" } } }] }), "Burstable");
});

test("STATUS derivation: Pending, ContainerCreating, Running, Completed, CrashLoopBackOff, Terminating, Init", () => {
  const spec = { containers: [{ name: "a" }, { name: "b" }] };
  assert.deepEqual(podStatusCells(mk(spec, { phase: "Pending" })), { ready: "0/2", status: "Pending", restarts: "0" });
  const creating = { phase: "Pending", containerStatuses: [{ name: "a", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }] };
  assert.equal(podStatusCells(mk(spec, creating)).status, "ContainerCreating");
  const running = { phase: "Running", containerStatuses: [
    { name: "a", ready: true, restartCount: 0, state: { running: {} } }, { name: "b", ready: true, restartCount: 0, state: { running: {} } }] };
  assert.deepEqual(podStatusCells(mk(spec, running)), { ready: "2/2", status: "Running", restarts: "0" });
  const done = { phase: "Succeeded", containerStatuses: [{ name: "a", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } }] };
  assert.equal(podStatusCells(mk({ containers: [{ name: "a" }] }, done)).status, "Completed");
  const crash = { phase: "Running", containerStatuses: [{ name: "a", ready: false, restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, finishedAt: agoIso(125) } } }] };
  assert.deepEqual(podStatusCells(mk({ containers: [{ name: "a" }] }, crash)), { ready: "0/1", status: "CrashLoopBackOff", restarts: "4 (2m5s ago)" });
  const exit = { phase: "Failed", containerStatuses: [{ name: "a", ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }] };
  assert.equal(podStatusCells(mk({ containers: [{ name: "a" }] }, exit)).status, "ExitCode:2");
  assert.equal(podStatusCells(mk(spec, running, { deletionTimestamp: agoIso(1) })).status, "Terminating");
  assert.equal(podStatusCells(mk(spec, { phase: "Running", reason: "NodeLost" }, { deletionTimestamp: agoIso(1) })).status, "Unknown");
  const initSpec = { initContainers: [{ name: "i1" }, { name: "i2" }], containers: [{ name: "a" }] };
  const init = { phase: "Pending", initContainerStatuses: [
    { name: "i1", ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } },
    { name: "i2", ready: false, restartCount: 0, state: { running: {} } }] };
  assert.equal(podStatusCells(mk(initSpec, init)).status, "Init:1/2");
  const initCrash = { phase: "Pending", initContainerStatuses: [{ name: "i1", ready: false, restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff" } } }] };
  assert.equal(podStatusCells(mk(initSpec, initCrash)).status, "Init:CrashLoopBackOff");
  const initFail = { phase: "Pending", initContainerStatuses: [{ name: "i1", ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] };
  assert.equal(podStatusCells(mk(initSpec, initFail)).status, "Init:ExitCode:3");
  const gated = { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }] };
  assert.equal(podStatusCells(mk(spec, gated)).status, "SchedulingGated");
});

test("sidecar init containers count towards READY and a completed main container with a running sidecar is Running/NotReady", () => {
  const spec = { initContainers: [{ name: "side", restartPolicy: "Always" }], containers: [{ name: "a" }] };
  const status = {
    phase: "Running", conditions: [{ type: "Initialized", status: "True" }, { type: "Ready", status: "False" }],
    initContainerStatuses: [{ name: "side", ready: true, started: true, restartCount: 1, state: { running: {} } }],
    containerStatuses: [{ name: "a", ready: true, restartCount: 0, state: { running: {} } }],
  };
  const cells = podStatusCells(mk(spec, status));
  assert.equal(cells.ready, "2/2");
  assert.equal(cells.status, "Running");
  assert.equal(cells.restarts, "1");
});

test("row and wide cells: IP from podIPs, node, nominated node, readiness gates", () => {
  const p = mk({ nodeName: "n1", containers: [{ name: "a" }], readinessGates: [{ conditionType: "x/ready" }] },
    { phase: "Running", podIP: "10.42.0.5", podIPs: [{ ip: "10.42.0.5" }], conditions: [{ type: "x/ready", status: "True" }],
      containerStatuses: [{ name: "a", ready: true, restartCount: 0, state: { running: {} } }] },
    { creationTimestamp: agoIso(42) });
  assert.deepEqual(pod.row!(p), ["p", "1/1", "Running", "0", "42s", "10.42.0.5", "n1", "<none>", "1/1"]);
  assert.deepEqual(pod.columns!.map((c) => `${c.name}:${c.priority}`), ["Name:0", "Ready:0", "Status:0", "Restarts:0", "Age:0", "IP:1", "Node:1", "Nominated Node:1", "Readiness Gates:1"]);
  assert.deepEqual(pod.selectableFields!(p)["spec.nodeName"], "n1");
  assert.deepEqual(pod.selectableFields!(p)["status.phase"], "Running");
});

test("resources, tolerations and node taints are validated as upstream words it", () => {
  const p = mk({
    containers: [{ name: "a", image: "x", resources: { requests: { cpu: "2", memory: "lots" }, limits: { cpu: "1" } }, ports: [{ containerPort: 80, name: "http" }, { containerPort: 81, name: "http" }] }],
    tolerations: [{ key: "k", operator: "Exists", value: "v" }, { key: "k2", operator: "Equal", value: "v", effect: "NoSchedule", tolerationSeconds: 5 }],
  });
  assert.deepEqual(pod.validate!(p, undefined, ctx).map((e) => `${e.field}: ${e.message}`), [
    'spec.containers[0].ports[1].name: Duplicate value: "http"',
    'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    `spec.containers[0].resources.requests[memory]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    `spec.tolerations[0].operator: Invalid value: "v": value must be empty when \`operator\` is 'Exists'`,
    `spec.tolerations[1].effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when \`tolerationSeconds\` is set`,
  ]);
  const node = builtinKinds().find((k) => k.kind === "Node")!;
  const n: KubeObject = { apiVersion: "v1", kind: "Node", metadata: { name: "n1" }, spec: { taints: [{ key: "a", effect: "NoSchedule" }, { key: "a", effect: "NoSchedule" }, { key: "b", effect: "Sometimes" }] } };
  assert.deepEqual(node.validate!(n, undefined, ctx).map((e) => `${e.field}: ${e.message}`), [
    'spec.taints[1]: Duplicate value: {"key":"a","effect":"NoSchedule"}: taints must be unique by key and effect pair',
    'spec.taints[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
  ]);
});

test("pod templates: upstream's paths for template labels and annotations, no ephemeral containers; a negative grace period is only warned about upstream", () => {
  const template = {
    metadata: { labels: { app: "bad value!" }, annotations: { "controller.kubernetes.io/pod-deletion-cost": "x" } },
    spec: { terminationGracePeriodSeconds: -1, containers: [{ name: "c", image: "x" }], ephemeralContainers: [{ name: "e", image: "x" }] },
  };
  assert.deepEqual(validatePodTemplate(template, { path: "spec.template" }).map((e) => `${e.field}: ${e.message}`), [
    `spec.template.labels[app]: Invalid value: "bad value!": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    'spec.template.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "x": must be a 32bit integer',
    "spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template",
  ]);
  assert.deepEqual(validatePodTemplate(undefined, { path: "spec.template" }).map((e) => e.field), ["spec.template"]);
});

test("the ephemeralcontainers subresource may add a debug container but not change one", () => {
  const old = mk({ containers: [{ name: "a", image: "x" }] });
  pod.defaults!(old);
  const ctxEc = { ...ctx, subresource: "ephemeralcontainers" };
  const added = structuredClone(old);
  (added.spec as any).ephemeralContainers = [{ name: "debug", image: "busybox", terminationMessagePolicy: "File", imagePullPolicy: "Always" }];
  assert.deepEqual(pod.validate!(added, old, ctxEc), []);
  const changed = structuredClone(added);
  (changed.spec as any).ephemeralContainers[0].image = "alpine";
  assert.deepEqual(pod.validate!(changed, added, ctxEc).map((e) => e.message), ['Forbidden: existing ephemeral containers "debug" may not be changed\n']);
  assert.deepEqual(pod.validate!(added, undefined, ctx).map((e) => e.field), ["spec.ephemeralContainers"], "not on create");
});
