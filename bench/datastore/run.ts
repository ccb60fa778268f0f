/**
 * Datastore benchmark: durable puts/s and p50/p99 latency with 1, 8 and 32
 * concurrent clients, for kine-ts on SQLite, real etcd (Debian etcd-server)
 * and kine-ts on PostgreSQL, with the same client in the same run.
 * Usage: node --import tsx bench/datastore/run.ts [--seconds=N] [--no-postgres]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startPostgres } from "../../src/datastore/testing/databases.ts";
import { runLoad, type LoadResult } from "./load.ts";

const args = process.argv.slice(2);
const seconds = Number(args.find((a) => a.startsWith("--seconds="))?.split("=")[1] ?? 5);
const withPostgres = !args.includes("--no-postgres");
const CONCURRENCY = [1, 8, 32];

interface Target {
  name: string;
  url: string;
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess, dir?: string): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(child.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) {
        try {
          process.kill(child.pid, "SIGKILL");
        } catch {
          // it exited meanwhile
        }
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}

async function startKine(name: string, endpoint?: string, cleanup?: () => Promise<void>): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "kine-bench-"));
  const script = fileURLToPath(new URL("./server.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, dir, endpoint ?? ""], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`kine-ts server exited with ${code}`)));
  });
  const stop = stopChild(child, dir);
  return { name, url: `http://127.0.0.1:${port}`, stop: async () => (await stop(), await cleanup?.()) };
}

async function startEtcd(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "etcd-bench-"));
  const [client, peer] = [await freePort(), await freePort()];
  const child = spawn(
    "etcd",
    [
      "--name=bench",
      `--data-dir=${join(dir, "data")}`,
      `--listen-client-urls=http://127.0.0.1:${client}`,
      `--advertise-client-urls=http://127.0.0.1:${client}`,
      `--listen-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-cluster=bench=http://127.0.0.1:${peer}`,
      "--log-level=error",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${client}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await runLoad(url, { clients: 1, durationMs: 1, prefix: "/probe" });
      break;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`etcd did not start: ${String(err)} ${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { name: "etcd 3.4", url, stop: stopChild(child, dir) };
}

async function measure(t: Target): Promise<LoadResult[]> {
  const out: LoadResult[] = [];
  for (const clients of CONCURRENCY) {
    const r = await runLoad(t.url, { clients, durationMs: seconds * 1000, prefix: `/bench/${clients}` });
    console.log(
      `${t.name.padEnd(18)} clients=${String(clients).padStart(2)}  ${r.putsPerSec.toFixed(0).padStart(6)} puts/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms${r.errors ? `  errors ${r.errors}` : ""}`,
    );
    out.push(r);
  }
  return out;
}

async function bench(start: () => Promise<Target>): Promise<LoadResult[]> {
  const t = await start();
  try {
    return await measure(t);
  } finally {
    await t.stop();
  }
}

console.log(`durable 1 KiB puts, ${seconds} s per run, raw HTTP/2 gRPC client in its own process`);
const sqlite = await bench(() => startKine("kine-ts sqlite"));
const etcd = await bench(startEtcd);
let postgres: LoadResult[] | undefined;
if (withPostgres) {
  postgres = await bench(async () => {
    const pg = await startPostgres();
    return startKine("kine-ts postgres", pg.endpoint("kubernetes"), () => pg.stop());
  });
}
console.log("\nratio to etcd (puts/s):");
CONCURRENCY.forEach((c, i) => {
  const line = [`clients=${String(c).padStart(2)}`, `sqlite ${(sqlite[i].putsPerSec / etcd[i].putsPerSec).toFixed(2)}x`];
  if (postgres) line.push(`postgres ${(postgres[i].putsPerSec / etcd[i].putsPerSec).toFixed(2)}x`);
  console.log("  " + line.join("  "));
});
