/**
 * Datastore benchmark: durable puts/s and p50/p99 latency with 1, 8 and 32
 * concurrent clients, for kine-ts on SQLite, real etcd (Debian etcd-server)
 * and kine-ts on PostgreSQL, with the same client in the same run. Also CPU
 * microseconds per put of each server process (all threads; for kine-ts also
 * its main thread, and for PostgreSQL the database server's processes), read
 * from /proc: on a shared machine that moves far less with load than puts/s.
 * Usage: node --import tsx bench/datastore/run.ts [--seconds=N] [--rounds=N] [--client-processes=N] [--clients=1,8,32] [--pause-ms=N] [--no-postgres]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startPostgres } from "../../src/datastore/testing/databases.ts";
import { childrenNamed, mainThreadCpuUs, processCpuUs, treeCpuUs } from "./cpu.ts";
import { runLoad, summarize, type LoadResult, type LoadSample } from "./load.ts";

const args = process.argv.slice(2);
const seconds = Number(args.find((a) => a.startsWith("--seconds="))?.split("=")[1] ?? 3);
const rounds = Number(args.find((a) => a.startsWith("--rounds="))?.split("=")[1] ?? 3);
const withPostgres = !args.includes("--no-postgres");
const pauseMs = Number(args.find((a) => a.startsWith("--pause-ms="))?.split("=")[1] ?? 1500);
/** load processes, so the client is not the bottleneck */
const processes = Number(args.find((a) => a.startsWith("--client-processes="))?.split("=")[1] ?? 2);
const CONCURRENCY = (args.find((a) => a.startsWith("--clients="))?.split("=")[1] ?? "1,8,32").split(",").map(Number);

/** CPU used so far, in microseconds. */
interface CpuSample {
  /** the server process, all threads */
  server: number;
  /** the server's main thread (kine-ts: the event loop) */
  main?: number;
  /** the database server behind it (PostgreSQL) */
  db?: number;
}

interface Target {
  name: string;
  url: string;
  cpu(): CpuSample;
  stop(): Promise<void>;
}

/** one run's figures plus CPU per put */
interface Measured extends LoadResult {
  cpuPerPut: number;
  mainPerPut?: number;
  dbPerPut?: number;
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

async function startKine(name: string, endpoint?: string, db?: { pid: number; cleanup(): Promise<void> }): Promise<Target> {
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
  const pid = child.pid as number;
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    cpu: () => ({ server: processCpuUs(pid), main: mainThreadCpuUs(pid), db: db ? treeCpuUs(db.pid) : undefined }),
    stop: async () => (await stop(), await db?.cleanup()),
  };
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
  const pid = child.pid as number;
  return { name: "etcd 3.4", url, cpu: () => ({ server: processCpuUs(pid) }), stop: stopChild(child, dir) };
}

function loadProcess(url: string, clients: number, prefix: string): Promise<LoadSample> {
  const script = fileURLToPath(new URL("./load-worker.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, url, String(clients), String(seconds * 1000), prefix], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as LoadSample) : reject(new Error(`load process exited with ${code}`)))),
  );
}

/** one run of `clients` against a target */
async function measureOnce(t: Target, clients: number, round: number): Promise<Measured> {
  const procs = Math.min(processes, clients);
  const shares = Array.from({ length: procs }, (_, i) => Math.floor(clients / procs) + (i < clients % procs ? 1 : 0));
  const before = t.cpu();
  const samples = await Promise.all(shares.map((n, i) => loadProcess(t.url, n, `/bench/${clients}/${round}/${i}`)));
  const after = t.cpu();
  const r = summarize(clients, samples);
  // each client also makes one warm-up put outside the timed window
  const puts = r.puts + clients;
  const per = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : (b - a) / puts);
  return { ...r, cpuPerPut: (after.server - before.server) / puts, mainPerPut: per(before.main, after.main), dbPerPut: per(before.db, after.db) };
}

function median(results: Measured[]): Measured {
  const mid = <T>(xs: T[], key: (x: T) => number) => [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)];
  const m = mid(results, (r) => r.putsPerSec);
  // CPU per put is the median of its own, not the figure of the median-throughput round
  const cpu = (key: (r: Measured) => number | undefined) => (key(m) === undefined ? undefined : key(mid(results, (r) => key(r) ?? 0)));
  return { ...m, cpuPerPut: cpu((r) => r.cpuPerPut) ?? 0, mainPerPut: cpu((r) => r.mainPerPut), dbPerPut: cpu((r) => r.dbPerPut) };
}

function print(name: string, r: Measured): void {
  const cpu = [`cpu ${r.cpuPerPut.toFixed(0)} us/put`];
  if (r.mainPerPut !== undefined) cpu.push(`main thread ${r.mainPerPut.toFixed(0)}`);
  if (r.dbPerPut !== undefined) cpu.push(`database ${r.dbPerPut.toFixed(0)}`);
  console.log(
    `${name.padEnd(18)} clients=${String(r.clients).padStart(2)}  ${r.putsPerSec.toFixed(0).padStart(6)} puts/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  ${cpu.join(", ")}${r.errors ? `  errors ${r.errors}` : ""}`,
  );
}

/** A way to start one target. */
interface TargetKind {
  name: string;
  start(): Promise<Target>;
}

/**
 * each target runs alone (an idle etcd slows other processes' fsyncs), and
 * the targets take turns round after round so a noisy neighbour hurts them
 * alike; each figure is the median round
 */
async function compare(kinds: TargetKind[]): Promise<Map<string, Measured[]>> {
  const runs = new Map<string, Measured[][]>(kinds.map((k) => [k.name, CONCURRENCY.map(() => [])]));
  for (let round = 0; round < rounds; round++) {
    for (const kind of kinds) {
      const t = await kind.start();
      try {
        for (const [i, clients] of CONCURRENCY.entries()) {
          await new Promise((r) => setTimeout(r, pauseMs));
          runs.get(kind.name)?.[i].push(await measureOnce(t, clients, round));
        }
      } finally {
        await t.stop();
      }
    }
  }
  const out = new Map<string, Measured[]>();
  for (const [i] of CONCURRENCY.entries()) {
    for (const kind of kinds) {
      const m = median(runs.get(kind.name)?.[i] ?? []);
      print(kind.name, m);
      out.set(kind.name, [...(out.get(kind.name) ?? []), m]);
    }
  }
  return out;
}

console.log(
  `durable 1 KiB puts; ${rounds} rounds of ${seconds} s per figure (median); each target alone, in turns; raw HTTP/2 gRPC clients in ${processes} processes`,
);
const kinds: TargetKind[] = [{ name: "kine-ts sqlite", start: () => startKine("kine-ts sqlite") }, { name: "etcd 3.4", start: startEtcd }];
if (withPostgres) {
  kinds.push({
    name: "kine-ts postgres",
    start: async () => {
      const pg = await startPostgres();
      const [pid] = childrenNamed(process.pid, "postgres");
      return startKine("kine-ts postgres", pg.endpoint("kubernetes"), { pid, cleanup: () => pg.stop() });
    },
  });
}
const results = await compare(kinds);
const etcd = results.get("etcd 3.4") ?? [];
console.log("\nratio to etcd (puts/s; CPU per put, server process):");
CONCURRENCY.forEach((c, i) => {
  const line = [`clients=${String(c).padStart(2)}`];
  for (const k of kinds) {
    if (k.name === "etcd 3.4") continue;
    const r = (results.get(k.name) ?? [])[i];
    line.push(`${k.name} ${(r.putsPerSec / etcd[i].putsPerSec).toFixed(2)}x, cpu ${(r.cpuPerPut / etcd[i].cpuPerPut).toFixed(2)}x`);
  }
  console.log("  " + line.join("  "));
});
