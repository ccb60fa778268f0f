/**
 * Volumes against a real containerd: emptyDir medium Memory is a tmpfs of
 * sizeLimit (a bigger write fails; unmounted when the pod goes); hostPath
 * types are checked (a missing Directory holds the pod in FailedMount until
 * it appears; *OrCreate create; Socket wants a socket); subPath mounts
 * create their path and refuse a symlink out of the volume; a PVC bound to a
 * hostPath or local PV mounts the PV's path, read-only when the claim says so.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BUSYBOX_IMAGE } from "../agent/images/mod.ts";
import { R } from "../client/mod.ts";
import { eventsFor, startKubeletTestEnv, waitFor, waitForPod, waitForPodGone, type KubeletTestEnv } from "./testenv.ts";
import type { KPod } from "./types.ts";

let env: KubeletTestEnv;
let sock: Server | undefined;

before(async () => {
  env = await startKubeletTestEnv();
});

after(async () => {
  sock?.close();
  await env?.cleanup();
});

function pod(name: string, spec: Partial<KPod["spec"]> & Pick<KPod["spec"], "containers">): KPod {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { nodeName: env.nodeName, terminationGracePeriodSeconds: 0, ...spec } };
}

async function logOf(name: string, until: string): Promise<string> {
  return waitFor(`log of ${name} to contain ${until}`, async () => {
    let out = "";
    for await (const chunk of env.kubelet.podLogStream({ namespace: "default", pod: name })) out += chunk.toString();
    return out.includes(until) ? out : undefined;
  }, 60_000);
}

async function remove(name: string): Promise<void> {
  await env.client.delete(R.pods, "default", name, { gracePeriodSeconds: 0 });
  await waitForPodGone(env, name);
}

const mounted = (path: string): boolean => readFileSync("/proc/self/mounts", "utf8").split("\n").some((l) => l.split(" ")[1] === path);

test("emptyDir medium Memory is a tmpfs of its sizeLimit, unmounted when the pod goes", async () => {
  await env.client.create(
    R.pods,
    "default",
    pod("mem", {
      containers: [
        {
          name: "main",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", "grep ' /mem ' /proc/mounts; dd if=/dev/zero of=/mem/a bs=1048576 count=4 2>/dev/null && echo small-ok; dd if=/dev/zero of=/mem/b bs=1048576 count=16 2>&1 | tail -n 3; echo end; sleep 3600"],
          volumeMounts: [{ name: "mem", mountPath: "/mem" }],
        },
      ],
      volumes: [{ name: "mem", emptyDir: { medium: "Memory", sizeLimit: "8Mi" } }],
    }),
  );
  const log = await logOf("mem", "end");
  assert.match(log, /^tmpfs \/mem tmpfs .*size=8192k/m);
  assert.match(log, /small-ok/);
  assert.match(log, /No space left on device/, "a write beyond sizeLimit fails");
  const p = await env.client.get<KPod>(R.pods, "default", "mem");
  const hostDir = join(env.dir, "kubelet", "pods", p.metadata.uid!, "volumes", "kubernetes.io~empty-dir", "mem");
  assert.ok(mounted(hostDir), "tmpfs mounted on the host while the pod runs");
  await remove("mem");
  await waitFor("tmpfs unmounted", async () => (mounted(hostDir) ? undefined : true), 15_000);
});

test("hostPath types: a missing Directory is a FailedMount until it appears; OrCreate types create; File and Socket are checked", async () => {
  const base = join(env.dir, "hostpaths");
  mkdirSync(base);
  writeFileSync(join(base, "file"), "a file\n");
  sock = createServer();
  await new Promise<void>((r) => sock!.listen(join(base, "sock"), r));
  await env.client.create(
    R.pods,
    "default",
    pod("hostpaths", {
      containers: [
        {
          name: "main",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", "test -d /dir && test -f /file && test -S /sock && test -d /dcreated && test -f /fcreated && test -c /null && echo all-good; sleep 3600"],
          volumeMounts: ["dir", "file", "sock", "dcreated", "fcreated", "null"].map((n) => ({ name: n, mountPath: `/${n}` })),
        },
      ],
      volumes: [
        { name: "dir", hostPath: { path: join(base, "later"), type: "Directory" } },
        { name: "file", hostPath: { path: join(base, "file"), type: "File" } },
        { name: "sock", hostPath: { path: join(base, "sock"), type: "Socket" } },
        { name: "dcreated", hostPath: { path: join(base, "new", "dir"), type: "DirectoryOrCreate" } },
        { name: "fcreated", hostPath: { path: join(base, "new-file"), type: "FileOrCreate" } },
        { name: "null", hostPath: { path: "/dev/null", type: "CharDevice" } },
      ],
    }),
  );
  const ev = await waitFor("FailedMount for the missing directory", async () => (await eventsFor(env, "hostpaths")).find((e) => e.reason === "FailedMount"));
  assert.match(ev.message, /hostPath type check failed: .*later is not a directory/);
  const waiting = await env.client.get<KPod>(R.pods, "default", "hostpaths");
  assert.equal(waiting.status?.containerStatuses?.[0]?.state.waiting?.reason, "ContainerCreating");
  mkdirSync(join(base, "later"));
  assert.match(await logOf("hostpaths", "all-good"), /all-good/);
  assert.ok(statSync(join(base, "new", "dir")).isDirectory());
  assert.ok(statSync(join(base, "new-file")).isFile());
  await remove("hostpaths");

  for (const [type, path, why] of [
    ["Socket", join(base, "file"), /is not a socket/],
    ["BlockDevice", "/dev/null", /is not a block device/],
  ] as const) {
    const name = `hostpath-not-${type.toLowerCase()}`;
    await env.client.create(
      R.pods,
      "default",
      pod(name, {
        containers: [{ name: "main", image: BUSYBOX_IMAGE, command: ["sleep", "3600"], volumeMounts: [{ name: "v", mountPath: "/v" }] }],
        volumes: [{ name: "v", hostPath: { path, type } }],
      }),
    );
    const ev = await waitFor(`FailedMount for ${path} as ${type}`, async () => (await eventsFor(env, name)).find((e) => e.reason === "FailedMount"));
    assert.match(ev.message, why);
    await remove(name);
  }
});

test("subPath mounts create their path inside the volume and refuse a symlink that leads out", async () => {
  const vol = join(env.dir, "subvol");
  mkdirSync(vol);
  symlinkSync("/etc", join(vol, "escape"));
  await env.client.create(
    R.pods,
    "default",
    pod("subpath", {
      containers: [
        {
          name: "main",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", "echo written > /sub/x && echo end; sleep 3600"],
          volumeMounts: [{ name: "v", mountPath: "/sub", subPath: "a/b" }],
        },
      ],
      volumes: [{ name: "v", hostPath: { path: vol } }],
    }),
  );
  await logOf("subpath", "end");
  assert.equal(readFileSync(join(vol, "a", "b", "x"), "utf8"), "written\n");
  await remove("subpath");

  await env.client.create(
    R.pods,
    "default",
    pod("subpath-escape", {
      containers: [{ name: "main", image: BUSYBOX_IMAGE, command: ["sleep", "3600"], volumeMounts: [{ name: "v", mountPath: "/sub", subPath: "escape/inner" }] }],
      volumes: [{ name: "v", hostPath: { path: vol } }],
    }),
  );
  const p = await waitForPod(env, "subpath-escape", "CreateContainerConfigError", (x) => x.status?.containerStatuses?.[0]?.state.waiting?.reason === "CreateContainerConfigError");
  assert.match(p.status!.containerStatuses![0]!.state.waiting!.message ?? "", /not within volume path/);
  assert.equal(existsSync("/etc/inner"), false, "nothing was created outside the volume");
  await remove("subpath-escape");
});

test("a PVC bound to a hostPath PV or a local PV mounts the PV's path; readOnly claims mount read-only; an unbound claim is a FailedMount", async () => {
  const hp = join(env.dir, "pv-hostpath");
  const local = join(env.dir, "pv-local");
  mkdirSync(local);
  await env.client.create(R.persistentvolumes, undefined, {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: `pv-hp-${process.pid}` },
    spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: hp, type: "DirectoryOrCreate" }, persistentVolumeReclaimPolicy: "Retain" },
  });
  await env.client.create(R.persistentvolumes, undefined, {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: `pv-local-${process.pid}` },
    spec: {
      capacity: { storage: "1Gi" },
      accessModes: ["ReadWriteOnce"],
      local: { path: local },
      persistentVolumeReclaimPolicy: "Retain",
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [env.nodeName] }] }] } },
    },
  });
  for (const [claim, pv] of [
    ["claim-hp", `pv-hp-${process.pid}`],
    ["claim-local", `pv-local-${process.pid}`],
    ["claim-unbound", ""],
  ] as const) {
    await env.client.create(R.persistentvolumeclaims, "default", {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: claim },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...(pv ? { volumeName: pv } : {}) },
    });
  }
  await env.client.create(
    R.pods,
    "default",
    pod("pvc", {
      containers: [
        {
          name: "main",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", "echo on-hostpath > /hp/f; echo on-local > /local/f; touch /ro/f 2>&1; echo end; sleep 3600"],
          volumeMounts: [
            { name: "hp", mountPath: "/hp" },
            { name: "local", mountPath: "/local" },
            { name: "ro", mountPath: "/ro" },
          ],
        },
      ],
      volumes: [
        { name: "hp", persistentVolumeClaim: { claimName: "claim-hp" } },
        { name: "local", persistentVolumeClaim: { claimName: "claim-local" } },
        { name: "ro", persistentVolumeClaim: { claimName: "claim-local", readOnly: true } },
      ],
    }),
  );
  const log = await logOf("pvc", "end");
  assert.equal(readFileSync(join(hp, "f"), "utf8"), "on-hostpath\n");
  assert.equal(readFileSync(join(local, "f"), "utf8"), "on-local\n");
  assert.match(log, /\/ro\/f: Read-only file system/);
  await remove("pvc");

  await env.client.create(
    R.pods,
    "default",
    pod("pvc-unbound", {
      containers: [{ name: "main", image: BUSYBOX_IMAGE, command: ["sleep", "3600"], volumeMounts: [{ name: "v", mountPath: "/v" }] }],
      volumes: [{ name: "v", persistentVolumeClaim: { claimName: "claim-unbound" } }],
    }),
  );
  const ev = await waitFor("FailedMount for the unbound claim", async () => (await eventsFor(env, "pvc-unbound")).find((e) => e.reason === "FailedMount"));
  assert.match(ev.message, /persistentvolumeclaim "claim-unbound" is not bound/);
  await remove("pvc-unbound");
});

test("a disk emptyDir written past its sizeLimit gets the pod evicted (Failed, Evicted) and its containers stopped", async () => {
  await env.client.create(
    R.pods,
    "default",
    pod("evict", {
      containers: [
        {
          name: "main",
          image: BUSYBOX_IMAGE,
          command: ["sh", "-c", "dd if=/dev/zero of=/data/big bs=1048576 count=3 && sync && echo wrote; sleep 3600"],
          volumeMounts: [{ name: "data", mountPath: "/data" }],
        },
      ],
      volumes: [{ name: "data", emptyDir: { sizeLimit: "1Mi" } }],
    }),
  );
  const p = await waitForPod(env, "evict", "evicted", (x) => x.status?.phase === "Failed", 40_000);
  assert.equal(p.status?.reason, "Evicted");
  assert.equal(p.status?.message, 'Usage of EmptyDir volume "data" exceeds the limit "1Mi". ');
  await waitForPod(env, "evict", "container stopped", (x) => x.status?.containerStatuses?.[0]?.state.terminated !== undefined, 20_000);
  const ev = (await eventsFor(env, "evict")).find((e) => e.reason === "Evicted");
  assert.equal(ev?.type, "Warning");
  await remove("evict");
});
