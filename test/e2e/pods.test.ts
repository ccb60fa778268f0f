/**
 * e2e (slow group): `k3s server` with its in-process agent runs real pods in
 * containerd + runc, and kubectl reaches them (issue 7's "Shows").
 * Run alone: ./scripts/test.sh test/e2e/pods.test.ts
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventually, freePort, startServer, type RunningServer } from "./harness.ts";

const IMAGE = "docker.io/k3s-ts/busybox:1.35";

describe("pods on the in-process agent", { timeout: 600_000 }, () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ keepDataDir: true, timeoutMs: 120_000 });
  });
  after(async () => {
    if (!server) return;
    server.kubectl(["delete", "deployment", "--all", "--wait=false"]);
    server.kubectl(["delete", "pod", "--all", "--grace-period=1"]);
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  });

  const jsonpath = (args: string[], path: string) => server.kubectl([...args, "-o", `jsonpath=${path}`]).stdout;

  it("registers the node Ready with k3s's labels", async () => {
    await eventually(() => jsonpath(["get", "nodes"], '{.items[0].status.conditions[?(@.type=="Ready")].status}') === "True", 60_000, "node Ready");
    const labels = JSON.parse(server.kubectl(["get", "nodes", "-o", "jsonpath={.items[0].metadata.labels}"]).stdout);
    assert.equal(labels["node-role.kubernetes.io/control-plane"], "true");
    assert.equal(labels["node.kubernetes.io/instance-type"], "k3s");
    assert.match(jsonpath(["get", "nodes"], "{.items[0].status.nodeInfo.containerRuntimeVersion}"), /^containerd:\/\//);
  });

  it("runs a Deployment of the imported busybox image", async () => {
    const r = server.kubectl(["create", "deployment", "web", `--image=${IMAGE}`, "--replicas=2", "--", "sh", "-c", "echo started; exec httpd -f -p 8080 -h /etc"]);
    assert.equal(r.status, 0, r.stderr);
    await eventually(() => jsonpath(["get", "deployment", "web"], "{.status.availableReplicas}") === "2", 90_000, "2 available replicas");
    const ips = jsonpath(["get", "pods", "-l", "app=web"], "{.items[*].status.podIP}").split(" ");
    assert.equal(ips.length, 2);
    for (const ip of ips) assert.match(ip, /^10\.42\.0\.\d+$/);
  });

  it("serves kubectl logs, with follow and tail", async () => {
    const r = server.kubectl(["run", "counter", `--image=${IMAGE}`, "--restart=Never", "--", "sh", "-c", "for i in 1 2 3 4 5; do echo line $i; sleep 0.2; done"]);
    assert.equal(r.status, 0, r.stderr);
    await eventually(() => jsonpath(["get", "pod", "counter"], "{.status.phase}") === "Succeeded", 60_000, "counter Succeeded");
    assert.equal(server.kubectl(["logs", "counter"]).stdout, "line 1\nline 2\nline 3\nline 4\nline 5\n");
    assert.equal(server.kubectl(["logs", "counter", "--tail=2"]).stdout, "line 4\nline 5\n");
    const follow = server.kubectl(["logs", "-f", "counter"]);
    assert.equal(follow.status, 0, follow.stderr);
    assert.match(follow.stdout, /line 5\n$/);
    assert.match(server.kubectl(["logs", "counter", "--timestamps", "--tail=1"]).stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line 5\n$/);
  });

  it("execs into a container, with exit codes, a TTY and kubectl cp", () => {
    const pod = jsonpath(["get", "pods", "-l", "app=web"], "{.items[0].metadata.name}");
    const r = server.kubectl(["exec", pod, "--", "sh", "-c", "echo out; echo err >&2; exit 4"]);
    assert.equal(r.status, 4);
    assert.equal(r.stdout, "out\n");
    assert.match(r.stderr, /err\n/);
    const piped = server.kubectl(["exec", "-i", pod, "--", "sh", "-c", "tr a-z A-Z"], "shout\n");
    assert.equal(piped.stdout, "SHOUT\n");
    const tty = spawnSync("script", ["-qc", `kubectl --kubeconfig ${server.kubeconfig} exec -it ${pod} -- sh -c 'tty; stty size'`, "/dev/null"], { encoding: "utf8", timeout: 60_000 });
    assert.match(tty.stdout, /\/dev\/pts\/\d+/);
    const local = join(server.dataDir, "cp-source.txt");
    writeFileSync(local, "copied through tar\n");
    const cp = server.kubectl(["cp", local, `${pod}:/tmp/copied.txt`]);
    assert.equal(cp.status, 0, cp.stderr);
    assert.equal(server.kubectl(["exec", pod, "--", "cat", "/tmp/copied.txt"]).stdout, "copied through tar\n");
  });

  it("port-forwards to a pod", async () => {
    const pod = jsonpath(["get", "pods", "-l", "app=web"], "{.items[0].metadata.name}");
    const port = await freePort();
    const pf = spawn("kubectl", ["--kubeconfig", server.kubeconfig, "port-forward", `pod/${pod}`, `${port}:8080`], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      await eventually(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/hostname`).catch(() => undefined);
        return res?.status === 200 ? res.text() : undefined;
      }, 30_000, "port-forward answers");
      const body = await (await fetch(`http://127.0.0.1:${port}/hostname`)).text();
      // the web pods serve their /etc: the hostname file names the pod
      assert.equal(body.trim(), pod);
    } finally {
      pf.kill("SIGTERM");
    }
  });

  it("keeps containers running across a kill -9 and restart of k3s", async () => {
    const ids = () => jsonpath(["get", "pods", "-l", "app=web"], "{.items[*].status.containerStatuses[0].containerID}");
    const before = ids();
    assert.match(before, /^containerd:\/\/[0-9a-f]{64} containerd:\/\/[0-9a-f]{64}$/);
    server.process.kill("SIGKILL");
    await new Promise((r) => server.process.once("exit", r));
    server = await startServer({ dataDir: server.dataDir, timeoutMs: 120_000 });
    await eventually(() => jsonpath(["get", "deployment", "web"], "{.status.availableReplicas}") === "2", 60_000, "web available after restart");
    assert.equal(ids(), before);
    assert.equal(jsonpath(["get", "pods", "-l", "app=web"], "{.items[*].status.containerStatuses[0].restartCount}"), "0 0");
  });

  it("reports a failing container as Error with its exit code", async () => {
    server.kubectl(["run", "failer", `--image=${IMAGE}`, "--restart=Never", "--", "sh", "-c", "exit 3"]);
    await eventually(() => jsonpath(["get", "pod", "failer"], "{.status.phase}") === "Failed", 60_000, "failer Failed");
    assert.equal(jsonpath(["get", "pod", "failer"], "{.status.containerStatuses[0].state.terminated.exitCode}"), "3");
    assert.match(server.kubectl(["get", "pod", "failer"]).stdout, /failer\s+0\/1\s+Error\s+0/);
  });
});
