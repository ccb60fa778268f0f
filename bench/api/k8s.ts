/**
 * What the API and pod benchmarks share: starting the real program
 * (dist/k3s.mjs) on free ports, a lean HTTPS client with the admin client
 * certificate from the written kubeconfig, process figures from /proc, and
 * percentiles.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { Agent, request, type AgentOptions } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { freePort, repoRoot } from "../../test/e2e/harness.ts";

/** What a client needs to reach the API server as the admin user. */
export interface Credentials {
  port: number;
  ca: string;
  cert: string;
  key: string;
}

/** A server started for a benchmark. */
export interface BenchServer {
  pid: number;
  port: number;
  dataDir: string;
  creds: Credentials;
  child: ChildProcess;
  /** performance.now() when the process was spawned: profile windows are counted from here */
  spawnedAt: number;
  /** "FROM-TO" seconds since the spawn, for profile-top.ts --window */
  window(fromMs: number, toMs?: number): string;
  /** everything the server printed so far (the tail, to keep memory flat) */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; removes the data dir unless something is still mounted under it */
  stop(graceMs?: number): Promise<void>;
}

/** Options of startBenchServer. */
export interface StartOptions {
  /** extra `k3s server` flags */
  args?: string[];
  /** node flags put before dist/k3s.mjs, e.g. --cpu-prof */
  nodeArgs?: string[];
  /** how long to wait for /readyz */
  timeoutMs?: number;
}

interface KubeconfigFile {
  clusters: { cluster: { "certificate-authority-data": string } }[];
  users: { user: { "client-certificate-data": string; "client-key-data": string } }[];
}

const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

function readCredentials(kubeconfig: string, port: number): Credentials {
  const kc = parse(readFileSync(kubeconfig, "utf8")) as KubeconfigFile;
  return {
    port,
    ca: b64(kc.clusters[0].cluster["certificate-authority-data"]),
    cert: b64(kc.users[0].user["client-certificate-data"]),
    key: b64(kc.users[0].user["client-key-data"]),
  };
}

/** Starts `node dist/k3s.mjs server` in a temp data dir and waits for /readyz with the admin certificate. */
export async function startBenchServer(opts: StartOptions = {}): Promise<BenchServer> {
  const program = join(repoRoot, "dist/k3s.mjs");
  if (!existsSync(program)) throw new Error(`${program} is missing: run npm run build first`);
  const dataDir = mkdtempSync(join(tmpdir(), "k3s-bench-"));
  const kubeconfig = join(dataDir, "k3s.yaml");
  const port = await freePort();
  const sup = await freePort();
  const args = ["server", "--data-dir", dataDir, "--https-listen-port", String(port), "--supervisor-port", String(sup), "--write-kubeconfig", kubeconfig, ...(opts.args ?? [])];
  const spawnedAt = performance.now();
  const window = (fromMs: number, toMs = performance.now()) => `${((fromMs - spawnedAt) / 1000).toFixed(1)}-${((toMs - spawnedAt) / 1000).toFixed(1)}`;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), "--enable-source-maps", program, ...args], { stdio: ["ignore", "pipe", "pipe"], cwd: dataDir });
  let out = "";
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = async (graceMs = 30_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(killer);
    }
    // a container's rootfs left mounted under the data dir must not be walked by rm
    const mounts = readFileSync("/proc/mounts", "utf8").split("\n").filter((l) => l.split(" ")[1]?.startsWith(dataDir));
    if (mounts.length) console.log(`  (left ${dataDir} in place: ${mounts.length} mounts still under it)`);
    else rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`k3s server exited with ${child.exitCode}:\n${out.slice(-4000)}`);
      if (existsSync(kubeconfig)) {
        try {
          const creds = readCredentials(kubeconfig, port);
          const r = await call(new Agent({ ...agentOptions(creds), keepAlive: false }), creds, "GET", "/readyz");
          if (r.status === 200) return { pid: child.pid ?? 0, port, dataDir, creds, child, spawnedAt, window, output: () => out, stop };
        } catch {
          // not listening yet, or the kubeconfig is half written
        }
      }
      if (Date.now() > deadline) throw new Error(`k3s server not ready in time:\n${out.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop(5000);
    throw err;
  }
}

/** TLS options of an https.Agent that presents the admin certificate. */
export function agentOptions(creds: Credentials): AgentOptions {
  return { ca: creds.ca, cert: creds.cert, key: creds.key, servername: "localhost" };
}

/** A keep-alive agent with at most `sockets` connections. */
export function keepAliveAgent(creds: Credentials, sockets: number): Agent {
  return new Agent({ ...agentOptions(creds), keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, scheduling: "fifo" });
}

/** One response, body as a Buffer (parsing is the caller's choice, so the client stays cheap). */
export interface Reply {
  status: number;
  body: Buffer;
  /** wallMs() when the last byte was read */
  at: number;
}

/** One request; the body is JSON text when given. */
export function call(agent: Agent, creds: Credentials, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const h: Record<string, string | number> = { accept: "application/json", ...headers };
    if (body !== undefined) {
      h["content-type"] = "application/json";
      h["content-length"] = Buffer.byteLength(body);
    }
    const req = request({ host: "127.0.0.1", port: creds.port, method, path, agent, headers: h }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), at: wallMs() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Throws unless the reply's status is one of `ok`, naming the request. */
export function expectStatus(r: Reply, what: string, ok: number[] = [200, 201]): Reply {
  if (!ok.includes(r.status)) throw new Error(`${what}: status ${r.status}: ${r.body.toString("utf8").slice(0, 300)}`);
  return r;
}

/** Memory figures of a process from /proc/<pid>/status, in MiB. */
export function memoryMiB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // fields after the parenthesised command name; utime and stime are the 14th and 15th fields
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) / 100;
}

/** Jiffies the whole machine spent busy and in total so far, from /proc/stat. */
export function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - cpu[3] - (cpu[4] ?? 0), total };
}

/** Share of all cores busy between two machineTicks() readings, in percent. */
export function machineBusyPct(a: { busy: number; total: number }, b: { busy: number; total: number }): number {
  return ((b.busy - a.busy) / Math.max(1, b.total - a.total)) * 100;
}

/** The machine's 1-minute load average and the number of cores, for the report. */
export function load(): string {
  const [one, five] = readFileSync("/proc/loadavg", "utf8").split(" ");
  return `load ${one}/${five} (1/5 min) on ${readdirSync("/sys/devices/system/cpu").filter((d) => /^cpu\d+$/.test(d)).length} cores`;
}

/** The p-th percentile of an ascending array (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((sorted.length * p) / 100) - 1))];
}

/** "p50 x ms, p99 y ms, max z ms" of latencies in ms. */
export function latencySummary(latencies: number[]): { p50: number; p99: number; max: number; text: string } {
  const s = [...latencies].sort((a, b) => a - b);
  const p50 = percentile(s, 50);
  const p99 = percentile(s, 99);
  const max = s[s.length - 1] ?? NaN;
  return { p50, p99, max, text: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms (n=${s.length})` };
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across threads and processes. */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}
