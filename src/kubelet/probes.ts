/** Probe and lifecycle-hook actions: exec (CRI ExecSync), httpGet, tcpSocket, sleep. */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import type { CriClient } from "./cri/mod.ts";
import { grpcHealthCheck } from "./grpcprobe.ts";
import type { ContainerSpec, Handler } from "./types.ts";

/** The outcome of one probe or hook run. */
export interface ActionResult {
  ok: boolean;
  message: string;
}

/** Where an action runs. */
export interface ActionTarget {
  cri: CriClient;
  containerId: string;
  container: ContainerSpec;
  /** the pod IP (or the host IP for hostNetwork pods) */
  host: string;
  timeoutSeconds: number;
}

/** A named port of the container, or the number itself. */
export function resolvePort(port: number | string, c: ContainerSpec): number {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  const p = c.ports?.find((x) => x.name === port);
  if (!p) throw new Error(`port ${JSON.stringify(port)} not found in container ${c.name}`);
  return p.containerPort;
}

function httpGet(h: NonNullable<Handler["httpGet"]>, t: ActionTarget): Promise<ActionResult> {
  return new Promise((resolve) => {
    const port = resolvePort(h.port, t.container);
    const headers: Record<string, string> = { "User-Agent": "kube-probe/1.32", Accept: "*/*" };
    for (const x of h.httpHeaders ?? []) headers[x.name] = x.value;
    const https = h.scheme === "HTTPS";
    const req = (https ? httpsRequest : httpRequest)(
      { host: h.host || t.host, port, path: h.path || "/", method: "GET", headers, timeout: t.timeoutSeconds * 1000, rejectUnauthorized: false },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400 ? { ok: true, message: "" } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`Get "${https ? "https" : "http"}://${h.host || t.host}:${port}${h.path || "/"}": context deadline exceeded`)));
    req.on("error", (e) => resolve({ ok: false, message: e.message }));
    req.end();
  });
}

function tcp(h: NonNullable<Handler["tcpSocket"]>, t: ActionTarget): Promise<ActionResult> {
  return new Promise((resolve) => {
    const port = resolvePort(h.port, t.container);
    const s = connect({ host: h.host || t.host, port, timeout: t.timeoutSeconds * 1000 });
    s.once("connect", () => {
      s.destroy();
      resolve({ ok: true, message: "" });
    });
    s.once("timeout", () => {
      s.destroy();
      resolve({ ok: false, message: `dial tcp ${h.host || t.host}:${port}: i/o timeout` });
    });
    s.once("error", (e) => resolve({ ok: false, message: `dial tcp ${h.host || t.host}:${port}: ${e.message}` }));
  });
}

/** Runs a probe or hook action once. */
export async function runAction(h: Handler, t: ActionTarget): Promise<ActionResult> {
  try {
    if (h.exec) {
      const r = await t.cri.execSync(t.containerId, { cmd: h.exec.command, timeoutSeconds: t.timeoutSeconds });
      const out = (r.stdout.toString() + r.stderr.toString()).trim();
      return r.exit_code === 0 ? { ok: true, message: out } : { ok: false, message: out || `command exited with ${r.exit_code}` };
    }
    if (h.httpGet) return await httpGet(h.httpGet, t);
    if (h.tcpSocket) return await tcp(h.tcpSocket, t);
    if (h.sleep) {
      await new Promise((r) => setTimeout(r, h.sleep!.seconds * 1000));
      return { ok: true, message: "" };
    }
    if (h.grpc) return await grpcHealthCheck(h.grpc, t);
    return { ok: false, message: "probe has no action" };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}
