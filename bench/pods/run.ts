/**
 * bench/pods: start-up latency of 100 pods on the in-process agent of a real
 * `k3s server` (dist/k3s.mjs, containerd + runc), image present, 10 in
 * flight (as each pod becomes Ready the next is created); p50/p99 from the
 * create request to Running and to Ready, seen through a watch over HTTPS
 * (goal p99 ≤ 1.5 s). Also the idle RSS of the k3s process and of containerd.
 * Only one agent fits on a machine (containerd socket, cni0, port 10250): the
 * script waits up to 10 minutes for another one to finish.
 * Run: npm run build && node --import tsx bench/pods/run.ts
 * Env: PODS (100), IN_FLIGHT (10), SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { connect } from "node:net";
import { join } from "node:path";
import { call, cpuSeconds, expectStatus, machineBusyPct, machineTicks, keepAliveAgent, latencySummary, load, memoryMiB, startBenchServer, wallMs, type BenchServer } from "../api/k8s.ts";

const PODS = Number(process.env.PODS ?? 100);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 10);
const GOAL_MS = 1500;
const IMAGE = "docker.io/k3s-ts/busybox:1.35";
const SOCKET = "/run/k3s/containerd/containerd.sock";
const NS = "bench-pods";

interface PodEvent {
  type: string;
  object: {
    metadata: { name: string; resourceVersion: string };
    spec?: { nodeName?: string };
    status?: { phase?: string; conditions?: { type: string; status: string }[] };
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function containerdAnswers(): boolean {
  return spawnSync("ctr", ["-a", SOCKET, "--timeout", "3s", "version"], { stdio: "ignore", timeout: 10_000 }).status === 0;
}

function kubeletPortTaken(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port: 10250 });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

/** Waits until no other agent holds the machine's containerd socket and kubelet port. */
async function waitForFreeAgentSlot(): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const busy = containerdAnswers() || (await kubeletPortTaken());
    if (!busy) return;
    if (Date.now() > deadline) throw new Error(`another agent still uses ${SOCKET} or port 10250 after 10 minutes`);
    console.log(`  another agent is running (${SOCKET} answers or :10250 is taken); waiting…`);
    await sleep(15_000);
  }
}

function containerdPid(): number {
  return (JSON.parse(readFileSync("/run/k3s/containerd/containerd.pid", "utf8")) as { pid: number }).pid;
}

/** When a process started, in clock ticks since boot (field 22 of /proc/<pid>/stat). */
function startTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
}

/** RSS of the shims (one per pod) started by this containerd, summed, in MiB; shims left by earlier runs do not count. */
function shimsMiB(containerd: number): { count: number; rss: number } {
  const since = startTicks(containerd);
  const r = spawnSync("pgrep", ["-f", "containerd-shim-runc"], { encoding: "utf8" });
  let count = 0;
  let rss = 0;
  for (const pid of r.stdout.split("\n").filter(Boolean).map(Number)) {
    try {
      if (startTicks(pid) < since) continue;
      const m = memoryMiB(pid).rss;
      if (Number.isNaN(m)) continue;
      count++;
      rss += m;
    } catch {
      // exited meanwhile
    }
  }
  return { count, rss };
}

/** containerd tasks (sandboxes and containers) in the CRI namespace */
function taskCount(): number {
  return spawnSync("ctr", ["-a", SOCKET, "-n", "k8s.io", "tasks", "ls", "-q"], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).length;
}

/** kube-system pods not yet Ready (or Succeeded): the packaged components still starting */
async function systemPodsSettling(server: BenchServer, agent: ReturnType<typeof keepAliveAgent>): Promise<string[]> {
  const r = await call(agent, server.creds, "GET", "/api/v1/namespaces/kube-system/pods");
  const pods = (JSON.parse(r.body.toString("utf8")) as { items: PodEvent["object"][] }).items;
  return pods.filter((p) => p.status?.phase !== "Succeeded" && !p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).map((p) => p.metadata.name);
}

function podBody(name: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { app: "bench-pods" } },
    spec: {
      terminationGracePeriodSeconds: 2,
      containers: [{ name: "c", image: IMAGE, imagePullPolicy: "IfNotPresent", command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"] }],
    },
  });
}

/** Per pod: wall times of its create request and of the first event showing each stage. */
interface Timeline {
  created: number;
  scheduled?: number;
  running?: number;
  ready?: number;
}

/** Watches the namespace's pods over HTTPS and stamps stages as events arrive. */
function watchPods(server: BenchServer, resourceVersion: string, onEvent: (ev: PodEvent, at: number) => void): () => void {
  const { creds } = server;
  const req = request(
    { host: "127.0.0.1", port: creds.port, path: `/api/v1/namespaces/${NS}/pods?watch=1&resourceVersion=${resourceVersion}&timeoutSeconds=3600`, ca: creds.ca, cert: creds.cert, key: creds.key, servername: "localhost", headers: { accept: "application/json" } },
    (res) => {
      let pending = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        const at = wallMs();
        pending += chunk;
        for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          if (line.trim()) onEvent(JSON.parse(line) as PodEvent, at);
        }
      });
      res.on("error", () => undefined);
    },
  );
  req.on("error", () => undefined);
  req.end();
  return () => req.destroy();
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

async function runPods(server: BenchServer, names: string[]): Promise<Map<string, Timeline>> {
  const agent = keepAliveAgent(server.creds, IN_FLIGHT);
  const list = expectStatus(await call(agent, server.creds, "GET", `/api/v1/namespaces/${NS}/pods`), "list pods");
  const rv = (JSON.parse(list.body.toString("utf8")) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  const timelines = new Map<string, Timeline>();
  let next = 0;
  let allReady: () => void = () => undefined;
  const done = new Promise<void>((r) => (allReady = r));
  let readyCount = 0;
  const create = (name: string) => {
    timelines.set(name, { created: wallMs() });
    call(agent, server.creds, "POST", `/api/v1/namespaces/${NS}/pods`, podBody(name)).then(
      (r) => expectStatus(r, `create ${name}`),
      (err: unknown) => console.log(`  create ${name} failed: ${String(err)}`),
    );
  };
  const stop = watchPods(server, rv, (ev, at) => {
    const t = timelines.get(ev.object.metadata.name);
    if (!t || ev.type === "DELETED") return;
    const st = ev.object.status;
    if (!t.scheduled && ev.object.spec?.nodeName) t.scheduled = at;
    if (!t.running && st?.phase === "Running") t.running = at;
    if (!t.ready && st?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) {
      t.ready = at;
      readyCount++;
      if (next < names.length) create(names[next++]);
      if (readyCount === names.length) allReady();
    }
  });
  try {
    // the watch is open once its headers arrive; a short pause keeps the first creates from racing it
    await sleep(300);
    while (next < Math.min(IN_FLIGHT, names.length)) create(names[next++]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`only ${readyCount}/${names.length} pods Ready after 10 minutes`)), 10 * 60_000);
    });
    try {
      await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    stop();
    agent.destroy();
  }
  return timelines;
}

function stageReport(timelines: Map<string, Timeline>): void {
  const ts = [...timelines.values()];
  const of = (pick: (t: Timeline) => number | undefined) => ts.map(pick).filter((x): x is number => x !== undefined);
  const toReady = latencySummary(of((t) => (t.ready === undefined ? undefined : t.ready - t.created)));
  console.log(`create → Ready: ${toReady.text} (goal p99 ≤ ${GOAL_MS} ms: ratio ${(toReady.p99 / GOAL_MS).toFixed(2)})`);
  console.log(`create → Running: ${latencySummary(of((t) => (t.running === undefined ? undefined : t.running - t.created))).text}`);
  console.log(`  stages: create → scheduled ${latencySummary(of((t) => (t.scheduled === undefined ? undefined : t.scheduled - t.created))).text}`);
  console.log(`          scheduled → Running ${latencySummary(of((t) => (t.running === undefined || t.scheduled === undefined ? undefined : t.running - t.scheduled))).text}`);
  console.log(`          Running → Ready ${latencySummary(of((t) => (t.ready === undefined || t.running === undefined ? undefined : t.ready - t.running))).text}`);
}

/** Wall time (ms) of a containerd log line's time="…" field, to the microsecond. */
function logTime(line: string): number | undefined {
  const m = /^time="(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z"/.exec(line);
  if (!m) return undefined;
  return Date.parse(`${m[1]}Z`) + Number(`0.${m[2] ?? "0"}`) * 1000;
}

/** Per pod, when containerd's CRI server began and finished each call, from its own log. */
interface CriTimes {
  sandbox?: [number, number];
  create?: [number, number];
  start?: [number, number];
}

function criTimes(logFile: string): Map<string, CriTimes> {
  const byPod = new Map<string, CriTimes>();
  const podOfSandbox = new Map<string, string>();
  const podOfContainer = new Map<string, string>();
  const get = (pod: string) => byPod.get(pod) ?? (byPod.set(pod, {}), byPod.get(pod) as CriTimes);
  let text = "";
  try {
    text = readFileSync(logFile, "utf8");
  } catch {
    return byPod;
  }
  for (const line of text.split("\n")) {
    const at = logTime(line);
    if (at === undefined) continue;
    let m = /RunPodSandbox for &PodSandboxMetadata\{Name:([^,]+),[^}]*Namespace:bench-pods,[^}]*\}( returns sandbox id \\"(\w+)\\")?/.exec(line);
    if (m) {
      const t = get(m[1]);
      if (m[3]) {
        podOfSandbox.set(m[3], m[1]);
        if (t.sandbox) t.sandbox[1] = at;
      } else t.sandbox = [at, NaN];
      continue;
    }
    m = /CreateContainer within sandbox \\"(\w+)\\" for (?:container )?&ContainerMetadata\{[^}]*\}( returns container id \\"(\w+)\\")?/.exec(line);
    if (m && podOfSandbox.has(m[1])) {
      const pod = podOfSandbox.get(m[1]) as string;
      const t = get(pod);
      if (m[3]) {
        podOfContainer.set(m[3], pod);
        if (t.create) t.create[1] = at;
      } else t.create = [at, NaN];
      continue;
    }
    m = /StartContainer for \\"(\w+)\\"( returns successfully)?/.exec(line);
    if (m && podOfContainer.has(m[1])) {
      const t = get(podOfContainer.get(m[1]) as string);
      if (m[2]) {
        if (t.start) t.start[1] = at;
      } else t.start = [at, NaN];
    }
  }
  return byPod;
}

/** Where each pod's start-up time went, between our stamps and containerd's. */
function criReport(timelines: Map<string, Timeline>, logFile: string): void {
  const cri = criTimes(logFile);
  const gaps: Record<string, number[]> = {
    "create → RunPodSandbox called (API, scheduler, kubelet)": [],
    "RunPodSandbox (containerd: netns, CNI, pause)": [],
    "sandbox → CreateContainer called (kubelet)": [],
    "CreateContainer (containerd)": [],
    "→ StartContainer called (kubelet)": [],
    "StartContainer (containerd, runc)": [],
    "started → Ready seen in the watch (kubelet status, API)": [],
  };
  const keys = Object.keys(gaps);
  for (const [name, t] of timelines) {
    const c = cri.get(name);
    if (!c?.sandbox || !c.create || !c.start || t.ready === undefined) continue;
    const points = [t.created, c.sandbox[0], c.sandbox[1], c.create[0], c.create[1], c.start[0], c.start[1], t.ready];
    for (let i = 0; i < keys.length; i++) gaps[keys[i]].push(points[i + 1] - points[i]);
  }
  console.log(`  where the time goes (from containerd's log, ${gaps[keys[0]].length} pods):`);
  for (const k of keys) console.log(`    ${k}: ${latencySummary(gaps[k]).text}`);
}

function memoryLine(server: BenchServer, what: string): void {
  const k3s = memoryMiB(server.pid);
  let ctrd = "containerd: no pid file";
  try {
    const pid = containerdPid();
    const m = memoryMiB(pid);
    const shims = shimsMiB(pid);
    ctrd = `containerd (pid ${pid}) VmRSS ${m.rss.toFixed(0)} MiB, VmHWM ${m.hwm.toFixed(0)} MiB; its ${shims.count} shims ${shims.rss.toFixed(0)} MiB together`;
  } catch (err) {
    ctrd = `containerd: ${String(err)}`;
  }
  console.log(`${what}: k3s (pid ${server.pid}) VmRSS ${k3s.rss.toFixed(0)} MiB, VmHWM ${k3s.hwm.toFixed(0)} MiB; ${ctrd}; ${load()}`);
}

async function main(): Promise<void> {
  console.log(`bench/pods: ${PODS} pods, ${IN_FLIGHT} in flight; ${load()}`);
  await waitForFreeAgentSlot();
  const nodeArgs = process.env.SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const t0 = performance.now();
  const server = await startBenchServer({ nodeArgs, timeoutMs: 180_000 });
  const agent = keepAliveAgent(server.creds, 1);
  let created = false;
  let baselineTasks = 0;
  try {
    await waitFor(
      "the node Ready",
      async () => {
        const r = await call(agent, server.creds, "GET", "/api/v1/nodes");
        const nodes = (JSON.parse(r.body.toString("utf8")) as { items?: { status?: { conditions?: { type: string; status: string }[] } }[] }).items ?? [];
        return nodes.some((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
      },
      180_000,
    );
    await waitFor("the busybox image imported", () => spawnSync("ctr", ["-a", SOCKET, "-n", "k8s.io", "images", "ls", "-q"], { encoding: "utf8" }).stdout.includes(IMAGE), 180_000);
    console.log(`server + agent up, node Ready and image present after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expectStatus(await call(agent, server.creds, "POST", "/api/v1/namespaces", JSON.stringify({ metadata: { name: NS } })), "create namespace");
    await waitFor("the default service account", async () => (await call(agent, server.creds, "GET", `/api/v1/namespaces/${NS}/serviceaccounts/default`)).status === 200, 60_000);
    // idle: the start-up work (image import, packaged components' pods) settles before the figures are read
    try {
      await waitFor("the kube-system pods Ready", async () => (await systemPodsSettling(server, agent)).length === 0, 180_000);
    } catch {
      console.log(`  kube-system pods still not Ready after 3 minutes: ${(await systemPodsSettling(server, agent)).join(", ")}`);
    }
    await sleep(10_000);
    baselineTasks = taskCount();
    memoryLine(server, "idle, no pods");

    created = true;
    const warm = await runPods(server, ["warm-up"]);
    const w = warm.get("warm-up");
    console.log(`warm-up pod (first sandbox, not counted): create → Ready ${w?.ready === undefined ? "?" : (w.ready - w.created).toFixed(0)} ms`);
    const names = Array.from({ length: PODS }, (_, i) => `p-${i}`);
    const started = performance.now();
    const ctrdPid = containerdPid();
    const cpu0 = { k3s: cpuSeconds(server.pid), containerd: cpuSeconds(ctrdPid), machine: machineTicks() };
    const timelines = await runPods(server, names);
    const seconds = (performance.now() - started) / 1000;
    // CPU per pod does not depend on how starved the processes were, unlike the latencies
    const pct = (pid: number, from: number) => `${(((cpuSeconds(pid) - from) / seconds) * 100).toFixed(0)}% = ${(((cpuSeconds(pid) - from) * 1000) / names.length).toFixed(0)} ms per pod`;
    const cpuLine = `CPU while starting them: k3s ${pct(server.pid, cpu0.k3s)}, containerd ${pct(ctrdPid, cpu0.containerd)} (of one core), machine ${machineBusyPct(cpu0.machine, machineTicks()).toFixed(0)}% busy (all cores)`;
    stageReport(timelines);
    criReport(timelines, join(server.dataDir, "agent/containerd/containerd.log"));
    console.log(`  ${PODS} pods Ready in ${seconds.toFixed(1)} s (${(PODS / seconds).toFixed(1)} pods/s); profile window ${server.window(started)} s; ${load()}`);
    console.log(`  ${cpuLine}`);
    await sleep(5000);
    memoryLine(server, `with ${PODS + 1} pods running`);
  } finally {
    if (created) {
      const del = await call(agent, server.creds, "DELETE", `/api/v1/namespaces/${NS}/pods?gracePeriodSeconds=1`).catch((err: unknown) => ({ status: 0, body: Buffer.from(String(err)) }));
      if (del.status !== 200) console.log(`  delete pods: ${del.status} ${del.body.toString("utf8").slice(0, 200)}`);
      try {
        await waitFor("the pods gone", async () => ((JSON.parse((await call(agent, server.creds, "GET", `/api/v1/namespaces/${NS}/pods`)).body.toString("utf8")) as { items: unknown[] }).items.length === 0), 300_000);
        await waitFor("the bench pods' tasks gone", () => taskCount() <= baselineTasks, 120_000);
      } catch (err) {
        console.log(`  cleanup: ${String(err)}`);
      }
    }
    agent.destroy();
    await server.stop(60_000);
  }
}

await main();
