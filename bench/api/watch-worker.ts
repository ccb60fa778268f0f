/**
 * One watcher thread of bench/api: opens its share of the watches (one HTTPS
 * connection each, as separate clients would), stamps every event with the
 * wall clock the moment its bytes arrive, and posts the stamps per
 * resourceVersion when told to finish.
 */
import type { ClientRequest } from "node:http";
import { Agent, request } from "node:https";
import { parentPort, workerData } from "node:worker_threads";
import { agentOptions, wallMs, type Credentials } from "./k8s.ts";

/** What a watcher thread is asked to do. */
export interface WatchTask {
  creds: Credentials;
  watchers: number;
  /** the collection path watched, e.g. /api/v1/namespaces/x/configmaps */
  path: string;
  resourceVersion: string;
}

/** Messages a watcher thread posts. */
export type WatchReport =
  | { type: "ready"; opened: number; failed: number; firstError?: string }
  | { type: "stamps"; stamps: Record<string, number[]>; ended: number; firstError?: string };

const task = workerData as WatchTask;
const agent = new Agent({ ...agentOptions(task.creds), keepAlive: false });
const stamps = new Map<string, number[]>();
const requests: ClientRequest[] = [];
let ended = 0;
let finishing = false;
let firstError: string | undefined;
const RV = /"resourceVersion":"(\d+)"/;

function openWatch(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port: task.creds.port, path: `${task.path}?watch=1&resourceVersion=${task.resourceVersion}&timeoutSeconds=3600`, agent, headers: { accept: "application/json" } },
      (res) => {
        if (res.statusCode !== 200) {
          firstError ??= `watch status ${res.statusCode}`;
          res.resume();
          resolve(false);
          return;
        }
        resolve(true);
        let pending = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          const at = wallMs();
          pending += chunk;
          for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
            const line = pending.slice(0, nl);
            pending = pending.slice(nl + 1);
            const rv = RV.exec(line)?.[1];
            if (!rv) continue;
            let list = stamps.get(rv);
            if (!list) stamps.set(rv, (list = []));
            list.push(at);
          }
        });
        res.on("end", () => {
          if (!finishing) ended++;
        });
        res.on("error", () => undefined);
      },
    );
    req.on("error", (err) => {
      if (!finishing) {
        firstError ??= String(err);
        resolve(false);
      }
    });
    req.end();
    requests.push(req);
  });
}

let opened = 0;
let failed = 0;
// a few handshakes at a time, as a thousand clients arriving over a moment would
for (let i = 0; i < task.watchers; i += 25) {
  const batch = await Promise.all(Array.from({ length: Math.min(25, task.watchers - i) }, () => openWatch()));
  for (const ok of batch) ok ? opened++ : failed++;
}
parentPort?.postMessage({ type: "ready", opened, failed, firstError } satisfies WatchReport);

parentPort?.on("message", (msg: { type: string }) => {
  if (msg.type !== "finish") return;
  finishing = true;
  for (const r of requests) r.destroy();
  parentPort?.postMessage({ type: "stamps", stamps: Object.fromEntries(stamps), ended, firstError } satisfies WatchReport);
  parentPort?.close();
});
