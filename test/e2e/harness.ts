/**
 * Drives the real k3s binary (bin/k3s, built by scripts/deps.sh) for e2e
 * tests: a server on free ports in a temp data dir, and the real kubectl.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The checkout's root, from this file's location. */
export const repoRoot = resolve(import.meta.dirname, "../..");
const k3sBin = join(repoRoot, "bin/k3s");

/** A free TCP port on 127.0.0.1 (the port is released before returning). */
export async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export interface ServerOptions {
  /** extra flags for `k3s server` */
  args?: string[];
  /** reuse this data dir (a restart) instead of a fresh temp one */
  dataDir?: string;
  /** keep the data dir when stopping (to restart on it) */
  keepDataDir?: boolean;
  env?: Record<string, string>;
  /** how long to wait for /readyz */
  timeoutMs?: number;
}

export interface RunningServer {
  dataDir: string;
  kubeconfig: string;
  port: number;
  /** the supervisor's own port (--supervisor-port) */
  supervisorPort: number;
  process: ChildProcess;
  /** everything the server printed so far */
  output(): string;
  /** runs kubectl with the admin kubeconfig; never throws */
  kubectl(args: string[], input?: string): { status: number; stdout: string; stderr: string };
  /** stops the server (SIGTERM, then SIGKILL after 10 s) */
  stop(): Promise<void>;
}

/** Starts `k3s server` and waits until the admin kubeconfig answers /readyz. */
export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  if (!existsSync(join(repoRoot, "dist/k3s.mjs"))) {
    throw new Error("dist/k3s.mjs is missing: run ./scripts/deps.sh (or npm run build) first");
  }
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "k3s-e2e-"));
  const kubeconfig = join(dataDir, "k3s.yaml");
  const port = await freePort();
  const supervisorPort = await freePort();
  const args = [
    "server",
    "--data-dir", dataDir,
    "--https-listen-port", String(port),
    "--supervisor-port", String(supervisorPort),
    "--write-kubeconfig", kubeconfig,
    ...(opts.args ?? []),
  ];
  let out = "";
  const child = spawn(k3sBin, args, { env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const kubectl = (kargs: string[], input?: string) => {
    const r = spawnSync("kubectl", ["--kubeconfig", kubeconfig, ...kargs], { input, encoding: "utf8", timeout: 120_000 });
    return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await new Promise((r) => child.once("exit", r));
      clearTimeout(killer);
    }
    if (!opts.keepDataDir && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`k3s server exited with ${child.exitCode}:\n${out}`);
    if (existsSync(kubeconfig) && kubectl(["get", "--raw", "/readyz"]).stdout.trim() === "ok") break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`k3s server not ready in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { dataDir, kubeconfig, port, supervisorPort, process: child, output: () => out, kubectl, stop };
}

/** Reads a file of the server's data dir. */
export function readDataFile(server: RunningServer, path: string): string {
  return readFileSync(join(server.dataDir, path), "utf8");
}

/** Polls `check` until it returns a truthy value or the time runs out. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 60_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
