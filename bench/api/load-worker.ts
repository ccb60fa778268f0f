/**
 * One load thread of bench/api: runs its share of the concurrent clients
 * (each a sequential request loop on its own keep-alive connection) and posts
 * the latencies back. Responses are not parsed unless a field is needed, so
 * the client costs little next to the server it measures.
 */
import { parentPort, workerData } from "node:worker_threads";
import { call, keepAliveAgent, type Credentials } from "./k8s.ts";

/** What a load thread is asked to do. */
export interface LoadTask {
  creds: Credentials;
  op: "get" | "list" | "createConfigMap" | "updateConfigMap" | "createPod";
  /** clients run by this thread */
  clients: number;
  /** the first client's number, so names do not collide across threads */
  firstClient: number;
  namespace: string;
  /** run for this long... */
  durationMs?: number;
  /** ...or until this many requests (all clients of the thread together) are done */
  count?: number;
  /** get: the object's name; list: the query string */
  name?: string;
  query?: string;
  headers?: Record<string, string>;
  /** distinguishes object names between runs */
  tag: string;
}

/** What a load thread reports. */
export interface LoadOutcome {
  latencies: number[];
  errors: number;
  firstError?: string;
  seconds: number;
  bytes: number;
}

const task = workerData as LoadTask;
const agent = keepAliveAgent(task.creds, task.clients);
const base = `/api/v1/namespaces/${task.namespace}`;

function podBody(name: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { app: "bench", tag: task.tag } },
    // no scheduler claims this name: the pods stay Pending without a scheduler's status writes racing the measurement
    spec: { schedulerName: "bench-unscheduled", containers: [{ name: "c", image: "docker.io/k3s-ts/busybox:1.35", command: ["sleep", "3600"], resources: { requests: { cpu: "1m", memory: "4Mi" } } }] },
  });
}

function configMapBody(name: string, i: number, resourceVersion?: string): string {
  return JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, ...(resourceVersion ? { resourceVersion } : {}) }, data: { n: String(i), payload: "x".repeat(256) } });
}

const RV = /"resourceVersion":"(\d+)"/;

async function client(c: number, next: () => boolean, out: LoadOutcome): Promise<void> {
  const id = `${task.tag}-${c}`;
  let rv: string | undefined;
  if (task.op === "updateConfigMap") {
    const r = await call(agent, task.creds, "POST", `${base}/configmaps`, configMapBody(`u-${id}`, 0));
    rv = RV.exec(r.body.toString("latin1"))?.[1];
  }
  for (let i = 0; next(); i++) {
    const t0 = performance.now();
    let status = 0;
    let body: Buffer;
    try {
      let r;
      switch (task.op) {
        case "get":
          r = await call(agent, task.creds, "GET", `${base}/configmaps/${task.name}`, undefined, task.headers);
          break;
        case "list":
          r = await call(agent, task.creds, "GET", `${base}/pods${task.query ?? ""}`, undefined, task.headers);
          break;
        case "createConfigMap":
          r = await call(agent, task.creds, "POST", `${base}/configmaps`, configMapBody(`c-${id}-${i}`, i));
          break;
        case "createPod":
          r = await call(agent, task.creds, "POST", `${base}/pods`, podBody(`p-${id}-${i}`));
          break;
        case "updateConfigMap":
          r = await call(agent, task.creds, "PUT", `${base}/configmaps/u-${id}`, configMapBody(`u-${id}`, i, rv));
          break;
      }
      status = r.status;
      body = r.body;
    } catch (err) {
      out.errors++;
      out.firstError ??= String(err);
      continue;
    }
    const ms = performance.now() - t0;
    if (status >= 300) {
      out.errors++;
      out.firstError ??= `status ${status}: ${body.toString("utf8").slice(0, 300)}`;
      if (task.op === "updateConfigMap") {
        const g = await call(agent, task.creds, "GET", `${base}/configmaps/u-${id}`);
        rv = RV.exec(g.body.toString("latin1"))?.[1];
      }
      continue;
    }
    if (task.op === "updateConfigMap") rv = RV.exec(body.toString("latin1"))?.[1];
    out.bytes += body.length;
    out.latencies.push(ms);
  }
}

const out: LoadOutcome = { latencies: [], errors: 0, seconds: 0, bytes: 0 };
let issued = 0;
const start = performance.now();
const end = start + (task.durationMs ?? Infinity);
const next = () => {
  if (task.count !== undefined) return issued++ < task.count;
  return performance.now() < end;
};
await Promise.all(Array.from({ length: task.clients }, (_, k) => client(task.firstClient + k, next, out)));
out.seconds = (performance.now() - start) / 1000;
agent.destroy();
parentPort?.postMessage(out);
