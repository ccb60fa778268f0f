/**
 * e2e (slow group): `k3s agent --server … --token …` joins a server through
 * the supervisor port, checks the CA hash in the token, and runs pods whose
 * logs and exec reach it on its kubelet port.
 * Run alone: ./scripts/test.sh test/e2e/agent.test.ts
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventually, repoRoot, startServer, type RunningServer } from "./harness.ts";

const k3s = join(repoRoot, "bin/k3s");

describe("k3s agent joining a server", { timeout: 600_000 }, () => {
  let server: RunningServer;
  let agent: ChildProcess | undefined;
  let agentLog = "";
  let agentDir: string;
  before(async () => {
    server = await startServer({ args: ["--disable-agent"] });
    agentDir = mkdtempSync(join(tmpdir(), "k3s-e2e-agent-"));
  });
  after(async () => {
    server?.kubectl(["delete", "pod", "--all", "--grace-period=1"]);
    if (agent && agent.exitCode === null) {
      agent.kill("SIGTERM");
      await new Promise((r) => agent!.once("exit", r));
    }
    await server?.stop();
    rmSync(agentDir, { recursive: true, force: true });
  });

  it("refuses a token whose CA hash is not the server's", () => {
    const token = readFileSync(join(server.dataDir, "server/token"), "utf8").trim().replace(/^K10[0-9a-f]{64}/, `K10${"0".repeat(64)}`);
    const r = spawnSync(k3s, ["agent", "--server", `https://127.0.0.1:${server.port}`, "--token", token, "--data-dir", join(agentDir, "bad"), "--node-name", "bad"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /ca hash [0-9a-f]{64} does not match the token's 0{64}/);
  });

  it("joins through the supervisor port and becomes Ready", async () => {
    agent = spawn(k3s, ["agent", "--server", `https://127.0.0.1:${server.supervisorPort}`, "--token-file", join(server.dataDir, "server/node-token"), "--data-dir", agentDir, "--node-name", "worker-1"], { stdio: ["ignore", "pipe", "pipe"] });
    agent.stdout?.on("data", (d: Buffer) => (agentLog += d.toString()));
    agent.stderr?.on("data", (d: Buffer) => (agentLog += d.toString()));
    await eventually(
      () => server.kubectl(["get", "node", "worker-1", "-o", 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']).stdout === "True",
      120_000,
      `worker-1 Ready (agent log:\n${agentLog})`,
    );
    const secret = server.kubectl(["get", "secret", "-n", "kube-system", "worker-1.node-password.k3s", "-o", "name"]);
    assert.equal(secret.stdout.trim(), "secret/worker-1.node-password.k3s");
  });

  it("runs a pod on the joined node; logs and exec go through its kubelet port", async () => {
    const r = server.kubectl(["run", "joined", "--image=docker.io/k3s-ts/busybox:1.35", "--restart=Never", "--", "sh", "-c", "echo on the agent; sleep 300"]);
    assert.equal(r.status, 0, r.stderr);
    await eventually(() => server.kubectl(["get", "pod", "joined", "-o", "jsonpath={.status.phase}"]).stdout === "Running", 90_000, "pod Running");
    assert.equal(server.kubectl(["get", "pod", "joined", "-o", "jsonpath={.spec.nodeName}"]).stdout, "worker-1");
    await eventually(() => server.kubectl(["logs", "joined"]).stdout === "on the agent\n", 30_000, "log line");
    assert.equal(server.kubectl(["exec", "joined", "--", "echo", "remote exec"]).stdout, "remote exec\n");
  });
});
