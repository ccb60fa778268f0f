import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Backoff } from "./backoff.ts";
import { expandVars } from "./env.ts";
import { fieldPathValue, resourceFieldValue } from "./fieldpath.ts";
import { defaultPullPolicy, registryHost } from "./images.ts";
import { containerConfig, containerResources, oomScoreAdj, podDNSConfig, podResources, qosClass, sandboxConfig } from "./spec.ts";
import { podPhase, type ContainerView } from "./status.ts";
import type { ContainerStatus } from "./cri/mod.ts";
import type { KPod } from "./types.ts";
import { writeAtomicDir } from "./volumes/atomic.ts";

const pod = (spec: Partial<KPod["spec"]> = {}): KPod => ({
  metadata: { name: "p", namespace: "ns1", uid: "u-1", labels: { app: "x" }, annotations: { note: "y" } },
  spec: { containers: [{ name: "c", image: "busybox:1" }], ...spec },
});

const ctx = { clusterDNS: ["10.43.0.10"], clusterDomain: "cluster.local", resolvConf: "/nonexistent", podLogsDir: "/var/log/pods", cgroupRoot: "/kubepods" };

test("DNS: ClusterFirst uses cluster DNS and search path; hostNetwork falls back; None takes dnsConfig", () => {
  assert.deepEqual(podDNSConfig(pod(), ctx), { servers: ["10.43.0.10"], searches: ["ns1.svc.cluster.local", "svc.cluster.local", "cluster.local"], options: ["ndots:5"] });
  assert.deepEqual(podDNSConfig(pod({ hostNetwork: true }), ctx).servers, []);
  assert.deepEqual(podDNSConfig(pod({ hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" }), ctx).servers, ["10.43.0.10"]);
  assert.deepEqual(podDNSConfig(pod({ dnsPolicy: "None", dnsConfig: { nameservers: ["1.1.1.1"], options: [{ name: "ndots", value: "2" }] } }), ctx), { servers: ["1.1.1.1"], searches: [], options: ["ndots:2"] });
});

test("sandbox config: hostPorts, namespaces, labels and log dir", () => {
  const sc = sandboxConfig(pod({ containers: [{ name: "c", ports: [{ containerPort: 80, hostPort: 8080 }] }], hostPID: true }), { ...ctx, attempt: 2 });
  assert.deepEqual(sc.port_mappings, [{ protocol: "TCP", container_port: 80, host_port: 8080, host_ip: "" }]);
  assert.equal(sc.metadata.attempt, 2);
  assert.equal(sc.hostname, "p");
  assert.equal(sc.log_directory, "/var/log/pods/ns1_p_u-1");
  assert.equal(sc.labels?.["io.kubernetes.pod.uid"], "u-1");
  assert.equal(sc.labels?.app, "x");
  assert.deepEqual(sc.linux?.security_context?.namespace_options, { network: "POD", pid: "NODE", ipc: "POD" });
  assert.equal(sc.linux?.cgroup_parent, "/kubepods/besteffort/podu-1", "BestEffort pods live in the besteffort tier");
  const guaranteed = pod({ containers: [{ name: "c", resources: { limits: { cpu: "1", memory: "1Gi" } } }] });
  assert.equal(sandboxConfig(guaranteed, { ...ctx, attempt: 0 }).linux?.cgroup_parent, "/kubepods/podu-1");
});

test("pod cgroup resources: requests and limits summed, init containers by maximum, no limit when one container has none", () => {
  const c = (name: string, requests: Record<string, string>, limits: Record<string, string>) => ({ name, resources: { requests, limits } });
  assert.deepEqual(podResources(pod({ containers: [c("a", { cpu: "250m" }, { cpu: "500m", memory: "64Mi" }), c("b", { cpu: "100m" }, { cpu: "200m", memory: "16Mi" })] })), {
    cpuShares: 358,
    cpuPeriod: 100000,
    cpuQuota: 70000,
    memoryLimit: 80 * 1024 * 1024,
  });
  assert.deepEqual(podResources(pod({ containers: [c("a", { cpu: "1" }, { memory: "64Mi" }), c("b", {}, {})] })), { cpuShares: 1024 });
  const withInit = pod({ initContainers: [c("i", { cpu: "2" }, { cpu: "2", memory: "1Gi" })], containers: [c("a", { cpu: "1" }, { cpu: "1", memory: "64Mi" })] });
  assert.deepEqual(podResources(withInit), { cpuShares: 2048, cpuPeriod: 100000, cpuQuota: 200000, memoryLimit: 1024 * 1024 * 1024 });
  assert.deepEqual(podResources(pod()), { cpuShares: 2 });
});

test("container config: $(VAR) expansion, subPath mounts, resources and log path", () => {
  const p = pod({
    containers: [
      {
        name: "c",
        command: ["echo", "$(A)", "$$(A)", "$(MISSING)"],
        volumeMounts: [{ name: "v", mountPath: "/m", subPath: "sub/$(A)", readOnly: true }],
        resources: { requests: { cpu: "250m" }, limits: { cpu: "500m", memory: "64Mi" } },
        securityContext: { runAsUser: 1000, capabilities: { add: ["NET_ADMIN"] }, allowPrivilegeEscalation: false },
      },
    ],
  });
  const cc = containerConfig(p, { container: p.spec.containers[0]!, attempt: 3, env: [["A", "x"]], volumes: new Map([["v", "/host/v"]]), image: "busybox:1", memoryCapacity: 1024 ** 3 });
  assert.deepEqual(cc.command, ["echo", "x", "$(A)", "$(MISSING)"]);
  assert.deepEqual(cc.mounts?.[0], { container_path: "/m", host_path: "/host/v/sub/x", readonly: true, propagation: "PROPAGATION_PRIVATE" });
  assert.equal(cc.log_path, "c/3.log");
  assert.deepEqual(cc.linux?.resources, { cpu_shares: "256", cpu_quota: "50000", cpu_period: "100000", memory_limit_in_bytes: String(64 * 1024 * 1024), oom_score_adj: "938" });
  assert.deepEqual(cc.linux?.security_context?.run_as_user, { value: 1000 });
  assert.equal(cc.linux?.security_context?.no_new_privs, true);
  assert.throws(() => containerConfig(p, { container: { name: "c", volumeMounts: [{ name: "nope", mountPath: "/x" }] }, attempt: 0, env: [], volumes: new Map(), image: "i" }), /volume "nope"/);
  assert.deepEqual(containerResources({ name: "c" }), { cpu_shares: "2", cpu_quota: "0", cpu_period: "0", memory_limit_in_bytes: "0" });
  assert.equal(expandVars("a$$b$(X)", { X: "1" }), "a$b1");
});

test("QoS class, pull policy defaults, registry host", () => {
  assert.equal(qosClass(pod()), "BestEffort");
  assert.equal(qosClass(pod({ containers: [{ name: "c", resources: { limits: { cpu: "1", memory: "1Gi" } } }] })), "Guaranteed");
  assert.equal(qosClass(pod({ containers: [{ name: "c", resources: { requests: { cpu: "1" } } }] })), "Burstable");
  assert.equal(defaultPullPolicy("busybox"), "Always");
  assert.equal(defaultPullPolicy("busybox:latest"), "Always");
  assert.equal(defaultPullPolicy("reg:5000/busybox"), "Always");
  assert.equal(defaultPullPolicy("reg:5000/busybox:1.35"), "IfNotPresent");
  assert.equal(defaultPullPolicy("busybox@sha256:abc"), "IfNotPresent");
  assert.equal(registryHost("busybox"), "docker.io");
  assert.equal(registryHost("library/busybox"), "docker.io");
  assert.equal(registryHost("127.0.0.1:5000/x/y:1"), "127.0.0.1:5000");
});

test("downward API field paths and resource fields", () => {
  const p = pod({ nodeName: "n1", containers: [{ name: "c", resources: { limits: { memory: "128Mi" }, requests: { cpu: "100m" } } }] });
  assert.equal(fieldPathValue(p, { fieldPath: "metadata.labels['app']" }), "x");
  assert.equal(fieldPathValue(p, { fieldPath: "metadata.annotations" }), 'note="y"');
  assert.equal(fieldPathValue(p, { fieldPath: "spec.nodeName" }), "n1");
  assert.equal(fieldPathValue(p, { fieldPath: "status.podIP", podIP: "10.42.0.5" }), "10.42.0.5");
  assert.throws(() => fieldPathValue(p, { fieldPath: "spec.bogus" }), /unsupported fieldPath "spec\.bogus"/);
  assert.equal(resourceFieldValue(p, { resource: "limits.memory", containerName: "c", divisor: "1Mi" }), "128");
  assert.equal(resourceFieldValue(p, { resource: "requests.cpu", containerName: "c", divisor: "1m" }), "100");
  assert.equal(resourceFieldValue(p, { resource: "limits.cpu", containerName: "c", allocatable: { cpu: "2" } }), "2");
});

const view = (state: ContainerStatus["state"] | undefined, exit = 0, waiting?: string): ContainerView => ({
  spec: { name: "c" },
  status: state ? ({ state, exit_code: exit } as ContainerStatus) : undefined,
  restartCount: 0,
  waiting: waiting ? { reason: waiting } : undefined,
  ready: true,
  started: true,
});

test("pod phase follows upstream's rules", () => {
  const base = { sandboxReady: true, podIPs: [], hostIPs: [] };
  assert.equal(podPhase(pod(), { ...base, init: [], containers: [view(undefined)] }), "Pending");
  assert.equal(podPhase(pod(), { ...base, init: [view("CONTAINER_RUNNING")], containers: [view(undefined)] }), "Pending");
  assert.equal(podPhase(pod(), { ...base, init: [], containers: [view("CONTAINER_RUNNING")] }), "Running");
  assert.equal(podPhase(pod(), { ...base, init: [], containers: [view("CONTAINER_EXITED", 1, "CrashLoopBackOff")] }), "Running");
  assert.equal(podPhase(pod({ restartPolicy: "Never" }), { ...base, init: [], containers: [view("CONTAINER_EXITED", 0)] }), "Succeeded");
  assert.equal(podPhase(pod({ restartPolicy: "Never" }), { ...base, init: [], containers: [view("CONTAINER_EXITED", 2)] }), "Failed");
  assert.equal(podPhase(pod({ restartPolicy: "OnFailure" }), { ...base, init: [], containers: [view("CONTAINER_EXITED", 0)] }), "Succeeded");
  assert.equal(podPhase(pod({ restartPolicy: "Never" }), { ...base, init: [view("CONTAINER_EXITED", 1)], containers: [view(undefined)] }), "Failed");
});

test("back-off: first restart immediate, then 10s doubling to 300s, reset after a long run", () => {
  const b = new Backoff();
  assert.equal(b.waitMs(1000, 1000), 0);
  b.restarted(100);
  assert.equal(b.waitMs(1000, 1000), 10_000);
  b.restarted(100);
  assert.equal(b.delay, 20);
  for (let i = 0; i < 10; i++) b.restarted(100);
  assert.equal(b.delay, 300);
  b.restarted(11 * 60_000);
  assert.equal(b.delay, 10);
});

test("atomic volume writer swaps ..data and keeps links stable", () => {
  const dir = mkdtempSync(join(tmpdir(), "k3sts-atomic-"));
  try {
    assert.equal(writeAtomicDir(dir, [{ path: "a", data: "1" }, { path: "sub/b", data: "2" }]), true);
    assert.equal(readFileSync(join(dir, "a"), "utf8"), "1");
    assert.equal(readFileSync(join(dir, "sub", "b"), "utf8"), "2");
    assert.equal(readlinkSync(join(dir, "a")), "..data/a");
    const first = readlinkSync(join(dir, "..data"));
    assert.equal(writeAtomicDir(dir, [{ path: "a", data: "1" }, { path: "sub/b", data: "2" }]), false, "unchanged payload is not rewritten");
    writeAtomicDir(dir, [{ path: "a", data: "3" }]);
    assert.notEqual(readlinkSync(join(dir, "..data")), first);
    assert.equal(readFileSync(join(dir, "a"), "utf8"), "3");
    assert.deepEqual(readdirSync(dir).sort(), ["..data", readlinkSync(join(dir, "..data")), "a"].sort());
    assert.throws(() => writeAtomicDir(dir, [{ path: "../evil", data: "x" }]), /invalid volume file path/);
    writeFileSync(join(dir, "stray"), "x");
    writeAtomicDir(dir, [{ path: "a", data: "4" }]);
    assert.ok(!readdirSync(dir).includes("stray"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("OOM score by QoS: Guaranteed -997, BestEffort 1000, Burstable by memory request share, kept within 3..999", () => {
  const gi = 1024 ** 3;
  const c = (requests: Record<string, string>, limits: Record<string, string> = {}) => ({ name: "c", resources: { requests, limits } });
  const p = (x: ReturnType<typeof c> | { name: string }) => pod({ containers: [x] });
  assert.equal(oomScoreAdj(p(c({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" })), { container: c({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" }), memoryCapacity: 4 * gi }), -997);
  assert.equal(oomScoreAdj(p({ name: "c" }), { container: { name: "c" }, memoryCapacity: 4 * gi }), 1000);
  assert.equal(oomScoreAdj(p(c({ memory: "1Gi" })), { container: c({ memory: "1Gi" }), memoryCapacity: 4 * gi }), 750);
  assert.equal(oomScoreAdj(p(c({ memory: "8Gi" })), { container: c({ memory: "8Gi" }), memoryCapacity: 4 * gi }), 3);
  assert.equal(oomScoreAdj(p(c({ cpu: "1" })), { container: c({ cpu: "1" }), memoryCapacity: 4 * gi }), 999);
});
