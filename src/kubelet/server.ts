/**
 * The kubelet's HTTPS port (10250): container logs, exec/attach/port-forward
 * (handed to containerd's CRI streaming server), stats, pods and health, for
 * the API server and metrics-server. Clients must present a certificate
 * signed by clientCA when one is given.
 */
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { TLSSocket } from "node:tls";
import { NotFoundOnNodeError, type Kubelet } from "./kubelet.ts";
import { LogNotFoundError } from "./logs.ts";
import { resourceMetrics, statsSummary } from "./stats.ts";
import { proxyToCri, refuseUpgrade, type UpgradeRequest } from "./streaming/proxy.ts";

/** How the kubelet server listens. */
export interface KubeletServerOptions {
  /** default 10250; 0 picks a free port */
  port?: number;
  /** default 0.0.0.0 */
  host?: string;
  cert: string | Buffer;
  key: string | Buffer;
  /** CA for client certificates; without it any client is accepted (tests, loopback only) */
  clientCA?: string | Buffer;
}

/** The running server. */
export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}

function status(res: ServerResponse, code: number, message: string): void {
  const reason = code === 404 ? "NotFound" : code === 401 ? "Unauthorized" : code === 400 ? "BadRequest" : "InternalError";
  res.writeHead(code, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code }));
}

function flag(q: URLSearchParams, ...names: string[]): boolean {
  return names.some((n) => {
    const v = q.get(n);
    return v === "1" || v === "true";
  });
}

function num(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  return v === null || v === "" ? undefined : Number(v);
}

function authorized(req: IncomingMessage, requireCert: boolean): boolean {
  return !requireCert || (req.socket as TLSSocket).authorized === true;
}

async function serveLogs(k: Kubelet, parts: string[], q: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const [namespace, pod, container] = parts;
  if (!namespace || !pod) return status(res, 400, "expected /containerLogs/<namespace>/<pod>/<container>");
  const ac = new AbortController();
  req.on("close", () => ac.abort());
  const stream = k.podLogStream({
    namespace,
    pod,
    container,
    follow: flag(q, "follow"),
    previous: flag(q, "previous"),
    timestamps: flag(q, "timestamps"),
    tailLines: num(q, "tailLines"),
    sinceSeconds: num(q, "sinceSeconds"),
    sinceTime: q.get("sinceTime") ?? undefined,
    limitBytes: num(q, "limitBytes"),
    signal: ac.signal,
  });
  let started = false;
  try {
    for await (const chunk of stream) {
      if (!started) {
        res.writeHead(200, { "Content-Type": "text/plain", "Transfer-Encoding": "chunked" });
        started = true;
      }
      res.write(chunk);
    }
    if (!started) res.writeHead(200, { "Content-Type": "text/plain" });
    res.end();
  } catch (e) {
    if (started) return void res.destroy();
    status(res, e instanceof LogNotFoundError || e instanceof NotFoundOnNodeError ? 404 : 500, (e as Error).message);
  }
}

/** Starts the kubelet HTTPS server. */
export async function startKubeletServer(k: Kubelet, opts: KubeletServerOptions): Promise<KubeletServer> {
  const requireCert = opts.clientCA !== undefined;
  const server: Server = createServer({ cert: opts.cert, key: opts.key, ca: opts.clientCA, requestCert: requireCert, rejectUnauthorized: false }, (req, res) => {
    if (!authorized(req, requireCert)) return status(res, 401, "client certificate required");
    const url = new URL(req.url ?? "/", "https://kubelet");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    void (async () => {
      try {
        switch (parts[0]) {
          case "healthz":
            res.writeHead(200, { "Content-Type": "text/plain" });
            return res.end("ok");
          case "pods":
            res.writeHead(200, { "Content-Type": "application/json" });
            return res.end(JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: {}, items: k.pods() }));
          case "containerLogs":
            return await serveLogs(k, parts.slice(1), url.searchParams, req, res);
          case "stats":
            if (parts[1] === "summary") {
              res.writeHead(200, { "Content-Type": "application/json" });
              return res.end(JSON.stringify(await statsSummary(k.cri, k.nodeName)));
            }
            return status(res, 404, `path ${url.pathname} not found`);
          case "metrics":
            if (parts[1] === "resource") {
              res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" });
              return res.end(await resourceMetrics(k.cri));
            }
            return status(res, 404, `path ${url.pathname} not found`);
          case "exec":
          case "attach":
          case "portforward":
            return status(res, 400, `${parts[0]} needs an Upgrade (SPDY/3.1 or websocket) request`);
          default:
            return status(res, 404, `path ${url.pathname} not found`);
        }
      } catch (e) {
        if (!res.headersSent) status(res, e instanceof NotFoundOnNodeError ? 404 : 500, (e as Error).message);
        else res.destroy();
      }
    })();
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!authorized(req, requireCert)) return refuseUpgrade(socket, { code: 401, message: "client certificate required" });
    void handleUpgrade(k, { req, socket, head }).catch((e: unknown) => refuseUpgrade(socket, { code: e instanceof NotFoundOnNodeError ? 404 : 500, message: (e as Error).message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 10250, opts.host ?? "0.0.0.0", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The CRI streaming URL for a kubelet-style (or API-server-style) exec/attach/portforward path. */
export async function streamUrlFor(k: Kubelet, target: { pathname: string; query: URLSearchParams }): Promise<string> {
  const { pathname, query: q } = target;
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const [verb, namespace, pod, container] = parts;
  if (!namespace || !pod) throw new NotFoundOnNodeError(`expected /${verb}/<namespace>/<pod>[/<container>]`);
  const io = {
    stdin: flag(q, "input", "stdin"),
    stdout: flag(q, "output", "stdout"),
    stderr: flag(q, "error", "stderr"),
    tty: flag(q, "tty"),
  };
  if (verb === "exec") {
    const command = q.getAll("command");
    if (!command.length) throw new Error("exec needs at least one command= parameter");
    return k.execUrl({ namespace, pod, container: container || q.get("container") || undefined, command, ...io });
  }
  if (verb === "attach") return k.attachUrl({ namespace, pod, container: container || q.get("container") || undefined, ...io });
  if (verb === "portforward") {
    const ports = [...q.getAll("port"), ...q.getAll("ports")].flatMap((p) => p.split(",")).filter(Boolean).map(Number);
    return k.portForwardUrl({ namespace, pod, ports });
  }
  throw new NotFoundOnNodeError(`path ${pathname} not found`);
}

async function handleUpgrade(k: Kubelet, upgrade: UpgradeRequest): Promise<void> {
  const url = new URL(upgrade.req.url ?? "/", "https://kubelet");
  const criUrl = await streamUrlFor(k, { pathname: url.pathname, query: url.searchParams });
  proxyToCri(upgrade, criUrl);
}
