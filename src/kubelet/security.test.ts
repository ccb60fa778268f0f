/**
 * Security context and resources against a real containerd + runc: the
 * container runs with the pod's user, group, supplemental groups and
 * fsGroup (which owns its volumes); readOnlyRootFilesystem, capabilities,
 * allowPrivilegeEscalation, seccomp RuntimeDefault and privileged reach the
 * process; runAsNonRoot refuses an image that runs as root
 * (CreateContainerConfigError); CPU and memory limits land in the container's
 * and the pod's cgroups (v1), under the pod's QoS tier, and the pod cgroup
 * goes with the pod.
 */
import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { totalmem } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BUSYBOX_IMAGE } from "../agent/images/mod.ts";
import { R } from "../client/mod.ts";
import { runAsNonRootViolation } from "./security.ts";
import { startKubeletTestEnv, waitFor, waitForPod, waitForPodGone, type KubeletTestEnv } from "./testenv.ts";
import type { KPod } from "./types.ts";

let env: KubeletTestEnv;

before(async () => {
  env = await startKubeletTestEnv();
});

after(async () => {
  await env?.cleanup();
});

function pod(name: string, spec: Partial<KPod["spec"]> & Pick<KPod["spec"], "containers">): KPod {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { nodeName: env.nodeName, terminationGracePeriodSeconds: 0, ...spec } };
}

async function logOf(name: string, container: string, until: string): Promise<string> {
  return waitFor(`log of ${name}/${container} to contain ${until}`, async () => {
    let out = "";
    for await (const chunk of env.kubelet.podLogStream({ namespace: "default", pod: name, container })) out += chunk.toString();
    return out.includes(until) ? out : undefined;
  }, 60_000);
}

function statusField(log: string, field: string): string {
  const m = new RegExp(`^${field}:\\s*(\\S+)`, "m").exec(log);
  assert.ok(m, `${field} in ${JSON.stringify(log)}`);
  return m[1]!;
}

async function remove(name: string): Promise<void> {
  await env.client.delete(R.pods, "default", name, { gracePeriodSeconds: 0 });
  await waitForPodGone(env, name);
}

const SHOW = "id; grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status; touch /probe-root 2>&1 || true; echo done";

test("user, groups and fsGroup: the process runs as runAsUser/runAsGroup with supplemental groups; fsGroup owns emptyDir and configMap volumes", async () => {
  await env.client.create(R.configmaps, "default", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "sec-cm" }, data: { key: "v" } });
  await env.client.create(
    R.pods,
    "default",
    pod("sec-user", {
      securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000] },
      containers: [
        {
          name: "main",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", `${SHOW}; touch /data/f && stat -c 'data-gid=%g' /data/f; stat -L -c 'cm-gid=%g' /cfg/key; echo end; sleep 3600`],
          volumeMounts: [
            { name: "data", mountPath: "/data" },
            { name: "cfg", mountPath: "/cfg" },
          ],
        },
      ],
      volumes: [
        { name: "data", emptyDir: {} },
        { name: "cfg", configMap: { name: "sec-cm" } },
      ],
    }),
  );
  const log = await logOf("sec-user", "main", "end");
  assert.match(log, /^uid=1000 gid=3000 groups=/m);
  const groups = /groups=(\S+)/.exec(log)![1]!.split(",").map((g) => g.replace(/\(.*\)$/, ""));
  assert.ok(groups.includes("2000") && groups.includes("4000"), `fsGroup and supplemental group in ${groups.join(",")}`);
  assert.match(log, /^data-gid=2000$/m, "a file created in the emptyDir belongs to the fsGroup (setgid directory)");
  assert.match(log, /^cm-gid=2000$/m);
  await remove("sec-user");
});

test("readOnlyRootFilesystem, capabilities, allowPrivilegeEscalation and seccomp reach the process; privileged gets every capability", async () => {
  await env.client.create(
    R.pods,
    "default",
    pod("sec-caps", {
      containers: [
        {
          name: "locked",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", `${SHOW}; touch /scratch/ok && echo scratch-writable; sleep 3600`],
          securityContext: {
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] },
            seccompProfile: { type: "RuntimeDefault" },
          },
          volumeMounts: [{ name: "scratch", mountPath: "/scratch" }],
        },
        { name: "plain", image: BUSYBOX_IMAGE, command: ["sh", "-c", `${SHOW}; sleep 3600`] },
        { name: "priv", image: BUSYBOX_IMAGE, command: ["sh", "-c", `${SHOW}; sleep 3600`], securityContext: { privileged: true } },
      ],
      volumes: [{ name: "scratch", emptyDir: {} }],
    }),
  );
  const locked = await logOf("sec-caps", "locked", "scratch-writable");
  assert.match(locked, /probe-root: Read-only file system/);
  assert.equal(BigInt(`0x${statusField(locked, "CapEff")}`), 1n << 12n, "only CAP_NET_ADMIN (12) is left");
  assert.equal(statusField(locked, "NoNewPrivs"), "1");
  assert.equal(statusField(locked, "Seccomp"), "2", "filtered by the runtime's default profile");

  const plain = await logOf("sec-caps", "plain", "done");
  assert.doesNotMatch(plain, /Read-only file system/);
  assert.equal(statusField(plain, "NoNewPrivs"), "0");
  const plainCaps = BigInt(`0x${statusField(plain, "CapEff")}`);
  assert.equal(plainCaps & (1n << 12n), 0n, "no NET_ADMIN by default");

  const priv = await logOf("sec-caps", "priv", "done");
  const bounding = BigInt(`0x${statusField(readFileSync("/proc/self/status", "utf8"), "CapBnd")}`);
  assert.equal(BigInt(`0x${statusField(priv, "CapEff")}`), bounding, "privileged: every capability of the host's bounding set");
  assert.equal(statusField(priv, "Seccomp"), "0");
  await remove("sec-caps");
});

test("runAsNonRoot refuses an image that runs as root with CreateContainerConfigError; with a non-root runAsUser it runs", async () => {
  await env.client.create(
    R.pods,
    "default",
    pod("nonroot", {
      securityContext: { runAsNonRoot: true },
      containers: [
        { name: "root-image", image: BUSYBOX_IMAGE, command: ["sleep", "3600"] },
        { name: "as-user", image: BUSYBOX_IMAGE, command: ["sleep", "3600"], securityContext: { runAsUser: 1001 } },
      ],
    }),
  );
  const p = await waitForPod(env, "nonroot", "config error on one container, the other running", (x) => {
    const cs = x.status?.containerStatuses ?? [];
    return cs.find((c) => c.name === "root-image")?.state.waiting?.reason === "CreateContainerConfigError" && cs.find((c) => c.name === "as-user")?.state.running !== undefined;
  });
  const waiting = p.status!.containerStatuses!.find((c) => c.name === "root-image")!.state.waiting!;
  assert.equal(waiting.message, `container has runAsNonRoot and image will run as root (pod: "nonroot_default(${p.metadata.uid})", container: root-image)`);
  await remove("nonroot");
});

function cg(hierarchy: string, path: string, file: string): string {
  return readFileSync(join("/sys/fs/cgroup", hierarchy, path, file), "utf8").trim();
}

test("CPU and memory limits reach the container's cgroup and, summed, the pod's cgroup under its QoS tier; the pod cgroup goes with the pod", async () => {
  await env.client.create(
    R.pods,
    "default",
    pod("res", {
      containers: [
        { name: "a", image: BUSYBOX_IMAGE, command: ["sleep", "3600"], resources: { requests: { cpu: "250m", memory: "32Mi" }, limits: { cpu: "500m", memory: "64Mi" } } },
        { name: "b", image: BUSYBOX_IMAGE, command: ["sleep", "3600"], resources: { requests: { cpu: "100m", memory: "16Mi" }, limits: { cpu: "200m", memory: "16Mi" } } },
      ],
    }),
  );
  const p = await waitForPod(env, "res", "running", (x) => x.status?.phase === "Running" && (x.status.containerStatuses ?? []).every((c) => c.state.running));
  assert.equal(p.status?.qosClass, "Burstable");
  const podCg = `${env.cgroupRoot}/burstable/pod${p.metadata.uid}`;
  const a = p.status!.containerStatuses!.find((c) => c.name === "a")!.containerID!.replace("containerd://", "");
  assert.equal(cg("memory", `${podCg}/${a}`, "memory.limit_in_bytes"), String(64 * 1024 * 1024));
  assert.equal(cg("cpu", `${podCg}/${a}`, "cpu.cfs_quota_us"), "50000");
  assert.equal(cg("cpu", `${podCg}/${a}`, "cpu.cfs_period_us"), "100000");
  assert.equal(cg("cpu", `${podCg}/${a}`, "cpu.shares"), "256");
  const oom = async (id: string): Promise<number> => Number((await env.rt.cri.execSync(id, { cmd: ["cat", "/proc/1/oom_score_adj"], timeoutSeconds: 5 })).stdout.toString().trim());
  assert.equal(await oom(a), 1000 - Math.floor((1000 * 32 * 1024 * 1024) / totalmem()), "Burstable: OOM score by the memory request's share of the node");
  assert.equal(cg("memory", podCg, "memory.limit_in_bytes"), String(80 * 1024 * 1024), "the pod's memory limit is the sum of its containers'");
  assert.equal(cg("cpu", podCg, "cpu.cfs_quota_us"), "70000");
  assert.equal(cg("cpu", podCg, "cpu.shares"), String(Math.floor(0.35 * 1024)));
  await remove("res");
  // a zero-grace delete removes the object at once; the kubelet tears down after
  await waitFor("pod cgroups removed", async () => (existsSync(join("/sys/fs/cgroup/memory", podCg)) || existsSync(join("/sys/fs/cgroup/cpu", podCg)) ? undefined : true), 15_000);

  await env.client.create(R.pods, "default", pod("res-be", { containers: [{ name: "a", image: BUSYBOX_IMAGE, command: ["sleep", "3600"] }] }));
  const be = await waitForPod(env, "res-be", "running", (x) => x.status?.containerStatuses?.[0]?.state.running !== undefined);
  assert.equal(cg("cpu", `${env.cgroupRoot}/besteffort/pod${be.metadata.uid}`, "cpu.shares"), "2");
  assert.equal(await oom(be.status!.containerStatuses![0]!.containerID!.replace("containerd://", "")), 1000, "BestEffort goes first under memory pressure");
  await remove("res-be");

  const both = { cpu: "100m", memory: "32Mi" };
  await env.client.create(R.pods, "default", pod("res-g", { containers: [{ name: "a", image: BUSYBOX_IMAGE, command: ["sleep", "3600"], resources: { requests: both, limits: both } }] }));
  const g = await waitForPod(env, "res-g", "running", (x) => x.status?.containerStatuses?.[0]?.state.running !== undefined);
  assert.equal(g.status?.qosClass, "Guaranteed");
  assert.equal(cg("memory", `${env.cgroupRoot}/pod${g.metadata.uid}`, "memory.limit_in_bytes"), String(32 * 1024 * 1024), "Guaranteed pods sit directly under the root");
  // -997 asked; restrict_oom_score_adj clamps it to containerd's own score
  const ctdScore = Number(readFileSync(`/proc/${env.rt.containerd.pid()}/oom_score_adj`, "utf8").trim());
  assert.equal(await oom(g.status!.containerStatuses![0]!.containerID!.replace("containerd://", "")), Math.max(-997, ctdScore));
  await remove("res-g");
});

test("runAsNonRoot rules as upstream: runAsUser 0 breaks it, a numeric image user decides, a named image user cannot be verified", () => {
  const p = (sc: KPod["spec"]["securityContext"]): KPod => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "ns", uid: "u" }, spec: { securityContext: sc, containers: [] } });
  const c = { name: "c" };
  const img = (uid: string | null, username = "") => ({ id: "sha256:x", repo_tags: [], repo_digests: [], size: "0", uid: uid === null ? null : { value: uid }, username, pinned: false });
  assert.equal(runAsNonRootViolation(p({}), { container: c, image: img("0") }), undefined, "not asked for");
  assert.equal(runAsNonRootViolation(p({ runAsNonRoot: true, runAsUser: 0 }), { container: c, image: img("1000") }), `container's runAsUser breaks non-root policy (pod: "p_ns(u)", container: c)`);
  assert.equal(runAsNonRootViolation(p({ runAsNonRoot: true, runAsUser: 5 }), { container: c, image: img("0") }), undefined);
  assert.equal(runAsNonRootViolation(p({ runAsNonRoot: true }), { container: c, image: img("1000") }), undefined);
  assert.match(runAsNonRootViolation(p({ runAsNonRoot: true }), { container: c, image: img("0") }) ?? "", /image will run as root/);
  assert.match(runAsNonRootViolation(p({ runAsNonRoot: true }), { container: c, image: img(null) }) ?? "", /image will run as root/, "no user in the image is root");
  assert.match(runAsNonRootViolation(p({ runAsNonRoot: true }), { container: c, image: img(null, "nobody") }) ?? "", /non-numeric user \(nobody\), cannot verify/);
  assert.equal(runAsNonRootViolation(p({ runAsNonRoot: true }), { container: { name: "c", securityContext: { runAsUser: 7 } }, image: img("0") }), undefined, "the container's runAsUser wins");
});
