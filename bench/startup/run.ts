/**
 * bench/startup: time from `k3s server --disable-agent` to /readyz ok, cold
 * (empty data dir) and warm (restart on the same data dir), median of 5, and
 * the peak RSS of the server process. Goals: ≤ 1.5 s cold, ≤ 1 s warm, ≤ 120 MB.
 * Run: node --import tsx bench/startup/run.ts   (after ./scripts/deps.sh)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, repoRoot } from "../../test/e2e/harness.ts";

const RUNS = Number(process.env.RUNS ?? 5);

// /readyz is open to anonymous clients, as on k3s; the server's certificate is not what is measured
function readyz(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/readyz", rejectUnauthorized: false },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode === 200));
      },
    );
    req.on("error", () => resolve(false));
    req.end();
  });
}

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

async function startOnce(dataDir: string): Promise<{ ms: number; rss: number }> {
  const port = await freePort();
  const sup = await freePort();
  const t0 = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [join(repoRoot, "dist/k3s.mjs"), "server", "--disable-agent", "--data-dir", dataDir, "--https-listen-port", String(port), "--supervisor-port", String(sup), "--write-kubeconfig", join(dataDir, "k3s.yaml")],
    { stdio: "ignore" },
  );
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (await readyz(port)) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 1000));
  const rss = peakRssMiB(child.pid!);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  return { ms, rss };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cold: { ms: number; rss: number }[] = [];
const warm: { ms: number; rss: number }[] = [];
for (let i = 0; i < RUNS; i++) {
  const dir = mkdtempSync(join(tmpdir(), "k3s-bench-start-"));
  cold.push(await startOnce(dir));
  warm.push(await startOnce(dir));
  rmSync(dir, { recursive: true, force: true });
}
const report = (name: string, xs: { ms: number; rss: number }[], goal: number) =>
  console.log(`${name}: median ${median(xs.map((x) => x.ms)).toFixed(0)} ms (goal ≤ ${goal} ms), runs ${xs.map((x) => x.ms.toFixed(0)).join(" ")} ms; peak RSS median ${median(xs.map((x) => x.rss)).toFixed(0)} MiB (goal ≤ 120 MB)`);
report("cold start to /readyz", cold, 1500);
report("warm start to /readyz", warm, 1000);
