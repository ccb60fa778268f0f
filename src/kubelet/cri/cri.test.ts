import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BUSYBOX_IMAGE, PAUSE_IMAGE } from "../../agent/images/mod.ts";
import { CriError } from "./client.ts";
import { startTestRuntime, type TestRuntime } from "./fixture.ts";
import { criTimestampToRFC3339, parseCriLogLine } from "./log.ts";
import type { PodSandboxConfig } from "./types.ts";

let rt: TestRuntime;
before(async () => {
  rt = await startTestRuntime();
});
after(async () => {
  await rt?.cleanup();
});

test("Version and Status answer; RuntimeConfig falls back to cgroupfs", async () => {
  const v = await rt.cri.version();
  assert.equal(v.runtime_name, "containerd");
  assert.match(v.runtime_version, /^v?\d+\.\d+/);
  const conds = await rt.cri.status();
  assert.ok(conds.find((c) => c.type === "RuntimeReady")?.status);
  assert.equal(await rt.cri.cgroupDriver(), "CGROUPFS");
});

test("images: ImageStatus finds imported images, a missing one is null, pulling an unknown registry fails", async () => {
  const img = await rt.cri.imageStatus(BUSYBOX_IMAGE);
  assert.ok(img);
  assert.ok(img.repo_tags.includes(BUSYBOX_IMAGE));
  assert.match(img.id, /^sha256:/);
  assert.ok(BigInt(img.size) > 1_000_000n);
  assert.equal(await rt.cri.imageStatus("docker.io/k3s-ts/absent:0"), null);
  await assert.rejects(rt.cri.pullImage("127.0.0.1:1/nope:1"), (e: unknown) => e instanceof CriError && /nope/.test(e.message));
  assert.ok((await rt.cri.listImages()).some((i) => i.repo_tags.includes(PAUSE_IMAGE)));
});

test("a busybox pod runs on the bridge, writes its CRI log, and ExecSync works", async () => {
  const uid = "00000000-0000-0000-0000-" + Date.now().toString().padStart(12, "0").slice(-12);
  const logDir = join(rt.containerd.dir, "pods", `default_busy_${uid}`);
  mkdirSync(join(logDir, "c"), { recursive: true });
  const sandboxConfig: PodSandboxConfig = {
    metadata: { name: "busy", uid, namespace: "default", attempt: 0 },
    hostname: "busy",
    log_directory: logDir,
    dns_config: { servers: ["10.43.0.10"], searches: ["default.svc.cluster.local"], options: ["ndots:5"] },
    labels: { "io.kubernetes.pod.name": "busy" },
    linux: { security_context: { namespace_options: { network: "POD", pid: "CONTAINER", ipc: "POD" } } },
  };
  const sandbox = await rt.cri.runPodSandbox(sandboxConfig);
  const ss = await rt.cri.podSandboxStatus(sandbox);
  assert.equal(ss.state, "SANDBOX_READY");
  const ip = ss.network?.ip ?? "";
  const prefix = rt.podCIDR.split(".").slice(0, 3).join(".") + ".";
  assert.ok(ip.startsWith(prefix), `pod ip ${ip} not in ${rt.podCIDR}`);
  assert.match(criTimestampToRFC3339(ss.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(BigInt(ss.created_at) > 1_600_000_000_000_000_000n, "int64 nanoseconds kept exactly");

  const id = await rt.cri.createContainer({
    pod_sandbox_id: sandbox,
    sandbox_config: sandboxConfig,
    config: {
      metadata: { name: "c", attempt: 0 },
      image: { image: BUSYBOX_IMAGE },
      command: ["sh", "-c"],
      args: ['echo "hello $GREETING"; echo oops >&2; exec sleep 1000'],
      envs: [{ key: "GREETING", value: "world" }],
      log_path: "c/0.log",
    },
  });
  await rt.cri.startContainer(id);
  const st = await rt.cri.containerStatus(id);
  assert.equal(st.state, "CONTAINER_RUNNING");
  assert.equal(st.log_path, join(logDir, "c/0.log"));

  const logFile = join(logDir, "c", "0.log");
  const deadline = Date.now() + 10_000;
  let lines: ReturnType<typeof parseCriLogLine>[] = [];
  while (Date.now() < deadline) {
    if (existsSync(logFile)) {
      lines = readFileSync(logFile, "utf8").split("\n").filter(Boolean).map(parseCriLogLine);
      if (lines.length >= 2) break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(
    lines.map((l) => l && [l.stream, l.partial, l.text]).sort(),
    [["stderr", false, "oops"], ["stdout", false, "hello world"]],
  );

  const r = await rt.cri.execSync(id, { cmd: ["sh", "-c", "cat /etc/resolv.conf; hostname; exit 3"], timeoutSeconds: 10 });
  assert.equal(r.exit_code, 3);
  const out = r.stdout.toString();
  assert.match(out, /nameserver 10\.43\.0\.10/);
  assert.match(out, /search default\.svc\.cluster\.local/);
  assert.match(out, /\nbusy\n$/);

  const url = await rt.cri.exec({ container_id: id, cmd: ["sh"], stdin: true, stdout: true });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/exec\//);

  const stats = await rt.cri.containerStats(id);
  assert.ok(stats.memory?.working_set_bytes);

  await rt.cri.stopContainer(id, 1);
  const stopped = await rt.cri.containerStatus(id);
  assert.equal(stopped.state, "CONTAINER_EXITED");
  assert.equal(stopped.exit_code, 143, "SIGTERM ends it within the grace period");
  await rt.cri.removeContainer(id);
  await assert.rejects(rt.cri.containerStatus(id), (e: unknown) => e instanceof CriError && e.notFound);
  await rt.cri.stopPodSandbox(sandbox);
  await rt.cri.removePodSandbox(sandbox);
  assert.equal((await rt.cri.listPodSandbox()).length, 0);
});

test("image GC removes unused images over the threshold and keeps images in use and the sandbox image", async () => {
  const { ociArchive, writeTar, importImages } = await import("../../agent/images/mod.ts");
  const { writeFileSync, mkdirSync: mk } = await import("node:fs");
  const extraDir = join(rt.containerd.dir, "extra-images");
  mk(extraDir, { recursive: true });
  writeFileSync(join(extraDir, "x.tar"), ociArchive([{ name: "docker.io/k3s-ts/unused:1", layers: [writeTar([{ name: "f", type: "file", data: Buffer.alloc(4096, 7) }])], config: { cmd: ["/f"] } }]));
  await importImages({ socket: rt.containerd.socket, dir: extraDir });
  assert.ok(await rt.cri.imageStatus("docker.io/k3s-ts/unused:1"));
  // a running container keeps busybox in use
  const sb = await rt.cri.runPodSandbox({ metadata: { name: "gc", uid: "gc-uid", namespace: "default", attempt: 0 }, linux: { security_context: { namespace_options: { network: "NODE" } } } });
  const id = await rt.cri.createContainer({ pod_sandbox_id: sb, sandbox_config: { metadata: { name: "gc", uid: "gc-uid", namespace: "default" } }, config: { metadata: { name: "c" }, image: { image: BUSYBOX_IMAGE }, command: ["sleep", "60"] } });
  try {
    const { collectImages } = await import("../imagegc.ts");
    const r = await collectImages(rt.cri, { imageFsPath: rt.containerd.dir, highThresholdPercent: 0, lowThresholdPercent: 0, keep: [PAUSE_IMAGE] });
    assert.deepEqual(r.removed, ["docker.io/k3s-ts/unused:1"]);
    assert.equal(await rt.cri.imageStatus("docker.io/k3s-ts/unused:1"), null);
    assert.ok(await rt.cri.imageStatus(BUSYBOX_IMAGE));
    assert.ok(await rt.cri.imageStatus(PAUSE_IMAGE));
    const none = await collectImages(rt.cri, { imageFsPath: rt.containerd.dir, highThresholdPercent: 100 });
    assert.deepEqual(none.removed, []);
  } finally {
    await rt.cri.removeContainer(id);
    await rt.cri.stopPodSandbox(sb);
    await rt.cri.removePodSandbox(sb);
  }
});

test("log rotation renames a full log, the runtime reopens it, and old files are pruned", async () => {
  const { rotateContainerLogs } = await import("../logrotate.ts");
  const { readdirSync } = await import("node:fs");
  const logDir = join(rt.containerd.dir, "rot");
  mkdirSync(join(logDir, "c"), { recursive: true });
  const cfg = { metadata: { name: "rot", uid: "rot-uid", namespace: "default" }, log_directory: logDir, linux: { security_context: { namespace_options: { network: "NODE" as const } } } };
  const sb = await rt.cri.runPodSandbox(cfg);
  const id = await rt.cri.createContainer({ pod_sandbox_id: sb, sandbox_config: cfg, config: { metadata: { name: "c" }, image: { image: BUSYBOX_IMAGE }, command: ["sh", "-c", "i=0; while :; do i=$((i+1)); echo line-$i; sleep 0.05; done"], log_path: "c/0.log" } });
  await rt.cri.startContainer(id);
  try {
    for (let round = 0; round < 3; round++) {
      await new Promise((r) => setTimeout(r, 400));
      const rotated = await rotateContainerLogs(rt.cri, { maxSizeBytes: 10, maxFiles: 2 });
      assert.equal(rotated.length, 1);
    }
    await new Promise((r) => setTimeout(r, 400));
    const files = readdirSync(join(logDir, "c")).sort();
    assert.equal(files.length, 2, `live file plus one rotation: ${files.join(", ")}`);
    assert.equal(files[0], "0.log");
    assert.match(readFileSync(join(logDir, "c", "0.log"), "utf8"), /stdout F line-\d+/, "the runtime writes into the reopened file");
  } finally {
    await rt.cri.stopPodSandbox(sb);
    await rt.cri.removePodSandbox(sb);
  }
});

test("parseCriLogLine reads variable-width timestamps and partial lines", () => {
  const l = parseCriLogLine("2024-01-02T03:04:05.1Z stdout P part of a line");
  assert.deepEqual(l && [l.stream, l.partial, l.text, l.timeMs], ["stdout", true, "part of a line", Date.UTC(2024, 0, 2, 3, 4, 5, 100)]);
  assert.equal(parseCriLogLine("2024-01-02T03:04:05.123456789+00:00 stderr F ")?.text, "");
  assert.equal(parseCriLogLine("garbage"), undefined);
});
