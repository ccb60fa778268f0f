/**
 * bench/api: the API server of a real `k3s server --disable-agent`
 * (dist/k3s.mjs), driven over HTTPS with the admin client certificate.
 * Prints p50/p99 and throughput for GET (one ConfigMap), CREATE and UPDATE
 * (ConfigMaps, 32 clients), CREATE of 5 000 pods, LIST of those 5 000 pods
 * (resourceVersion=0 from the watch cache, and a plain list; goal ≤ 100 ms),
 * watch fan-out (1 000 watchers get each update; goal p99 ≤ 100 ms from the
 * write's response to the event), the server's RSS and CPU, and the client's
 * CPU so that a saturated client shows.
 * Run: npm run build && node --import tsx bench/api/run.ts
 * Env: BENCH_SECONDS (per timed phase, 5), CLIENTS (32), THREADS (load threads, 2),
 *      PODS (5000), WATCHERS (1000), UPDATES (20), SERVER_NODE_ARGS (e.g.
 *      "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server).
 */
import type { Worker } from "node:worker_threads";
import { call, cpuSeconds, expectStatus, machineBusyPct, machineTicks, keepAliveAgent, latencySummary, load, memoryMiB, startBenchServer, wallMs, type BenchServer } from "./k8s.ts";
import { removeBundles, runThread, tsWorker } from "./threads.ts";
import type { LoadOutcome, LoadTask } from "./load-worker.ts";
import type { WatchReport, WatchTask } from "./watch-worker.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = Number(process.env.CLIENTS ?? 32);
const THREADS = Number(process.env.THREADS ?? 2);
const PODS = Number(process.env.PODS ?? 5000);
const WATCHERS = Number(process.env.WATCHERS ?? 1000);
const UPDATES = Number(process.env.UPDATES ?? 20);
const WATCH_THREADS = 4;
const LIST_GOAL_MS = 100;
const WATCH_GOAL_MS = 100;

/** Samples the server's RSS while a phase runs and reports the phase's costs. */
class Meter {
  #peak = 0;
  #timer: NodeJS.Timeout;
  #cpu0: number;
  #client0 = process.cpuUsage();
  #t0 = performance.now();
  #machine0 = machineTicks();
  constructor(private readonly pid: number) {
    this.#cpu0 = cpuSeconds(pid);
    this.#timer = setInterval(() => (this.#peak = Math.max(this.#peak, memoryMiB(pid).rss)), 100);
  }
  /** server CPU milliseconds used since the meter started: unlike latency, this does not depend on how starved the server was */
  serverCpuMs(): number {
    return (cpuSeconds(this.pid) - this.#cpu0) * 1000;
  }
  /** "server CPU x%, client CPU y% of one core, machine busy, server RSS peak z MiB" */
  done(): string {
    clearInterval(this.#timer);
    const wall = (performance.now() - this.#t0) / 1000;
    const client = process.cpuUsage(this.#client0);
    const serverPct = ((cpuSeconds(this.pid) - this.#cpu0) / wall) * 100;
    const clientPct = ((client.user + client.system) / 1e6 / wall) * 100;
    const peak = Math.max(this.#peak, memoryMiB(this.pid).rss);
    return `server CPU ${serverPct.toFixed(0)}%, client CPU ${clientPct.toFixed(0)}% (of one core), machine ${machineBusyPct(this.#machine0, machineTicks()).toFixed(0)}% busy (all cores), server RSS peak ${peak.toFixed(0)} MiB`;
  }
}

/** Splits `clients` over the load threads and merges what they measured. */
async function runLoad(task: Omit<LoadTask, "clients" | "firstClient" | "count">, clients: number, count?: number): Promise<LoadOutcome> {
  const threads = Math.min(THREADS, clients);
  const parts = await Promise.all(
    Array.from({ length: threads }, (_, t) => {
      const share = Math.floor(clients / threads) + (t < clients % threads ? 1 : 0);
      const firstClient = t * Math.ceil(clients / threads);
      const shareCount = count === undefined ? undefined : Math.floor(count / threads) + (t < count % threads ? 1 : 0);
      return runThread<LoadOutcome>(new URL("./load-worker.ts", import.meta.url), { ...task, clients: share, firstClient, count: shareCount } satisfies LoadTask);
    }),
  );
  return {
    latencies: parts.flatMap((p) => p.latencies),
    errors: parts.reduce((n, p) => n + p.errors, 0),
    firstError: parts.find((p) => p.firstError)?.firstError,
    seconds: Math.max(...parts.map((p) => p.seconds)),
    bytes: parts.reduce((n, p) => n + p.bytes, 0),
  };
}

function report(name: string, out: LoadOutcome, costs: string, goalMs?: number): void {
  const s = latencySummary(out.latencies);
  const goal = goalMs === undefined ? "" : ` (goal p99 ≤ ${goalMs} ms: ratio ${(s.p99 / goalMs).toFixed(2)})`;
  const size = out.latencies.length ? `, ${(out.bytes / out.latencies.length / 1024).toFixed(1)} KiB/response` : "";
  console.log(`${name}: ${s.text}${goal}; ${(out.latencies.length / out.seconds).toFixed(0)} req/s${size}; errors ${out.errors}${out.firstError ? ` (${out.firstError.slice(0, 200)})` : ""}`);
  console.log(`  ${costs}; ${load()}`);
}

async function phase(name: string, task: Omit<LoadTask, "clients" | "firstClient" | "count">, clients: number, server: BenchServer, opts: { count?: number; goalMs?: number } = {}): Promise<LoadOutcome> {
  const meter = new Meter(server.pid);
  const started = performance.now();
  const out = await runLoad(task, clients, opts.count);
  const perRequest = meter.serverCpuMs() / Math.max(1, out.latencies.length);
  report(name, out, `server CPU per request ${perRequest.toFixed(2)} ms; ${meter.done()}; profile window ${server.window(started)} s`, opts.goalMs);
  return out;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function watchFanOut(server: BenchServer): Promise<void> {
  const agent = keepAliveAgent(server.creds, 1);
  const ns = "/api/v1/namespaces/bench-fanout/configmaps";
  const created = expectStatus(await call(agent, server.creds, "POST", ns, JSON.stringify({ metadata: { name: "watched" }, data: { n: "0" } })), "create watched ConfigMap");
  let rv = (JSON.parse(created.body.toString("utf8")) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  const meter = new Meter(server.pid);
  const before = memoryMiB(server.pid).rss;
  const t0 = performance.now();
  const workers = await Promise.all(Array.from({ length: WATCH_THREADS }, (_, t) => {
    const share = Math.floor(WATCHERS / WATCH_THREADS) + (t < WATCHERS % WATCH_THREADS ? 1 : 0);
    return tsWorker(new URL("./watch-worker.ts", import.meta.url), { creds: server.creds, watchers: share, path: ns, resourceVersion: rv } satisfies WatchTask);
  }));
  const next = (w: Worker) =>
    new Promise<WatchReport>((resolve, reject) => {
      w.once("message", resolve);
      w.once("error", reject);
    });
  const ready = await Promise.all(workers.map(next));
  const opened = ready.reduce((n, r) => n + (r.type === "ready" ? r.opened : 0), 0);
  const openError = ready.find((r) => r.firstError)?.firstError;
  console.log(`watch fan-out: ${opened}/${WATCHERS} watches open in ${((performance.now() - t0) / 1000).toFixed(1)} s${openError ? ` (${openError})` : ""}; server RSS ${before.toFixed(0)} → ${memoryMiB(server.pid).rss.toFixed(0)} MiB with them`);
  // the writes' responses, stamped on the same clock as the events
  const updatesFrom = performance.now();
  const updatesMeter = new Meter(server.pid);
  const written = new Map<string, number>();
  const sentAt = new Map<string, number>();
  for (let i = 1; i <= UPDATES; i++) {
    const body = JSON.stringify({ metadata: { name: "watched", resourceVersion: rv }, data: { n: String(i) } });
    const sent = wallMs();
    const r = expectStatus(await call(agent, server.creds, "PUT", `${ns}/watched`, body), "update watched ConfigMap");
    const at = r.at;
    rv = (JSON.parse(r.body.toString("utf8")) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    written.set(rv, at);
    sentAt.set(rv, sent);
    await new Promise((res) => setTimeout(res, 500));
  }
  const perUpdateCpu = updatesMeter.serverCpuMs() / UPDATES;
  updatesMeter.done();
  await new Promise((res) => setTimeout(res, 2000));
  const finals = await Promise.all(
    workers.map((w) => {
      const p = next(w);
      w.postMessage({ type: "finish" });
      return p;
    }),
  );
  const costs = meter.done();
  const latencies: number[] = [];
  let missing = 0;
  let ended = 0;
  const perUpdateP99: number[] = [];
  const fromSend: number[] = [];
  for (const [wrv, at] of written) {
    const per: number[] = [];
    for (const f of finals) if (f.type === "stamps") per.push(...(f.stamps[wrv] ?? []).map((s) => s - at));
    const sent = sentAt.get(wrv) ?? at;
    for (const f of finals) if (f.type === "stamps") fromSend.push(...(f.stamps[wrv] ?? []).map((s) => s - sent));
    missing += opened - per.length;
    latencies.push(...per);
    perUpdateP99.push(latencySummary(per).p99);
  }
  for (const f of finals) if (f.type === "stamps") ended += f.ended;
  const s = latencySummary(latencies);
  console.log(`watch fan-out: ${opened} watchers × ${UPDATES} updates, write response → event ${s.text} (goal p99 ≤ ${WATCH_GOAL_MS} ms: ratio ${(s.p99 / WATCH_GOAL_MS).toFixed(2)}); events missing ${missing}, watches ended early ${ended}`);
  console.log(`  from the write's request instead: ${latencySummary(fromSend).text}; negative figures above are events that arrived before the write's response was read`);
  console.log(`  server CPU per update (the write and its ${opened} events) ${perUpdateCpu.toFixed(1)} ms`);
  console.log(`  p99 per update: ${perUpdateP99.map((x) => x.toFixed(0)).join(" ")} ms`);
  console.log(`  ${costs}; updates' profile window ${server.window(updatesFrom)} s; ${load()}`);
  agent.destroy();
  for (const w of workers) await w.terminate();
}

async function main(): Promise<void> {
  console.log(`bench/api: ${CLIENTS} clients over ${THREADS} load threads, ${SECONDS} s per timed phase; ${load()}`);
  const nodeArgs = process.env.SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const server = await startBenchServer({ args: ["--disable-agent"], nodeArgs });
  try {
    const mem0 = memoryMiB(server.pid);
    console.log(`server pid ${server.pid} ready on :${server.port}, RSS ${mem0.rss.toFixed(0)} MiB`);
    const agent = keepAliveAgent(server.creds, 1);
    for (const ns of ["bench", "bench-list", "bench-fanout"]) {
      expectStatus(await call(agent, server.creds, "POST", "/api/v1/namespaces", JSON.stringify({ metadata: { name: ns } })), `create namespace ${ns}`);
    }
    // pods are admitted only once the namespace's default service account exists
    await waitFor("the default service account", async () => (await call(agent, server.creds, "GET", "/api/v1/namespaces/bench-list/serviceaccounts/default")).status === 200);
    expectStatus(await call(agent, server.creds, "POST", "/api/v1/namespaces/bench/configmaps", JSON.stringify({ metadata: { name: "get-target" }, data: { a: "x".repeat(256) } })), "create get-target");
    agent.destroy();

    const base = { creds: server.creds, namespace: "bench", tag: "w" };
    await runLoad({ ...base, op: "get", name: "get-target", durationMs: 1000 }, CLIENTS); // warm-up: connections, JIT
    await phase(`GET configmap (${CLIENTS} clients)`, { ...base, op: "get", name: "get-target", durationMs: SECONDS * 1000 }, CLIENTS, server);
    await phase(`CREATE configmap (${CLIENTS} clients)`, { ...base, op: "createConfigMap", durationMs: SECONDS * 1000, tag: "c" }, CLIENTS, server);
    await phase(`UPDATE configmap (${CLIENTS} clients, own object each)`, { ...base, op: "updateConfigMap", durationMs: SECONDS * 1000, tag: "u" }, CLIENTS, server);
    // before the pods and lists, so that the RSS the watches cost is not hidden by the lists' peak
    await watchFanOut(server);
    await phase(`CREATE pod (${CLIENTS} clients, ${PODS} pods)`, { ...base, namespace: "bench-list", op: "createPod", tag: "p" }, CLIENTS, server, { count: PODS });
    await new Promise((r) => setTimeout(r, 2000));

    const list = { ...base, namespace: "bench-list", op: "list" as const };
    const check = await call(keepAliveAgent(server.creds, 1), server.creds, "GET", "/api/v1/namespaces/bench-list/pods?resourceVersion=0");
    const items = (JSON.parse(check.body.toString("utf8")) as { items: unknown[] }).items.length;
    console.log(`LIST returns ${items} pods, ${(check.body.length / 2 ** 20).toFixed(1)} MiB of JSON`);
    await phase(`LIST ${items} pods rv=0 (1 client)`, { ...list, query: "?resourceVersion=0" }, 1, server, { count: 20, goalMs: LIST_GOAL_MS });
    await phase(`LIST ${items} pods plain (1 client)`, { ...list, query: "" }, 1, server, { count: 20, goalMs: LIST_GOAL_MS });
    await phase(`LIST ${items} pods rv=0 gzip (1 client)`, { ...list, query: "?resourceVersion=0", headers: { "accept-encoding": "gzip" } }, 1, server, { count: 10 });
    await phase(`LIST ${items} pods rv=0 (${CLIENTS} clients)`, { ...list, query: "?resourceVersion=0", durationMs: SECONDS * 1000 }, CLIENTS, server);

    const mem = memoryMiB(server.pid);
    console.log(`server memory at the end: VmRSS ${mem.rss.toFixed(0)} MiB, VmHWM ${mem.hwm.toFixed(0)} MiB (at start ${mem0.rss.toFixed(0)} MiB); ${load()}`);
  } finally {
    removeBundles();
    await server.stop();
  }
}

await main();
